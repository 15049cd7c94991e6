package bundle_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/sod"
)

// rulesDir holds a ruleset as a risk team publishes it, in CSV, and the
// same rules written as a YAML bundle file.
var rulesDir = filepath.Join("testdata", "rules")

// wantRuleset is what both files of rulesDir hold.
var wantRuleset = sod.Config{
	Duties: []sod.Duty{
		{ID: "F-VEND", Name: "Vendor master maintenance", Entitlements: []string{"erp:vendor.create", "erp:vendor.update"}},
		{ID: "F-PAYREL", Name: "Payment release", Entitlements: []string{"erp:payment.release"}},
		{ID: "F-BANK", Name: "Bank approval, second signature", Entitlements: []string{"bank:payment.approve"}},
		{ID: "F-IDADM", Name: "Identity administration", Entitlements: []string{"idp:user.admin"}},
	},
	Rules: []sod.Rule{
		{ID: "GRC-P001", Title: "Maintain vendors and release payments", Severity: audit.Critical, Owner: "finance-managers",
			Sides: []sod.Side{{Duty: "F-VEND"}, {Duty: "F-PAYREL"}}},
		{ID: "GRC-P002", Title: "Release and approve bank payments", Severity: audit.Critical, Owner: "finance-managers",
			Sides: []sod.Side{{Duty: "F-PAYREL"}, {Duty: "F-BANK"}}},
		{ID: "GRC-C001", Title: "Administer identities", Severity: audit.High, Owner: "iam-governance",
			Description: "One person who can administer identities can grant themselves anything.",
			Sides:       []sod.Side{{Duty: "F-IDADM"}}},
	},
}

// loadRules loads the demo's inventory (no sod section) with one rules
// source.
func loadRules(t *testing.T, src bundle.Source) (*bundle.Bundle, error) {
	t.Helper()
	var srcs []bundle.Source
	for _, s := range demo.Sources() {
		if s.Name != demo.Prefix+"sod.json" {
			srcs = append(srcs, s)
		}
	}
	return bundle.Load(append(srcs, src)...)
}

// readRules reads a named rules text through ReadRules, by its name.
func readRules(t *testing.T, name, text string) (bundle.Source, error) {
	t.Helper()
	return bundle.ReadRules(name, strings.NewReader(text), bundle.RulesByExtension)
}

// TestReadRulesFiles loads the ruleset of rulesDir in CSV and in YAML with
// the demo's inventory: both give the same rules, each input is the file as
// written, and each record's origin is its line in that file.
func TestReadRulesFiles(t *testing.T) {
	origins := map[string]map[[2]string]int{
		"ruleset.csv": {{"rule", "GRC-P001"}: 2, {"rule", "GRC-P002"}: 5, {"rule", "GRC-C001"}: 7,
			{"duty", "F-VEND"}: 2, {"duty", "F-PAYREL"}: 4, {"duty", "F-BANK"}: 6, {"duty", "F-IDADM"}: 7},
		"ruleset.yaml": {{"rule", "GRC-P001"}: 19, {"rule", "GRC-P002"}: 24, {"rule", "GRC-C001"}: 31,
			{"duty", "F-VEND"}: 5, {"duty", "F-PAYREL"}: 8, {"duty", "F-BANK"}: 12, {"duty", "F-IDADM"}: 15},
	}
	for file, want := range origins {
		t.Run(file, func(t *testing.T) {
			path := filepath.Join(rulesDir, file)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			src, err := bundle.ReadRules(path, bytes.NewReader(data), bundle.RulesByExtension)
			require.NoError(t, err)
			b, err := loadRules(t, src)
			require.NoError(t, err)
			require.Equal(t, wantRuleset, b.SoD)

			in := b.Inputs[len(b.Inputs)-1]
			sum := sha256.Sum256(data)
			require.Equal(t, audit.Input{Name: path, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(data))}, in,
				"the input is the file as written, not the JSON made of it")
			for rec, line := range want {
				o, ok := b.Origin(rec[0], rec[1])
				require.True(t, ok, "%v", rec)
				require.Equal(t, bundle.Origin{File: path, Line: line}, o, "%v", rec)
			}
		})
	}
}

