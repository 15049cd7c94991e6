package ref

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

// Error is one problem of a world: where it is and what is wrong. Load
// fills File and Line; Write, which reads no file, fills Record.
type Error struct {
	File   string // the file, as named to Load
	Line   int    // the line, from 1; 0 when not known
	Record string // the record, such as "rule R00001", where known
	Field  string // the field
	Err    error  // what is wrong, wrapping ErrSyntax, ErrUnknown, ErrDuplicate, ErrCycle or ErrUnsupported
}

// Error returns "file:line: record: field: problem", leaving out what is
// not known.
func (e *Error) Error() string {
	var b []byte
	if e.File != "" {
		b = append(b, e.File...)
		if e.Line > 0 {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(e.Line), 10)
		}
		b = append(b, ": "...)
	}
	if e.Record != "" {
		b = append(b, e.Record...)
		b = append(b, ": "...)
	}
	if e.Field != "" {
		b = append(b, e.Field...)
		b = append(b, ": "...)
	}
	return string(append(b, e.Err.Error()...))
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// The problems Load reports, each wrapped in an *Error. Test with
// errors.Is.
var (
	ErrSyntax    = errors.New("malformed")              // a line or field that does not follow the format
	ErrUnknown   = errors.New("unknown reference")      // a reference to an entitlement or role the file does not define
	ErrDuplicate = errors.New("duplicate ID")           // an ID defined twice within its kind
	ErrCycle     = errors.New("role inheritance cycle") // a role that inherits itself, directly or not
)

// MaxErrors bounds how many problems Load reports; past it, Load stops.
const MaxErrors = 100

// MaxSides bounds the sides of one rule, as sod.MaxSides does.
const MaxSides = 64

// World is a loaded world: the catalogue and rules, and every identity
// with its active grants, all interned to dense integers. The zero World
// holds nothing. A World is immutable once loaded and safe for concurrent
// use.
type World struct {
	size int64 // bytes parsed

	ents  []string // entitlement k → ID
	roles []string // role r → ID; as a target, nEnts + r
	// Per role: direct entitlements and inherited (junior) roles.
	roleEnts    [][]uint32
	roleJuniors [][]uint32
	order       []uint32 // roles, every junior before its seniors
	rules       []rule

	names    string   // identity IDs, concatenated
	nameOff  []uint32 // identity i's ID is names[nameOff[i]:nameOff[i+1]]
	idGrants []uint32 // identity i's grants are grants[idGrants[i]:idGrants[i+1]]
	grants   []grant
	jit      []span     // activations of just-in-time grant j: acts[jit[j].lo:jit[j].hi]
	acts     []interval // activations
}

// rule is a rule: its sides as target lists.
type rule struct {
	id      string
	need    int
	dynamic bool
	sides   [][]uint32
}

// grant is an active grant: its target and the window [from, until) in
// which it is in effect.
type grant struct {
	from, until int64
	target      uint32 // entitlement k, or role r as nEnts + r
	jit         uint32 // 0: standing; else 1 + the grant's index in World.jit
}

// span is a range of World.acts.
type span struct{ lo, hi uint32 }

// interval is an activation [start, end).
type interval struct{ start, end int64 }

// Identities returns the number of identities.
func (w *World) Identities() int { return len(w.idGrants) - 1 }

// IdentityID returns the ID of identity i (0 ≤ i < Identities, in file
// order).
func (w *World) IdentityID(i int) string { return w.names[w.nameOff[i]:w.nameOff[i+1]] }

// Grants returns the number of active grants kept (grants in any other
// state are checked and dropped).
func (w *World) Grants() int { return len(w.grants) }

// Size returns the number of bytes Load parsed.
func (w *World) Size() int64 { return w.size }

// LoadFile reads the file at path and loads it (see Load), naming it path
// in errors.
func LoadFile(path string) (*World, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data)
}

// Load parses a world in the reference format (see the package
// documentation), naming it name in errors. It parses the identities on
// all cores (GOMAXPROCS). It reports every problem it finds, up to
// MaxErrors, joined, each an *Error naming the file, line and field; then
// it returns no World. The World keeps no reference to data.
func Load(name string, data []byte) (*World, error) {
	l := &loader{name: name, data: data, w: &World{size: int64(len(data))}}
	rest := l.catalogue()
	if len(l.errs) < MaxErrors {
		l.identities(rest)
	}
	if len(l.errs) == 0 {
		l.duplicates()
	}
	if len(l.errs) > 0 {
		return nil, l.err()
	}
	return l.w, nil
}

