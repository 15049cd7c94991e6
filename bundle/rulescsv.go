package bundle

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
)

// This file reads SoD rulesets from CSV, the shape ERP rulesets are
// published in: one row per risk, function and action. A risk is a rule,
// each of its functions one side; a function is a duty, the set of its
// actions (entitlements). docs/sod.md documents the columns.

// ruleColumn is a column of a CSV ruleset.
type ruleColumn int

const (
	colRisk ruleColumn = iota
	colRiskTitle
	colRiskDescription
	colSeverity
	colRiskOwner
	colFunction
	colFunctionName
	colFunctionDescription
	colAction
	colSystem
	nRuleColumns
)

// ruleHeaders are the headers each column may have, normalized (see
// headerKey); the first is the documented one.
var ruleHeaders = [nRuleColumns][]string{
	colRisk:                {"risk", "risk_id"},
	colRiskTitle:           {"risk_title"},
	colRiskDescription:     {"risk_description"},
	colSeverity:            {"severity", "risk_level"},
	colRiskOwner:           {"risk_owner"},
	colFunction:            {"function", "function_id"},
	colFunctionName:        {"function_name"},
	colFunctionDescription: {"function_description"},
	colAction:              {"action"},
	colSystem:              {"system"},
}

// headerKey normalizes a header as entitlement/grantcsv matches its
// headers: case and surrounding spaces ignored, space, '-' and '_' alike.
func headerKey(h string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, strings.ToLower(strings.TrimSpace(h)))
}

// csvRisk is a risk read so far: a rule.
type csvRisk struct {
	line     int // its first row
	cells    [nRuleColumns]csvCell
	funcs    []string       // its functions, in order of first row
	funcLine map[string]int // function → first row of the pair
}

// csvFunction is a function read so far: a duty.
type csvFunction struct {
	line       int
	cells      [nRuleColumns]csvCell
	actions    []string
	actionLine map[string]int
}

// csvCell is a value every row of one risk or function must agree on,
// and the row that first gave it.
type csvCell struct {
	value string
	line  int
}

// ruleset is the state of reading one CSV ruleset.
type ruleset struct {
	name   string
	header []string
	col    [nRuleColumns]int // column → index in the row, or -1
	errs   []error

	risks     map[string]*csvRisk
	riskOrder []string
	funcs     map[string]*csvFunction
	funcOrder []string
}

// rulesCSV reads a CSV ruleset called name and returns the bundle file it
// makes, with the CSV line of each of its lines.
func rulesCSV(name string, data []byte) ([]byte, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line := 1
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			if data[i] == '\n' {
				line++
			}
			i += size
		}
		return nil, nil, &entitlement.RecordError{File: name, Line: line, Err: &importer.SyntaxError{Format: "CSV", Msg: "invalid UTF-8"}}
	}
	rs := &ruleset{name: name, risks: map[string]*csvRisk{}, funcs: map[string]*csvFunction{}}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffDelimiter(data)
	cr.FieldsPerRecord = -1
	hdr, err := cr.Read()
	switch {
	case err == io.EOF:
		return nil, nil, &entitlement.RecordError{File: name, Line: 1, Err: fmt.Errorf("%w: the file is empty; want a header row", grantcsv.ErrColumn)}
	case err != nil:
		return nil, nil, rs.syntax(err)
	}
	headerLine, _ := cr.FieldPos(0)
	rs.header = hdr
	if !rs.columns(headerLine) {
		return nil, nil, importer.JoinErrors(name, rs.errs)
	}
	for len(rs.errs) <= importer.MaxErrors {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			rs.errs = append(rs.errs, rs.syntax(err))
			break
		}
		line, _ := cr.FieldPos(0)
		rs.row(row, line)
	}
	if len(rs.errs) > 0 {
		return nil, nil, importer.JoinErrors(name, rs.errs)
	}
	js, lines := rs.bundle(headerLine)
	return js, lines, nil
}

