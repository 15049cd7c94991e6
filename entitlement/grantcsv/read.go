package grantcsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
)

// ErrColumn is wrapped, inside an *entitlement.RecordError, by the error
// about a header that lacks a required column or one the mapping names,
// and a row with more cells than the header. Test with errors.Is.
//
// Read's other errors wrap ErrMapping, importer.ErrSyntax (malformed CSV,
// such as a stray quote) or the entitlement package's sentinels:
// entitlement.ErrRequired for an empty identity cell or a row with neither
// an entitlement nor a role, entitlement.ErrConflict for a row with both,
// entitlement.ErrInvalid for an unreadable time or an entitlement that is
// not system-qualified.
var ErrColumn = errors.New("column mismatch")

// Read reads a CSV grant export, called name in errors and notes: a header
// row, then one row per grant (an identity and an entitlement or a role,
// with optional dates, state, source and actors; see Mapping). It streams
// the rows, holding one at a time.
//
// Cells are read as follows. Surrounding spaces are dropped (noted for the
// columns that name records — ID, identity, target, actors, approval
// stage, scope, policy basis — where they break matching).
// Times are RFC 3339; a date alone ("2026-03-01") is the start of that day
// in UTC, except an expiry: "expires 2026-11-01" means the grant is in
// effect through that day, so a date alone there reads as the start of the
// next day (2026-11-02T00:00:00Z), when the grant stops being in effect,
// and is noted on its row and column; a time without a zone is read as UTC
// and noted. The state
// defaults to active, or to revoked when a revocation is recorded; a state
// or source value that is neither standard nor in the mapping is noted and
// read as active (the access counts) or an unknown source (never the
// pre-approved path); so is an eligible value that is not a boolean (read
// as false: standing access). An empty row is noted and skipped, as is a
// row that repeats the first row of the same identity and target
// exactly; a row with fewer cells than the
// header has the missing ones read as empty, noted. A row without an ID
// gets "<identity>/<target>", with "#2", "#3", … for later rows of the
// same pair (the next number no other row has taken).
//
// Read returns an importer.Import named name, for bundle.LoadWith to
// attach its grants to the identities a SCIM import or a bundle file
// defines (a CSV export defines no identities):
//
//   - Grants holds one entry per identity the rows name, in order of first
//     appearance; each entry's Grants are its rows' grants, in row order;
//   - Implied holds an entitlement per distinct entitlement the rows name,
//     sorted by ID, with nothing but its ID: a bundle file that defines the
//     entitlement gives it its risk and owners. Roles are not implied: a
//     row may name only a role some other input defines;
//   - Notes lists every coercion, default and omission, in input order;
//   - Origins holds the line of each grant (the first row, for an ID cell
//     repeated for one identity) and of each entitlement's first row, and
//     Inputs the file's name, size and SHA-256.
//
// Input it cannot read is an error: a mapping that fails Check, malformed
// CSV (importer.ErrSyntax), a missing required or mapped column, or a row
// with more non-empty cells than the header (ErrColumn), an empty identity
// cell, a row with no target or two, an entitlement that is not
// system-qualified, an unreadable time. Read reports every such problem,
// up to importer.MaxErrors, joined (importer.JoinErrors), each an
// *entitlement.RecordError naming the file, line, record and column (the
// header as written, and its number); a syntax error stops the file.
//
// When every problem is confined to rows — the header was read, and every
// row after it, with no syntax error and fewer than importer.MaxErrors
// problems — Read returns, with the error, the Import of the rows read
// without problems (a failed row that names a valid entitlement still
// implies it), so that a caller can check their references too and
// report every problem of the export at once, as bundle.LoadFileSet does.
// Otherwise it returns the zero Import, whose Name is empty.
func Read(name string, r io.Reader, m Mapping) (importer.Import, error) {
	if err := m.Check(); err != nil {
		return importer.Import{}, err
	}
	h := audit.NewInputHasher(name)
	br := bufio.NewReader(io.TeeReader(r, h))
	rd := &reader{name: name, m: m, im: &importer.Import{Name: name, Origins: importer.Origins{}},
		first: map[string]int{}, ents: map[string]bool{}, pairs: map[string]*pair{}, who: map[string]int{}, strs: map[string]string{}}
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		rd.fileNote("(file)", "U+FEFF", importer.Coerced, "byte-order mark skipped")
	}
	cr := csv.NewReader(br)
	if m.Delimiter != "" {
		cr.Comma, _ = utf8.DecodeRuneInString(m.Delimiter)
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rd.cr = cr
	complete := rd.read()
	if len(rd.errs) > 0 && !complete {
		return importer.Import{}, importer.JoinErrors(name, rd.errs)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return importer.Import{}, &entitlement.RecordError{File: name, Err: fmt.Errorf("reading: %w", err)}
	}
	im := rd.im
	im.Inputs = []audit.Input{h.Input()}
	for _, id := range slices.Sorted(maps.Keys(rd.ents)) {
		im.Implied.Entitlements = append(im.Implied.Entitlements, entitlement.Entitlement{ID: id})
	}
	slices.SortFunc(im.Notes, importer.Note.Compare)
	if len(rd.errs) > 0 {
		return *im, importer.JoinErrors(name, rd.errs)
	}
	return *im, nil
}

