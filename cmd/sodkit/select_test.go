package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// noRACI is a small bundle with no raci section and nothing wrong with its
// separation of duties: issue 16's team that only wants SoD, whose
// --fail-on high a dozen RACI gaps blocked.
const noRACI = `{"format": "sodkit.bundle/v1", "as_of": "2026-11-01T09:00:00Z",
 "parties": [{"id": "ap", "function": "business"}],
 "entitlements": [{"id": "erp:vendor.create", "risk": "low", "policy_owner": "ap"}],
 "identities": [{"id": "ann", "kind": "human", "status": "active", "team": "ap", "grants": [
   {"id": "g-1", "entitlement": "erp:vendor.create", "state": "active", "reason": "clerk", "policy_basis": "tmpl-ap",
    "requested": {"by": "ann", "at": "2026-10-01T09:00:00Z"},
    "approvals": [{"by": "bob", "at": "2026-10-01T10:00:00Z"}]}]},
   {"id": "bob", "kind": "human", "status": "active", "team": "ap"},
   {"id": "carl", "kind": "human", "status": "offboarded", "team": "ap"}]}
`

// demoFile is the path of one of the demo's files.
func demoFile(name string) string { return filepath.Join("..", "..", "demo", name) }

// kindsOf returns the kinds of a JSON report's findings, by package.
func kindsOf(t *testing.T, out string) map[string]int {
	t.Helper()
	r, err := audit.ReadReport(strings.NewReader(out))
	require.NoError(t, err)
	pkgs := map[string]int{}
	for _, f := range r.Findings {
		pkg, _, _ := strings.Cut(string(f.Kind), ".")
		pkgs[pkg]++
	}
	return pkgs
}

func TestCheckSelection(t *testing.T) {
	path := writeFile(t, t.TempDir(), "b.json", noRACI)
	code, _, errOut := cli(wallA, "check", "--fail-on", "high", path)
	require.Equal(t, exitFindings, code, "without a choice, the RACI gaps of a bundle without a raci section fail the gate")
	require.Contains(t, errOut, "8 failing finding(s) at or above high")
	code, out, errOut := cli(wallA, "check", "--fail-on", "high", "--skip", "raci", path)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "no findings")

	_, full, _ := cli(wallA, "check", "--demo", "--format", "json")
	all := kindsOf(t, full)
	require.Positive(t, all["raci"])
	tests := []struct {
		name   string
		reason string
		args   []string
		want   func(pkg string) bool
	}{
		{"only, comma list", "the issue's example", []string{"--demo", "--only", "sod,lifecycle"},
			func(p string) bool { return p == "sod" || p == "lifecycle" }},
		{"only, repeated", "repeating the flag is the same as a list", []string{"--demo", "--only", "sod", "--only=lifecycle"},
			func(p string) bool { return p == "sod" || p == "lifecycle" }},
		{"skip", "everything but one package", []string{"--demo", "--skip", "raci"},
			func(p string) bool { return p != "raci" }},
		{"spaces", "spaces around names are forgiven", []string{"--demo", "--skip", "raci, waiver"},
			func(p string) bool { return p != "raci" && p != "waiver" }},
		{"streamed", "--stream chooses alike", []string{"--stream", "--skip", "raci", demoFile("inventory.json"), demoFile("sod.json"), demoFile("raci.json"), demoFile("breakglass.json"), demoFile("waivers.json")},
			func(p string) bool { return p != "raci" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, append([]string{"check", "--format", "json"}, tt.args...)...)
			require.Equal(t, exitOK, code, errOut)
			want := map[string]int{}
			for p, n := range all {
				if tt.want(p) {
					want[p] = n
				}
			}
			require.Equal(t, want, kindsOf(t, out), tt.reason)
		})
	}
}

func TestCheckSelectionErrors(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		args   []string
		want   string
	}{
		{"typo", "one line with a did-you-mean, not the usage", []string{"--only", "sdo"},
			"sodkit check: --only: unknown package or kind \"sdo\" (did you mean \"sod\"?)\n"},
		{"every name at once", "every unknown name is reported",
			[]string{"--skip", "raci.no-ownr,nothing-like-it", "--only", "lifecyle"},
			"sodkit check: --only: unknown package or kind \"lifecyle\" (did you mean \"lifecycle\"?)\n" +
				"sodkit check: --skip: unknown package or kind \"raci.no-ownr\" (did you mean \"raci.no-owner\"?)\n" +
				"sodkit check: --skip: unknown package or kind \"nothing-like-it\"\n"},
		{"trailing comma", "an empty name is not silently dropped", []string{"--skip", "raci,"},
			"sodkit check: --skip: unknown package or kind \"\"\n"},
		{"nothing left", "a scan of nothing would pass every gate", []string{"--only", "sod", "--skip", "sod"},
			"sodkit check: --only, --skip: the selection leaves no check to run\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, append([]string{"check", "--demo"}, tt.args...)...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out)
			require.Equal(t, tt.want, errOut, tt.reason)
		})
	}
}