// TestReadRulesCSVShapes reads rulesets written the ways spreadsheets and
// ERP exports write them.
func TestReadRulesCSVShapes(t *testing.T) {
	want := sod.Config{
		Duties: []sod.Duty{{ID: "F1", Entitlements: []string{"sap:FK01", "sap:FK02"}}, {ID: "F2", Entitlements: []string{"sap:F110"}}},
		Rules:  []sod.Rule{{ID: "R1", Sides: []sod.Side{{Duty: "F1"}, {Duty: "F2"}}}},
	}
	tests := []struct {
		name   string
		reason string
		csv    string
	}{
		{name: "documented headers", reason: "the headers docs/sod.md lists",
			csv: "risk,function,action\nR1,F1,sap:FK01\nR1,F1,sap:FK02\nR1,F2,sap:F110\n"},
		{name: "ERP headers", reason: "Risk ID, Function ID: case, spaces and - or _ alike, and the aliases",
			csv: "Risk ID,Function-ID,ACTION,System\nR1,F1,FK01,sap\nR1,F1,FK02,sap\nR1,F2,F110,sap\n"},
		{name: "semicolons and a byte-order mark", reason: "European spreadsheets: the header's delimiter is used",
			csv: "\ufeffrisk;function;action\r\nR1;F1;sap:FK01\r\nR1;F1;sap:FK02\r\nR1;F2;sap:F110\r\n"},
		{name: "tabs", reason: "tab-separated exports", csv: "risk\tfunction\taction\nR1\tF1\tsap:FK01\nR1\tF1\tsap:FK02\nR1\tF2\tsap:F110\n"},
		{name: "repeats, blanks and other columns", reason: "a function's actions repeat under every risk; blank rows and unknown columns are skipped",
			csv: "risk,business process,function,action\nR1,P2P,F1,sap:FK01\n,,,\nR1,P2P,F1,sap:FK02\nR1,P2P,F1,sap:FK01\nR1,P2P,F2,sap:F110\n\n"},
		{name: "quoted cells and spaces", reason: "cells are trimmed", csv: "risk,function,action\n\"R1\", F1 ,\" sap:FK01\"\nR1,F1,sap:FK02\nR1,F2,sap:F110\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := readRules(t, "rules.csv", tt.csv)
			require.NoError(t, err, tt.reason)
			b, err := bundle.Load(src)
			require.NoError(t, err, tt.reason)
			require.Equal(t, want, b.SoD, tt.reason)
		})
	}
}