// reader is the state of one Read.
type reader struct {
	name string
	m    Mapping
	cr   *csv.Reader
	im   *importer.Import
	errs []error

	header []string
	col    [ncolumns]int // column → index in the row, or -1
	row    []string
	line   int
	pos    int // data row number, from 0

	first   map[string]int    // grant ID → the line of its first row
	ents    map[string]bool   // the entitlements the rows name
	pairs   map[string]*pair  // identity/target → its generated IDs so far
	who     map[string]int    // identity → entry in im.Grants
	parents []string          // entry in im.Grants → "identity <ID>"
	strs    map[string]string // interned IDs
}

func (rd *reader) fileNote(attribute, value string, a importer.Action, detail string) {
	rd.im.Notes = append(rd.im.Notes, importer.Note{File: rd.name, Line: 1, Record: audit.Subject{Type: "input", ID: rd.name},
		Attribute: attribute, Value: value, Action: a, Detail: detail})
}

func (rd *reader) fail(line int, typ, id, parent, field string, err error) {
	rd.errs = append(rd.errs, &entitlement.RecordError{File: rd.name, Line: line, Type: typ, ID: id, Parent: parent, Field: field, Err: err})
}

// read reads the header and every row, and reports whether it read them
// all: false after a syntax error, a header without a column it needs, or
// too many problems.
func (rd *reader) read() bool {
	hdr, err := rd.cr.Read()
	switch {
	case err == io.EOF:
		rd.fail(1, "", "", "", "", fmt.Errorf("%w: the file is empty; want a header row", ErrColumn))
		return false
	case err != nil:
		rd.syntax(err)
		return false
	}
	rd.header = slices.Clone(hdr)
	if !rd.columns() {
		return false
	}
	for len(rd.errs) <= importer.MaxErrors {
		row, err := rd.cr.Read()
		if err == io.EOF {
			return true
		}
		if err != nil {
			rd.syntax(err)
			return false
		}
		rd.row = row
		rd.line, _ = rd.cr.FieldPos(0)
		rd.record()
		rd.pos++
	}
	return false
}

// syntax reports a CSV error; it stops the file.
func (rd *reader) syntax(err error) {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		rd.fail(pe.Line, "", "", "", "", &importer.SyntaxError{Format: "CSV", Msg: pe.Err.Error(), Column: pe.Column})
		return
	}
	rd.fail(0, "", "", "", "", fmt.Errorf("reading: %w", err))
}

