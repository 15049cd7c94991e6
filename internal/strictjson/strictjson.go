// Package strictjson decodes JSON the strict way sodkit reads every record
// it must not misread: decision records, stored log entries, checkpoints and
// JSON reports. A value that is not an object, an unknown field, a value of
// the wrong type, trailing data and a key named twice in one object are all
// problems, reported together with the line they are on and the key's path.
//
// encoding/json keeps the last of two values for one key silently, and
// matches keys to struct fields without regard to case, so
// {"actor":"carol","Actor":"mallory"} could be read as either actor. Decode
// refuses such input instead (ErrDuplicateKey).
//
// Problems are returned as data (Problem); each caller wraps them in its own
// typed error, so that this package imports nothing of the module and no
// exported error type of the module lives in an internal package.
package strictjson

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// ErrDuplicateKey: a JSON object names one member twice. encoding/json
// would keep the last value silently; Decode reports it instead. Names that
// differ only in case count as one, since encoding/json matches them to the
// same field, except in the objects Decode is told hold a Go map.
var ErrDuplicateKey = errors.New("duplicate key")

// Problem is one problem in JSON input: a duplicate key (Err wraps
// ErrDuplicateKey), an unknown field, a value of the wrong type, a value that
// is not an object, trailing data, or malformed JSON (Err is then
// encoding/json's error, or says the input ended inside a value).
type Problem struct {
	// Line is the 1-based line of the input where the problem is.
	Line int
	// Key is the member's path, such as "reason", "policy_basis.rule" or
	// "findings[2].subject.id", or "" when the problem is not one member's
	// (or the member's name is the empty string).
	Key string
	// Err says what is wrong.
	Err error
}

// Value is one JSON value of a stream: its exact bytes and the line it
// starts on.
type Value struct {
	Raw  []byte // the value's exact bytes
	Line int    // the 1-based line the value starts on
}

// Split reads r to its end and splits it into the JSON values it holds,
// separated by white space (JSON lines, or pretty-printed objects one after
// another). It does not decode them. On malformed JSON it returns the
// values before it and the problem, whose Line is that of the offending
// byte (for a value cut short, of the end of the input). err is non-nil
// only when r could not be read.
func Split(r io.Reader) (vals []Value, bad *Problem, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	line, counted := 1, 0
	lineAt := func(off int) int {
		off = min(max(off, counted), len(data))
		line += bytes.Count(data[counted:off], []byte{'\n'})
		counted = off
		return line
	}
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return vals, nil, nil
		}
		if err != nil {
			at := len(data)
			if syntax, ok := errors.AsType[*json.SyntaxError](err); ok {
				at = int(syntax.Offset) - 1
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = errEndOfInput
			}
			return vals, &Problem{Line: lineAt(at), Err: err}, nil
		}
		end := int(dec.InputOffset())
		vals = append(vals, Value{Raw: raw, Line: lineAt(end - len(raw))})
	}
}

var errEndOfInput = errors.New("unexpected end of input inside a JSON value")

