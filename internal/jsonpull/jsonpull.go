// Package jsonpull is a small, strict, streaming JSON pull parser for
// schema-driven decoders that must name the exact field of every problem.
//
// A Reader reads one value at a time from an io.Reader with a fixed-size
// buffer, so memory does not grow with the input. It tracks line and column
// for messages, rejects what RFC 8259 rejects (and invalid UTF-8), and lets the
// caller skip a value whose type is wrong and carry on: only syntax errors
// stop the reader.
package jsonpull

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the type of the next JSON value.
type Kind uint8

// The value kinds. Invalid means the next byte cannot start a value; EOF
// means the input ended.
const (
	Invalid Kind = iota
	Object
	Array
	String
	Number
	Bool
	Null
	EOF
)

var kindNames = [...]string{"invalid", "object", "array", "string", "number", "boolean", "null", "end of input"}

// String names the kind for messages ("object", "end of input", …).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Pos is a position in the input: 1-based line and column (in bytes) and
// 0-based byte offset.
type Pos struct {
	Line   int   // 1-based line
	Col    int   // 1-based column, in bytes
	Offset int64 // 0-based byte offset
}

// String returns "line L, column C".
func (p Pos) String() string { return fmt.Sprintf("line %d, column %d", p.Line, p.Col) }

// SyntaxError is malformed JSON. After one, the Reader stops.
type SyntaxError struct {
	// Pos is where the problem is.
	Pos Pos
	// Msg says what is wrong, without the position.
	Msg string
	// Err is the sentinel the problem matches, such as ErrTooDeep, or nil.
	Err error
}

// Error returns "line L, column C: message".
func (e *SyntaxError) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// Unwrap returns Err, so errors.Is(err, ErrTooDeep) works.
func (e *SyntaxError) Unwrap() error { return e.Err }

// ErrTooDeep reports nesting beyond MaxDepth. The Reader returns it
// wrapped in a *SyntaxError that says where.
var ErrTooDeep = errors.New("nesting too deep")

// MaxDepth bounds nesting, so hostile input cannot exhaust the stack.
const MaxDepth = 64

// maxEmptyReads bounds consecutive reads that return no data and no error.
const maxEmptyReads = 100

// Reader pulls JSON values from an io.Reader.
type Reader struct {
	src     io.Reader
	buf     []byte
	pos     int // next unread byte in buf
	end     int // end of valid data in buf
	base    int64
	line    int
	lineAt  int64 // offset of the first byte of the current line
	err     error // sticky syntax or read error
	srcErr  error // error from src, reported when the buffer drains
	depth   int
	scratch []byte
}

// The read buffer starts at minBuf bytes and grows, as reads fill it, up to
// maxBuf.
const (
	minBuf = 4 << 10
	maxBuf = 64 << 10
)

// NewReader returns a Reader over r.
func NewReader(r io.Reader) *Reader {
	return &Reader{src: r, buf: make([]byte, minBuf), line: 1}
}

// Err returns the sticky error that stopped the reader, if any.
func (r *Reader) Err() error { return r.err }

// Pos returns the position of the next unread byte.
func (r *Reader) Pos() Pos {
	off := r.base + int64(r.pos)
	return Pos{Line: r.line, Col: int(off-r.lineAt) + 1, Offset: off}
}

func (r *Reader) fail(msg string, args ...any) error {
	if r.err == nil {
		r.err = &SyntaxError{Pos: r.Pos(), Msg: fmt.Sprintf(msg, args...)}
	}
	return r.err
}

func (r *Reader) tooDeep() error {
	if r.err == nil {
		r.err = &SyntaxError{Pos: r.Pos(), Msg: fmt.Sprintf("%v (more than %d levels)", ErrTooDeep, MaxDepth), Err: ErrTooDeep}
	}
	return r.err
}

// fill makes at least one unread byte available; it reports false at the
// end of input or on a read error (recorded in srcErr).
func (r *Reader) fill() bool {
	return r.pos < r.end || r.refill()
}

