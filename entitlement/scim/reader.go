package scim

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/internal/idfold"
	"github.com/sodkit/sodkit/internal/jsonpull"
)

// The SCIM schema URNs the reader recognises (compared case-insensitively).
const (
	listResponseURN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	userURN         = "urn:ietf:params:scim:schemas:core:2.0:User"
	groupURN        = "urn:ietf:params:scim:schemas:core:2.0:Group"
	enterpriseURN   = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

// Reader reads SCIM 2.0 ListResponse exports of Users and Groups (RFC 7643,
// RFC 7644 §3.4.2) into entitlement records. Read each file with Read —
// users and groups may come in separate files, in several pages, in any
// order — then call Import once they are all read: group membership and
// nesting are resolved across every file.
//
// A Reader holds what it has read in compact form (one entry per user,
// group and membership), never a whole file. It is not safe for concurrent
// use. The zero Reader reads with the zero Options.
type Reader struct {
	system string
	key    Key

	users    []user
	userIdx  map[string]int // SCIM id → position in users
	keyIdx   map[string]int // folded identity key → position in users (KeyUserName)
	groups   []group
	groupIdx map[string]int // SCIM id → position in groups
	notes    []importer.Note
	inputs   []audit.Input
	totals   map[string]total // resource type → the largest totalResults declared
}

// total is the largest totalResults one file of a resource type declared.
type total struct {
	n    int
	file string
}

// NewReader returns a Reader with the given options. It fails only for
// options it cannot use (see Options).
func NewReader(opts Options) (*Reader, error) {
	sys, err := opts.system()
	if err != nil {
		return nil, err
	}
	r := &Reader{system: sys, key: opts.Key}
	r.init()
	return r, nil
}

// init makes a zero Reader ready.
func (r *Reader) init() {
	if r.userIdx != nil {
		return
	}
	if r.system == "" {
		r.system = DefaultSystem
	}
	r.userIdx = map[string]int{}
	r.keyIdx = map[string]int{}
	r.groupIdx = map[string]int{}
	r.totals = map[string]total{}
}

// Read reads one ListResponse file, called name in errors and notes. It
// streams the input: one resource is held at a time.
//
// Read tolerates what identity providers are known to send and records
// each coercion as an importer.Note (see the package documentation).
// Input it cannot read is an error: malformed JSON (an
// *importer.SyntaxError, which wraps importer.ErrSyntax), a file that
// is not a ListResponse or a resource that is neither a User nor a Group
// with no way to tell (ErrFormat), a user or group without an id
// (entitlement.ErrRequired), a resource repeated with different attributes
// (entitlement.ErrDuplicate), and a member name given twice in one object
// (entitlement.ErrDuplicate): anywhere in the file, at any depth, in
// attributes the reader uses or skips, names compared as SCIM compares
// them (case-insensitively, Unicode simple folding), since which of the
// two values the provider meant cannot be told. Read reports every such
// problem, up to importer.MaxErrors, joined (importer.JoinErrors), each an
// *entitlement.RecordError naming the file, line, record and field; a
// syntax error stops the file.
//
// A file that fails adds nothing to the Reader, so the caller may fix it
// and read it again.
func (r *Reader) Read(name string, src io.Reader) error {
	r.init()
	h := audit.NewInputHasher(name)
	br := bufio.NewReader(io.TeeReader(src, h))
	f := &file{r: r, name: name, userIdx: map[string]int{}, keyIdx: map[string]int{}, groupIdx: map[string]int{}}
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		f.notes = append(f.notes, importer.Note{File: name, Line: 1, Record: f.input(), Attribute: "(file)",
			Value: "U+FEFF", Action: importer.Coerced, Detail: "byte-order mark skipped"})
	}
	f.jr = jsonpull.NewReader(br)
	f.sc = &scanner{jr: f.jr, repeated: f.repeated}
	f.readFile()
	if len(f.errs) > 0 {
		return importer.JoinErrors(name, f.errs)
	}
	if _, err := io.Copy(io.Discard, br); err != nil { // hash any trailing bytes
		return &entitlement.RecordError{File: name, Err: fmt.Errorf("reading: %w", err)}
	}
	f.commit(h.Input())
	return nil
}