// columns finds each column in the header.
func (rd *reader) columns() bool {
	norm := make([]string, len(rd.header))
	for i, h := range rd.header {
		norm[i] = normalize(h)
	}
	ok := true
	for c := range ncolumns {
		rd.col[c] = -1
		h, explicit := rd.m.header(c)
		if h == none {
			continue
		}
		want := normalize(h)
		for i, n := range norm {
			if n != want {
				continue
			}
			if rd.col[c] >= 0 {
				rd.fail(1, "", "", "", rd.header[i], fmt.Errorf("%w: columns %d and %d are both headed %q (read as %s)",
					ErrColumn, rd.col[c]+1, i+1, h, columns[c].def))
				ok = false
				break
			}
			rd.col[c] = i
		}
		if rd.col[c] < 0 && explicit {
			rd.fail(1, "", "", "", h, fmt.Errorf("%w: the mapping reads %s from a column headed %q, which the header lacks%s", ErrColumn, columns[c].def, h, rd.delimiterHint()))
			ok = false
		}
	}
	// Two columns with one header that no field reads: nothing is read
	// from either, so nothing is guessed, but the export is not what it
	// seems, and the note says so.
	read := map[int]bool{}
	for _, i := range rd.col {
		read[i] = true
	}
	first := map[string]int{}
	for i, n := range norm {
		if n == "" {
			continue // blank headers (trailing delimiters) name nothing
		}
		j, dup := first[n]
		if !dup {
			first[n] = i
			continue
		}
		if !read[i] && !read[j] {
			rd.fileNote(rd.header[i], strconv.Quote(rd.header[i]), importer.Ignored,
				fmt.Sprintf("columns %d and %d are both headed %q; no field reads the header, so neither is read", j+1, i+1, rd.header[j]))
		}
	}
	if rd.col[colIdentity] < 0 && ok {
		h, _ := rd.m.header(colIdentity)
		rd.fail(1, "", "", "", h, fmt.Errorf("%w: no %q column: every row needs an identity%s", ErrColumn, h, rd.delimiterHint()))
		ok = false
	}
	if rd.col[colEntitlement] < 0 && rd.col[colRole] < 0 && ok {
		he, _ := rd.m.header(colEntitlement)
		hr, _ := rd.m.header(colRole)
		rd.fail(1, "", "", "", he, fmt.Errorf("%w: no %q or %q column: every row needs a target%s", ErrColumn, he, hr, rd.delimiterHint()))
		ok = false
	}
	return ok
}

// delimiterHint returns, for an error about a column the header lacks, a
// hint that the file is delimited by another character than the mapping
// says: when the header reads as one column holding a semicolon, a tab or
// a pipe, as the exports of spreadsheets set to many European locales
// do. It returns "" otherwise.
func (rd *reader) delimiterHint() string {
	if len(rd.header) != 1 {
		return ""
	}
	comma := string(rd.cr.Comma)
	for _, d := range []string{";", "\t", "|"} {
		if d != comma && strings.Contains(rd.header[0], d) {
			return fmt.Sprintf("; the header is one column, %q: if the file is delimited by %q, set \"delimiter\": %q in the column mapping", rd.header[0], d, d)
		}
	}
	return ""
}

// cell returns a column's cell, trimmed, and its header; "" for an absent
// column or a missing cell.
func (rd *reader) cell(c column) (string, string) {
	i := rd.col[c]
	if i < 0 || i >= len(rd.row) {
		h, _ := rd.m.header(c)
		if i >= 0 {
			h = rd.header[i]
		}
		return "", h
	}
	return strings.TrimSpace(rd.row[i]), rd.header[i]
}

// colName numbers a column for an error, from 1.
func (rd *reader) colName(c column) string { return strconv.Itoa(rd.col[c] + 1) }

// pair is what Read knows of one identity and target's generated IDs.
type pair struct {
	n     int    // the number of the last ("#n"; 1 for the bare ID)
	first [2]int // its first row's grant: entry in im.Grants, position
}

// taken reports whether a row already has the grant ID.
func (rd *reader) taken(id string) bool {
	_, ok := rd.first[id]
	return ok
}

// row is the reading of one data row.
type row struct {
	rd     *reader
	id     string // the grant's ID, once known
	parent string
	notes  []importer.Note
	bad    bool
}

