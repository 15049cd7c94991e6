package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// diffReports writes an old and a new report of the demo: the new one has
// one finding fewer (resolved), one more (new) and one with another
// message (changed).
func diffReports(t *testing.T) (string, string, audit.Finding) {
	t.Helper()
	dir := t.TempDir()
	r, err := audit.ReadReport(bytes.NewReader(demoOutput(t, "--format", "json")))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(r.Findings), 3)
	old := r
	old.Findings = append([]audit.Finding(nil), r.Findings[1:]...)
	cur := r
	cur.Findings = append([]audit.Finding(nil), r.Findings[:len(r.Findings)-1]...)
	cur.Findings[1].Message += " (updated)"
	write := func(name string, r audit.Report) string {
		var b bytes.Buffer
		require.NoError(t, r.WriteJSON(&b))
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b.Bytes(), 0o600))
		return p
	}
	return write("old.json", old), write("new.json", cur), r.Findings[0]
}

func TestDiffCommand(t *testing.T) {
	oldPath, newPath, added := diffReports(t)
	notReport := filepath.Join(t.TempDir(), "x.json")
	require.NoError(t, os.WriteFile(notReport, []byte(`{"format":"other"}`), 0o600))
	tests := []struct {
		name     string
		reason   string
		args     []string
		code     int
		contains string
	}{
		{name: "text", reason: "counts, then the new, changed and resolved findings",
			args: []string{"diff", oldPath, newPath}, code: exitOK, contains: "1 new, 1 resolved, 1 changed, "},
		{name: "markdown", reason: "for a pull-request comment",
			args: []string{"diff", "--format", "markdown", oldPath, newPath}, code: exitOK, contains: "**1 new**, 1 resolved, 1 changed"},
		{name: "fail-on", reason: "a new or changed failing finding at the threshold fails the gate",
			args: []string{"diff", "--fail-on", "info", oldPath, newPath}, code: exitFindings, contains: "NEW "},
		{name: "same", reason: "a report compared with itself has nothing new",
			args: []string{"diff", "--fail-on", "info", newPath, newPath}, code: exitOK, contains: "0 new, 0 resolved, 0 changed"},
		{name: "one file", reason: "two reports are needed", args: []string{"diff", oldPath}, code: exitError},
		{name: "bad format", reason: "only formats that show a delta", args: []string{"diff", "--format", "sarif", oldPath, newPath}, code: exitError},
		{name: "bad severity", reason: "--fail-on takes a severity", args: []string{"diff", "--fail-on", "urgent", oldPath, newPath}, code: exitError},
		{name: "not a report", reason: "the input must be a sodkit JSON report", args: []string{"diff", notReport, newPath}, code: exitError},
		{name: "missing file", reason: "unreadable input", args: []string{"diff", oldPath, newPath + ".gone"}, code: exitError},
		{name: "help", reason: "-h prints the usage", args: []string{"diff", "-h"}, code: exitOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := logRun(tc.args...)
			require.Equal(t, tc.code, code, "%s\n%s", tc.reason, errOut)
			require.Contains(t, out, tc.contains, tc.reason)
		})
	}

	code, out, _ := logRun("diff", "--format", "json", oldPath, newPath)
	require.Equal(t, exitOK, code)
	var d audit.Delta
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	require.Len(t, d.New, 1)
	require.Equal(t, added.ID, d.New[0].ID)
	require.Len(t, d.Resolved, 1)
	require.Len(t, d.Changed, 1)
	require.Equal(t, r1Message(t, newPath), d.Changed[0].After.Message)
	require.Contains(t, d.Changed[0].After.Message, "(updated)")
}

// r1Message returns the message of the second finding of the report at path.
func r1Message(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := audit.ReadReport(f)
	require.NoError(t, err)
	return r.Findings[1].Message
}

func TestDiffEscapesInputText(t *testing.T) {
	var h string
	require.NoError(t, json.Unmarshal([]byte(`"`+forgedJSON+`"`), &h))
	finding := func(id, kind, subject, msg string) audit.Finding {
		return audit.Finding{ID: id, Kind: audit.Kind(kind), Severity: audit.High,
			Subject: audit.Subject{Type: "identity", ID: subject}, Message: msg,
			Evidence: []audit.Evidence{{Label: "entitlement", Value: "erp:" + h}}, Remediation: "revoke" + h}
	}
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	write := func(name string, fs ...audit.Finding) string {
		var b bytes.Buffer
		require.NoError(t, audit.NewReport(at, []audit.Input{{Name: "org" + h + ".json"}}, fs).WriteJSON(&b))
		return writeFile(t, dir, name, b.String())
	}
	oldPath := write("old.json", finding("sk-kept"+h, "sod.toxic-combination"+h, "kept"+h, "before"+h),
		finding("sk-gone"+h, "k"+h, "gone"+h, h))
	newPath := write("new.json", finding("sk-kept"+h, "sod.toxic-combination"+h, "kept"+h, "after"+h),
		finding("sk-new"+h, "k"+h, "new"+h, h))

	code, out, errOut := logRun("diff", oldPath, newPath)
	require.Equal(t, exitOK, code, errOut)
	requireDisplaySafe(t, out)
	var heads []string
	for line := range strings.Lines(out) {
		if line != "\n" && !strings.HasPrefix(line, "  ") {
			heads = append(heads, line)
		}
	}
	require.Len(t, heads, 4, "the count line, then one line per new, changed and resolved finding:\n%s", out)
	require.True(t, strings.HasPrefix(heads[1], "NEW HIGH k"+forgedShown+" identity new"+forgedShown+"  sk-new"), heads[1])
	require.True(t, strings.HasPrefix(heads[2], "CHANGED (was high, open) HIGH "), heads[2])
	require.True(t, strings.HasPrefix(heads[3], "RESOLVED HIGH "), heads[3])

	code, out, errOut = logRun("diff", "--format", "markdown", oldPath, newPath)
	require.Equal(t, exitOK, code, errOut)
	requireDisplaySafe(t, out)
	rows := 0
	header := -1
	for line := range strings.Lines(out) {
		if !strings.HasPrefix(line, "|") {
			header = -1
			continue
		}
		n := unescapedPipes(line)
		if header < 0 {
			header = n
		}
		require.Equal(t, header, n, "a table row with more or fewer cells than its header: %q", line)
		rows++
	}
	require.Equal(t, 3*3, rows, "three tables (new, changed, resolved), each a header, a delimiter and one row:\n%s", out)
}

// unescapedPipes counts the pipes of a Markdown line that no backslash
// escapes (a backslash escapes the byte after it).
func unescapedPipes(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}