// sniffDelimiter returns the delimiter of the header row: the one of ',',
// ';' and tab it holds most of outside quotes, and ',' on a tie.
func sniffDelimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	counts := map[byte]int{}
	quoted := false
	for _, c := range first {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

// syntax turns a CSV reader's error into the error that stops the file.
func (rs *ruleset) syntax(err error) error {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return &entitlement.RecordError{File: rs.name, Line: pe.Line, Err: &importer.SyntaxError{Format: "CSV", Msg: pe.Err.Error(), Column: pe.Column}}
	}
	return &entitlement.RecordError{File: rs.name, Err: fmt.Errorf("reading: %w", err)}
}

// columns finds each column in the header, reporting a header two
// columns match and a missing required column.
func (rs *ruleset) columns(line int) bool {
	for c := range rs.col {
		rs.col[c] = -1
	}
	ok := true
	for i, h := range rs.header {
		key := headerKey(h)
		for c, names := range ruleHeaders {
			for _, n := range names {
				if key != n {
					continue
				}
				if j := rs.col[c]; j >= 0 {
					rs.errs = append(rs.errs, &entitlement.RecordError{File: rs.name, Line: line, Field: h, Err: fmt.Errorf(
						"%w: columns %d (%q) and %d (%q) are both read as %s", grantcsv.ErrColumn, j+1, rs.header[j], i+1, h, ruleHeaders[c][0])})
					ok = false
				}
				rs.col[c] = i
			}
		}
	}
	for _, c := range []ruleColumn{colRisk, colFunction, colAction} {
		if rs.col[c] < 0 {
			rs.errs = append(rs.errs, &entitlement.RecordError{File: rs.name, Line: line, Field: ruleHeaders[c][0], Err: fmt.Errorf(
				"%w: no %q column (want the columns risk, function and action; see docs/sod.md)", grantcsv.ErrColumn, ruleHeaders[c][0])})
			ok = false
		}
	}
	return ok
}

// cell returns a column's cell on a row, trimmed; "" when the column or
// the cell is absent.
func (rs *ruleset) cell(row []string, c ruleColumn) string {
	if i := rs.col[c]; i >= 0 && i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}

// fail records a problem of a row's cell.
func (rs *ruleset) fail(line int, typ, id string, c ruleColumn, err error) {
	field := ruleHeaders[c][0]
	if i := rs.col[c]; i >= 0 {
		field = rs.header[i]
		err = fmt.Errorf("%w (column %d)", err, i+1)
	}
	rs.errs = append(rs.errs, &entitlement.RecordError{File: rs.name, Line: line, Type: typ, ID: id, Field: field, Err: err})
}

// row reads one data row.
func (rs *ruleset) row(row []string, line int) {
	blank := true
	for _, s := range row {
		if strings.TrimSpace(s) != "" {
			blank = false
			break
		}
	}
	if blank {
		return // a spreadsheet's empty row
	}
	for i := len(rs.header); i < len(row); i++ {
		if strings.TrimSpace(row[i]) != "" {
			rs.errs = append(rs.errs, &entitlement.RecordError{File: rs.name, Line: line, Err: fmt.Errorf(
				"%w: %d cells, the header has %d (cell %d is %q): is a delimiter inside an unquoted value?", grantcsv.ErrColumn, len(row), len(rs.header), i+1, row[i])})
			return
		}
	}
	risk, fn, action := rs.cell(row, colRisk), rs.cell(row, colFunction), rs.cell(row, colAction)
	bad := false
	for _, req := range []struct {
		c ruleColumn
		v string
	}{{colRisk, risk}, {colFunction, fn}, {colAction, action}} {
		if req.v == "" {
			rs.fail(line, "", "", req.c, fmt.Errorf("%w: the %s is empty", entitlement.ErrRequired, ruleHeaders[req.c][0]))
			bad = true
		}
	}
	if bad {
		return
	}
	if sys := rs.cell(row, colSystem); sys != "" && !strings.HasPrefix(action, sys+":") {
		action = sys + ":" + action
	}
	if s, n, ok := strings.Cut(action, ":"); !ok || s == "" || n == "" {
		rs.fail(line, "duty", fn, colAction, fmt.Errorf("%w: action %q is not an entitlement ID (\"system:name\"); qualify it, or add a system column", entitlement.ErrInvalid, action))
		return
	}
	sev := rs.cell(row, colSeverity)
	if sev != "" {
		s, err := audit.ParseSeverity(sev)
		if err != nil {
			rs.fail(line, "rule", risk, colSeverity, fmt.Errorf("%w: %v", entitlement.ErrInvalid, err))
			return
		}
		sev = s.String()
	}

	r := rs.risks[risk]
	if r == nil {
		r = &csvRisk{line: line, funcLine: map[string]int{}}
		rs.risks[risk] = r
		rs.riskOrder = append(rs.riskOrder, risk)
	}
	f := rs.funcs[fn]
	if f == nil {
		f = &csvFunction{line: line, actionLine: map[string]int{}}
		rs.funcs[fn] = f
		rs.funcOrder = append(rs.funcOrder, fn)
	}
	for _, c := range []ruleColumn{colRiskTitle, colRiskDescription, colSeverity, colRiskOwner} {
		v := rs.cell(row, c)
		if c == colSeverity {
			v = sev
		}
		rs.agree(&r.cells[c], v, line, "rule", risk, c)
	}
	for _, c := range []ruleColumn{colFunctionName, colFunctionDescription} {
		rs.agree(&f.cells[c], rs.cell(row, c), line, "duty", fn, c)
	}
	if _, ok := r.funcLine[fn]; !ok {
		r.funcLine[fn] = line
		r.funcs = append(r.funcs, fn)
	}
	if _, ok := f.actionLine[action]; !ok {
		f.actionLine[action] = line
		f.actions = append(f.actions, action)
	}
}

