package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// The acme exports and rules the importers' tests use.
var (
	acmeUsers  = filepath.Join("..", "..", "entitlement", "scim", "testdata", "acme", "users.json")
	acmeGroups = filepath.Join("..", "..", "entitlement", "scim", "testdata", "acme", "groups.json")
	acmeCSV    = filepath.Join("..", "..", "entitlement", "grantcsv", "testdata", "acme", "grants.csv")
	acmeMap    = filepath.Join("..", "..", "entitlement", "grantcsv", "testdata", "acme", "map.json")
	acmeRules  = filepath.Join("..", "..", "bundle", "testdata", "imports", "rules.json")
)

// acme returns the flags that load the acme exports and rules, after the
// command's own arguments.
func acme(args ...string) []string {
	return append(args, "--scim", acmeUsers, "--scim", acmeGroups, "--scim-system", "okta", "--scim-key", "userName",
		"--csv", acmeCSV, "--csv-map", acmeMap, "--rules", acmeRules)
}

func TestCheckImports(t *testing.T) {
	code, out, errOut := cli(wallA, acme("check", "--format", "json")...)
	require.Equal(t, exitOK, code, errOut)
	require.Empty(t, errOut)
	r, err := audit.ReadReport(strings.NewReader(out))
	require.NoError(t, err)
	require.Equal(t, "2026-11-01T09:00:00Z", r.EvaluatedAt.Format("2006-01-02T15:04:05Z07:00"), "evaluated at the rules file's as_of")
	var inputs []string
	for _, in := range r.Inputs {
		inputs = append(inputs, filepath.Base(in.Name))
	}
	require.ElementsMatch(t, []string{"rules.json", "users.json", "groups.json", "grants.csv"}, inputs, "every export is an input of the report")

	found := map[string]bool{}
	for _, f := range r.Findings {
		found[string(f.Kind)+" "+f.Subject.ID+" "+f.Rule] = true
	}
	for _, want := range []string{
		"lifecycle.inactive-holder bob@acme.example ",
		"lifecycle.inactive-holder gus@acme.example ",
		"sod.toxic-combination alice@acme.example R-P2P-01",
		"sod.toxic-combination erin@acme.example R-P2P-02",
		"import.data-quality bob@acme.example ",
		"import.data-quality okta:group/00g5opsa ",
		"import.data-quality " + acmeCSV + " ",
	} {
		require.True(t, found[want], "the report has %q", want)
	}
	require.Equal(t, 15, r.Summary().ByKind["import.data-quality"], "every note of the read is a finding")

	_, again, _ := cli(wallB, acme("check", "--format", "json")...)
	require.Equal(t, out, again, "byte-identical across runs and wall clocks")

	code, text, _ := cli(wallA, acme("check")...)
	require.Equal(t, exitOK, code)
	require.Contains(t, text, "CRITICAL lifecycle.inactive-holder identity bob@acme.example")
	require.Contains(t, text, "INFO import.data-quality identity bob@acme.example")

	code, _, errOut = cli(wallA, acme("check", "--fail-on", "critical")...)
	require.Equal(t, exitFindings, code, errOut)
}

func TestImportsInOtherCommands(t *testing.T) {
	code, out, errOut := cli(wallA, acme("explain", "erin@acme.example")...)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "grant erin@acme.example/okta:group/00g4finleads → role okta:group/00g4finleads (Finance-Leads) → role okta:group/00g3payrel (Payments release) → entitlement sap:F110 (Execute payment run)",
		"explain shows the path through the group nesting, each group with its displayName")

	code, out, errOut = cli(wallA, acme("whatif", "--identity", "carol@acme.example", "--grant", "okta:group/00g3payrel")...)
	require.Equal(t, exitFindings, code, errOut)
	require.Contains(t, out, "R-P2P-02", "adding carol, an AP clerk, to Payments-Release would be toxic")

	code, out, errOut = cli(wallA, acme("owners", "--gaps")...)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "sap:F110")
}

