package synth_test

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/raci"
	"github.com/sodkit/sodkit/scan"
)

var counts = flag.Bool("synth.counts", false, "print the findings per kind on 20,000 governed identities, and the bundle size")

// governedBound is the most findings per identity, outside the sod rules,
// that every check together may report on a governed organisation (about
// 0.12 are expected; see "Governed mode" in the package documentation).
const governedBound = 0.3

// governedKinds are the finding kinds the documented defects of governed
// mode cause, besides the sod rules' own findings.
var governedKinds = []audit.Kind{
	"breakglass.grant-without-session",
	"lifecycle.escalation-skipped", "lifecycle.inactive-holder", "lifecycle.missing-policy-basis",
	"lifecycle.missing-reason", "lifecycle.no-expiry", "lifecycle.over-max-duration",
	"lifecycle.revoked-still-present", "lifecycle.unexplained-access",
	"raci.application-reuse", "raci.approval-outside-path", "raci.approval-stage-missing",
	"raci.certifier-not-accountable", "raci.credential-no-expiry", "raci.credential-too-old",
	"raci.dormant-privileged", "raci.environment-reuse", "raci.human-use", "raci.orphaned-nhi",
	"raci.recertification-not-governed", "raci.recertification-overdue", "raci.self-certified",
	"raci.several-accountable",
	"sod.duty-conflict",
}

// scanned is one generated organisation run through every check.
type scanned struct {
	report     audit.Report
	identities int
	bytes      int // size of the export
}

// scanGenerated writes the organisation c describes with its RACI config,
// loads both files as a bundle, adds 500 generated rules and runs every
// check at synth.AsOf.
func scanGenerated(t *testing.T, c synth.Config) scanned {
	t.Helper()
	var export, matrix bytes.Buffer
	require.NoError(t, synth.WriteBundle(&export, c))
	size := export.Len()
	require.NoError(t, synth.WriteRACI(&matrix, synth.RACI(c)))
	b, err := bundle.Load(bundle.Source{Name: "export.json", Reader: &export}, bundle.Source{Name: "raci.json", Reader: &matrix})
	require.NoError(t, err)
	b.SoD = synth.Rules(synth.Catalogue(c), 500, c.Seed)
	r, err := scan.Run(b, synth.AsOf)
	require.NoError(t, err)
	return scanned{report: r, identities: len(b.Inventory.Identities), bytes: size}
}

// byKind counts findings per kind, and those outside the sod rules.
func byKind(fs []audit.Finding) (map[audit.Kind]int, int) {
	n, outside := map[audit.Kind]int{}, 0
	for _, f := range fs {
		n[f.Kind]++
		if !strings.HasPrefix(string(f.Kind), "sod.") {
			outside++
		}
	}
	return n, outside
}

func TestGovernedFindings(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		config synth.Config
		check  func(t *testing.T, perIdentity float64, kinds map[audit.Kind]int)
	}{
		{
			name:   "governed",
			reason: "a governed organisation follows its policies except for the documented defects",
			config: synth.Config{Seed: 1, Identities: 3000, Governed: true},
			check: func(t *testing.T, perIdentity float64, kinds map[audit.Kind]int) {
				require.Less(t, perIdentity, governedBound, "findings per identity outside the sod rules")
				for k := range kinds {
					if !strings.HasPrefix(string(k), "sod.") || k == "sod.duty-conflict" {
						require.Contains(t, governedKinds, k, "no documented defect causes %s", k)
					}
				}
				for _, k := range []audit.Kind{"lifecycle.missing-reason", "raci.approval-stage-missing",
					"raci.recertification-overdue", "raci.orphaned-nhi", "lifecycle.unexplained-access"} {
					require.Positive(t, kinds[k], "the defects still show at this size: %s", k)
				}
			},
		},
		{
			name:   "default",
			reason: "the default organisation stays full of defects, on purpose",
			config: synth.Config{Seed: 1, Identities: 3000},
			check: func(t *testing.T, perIdentity float64, kinds map[audit.Kind]int) {
				require.Greater(t, perIdentity, 10.0, "findings per identity outside the sod rules")
				require.Greater(t, kinds["raci.approval-stage-missing"], 3000)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scanGenerated(t, tt.config)
			kinds, outside := byKind(s.report.Findings)
			per := float64(outside) / float64(s.identities)
			t.Logf("%s: %.3f findings per identity outside the sod rules", tt.reason, per)
			tt.check(t, per, kinds)
		})
	}
}

