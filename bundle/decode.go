package bundle

import (
	"errors"
	"fmt"
	"hash/maphash"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/jsonpull"
	"github.com/sodkit/sodkit/internal/suggest"
)

// Errors that loading wraps in *entitlement.RecordError, beside the
// entitlement package's validation sentinels. Test with errors.Is.
var (
	// ErrSyntax: the file is not well-formed JSON (or is truncated).
	ErrSyntax = errors.New("malformed JSON")
	// ErrType: a value has the wrong JSON type or an unparsable form.
	ErrType = errors.New("wrong type")
	// ErrUnknownField: a member the format does not define. The message
	// suggests the nearest members the format defines where it stands,
	// when one is close enough to be a typo: unknown field "privilaged"
	// (did you mean "privileged"?).
	ErrUnknownField = errors.New("unknown field")
	// ErrFormat: the file does not declare a supported format version.
	ErrFormat = errors.New("unsupported bundle format")
)

// origin is where one record was read. An identity's origin also holds
// its position in the merged list and the line of each of its grants, so
// the many grants need no origins entry of their own (see grantOrigins).
type origin struct {
	file   string
	line   int
	pos    int32   // identities only: position in Inventory.Identities
	grants []int32 // identities only: the line of each grant, in order
	// more holds, for identities only, where each grant after those of
	// grants was read, in order, each with its own file: the grants of an
	// identity an import defines (a SCIM group's grants come from another
	// export than its user), then those imports add (merger.attach).
	more []Origin
}

// loader accumulates one or more files into one bundle.
type loader struct {
	b       *Bundle
	errs    []error
	origins map[string][]origin // record key → every place it was read, in order
	failed  map[string]bool     // record key + field with a decode error
	intern  map[string]string
	dupSeen map[string]int // duplicate-ID errors placed so far, per record key
	syntax  bool           // a syntax or format error stopped some file
	nbad    int            // decoding problems recorded so far, across files

	nIdentities int // identities read so far, across files

	// For Stream: the first pass skips grants, the second reads only the
	// identities, and lastKey is the record key of the identity being
	// handed to onIdentity (its origins are origins[lastKey]).
	skipGrants, identitiesOnly bool
	lastKey                    string

	sodPolicySeen bool // a file has set the sod policy

	parallel bool // decode identities on all cores

	// For Stream: the first pass records, per source, where it found each
	// identity object (spans, when recordSpans); the second, given them as
	// knownSpans, takes each identity's bytes from there without scanning
	// them again (jsonpull.RawSpan), for as long as the input is where it
	// was.
	recordSpans bool
	spans       [][]span
	knownSpans  [][]span

	// Every byte read is fingerprinted under fpSeed (fingerprints, one per
	// source), so Stream can tell that its second pass read the same bytes
	// without hashing them with SHA-256 again (noSHA).
	fpSeed       maphash.Seed
	fingerprints []uint64
	noSHA        bool

	// For Stream's second pass: the directory's IDs, which references
	// are handed on as (see canon); nil otherwise.
	canon *canon
}

func newLoader() *loader {
	origins := map[string][]origin{}
	return &loader{
		fpSeed:  maphash.MakeSeed(),
		b:       &Bundle{origins: origins},
		origins: origins,
		failed:  map[string]bool{},
		intern:  map[string]string{},
		dupSeen: map[string]int{},
	}
}

func recordKey(typ, id, parent string) string { return typ + "\x00" + id + "\x00" + parent }

// span is where an identity object was found: its byte offset in its
// source, and its length.
type span struct {
	off int64
	n   int
}

// record is the decoding context of one record.
type record struct {
	typ    string
	id     string // set as soon as the record's ID is read
	index  int    // position in the merged list, or within the parent
	line   int
	path   []string
	errs   []*entitlement.RecordError
	kids   []*record // nested records whose parent name is known only at the end
	parent *record
}