// loader holds the state of one Load.
type loader struct {
	name string
	data []byte
	w    *World
	errs []posErr

	entIdx  map[string]uint32
	roleIdx map[string]uint32 // role ID → role index (not target)
}

// posErr is a problem at a byte offset of the data; err turns it into an
// *Error with the line.
type posErr struct {
	off    int
	record string
	field  string
	err    error
}

func (l *loader) fail(off int, record, field string, err error) {
	if len(l.errs) < MaxErrors {
		l.errs = append(l.errs, posErr{off, record, field, err})
	}
}

func (l *loader) err() error {
	errs := make([]error, 0, len(l.errs)+1)
	line, at := 1, 0 // the line at byte offset at; offsets come in order except for late checks
	for _, p := range l.errs {
		if p.off < at {
			line, at = 1, 0
		}
		line += bytes.Count(l.data[at:p.off], []byte{'\n'})
		at = p.off
		errs = append(errs, &Error{File: l.name, Line: line, Record: p.record, Field: p.field, Err: p.err})
	}
	if len(l.errs) >= MaxErrors {
		errs = append(errs, &Error{File: l.name, Err: fmt.Errorf("%w: more than %d problems; stopped", ErrSyntax, MaxErrors)})
	}
	return errors.Join(errs...)
}

// line is a cursor over the tab-separated fields of one line.
type line struct {
	rest []byte
	done bool
}

// next returns the next field, and false when the line has no more.
func (f *line) next() ([]byte, bool) {
	if f.done {
		return nil, false
	}
	for i, c := range f.rest {
		if c == '\t' {
			v := f.rest[:i]
			f.rest = f.rest[i+1:]
			return v, true
		}
	}
	f.done = true
	return f.rest, true
}

// end reports whether every field has been read.
func (f *line) end() bool { return f.done }

// parseInt parses a decimal int64, with an optional minus sign.
func parseInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	switch {
	case !neg && u <= math.MaxInt64:
		return int64(u), true
	case neg && u <= 1<<63:
		return int64(-u), true
	}
	return 0, false
}

// parseCount parses a count from 0 to max.
func parseCount(b []byte, max int) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n <= max
}

// parseTime parses a time field: Unix nanoseconds, or "-" for open, which
// is open.
func parseTime(b []byte, open int64) (int64, bool) {
	if len(b) == 1 && b[0] == '-' {
		return open, true
	}
	return parseInt(b)
}

var errFields = fmt.Errorf("%w: wrong number of fields", ErrSyntax)

// Sections, in the order they must come.
const (
	secEnts = iota
	secRoles
	secRules
)