// file is the reading of one input. What it adds reaches the Reader only
// when the whole file reads without error.
type file struct {
	r        *Reader
	name     string
	jr       *jsonpull.Reader
	sc       *scanner  // reads f.jr, reporting repeated member names
	cur      *resource // the resource being read, if any
	users    []user
	groups   []group
	userIdx  map[string]int // SCIM id → position in users (this file)
	keyIdx   map[string]int // folded identity key → position in users (this file)
	groupIdx map[string]int
	notes    []importer.Note
	errs     []error
	stopped  bool

	total    int
	hasTotal bool
	types    map[string]int // resources read, by type
}

func (f *file) input() audit.Subject { return audit.Subject{Type: "input", ID: f.name} }

// fail records a problem with a record.
func (f *file) fail(line int, typ, id, field string, err error) {
	f.errs = append(f.errs, &entitlement.RecordError{File: f.name, Line: line, Type: typ, ID: id, Field: field, Err: err})
	if len(f.errs) > importer.MaxErrors {
		f.stopped = true
	}
}

// syntax turns a reader error into the error that stops the file.
func (f *file) syntax(err error, typ, id string) {
	if f.stopped {
		return
	}
	f.stopped = true
	e := &entitlement.RecordError{File: f.name, Type: typ, ID: id}
	if se, ok := errors.AsType[*jsonpull.SyntaxError](err); ok {
		e.Line = se.Pos.Line
		e.Err = &importer.SyntaxError{Format: "JSON", Msg: se.Msg, Column: se.Pos.Col}
	} else {
		e.Line = f.jr.Pos().Line
		e.Err = fmt.Errorf("reading: %w", err)
	}
	f.errs = append(f.errs, e)
}

// repeated reports a member name given twice in one object: in the
// resource being read (reported once the resource is read, naming it), or
// in the ListResponse itself.
func (f *file) repeated(p repeat) {
	if f.cur != nil {
		f.cur.repeats = append(f.cur.repeats, p)
		return
	}
	f.fail(p.line, "", "", p.field, p.err())
}

// err says what is wrong with a repeated member name, in the bundle
// loader's words for the same problem.
func (p repeat) err() error {
	if p.key == p.first {
		return fmt.Errorf("%w: member %q appears twice in one object", entitlement.ErrDuplicate, p.key)
	}
	return fmt.Errorf("%w: member %q appears twice in one object (first as %q: SCIM attribute names are not case-sensitive)",
		entitlement.ErrDuplicate, p.key, p.first)
}

// errStop unwinds the reader's callbacks once the file is stopped.
var errStop = errors.New("stopped")

// readFile reads the ListResponse object.
func (f *file) readFile() {
	switch k := f.jr.Peek(); k {
	case jsonpull.Object:
	case jsonpull.EOF:
		f.fail(1, "", "", "", fmt.Errorf("%w: the file is empty", ErrFormat))
		return
	case jsonpull.Invalid:
		f.syntax(f.jr.Skip(), "", "")
		return
	default:
		f.fail(f.jr.Pos().Line, "", "", "", fmt.Errorf("%w: the file holds %s %s, not a ListResponse object", ErrFormat, article(k), k))
		return
	}
	var schemas node
	hasSchemas, hasResources := false, false
	err := f.sc.object(func(key string) error {
		switch strings.ToLower(key) {
		case "schemas":
			hasSchemas = true
			n, err := f.sc.read()
			schemas = n
			return err
		case "totalresults":
			n, err := f.sc.read()
			if err != nil {
				return err
			}
			f.totalResults(key, n)
			return nil
		case "resources":
			hasResources = true
			return f.resources(key)
		}
		return f.sc.skip() // itemsPerPage, startIndex and extensions
	})
	if err == nil {
		err = f.jr.End()
	}
	if err != nil {
		if err != errStop {
			f.syntax(err, "", "")
		}
		return
	}
	f.checkSchemas(hasSchemas, schemas, hasResources)
}