// refill reads more input once the buffer is used up; fill, small enough
// to inline, calls it only then.
func (r *Reader) refill() bool {
	if r.pos < r.end {
		return true
	}
	if r.srcErr != nil {
		return false
	}
	r.base += int64(r.end)
	if r.end == len(r.buf) && len(r.buf) < maxBuf {
		// The last read filled the buffer: the input is large, so read it
		// in larger pieces. Small inputs never pay for a large buffer.
		r.buf = make([]byte, min(maxBuf, 4*len(r.buf)))
	}
	r.pos, r.end = 0, 0
	// A read of 0 bytes and no error means nothing happened (see
	// io.Reader); give up only after many in a row, as bufio does.
	for empty := 0; r.end == 0; empty++ {
		n, err := r.src.Read(r.buf)
		r.end = n
		if err != nil {
			r.srcErr = err
			break
		}
		if n == 0 && empty >= maxEmptyReads {
			r.srcErr = io.ErrNoProgress
			break
		}
	}
	return r.end > 0
}

// eof returns the error for an unexpected end of input.
func (r *Reader) eof() error {
	if r.err != nil {
		return r.err
	}
	if r.srcErr != nil && r.srcErr != io.EOF {
		r.err = r.srcErr
		return r.err
	}
	return r.fail("unexpected end of input (the file is truncated)")
}

func (r *Reader) skipSpace() {
	// Fast path, inlined: the next byte is not white space (JSON's white
	// space is all below '!').
	if r.pos < r.end && r.buf[r.pos] > ' ' {
		return
	}
	r.skipSpaceSlow()
}

func (r *Reader) skipSpaceSlow() {
	for {
		if !r.fill() {
			return
		}
		for r.pos < r.end {
			switch r.buf[r.pos] {
			case ' ', '\t', '\r':
				r.pos++
			case '\n':
				r.pos++
				r.line++
				r.lineAt = r.base + int64(r.pos)
			default:
				return
			}
		}
	}
}

// Peek returns the kind of the next value without consuming it.
func (r *Reader) Peek() Kind {
	if r.err != nil {
		return Invalid
	}
	r.skipSpace()
	if !r.fill() {
		if r.srcErr != nil && r.srcErr != io.EOF {
			r.err = r.srcErr
			return Invalid
		}
		return EOF
	}
	switch c := r.buf[r.pos]; {
	case c == '{':
		return Object
	case c == '[':
		return Array
	case c == '"':
		return String
	case c == '-' || (c >= '0' && c <= '9'):
		return Number
	case c == 't' || c == 'f':
		return Bool
	case c == 'n':
		return Null
	}
	return Invalid
}

func (r *Reader) expect(c byte) error {
	r.skipSpace()
	if !r.fill() {
		return r.eof()
	}
	if r.buf[r.pos] != c {
		return r.fail("expected %q, found %s", c, r.describe())
	}
	r.pos++
	return nil
}