// decoder reads one file.
type decoder struct {
	*loader
	r    *jsonpull.Reader
	file string
	rec  *record

	onIdentity func(entitlement.Identity) error // receives each identity read
	seen       []string                         // member names of the objects being read, innermost last
	names      [256]string                      // cache of interned member names
	refCache   []refSlot                        // cache of recent references (see shared)
	refMisses  int                              // misses since refCache last grew
	zones      map[int]*time.Location           // fixed zones by offset, for fastTime
	free       []*record                        // records to reuse
	slab       []entitlement.Grant              // grants are decoded into its spare capacity (see grants)
	strSlab    []byte                           // strings are copied into its spare capacity (see own)
	approvals  []entitlement.Approval           // reused while reading a grant's approvals
	activeBuf  []entitlement.Activation         // reused while reading a grant's activations

	spans         *[]span // where this file's identity objects were found (Stream's first pass); nil when not recorded
	known         []span  // where the file's next identity objects were (Stream's second pass)
	replay        *replay // the file's reader, for reading it again; nil when it cannot be
	formatChecked bool    // the file's "format" member was found and checked by an earlier reading

	// lines maps the lines of a file converted to JSON (a YAML or CSV
	// rules file; see ReadRules) to the file's own: lines[k] is the
	// original line of JSON line k+1. nil for a JSON file.
	lines []int
}

// line returns the line of the file as written of JSON line n.
func (d *decoder) line(n int) int {
	switch {
	case d.lines == nil || n < 1:
		return n
	case n <= len(d.lines):
		return d.lines[n-1]
	}
	return d.lines[len(d.lines)-1]
}

// begin opens a record context at the current position.
func (d *decoder) begin(typ string, index int) *record {
	var rec *record
	if n := len(d.free); n > 0 {
		rec, d.free = d.free[n-1], d.free[:n-1]
		*rec = record{path: rec.path[:0], errs: rec.errs[:0], kids: rec.kids[:0]}
	} else {
		rec = &record{}
	}
	rec.typ, rec.index, rec.line, rec.parent = typ, index, d.line(d.r.Pos().Line), d.rec
	d.rec = rec
	return rec
}

// release hands a finished top-level record, and the records nested in
// it, back for reuse. Their errors have been moved to the loader.
func (d *decoder) release(rec *record) {
	for _, k := range rec.kids {
		d.release(k)
	}
	clear(rec.errs)
	clear(rec.kids)
	d.free = append(d.free, rec)
}

// name returns the record's ID, or "#N" (its position) when it has none.
func (rec *record) name() string {
	if rec.typ == "" {
		return ""
	}
	if rec.id != "" {
		return rec.id
	}
	return "#" + strconv.Itoa(rec.index)
}

// end closes the record context. A nested record waits for its parent to
// end, since the parent's ID may come after it in the file.
func (d *decoder) end(rec *record) {
	d.rec = rec.parent
	for _, e := range rec.errs {
		e.ID = rec.name()
	}
	if rec.parent != nil && rec.parent.typ != "" {
		rec.parent.kids = append(rec.parent.kids, rec)
		return
	}
	d.finish(rec, "")
}

// finish records the origin and errors of a completed record and of the
// records nested in it.
func (d *decoder) finish(rec *record, parent string) {
	if rec.typ != "grant" || !strings.HasPrefix(parent, "identity ") {
		o := origin{file: d.file, line: rec.line}
		if rec.typ == "identity" && parent == "" {
			o.pos = int32(rec.index)
			o.grants = make([]int32, 0, len(rec.kids))
			for _, k := range rec.kids {
				if k.typ == "grant" {
					o.grants = append(o.grants, int32(k.line))
				}
			}
		}
		key := recordKey(rec.typ, rec.name(), parent)
		d.origins[key] = append(d.origins[key], o)
	}
	for _, e := range rec.errs {
		e.Parent = parent
		d.failed[recordKey(e.Type, e.ID, e.Parent)+"\x00"+e.Field] = true
		d.errs = append(d.errs, e)
	}
	if len(rec.kids) > 0 {
		name := rec.typ + " " + rec.name()
		for _, k := range rec.kids {
			d.finish(k, name)
		}
	}
}

func (d *decoder) fieldPath() string {
	if d.rec == nil {
		return ""
	}
	var b strings.Builder
	for _, s := range d.rec.path {
		if strings.HasPrefix(s, "[") || b.Len() == 0 {
			b.WriteString(s)
		} else {
			b.WriteByte('.')
			b.WriteString(s)
		}
	}
	return b.String()
}

// bad records a non-fatal problem at the current field.
func (d *decoder) bad(err error) {
	d.nbad++
	e := &entitlement.RecordError{File: d.file, Line: d.line(d.r.Pos().Line), Field: d.fieldPath(), Err: err}
	if d.rec == nil {
		d.errs = append(d.errs, e)
		return
	}
	e.Type = d.rec.typ
	d.rec.errs = append(d.rec.errs, e)
}

