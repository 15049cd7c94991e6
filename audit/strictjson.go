package audit

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
// would keep the last value silently; the package refuses the input
// instead. Names that differ only in case count as one, since encoding/json
// matches them to the same field.
var ErrDuplicateKey = errors.New("duplicate key")

// JSONError is one problem in JSON input the package reads: decision
// records (ReadDecisions), a stored log entry's decision (Verify,
// LogEntries) and checkpoint files (ReadCheckpoints). It is a duplicate key
// (Err wraps ErrDuplicateKey), an unknown field, a value of the wrong type,
// a value that is not an object, or malformed JSON (Err is then
// encoding/json's error).
type JSONError struct {
	// Line is the 1-based line of the input where the problem is: for a
	// log entry, the entry's line in the log.
	Line int
	// Key is the member's path, such as "reason" or "policy_basis.rule",
	// or "" when the problem is not one member's (or the member's name is
	// the empty string).
	Key string
	// Err says what is wrong.
	Err error
}

// Error returns "line L: key "K": problem", without the key part when Key
// is empty and the problem is not a duplicate key (whose key may be "").
func (e *JSONError) Error() string {
	s := "line " + strconv.Itoa(e.Line) + ": "
	if e.Key != "" || errors.Is(e.Err, ErrDuplicateKey) {
		s += "key " + strconv.Quote(e.Key) + ": "
	}
	return s + e.Err.Error()
}

// Unwrap returns Err.
func (e *JSONError) Unwrap() error { return e.Err }

// jsonValue is one JSON value of a stream: its exact bytes and the line
// it starts on.
type jsonValue struct {
	raw  []byte
	line int
}

// readJSONValues splits a stream of JSON values separated by white space
// (JSON lines, or pretty-printed objects one after another). On malformed
// JSON it returns the values before it and a *JSONError.
func readJSONValues(r io.Reader) ([]jsonValue, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []jsonValue
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
			return out, nil
		}
		if err != nil {
			// The line of the offending byte, or, for a value cut short,
			// of the end of the input.
			at := len(data)
			if syntax, ok := errors.AsType[*json.SyntaxError](err); ok {
				at = int(syntax.Offset) - 1
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = errors.New("unexpected end of input inside a JSON value")
			}
			return out, &JSONError{Line: lineAt(at), Err: err}
		}
		end := int(dec.InputOffset())
		out = append(out, jsonValue{raw: raw, line: lineAt(end - len(raw))})
	}
}

// decodeStrict decodes data, which must hold exactly one JSON object and
// nothing after it, into v (a pointer to a struct): unknown fields and
// duplicate keys are errors, as is anything but an object. line is the
// line data starts on, for messages. Every problem it finds is a
// *JSONError; several are joined, in the order of their lines.
func decodeStrict(data []byte, line int, v any) error {
	if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) {
		return &JSONError{Line: line, Err: errors.New("not a JSON object")}
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
		return &JSONError{Line: lineAt(syntax.Offset - 1), Err: err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &JSONError{Line: lineAt(int64(len(data))), Err: errors.New("unexpected end of input inside a JSON value")}
	}
	// The decoder read the whole object and found it well-formed (it
	// checks the syntax before it decodes); look for duplicates in it.
	end := dec.InputOffset()
	errs := duplicateKeys(data[:end], line)
	typeErr, isType := errors.AsType[*json.UnmarshalTypeError](err)
	switch {
	case isType:
		errs = append(errs, &JSONError{Line: lineAt(typeErr.Offset), Key: typeErr.Field, Err: err})
	case err != nil:
		errs = append(errs, &JSONError{Line: line, Err: err})
	case end != int64(len(data)):
		errs = append(errs, &JSONError{Line: lineAt(end), Err: errors.New("unexpected data after the JSON object")})
	}
	slices.SortStableFunc(errs, func(a, b error) int {
		return cmp.Compare(a.(*JSONError).Line, b.(*JSONError).Line)
	})
	return errors.Join(errs...)
}

// duplicateKeys finds the keys named twice in one object of data, which
// must be well-formed JSON, starting on line line. Keys are compared as
// encoding/json matches them to fields: after unescaping, and without
// regard to case (Unicode simple folding, as bytes.EqualFold).
func duplicateKeys(data []byte, line int) []error {
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
		// folded indexes keys by foldKey once an object has many, so a
		// hostile object with thousands of keys costs no quadratic time.
		folded map[string]int
	}
	const scanLimit = 32
	var (
		errs     []error
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
			dup := -1
			if top.folded != nil {
				if at, ok := top.folded[foldKey(string(name))]; ok {
					dup = at
				}
			} else {
				for at := top.first; at < len(keys); at++ {
					if bytes.EqualFold(keys[at].name, name) {
						dup = at
						break
					}
				}
			}
			if dup < 0 {
				keys = append(keys, key{name: name, line: line})
				switch {
				case top.folded != nil:
					top.folded[foldKey(string(name))] = len(keys) - 1
				case len(keys)-top.first > scanLimit:
					top.folded = make(map[string]int, 2*scanLimit)
					for at := top.first; at < len(keys); at++ {
						top.folded[foldKey(string(keys[at].name))] = at
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
			errs = append(errs, &JSONError{Line: line, Key: path(name), Err: err})
		}
	}
	return errs
}

// prefixed returns each of the errors joined in err (or err alone) with
// prefix before its message, wrapped so errors.Is and errors.As still see
// it.
func prefixed(prefix string, err error) []error {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = fmt.Errorf("%s%w", prefix, e)
	}
	return out
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
