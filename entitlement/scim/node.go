package scim

import (
	"strconv"
	"strings"

	"github.com/sodkit/sodkit/internal/idfold"
	"github.com/sodkit/sodkit/internal/jsonpull"
)

// node is one JSON value the reader uses, held while its resource is read,
// with the line it starts on. Resources are read one at a time into nodes;
// attributes the reader has no use for are skipped, never held.
type node struct {
	kind  jsonpull.Kind
	text  string // a string, a number's text, "true" or "false"
	line  int
	attrs []attr // an object's members, in input order
	elems []node // an array's elements
}

// attr is one member of an object node, its key as written.
type attr struct {
	key string
	val node
}

// repeat is a member name given twice in one object: the same name, or
// names that differ only in case, since SCIM attribute names are not
// case-sensitive (RFC 7643 §2.1). Which of the two values the provider
// meant cannot be told, so a repeat is an error, never resolved.
type repeat struct {
	line  int    // the line of the second
	field string // the path to the member: "emails[0].value"
	key   string // the second name, as written
	first string // the first, as written
}

// seg is one step of a path: a member name, or an array index (key "").
type seg struct {
	key string
	idx int
}

// scanner reads JSON values into nodes or skips them, checking every
// object on the way, held or skipped, for a member name given twice: a
// duplicate key is never resolved silently to one of its values, at any
// depth.
type scanner struct {
	jr    *jsonpull.Reader
	path  []seg    // where the value being read is, for repeats
	names []string // member names of the objects being read, as written, as a stack
	// repeated is called for each repeated member name found, after the
	// repeat's value has been skipped; nil drops them (tests).
	repeated func(repeat)
}

// maxLinear is how many member names an object's check compares one by
// one (strings.EqualFold, which allocates nothing) before it indexes them
// by their folded form in a map.
const maxLinear = 16

// object reads an object, calling fn for each member whose name is not a
// repeat; a repeat's value is skipped (checked) and reported.
func (s *scanner) object(fn func(key string) error) error {
	start := len(s.names)
	var index map[string]string // folded name → name as written, past maxLinear members
	err := s.jr.Object(func(key string) error {
		first, dup := "", false
		if index != nil {
			first, dup = index[idfold.Case(key)]
		} else {
			for _, n := range s.names[start:] {
				if strings.EqualFold(n, key) {
					first, dup = n, true
					break
				}
			}
		}
		if dup {
			return s.repeat(key, first)
		}
		s.names = append(s.names, key)
		switch {
		case index != nil:
			index[idfold.Case(key)] = key
		case len(s.names)-start > maxLinear:
			index = make(map[string]string, 2*maxLinear)
			for _, n := range s.names[start:] {
				index[idfold.Case(n)] = n
			}
		}
		s.path = append(s.path, seg{key: key})
		err := fn(key)
		s.path = s.path[:len(s.path)-1]
		return err
	})
	s.names = s.names[:start]
	return err
}

// repeat skips the value of a repeated member and reports it; first is
// the name as first written.
func (s *scanner) repeat(key, first string) error {
	line := s.jr.Pos().Line
	s.path = append(s.path, seg{key: key})
	field := s.field()
	err := s.skip()
	s.path = s.path[:len(s.path)-1]
	if err != nil {
		return err
	}
	if s.repeated != nil {
		s.repeated(repeat{line: line, field: field, key: key, first: first})
	}
	return nil
}

// array reads an array, calling fn for each element.
func (s *scanner) array(fn func(i int) error) error {
	return s.jr.Array(func(i int) error {
		s.path = append(s.path, seg{idx: i})
		err := fn(i)
		s.path = s.path[:len(s.path)-1]
		return err
	})
}

// field renders the path: "emails[0].value".
func (s *scanner) field() string {
	var b strings.Builder
	for _, p := range s.path {
		if p.key == "" {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(p.idx))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p.key)
	}
	return b.String()
}

// read reads the next value into a node.
func (s *scanner) read() (node, error) {
	r := s.jr
	n := node{kind: r.Peek(), line: r.Pos().Line}
	var err error
	switch n.kind {
	case jsonpull.Object:
		err = s.object(func(key string) error {
			v, err := s.read()
			n.attrs = append(n.attrs, attr{key: key, val: v})
			return err
		})
	case jsonpull.Array:
		err = s.array(func(int) error {
			v, err := s.read()
			n.elems = append(n.elems, v)
			return err
		})
	case jsonpull.String:
		n.text, err = r.String()
	case jsonpull.Number:
		n.text, err = r.Number()
	case jsonpull.Bool:
		var b bool
		b, err = r.Bool()
		n.text = strconv.FormatBool(b)
	case jsonpull.Null:
		err = r.Null()
	default:
		err = r.Skip() // reports the syntax error
	}
	return n, err
}

// skip reads and discards the next value, checking its objects for
// repeated member names.
func (s *scanner) skip() error {
	switch s.jr.Peek() {
	case jsonpull.Object:
		return s.object(func(string) error { return s.skip() })
	case jsonpull.Array:
		return s.array(func(int) error { return s.skip() })
	}
	return s.jr.Skip()
}

// get returns the member of an object node whose name matches name
// case-insensitively (SCIM attribute names are), with its key as written.
// Names are never repeated in a node: the scanner reports repeats.
func (n node) get(name string) (attr, bool) {
	for _, a := range n.attrs {
		if strings.EqualFold(a.key, name) {
			return a, true
		}
	}
	return attr{}, false
}

// absent reports whether the node stands for no value: missing (the zero
// node) or null. SCIM treats null and an absent attribute alike (RFC 7643
// §2.5).
func (n node) absent() bool { return n.kind == jsonpull.Invalid || n.kind == jsonpull.Null }

// json renders the node briefly for a note: strings quoted, numbers,
// booleans and null as they are, objects and arrays elided.
func (n node) json() string {
	switch n.kind {
	case jsonpull.String:
		return strconv.Quote(n.text)
	case jsonpull.Number, jsonpull.Bool:
		return n.text
	case jsonpull.Null:
		return "null"
	case jsonpull.Object:
		return "{…}"
	case jsonpull.Array:
		return "[…]"
	}
	return ""
}
