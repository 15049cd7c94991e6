package audit_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// mdCells counts the cells of a Markdown table row: the pipes that no
// backslash escapes, less one. A backslash escapes the byte after it, so
// "\\|" is an escaped backslash and then a cell boundary.
func mdCells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

// requireTablesIntact checks that every row of every table in a Markdown
// document has as many cells as its header, and returns the number of
// body rows (past the delimiter row) of each table, in order.
func requireTablesIntact(t *testing.T, md string) []int {
	t.Helper()
	var bodies []int
	header := -1
	for line := range strings.Lines(md) {
		line = strings.TrimSuffix(line, "\n")
		if !strings.HasPrefix(line, "|") {
			header = -1
			continue
		}
		switch {
		case header < 0:
			header = mdCells(line)
			bodies = append(bodies, -1) // the delimiter row comes next
		case mdCells(line) != header:
			t.Fatalf("row has %d cells, its header %d: %q\n%s", mdCells(line), header, line, md)
		default:
			bodies[len(bodies)-1]++
		}
	}
	return bodies
}

func TestWriteMarkdownEscapesInputText(t *testing.T) {
	r := hostileReport()
	var b bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&b))
	out := b.String()
	requireDisplaySafe(t, out)
	tables := requireTablesIntact(t, out)
	// The tables: by severity, by kind, the share, the series, findings.
	require.Equal(t, []int{len(audit.Severities()), 3, 1, 1, len(r.Findings)}, tables, out)
	require.Equal(t, len(r.Findings), strings.Count(out, "\n#### "), "one details heading per finding")
	require.Contains(t, out, `malloryx\\x1b\[2J\\r\\nCRITICAL`, "the forged text is shown, escaped for Markdown")
	require.Contains(t, out, `\\u202eevil\\x00\\u009b\\u2028\|`+"\\`\\*\\\\xff", "pipes, backticks and stars are escaped too")
	require.NotContains(t, out, "`sk-x", "an ID with a backtick or pipe is not put in a code span")
}

func TestDeltaWriteMarkdownEscapesInputText(t *testing.T) {
	r := hostileReport()
	earlier := hostileReport()
	earlier.Findings = earlier.Findings[:1]
	earlier.Findings[0].Severity = audit.High
	earlier.Findings = append(earlier.Findings, audit.Finding{ID: "sk-gone" + forged, Kind: audit.Kind(forged),
		Subject: audit.Subject{Type: forged, ID: forged}})
	var b bytes.Buffer
	require.NoError(t, r.Diff(earlier).WriteMarkdown(&b))
	out := b.String()
	requireDisplaySafe(t, out)
	// New (2), changed (1), resolved (1).
	require.Equal(t, []int{2, 1, 1}, requireTablesIntact(t, out), out)
}

func TestMarkdownCode(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		want   string
		reason string
	}{
		{"plain", "sk-0123", "`sk-0123`", "an ordinary ID is a code span"},
		{"control", "sk-\x1b[2J", "`sk-\\x1b[2J`", "a code span shows the escape literally"},
		{"pipe", "sk-a|b", `sk-a\|b`, "a pipe in a code span is unreliable in a table: escaped text instead"},
		{"backslash pipe", `sk-a\|b`, `sk-a\\\|b`, `"\|" in a code span would end the cell in some renderers`},
		{"backtick", "sk-`x`", "sk-\\`x\\`", "a backtick would end the code span"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := audit.NewReport(evalTime, nil, []audit.Finding{{ID: tt.id, Kind: "k", Subject: audit.Subject{Type: "t", ID: "s"}}})
			var b bytes.Buffer
			require.NoError(t, r.WriteMarkdown(&b))
			require.Contains(t, b.String(), "| `k` | t s |  | "+tt.want+" |\n", tt.reason)
			requireTablesIntact(t, b.String())
		})
	}
}