func (w *row) note(c column, val string, a importer.Action, detail string) {
	_, h := w.rd.cell(c)
	w.notes = append(w.notes, importer.Note{File: w.rd.name, Line: w.rd.line, Attribute: h, Value: val, Action: a, Detail: detail})
}

func (w *row) fail(c column, err error) {
	_, h := w.rd.cell(c)
	id := w.id
	if id == "" {
		id = "#" + strconv.Itoa(w.rd.pos)
	}
	w.rd.fail(w.rd.line, "grant", id, w.parent, h, fmt.Errorf("%w (column %s)", err, w.rd.colName(c)))
	w.bad = true
}

// key reads a cell that names a record, noting surrounding spaces.
func (w *row) key(c column) string {
	i := w.rd.col[c]
	v, _ := w.rd.cell(c)
	if i >= 0 && i < len(w.rd.row) && v != w.rd.row[i] && v != "" {
		w.note(c, strconv.Quote(w.rd.row[i]), importer.Coerced, "surrounding spaces dropped")
	}
	return w.rd.intern(v)
}

// intern returns one copy of each distinct ID, so the many rows that name
// one identity or entitlement share it, and no kept string pins the
// reader's buffer for its whole row.
func (rd *reader) intern(s string) string {
	if s == "" {
		return ""
	}
	if t, ok := rd.strs[s]; ok {
		return t
	}
	s = strings.Clone(s)
	rd.strs[s] = s
	return s
}

// text returns a free-text cell, copied out of the row.
func (rd *reader) text(c column) string {
	v, _ := rd.cell(c)
	return strings.Clone(v)
}