// fatal turns a reader error into the error that stops this file. With a
// nil error it stops the file once more than MaxErrors problems have been
// recorded, so a huge file full of mistakes costs neither unbounded memory
// nor time.
func (d *decoder) fatal(err error) error {
	if err == nil {
		if d.nbad <= MaxErrors {
			return nil
		}
		d.syntax = true
		return stop{&entitlement.RecordError{File: d.file, Line: d.line(d.r.Pos().Line),
			Err: fmt.Errorf("stopped reading after %d problems", MaxErrors)}}
	}
	if _, ok := err.(stop); ok || err == errReread {
		return err
	}
	d.syntax = true
	e := &entitlement.RecordError{File: d.file, Field: d.fieldPath()}
	var se *jsonpull.SyntaxError
	if errors.As(err, &se) {
		e.Line = d.line(se.Pos.Line)
		e.Err = fmt.Errorf("%w: %s (column %d)", ErrSyntax, se.Msg, se.Pos.Col)
		if d.lines != nil {
			// The column is the converted JSON's, not the file's.
			e.Err = fmt.Errorf("%w: %s", ErrSyntax, se.Msg)
		}
	} else {
		e.Line = d.line(d.r.Pos().Line)
		e.Err = fmt.Errorf("reading: %w", err)
	}
	// Name the innermost open record and its parent.
	if rec := d.rec; rec != nil {
		e.Type, e.ID = rec.typ, rec.name()
		if rec.parent != nil && rec.parent.typ != "" {
			e.Parent = rec.parent.typ + " " + rec.parent.name()
		}
	}
	return stop{e}
}

// stop carries the fatal error of one file out of nested callbacks.
type stop struct{ err *entitlement.RecordError }

func (s stop) Error() string { return s.err.Error() }

// field runs fn with name pushed on the current field path.
func (d *decoder) field(name string, fn func() error) error {
	d.rec.path = append(d.rec.path, name)
	err := fn()
	d.rec.path = d.rec.path[:len(d.rec.path)-1]
	return err
}

func (d *decoder) typeErr(want string) error {
	k := d.r.Peek()
	if k == jsonpull.Invalid || k == jsonpull.EOF {
		return d.fatal(d.r.Skip())
	}
	d.bad(fmt.Errorf("%w: want %s, found %s", ErrType, want, k))
	return d.fatal(d.r.Skip())
}

// object reads an object, rejecting repeated member names. A null is
// accepted as an absent value.
func (d *decoder) object(fn func(key string) error) error {
	switch d.r.Peek() {
	case jsonpull.Null:
		return d.fatal(d.r.Null())
	case jsonpull.Object:
	default:
		return d.typeErr("an object")
	}
	// The member names seen in this object, on a stack shared by all
	// objects being read, so checking for repeats allocates nothing.
	start := len(d.seen)
	err := d.r.ObjectBytes(func(kb []byte) error {
		if len(kb) > entitlement.MaxNameLength {
			// No member of the format is anywhere near this long: report
			// it without keeping or quoting it whole.
			d.bad(fmt.Errorf("%w: member name %w", ErrUnknownField, entitlement.CheckLength(kb, entitlement.MaxNameLength)))
			return d.fatal(d.r.Skip())
		}
		key := d.name(kb)
		for _, s := range d.seen[start:] {
			if s == key {
				return d.field(key, func() error {
					d.bad(fmt.Errorf("%w: member %q appears twice in one object", entitlement.ErrDuplicate, key))
					return d.fatal(d.r.Skip())
				})
			}
		}
		d.seen = append(d.seen, key)
		return fn(key)
	})
	d.seen = d.seen[:start]
	return d.fatal(err)
}

// name returns a member name as a string, interned: a bundle repeats a
// few dozen names millions of times.
func (d *decoder) name(b []byte) string {
	// A small direct-mapped cache answers almost every lookup without
	// hashing the whole name.
	slot := &d.names[nameSlot(b)]
	if *slot == string(b) && len(b) > 0 {
		return *slot
	}
	s, ok := d.intern[string(b)]
	if !ok {
		s = string(b)
		d.intern[s] = s
	}
	*slot = s
	return s
}