func TestImportFlagErrors(t *testing.T) {
	dir := t.TempDir()
	unknown := writeFile(t, dir, "unknown.csv", "identity,entitlement\nzed,sap:F110\n")
	notSCIM := writeFile(t, dir, "users.json", `[{"id": "u1"}]`)
	badMap := writeFile(t, dir, "map.json", `{"identiy": "User"}`)
	dupMap := writeFile(t, dir, "dup.json", "{\"identity\": \"User Name\", \"entitlement\": \"Permission\", \"system\": \"sap\", \"delimiter\": \";\",\n"+
		"\"states\": {\"Enabled\": \"active\", \"Removed\": \"revoked\",\n\"Enabled\": \"revoked\"}}")
	tests := []struct {
		name   string
		args   []string
		stderr []string
		reason string
	}{
		{"stream", []string{"check", "--stream", "--scim", acmeUsers},
			[]string{"--stream cannot read --scim or --csv exports"}, "streaming holds no imports: refused, not ignored"},
		{"map without csv", []string{"check", "--csv-map", acmeMap, "--rules", acmeRules},
			[]string{"--csv-map needs --csv"}, "a mapping for nothing is a mistake"},
		{"key without scim", []string{"check", "--scim-key", "userName", "--rules", acmeRules},
			[]string{"--scim-key and --scim-system need --scim"}, "so is a key for nothing"},
		{"bad key", []string{"check", "--scim", acmeUsers, "--scim-key", "email"},
			[]string{`--scim-key: unknown SCIM key "email"`}, "only id and userName"},
		{"bad system", []string{"check", "--scim", acmeUsers, "--scim-system", "a:b"},
			[]string{`scim: system "a:b" must not contain ':'`}, "the system may not contain a colon"},
		{"bad mapping", []string{"check", "--csv", acmeCSV, "--csv-map", badMap},
			[]string{badMap + `:1: mapping: field identiy: invalid column mapping: unknown field "identiy" (did you mean "identity"?)`}, "the mapping file is strict, and its errors name it and the member meant"},
		{"repeated mapping member", []string{"check", "--csv", acmeCSV, "--csv-map", dupMap},
			[]string{dupMap + `:3: mapping: field states.Enabled: invalid column mapping: duplicate: member "Enabled" appears twice in one object`},
			"a member given twice in the mapping is an error on its line, never the last one silently"},
		{"not a ListResponse", []string{"check", "--scim", notSCIM},
			[]string{notSCIM + ":1: not a SCIM ListResponse"}, "the error names the file and line"},
		{"unknown identity", []string{"check", "--csv", unknown, "--rules", acmeRules},
			[]string{unknown + `:2: grant zed/sap:F110 of identity zed: unknown reference: no input defines identity "zed"`},
			"a CSV row naming no identity is an error on its line"},
		{"missing file", []string{"explain", "x", "--scim", filepath.Join(dir, "nope.json")},
			[]string{"nope.json"}, "an unreadable file is named"},
		{"every problem at once", []string{"check", "--scim", notSCIM, "--csv", filepath.Join(dir, "gone.csv"), "--rules", acmeRules, "--rules", filepath.Join(dir, "none.json")},
			[]string{notSCIM + ":1: not a SCIM ListResponse", "gone.csv: no such file", "none.json: no such file"},
			"a bad export, a missing export and a missing bundle file are reported together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, tt.args...)
			require.Equal(t, exitError, code, "%s\n%s", tt.reason, errOut)
			require.Empty(t, out)
			for _, s := range tt.stderr {
				require.Contains(t, errOut, s, tt.reason)
			}
		})
	}
}

func TestRulesFlag(t *testing.T) {
	demo := func(name string) string { return filepath.Join("..", "..", "demo", name) }
	_, plain, _ := cli(wallA, "check", "--format", "json", demo("inventory.json"), demo("sod.json"), demo("raci.json"), demo("breakglass.json"))
	code, viaRules, errOut := cli(wallA, "check", "--format", "json", demo("inventory.json"), "--rules", demo("sod.json"), "--rules", demo("raci.json"), "--rules", demo("breakglass.json"))
	require.Equal(t, exitOK, code, errOut)
	require.Equal(t, plain, viaRules, "--rules files are ordinary bundle files, read after the FILE arguments")
	code, streamed, errOut := cli(wallA, "check", "--format", "json", "--stream", demo("inventory.json"), "--rules", demo("sod.json"), "--rules", demo("raci.json"), "--rules", demo("breakglass.json"))
	require.Equal(t, exitOK, code, errOut)
	require.Equal(t, plain, streamed, "--stream reads --rules files too")

	code, out, errOut := cli(wallA, "check", "--rules", acmeRules)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "rules.json", "--rules alone loads the rules, not the demo")
	require.NotContains(t, out, "demo:")
}