// totalResults records the file's totalResults.
func (f *file) totalResults(key string, n node) {
	if n.kind == jsonpull.Number {
		var v int
		if _, err := fmt.Sscan(n.text, &v); err == nil && v >= 0 {
			f.total, f.hasTotal = v, true
			return
		}
	}
	if n.absent() {
		return
	}
	f.notes = append(f.notes, importer.Note{File: f.name, Line: n.line, Record: f.input(), Attribute: key,
		Value: n.json(), Action: importer.Ignored, Detail: "not a count; ignored"})
}

// checkSchemas checks that the file declared itself a ListResponse.
func (f *file) checkSchemas(has bool, schemas node, hasResources bool) {
	if !has || schemas.absent() {
		if !hasResources && !f.hasTotal {
			f.fail(1, "", "", "schemas", fmt.Errorf("%w: no schemas, totalResults or Resources member (a single resource is not a ListResponse)", ErrFormat))
			return
		}
		f.notes = append(f.notes, importer.Note{File: f.name, Line: 1, Record: f.input(), Attribute: "schemas",
			Action: importer.Defaulted, Detail: "absent; read as a ListResponse since it has Resources or totalResults"})
		return
	}
	urns := stringsOf(schemas)
	for _, u := range urns {
		if strings.EqualFold(u, listResponseURN) {
			return
		}
	}
	f.fail(schemas.line, "", "", "schemas", fmt.Errorf("%w: schemas %s do not include %s", ErrFormat, schemas.jsonList(), listResponseURN))
}

// resources reads the Resources array, one resource at a time.
func (f *file) resources(key string) error {
	switch f.jr.Peek() {
	case jsonpull.Null:
		return f.jr.Null()
	case jsonpull.Array:
	default:
		line := f.jr.Pos().Line
		v, err := f.sc.read()
		if err == nil {
			f.fail(line, "", "", key, fmt.Errorf("%w: want an array of resources, found %s", ErrFormat, v.json()))
		}
		return err
	}
	return f.sc.array(func(i int) error {
		if f.stopped {
			return errStop
		}
		return f.resource(i)
	})
}

// commit adds a file that read without error to the Reader.
func (f *file) commit(in audit.Input) {
	r := f.r
	for _, u := range f.users {
		r.userIdx[u.id] = len(r.users)
		if r.key == KeyUserName {
			r.keyIdx[idfold.Case(u.userName)] = len(r.users)
		}
		r.users = append(r.users, u)
	}
	for _, g := range f.groups {
		r.groupIdx[g.id] = len(r.groups)
		r.groups = append(r.groups, g)
	}
	r.notes = append(r.notes, f.notes...)
	r.inputs = append(r.inputs, in)
	if !f.hasTotal {
		return
	}
	// Pages of one resource type add up across files: Import compares
	// their totalResults with what was read. A file of no resources, or of
	// both types, is compared with itself.
	count := 0
	for _, n := range f.types {
		count += n
	}
	if len(f.types) == 1 {
		for typ := range f.types {
			if f.total > r.totals[typ].n {
				r.totals[typ] = total{n: f.total, file: f.name}
			}
		}
	} else if f.total > count {
		r.notes = append(r.notes, importer.Note{File: f.name, Line: 1, Record: f.input(), Attribute: "totalResults",
			Value: fmt.Sprint(f.total), Action: importer.Ignored,
			Detail: fmt.Sprintf("the file holds %d resource(s): the export is incomplete, and what it lacks is not checked", count)})
	}
}

// stringsOf returns the strings of a string or an array of strings.
func stringsOf(n node) []string {
	if n.kind == jsonpull.String {
		return []string{n.text}
	}
	var out []string
	for _, e := range n.elems {
		if e.kind == jsonpull.String {
			out = append(out, e.text)
		}
	}
	return out
}

// jsonList renders a list of strings for an error.
func (n node) jsonList() string {
	var parts []string
	for _, s := range stringsOf(n) {
		parts = append(parts, fmt.Sprintf("%q", s))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func article(k jsonpull.Kind) string {
	switch k {
	case jsonpull.Array, jsonpull.Object:
		return "an"
	}
	return "a"
}