// catalogue parses the header, the entitlements, roles and rules, and
// returns the offset where the identities start.
func (l *loader) catalogue() int {
	data := l.data
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		nl = len(data)
	}
	if string(data[:nl]) != Header {
		l.fail(0, "", "header", fmt.Errorf("%w: the first line is not %q", ErrSyntax, Header))
		return len(data)
	}
	w := l.w
	l.entIdx = map[string]uint32{}
	l.roleIdx = map[string]uint32{}
	type pendingRole struct {
		off     int
		juniors [][]byte
	}
	var pending []pendingRole
	ruleIDs := map[string]struct{}{}
	// cur is the rule whose sides are being read: the last of w.rules,
	// which does not move until the next rule is appended.
	var cur *rule
	curOff, wantSides := 0, 0
	sec := secEnts
	pos := nl + 1
	endRule := func() {
		if cur != nil && len(cur.sides) < wantSides {
			l.fail(curOff, "rule "+cur.id, "sides", fmt.Errorf("%w: %d sides declared, %d follow", ErrSyntax, wantSides, len(cur.sides)))
		}
		cur = nil
	}
	for pos < len(data) && len(l.errs) < MaxErrors {
		off := pos
		end := bytes.IndexByte(data[pos:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += pos
		}
		pos = end + 1
		f := line{rest: data[off:end]}
		kind, _ := f.next()
		if string(kind) == "i" {
			endRule()
			pos = off
			break
		}
		s := sectionOf(kind)
		switch {
		case s < 0:
			l.fail(off, "", "kind", fmt.Errorf("%w: unknown line kind %q", ErrSyntax, kind))
			continue
		case s < sec:
			l.fail(off, "", "kind", fmt.Errorf("%w: %q line after a later section", ErrSyntax, kind))
			continue
		}
		sec = s
		switch string(kind) {
		case "e":
			id, _ := f.next()
			if len(id) == 0 || !f.end() {
				l.fail(off, "entitlement", "id", errFields)
				continue
			}
			if _, dup := l.entIdx[string(id)]; dup {
				l.fail(off, "entitlement "+string(id), "id", ErrDuplicate)
				continue
			}
			l.entIdx[string(id)] = uint32(len(w.ents))
			w.ents = append(w.ents, string(id))
		case "r":
			id, _ := f.next()
			if len(id) == 0 {
				l.fail(off, "role", "id", errFields)
				continue
			}
			rec := "role " + string(id)
			ents, ok := l.refs(&f, off, rec, "entitlements", l.entIdx, 0)
			if !ok {
				continue
			}
			n, ok := l.count(&f, off, rec, "inherits")
			if !ok {
				continue
			}
			juniors := make([][]byte, 0, min(n, 1024))
			for ; ok && n > 0; n-- {
				j, more := f.next()
				ok = more && len(j) > 0
				juniors = append(juniors, j)
			}
			if !ok || !f.end() {
				l.fail(off, rec, "inherits", errFields)
				continue
			}
			if _, dup := l.roleIdx[string(id)]; dup {
				l.fail(off, rec, "id", ErrDuplicate)
				continue
			}
			l.roleIdx[string(id)] = uint32(len(w.roles))
			w.roles = append(w.roles, string(id))
			w.roleEnts = append(w.roleEnts, ents)
			pending = append(pending, pendingRole{off, juniors})
		case "k":
			endRule()
			id, _ := f.next()
			needB, _ := f.next()
			kindB, _ := f.next()
			sidesB, ok := f.next()
			rec := "rule " + string(id)
			if len(id) == 0 || !ok || !f.end() {
				l.fail(off, rec, "", errFields)
				continue
			}
			sides, ok := parseCount(sidesB, MaxSides)
			if !ok || sides == 0 {
				l.fail(off, rec, "sides", fmt.Errorf("%w: %q sides (want 1 to %d)", ErrSyntax, sidesB, MaxSides))
				continue
			}
			need, ok := parseCount(needB, sides)
			if !ok || need == 0 {
				l.fail(off, rec, "need", fmt.Errorf("%w: need %q (want 1 to %d)", ErrSyntax, needB, sides))
				continue
			}
			var dynamic bool
			switch string(kindB) {
			case "static":
			case "dynamic":
				dynamic = true
			default:
				l.fail(off, rec, "kind", fmt.Errorf("%w: %q (want static or dynamic)", ErrSyntax, kindB))
				continue
			}
			if _, dup := ruleIDs[string(id)]; dup {
				l.fail(off, rec, "id", ErrDuplicate)
			}
			ruleIDs[string(id)] = struct{}{}
			w.rules = append(w.rules, rule{id: string(id), need: need, dynamic: dynamic})
			cur, curOff, wantSides = &w.rules[len(w.rules)-1], off, sides
		case "s":
			if cur == nil || len(cur.sides) == wantSides {
				l.fail(off, "", "kind", fmt.Errorf("%w: a side with no rule before it that lacks one", ErrSyntax))
				continue
			}
			rec := "rule " + cur.id
			ents, ok := l.refs(&f, off, rec, "entitlements", l.entIdx, 0)
			if !ok {
				continue
			}
			roles, ok := l.refs(&f, off, rec, "roles", l.roleIdx, uint32(len(w.ents)))
			if !ok {
				continue
			}
			if !f.end() {
				l.fail(off, rec, "roles", errFields)
				continue
			}
			cur.sides = append(cur.sides, append(ents, roles...))
		}
	}
	if pos >= len(data) {
		endRule()
		pos = len(data)
	}
	w.roleJuniors = make([][]uint32, len(w.roles))
	for r, p := range pending {
		for _, j := range p.juniors {
			k, ok := l.roleIdx[string(j)]
			if !ok {
				l.fail(p.off, "role "+w.roles[r], "inherits", fmt.Errorf("%w: role %q", ErrUnknown, j))
				continue
			}
			w.roleJuniors[r] = append(w.roleJuniors[r], k)
		}
	}
	if len(l.errs) == 0 {
		l.orderRoles(func(r int) int { return pending[r].off })
	}
	return pos
}