// agree records the value of a cell every row of one risk or function
// shares: an empty cell says nothing, and a value other than the one an
// earlier row gave is an error naming that row.
func (rs *ruleset) agree(dst *csvCell, v string, line int, typ, id string, c ruleColumn) {
	switch {
	case v == "":
	case dst.value == "":
		*dst = csvCell{value: v, line: line}
	case dst.value != v:
		rs.fail(line, typ, id, c, fmt.Errorf("%w: %q here, but line %d gives %q", entitlement.ErrConflict, v, dst.line, dst.value))
	}
}

// bundle writes the ruleset as a bundle file with an "sod" section, one
// record or list element a line, and returns it with the CSV line of each
// of its lines: a duty's and a rule's their first row, an entitlement's
// and a side's the first row that names it.
func (rs *ruleset) bundle(headerLine int) ([]byte, []int) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	var lines []int
	next := func(line int) {
		if len(lines) > 0 {
			w.WriteByte('\n')
		}
		lines = append(lines, line)
	}
	str := func(s string) {
		b, _ := json.Marshal(s)
		w.Write(b)
	}
	member := func(key, v string) {
		if v != "" {
			w.WriteString(", " + strconv.Quote(key) + ": ")
			str(v)
		}
	}
	next(headerLine)
	fmt.Fprintf(w, `{"format": %q, "sod": {"duties": [`, Format)
	for i, id := range rs.funcOrder {
		f := rs.funcs[id]
		next(f.line)
		w.WriteString(`{"id": `)
		str(id)
		member("name", f.cells[colFunctionName].value)
		member("description", f.cells[colFunctionDescription].value)
		w.WriteString(`, "entitlements": [`)
		for j, a := range f.actions {
			next(f.actionLine[a])
			str(a)
			if j < len(f.actions)-1 {
				w.WriteByte(',')
			}
		}
		w.WriteString("]}")
		if i < len(rs.funcOrder)-1 {
			w.WriteByte(',')
		}
	}
	w.WriteString(`], "rules": [`)
	for i, id := range rs.riskOrder {
		r := rs.risks[id]
		next(r.line)
		w.WriteString(`{"id": `)
		str(id)
		member("title", r.cells[colRiskTitle].value)
		member("description", r.cells[colRiskDescription].value)
		member("severity", r.cells[colSeverity].value)
		member("owner", r.cells[colRiskOwner].value)
		w.WriteString(`, "sides": [`)
		for j, fn := range r.funcs {
			next(r.funcLine[fn])
			w.WriteString(`{"duty": `)
			str(fn)
			w.WriteByte('}')
			if j < len(r.funcs)-1 {
				w.WriteByte(',')
			}
		}
		w.WriteString("]}")
		if i < len(rs.riskOrder)-1 {
			w.WriteByte(',')
		}
	}
	w.WriteString("]}}")
	w.Flush()
	return buf.Bytes(), lines
}