// nameSlot picks a cache slot from a name's length and end bytes.
func nameSlot(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	return (len(b)*31 + int(b[0])*7 + int(b[len(b)-1])) & (len(decoder{}.names) - 1)
}

// errUnknown is the error about member key, which the object being read
// does not define, with the nearest of the members it does define (valid).
func errUnknown(key string, valid []string) error {
	return fmt.Errorf("%w %q%s", ErrUnknownField, key, suggest.Hint(key, valid))
}

// membersHere returns the members the object being read defines: those of
// the decoder method whose switch called the function skip frames above
// membersHere's caller (0: that caller's caller), found by the method's
// name in the table TestMemberTable generates (members.go). The top level
// of a file is read by readFile, whose entry holds its own members and
// every section's. A method the table does not know gets nil: the error
// then suggests nothing, never a wrong member.
func membersHere(skip int) []string {
	var pc [1]uintptr
	if runtime.Callers(skip+3, pc[:]) == 0 {
		return nil
	}
	frame, _ := runtime.CallersFrames(pc[:]).Next()
	// "github.com/sodkit/sodkit/bundle.(*decoder).grant.func1.1" → "grant";
	// a closure of a method value is named after the value's wrapper too
	// ("….(*decoder).party-fm.(*decoder).party.func1.1").
	i := strings.LastIndex(frame.Function, ".(*decoder).")
	if i < 0 {
		return nil
	}
	method, _, _ := strings.Cut(frame.Function[i+len(".(*decoder)."):], ".")
	return members[method]
}

// array reads an array; a null is accepted as an empty one.
func (d *decoder) array(fn func(i int) error) error {
	switch d.r.Peek() {
	case jsonpull.Null:
		return d.fatal(d.r.Null())
	case jsonpull.Array:
	default:
		return d.typeErr("an array")
	}
	return d.fatal(d.r.Array(fn))
}

// elem runs fn with an index pushed on the field path.
func (d *decoder) elem(i int, fn func() error) error {
	if i < len(elemNames) {
		return d.field(elemNames[i], fn)
	}
	return d.field("["+strconv.Itoa(i)+"]", fn)
}

// elemNames are the path elements of the first indexes of an array, so
// reading the common short arrays formats no string.
var elemNames = func() (n [64]string) {
	for i := range n {
		n[i] = "[" + strconv.Itoa(i) + "]"
	}
	return n
}()

// tooLong reports a string longer than limit bytes at the current field,
// quoting only its start (see entitlement.CheckLength). The value is then
// dropped, so a 20 MB string is neither kept nor repeated in messages, and
// validation does not report the field again.
func (d *decoder) tooLong(b []byte, limit int) bool {
	if len(b) <= limit {
		return false
	}
	d.bad(entitlement.CheckLength(b, limit))
	return true
}

// strLimit returns the length limit of the string field being read, the
// one validation applies to it: names and titles are display names, the
// free-text fields are text, and everything else (IDs, codes, framework
// names) is an identifier, the strictest limit.
func (d *decoder) strLimit() int {
	field := ""
	if d.rec != nil && len(d.rec.path) > 0 {
		field = d.rec.path[len(d.rec.path)-1]
	}
	switch field {
	case "name", "title":
		return entitlement.MaxNameLength
	case "description", "reason", "ticket", "justification", "comments", "compensating_control":
		return entitlement.MaxTextLength
	}
	return entitlement.MaxIDLength
}

// str reads a string (null leaves dst unchanged). A string over the
// field's length limit (see strLimit) is reported and leaves dst unchanged.
func (d *decoder) str(dst *string) error {
	switch d.r.Peek() {
	case jsonpull.String:
		b, err := d.r.StringBytes()
		if err != nil {
			return d.fatal(err)
		}
		if !d.tooLong(b, d.strLimit()) {
			*dst = d.own(b)
		}
		return nil
	case jsonpull.Null:
		return d.fatal(d.r.Null())
	}
	return d.typeErr("a string")
}

// repeated reads a free-text string that many records repeat word for
// word (a grant's business reason, picked from a short list), sharing one
// copy among repeats as references are shared (see shared).
func (d *decoder) repeated(dst *string) error {
	if d.r.Peek() != jsonpull.String {
		return d.str(dst) // null or a type error
	}
	b, err := d.r.StringBytes()
	if err != nil {
		return d.fatal(err)
	}
	if !d.tooLong(b, d.strLimit()) {
		*dst = d.shared(b)
	}
	return nil
}