// count reads a list length, and reports a missing or malformed one.
func (l *loader) count(f *line, off int, rec, field string) (int, bool) {
	b, ok := f.next()
	if !ok {
		l.fail(off, rec, field, errFields)
		return 0, false
	}
	n, ok := parseCount(b, math.MaxInt32)
	if !ok {
		l.fail(off, rec, field, fmt.Errorf("%w: count %q", ErrSyntax, b))
	}
	return n, ok
}

// sectionOf returns the section of a catalogue line kind, or -1.
func sectionOf(kind []byte) int {
	switch string(kind) {
	case "e":
		return secEnts
	case "r":
		return secRoles
	case "k", "s":
		return secRules
	}
	return -1
}

// refs reads a list of references and resolves them in idx, adding base.
func (l *loader) refs(f *line, off int, rec, field string, idx map[string]uint32, base uint32) ([]uint32, bool) {
	n, ok := l.count(f, off, rec, field)
	if !ok {
		return nil, false
	}
	out := make([]uint32, 0, min(n, 1024))
	for range n {
		b, ok := f.next()
		if !ok || len(b) == 0 {
			l.fail(off, rec, field, errFields)
			return nil, false
		}
		k, ok := idx[string(b)]
		if !ok {
			l.fail(off, rec, field, fmt.Errorf("%w: %q", ErrUnknown, b))
			return nil, false
		}
		out = append(out, base+k)
	}
	return out, true
}

// orderRoles orders the roles juniors first, and reports every role on
// a cycle.
func (l *loader) orderRoles(offOf func(int) int) {
	w := l.w
	const (
		unseen = iota
		open
		done
	)
	state := make([]uint8, len(w.roles))
	w.order = make([]uint32, 0, len(w.roles))
	type frame struct {
		r    uint32
		next int
	}
	var stack []frame
	for root := range w.roles {
		if state[root] != unseen {
			continue
		}
		stack = append(stack[:0], frame{uint32(root), 0})
		state[root] = open
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if js := w.roleJuniors[top.r]; top.next < len(js) {
				j := js[top.next]
				top.next++
				switch state[j] {
				case unseen:
					state[j] = open
					stack = append(stack, frame{j, 0})
				case open:
					l.fail(offOf(int(top.r)), "role "+w.roles[top.r], "inherits",
						fmt.Errorf("%w: through role %q", ErrCycle, w.roles[j]))
				}
				continue
			}
			state[top.r] = done
			w.order = append(w.order, top.r)
			stack = stack[:len(stack)-1]
		}
	}
}

// A part is the identities of one chunk of the data, parsed on their own.
type part struct {
	lo, hi int // the chunk's bytes
	names  []byte
	nameAt []uint32 // per identity: end of its ID in names
	first  []uint32 // per identity: its first grant in grants
	grants []grant
	jit    []span
	acts   []interval
	errs   []posErr
	// Where the part's records go in the World.
	idBase, grantBase, jitBase, actBase, nameBase int
}