// TestReadRulesCSVErrors reads bad CSV rulesets: every problem is reported
// at once, naming the file, the row's line, the record and the column,
// whether ReadRules finds it or the load does.
func TestReadRulesCSVErrors(t *testing.T) {
	const head = "risk,risk_title,severity,function,function_name,action\n"
	tests := []struct {
		name   string
		reason string
		csv    string
		want   []problem
	}{
		{name: "missing columns", reason: "risk, function and action are required",
			csv:  "risk,action\nR1,sap:F110\n",
			want: []problem{{grantcsv.ErrColumn, "rules.csv", 1, "", "function"}}},
		{name: "one column twice", reason: "which cell holds the risk cannot be told",
			csv:  "risk,risk id,function,action\nR1,R2,F1,sap:F110\n",
			want: []problem{{grantcsv.ErrColumn, "rules.csv", 1, "", "risk id"}}},
		{name: "empty file", reason: "a ruleset has a header", csv: "",
			want: []problem{{grantcsv.ErrColumn, "rules.csv", 1, "", ""}}},
		{name: "empty cells", reason: "every row names a risk, a function and an action",
			csv: head + "R1,,,F1,,\n,,,F1,,sap:F110\n",
			want: []problem{
				{entitlement.ErrRequired, "rules.csv", 2, "", "action"},
				{entitlement.ErrRequired, "rules.csv", 3, "", "risk"},
			}},
		{name: "unqualified action", reason: "an action is an entitlement ID, or a system column qualifies it",
			csv:  head + "R1,,,F1,,F110\n",
			want: []problem{{entitlement.ErrInvalid, "rules.csv", 2, "duty F1", "action"}}},
		{name: "bad severity", reason: "severity is critical, high, medium, low or info",
			csv:  head + "R1,,severe,F1,,sap:F110\n",
			want: []problem{{entitlement.ErrInvalid, "rules.csv", 2, "rule R1", "severity"}}},
		{name: "conflicting risk title", reason: "one risk's rows agree on its title (or leave it empty)",
			csv:  head + "R1,Pay alone,,F1,,sap:F110\nR1,,,F2,,sap:FK01\nR1,Pay twice,,F2,,sap:FK02\n",
			want: []problem{{entitlement.ErrConflict, "rules.csv", 4, "rule R1", "risk_title"}}},
		{name: "conflicting function name", reason: "one function's rows agree on its name, across risks",
			csv:  head + "R1,,,F1,Vendors,sap:FK01\nR2,,,F1,Payments,sap:FK01\n",
			want: []problem{{entitlement.ErrConflict, "rules.csv", 3, "duty F1", "function_name"}}},
		{name: "extra cells", reason: "a delimiter inside an unquoted value shifts the columns",
			csv:  "risk,function,action\nR1,F1,sap:F110,Vendor, payments\n",
			want: []problem{{grantcsv.ErrColumn, "rules.csv", 2, "", ""}}},
		{name: "stray quote", reason: "malformed CSV stops the file",
			csv:  "risk,function,action\nR1,F1,sap:F110\nR\"2,F1,sap:F110\n",
			want: []problem{{importer.ErrSyntax, "rules.csv", 3, "", ""}}},
		{name: "invalid UTF-8", reason: "text is UTF-8", csv: "risk,function,action\nR1,F1,sap:F\xff\n",
			want: []problem{{importer.ErrSyntax, "rules.csv", 2, "", ""}}},
		{name: "too long", reason: "the load's limits apply, placed on the row",
			csv:  "risk,risk_title,function,action\nR1," + strings.Repeat("t", entitlement.MaxNameLength+1) + ",F1,sap:F110\n",
			want: []problem{{entitlement.ErrTooLong, "rules.csv", 2, "rule R1", "title"}}},
		{name: "too many functions", reason: "the load's validation applies, placed on the risk's first row",
			csv: "risk,function,action\n" + func() string {
				var b strings.Builder
				for i := range sod.MaxSides + 1 {
					b.WriteString("R1,F" + strings.Repeat("x", i) + ",sap:F110\n")
				}
				return b.String()
			}(),
			want: []problem{{entitlement.ErrInvalid, "rules.csv", 2, "rule R1", "sides"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := readRules(t, "rules.csv", tt.csv)
			if err == nil {
				_, err = bundle.Load(src)
			}
			require.Error(t, err, tt.reason)
			require.Equal(t, strs(tt.want), strs(rulesProblems(t, err)), tt.reason)
		})
	}
}

// rulesProblems is problems, with the sentinels of rules files too.
func rulesProblems(t *testing.T, err error) []problem {
	t.Helper()
	sentinels := []error{entitlement.ErrRequired, entitlement.ErrInvalid, entitlement.ErrDuplicate,
		entitlement.ErrUnknownRef, entitlement.ErrConflict, entitlement.ErrTooLong,
		bundle.ErrType, bundle.ErrUnknownField, bundle.ErrFormat, bundle.ErrRulesFormat,
		grantcsv.ErrColumn, importer.ErrSyntax}
	var out []problem
	for _, e := range entitlement.Errors(err) {
		re, ok := errors.AsType[*entitlement.RecordError](e)
		require.True(t, ok, "every error is a *entitlement.RecordError: %v", e)
		p := problem{file: re.File, line: re.Line, record: re.Record(), field: re.Field}
		for _, s := range sentinels {
			if errors.Is(e, s) && p.is == nil {
				p.is = s
			}
		}
		require.NotNil(t, p.is, "%v wraps no sentinel", e)
		require.NotContains(t, e.Error(), "\n", "one line per problem")
		out = append(out, p)
	}
	return out
}

// TestReadRulesCSVManyProblems checks that every problem of a ruleset is
// reported at once, in row order, with the column in the message.
func TestReadRulesCSVManyProblems(t *testing.T) {
	_, err := readRules(t, "rules.csv", "risk,severity,function,action\nR1,severe,F1,sap:F110\nR2,,F2,F110\n,,F3,sap:F110\n")
	require.Error(t, err)
	var lines []string
	for _, e := range entitlement.Errors(err) {
		lines = append(lines, e.Error())
	}
	require.Equal(t, []string{
		`rules.csv:2: rule R1: field severity: invalid value: unknown severity "severe" (want critical, high, medium, low or info) (column 2)`,
		`rules.csv:3: duty F2: field action: invalid value: action "F110" is not an entitlement ID ("system:name"); qualify it, or add a system column (column 4)`,
		`rules.csv:4: field risk: required: the risk is empty (column 1)`,
	}, lines)
}

// TestReadRulesYAMLErrors reads bad YAML rules files: YAML beyond the
// subset is a syntax error naming the line and column; everything else is
// what the loader reports for JSON, on the YAML file's lines.
func TestReadRulesYAMLErrors(t *testing.T) {
	const head = "format: sodkit.bundle/v1\nsod:\n  rules:\n"
	tests := []struct {
		name   string
		reason string
		yaml   string
		want   []problem
	}{
		{name: "anchor", reason: "anchors are beyond the subset",
			yaml: head + "    - id: R1\n      sides: &s [{duty: d}]\n",
			want: []problem{{importer.ErrSyntax, "rules.yaml", 5, "", ""}}},
		{name: "unknown member", reason: "strict, as JSON is, on the YAML line",
			yaml: head + "    - id: R1\n      sides: [{entitlements: [erp:x]}]\n      severty: high\n",
			want: []problem{{bundle.ErrUnknownField, "rules.yaml", 6, "rule R1", "severty"}}},
		{name: "wrong type", reason: "a plain number where a string belongs is a number",
			yaml: head + "    - id: R1\n      k: two\n      sides:\n        - roles: [r]\n",
			want: []problem{{bundle.ErrType, "rules.yaml", 5, "rule R1", "k"}}},
		{name: "repeated key", reason: "a key given twice is an error, not the last one silently",
			yaml: head + "    - id: R1\n      id: R2\n      sides: [{entitlements: [erp:x]}]\n",
			want: []problem{{entitlement.ErrDuplicate, "rules.yaml", 5, "rule R1", "id"}}},
		{name: "no format", reason: "a YAML bundle file declares its format",
			yaml: "sod:\n  rules: []\n",
			want: []problem{{bundle.ErrFormat, "rules.yaml", 1, "", ""}}},
		{name: "bad enumeration in a nested record", reason: "errors name the record and field path",
			yaml: head + "    - id: R1\n      sides:\n        - entitlements:\n            - erp:x\n      scope: planet\n",
			want: []problem{{bundle.ErrType, "rules.yaml", 8, "rule R1", "scope"}}},
		{name: "validation", reason: "validation errors are placed on the record's line",
			yaml: head + "    - id: R1\n      sides: []\n",
			want: []problem{{entitlement.ErrRequired, "rules.yaml", 4, "rule R1", "sides"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := readRules(t, "rules.yaml", tt.yaml)
			if err == nil {
				_, err = bundle.Load(src)
			}
			require.Error(t, err, tt.reason)
			require.Equal(t, strs(tt.want), strs(rulesProblems(t, err)), tt.reason)
		})
	}
}

func TestReadRulesYAMLSyntaxErrorText(t *testing.T) {
	_, err := readRules(t, "rules.yml", "format: sodkit.bundle/v1\nsod: !!map {}\n")
	require.EqualError(t, err, `rules.yml:2: malformed YAML: tags (!) are not supported (column 6)`)
}

func TestRulesFormat(t *testing.T) {
	for _, tt := range []struct {
		name string
		want bundle.RulesFormat
		ok   bool
	}{
		{"rules.json", bundle.RulesJSON, true}, {"r/RULES.YAML", bundle.RulesYAML, true}, {"a.yml", bundle.RulesYAML, true},
		{"ruleset.CSV", bundle.RulesCSV, true}, {"rules.txt", bundle.RulesByExtension, false}, {"rules", bundle.RulesByExtension, false},
	} {
		f, ok := bundle.RulesFormatOf(tt.name)
		require.Equal(t, tt.want, f, tt.name)
		require.Equal(t, tt.ok, ok, tt.name)
	}
	for _, s := range []string{"json", "YAML", "yml", "csv", ""} {
		f, err := bundle.ParseRulesFormat(s)
		require.NoError(t, err, s)
		if s != "" {
			require.Equal(t, strings.ToLower(strings.Replace(s, "yml", "yaml", 1)), strings.ToLower(f.String()))
		}
	}
	_, err := bundle.ParseRulesFormat("xml")
	require.EqualError(t, err, `unknown rules format "xml" (want json, yaml or csv)`)

	_, err = readRules(t, "rules.txt", "risk,function,action\n")
	require.ErrorIs(t, err, bundle.ErrRulesFormat, "an unknown extension is an error, not a guess")
	require.ErrorContains(t, err, "rules.txt: ")
	src, err := bundle.ReadRules("rules.txt", strings.NewReader("risk,function,action\nR1,F1,sap:F110\n"), bundle.RulesCSV)
	require.NoError(t, err, "a format given overrides the name")
	b, err := bundle.Load(src)
	require.NoError(t, err)
	require.Len(t, b.SoD.Rules, 1)
}

// TestLoadFileSetRules loads rules files by name with bundle files, and
// streams them, and checks every rules file's problems are reported at once.
func TestLoadFileSetRules(t *testing.T) {
	dir := t.TempDir()
	var bundles []string
	for _, s := range demo.Sources() {
		if s.Name == demo.Prefix+"sod.json" {
			continue
		}
		p := filepath.Join(dir, strings.TrimPrefix(s.Name, demo.Prefix))
		var buf bytes.Buffer
		_, err := buf.ReadFrom(s.Reader)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o600))
		bundles = append(bundles, p)
	}
	csvPath := filepath.Join(rulesDir, "ruleset.csv")
	yamlPath := filepath.Join(rulesDir, "ruleset.yaml")

	b, err := bundle.LoadFileSet(bundle.FileSet{Bundles: bundles, Rules: []string{csvPath}})
	require.NoError(t, err)
	require.Equal(t, wantRuleset, b.SoD)
	require.Equal(t, csvPath, b.Inputs[len(b.Inputs)-1].Name)

	// Streaming reads the rules files on each pass.
	v := &collect{}
	dirB, err := bundle.Stream(bundle.FileSet{Bundles: bundles, Rules: []string{yamlPath}}.Opener(), v)
	require.NoError(t, err)
	require.Equal(t, wantRuleset, dirB.SoD)
	require.Len(t, v.ids, len(b.Inventory.Identities))

	// A rules file whose name does not say its format.
	txt := filepath.Join(dir, "ruleset.txt")
	data, err := os.ReadFile(csvPath)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(txt, data, 0o600))
	_, err = bundle.LoadFileSet(bundle.FileSet{Bundles: bundles, Rules: []string{txt}})
	require.ErrorIs(t, err, bundle.ErrRulesFormat)
	b, err = bundle.LoadFileSet(bundle.FileSet{Bundles: bundles, Rules: []string{txt}, RulesFormat: bundle.RulesCSV})
	require.NoError(t, err)
	require.Equal(t, wantRuleset, b.SoD)

	// Every rules file's problems, together, and nothing loaded.
	badCSV := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(badCSV, []byte("risk,function\nR1,F1\n"), 0o600))
	badYAML := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(badYAML, []byte("format: sodkit.bundle/v1\nsod: *x\n"), 0o600))
	_, err = bundle.LoadFileSet(bundle.FileSet{Bundles: bundles, Rules: []string{badCSV, badYAML, filepath.Join(dir, "missing.csv")}})
	require.ErrorIs(t, err, grantcsv.ErrColumn)
	require.ErrorIs(t, err, importer.ErrSyntax)
	require.ErrorIs(t, err, os.ErrNotExist)

	// A rules format without rules files is a mistake.
	_, err = bundle.LoadFileSet(bundle.FileSet{Bundles: bundles, RulesFormat: bundle.RulesYAML})
	require.ErrorContains(t, err, "rules format but no rules file")
	_, _, err = bundle.FileSet{Rules: []string{csvPath}, CSV: []string{"grants.csv"}}.Opener()()
	require.ErrorContains(t, err, "cannot be streamed")
}

