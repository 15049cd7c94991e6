package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/scan"
)

// formatSchemaCheck validates a document against a schema in the shared
// schemas directory (../shared/schemas from the project root, or
// $SODKIT_SCHEMAS) with the validator in audit/testdata. It skips when the
// schemas or the validator are missing, and fails instead when
// SODKIT_REQUIRE_SCHEMAS=1 (as in CI).
func formatSchemaCheck(t *testing.T, schema string, doc []byte) {
	t.Helper()
	unavailable := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("SODKIT_REQUIRE_SCHEMAS") == "1" {
			t.Fatalf("schema validation required (SODKIT_REQUIRE_SCHEMAS=1) but unavailable: "+format, args...)
		}
		t.Skipf("skipping schema validation: "+format+" (set SODKIT_REQUIRE_SCHEMAS=1 to make this a failure)", args...)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(root, "go.mod"))
	require.NoError(t, err, "cmd/sodkit tests run two levels below the project root")
	dir := os.Getenv("SODKIT_SCHEMAS")
	if dir == "" {
		dir = filepath.Join(root, "..", "shared", "schemas")
	}
	schemaPath := filepath.Join(dir, schema)
	if _, err := os.Stat(schemaPath); err != nil {
		unavailable("schema %s not found in %s (set SODKIT_SCHEMAS to its directory)", schema, dir)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		unavailable("python3 not found")
	}
	docPath := filepath.Join(t.TempDir(), "doc.json")
	require.NoError(t, os.WriteFile(docPath, doc, 0o600))
	out, err := exec.Command(python, filepath.Join(root, "audit", "testdata", "validate_schema.py"), schemaPath, docPath).CombinedOutput()
	if ee, ok := errors.AsType[*exec.ExitError](err); ok && ee.ExitCode() == 3 {
		unavailable("%s", strings.TrimSpace(string(out)))
	}
	require.NoError(t, err, "the document does not validate against %s:\n%s", schema, out)
}

// demoOutput runs check on the demo in format and returns its output.
func demoOutput(t *testing.T, args ...string) []byte {
	t.Helper()
	code, out, errOut := logRun(append([]string{"check", "--demo"}, args...)...)
	require.Equal(t, exitOK, code, errOut)
	return []byte(out)
}