// identities parses the identities section from offset start on all
// cores, then places each part's records into the World.
func (l *loader) identities(start int) {
	data := l.data
	workers := runtime.GOMAXPROCS(0)
	n := min(workers*4, max(1, (len(data)-start)/(256<<10)))
	var parts []*part
	lo := start
	for k := 1; k <= n && lo < len(data); k++ {
		hi := len(data)
		if k < n {
			at := start + (len(data)-start)*k/n
			if at <= lo {
				continue
			}
			i := bytes.Index(data[at-1:], []byte("\ni\t"))
			if i >= 0 {
				hi = at + i
			}
		}
		parts = append(parts, &part{lo: lo, hi: hi})
		lo = hi
	}
	run := func(fn func(p *part)) {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(workers, len(parts)) {
			wg.Go(func() {
				for {
					k := int(next.Add(1)) - 1
					if k >= len(parts) {
						return
					}
					fn(parts[k])
				}
			})
		}
		wg.Wait()
	}
	run(l.parse)
	var ids, grants, jits, acts, names int
	for _, p := range parts {
		l.errs = append(l.errs, p.errs...)
		p.idBase, p.grantBase, p.jitBase, p.actBase, p.nameBase = ids, grants, jits, acts, names
		ids += len(p.first)
		grants += len(p.grants)
		jits += len(p.jit)
		acts += len(p.acts)
		names += len(p.names)
	}
	if len(l.errs) > MaxErrors {
		l.errs = l.errs[:MaxErrors]
	}
	if len(l.errs) > 0 {
		return
	}
	if grants > math.MaxUint32 || names > math.MaxUint32 || acts > math.MaxUint32 {
		l.fail(start, "", "", fmt.Errorf("%w: more than 2^32 grants or bytes of identity IDs", ErrSyntax))
		return
	}
	w := l.w
	w.nameOff = make([]uint32, ids+1)
	w.idGrants = make([]uint32, ids+1)
	w.grants = make([]grant, grants)
	w.jit = make([]span, jits)
	w.acts = make([]interval, acts)
	nameBuf := make([]byte, names)
	run(func(p *part) {
		copy(nameBuf[p.nameBase:], p.names)
		for j := range p.first {
			w.nameOff[p.idBase+j+1] = uint32(p.nameBase) + p.nameAt[j]
			w.idGrants[p.idBase+j] = uint32(p.grantBase) + p.first[j]
		}
		gs := w.grants[p.grantBase : p.grantBase+len(p.grants)]
		copy(gs, p.grants)
		if p.jitBase > 0 {
			for i := range gs {
				if gs[i].jit != 0 {
					gs[i].jit += uint32(p.jitBase)
				}
			}
		}
		for i, s := range p.jit {
			w.jit[p.jitBase+i] = span{s.lo + uint32(p.actBase), s.hi + uint32(p.actBase)}
		}
		copy(w.acts[p.actBase:], p.acts)
		*p = part{} // let the part's memory go
	})
	w.idGrants[ids] = uint32(grants)
	w.names = string(nameBuf)
}