// TestGovernedCounts prints the findings per kind on 20,000 governed
// identities and the size of their export; it runs only with
// -synth.counts since it takes a while:
//
//	go test -run TestGovernedCounts -synth.counts -v ./internal/synth/
func TestGovernedCounts(t *testing.T) {
	if !*counts {
		t.Skip("run with -synth.counts to count the findings on 20,000 governed identities")
	}
	for _, governed := range []bool{true, false} {
		s := scanGenerated(t, synth.Config{Seed: 1, Identities: 20000, Governed: governed})
		kinds, outside := byKind(s.report.Findings)
		var b strings.Builder
		fmt.Fprintf(&b, "governed: %v, %d identities, export %d bytes (%d per identity)\n", governed, s.identities, s.bytes, s.bytes/s.identities)
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			fmt.Fprintf(&b, "  %-40s %7d\n", k, kinds[k])
		}
		fmt.Fprintf(&b, "  %-40s %7d\n  %-40s %7d (%.3f per identity)\n", "total", len(s.report.Findings),
			"outside the sod rules", outside, float64(outside)/float64(s.identities))
		t.Log("\n" + b.String())
	}
}

func TestGovernedIsValid(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		config synth.Config
	}{
		{"tiny", "ten identities: too few to staff every team, still valid", synth.Config{Seed: 7, Identities: 10, Governed: true}},
		{"small catalogue", "few entitlements per system, few roles", synth.Config{Seed: 42, Identities: 3000, MeanGrants: 8, Systems: 2, EntitlementsPerSystem: 20, Roles: 25, Governed: true}},
		{"default size", "the zero config's size", synth.Config{Governed: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := synth.Generate(tt.config)
			require.NoError(t, inv.Validate(), tt.reason)
			require.NoError(t, synth.RACI(tt.config).Validate(mustIndex(t, inv)), tt.reason)
		})
	}
}

func mustIndex(t *testing.T, inv *entitlement.Inventory) *entitlement.Index {
	t.Helper()
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	return x
}

// TestGovernedWriteBundleLoadsAsGenerate holds governed mode to the same
// promise as the default: the streamed bundle is exactly what Generate
// returns, byte for byte.
func TestGovernedWriteBundleLoadsAsGenerate(t *testing.T) {
	c := synth.Config{Seed: 12, Identities: 2000, Governed: true}
	var buf bytes.Buffer
	require.NoError(t, synth.WriteBundle(&buf, c))
	b, err := bundle.Load(bundle.Source{Name: "synth.json", Reader: bytes.NewReader(buf.Bytes())})
	require.NoError(t, err)
	for name, inv := range map[string]*entitlement.Inventory{"loaded": &b.Inventory, "generated": synth.Generate(c)} {
		var again bytes.Buffer
		require.NoError(t, synth.WriteInventory(&again, inv, synth.AsOf))
		require.True(t, bytes.Equal(buf.Bytes(), again.Bytes()), "WriteInventory of the %s inventory differs from WriteBundle", name)
	}
	cat := synth.Catalogue(c)
	require.Equal(t, cat.Roles, b.Inventory.Roles, "Catalogue returns the governed catalogue")
}

// TestGovernedCatalogue checks what governed mode promises of the
// catalogue and the people.
func TestGovernedCatalogue(t *testing.T) {
	c := synth.Config{Seed: 1, Identities: 5000, Governed: true}
	inv := synth.Generate(c)
	x := mustIndex(t, inv)
	def := synth.Catalogue(synth.Config{Seed: 1, Identities: 5000})
	ids := func(ents []entitlement.Entitlement) (out []string) {
		for _, e := range ents {
			out = append(out, e.ID)
		}
		return out
	}
	require.Equal(t, ids(def.Entitlements), ids(inv.Entitlements), "the same entitlements as the default catalogue")
	for _, p := range inv.Parties {
		require.Empty(t, p.Members, "party %s lists no extra members", p.ID)
		active := 0
		for _, m := range x.Members(p.ID) {
			if id, _ := x.Identity(m); id.Kind == entitlement.Human && id.Status == entitlement.IdentityActive {
				active++
			}
		}
		require.Positive(t, active, "party %s has active people", p.ID)
	}
	for _, r := range inv.Roles {
		systems := map[string]bool{}
		for _, eid := range r.Entitlements {
			e, _ := x.Entitlement(eid)
			require.False(t, e.Privileged, "role %s holds privileged %s", r.ID, eid)
			systems[e.SystemName()] = true
		}
		require.LessOrEqual(t, len(systems), 1, "role %s holds entitlements of one system", r.ID)
	}
	// The shape of the default organisation.
	var nonHuman, grants, eligible, activated, revoked int
	for _, id := range inv.Identities {
		if id.Kind.NonHuman() {
			nonHuman++
		}
		grants += len(id.Grants)
		for _, g := range id.Grants {
			if g.Eligible {
				eligible++
				if len(g.Activations) > 0 {
					activated++
				}
			}
			if g.State == entitlement.GrantRevoked {
				revoked++
			}
		}
	}
	require.InDelta(t, 0.70, float64(nonHuman)/float64(len(inv.Identities)), 0.01, "about 70 %% non-human identities")
	require.InDelta(t, 15, float64(grants)/float64(len(inv.Identities)), 0.5, "about 15 grants on average")
	require.Positive(t, activated, "some just-in-time grants, activated")
	require.Positive(t, revoked, "some revoked grants")
	require.NotEmpty(t, inv.Observations)
	require.NotEmpty(t, inv.Usage)

	for _, id := range inv.Identities {
		if id.Kind.NonHuman() || id.Status == entitlement.IdentityActive {
			continue
		}
		held := 0
		for _, g := range id.Grants {
			if g.InEffect(synth.AsOf) {
				held++
			}
		}
		require.LessOrEqual(t, held, 1, "%s left; deprovisioning misses one grant at most", id.ID)
	}
}