// ref reads a string that names another record, interned so repeated
// references share memory. A reference longer than
// entitlement.MaxIDLength is reported and leaves dst unchanged.
func (d *decoder) ref(dst *string) error {
	switch d.r.Peek() {
	case jsonpull.String:
		b, err := d.r.StringBytes()
		if err != nil {
			return d.fatal(err)
		}
		if !d.tooLong(b, entitlement.MaxIDLength) {
			*dst = d.shared(b)
		}
		return nil
	case jsonpull.Null:
		return d.fatal(d.r.Null())
	}
	return d.typeErr("a string")
}

// shared returns b as a string, sharing one copy among repeats of the same
// reference through a direct-mapped cache: a reference read recently and
// not evicted costs no allocation, so a bundle's millions of references
// to the same few thousand entitlements and people share their memory.
// Each slot keeps a copy of its bytes beside the string, so a lookup
// touches one cache line instead of chasing the string into the heap. It
// is lossy — an evicted or long reference is copied again — which is
// cheaper than a map of every distinct string.
func (d *decoder) shared(b []byte) string {
	if len(b) > len(refSlot{}.b) || len(b) == 0 {
		return d.copyRef(b)
	}
	if d.refMisses >= len(d.refCache) && len(d.refCache) < refSlots {
		// Grow (emptied) as the input shows it has many references: a
		// small bundle, or a fuzzer's input, should not pay for zeroing
		// 2 MiB per decoder.
		d.refCache = make([]refSlot, max(minRefSlots, min(refSlots, 8*len(d.refCache))))
		d.refMisses = 0
	}
	slot := &d.refCache[maphash.Bytes(refSeed, b)&uint64(len(d.refCache)-1)]
	if int(slot.n) == len(b) && string(slot.b[:slot.n]) == string(b) {
		return slot.s
	}
	d.refMisses++
	s := d.copyRef(b)
	slot.n = uint8(copy(slot.b[:], b))
	slot.s = s
	return s
}

// copyRef returns b as a string: the directory's own string for the same
// ID on Stream's second pass (see canon), else a copy.
func (d *decoder) copyRef(b []byte) string {
	if d.canon != nil && len(b) > 0 {
		if s, ok := d.canon.lookup(b); ok {
			return s
		}
	}
	return d.own(b)
}

// own returns a copy of b as a string. A decoder whose records are all
// kept (Load, and Stream's first pass, which keeps the directory) copies
// strings into slabs, many to an allocation, so a load of millions of
// grants does not allocate millions of small strings, and the collector
// marks a few large objects where it marked millions of small ones. A
// string kept alone keeps its slab (at most strSlabMax bytes) alive, so
// Stream's second pass, whose identities are handed on one at a time and
// whose findings may keep a grant's ID, copies each string on its own.
func (d *decoder) own(b []byte) string {
	if d.identitiesOnly || len(b) == 0 || len(b) > strSlabMax/8 {
		return string(b)
	}
	if len(d.strSlab)+len(b) > cap(d.strSlab) {
		d.strSlab = make([]byte, 0, min(strSlabMax, max(strSlabMin, 2*cap(d.strSlab))))
	}
	at := len(d.strSlab)
	d.strSlab = append(d.strSlab, b...)
	// The slab is only ever appended to: the bytes of a string handed out
	// are never written again.
	return unsafe.String(&d.strSlab[at], len(b))
}

// String slab sizes, in bytes: small first, so a small bundle allocates
// little, then twice the last up to strSlabMax.
const (
	strSlabMin = 1 << 10
	strSlabMax = 64 << 10
)

// refSlot is one entry of the reference cache: 64 bytes, one cache line.
type refSlot struct {
	n uint8
	b [47]byte
	s string
}

// refSlots is the largest size of the reference cache, per decoder, and
// minRefSlots its first size; both powers of two.
const (
	refSlots    = 1 << 15
	minRefSlots = 1 << 8
)

var refSeed = maphash.MakeSeed()

// refs reads an array of references.
func (d *decoder) refs(dst *[]string) error {
	return list(d, dst, d.ref)
}

// list reads an array, reading each element with read under its index on
// the field path and appending it to dst, problems and all, so validation
// sees the rest.
func list[T any](d *decoder, dst *[]T, read func(*T) error) error {
	return d.array(func(i int) error {
		return d.elem(i, func() error {
			var v T
			err := read(&v)
			*dst = append(*dst, v)
			return err
		})
	})
}

