package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

var (
	groupHeader  = regexp.MustCompile(`(?m)^== (.+?): \d+ findings? \(`)
	firstFinding = regexp.MustCompile(`(?m)^(?:CRITICAL|HIGH|MEDIUM|LOW|INFO) .*  (sk-[0-9a-f]+)$`)
)

// demoReport is the demo's report, read back from check's JSON.
func demoReport(t *testing.T) audit.Report {
	t.Helper()
	code, out, errOut := cli(wallA, "check", "--demo", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	r, err := audit.ReadReport(strings.NewReader(out))
	require.NoError(t, err)
	return r
}

// TestCheckTextView runs check's text report with each --group-by and
// --min-severity: what is listed and how it is grouped changes, the
// summary and the exit code do not.
func TestCheckTextView(t *testing.T) {
	r := demoReport(t)
	atLeastHigh := 0
	for _, f := range r.Findings {
		if f.Severity.AtLeast(audit.High) {
			atLeastHigh++
		}
	}
	tests := []struct {
		name      string
		reason    string
		args      []string
		firstHead string // the first group's header title, "" for no groups
		listed    int
	}{
		{"default", "grouped by owner, the most severe owner first", nil, "owner fiona", len(r.Findings)},
		{"by owner", "as the default", []string{"--group-by", "owner"}, "owner fiona", len(r.Findings)},
		{"by identity", "of the groups with critical findings, the largest first: the findings about no single identity", []string{"--group-by", "identity"}, "not about one identity", len(r.Findings)},
		{"by kind", "the largest kind with critical findings first, with its title", []string{"--group-by=kind"}, "kind sod.duty-conflict (Duty conflict)", len(r.Findings)},
		{"upper case", "names parse in any case", []string{"--group-by", "KIND"}, "kind sod.duty-conflict (Duty conflict)", len(r.Findings)},
		{"none", "report order, no groups", []string{"--group-by", "none"}, "", len(r.Findings)},
		{"high and above", "only what is high or worse is listed", []string{"--min-severity", "high"}, "owner fiona", atLeastHigh},
		{"critical, by kind", "the options combine", []string{"--group-by", "kind", "--min-severity", "critical"}, "kind sod.duty-conflict (Duty conflict)", 11},
		{"info", "the least severity lists everything", []string{"--min-severity", "info"}, "owner fiona", len(r.Findings)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, append([]string{"check", "--demo"}, tt.args...)...)
			require.Equal(t, exitOK, code, errOut)
			require.Len(t, findingLine.FindAllString(out, -1), tt.listed, tt.reason)
			heads := groupHeader.FindAllStringSubmatch(out, -1)
			if tt.firstHead == "" {
				require.Empty(t, heads, tt.reason)
				first := firstFinding.FindStringSubmatch(out)
				require.NotNil(t, first)
				require.Equal(t, r.Findings[0].ID, first[1], "the first finding listed is the report's first: %s", tt.reason)
			} else {
				require.NotEmpty(t, heads, tt.reason)
				require.Equal(t, tt.firstHead, heads[0][1], tt.reason)
			}
			require.Contains(t, out, "\n141 findings (11 critical, 71 high, 54 medium, 5 low)", "the summary counts every finding: %s", tt.reason)
			if hidden := len(r.Findings) - tt.listed; hidden > 0 {
				require.Regexp(t, `\nnot listed below: `+strconv.Itoa(hidden)+` findings below \w+ \(counted above\)\n`, out, tt.reason)
			} else {
				require.NotContains(t, out, "not listed", tt.reason)
			}
		})
	}

	// --min-severity hides; it never changes what fails.
	code, _, _ := cli(wallA, "check", "--demo", "--min-severity", "critical", "--fail-on", "high")
	require.Equal(t, exitFindings, code, "findings not listed still fail the run")
}

// TestCheckTextViewErrors: a bad value, or a text-report flag where it
// has no effect, is a usage error that names the flag.
func TestCheckTextViewErrors(t *testing.T) {
	_, full, _ := cli(wallA, "check", "--demo", "--format", "json")
	baseline := writeFile(t, t.TempDir(), "baseline.json", full)
	tests := []struct {
		name   string
		reason string
		args   []string
		want   string
	}{
		{"unknown grouping", "the value is quoted, with the choices", []string{"--group-by", "team"}, `--group-by: unknown grouping "team" (want none, owner, identity or kind)`},
		{"unknown severity", "as --fail-on says it", []string{"--min-severity", "urgent"}, `--min-severity: unknown severity "urgent"`},
		{"group json", "JSON carries every finding; grouping it would be ignored", []string{"--format", "json", "--group-by", "kind"}, "--group-by shapes the text report only, not --format json"},
		{"filter sarif", "so does SARIF", []string{"--format", "sarif", "--min-severity", "high"}, "--min-severity shapes the text report only, not --format sarif"},
		{"filter html", "the page filters in the browser", []string{"--format", "html", "--min-severity", "high"}, "--min-severity shapes the text report only, not --format html"},
		{"with a baseline", "the delta is not grouped", []string{"--baseline", baseline, "--group-by", "kind"}, "--group-by shapes the full text report, not the delta --baseline prints"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, append([]string{"check", "--demo"}, tt.args...)...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out, tt.reason)
			require.Contains(t, errOut, "sodkit check: "+tt.want, tt.reason)
		})
	}
}
