package audit_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// TestCSVNeutralisesFormulas writes each value as a finding's message and
// reads the cell back as a spreadsheet importer would see it.
func TestCSVNeutralisesFormulas(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		reason string
	}{
		{"equals", "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")", "a formula"},
		{"plus", "+1+1", "'+1+1", "plus starts a formula"},
		{"minus", "-2+3", "'-2+3", "minus starts a formula"},
		{"at", "@SUM(A1)", "'@SUM(A1)", "at starts a formula (Lotus syntax)"},
		{"tab", "\t=1", "'\t=1", "a leading tab"},
		{"carriage return", "\r=1", "'=1", "a leading carriage return (which encoding/csv drops with CRLF line ends, leaving a formula)"},
		{"line feed", "\n=1+1", "'\n=1+1", "a leading line feed, which some importers strip"},
		{"nul", "\x00=1", "'\x00=1", "a leading NUL (OWASP ASVS 1.2.10)"},
		{"full-width equals", "＝1+1", "'＝1+1", "U+FF1D: converted to = in East Asian input modes"},
		{"full-width plus", "＋1", "'＋1", "U+FF0B"},
		{"full-width minus", "－1", "'－1", "U+FF0D"},
		{"full-width at", "＠SUM(A1)", "'＠SUM(A1)", "U+FF20"},
		{"leading spaces", "  =1+1", "'  =1+1", "an importer that trims spaces would see a formula"},
		{"plain", "alice can approve", "alice can approve", "ordinary text is left alone"},
		{"only spaces", "   ", "   ", "nothing to run"},
		{"inner equals", "a=b", "a=b", "only the start of a cell matters"},
		{"quote", "'=x", "'=x", "already neutral"},
		{"other full-width", "Ａ=1", "Ａ=1", "other full-width letters do not start formulas"},
		{"empty", "", "", "an empty message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := audit.NewReport(evalTime, nil, []audit.Finding{{ID: "sk-1", Kind: "k", Message: tt.in}})
			var b bytes.Buffer
			require.NoError(t, r.WriteCSV(&b))
			rows, err := csv.NewReader(&b).ReadAll()
			require.NoError(t, err)
			require.Len(t, rows, 2)
			col := -1
			for i, name := range audit.CSVColumns() {
				if name == "message" {
					col = i
				}
			}
			require.Equal(t, tt.want, rows[1][col], tt.reason)
		})
	}
}