func TestCheckFormatsOnDemo(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		format string
		check  func(t *testing.T, out []byte)
	}{
		{name: "text", reason: "the default, for people", format: "text", check: func(t *testing.T, out []byte) {
			require.Contains(t, string(out), "\nby severity: ")
			require.Contains(t, string(out), "\nby kind:\n")
		}},
		{name: "json", reason: "a report ReadReport reads back", format: "json", check: func(t *testing.T, out []byte) {
			r, err := audit.ReadReport(bytes.NewReader(out))
			require.NoError(t, err)
			require.NotEmpty(t, r.Findings)
		}},
		{name: "sarif", reason: "valid SARIF 2.1.0 with stable rule IDs and fingerprints, and a rule for every kind", format: "sarif", check: func(t *testing.T, out []byte) {
			formatSchemaCheck(t, "sarif-schema-2.1.0.json", out)
			var doc struct {
				Runs []struct {
					Tool struct {
						Driver struct {
							Rules []struct {
								ID string `json:"id"`
							} `json:"rules"`
						} `json:"driver"`
					} `json:"tool"`
					Results []struct {
						RuleID              string            `json:"ruleId"`
						PartialFingerprints map[string]string `json:"partialFingerprints"`
						Properties          map[string]any    `json:"properties"`
					} `json:"results"`
				} `json:"runs"`
			}
			require.NoError(t, json.Unmarshal(out, &doc))
			require.NotEmpty(t, doc.Runs[0].Results)
			var rules, kinds []string
			for _, r := range doc.Runs[0].Tool.Driver.Rules {
				rules = append(rules, r.ID)
			}
			for _, k := range scan.Kinds() {
				kinds = append(kinds, string(k.Kind))
			}
			require.Equal(t, kinds, rules, "the rule table lists every kind the scan could report, found or not")
			for _, r := range doc.Runs[0].Results {
				require.Contains(t, r.RuleID, ".")
				require.True(t, strings.HasPrefix(r.PartialFingerprints[audit.SARIFFingerprint], "sk-"))
				require.NotEmpty(t, r.Properties["security-severity"])
			}
		}},
		{name: "csv", reason: "one row per finding", format: "csv", check: func(t *testing.T, out []byte) {
			rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
			require.NoError(t, err)
			r, err := audit.ReadReport(bytes.NewReader(demoOutput(t, "--format", "json")))
			require.NoError(t, err)
			require.Len(t, rows, len(r.Findings)+1)
		}},
		{name: "markdown", reason: "fits a pull-request comment", format: "markdown", check: func(t *testing.T, out []byte) {
			require.True(t, strings.HasPrefix(string(out), "## sodkit report"))
			require.Less(t, len(out), audit.MarkdownLimit)
		}},
		{name: "oscal", reason: "valid OSCAL 1.1.3 assessment results", format: "oscal", check: func(t *testing.T, out []byte) {
			formatSchemaCheck(t, "oscal_complete_schema-1.1.3.json", out)
		}},
		{name: "html", reason: "one self-contained review page: every finding, in the list and in the per-owner view", format: "html", check: func(t *testing.T, out []byte) {
			page := string(out)
			require.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
			r, err := audit.ReadReport(bytes.NewReader(demoOutput(t, "--format", "json")))
			require.NoError(t, err)
			list, owners, ok := strings.Cut(page, `<div id="view-owners">`)
			require.True(t, ok)
			require.Equal(t, len(r.Findings), strings.Count(list, `<article class="finding`))
			require.Equal(t, len(r.Findings), strings.Count(owners, `<article class="finding`))
			require.NotRegexp(t, `(?i)(src|href|action)\s*=\s*"(https?:|//)`, page, "nothing is loaded from elsewhere")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := demoOutput(t, "--format", tc.format)
			tc.check(t, out)
			require.Equal(t, string(out), string(demoOutput(t, "--format", tc.format)), "a re-export is byte-identical")
		})
	}
}

func TestCheckFormatWithBaseline(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.json")
	// A baseline missing the first finding: it shows up as new.
	r, err := audit.ReadReport(bytes.NewReader(demoOutput(t, "--format", "json")))
	require.NoError(t, err)
	first := r.Findings[0]
	r.Findings = r.Findings[1:]
	var b bytes.Buffer
	require.NoError(t, r.WriteJSON(&b))
	require.NoError(t, os.WriteFile(base, b.Bytes(), 0o600))

	md := string(demoOutput(t, "--baseline", base, "--format", "markdown"))
	require.Contains(t, md, "## sodkit: changes since the baseline")
	require.Contains(t, md, "**1 new**")
	require.Contains(t, md, first.ID)

	html := demoOutput(t, "--baseline", base, "--format", "html")
	require.Equal(t, string(demoOutput(t, "--format", "html")), string(html), "the review page shows the full report")

	sarif := demoOutput(t, "--baseline", base, "--format", "sarif")
	require.Equal(t, string(demoOutput(t, "--format", "sarif")), string(sarif), "SARIF carries the full report; tools diff by fingerprint")

	code, _, errOut := logRun("check", "--demo", "--baseline", base, "--format", "csv", "--fail-on", "info")
	require.Equal(t, exitFindings, code, "the gate still counts only new and changed findings")
	require.Contains(t, errOut, "1 failing finding")
}

func TestCheckUnknownFormat(t *testing.T) {
	code, _, errOut := logRun("check", "--format", "yaml")
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, `unknown --format "yaml" (want text, json, sarif, csv, markdown, oscal or html)`)
}

func TestFormatList(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		in     []string
		want   string
	}{
		{name: "none", reason: "empty list", in: nil, want: ""},
		{name: "one", reason: "no conjunction", in: []string{"text"}, want: "text"},
		{name: "three", reason: "commas, then or", in: []string{"a", "b", "c"}, want: "a, b or c"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, formatList(tc.in), tc.reason)
	}
	var b bytes.Buffer
	require.Error(t, writeCheckOutput(&b, audit.Report{}, nil, "xml", nil))
	require.Error(t, writeDelta(&b, audit.Delta{}, "sarif"))
}
