package audit

import (
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"time"
)

// csvHeader is the header row WriteCSV writes.
var csvHeader = []string{
	"id", "severity", "status", "kind", "rule", "subject_type", "subject_id",
	"message", "evidence", "controls", "remediation", "evaluated_at",
}

// CSVColumns returns the names of the columns WriteCSV writes, in order.
func CSVColumns() []string { return slices.Clone(csvHeader) }

// WriteCSV writes r's findings as CSV (RFC 4180, CRLF line ends, UTF-8),
// for spreadsheets: a header row (see CSVColumns), then one row per finding
// in report order. Evidence and controls are joined with " | "; evaluated_at
// repeats the report's evaluation time (RFC 3339, UTC) on every row so rows
// from several reports can be pasted together.
//
// A cell that a spreadsheet would run as a formula (one starting with =, +,
// -, @, a tab or a carriage return) is prefixed with a single quote: findings
// quote input data, and input data must never execute. The output is stable
// for equal reports. Figures are not written (a CSV holds one table); use
// another format for them.
func (r Report) WriteCSV(w io.Writer) error {
	r.Normalize()
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	at := ""
	if !r.EvaluatedAt.IsZero() {
		at = r.EvaluatedAt.UTC().Format(time.RFC3339Nano)
	}
	for _, f := range r.Findings {
		ev := make([]string, len(f.Evidence))
		for i, e := range f.Evidence {
			ev[i] = e.String()
		}
		cs := make([]string, len(f.Controls))
		for i, c := range f.Controls {
			cs[i] = c.String()
		}
		row := []string{
			f.ID, f.Severity.String(), f.Status.String(), string(f.Kind), f.Rule,
			f.Subject.Type, f.Subject.ID, f.Message, strings.Join(ev, " | "),
			strings.Join(cs, " | "), f.Remediation, at,
		}
		for i, c := range row {
			row[i] = csvSafe(c)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe neutralises a cell a spreadsheet would evaluate as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