// TestRulesDocExamples loads the rules examples docs/sod.md shows: the
// CSV ruleset and its YAML twin must give the same rules.
func TestRulesDocExamples(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "sod.md"))
	require.NoError(t, err)
	block := func(marker, lang string) string {
		_, after, ok := strings.Cut(string(doc), marker)
		require.True(t, ok, "docs/sod.md has the marker %q", marker)
		_, body, ok := strings.Cut(after, "```"+lang+"\n")
		require.True(t, ok)
		text, _, ok := strings.Cut(body, "\n```")
		require.True(t, ok)
		return text + "\n"
	}
	var configs []sod.Config
	for _, ex := range []struct{ name, marker, lang string }{
		{"rules.csv", "<!-- CSV ruleset: loaded by bundle/rules_test.go -->", "csv"},
		{"rules.yaml", "<!-- YAML rules: loaded by bundle/rules_test.go -->", "yaml"},
	} {
		src, err := readRules(t, ex.name, block(ex.marker, ex.lang))
		require.NoError(t, err, ex.name)
		b, err := loadRules(t, src)
		require.NoError(t, err, ex.name)
		configs = append(configs, b.SoD)
	}
	require.Equal(t, configs[0], configs[1], "the CSV and YAML examples of docs/sod.md hold the same rules")
	require.NotEmpty(t, configs[0].Rules)
}