// The ruleset the bundle package's tests read, in CSV and in YAML.
var (
	rulesetCSV  = filepath.Join("..", "..", "bundle", "testdata", "rules", "ruleset.csv")
	rulesetYAML = filepath.Join("..", "..", "bundle", "testdata", "rules", "ruleset.yaml")
)

// TestRulesFormats checks --rules reads SoD rulesets from CSV and rules from
// YAML, by extension or --rules-format, loaded and streamed alike: the same
// ruleset in either format gives the same findings.
func TestRulesFormats(t *testing.T) {
	demo := func(name string) string { return filepath.Join("..", "..", "demo", name) }
	base := []string{"check", "--format", "json", demo("inventory.json"), demo("raci.json"), demo("breakglass.json")}
	findings := func(args ...string) []string {
		t.Helper()
		code, out, errOut := cli(wallA, append(slices.Clone(base), args...)...)
		require.Equal(t, exitOK, code, errOut)
		r, err := audit.ReadReport(strings.NewReader(out))
		require.NoError(t, err)
		var ids []string
		var rules bool
		for _, f := range r.Findings {
			ids = append(ids, f.ID)
			rules = rules || f.Rule == "GRC-P001"
		}
		require.True(t, rules, "the ruleset's rules are checked: %v", args)
		var inputs []string
		for _, in := range r.Inputs {
			inputs = append(inputs, filepath.Base(in.Name))
		}
		require.Subset(t, inputs, []string{filepath.Base(args[len(args)-1])}, "the rules file is an input of the report")
		return ids
	}
	fromCSV := findings("--rules", rulesetCSV)
	require.Equal(t, fromCSV, findings("--rules", rulesetYAML), "the same rules in YAML and CSV find the same")
	require.Equal(t, fromCSV, findings("--stream", "--rules", rulesetCSV), "streaming reads rules files too")

	dir := t.TempDir()
	data, err := os.ReadFile(rulesetCSV)
	require.NoError(t, err)
	txt := writeFile(t, dir, "ruleset.txt", string(data))
	require.Equal(t, fromCSV, findings("--rules-format", "csv", "--rules", txt), "--rules-format gives the format a name does not")
	require.Equal(t, fromCSV, findings("--rules-format", "CSV", "--stream", "--rules", txt))
}

func TestRulesFormatErrors(t *testing.T) {
	dir := t.TempDir()
	txt := writeFile(t, dir, "ruleset.txt", "risk,function,action\nR1,F1,sap:F110\n")
	badCSV := writeFile(t, dir, "bad.csv", "risk,severity,function,action\nR1,severe,F1,sap:F110\n")
	badYAML := writeFile(t, dir, "bad.yaml", "format: sodkit.bundle/v1\nsod:\n  rules:\n    - id: R1\n      sides: [{entitlements: [erp:x]}]\n      severty: high\n")
	tests := []struct {
		name   string
		args   []string
		stderr []string
		reason string
	}{
		{"unknown extension", []string{"check", "--rules", txt},
			[]string{txt + ": unknown rules format: cannot tell the format of a rules file from its name", "--rules-format"},
			"a name that does not say the format is an error, with the way out"},
		{"unknown format", []string{"check", "--rules", txt, "--rules-format", "xml"},
			[]string{`--rules-format: unknown rules format "xml" (want json, yaml or csv)`}, "only the formats sodkit reads"},
		{"format without rules", []string{"check", "--rules-format", "csv", txt},
			[]string{"--rules-format needs --rules"}, "a format for nothing is a mistake"},
		{"bad CSV", []string{"check", "--rules", badCSV},
			[]string{badCSV + `:2: rule R1: field severity: invalid value: unknown severity "severe"`, "(column 2)"},
			"CSV errors name the file, line, record, field and column"},
		{"bad YAML", []string{"check", "--rules", badYAML},
			[]string{badYAML + `:6: rule R1: field severty: unknown field "severty"`}, "YAML errors are the loader's, on the YAML's lines"},
		{"both, streaming", []string{"check", "--stream", "--rules", badCSV, "--rules", badYAML},
			[]string{badCSV + ":2:"}, "streaming reports a bad rules file too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, tt.args...)
			require.Equal(t, exitError, code, "%s\n%s", tt.reason, errOut)
			require.Empty(t, out)
			for _, s := range tt.stderr {
				require.Contains(t, errOut, s, tt.reason)
			}
		})
	}
}
