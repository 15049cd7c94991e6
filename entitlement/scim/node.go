package scim

import (
	"strconv"
	"strings"

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

// readNode reads the next value into a node.
func readNode(r *jsonpull.Reader) (node, error) {
	n := node{kind: r.Peek(), line: r.Pos().Line}
	var err error
	switch n.kind {
	case jsonpull.Object:
		err = r.Object(func(key string) error {
			v, err := readNode(r)
			n.attrs = append(n.attrs, attr{key: key, val: v})
			return err
		})
	case jsonpull.Array:
		err = r.Array(func(int) error {
			v, err := readNode(r)
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

// get returns the member of an object node whose name matches name
// case-insensitively (SCIM attribute names are), with its key as written.
// The first match wins; see resource.dupes for repeated names.
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