// FuzzReadRulesCSV reads arbitrary bytes as a CSV ruleset and loads what it
// makes. Neither ever panics; every error is an *entitlement.RecordError
// naming the file, on a line of it; a ruleset that reads makes a bundle
// file whose records all load or are reported on the CSV's lines.
func FuzzReadRulesCSV(f *testing.F) {
	seeds := []string{"risk,function,action\nR1,F1,sap:F110\nR1,F2,sap:FK01\n",
		"Risk ID;Function ID;Action;System\nR1;F1;F110;sap\n", "risk,severity,function,action\nR1,bad,F1,x\n", ""}
	if data, err := os.ReadFile(filepath.Join(rulesDir, "ruleset.csv")); err == nil {
		seeds = append(seeds, string(data))
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRules(t, "rules.csv", data) })
}

// FuzzReadRulesYAML is FuzzReadRulesCSV for YAML rules files.
func FuzzReadRulesYAML(f *testing.F) {
	seeds := []string{"format: sodkit.bundle/v1\nsod:\n  rules:\n    - id: R1\n      sides: [{entitlements: [erp:x]}]\n",
		"format: sodkit.bundle/v1\nsod: {duties: [{id: d, roles: [r]}]}\n", "a: &x 1\n", ""}
	if data, err := os.ReadFile(filepath.Join(rulesDir, "ruleset.yaml")); err == nil {
		seeds = append(seeds, string(data))
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRules(t, "rules.yaml", data) })
}