// listBuf is list for the lists of every grant: it reads into buf, a
// buffer the decoder reuses, and appends the elements to dst at once, so
// a list costs one allocation of its size rather than append's growth.
func listBuf[T any](d *decoder, buf *[]T, dst *[]T, read func(*T) error) error {
	b := (*buf)[:0]
	err := d.array(func(i int) error {
		return d.elem(i, func() error {
			// Read into the buffer itself: a local handed to read would
			// escape, one allocation per element.
			var zero T
			b = append(b, zero)
			return read(&b[len(b)-1])
		})
	})
	*dst = append(*dst, b...)
	clear(b) // drop references into the elements just copied
	*buf = b[:0]
	return err
}

func (d *decoder) boolean(dst *bool) error {
	switch d.r.Peek() {
	case jsonpull.Bool:
		b, err := d.r.Bool()
		*dst = b
		return d.fatal(err)
	case jsonpull.Null:
		return d.fatal(d.r.Null())
	}
	return d.typeErr("true or false")
}

// text reads a string and converts it with parse, recording a parse
// failure as a type error at the current field.
func (d *decoder) text(parse func(string) error) error {
	var s string
	if d.r.Peek() != jsonpull.String {
		return d.str(&s) // null or a type error
	}
	if err := d.str(&s); err != nil {
		return err
	}
	if err := parse(s); err != nil {
		d.bad(fmt.Errorf("%w: %v", ErrType, err))
	}
	return nil
}

// timestamp reads an RFC 3339 time with a zone; the zone is kept.
func (d *decoder) timestamp(dst *time.Time) error {
	if d.r.Peek() == jsonpull.String {
		b, err := d.r.StringBytes()
		if err != nil {
			return d.fatal(err)
		}
		if d.tooLong(b, entitlement.MaxIDLength) {
			return nil
		}
		if t, ok := d.fastTime(b); ok {
			*dst = t
			return nil
		}
		s := string(b)
		t, perr := time.Parse(time.RFC3339Nano, s)
		if perr != nil {
			d.bad(fmt.Errorf("%w: %q is not an RFC 3339 time with a zone (such as 2026-01-31T09:00:00Z)", ErrType, s))
			return nil
		}
		*dst = t
		return nil
	}
	var s string
	return d.str(&s) // null or a type error
}

// fastTime parses the common RFC 3339 forms, "2006-01-02T15:04:05Z" and
// "2006-01-02T15:04:05.999999999+07:00", without allocating; anything else
// (and anything it doubts) is left to time.Parse, which has the last word.
// Offsets become one shared fixed zone each (time.Parse would create one
// per call, or pick the machine's local zone when its offset matches); they
// print the same in RFC 3339.
func (d *decoder) fastTime(b []byte) (time.Time, bool) {
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	i, nsec := 19, 0
	if b[i] == '.' {
		j := i + 1
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		digits := j - i - 1
		if digits == 0 || digits > 9 {
			return time.Time{}, false
		}
		v, _ := num(i+1, digits)
		for range 9 - digits {
			v *= 10
		}
		nsec, i = v, j
	}
	rest := b[i:]
	var loc *time.Location
	switch {
	case len(rest) == 1 && rest[0] == 'Z':
		loc = time.UTC
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(i+1, 2)
		om, ok2 := num(i+4, 2)
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off := oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
		loc = d.zones[off]
		if loc == nil {
			loc = time.FixedZone("", off)
			d.zones[off] = loc
		}
	default:
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func (d *decoder) duration(dst *time.Duration) error {
	return d.text(func(s string) error {
		v, err := ParseDuration(s)
		*dst = v
		return err
	})
}

// enum reads a string into an enumeration through its UnmarshalText.
func (d *decoder) enum(dst interface{ UnmarshalText([]byte) error }) error {
	if d.r.Peek() != jsonpull.String {
		var s string
		return d.str(&s) // null or a type error
	}
	b, err := d.r.StringBytes()
	if err != nil {
		return d.fatal(err)
	}
	if d.tooLong(b, entitlement.MaxIDLength) {
		return nil
	}
	if err := dst.UnmarshalText(b); err != nil {
		d.bad(fmt.Errorf("%w: %v", ErrType, err))
	}
	return nil
}