// TestRACIRoundTrip checks that WriteRACI writes what bundle.Load reads
// back as the same config, valid against the organisation.
func TestRACIRoundTrip(t *testing.T) {
	c := synth.Config{Seed: 3, Identities: 500, Governed: true}
	var export, matrix bytes.Buffer
	require.NoError(t, synth.WriteBundle(&export, c))
	want := synth.RACI(c)
	require.NoError(t, synth.WriteRACI(&matrix, want))
	b, err := bundle.Load(bundle.Source{Name: "export.json", Reader: &export}, bundle.Source{Name: "raci.json", Reader: &matrix})
	require.NoError(t, err)
	require.Equal(t, want, b.RACI)
	require.Equal(t, synth.RACI(c), synth.RACI(c), "deterministic")
}

// TestDefaultUnchanged pins the default organisation: figures measured on
// it before governed mode existed keep their meaning. Change the sums only
// with a deliberate change to the default generator.
func TestDefaultUnchanged(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		config synth.Config
		sum    string
	}{
		{"zero", "the zero config", synth.Config{}, "62a710b791b0a24a507c3e8d47d6d151dbc4d4cf2266247f64f7bedfb6c9dea2"},
		{"tiny", "the smallest organisation", synth.Config{Seed: 7, Identities: 10}, "4a9b201d66768ea384745c374e7a64627293ab437f0e2c9b84f619db3ffa3fc7"},
		{"small catalogue", "every size knob set", synth.Config{Seed: 42, Identities: 3000, MeanGrants: 8, Systems: 2, EntitlementsPerSystem: 20, Roles: 25},
			"f0ca18137bc98f6df80d7cad07af9e3eb96eff8c107c277396d6c2cfc446339f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := sha256.New()
			require.NoError(t, synth.WriteBundle(h, tt.config))
			require.Equal(t, tt.sum, fmt.Sprintf("%x", h.Sum(nil)), tt.reason)
		})
	}
}

func ExampleConfig_governed() {
	c := synth.Config{Seed: 1, Identities: 1000, Governed: true}
	inv := synth.Generate(c)
	x, _ := entitlement.NewIndex(inv)
	g := inv.Identities[0].Grants[0]
	fmt.Println(inv.Identities[0].ID, "holds", g.ID, "of", g.Entitlement+g.Role)
	for _, a := range g.Approvals {
		fmt.Printf("approved as %s by a member: %v\n", a.Stage, x.IsMember(a.Stage, a.By))
	}
	fmt.Println("reason recorded:", g.Reason != "", "policy basis recorded:", g.PolicyBasis != "")
	// Output:
	// u0000000 holds g-0000000-00 of erp:payment.release.122
	// approved as team-0001 by a member: true
	// approved as iam by a member: true
	// reason recorded: true policy basis recorded: true
}

func ExampleRACI() {
	rc := synth.RACI(synth.Config{Seed: 1, Identities: 1000, Governed: true})
	fmt.Println("recertify:", rc.Matrix[raci.Recertify].Accountable)
	for _, o := range rc.Overrides {
		typ, id := o.Scope()
		fmt.Println("deliberate gap in", typ, id)
	}
	// Output:
	// recertify: [iam]
	// deliberate gap in entitlement erp:vendor.read.0
	// deliberate gap in system bank
}

func ExampleWriteRACI() {
	c := synth.Config{Identities: 100, Governed: true}
	var buf bytes.Buffer
	if err := synth.WriteRACI(&buf, synth.RACI(c)); err != nil {
		panic(err)
	}
	var export bytes.Buffer
	synth.WriteBundle(&export, c)
	b, err := bundle.Load(bundle.Source{Name: "export.json", Reader: &export}, bundle.Source{Name: "raci.json", Reader: &buf})
	fmt.Println(err, len(b.RACI.Matrix), "activities", len(b.RACI.Overrides), "overrides")
	// Output:
	// <nil> 8 activities 2 overrides
}