func fuzzRules(t *testing.T, name string, data []byte) {
	nlines := bytes.Count(data, []byte("\n")) + 1
	check := func(err error) {
		for _, e := range entitlement.Errors(err) {
			re, ok := errors.AsType[*entitlement.RecordError](e)
			if !ok {
				t.Fatalf("not a *entitlement.RecordError: %v", e)
			}
			if re.File != name || re.Line < 0 || re.Line > nlines {
				t.Fatalf("error not on a line of %s (%d lines): %v", name, nlines, e)
			}
		}
	}
	src, err := bundle.ReadRules(name, bytes.NewReader(data), bundle.RulesByExtension)
	if err != nil {
		check(err)
		return
	}
	b, err := bundle.Load(src)
	if err != nil {
		check(err)
		return
	}
	if in := b.Inputs[0]; in.Name != name || in.Bytes != int64(len(data)) {
		t.Fatalf("input %+v is not the file as given (%d bytes)", in, len(data))
	}
	for _, r := range b.SoD.Rules {
		if o, ok := b.Origin("rule", r.ID); r.ID != "" && (!ok || o.File != name || o.Line < 1 || o.Line > nlines) {
			t.Fatalf("rule %s: origin %+v, %v", r.ID, o, ok)
		}
	}
	if strings.HasSuffix(name, ".csv") && slices.ContainsFunc(b.SoD.Rules, func(r sod.Rule) bool { return len(r.Sides) == 0 }) {
		t.Fatalf("a rule read from CSV has no side")
	}
}

// TestRulesDocError checks the error docs/sod.md quotes is the one a
// conflicting row gets.
func TestRulesDocError(t *testing.T) {
	_, err := readRules(t, "rules.csv", "risk,risk_title,function,action\nR1,Pay alone,F1,sap:F110\nR1,,F2,sap:FK01\nR1,Pay twice,F2,sap:FK02\n")
	require.Error(t, err)
	doc, rerr := os.ReadFile(filepath.Join("..", "docs", "sod.md"))
	require.NoError(t, rerr)
	require.Contains(t, string(doc), "\n"+err.Error()+"\n")
}