// parse parses the identity lines of one part.
func (l *loader) parse(p *part) {
	data := l.data[p.lo:p.hi]
	nGrants := bytes.Count(data, []byte("\ng\t"))
	nIDs := bytes.Count(data, []byte("\ni\t")) + 1
	p.grants = make([]grant, 0, nGrants)
	p.first = make([]uint32, 0, nIDs)
	p.nameAt = make([]uint32, 0, nIDs)
	p.names = make([]byte, 0, nIDs*12)
	nEnts := uint32(len(l.w.ents))
	fail := func(off int, rec, field string, err error) {
		if len(p.errs) < MaxErrors {
			p.errs = append(p.errs, posErr{p.lo + off, rec, field, err})
		}
	}
	for pos := 0; pos < len(data) && len(p.errs) < MaxErrors; {
		off := pos
		end := bytes.IndexByte(data[pos:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += pos
		}
		pos = end + 1
		b := data[off:end]
		if len(b) < 2 || b[1] != '\t' {
			fail(off, "", "kind", fmt.Errorf("%w: no line kind", ErrSyntax))
			continue
		}
		switch b[0] {
		case 'i':
			id := b[2:]
			if len(id) == 0 || bytes.IndexByte(id, '\t') >= 0 {
				fail(off, "identity", "id", errFields)
				continue
			}
			p.names = append(p.names, id...)
			p.nameAt = append(p.nameAt, uint32(len(p.names)))
			p.first = append(p.first, uint32(len(p.grants)))
		case 'g':
			if len(p.first) == 0 {
				fail(off, "", "kind", fmt.Errorf("%w: a grant before any identity", ErrSyntax))
				continue
			}
			g, acts, active, err := l.grant(b[2:], nEnts, p.acts)
			if err != nil {
				fail(off, "identity "+string(p.names[p.nameStart():]), err.field, err.err)
				continue
			}
			if !active {
				continue // validated; never in effect
			}
			if g.jit != 0 {
				p.jit = append(p.jit, span{uint32(len(p.acts)), uint32(len(acts))})
				g.jit = uint32(len(p.jit))
				p.acts = acts
			}
			p.grants = append(p.grants, g)
		default:
			fail(off, "", "kind", fmt.Errorf("%w: %q line in the identities section", ErrSyntax, b[0]))
		}
	}
}

// nameStart returns where the last identity's ID starts in names.
func (p *part) nameStart() int {
	if len(p.nameAt) < 2 {
		return 0
	}
	return int(p.nameAt[len(p.nameAt)-2])
}

type fieldErr struct {
	field string
	err   error
}

// grant parses the fields of a grant line after its kind, appending its
// activations to acts. A just-in-time grant comes back with jit set to 1
// (its span is placed by the caller).
func (l *loader) grant(b []byte, nEnts uint32, acts []interval) (grant, []interval, bool, *fieldErr) {
	f := line{rest: b}
	var g grant
	typ, _ := f.next()
	target, ok := f.next()
	if !ok || len(target) == 0 {
		return g, acts, false, &fieldErr{"target", errFields}
	}
	switch string(typ) {
	case "e":
		k, ok := l.entIdx[string(target)]
		if !ok {
			return g, acts, false, &fieldErr{"target", fmt.Errorf("%w: entitlement %q", ErrUnknown, target)}
		}
		g.target = k
	case "r":
		k, ok := l.roleIdx[string(target)]
		if !ok {
			return g, acts, false, &fieldErr{"target", fmt.Errorf("%w: role %q", ErrUnknown, target)}
		}
		g.target = nEnts + k
	default:
		return g, acts, false, &fieldErr{"target", fmt.Errorf("%w: target type %q (want e or r)", ErrSyntax, typ)}
	}
	state, _ := f.next()
	if len(state) != 1 || bytes.IndexByte([]byte("aqprx"), state[0]) < 0 {
		return g, acts, false, &fieldErr{"state", fmt.Errorf("%w: state %q (want a, q, p, r or x)", ErrSyntax, state)}
	}
	var jit bool
	switch elig, _ := f.next(); string(elig) {
	case "standing":
	case "jit":
		jit = true
	default:
		return g, acts, false, &fieldErr{"eligibility", fmt.Errorf("%w: %q (want standing or jit)", ErrSyntax, elig)}
	}
	from, ok1 := f.next()
	until, ok2 := f.next()
	if !ok1 || !ok2 {
		return g, acts, false, &fieldErr{"window", errFields}
	}
	if g.from, ok1 = parseTime(from, math.MinInt64); !ok1 {
		return g, acts, false, &fieldErr{"from", fmt.Errorf("%w: time %q", ErrSyntax, from)}
	}
	if g.until, ok2 = parseTime(until, math.MaxInt64); !ok2 {
		return g, acts, false, &fieldErr{"until", fmt.Errorf("%w: time %q", ErrSyntax, until)}
	}
	nb, ok := f.next()
	if !ok {
		return g, acts, false, &fieldErr{"activations", errFields}
	}
	n, ok := parseCount(nb, 1<<20)
	if !ok || (!jit && n > 0) {
		return g, acts, false, &fieldErr{"activations", fmt.Errorf("%w: count %q (a standing grant has none)", ErrSyntax, nb)}
	}
	mark := len(acts)
	for range n {
		s, ok1 := f.next()
		e, ok2 := f.next()
		if !ok1 || !ok2 {
			return g, acts[:mark], false, &fieldErr{"activations", errFields}
		}
		start, ok1 := parseInt(s)
		end, ok2 := parseTime(e, math.MaxInt64)
		if !ok1 || !ok2 {
			return g, acts[:mark], false, &fieldErr{"activations", fmt.Errorf("%w: activation %q to %q", ErrSyntax, s, e)}
		}
		acts = append(acts, interval{start, end})
	}
	if !f.end() {
		return g, acts[:mark], false, &fieldErr{"activations", errFields}
	}
	if state[0] != 'a' {
		return g, acts[:mark], false, nil
	}
	if jit {
		g.jit = 1
	}
	return g, acts, true, nil
}

// duplicates reports identity IDs defined twice.
func (l *loader) duplicates() {
	w := l.w
	seen := make(map[string]struct{}, w.Identities())
	for i := range w.Identities() {
		id := w.IdentityID(i)
		if _, dup := seen[id]; dup {
			// Find the second definition's line: rare, so search.
			key := []byte("\ni\t" + id + "\n")
			first := bytes.Index(l.data, key)
			off := 0
			if first >= 0 {
				if second := bytes.Index(l.data[first+1:], key); second >= 0 {
					off = first + 1 + second + 1
				}
			}
			l.fail(off, "identity "+id, "id", ErrDuplicate)
			continue
		}
		seen[id] = struct{}{}
	}
}