// record reads one data row into a grant.
func (rd *reader) record() {
	blank := true
	for _, s := range rd.row {
		if strings.TrimSpace(s) != "" {
			blank = false
			break
		}
	}
	if blank {
		rd.im.Notes = append(rd.im.Notes, importer.Note{File: rd.name, Line: rd.line, Record: audit.Subject{Type: "input", ID: rd.name},
			Attribute: "(row)", Action: importer.Ignored, Detail: "an empty row; skipped"})
		return
	}
	w := &row{rd: rd}
	if n := len(rd.row); n > len(rd.header) {
		for i := len(rd.header); i < n; i++ {
			if strings.TrimSpace(rd.row[i]) != "" {
				rd.fail(rd.line, "grant", "#"+strconv.Itoa(rd.pos), "", "", fmt.Errorf("%w: %d cells, the header has %d (cell %d is %q): is a delimiter inside an unquoted value?",
					ErrColumn, n, len(rd.header), i+1, rd.row[i]))
				return
			}
		}
	} else if n < len(rd.header) {
		w.notes = append(w.notes, importer.Note{File: rd.name, Line: rd.line, Attribute: "(row)", Value: strconv.Itoa(n) + " cells",
			Action: importer.Defaulted, Detail: fmt.Sprintf("the header has %d; the missing cells read as empty", len(rd.header))})
	}

	who := w.key(colIdentity)
	if who == "" {
		w.fail(colIdentity, fmt.Errorf("%w: the identity is empty", entitlement.ErrRequired))
		return
	}
	w.parent = rd.parent(who)
	var g entitlement.Grant
	ent, role := w.key(colEntitlement), w.key(colRole)
	switch {
	case ent != "" && role != "":
		w.fail(colRole, fmt.Errorf("%w: the row names an entitlement (%q) and a role (%q); a grant targets one", entitlement.ErrConflict, ent, role))
		return
	case ent == "" && role == "":
		c := colEntitlement
		if rd.col[c] < 0 {
			c = colRole
		}
		w.fail(c, fmt.Errorf("%w: the row names no entitlement or role", entitlement.ErrRequired))
		return
	case ent != "":
		if sys := rd.m.System; sys != "" && !strings.HasPrefix(ent, sys+":") {
			ent = sys + ":" + ent
		}
		if s, n, ok := strings.Cut(ent, ":"); !ok || s == "" || n == "" {
			w.fail(colEntitlement, fmt.Errorf("%w: %q is not system-qualified (\"system:name\"); set the mapping's system", entitlement.ErrInvalid, ent))
			return
		}
		g.Entitlement = ent
	default:
		g.Role = role
	}
	_, target := g.Target()
	base := who + "/" + target
	n := 0 // for a generated ID: the number of this row of the pair
	if g.ID = w.key(colID); g.ID == "" {
		p := rd.pairs[base]
		if p != nil {
			n = p.n
		}
		n++
		g.ID = base
		if n > 1 {
			g.ID += "#" + strconv.Itoa(n)
		}
		for rd.taken(g.ID) { // by an ID cell, or by another pair's "#n"
			n++
			g.ID = base + "#" + strconv.Itoa(n)
		}
	}
	w.id = g.ID

	w.fill(&g)
	if w.bad {
		// The row is dropped, but its entitlement is one the export names:
		// implied, so that no other input's reference to it fails because
		// of this row.
		rd.imply(g.Entitlement, importer.Origin{File: rd.name, Line: rd.line})
		return
	}
	rec := audit.Subject{Type: "grant", ID: g.ID}
	if n > 1 {
		if p := rd.pairs[base]; p != nil {
			prev := rd.im.Grants[p.first[0]].Grants[p.first[1]]
			a, b := prev, g
			a.ID, b.ID = "", ""
			if reflect.DeepEqual(a, b) {
				rd.im.Notes = append(rd.im.Notes, importer.Note{File: rd.name, Line: rd.line, Record: audit.Subject{Type: "grant", ID: prev.ID},
					Attribute: "(row)", Action: importer.Ignored,
					Detail: fmt.Sprintf("repeats line %d exactly; skipped", rd.first[prev.ID])})
				return
			}
		}
	}
	for i := range w.notes {
		w.notes[i].Record = rec
	}
	rd.im.Notes = append(rd.im.Notes, w.notes...)
	e, ok := rd.who[who]
	if !ok {
		e = len(rd.im.Grants)
		rd.who[who] = e
		rd.im.Grants = append(rd.im.Grants, entitlement.Identity{ID: who})
		rd.parents = append(rd.parents, w.parent)
	}
	if n > 0 {
		if p := rd.pairs[base]; p != nil {
			p.n = n
		} else {
			rd.pairs[base] = &pair{n: n, first: [2]int{e, len(rd.im.Grants[e].Grants)}}
		}
	}
	rd.im.Grants[e].Grants = append(rd.im.Grants[e].Grants, g)
	if !rd.taken(g.ID) {
		rd.first[g.ID] = rd.line
	}
	here := importer.Origin{File: rd.name, Line: rd.line}
	rd.im.Origins.Add(importer.Record{Type: "grant", ID: g.ID, Parent: w.parent}, here)
	rd.imply(g.Entitlement, here)
}

// imply records an entitlement a row names (none for ""), where it was
// first named.
func (rd *reader) imply(ent string, here importer.Origin) {
	if ent != "" && !rd.ents[ent] {
		rd.ents[ent] = true
		rd.im.Origins.Add(importer.Record{Type: "entitlement", ID: ent}, here)
	}
}

// parent names the identity who as the parent of its grants, "identity
// who", with one copy per identity.
func (rd *reader) parent(who string) string {
	if e, ok := rd.who[who]; ok {
		return rd.parents[e]
	}
	return "identity " + who
}