// Decode decodes data, which must hold exactly one JSON object (white space
// may precede it, nothing may follow it), into v, a pointer to a struct:
// unknown fields and duplicate keys are problems, as is anything but an
// object. line is the line data starts on. It returns every problem it
// finds, in the order of their lines, or nil; v holds what could be decoded
// either way.
//
// maps names the members, by path (as Problem.Key spells it, such as
// "summary.by_kind"), whose values are objects decoded into Go maps:
// encoding/json matches map keys exactly, so there keys that differ only in
// case are different keys, not duplicates.
func Decode(data []byte, line int, v any, maps ...string) []Problem {
	if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) {
		return []Problem{{Line: line, Err: errors.New("not a JSON object")}}
	}
	lineAt := func(off int64) int {
		off = min(max(off, 0), int64(len(data)))
		return line + bytes.Count(data[:off], []byte{'\n'})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	syntax, isSyntax := errors.AsType[*json.SyntaxError](err)
	switch {
	case isSyntax:
		return []Problem{{Line: lineAt(syntax.Offset - 1), Err: err}}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return []Problem{{Line: lineAt(int64(len(data))), Err: errEndOfInput}}
	}
	// The decoder read the whole object and found it well-formed (it
	// checks the syntax before it decodes); look for duplicates in it.
	end := dec.InputOffset()
	ps := duplicateKeys(data[:end], line, maps)
	typeErr, isType := errors.AsType[*json.UnmarshalTypeError](err)
	switch {
	case isType:
		ps = append(ps, Problem{Line: lineAt(typeErr.Offset), Key: typeErr.Field, Err: err})
	case err != nil:
		ps = append(ps, Problem{Line: line, Err: err})
	case end != int64(len(data)):
		ps = append(ps, Problem{Line: lineAt(end), Err: errors.New("unexpected data after the JSON object")})
	}
	slices.SortStableFunc(ps, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return ps
}

// duplicateKeys finds the keys named twice in one object of data, which
// must be well-formed JSON, starting on line line. Keys are compared as
// encoding/json matches them to fields: after unescaping, and without
// regard to case (Unicode simple folding, as bytes.EqualFold); in the
// objects at the paths maps lists, which hold Go maps, exactly.
func duplicateKeys(data []byte, line int, maps []string) []Problem {
	type key struct {
		name []byte
		line int
	}
	type container struct {
		object bool
		name   []byte // the key whose value it is; nil in an array
		elem   int    // its index, in an array
		first  int    // for an object: where its keys start in keys
		index  int    // for an array: the current element
		// exact: the object is a Go map's, whose keys are not folded.
		exact bool
		// folded indexes keys by foldKey (or, when exact, as they are)
		// once an object has many, so a hostile object with thousands of
		// keys costs no quadratic time.
		folded map[string]int
	}
	const scanLimit = 32
	var (
		probs    []Problem
		keysBuf  [24]key
		keys     = keysBuf[:0] // the keys of every open object, outer ones first
		stackBuf [8]container
		stack    = stackBuf[:0]
		pending  []byte // the last key read: the name of the value after it
	)
	path := func(name []byte) string {
		var b strings.Builder
		for i, c := range stack[1:] {
			if stack[i].object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.Write(c.name)
			} else {
				fmt.Fprintf(&b, "[%d]", c.elem)
			}
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.Write(name)
		return b.String()
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
		case '{', '[':
			child := container{object: c == '{', first: len(keys)}
			if n := len(stack); n > 0 {
				if stack[n-1].object {
					child.name = pending
					child.exact = child.object && len(maps) > 0 && slices.Contains(maps, path(pending))
				} else {
					child.elem = stack[n-1].index
				}
			}
			stack = append(stack, child)
		case '}', ']':
			if n := len(stack); n > 0 {
				if stack[n-1].object {
					keys = keys[:stack[n-1].first]
				}
				stack = stack[:n-1]
			}
		case ',':
			if n := len(stack); n > 0 && !stack[n-1].object {
				stack[n-1].index++
			}
		case '"':
			j := i + 1
			for j < len(data) && data[j] != '"' {
				if data[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j, len(data)-1)
			k := j + 1
			for k < len(data) && (data[k] == ' ' || data[k] == '\t' || data[k] == '\r' || data[k] == '\n') {
				k++
			}
			n := len(stack)
			if n == 0 || !stack[n-1].object || k >= len(data) || data[k] != ':' {
				i = j // a string value
				continue
			}
			name := data[i+1 : j]
			if bytes.IndexByte(name, '\\') >= 0 {
				var s string
				json.Unmarshal(data[i:j+1], &s) // well-formed: cannot fail
				name = []byte(s)
			}
			i, pending = j, name
			top := &stack[n-1]
			index, same := foldKey, bytes.EqualFold
			if top.exact {
				index, same = func(s string) string { return s }, bytes.Equal
			}
			dup := -1
			if top.folded != nil {
				if at, ok := top.folded[index(string(name))]; ok {
					dup = at
				}
			} else {
				for at := top.first; at < len(keys); at++ {
					if same(keys[at].name, name) {
						dup = at
						break
					}
				}
			}
			if dup < 0 {
				keys = append(keys, key{name: name, line: line})
				switch {
				case top.folded != nil:
					top.folded[index(string(name))] = len(keys) - 1
				case len(keys)-top.first > scanLimit:
					top.folded = make(map[string]int, 2*scanLimit)
					for at := top.first; at < len(keys); at++ {
						top.folded[index(string(keys[at].name))] = at
					}
				}
				continue
			}
			var notes []string
			if first := keys[dup]; !bytes.Equal(first.name, name) {
				notes = append(notes, "same field as "+strconv.Quote(string(first.name)))
			}
			if first := keys[dup]; first.line != line {
				notes = append(notes, "first at line "+strconv.Itoa(first.line))
			}
			err := ErrDuplicateKey
			if len(notes) > 0 {
				err = fmt.Errorf("%w (%s)", ErrDuplicateKey, strings.Join(notes, ", "))
			}
			probs = append(probs, Problem{Line: line, Key: path(name), Err: err})
		}
	}
	return probs
}

// foldKey maps a key to one spelling per class of keys that are equal
// under Unicode simple case folding (as strings.EqualFold compares, and as
// encoding/json matches names to fields): each rune becomes the smallest
// rune of its folding orbit.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, s)
}
