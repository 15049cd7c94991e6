package audit

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// csvHeader is the header row WriteCSV writes.
var csvHeader = []string{
	"id", "severity", "status", "kind", "rule", "subject_type", "subject_id",
	"message", "evidence", "controls", "remediation", "evaluated_at",
	"location_file", "location_line", "subject_name", "identity", "owner",
}

// CSVColumns returns the names of the columns WriteCSV writes, in order.
func CSVColumns() []string { return slices.Clone(csvHeader) }

// WriteCSV writes r's findings as CSV (RFC 4180, CRLF line ends, UTF-8),
// for spreadsheets: a header row (see CSVColumns), then one row per finding
// in report order. Evidence and controls are joined with " | "; evaluated_at
// repeats the report's evaluation time (RFC 3339, UTC) on every row so rows
// from several reports can be pasted together. location_file and
// location_line are the finding's Location, each empty when unknown;
// subject_name is the subject's name, identity the identity the finding
// is about (Finding.Identity) and owner who is accountable for acting on
// it (Finding.Owner), each empty when there is none. Columns are
// only ever added at the end, so the columns of earlier releases keep their
// positions.
//
// A cell that a spreadsheet could run as a formula is prefixed with a single
// quote: findings quote input data, and input data must never execute. That
// is a cell starting, after any leading spaces, with =, +, - or @, their
// full-width forms ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20), a tab, a
// carriage return, a line feed or NUL. Cells are otherwise written as they
// are (CSV quoting carries line breaks and control characters). The output
// is stable for equal reports. Figures are not written (a CSV holds one table); use
// another format for them.
func (r Report) WriteCSV(w io.Writer) error {
	r = r.ordered()
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
		line := ""
		if !f.Location.IsZero() && f.Location.Line > 0 {
			line = strconv.Itoa(f.Location.Line)
		}
		row := []string{
			f.ID, f.Severity.String(), f.Status.String(), string(f.Kind), f.Rule,
			f.Subject.Type, f.Subject.ID, f.Message, strings.Join(ev, " | "),
			strings.Join(cs, " | "), f.Remediation, at, f.Location.File, line,
			f.Subject.Name, f.Identity, f.Owner,
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

// csvSafe neutralises a cell a spreadsheet could evaluate as a formula (see
// WriteCSV) by prefixing a single quote. Other cells are returned as they
// are, without allocating.
func csvSafe(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n', 0:
		return "'" + s
	}
	switch r, _ := utf8.DecodeRuneInString(t); r {
	case '＝', '＋', '－', '＠':
		return "'" + s
	}
	return s
}