// fill reads the optional columns into g.
func (w *row) fill(g *entitlement.Grant) {
	rd := w.rd
	at := func(c column) time.Time { return w.time(c) }
	g.Requested = entitlement.Event{By: w.key(colRequestedBy), At: at(colRequestedAt)}
	a := entitlement.Approval{By: w.key(colApprovedBy), At: at(colApprovedAt)}
	a.Stage = w.key(colApprovalStage)
	if a.By != "" || !a.At.IsZero() || a.Stage != "" {
		g.Approvals = []entitlement.Approval{a}
	}
	g.Provisioned = entitlement.Event{By: w.key(colProvisionedBy), At: at(colProvisionedAt)}
	g.Revoked = entitlement.Event{By: w.key(colRevokedBy), At: at(colRevokedAt)}
	g.Certified = entitlement.Event{By: w.key(colCertifiedBy), At: at(colCertifiedAt)}
	g.Start = at(colStart)
	g.Expires = at(colExpires)
	g.Scope = w.key(colScope)
	g.Ticket = rd.text(colTicket)
	reason, _ := rd.cell(colReason)
	g.Reason = rd.intern(reason) // reasons repeat: "Quarter close"
	g.PolicyBasis = w.key(colPolicyBasis)
	g.State = w.state(!g.Revoked.IsZero())
	g.Source = w.source()
	g.Eligible = w.eligible()
}

// state reads the state column.
func (w *row) state(revoked bool) entitlement.GrantState {
	v, _ := w.rd.cell(colState)
	fallback, why := entitlement.GrantActive, "read as active (the access counts)"
	if revoked {
		fallback, why = entitlement.GrantRevoked, "read as revoked, since a revocation is recorded"
	}
	if v == "" {
		if revoked {
			w.note(colState, "", importer.Defaulted, "empty; "+why)
		}
		return fallback
	}
	if name, ok := lookup(w.rd.m.States, v); ok {
		s, _ := entitlement.ParseGrantState(name) // checked by Mapping.Check
		return s
	}
	if s, err := entitlement.ParseGrantState(v); err == nil {
		return s
	}
	w.note(colState, strconv.Quote(v), importer.Defaulted, "not a grant state; "+why)
	return fallback
}

// source reads the source column.
func (w *row) source() entitlement.GrantSource {
	v, _ := w.rd.cell(colSource)
	if v == "" {
		return 0
	}
	if name, ok := lookup(w.rd.m.Sources, v); ok {
		s, _ := entitlement.ParseGrantSource(name)
		return s
	}
	if s, err := entitlement.ParseGrantSource(v); err == nil {
		return s
	}
	w.note(colSource, strconv.Quote(v), importer.Defaulted, "not a grant source; left unknown (never the pre-approved path)")
	return 0
}

// truth maps the forms of a boolean exports use.
var truth = map[string]bool{
	"true": true, "yes": true, "y": true, "1": true, "x": true,
	"false": false, "no": false, "n": false, "0": false,
}

// eligible reads the eligible column.
func (w *row) eligible() bool {
	v, _ := w.rd.cell(colEligible)
	if v == "" {
		return false
	}
	if b, ok := truth[strings.ToLower(v)]; ok {
		return b
	}
	w.note(colEligible, strconv.Quote(v), importer.Defaulted, "not a boolean; read as false (standing access)")
	return false
}

// time reads a time column: RFC 3339, a date, or (noted) a time without a
// zone, read as UTC. A date is the start of that day in UTC, except in the
// expiry column, which ends a validity: there a date includes its day, and
// reads (noted) as the start of the next day, when the grant stops being in
// effect (entitlement.Grant.InEffect).
func (w *row) time(c column) time.Time {
	v, _ := w.rd.cell(c)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		if c == colExpires {
			// "Valid to 2026-11-01" means through that day: the grant
			// stops at the end of it, not at its first instant.
			end := t.AddDate(0, 0, 1)
			w.note(c, strconv.Quote(v), importer.Coerced,
				fmt.Sprintf("a date alone: in effect through that day, so it expires at the end of the day, %s", end.Format(time.RFC3339)))
			return end
		}
		return t
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, v); err == nil {
			w.note(c, strconv.Quote(v), importer.Coerced, "no time zone; read as UTC")
			return t
		}
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999Z07:00", v); err == nil {
		w.note(c, strconv.Quote(v), importer.Coerced, "a space for the 'T'; read as RFC 3339")
		return t
	}
	w.fail(c, fmt.Errorf("%w: %q is not a time (want RFC 3339, such as 2026-01-31T09:00:00Z, or a date, such as 2026-01-31)", entitlement.ErrInvalid, v))
	return time.Time{}
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