// TestYAMLDemo writes the demo's files as idiomatic YAML — block style,
// plain scalars wherever YAML reads them back as the same string — and
// loads them as rules files: the bundle is the demo's, and every record
// is placed on its YAML line.
func TestYAMLDemo(t *testing.T) {
	want, err := demo.Load()
	require.NoError(t, err)
	var srcs []bundle.Source
	yamls := map[string]string{}
	for _, s := range demo.Sources() {
		var buf bytes.Buffer
		_, err := buf.ReadFrom(s.Reader)
		require.NoError(t, err)
		d := json.NewDecoder(&buf)
		d.UseNumber()
		var v any
		require.NoError(t, d.Decode(&v))
		var b strings.Builder
		writeYAML(&b, v, "")
		name := strings.TrimSuffix(s.Name, ".json") + ".yaml"
		yamls[name] = b.String()
		src, err := bundle.ReadRules(name, strings.NewReader(b.String()), bundle.RulesByExtension)
		require.NoError(t, err, "%s:\n%s", name, b.String())
		srcs = append(srcs, src)
	}
	got, err := bundle.Load(srcs...)
	require.NoError(t, err)
	require.Equal(t, want.Inventory, got.Inventory)
	require.Equal(t, want.SoD, got.SoD)
	require.Equal(t, want.RACI, got.RACI)
	require.Equal(t, want.BreakGlass, got.BreakGlass)
	require.Equal(t, want.AsOf, got.AsOf)

	o, ok := got.Origin("identity", "alice")
	require.True(t, ok)
	lines := strings.Split(yamls[o.File], "\n")
	entry := lines[o.Line-1]
	indent := len(entry) - len(strings.TrimLeft(entry, " "))
	require.True(t, strings.HasPrefix(entry[indent:], "- "), "alice's record starts on its entry's line: %q", entry)
	found := false
	for _, l := range lines[o.Line:] {
		if strings.HasPrefix(l, entry[:indent]+"- ") || len(l)-len(strings.TrimLeft(l, " ")) < indent {
			break // the next entry, or the end of the list
		}
		found = found || l == strings.Repeat(" ", indent+2)+"id: alice"
	}
	require.True(t, found, "the entry on line %d of %s is alice's", o.Line, o.File)
}

// writeYAML writes a decoded JSON value as block YAML, with members in
// sorted order (the format member among them).
func writeYAML(b *strings.Builder, v any, indent string) {
	scalar := func(v any) (string, bool) {
		switch v := v.(type) {
		case nil:
			return "null", true
		case bool, json.Number:
			return fmt.Sprint(v), true
		case string:
			if plainSafe.MatchString(v) && !strings.Contains(v, ": ") && !strings.Contains(v, " #") &&
				!slices.Contains([]string{"null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE"}, v) &&
				!numberLike.MatchString(v) {
				return v, true
			}
			return strconv.Quote(v), true
		case map[string]any:
			if len(v) == 0 {
				return "{}", true
			}
		case []any:
			if len(v) == 0 {
				return "[]", true
			}
		}
		return "", false
	}
	switch v := v.(type) {
	case map[string]any:
		for i, k := range slices.Sorted(maps.Keys(v)) {
			prefix := indent
			if i == 0 && strings.HasSuffix(indent, "- ") {
				prefix = indent // the entry's first member follows its dash
			} else if strings.HasSuffix(indent, "- ") {
				prefix = strings.Repeat(" ", len(indent))
			}
			b.WriteString(prefix + k + ":")
			if s, ok := scalar(v[k]); ok {
				b.WriteString(" " + s + "\n")
				continue
			}
			b.WriteString("\n")
			writeYAML(b, v[k], strings.Repeat(" ", len(indent))+"  ")
		}
	case []any:
		for _, e := range v {
			if s, ok := scalar(e); ok {
				b.WriteString(indent + "- " + s + "\n")
				continue
			}
			if _, isMap := e.(map[string]any); isMap {
				writeYAML(b, e, indent+"- ")
				continue
			}
			b.WriteString(indent + "-\n")
			writeYAML(b, e, indent+"  ")
		}
	}
}

var (
	plainSafe  = regexp.MustCompile(`^[A-Za-z0-9_./@(][A-Za-z0-9_./@:()+,' -]*[A-Za-z0-9_./@)']$|^[A-Za-z0-9]$`)
	numberLike = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^0[ox]`)
)
