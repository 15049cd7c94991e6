package scan_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement/scim"
	"github.com/sodkit/sodkit/scan"
)

// TestLocations checks that Run and Stream place every finding of the demo
// at the record it is about, as bundle.Origin says where that record was
// read — break-glass grants reported once every identity is seen
// included, which a streamed bundle no longer holds by then — and that
// only findings about no single record stay unplaced.
func TestLocations(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	ran, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)
	streamed, err := scan.Stream(demoOpener, time.Time{})
	require.NoError(t, err)

	for name, r := range map[string]audit.Report{"Run": ran, "Stream": streamed} {
		t.Run(name, func(t *testing.T) {
			kinds := map[audit.Kind]bool{}
			var unplaced []audit.Subject
			for _, f := range r.Findings {
				typ, id := f.Subject.Type, f.Subject.ID
				if typ == "system" {
					typ, id = "raci override", "system "+id
				}
				o, ok := b.Origin(typ, id)
				if !ok {
					require.Zero(t, f.Location, "%s %s: no record, no location", f.Kind, f.Subject)
					unplaced = append(unplaced, f.Subject)
					continue
				}
				require.Equal(t, audit.Location{File: o.File, Line: o.Line}, f.Location, "%s %s", f.Kind, f.Subject)
				require.Positive(t, f.Location.Line, "%s %s: every demo record has a line", f.Kind, f.Subject)
				kinds[f.Kind] = true
			}
			require.True(t, kinds["breakglass.grant-without-session"], "a grant reported by Finish is placed")
			require.True(t, kinds["lifecycle.no-expiry"], "a grant reported by Identity is placed")
			require.True(t, kinds["raci.no-accountable"], "a system's RACI gap is placed at its override")
			require.Equal(t, []audit.Subject{{Type: "account", ID: "temp-contractor-7"}}, unplaced,
				"only the account the inventory does not know (an observation's) has no record")
		})
	}
}

// TestLocationsOfImports checks that findings about imported records point
// into the exports: a grant a CSV row adds to a SCIM user at the row, a
// SCIM user at its resource, a data-quality note at the line it names.
func TestLocationsOfImports(t *testing.T) {
	root := filepath.Join("..")
	b, err := bundle.LoadFileSet(bundle.FileSet{
		Bundles:     []string{filepath.Join(root, "bundle", "testdata", "imports", "rules.json")},
		SCIM:        []string{filepath.Join(root, "entitlement", "scim", "testdata", "acme", "users.json"), filepath.Join(root, "entitlement", "scim", "testdata", "acme", "groups.json")},
		SCIMOptions: scim.Options{System: "okta", Key: scim.KeyUserName},
		CSV:         []string{filepath.Join(root, "entitlement", "grantcsv", "testdata", "acme", "grants.csv")},
		CSVMapping:  filepath.Join(root, "entitlement", "grantcsv", "testdata", "acme", "map.json"),
	})
	require.NoError(t, err)
	r, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)

	csv := filepath.Join(root, "entitlement", "grantcsv", "testdata", "acme", "grants.csv")
	users := filepath.Join(root, "entitlement", "scim", "testdata", "acme", "users.json")
	at := map[string]audit.Location{} // kind subject → location
	inputs := map[string]bool{}
	for _, in := range r.Inputs {
		inputs[in.Name] = true
	}
	for _, f := range r.Findings {
		if !f.Location.IsZero() {
			require.True(t, inputs[f.Location.File], "%s %s: %v is in an input", f.Kind, f.Subject, f.Location)
		}
		if f.Subject.Type == "identity" || f.Subject.Type == "grant" {
			require.False(t, f.Location.IsZero(), "%s %s is placed", f.Kind, f.Subject)
		}
		at[string(f.Kind)+" "+f.Subject.Type+" "+f.Subject.ID] = f.Location
	}
	tests := []struct {
		name   string
		reason string
		key    string
		want   audit.Location
	}{
		{"csv grant", "a CSV row attached to a SCIM user", "lifecycle.no-expiry grant alice@acme.example/sap:F110", audit.Location{File: csv, Line: 2}},
		{"scim user", "a SCIM user's resource", "lifecycle.inactive-holder identity bob@acme.example", audit.Location{File: users, Line: 28}},
		{"note about a file", "a note about a whole export points at its line", "import.data-quality input " + csv, audit.Location{File: csv, Line: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, at[tt.key], tt.reason)
		})
	}
}

// TestDemoOwners checks the owner rule (see Finding.Owner and the package
// doc) on the demo, in Run and in Stream alike: a break-glass grant that
// Finish reports on is owned although a streamed bundle no longer holds
// it, an orphaned NHI goes to its team, not to the owner who left.
func TestDemoOwners(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	ran, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)
	streamed, err := scan.Stream(demoOpener, time.Time{})
	require.NoError(t, err)

	tests := []struct {
		name    string
		reason  string
		kind    audit.Kind
		subject audit.Subject
		want    string
	}{
		{"person", "a person's manager", "sod.toxic-combination", audit.Subject{Type: "identity", ID: "alice"}, "fiona"},
		{"orphaned NHI", "its owner carl is offboarded and it has no second owner: its team", "raci.orphaned-nhi", audit.Subject{Type: "identity", ID: "svc-payments-batch"}, "finance-ap"},
		{"grant of Finish", "a break-glass grant reported once every identity is seen: its holder lena has no manager: her team", "breakglass.grant-without-session", audit.Subject{Type: "grant", ID: "g-931"}, "finance-treasury"},
		{"session", "the policy's controllers", "breakglass.self-reviewed", audit.Subject{Type: "session", ID: "bg-109"}, "security-ops"},
		{"entitlement without owner", "the RACI override leaves define_policy without an accountable party", "raci.no-owner", audit.Subject{Type: "entitlement", ID: "erp:gl.read"}, ""},
		{"system", "a system's RACI gap has no single owner", "raci.no-accountable", audit.Subject{Type: "system", ID: "k8s"}, ""},
	}
	for name, r := range map[string]audit.Report{"Run": ran, "Stream": streamed} {
		t.Run(name, func(t *testing.T) {
			for _, tt := range tests {
				found := false
				for _, f := range r.Findings {
					if f.Kind == tt.kind && f.Subject.Compare(tt.subject) == 0 {
						found = true
						require.Equal(t, tt.want, f.Owner, "%s: %s", tt.name, tt.reason)
					}
				}
				require.True(t, found, "%s: the demo has a %s about %s", tt.name, tt.kind, tt.subject)
			}
		})
	}
	owned := 0
	for i, f := range ran.Findings {
		require.Equal(t, f.Owner, streamed.Findings[i].Owner, "%s %s: Run and Stream agree", f.Kind, f.Subject)
		if f.Owner != "" {
			owned++
		}
	}
	require.Greater(t, owned, len(ran.Findings)*9/10, "nearly every demo finding has an owner")
}