// TestCheckWaivers runs check on a bundle with waivers: a waived finding
// stays in every format, marked waived; --fail-on ignores it while the
// waiver holds, and not once it has expired or lost its owner.
func TestCheckWaivers(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "b.json", noRACI)
	waivers := func(name, owner, expires string) string {
		return writeFile(t, dir, name, `{"format": "sodkit.bundle/v1", "waivers": [
 {"id": "W-1", "kinds": ["raci.no-accountable"], "owner": "`+owner+`", "reason": "the RACI matrix lands next quarter", "expires": "`+expires+`"}]}`)
	}
	inForce := waivers("in-force.json", "bob", "2027-01-01T00:00:00Z")
	atExpiry := waivers("at-expiry.json", "bob", "2026-11-01T09:00:00Z")
	ownerLeft := waivers("owner-left.json", "carl", "2027-01-01T00:00:00Z")
	tests := []struct {
		name    string
		reason  string
		waivers string
		code    int
		stderr  string
		total   int // the 17 findings of the bundle, and any about the waiver
		waived  int
	}{
		{"in force", "the eight high findings are waived: nothing high fails", inForce, exitOK, "", 17, 8},
		{"at expiry", "at its expiry the waiver no longer applies: the findings and the expired waiver fail", atExpiry, exitFindings,
			"sodkit: 9 failing finding(s) at or above high\n", 18, 0},
		{"owner left", "a waiver nobody owns waives nothing, and is itself a (medium) finding", ownerLeft, exitFindings,
			"sodkit: 8 failing finding(s) at or above high\n", 18, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, "check", "--fail-on", "high", "--format", "json", path, tt.waivers)
			require.Equal(t, tt.code, code, "%s\n%s", tt.reason, errOut)
			require.Equal(t, tt.stderr, errOut)
			r, err := audit.ReadReport(strings.NewReader(out))
			require.NoError(t, err)
			require.Len(t, r.Findings, tt.total, "%s: waivers hide nothing", tt.reason)
			require.Equal(t, tt.waived, r.Summary().ByStatus[audit.Waived], tt.reason)
		})
	}

	// Every format says so.
	formats := map[string]func(string) bool{
		"text": func(out string) bool {
			return strings.Contains(out, "; 8 waived") && strings.Count(out, "[waived]") == 8 &&
				strings.Contains(out, "  - waived by waiver W-1: owner bob; expires 2027-01-01T00:00:00Z; reason: the RACI matrix lands next quarter")
		},
		"json": func(out string) bool { return strings.Count(out, `"status": "waived"`) == 8 },
		"csv": func(out string) bool {
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			n := 0
			for _, row := range rows {
				if row[2] == "waived" {
					n++
				}
			}
			return err == nil && rows[0][2] == "status" && n == 8
		},
		"markdown": func(out string) bool { return strings.Count(out, "| high | waived | `raci.no-accountable` |") == 8 },
		"sarif": func(out string) bool {
			var doc struct {
				Runs []struct {
					Results []struct {
						Suppressions []struct{ Kind, Status, Justification string } `json:"suppressions"`
					} `json:"results"`
				} `json:"runs"`
			}
			if json.Unmarshal([]byte(out), &doc) != nil || len(doc.Runs) != 1 {
				return false
			}
			n := 0
			for _, res := range doc.Runs[0].Results {
				for _, s := range res.Suppressions {
					if s.Kind == "external" && s.Status == "accepted" && strings.HasPrefix(s.Justification, "Waived by waiver W-1: owner bob;") {
						n++
					}
				}
			}
			return n == 8
		},
		"oscal": func(out string) bool {
			return strings.Count(out, `"value": "waived"`) == 8 && strings.Contains(out, "waived until their waiver expires")
		},
	}
	for format, ok := range formats {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := cli(wallA, "check", "--format", format, path, inForce)
			require.Equal(t, exitOK, code, errOut)
			require.True(t, ok(out), "%s shows the waived findings as waived:\n%s", format, out)
		})
	}
}