// describe names the next byte for an error message.
func (r *Reader) describe() string {
	if !r.fill() {
		return "end of input"
	}
	c := r.buf[r.pos]
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// Object reads an object, calling fn for each member with its key; fn must
// consume the member's value (read it or Skip it). Object stops at the first
// error fn returns or at a syntax error. Keys are unescaped.
func (r *Reader) Object(fn func(key string) error) error {
	return r.ObjectBytes(func(key []byte) error { return fn(string(key)) })
}

// ObjectBytes is Object with the key as bytes, valid only until the next
// call on r: a decoder that knows its member names can match them without
// allocating.
func (r *Reader) ObjectBytes(fn func(key []byte) error) error {
	if err := r.expect('{'); err != nil {
		return err
	}
	if r.depth++; r.depth > MaxDepth {
		r.depth--
		return r.tooDeep()
	}
	defer func() { r.depth-- }()
	r.skipSpace()
	if r.fill() && r.buf[r.pos] == '}' {
		r.pos++
		return nil
	}
	for {
		r.skipSpace()
		if r.Peek() != String {
			if r.err != nil {
				return r.err
			}
			if !r.fill() {
				return r.eof()
			}
			return r.fail("expected a member name, found %s", r.describe())
		}
		key, err := r.StringBytes()
		if err != nil {
			return err
		}
		// The key may point into the buffer, which reading on to the ':'
		// could refill: take the ':' in place when it is there, else
		// keep a copy of the key first.
		i := r.pos
		for i < r.end && (r.buf[i] == ' ' || r.buf[i] == '\t' || r.buf[i] == '\r') {
			i++
		}
		if i < r.end && r.buf[i] == ':' {
			r.pos = i + 1
		} else {
			r.scratch = append(r.scratch[:0], key...) // a no-op copy if key is already there
			key = r.scratch
			if err := r.expect(':'); err != nil {
				return err
			}
		}
		if err := fn(key); err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
		r.skipSpace()
		if !r.fill() {
			return r.eof()
		}
		switch r.buf[r.pos] {
		case ',':
			r.pos++
		case '}':
			r.pos++
			return nil
		default:
			return r.fail("expected ',' or '}' after a member, found %s", r.describe())
		}
	}
}

// Array reads an array, calling fn for each element with its index; fn must
// consume the element.
func (r *Reader) Array(fn func(i int) error) error {
	if err := r.expect('['); err != nil {
		return err
	}
	if r.depth++; r.depth > MaxDepth {
		r.depth--
		return r.tooDeep()
	}
	defer func() { r.depth-- }()
	r.skipSpace()
	if r.fill() && r.buf[r.pos] == ']' {
		r.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := fn(i); err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
		r.skipSpace()
		if !r.fill() {
			return r.eof()
		}
		switch r.buf[r.pos] {
		case ',':
			r.pos++
			// Leave Pos at the next element, so a caller that notes
			// where an element starts gets its line, not the comma's.
			r.skipSpace()
		case ']':
			r.pos++
			return nil
		default:
			return r.fail("expected ',' or ']' after an element, found %s", r.describe())
		}
	}
}

// String reads a string value and returns it unescaped.
func (r *Reader) String() (string, error) {
	b, err := r.StringBytes()
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// StringBytes reads a string value and returns it unescaped in a buffer
// that is valid only until the next call on r.
func (r *Reader) StringBytes() ([]byte, error) {
	if err := r.expect('"'); err != nil {
		return nil, err
	}
	// Fastest path: a plain string wholly in the buffer is returned in
	// place, without a copy.
	buf := r.buf[r.pos:r.end]
	for i, c := range buf {
		if c == '"' {
			r.pos += i + 1
			return buf[:i:i], nil
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
	}
	out := r.scratch[:0]
	for {
		if !r.fill() {
			return nil, r.eof()
		}
		// Fast path: copy a run of plain ASCII bytes.
		start := r.pos
		for r.pos < r.end {
			c := r.buf[r.pos]
			if c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
				break
			}
			r.pos++
		}
		out = append(out, r.buf[start:r.pos]...)
		if r.pos == r.end {
			continue
		}
		c := r.buf[r.pos]
		switch {
		case c == '"':
			r.pos++
			r.scratch = out
			return out, nil
		case c == '\\':
			r.pos++
			var err error
			if out, err = r.escape(out); err != nil {
				return nil, err
			}
		case c < 0x20:
			return nil, r.fail("control character 0x%02x in a string (escape it)", c)
		default:
			var err error
			if out, err = r.utf8Rune(out); err != nil {
				return nil, err
			}
		}
	}
}

// utf8Rune copies one multi-byte UTF-8 sequence, which may straddle a
// buffer boundary, rejecting invalid encodings.
func (r *Reader) utf8Rune(out []byte) ([]byte, error) {
	var seq [utf8.UTFMax]byte
	n := 0
	for n < utf8.UTFMax {
		if !r.fill() {
			break
		}
		seq[n] = r.buf[r.pos]
		if n > 0 && seq[n]&0xC0 != 0x80 {
			break
		}
		n++
		r.pos++
		if utf8.FullRune(seq[:n]) {
			break
		}
	}
	// DecodeRune returns (RuneError, 1) for an invalid sequence; a
	// literal U+FFFD decodes as (RuneError, 3) and is valid.
	ru, size := utf8.DecodeRune(seq[:n])
	if (ru == utf8.RuneError && size == 1) || size != n {
		return nil, r.fail("invalid UTF-8 in a string")
	}
	return append(out, seq[:n]...), nil
}

func (r *Reader) escape(out []byte) ([]byte, error) {
	if !r.fill() {
		return nil, r.eof()
	}
	c := r.buf[r.pos]
	r.pos++
	switch c {
	case '"', '\\', '/':
		return append(out, c), nil
	case 'b':
		return append(out, '\b'), nil
	case 'f':
		return append(out, '\f'), nil
	case 'n':
		return append(out, '\n'), nil
	case 'r':
		return append(out, '\r'), nil
	case 't':
		return append(out, '\t'), nil
	case 'u':
		ru, err := r.hex4()
		if err != nil {
			return nil, err
		}
		if utf16.IsSurrogate(ru) {
			// A high surrogate must be followed by \u and a low one.
			if !r.fill() {
				return nil, r.eof()
			}
			if r.buf[r.pos] != '\\' {
				return nil, r.fail("unpaired UTF-16 surrogate in a string")
			}
			r.pos++
			if !r.fill() {
				return nil, r.eof()
			}
			if r.buf[r.pos] != 'u' {
				return nil, r.fail("unpaired UTF-16 surrogate in a string")
			}
			r.pos++
			lo, err := r.hex4()
			if err != nil {
				return nil, err
			}
			ru = utf16.DecodeRune(ru, lo)
			if ru == utf8.RuneError {
				return nil, r.fail("invalid UTF-16 surrogate pair in a string")
			}
		}
		return utf8.AppendRune(out, ru), nil
	}
	r.pos--
	return nil, r.fail("invalid escape '\\%c' in a string", c)
}

func (r *Reader) hex4() (rune, error) {
	var v rune
	for range 4 {
		if !r.fill() {
			return 0, r.eof()
		}
		c := r.buf[r.pos]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, r.fail("invalid hex digit %s in a \\u escape", r.describe())
		}
		r.pos++
		v = v<<4 | rune(d)
	}
	return v, nil
}

// Number reads a number and returns its text, validated against the JSON
// grammar.
func (r *Reader) Number() (string, error) {
	r.skipSpace()
	out := r.scratch[:0]
	take := func(ok func(byte) bool) int {
		n := 0
		for r.fill() && ok(r.buf[r.pos]) {
			out = append(out, r.buf[r.pos])
			r.pos++
			n++
		}
		return n
	}
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	take(func(c byte) bool { return c == '-' && len(out) == 0 })
	if !r.fill() {
		return "", r.eof()
	}
	if r.buf[r.pos] == '0' {
		out = append(out, '0')
		r.pos++
	} else if take(digit) == 0 {
		return "", r.badNumber("expected a digit")
	}
	if r.fill() && r.buf[r.pos] == '.' {
		out = append(out, '.')
		r.pos++
		if take(digit) == 0 {
			return "", r.badNumber("expected a digit after '.'")
		}
	}
	if r.fill() && (r.buf[r.pos] == 'e' || r.buf[r.pos] == 'E') {
		out = append(out, r.buf[r.pos])
		r.pos++
		if r.fill() && (r.buf[r.pos] == '+' || r.buf[r.pos] == '-') {
			out = append(out, r.buf[r.pos])
			r.pos++
		}
		if take(digit) == 0 {
			return "", r.badNumber("expected a digit in the exponent")
		}
	}
	r.scratch = out
	return string(out), nil
}

// badNumber reports a number cut short: by the end of input (a truncated
// file) or by a byte that cannot continue it.
func (r *Reader) badNumber(want string) error {
	if !r.fill() {
		return r.eof()
	}
	return r.fail("invalid number: %s, found %s", want, r.describe())
}

// literal consumes the exact bytes of lit.
func (r *Reader) literal(lit string) error {
	r.skipSpace()
	for i := 0; i < len(lit); i++ {
		if !r.fill() {
			return r.eof()
		}
		if r.buf[r.pos] != lit[i] {
			return r.fail("invalid literal: expected %q", lit)
		}
		r.pos++
	}
	return nil
}

// Bool reads true or false.
func (r *Reader) Bool() (bool, error) {
	r.skipSpace()
	if !r.fill() {
		return false, r.eof()
	}
	if r.buf[r.pos] == 't' {
		return true, r.literal("true")
	}
	return false, r.literal("false")
}

// Null reads null.
func (r *Reader) Null() error { return r.literal("null") }

// Skip reads and discards the next value, whatever its kind.
func (r *Reader) Skip() error {
	switch k := r.Peek(); k {
	case Object:
		return r.Object(func(string) error { return r.Skip() })
	case Array:
		return r.Array(func(int) error { return r.Skip() })
	case String:
		_, err := r.StringBytes()
		return err
	case Number:
		_, err := r.Number()
		return err
	case Bool:
		_, err := r.Bool()
		return err
	case Null:
		return r.Null()
	case EOF:
		return r.eof()
	default:
		if r.err != nil {
			return r.err
		}
		return r.fail("expected a value, found %s", r.describe())
	}
}

// End checks that only white space remains.
func (r *Reader) End() error {
	switch r.Peek() {
	case EOF:
		return nil
	case Invalid:
		if r.err != nil {
			return r.err
		}
	}
	return r.fail("unexpected data after the top-level value")
}

// Start is where a value begins: its position and its nesting depth. A
// Reader reset to a Start reads a value's bytes as the original Reader
// would have, with the same positions in errors and the same depth limit.
type Start struct {
	// Pos is where the value's first byte is.
	Pos   Pos
	depth int
}

// RawObject appends the bytes of the next value to dst, unparsed, and
// returns them with where the value starts, when the value is an object:
// it lets a caller hand objects to other goroutines to decode. It checks
// only what it needs to find the object's end — strings and their escapes,
// and the nesting of brackets — so the bytes may be malformed; decoding
// them reports that. When the next value is not an object, ok is false
// and nothing is consumed. When the input ends inside the object, the
// bytes read so far are returned with the source's error (io.EOF for a
// plain end): a Reader reset to them, followed by that error, reports
// what this one would have.
func (r *Reader) RawObject(dst []byte) (raw []byte, at Start, ok bool, err error) {
	if r.err != nil {
		return dst, Start{}, false, r.err
	}
	r.skipSpace()
	if !r.fill() || r.buf[r.pos] != '{' {
		return dst, Start{}, false, nil
	}
	at = Start{Pos: r.Pos(), depth: r.depth}
	dst, done := r.scanValue(dst, true)
	if !done {
		return dst, at, true, r.srcErr // never nil once fill fails
	}
	return dst, at, true, nil
}

// RawSpan is RawObject for an object whose place and length are already
// known — read before from the same bytes, by RawObject: it appends the n
// bytes at the reader's position without scanning them (it only counts
// their line breaks, to keep positions right). The next value must start
// at byte offset off with '{'; when it does not (the input is not what it
// was), ok is false and nothing is consumed. When the input ends inside the
// n bytes, the bytes read so far are returned with the source's error, as
// RawObject returns them. The bytes are not checked at all: decoding them
// reports what is wrong with them.
func (r *Reader) RawSpan(dst []byte, off int64, n int) (raw []byte, at Start, ok bool, err error) {
	if r.err != nil {
		return dst, Start{}, false, r.err
	}
	r.skipSpace()
	if !r.fill() || r.buf[r.pos] != '{' || r.base+int64(r.pos) != off || n < 1 {
		return dst, Start{}, false, nil
	}
	at = Start{Pos: r.Pos(), depth: r.depth}
	for n > 0 {
		if !r.fill() {
			return dst, at, true, r.srcErr // never nil once fill fails
		}
		chunk := r.buf[r.pos:min(r.end, r.pos+n)]
		if k := bytes.Count(chunk, newline); k > 0 {
			r.line += k
			r.lineAt = r.base + int64(r.pos+bytes.LastIndexByte(chunk, '\n')) + 1
		}
		dst = append(dst, chunk...)
		r.pos += len(chunk)
		n -= len(chunk)
	}
	return dst, at, true, nil
}

var newline = []byte{'\n'}

// SkipStructure consumes the next value looking only at its structure —
// strings with their escapes, and the nesting of brackets — as RawObject
// does, without keeping its bytes or checking the tokens between: it is
// several times faster than Skip, but malformed input may pass without an
// error. Use it only for a value that will be read strictly later (Stream's
// first pass skips grants that its second pass decodes). A value that is not
// an object or an array is read as Skip reads it; the input ending inside
// the value is an error, as for Skip.
func (r *Reader) SkipStructure() error {
	if r.err != nil {
		return r.err
	}
	r.skipSpace()
	if !r.fill() || (r.buf[r.pos] != '{' && r.buf[r.pos] != '[') {
		return r.Skip()
	}
	if _, done := r.scanValue(nil, false); !done {
		return r.eof()
	}
	return nil
}

// scanValue consumes the object or array at the reader's position, which
// must start it, up to its matching closing bracket, appending its bytes
// to dst when keep. It reports false if the input ended first.
func (r *Reader) scanValue(dst []byte, keep bool) ([]byte, bool) {
	depth, inString, escaped := 0, false, false
	for {
		if !r.fill() {
			return dst, false
		}
		b := r.buf[r.pos:r.end]
		i, done := 0, false
	scan:
		for i < len(b) {
			if inString {
				if escaped {
					escaped = false
					i++
					continue
				}
				// Most strings are short IDs: a table lookup a byte beats
				// a vectorised search's call.
				for i < len(b) && !inStringStop[b[i]] {
					i++
				}
				if i == len(b) {
					break
				}
				switch b[i] {
				case '"':
					inString = false
				case '\\':
					escaped = true
				case '\n': // invalid in a string, but keep lines right
					r.newline(i)
				}
				i++
				continue
			}
			for i < len(b) && !structural[b[i]] {
				i++
			}
			if i == len(b) {
				break
			}
			switch b[i] {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					i++
					done = true
					break scan
				}
			case '\n':
				r.newline(i)
			}
			i++
		}
		if keep {
			dst = append(dst, b[:i]...)
		}
		r.pos += i
		if done {
			return dst, true
		}
	}
}

// structural marks the bytes scanValue stops at outside strings, and
// inStringStop those it stops at inside one.
var structural, inStringStop [256]bool

func init() {
	for _, c := range []byte("\"{}[]\n") {
		structural[c] = true
	}
	for _, c := range []byte("\"\\\n") {
		inStringStop[c] = true
	}
}

// newline notes a line break at offset i from the unread part of the
// buffer, for RawObject, which consumes bytes in bulk.
func (r *Reader) newline(i int) {
	r.line++
	r.lineAt = r.base + int64(r.pos+i) + 1
}

// ResetAt makes r read src as the bytes of a value that starts at at (see
// RawObject), reusing r's buffer.
func (r *Reader) ResetAt(src io.Reader, at Start) {
	buf, scratch := r.buf, r.scratch[:0]
	if buf == nil {
		buf = make([]byte, minBuf)
	}
	*r = Reader{src: src, buf: buf, scratch: scratch, depth: at.depth,
		base: at.Pos.Offset, line: at.Pos.Line, lineAt: at.Pos.Offset - int64(at.Pos.Col-1)}
}
