package jsonpull_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/internal/jsonpull"
)

// decode reads one complete document into the values encoding/json would
// produce with UseNumber: maps, slices, strings, json.Number, bools, nil.
// Repeated member names keep the last value, as encoding/json does.
func decode(r *jsonpull.Reader) (any, error) {
	v, err := value(r)
	if err != nil {
		return nil, err
	}
	return v, r.End()
}

func value(r *jsonpull.Reader) (any, error) {
	switch k := r.Peek(); k {
	case jsonpull.Object:
		m := map[string]any{}
		err := r.Object(func(key string) error {
			v, err := value(r)
			m[key] = v
			return err
		})
		return m, err
	case jsonpull.Array:
		a := []any{}
		err := r.Array(func(int) error {
			v, err := value(r)
			a = append(a, v)
			return err
		})
		return a, err
	case jsonpull.String:
		return r.String()
	case jsonpull.Number:
		s, err := r.Number()
		return json.Number(s), err
	case jsonpull.Bool:
		return r.Bool()
	case jsonpull.Null:
		return nil, r.Null()
	default:
		// Let Skip produce the error for an invalid value or the end.
		return nil, r.Skip()
	}
}

func decodeString(s string) (any, error) {
	return decode(jsonpull.NewReader(strings.NewReader(s)))
}

func stdDecode(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return v
}

func TestStrings(t *testing.T) {
	tests := []struct {
		name   string
		in     string // a JSON string literal, quotes included
		want   string
		err    string // substring of the error; "" for success
		reason string
	}{
		{"plain", `"erp:vendor.create"`, "erp:vendor.create", "", "ASCII is copied as is"},
		{"empty", `""`, "", "", "the empty string is a string"},
		{"simple escapes", `"\" \\ \/ \b \f \n \r \t"`, "\" \\ / \b \f \n \r \t", "", "RFC 8259 lists eight one-letter escapes"},
		{"unicode escape", `"\u00e9\u00E9"`, "éé", "", "hex digits in either case"},
		{"NUL escape", `"a\u0000b"`, "a\x00b", "", "an escaped NUL is a character like any other"},
		{"surrogate pair", `"\ud83d\ude00"`, "😀", "", "a high and a low surrogate make one code point"},
		{"literal multibyte", `"Finance – Treasury ✓ 😀"`, "Finance – Treasury ✓ 😀", "", "valid UTF-8 passes through"},
		{"literal U+FFFD", "\"a\uFFFDb\"", "a\uFFFDb", "", "the replacement character is valid UTF-8, not an encoding error"},
		{"escaped U+FFFD", `"\ufffd"`, "\uFFFD", "", "an escaped replacement character is valid"},
		{"lone high surrogate", `"\ud83d"`, "", "unpaired UTF-16 surrogate", "a high surrogate needs a low one"},
		{"lone low surrogate", `"\ude00x"`, "", "unpaired UTF-16 surrogate", "a low surrogate cannot start a pair"},
		{"high then other escape", `"\ud83d\n"`, "", "unpaired UTF-16 surrogate", "the second half must be a \\u escape"},
		{"high then non-surrogate", `"\ud83d\u0041"`, "", "invalid UTF-16 surrogate pair", "the second half must be a low surrogate"},
		{"two highs", `"\ud83d\ud83d"`, "", "invalid UTF-16 surrogate pair", "two high surrogates are not a pair"},
		{"bad escape letter", `"\x41"`, "", `invalid escape '\x'`, "only RFC 8259's escapes are allowed"},
		{"short unicode escape", `"\u12"`, "", "invalid hex digit", "a \\u escape has exactly four hex digits"},
		{"non-hex unicode escape", `"\u12g4"`, "", "invalid hex digit", "g is not a hex digit"},
		{"raw newline", "\"a\nb\"", "", "control character 0x0a", "control characters must be escaped"},
		{"raw tab", "\"a\tb\"", "", "control character 0x09", "tab is a control character too"},
		{"invalid byte", "\"a\xffb\"", "", "invalid UTF-8", "0xff never occurs in UTF-8"},
		{"lone continuation", "\"a\x80b\"", "", "invalid UTF-8", "a continuation byte cannot start a rune"},
		{"truncated sequence", "\"a\xe2\x82b\"", "", "invalid UTF-8", "a three-byte rune cut after two bytes"},
		{"overlong encoding", "\"\xc0\xaf\"", "", "invalid UTF-8", "overlong encodings are invalid"},
		{"encoded surrogate", "\"\xed\xa0\x80\"", "", "invalid UTF-8", "UTF-8 must not encode surrogates"},
		{"beyond U+10FFFF", "\"\xf4\x90\x80\x80\"", "", "invalid UTF-8", "code points stop at U+10FFFF"},
		{"unterminated", `"abc`, "", "truncated", "a string needs its closing quote"},
		{"unterminated escape", `"abc\`, "", "truncated", "an escape cut by the end of input"},
		{"unterminated unicode escape", `"\u00`, "", "truncated", "a \\u escape cut by the end of input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, src := range []struct {
				name string
				r    io.Reader
			}{
				{"whole", strings.NewReader(tt.in)},
				{"one byte at a time", iotest.OneByteReader(strings.NewReader(tt.in))},
			} {
				r := jsonpull.NewReader(src.r)
				got, err := r.String()
				if tt.err != "" {
					require.ErrorContains(t, err, tt.err, "%s (%s)", tt.reason, src.name)
					var se *jsonpull.SyntaxError
					require.ErrorAs(t, err, &se, "string problems are syntax errors")
					require.ErrorIs(t, r.Err(), err, "a syntax error is sticky")
					continue
				}
				require.NoError(t, err, "%s (%s)", tt.reason, src.name)
				require.Equal(t, tt.want, got, "%s (%s)", tt.reason, src.name)
				require.NoError(t, r.End())
			}
		})
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		ok     bool
		reason string
	}{
		{"zero", "0", true, "a single zero"},
		{"negative zero", "-0", true, "JSON allows -0"},
		{"integer", "1234567890", true, "digits"},
		{"negative", "-42", true, "one leading minus"},
		{"fraction", "3.25", true, "a fraction needs digits on both sides"},
		{"exponent", "1e10", true, "an exponent"},
		{"upper exponent", "1E10", true, "E is as good as e"},
		{"signed exponent", "2.5e-3", true, "an exponent may carry a sign"},
		{"plus exponent", "2.5E+3", true, "plus is allowed in the exponent"},
		{"huge", "123456789012345678901234567890e400", true, "the grammar bounds no magnitude"},
		{"leading zero", "01", false, "no leading zeros"},
		{"leading plus", "+1", false, "no plus sign"},
		{"bare minus", "-", false, "a minus needs digits"},
		{"double minus", "--1", false, "one minus at most"},
		{"trailing dot", "1.", false, "a fraction needs digits after the dot"},
		{"leading dot", ".5", false, "a fraction needs digits before the dot"},
		{"empty exponent", "1e", false, "an exponent needs digits"},
		{"signed empty exponent", "1e+", false, "an exponent needs digits after its sign"},
		{"hex", "0x10", false, "JSON has no hex numbers"},
		{"infinity", "Infinity", false, "JSON has no infinities"},
		{"NaN", "NaN", false, "JSON has no NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeString(tt.in)
			require.Equal(t, json.Valid([]byte(tt.in)), tt.ok, "the table agrees with encoding/json")
			if !tt.ok {
				require.Error(t, err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, json.Number(tt.in), got, "Number returns the text as written: %s", tt.reason)
		})
	}
}

func TestLiterals(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   any
		err    string
		reason string
	}{
		{"true", "true", true, "", "a literal"},
		{"false", "false", false, "", "a literal"},
		{"null", "null", nil, "", "a literal"},
		{"misspelt true", "trve", nil, "invalid literal", "literals are exact"},
		{"capitalised", "True", nil, "expected a value", "literals are lower case"},
		{"truncated", "fals", nil, "truncated", "a literal cut by the end of input"},
		{"glued", "nullnull", nil, "unexpected data after the top-level value", "one value per document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeString(tt.in)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestStructure(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		err    string // "" means the document is valid
		reason string
	}{
		{"empty object", "{}", "", "no members"},
		{"empty array", "[ ]", "", "white space inside"},
		{"nested", `{"a": [1, {"b": null}, "c"], "d": {}}`, "", "objects in arrays in objects"},
		{"white space everywhere", " \t\r\n{ \"a\" : [ 1 , 2 ] } \n", "", "RFC 8259 white space"},
		{"repeated member", `{"a": 1, "a": 2}`, "", "jsonpull leaves repeated names to its caller"},
		{"trailing comma in object", `{"a": 1,}`, "expected a member name", "no trailing commas"},
		{"trailing comma in array", `[1,]`, "expected a value", "no trailing commas"},
		{"missing colon", `{"a" 1}`, `expected ':'`, "a member needs a colon"},
		{"missing comma", `[1 2]`, "expected ',' or ']'", "elements are separated by commas"},
		{"unquoted key", `{a: 1}`, "expected a member name", "keys are strings"},
		{"single quotes", `{'a': 1}`, "expected a member name", "strings use double quotes"},
		{"comment", "{} // note", "unexpected data", "JSON has no comments"},
		{"two documents", "{} {}", "unexpected data", "one document per input"},
		{"byte order mark", "\ufeff{}", "expected a value", "a BOM is not white space"},
		{"empty input", "", "truncated", "an empty file is not a document"},
		{"only space", "  \n ", "truncated", "white space alone is not a document"},
		{"unclosed object", `{"a": 1`, "truncated", "the end of input inside an object"},
		{"unclosed array", `[1, 2`, "truncated", "the end of input inside an array"},
		{"vertical tab", "[1,\v2]", "expected a value", "only four white space characters"},
		{"NUL byte", "[1,\x002]", "expected a value", "a NUL byte is not white space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeString(tt.in)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err, tt.reason)
				require.False(t, json.Valid([]byte(tt.in)), "encoding/json agrees the input is invalid")
				return
			}
			require.NoError(t, err, tt.reason)
			if diff := cmp.Diff(stdDecode(t, tt.in), got); diff != "" {
				t.Errorf("differs from encoding/json (-std +jsonpull):\n%s", diff)
			}
		})
	}
}

func TestPeek(t *testing.T) {
	tests := []struct {
		in   string
		want jsonpull.Kind
	}{
		{`{}`, jsonpull.Object}, {`[]`, jsonpull.Array}, {`"s"`, jsonpull.String},
		{`-1`, jsonpull.Number}, {`7`, jsonpull.Number}, {`true`, jsonpull.Bool},
		{`false`, jsonpull.Bool}, {`null`, jsonpull.Null}, {`   `, jsonpull.EOF},
		{`}`, jsonpull.Invalid}, {`x`, jsonpull.Invalid},
	}
	for _, tt := range tests {
		r := jsonpull.NewReader(strings.NewReader(tt.in))
		require.Equal(t, tt.want, r.Peek(), "Peek(%q)", tt.in)
		require.Equal(t, tt.want, r.Peek(), "Peek(%q) consumes nothing", tt.in)
	}
	require.Equal(t, "end of input", jsonpull.EOF.String())
	require.Equal(t, "kind(99)", jsonpull.Kind(99).String(), "an out-of-range kind does not panic")
}

func TestDepthLimit(t *testing.T) {
	// nest returns n levels: n-1 opening brackets around an empty one.
	nest := func(n int, open, close string) string {
		return strings.Repeat(open, n-1) + open[:1] + close + strings.Repeat(close, n-1)
	}
	for _, c := range []struct{ open, close string }{{"[", "]"}, {`{"a":`, "}"}} {
		_, err := decodeString(nest(jsonpull.MaxDepth, c.open, c.close))
		require.NoError(t, err, "MaxDepth levels of %s are allowed", c.open)

		_, err = decodeString(nest(jsonpull.MaxDepth+1, c.open, c.close))
		require.ErrorIs(t, err, jsonpull.ErrTooDeep, "one level more is rejected (%s)", c.open)
		var se *jsonpull.SyntaxError
		require.ErrorAs(t, err, &se)
		require.Equal(t, 1, se.Pos.Line)

		// Skip obeys the same limit.
		r := jsonpull.NewReader(strings.NewReader(nest(100000, c.open, c.close)))
		require.ErrorIs(t, r.Skip(), jsonpull.ErrTooDeep, "hostile nesting cannot exhaust the stack")
	}
	// Depth is about nesting, not about how many values came before.
	var b strings.Builder
	b.WriteString("[")
	for i := range 1000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(nest(jsonpull.MaxDepth-1, "[", "]"))
	}
	b.WriteString("]")
	_, err := decodeString(b.String())
	require.NoError(t, err, "siblings do not add up to depth")
}

// sample is a document with every kind of value, escapes and multi-byte
// runes, spread over several lines.
const sample = `{
  "format": "sodkit.bundle/v1",
  "name": "Finance – Treasury \u00e9 \ud83d\ude00 ✓",
  "n": [0, -1.5e+3, 42],
  "flags": {"a": true, "b": false, "c": null},
  "empty": [[], {}, ""]
}
`

func TestTruncatedAtEveryByte(t *testing.T) {
	full, err := decodeString(sample)
	require.NoError(t, err)
	require.Equal(t, stdDecode(t, sample), full)
	// Every strict prefix that ends before the closing brace is not a
	// document; the reader says so without panicking.
	end := strings.LastIndexByte(sample, '}')
	for n := 0; n <= end; n++ {
		prefix := sample[:n]
		for _, r := range []io.Reader{strings.NewReader(prefix), iotest.OneByteReader(strings.NewReader(prefix))} {
			_, err := decode(jsonpull.NewReader(r))
			require.Error(t, err, "prefix of %d bytes", n)
			var se *jsonpull.SyntaxError
			require.ErrorAs(t, err, &se, "prefix of %d bytes", n)
			if utf8.ValidString(prefix) {
				require.Contains(t, se.Msg, "truncated", "a valid prefix fails only for its end (%d bytes: %q)", n, prefix)
			}
		}
	}
	// Past the closing brace only white space remains: still a document.
	for n := end + 1; n <= len(sample); n++ {
		_, err := decodeString(sample[:n])
		require.NoError(t, err)
	}
}

func TestPositions(t *testing.T) {
	in := "{\n  \"a\": 1,\n  \"b\": tru\n}"
	_, err := decodeString(in)
	var se *jsonpull.SyntaxError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 3, se.Pos.Line, "the error is on the line of the bad literal")
	require.Contains(t, err.Error(), "line 3, column")

	// Inside Array and Object callbacks, Pos is where the element or
	// value starts, so callers can note the line of each record.
	r := jsonpull.NewReader(strings.NewReader("[\n  {\"a\":\n    1},\n  {},\n\n  {}\n]"))
	var lines []int
	require.NoError(t, r.Array(func(int) error {
		lines = append(lines, r.Pos().Line)
		return r.Object(func(string) error {
			lines = append(lines, r.Pos().Line)
			return r.Skip()
		})
	}))
	require.Equal(t, []int{2, 2, 4, 6}, lines, "elements start on their own lines; a member's value after its colon")

	r = jsonpull.NewReader(strings.NewReader("\r\n\n  [1]"))
	require.Equal(t, jsonpull.Array, r.Peek())
	require.Equal(t, jsonpull.Pos{Line: 3, Col: 3, Offset: 5}, r.Pos(), "CRLF counts as one line; columns are 1-based bytes")
}

func TestLongValuesCrossBufferBoundaries(t *testing.T) {
	// Strings far longer than the reader's buffer, with multi-byte runes
	// and escapes at every alignment, decode exactly.
	var want strings.Builder
	var doc strings.Builder
	doc.WriteString(`["`)
	for i := range 60000 {
		switch i % 4 {
		case 0:
			want.WriteString("é")
			doc.WriteString("é")
		case 1:
			want.WriteString("😀")
			doc.WriteString(`\ud83d\ude00`)
		case 2:
			want.WriteString("\n")
			doc.WriteString(`\n`)
		default:
			want.WriteString("€")
			doc.WriteString("€")
		}
	}
	doc.WriteString(`", 12345678901234567890]`)
	got, err := decodeString(doc.String())
	require.NoError(t, err)
	require.Equal(t, []any{want.String(), json.Number("12345678901234567890")}, got)
}

// zeroReader returns (0, nil) n times before each real read.
type zeroReader struct {
	r    io.Reader
	n, i int
}

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.i < z.n {
		z.i++
		return 0, nil
	}
	z.i = 0
	return z.r.Read(p)
}

func TestReadErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	r := jsonpull.NewReader(io.MultiReader(strings.NewReader(`{"a": [1, 2`), iotest.ErrReader(boom)))
	err := r.Skip()
	require.ErrorIs(t, err, boom, "a read error is returned as itself")
	var se *jsonpull.SyntaxError
	require.False(t, errors.As(err, &se), "a read error is not a syntax error")

	r = jsonpull.NewReader(iotest.DataErrReader(strings.NewReader(`{"a": 1}`)))
	require.NoError(t, r.Skip(), "data returned with io.EOF is read")
	require.NoError(t, r.End())

	r = jsonpull.NewReader(&zeroReader{r: iotest.OneByteReader(strings.NewReader(`[true]`)), n: 3})
	_, err = decode(r)
	require.NoError(t, err, "a few empty reads are not an error (io.Reader allows them)")

	r = jsonpull.NewReader(&zeroReader{r: strings.NewReader(`[true]`), n: 1000})
	require.ErrorIs(t, r.Skip(), io.ErrNoProgress, "a reader that never yields data is an error")
}

func TestSkip(t *testing.T) {
	r := jsonpull.NewReader(strings.NewReader(`[{"a": [1, "x", {"b": null}]}, true, "s", -2]`))
	var kinds []jsonpull.Kind
	require.NoError(t, r.Array(func(int) error {
		kinds = append(kinds, r.Peek())
		return r.Skip()
	}))
	require.NoError(t, r.End())
	require.Equal(t, []jsonpull.Kind{jsonpull.Object, jsonpull.Bool, jsonpull.String, jsonpull.Number}, kinds)
}

func TestCallbackErrorStops(t *testing.T) {
	stop := errors.New("stop")
	r := jsonpull.NewReader(strings.NewReader(`{"a": 1, "b": 2}`))
	var keys []string
	err := r.Object(func(key string) error {
		keys = append(keys, key)
		return stop
	})
	require.ErrorIs(t, err, stop, "the callback's error is returned")
	require.Equal(t, []string{"a"}, keys, "no member after the error")
}

func TestStringBytesReuse(t *testing.T) {
	r := jsonpull.NewReader(strings.NewReader(`["first", "second"]`))
	var got []string
	require.NoError(t, r.Array(func(int) error {
		b, err := r.StringBytes()
		got = append(got, string(b))
		return err
	}))
	require.Equal(t, []string{"first", "second"}, got)
}

// FuzzReader checks that no input panics the reader, that it accepts
// exactly what encoding/json accepts (apart from the documented extra
// strictness: nesting depth, invalid UTF-8 and unpaired surrogates), and
// that what it accepts decodes to the same values.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		sample, `{}`, `[]`, `""`, `0`, `-0.5e-3`, `true`, `null`, `{"a":[1,{"b":"\u00e9"}]}`,
		`"\ud83d\ude00"`, `"\ud83d"`, "\"\xff\"", `[1,]`, `{"a" 1}`, `01`, strings.Repeat("[", 70),
		"\"\uFFFD\"", `{"a":1,"a":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := decode(jsonpull.NewReader(bytes.NewReader(in)))
		again, err2 := decode(jsonpull.NewReader(iotest.OneByteReader(bytes.NewReader(in))))
		require.Equal(t, err == nil, err2 == nil, "the result does not depend on read sizes")
		if err == nil {
			require.Equal(t, got, again)
		}
		chunked, err3 := decode(jsonpull.NewReader(&chunkReader{data: in, sizes: []int{1 + len(in)%7, 2, 5}}))
		require.Equal(t, err == nil, err3 == nil, "the result does not depend on read sizes")
		if err == nil {
			require.Equal(t, got, chunked)
		}
		// SkipStructure, which looks only at strings and brackets, ends
		// where Skip ends whenever Skip accepts the value.
		strict := jsonpull.NewReader(bytes.NewReader(in))
		loose := jsonpull.NewReader(&chunkReader{data: in, sizes: []int{1 + len(in)%5, 3}})
		if strict.Skip() == nil {
			require.NoError(t, loose.SkipStructure(), "%q", in)
			require.Equal(t, strict.Pos(), loose.Pos(), "SkipStructure ends where Skip does: %q", in)
		} else {
			loose.SkipStructure() // may pass malformed input, but never panics
		}
		valid := json.Valid(in)
		if err == nil {
			require.True(t, valid, "jsonpull accepted what encoding/json rejects: %q", in)
			dec := json.NewDecoder(bytes.NewReader(in))
			dec.UseNumber()
			var want any
			require.NoError(t, dec.Decode(&want))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("decodes differently from encoding/json (-std +jsonpull):\n%s", diff)
			}
			return
		}
		var se *jsonpull.SyntaxError
		require.ErrorAs(t, err, &se, "bytes in memory fail only with syntax errors")
		if valid && !errors.Is(err, jsonpull.ErrTooDeep) && utf8.Valid(in) && !bytes.Contains(in, []byte(`\u`)) {
			t.Fatalf("jsonpull rejected valid JSON %q: %v", in, err)
		}
	})
}

// chunkReader returns its input in reads of the sizes in sizes, in turn,
// so values and member names end at every position of the buffer.
type chunkReader struct {
	data  []byte
	sizes []int
	n     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	size := min(c.sizes[c.n%len(c.sizes)], len(p), len(c.data))
	c.n++
	copy(p, c.data[:size])
	c.data = c.data[size:]
	return size, nil
}

// TestReadBoundaries decodes documents read in every chunk size and with
// the first read cut at every offset: strings returned in place from the
// buffer must survive the reads that follow them (a member name and its
// ':' on either side of a refill, white space between them).
func TestReadBoundaries(t *testing.T) {
	docs := []string{
		sample,
		`{"ab"  :  "cd", "efg"	:"h", "i":{"jk" :["l","m"]}, "n\u0041":"o\"p"}`,
		"{\"a\"\r\n:\"b\",\"cc\" \n : [\"dd\" , \"e\"] }",
	}
	for _, doc := range docs {
		want, err := decode(jsonpull.NewReader(strings.NewReader(doc)))
		require.NoError(t, err)
		for k := 1; k <= len(doc); k++ {
			for _, sizes := range [][]int{{k}, {k, len(doc)}, {k, 1, 2, 3}} {
				got, err := decode(jsonpull.NewReader(&chunkReader{data: []byte(doc), sizes: sizes}))
				require.NoError(t, err, "reads of %v", sizes)
				require.Equal(t, want, got, "reads of %v", sizes)
			}
		}
	}
}

// errAfter yields nothing but err: what a source returns after the bytes
// RawObject captured.
type errAfter struct{ err error }

func (e errAfter) Read([]byte) (int, error) { return 0, e.err }

// elementsRaw reads a top-level array's elements the way a parallel
// decoder does: objects captured with RawObject and decoded by a second
// Reader reset to their start, anything else decoded in place.
func elementsRaw(r *jsonpull.Reader) ([]any, error) {
	return elementsSpans(r, nil)
}

// span is where RawObject found an object: its offset and length.
type span struct {
	off int64
	n   int
}

// objectSpans reads the array as elementsRaw does and returns where each
// object element was.
func objectSpans(r *jsonpull.Reader) []span {
	var out []span
	r.Array(func(int) error {
		raw, at, ok, err := r.RawObject(nil)
		if !ok {
			if err != nil {
				return err
			}
			_, err := value(r)
			return err
		}
		out = append(out, span{at.Pos.Offset, len(raw)})
		return err
	})
	return out
}

// elementsSpans reads the array's object elements by RawSpan at the
// spans a first reading found and by RawObject where a span does not
// match (every object, without spans), each decoded by a Reader reset to
// its bytes, and the other elements in place.
func elementsSpans(r *jsonpull.Reader, spans []span) ([]any, error) {
	var out []any
	elem := jsonpull.NewReader(nil)
	err := r.Array(func(int) error {
		var raw []byte
		var at jsonpull.Start
		ok := false
		var err error
		if len(spans) > 0 {
			if raw, at, ok, err = r.RawSpan(nil, spans[0].off, spans[0].n); ok {
				spans = spans[1:]
			} else if err != nil {
				return err
			}
		}
		if !ok {
			raw, at, ok, err = r.RawObject(nil)
		}
		if !ok {
			if err != nil {
				return err
			}
			v, err := value(r)
			out = append(out, v)
			return err
		}
		var src io.Reader = bytes.NewReader(raw)
		if err != nil {
			src = io.MultiReader(src, errAfter{err})
		}
		elem.ResetAt(src, at)
		v, verr := value(elem)
		out = append(out, v)
		if verr != nil {
			return verr
		}
		if err != nil {
			return elem.End()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, r.End()
}

func elementsInPlace(r *jsonpull.Reader) ([]any, error) {
	var out []any
	err := r.Array(func(int) error {
		v, err := value(r)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, r.End()
}

// TestRawObject checks that decoding objects captured by RawObject gives
// the same values and the same errors, at the same positions, as decoding
// them in place — for well-formed input and for each kind of damage.
func TestRawObject(t *testing.T) {
	docs := []struct{ name, in, reason string }{
		{"objects", "[\n {\"a\": 1, \"b\": [1, {\"c\": \"}]\\\"\"}]},\n {\"d\": {}}\n]", "brackets and quotes inside strings do not end an object"},
		{"mixed", `[{"a":1}, 2, "x", [3], {"b":null}]`, "non-objects are read in place"},
		{"empty", `[]`, "no elements"},
		{"bad member", "[{\"a\":1},\n {\"b\" 2}]", "a syntax error inside a captured object"},
		{"mismatched", `[{"a":[1}, {"b":2}]`, "a bracket of the wrong kind"},
		{"truncated", "[{\"a\":1},\n {\"b\": [1, 2", "the input ends inside an object"},
		{"truncated string", `[{"a":"xyz`, "the input ends inside a string"},
		{"control character", "[{\"a\":\"x\ny\"}, {\"b\":1}]", "a raw newline inside a string"},
		{"bad after", `[{"a":1} {"b":2}]`, "a missing comma between objects"},
		{"too deep", "[" + strings.Repeat(`{"a":`, 70) + "1" + strings.Repeat("}", 70) + "]", "the depth limit counts the enclosing array"},
	}
	for _, tt := range docs {
		t.Run(tt.name, func(t *testing.T) {
			for _, sizes := range [][]int{{1 << 20}, {1}, {3, 1, 4}, {7}} {
				want, wantErr := elementsInPlace(jsonpull.NewReader(&chunkReader{data: []byte(tt.in), sizes: sizes}))
				got, gotErr := elementsRaw(jsonpull.NewReader(&chunkReader{data: []byte(tt.in), sizes: sizes}))
				if wantErr != nil {
					require.Error(t, gotErr, tt.reason)
					require.Equal(t, wantErr.Error(), gotErr.Error(), "%s (reads of %v)", tt.reason, sizes)
					continue
				}
				require.NoError(t, gotErr, tt.reason)
				require.Equal(t, want, got, "%s (reads of %v)", tt.reason, sizes)
			}
		})
	}
}

// FuzzRawObject checks, for any input, that reading an array's objects
// through RawObject matches reading them in place: the same values, or
// the same first error at the same position.
func FuzzRawObject(f *testing.F) {
	for _, s := range []string{
		`[{"a":1},{"b":[2,{"c":"}"}]}]`, `[{"a":1}, 2, "x", [3]]`, `[{"a":[1}]`, `[{"a":"x`, "[{\"a\":\"\\\"\"}\n,{}]",
		`[{"a" 1}]`, `[{}{}]`, `[{"a":1},]`, "[\n{\"a\":\n\"\\u00e9\"}]",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8) {
		sizes := []int{1 << 20}
		if chunk > 0 {
			sizes = []int{int(chunk%16) + 1, 1, 5}
		}
		want, wantErr := elementsInPlace(jsonpull.NewReader(&chunkReader{data: in, sizes: sizes}))
		got, gotErr := elementsRaw(jsonpull.NewReader(&chunkReader{data: in, sizes: sizes}))
		// RawSpan, reading again where a first reading found the objects,
		// reads what RawObject reads.
		spans := objectSpans(jsonpull.NewReader(&chunkReader{data: in, sizes: sizes}))
		again, againErr := elementsSpans(jsonpull.NewReader(&chunkReader{data: in, sizes: sizes}), spans)
		if wantErr != nil {
			require.Error(t, gotErr)
			require.Equal(t, wantErr.Error(), gotErr.Error())
			require.Error(t, againErr)
			require.Equal(t, wantErr.Error(), againErr.Error())
			return
		}
		require.NoError(t, gotErr)
		require.Equal(t, want, got)
		require.NoError(t, againErr)
		require.Equal(t, want, again)
	})
}

// TestRawSpan: RawSpan takes the bytes a first reading found, keeps
// counting lines through them (an error after them is placed alike), and
// takes nothing when the object is not where it was.
func TestRawSpan(t *testing.T) {
	in := "[\n{\"a\":\n1},\n {\"b\": \"x\ny\"},\n {\"c\": 3}\n x]"
	spans := objectSpans(jsonpull.NewReader(strings.NewReader(in)))
	require.Len(t, spans, 3)
	_, placeErr := elementsRaw(jsonpull.NewReader(strings.NewReader(in)))
	_, spanErr := elementsSpans(jsonpull.NewReader(strings.NewReader(in)), spans)
	require.Error(t, placeErr, "the trailing x is a syntax error")
	require.Equal(t, placeErr.Error(), spanErr.Error(), "placed on the same line and column")

	plain := `[{"a":1},{"b":2}]`
	first := objectSpans(jsonpull.NewReader(strings.NewReader(plain)))
	r := jsonpull.NewReader(strings.NewReader(" " + plain))
	var got []string
	require.NoError(t, r.Array(func(int) error {
		raw, _, ok, err := r.RawSpan(nil, first[0].off, first[0].n)
		require.NoError(t, err)
		require.False(t, ok, "shifted by a byte: no object is where it was")
		require.Empty(t, raw, "and nothing is taken")
		raw, _, ok, err = r.RawObject(nil)
		require.True(t, ok)
		got = append(got, string(raw))
		return err
	}))
	require.Equal(t, []string{`{"a":1}`, `{"b":2}`}, got, "RawObject reads on from where RawSpan left the reader")
}

// TestSkipStructure: SkipStructure gets past a value by its strings and
// brackets alone, counting lines, and fails only when the input ends
// inside it.
func TestSkipStructure(t *testing.T) {
	tests := []struct {
		name, reason, in string
		wantErr          bool
		line             int // the line after the value
	}{
		{"brackets in strings", "brackets and quotes inside strings do not count",
			`[{"a": "]}", "b": "\"]"}, "x"]`, false, 1},
		{"escaped backslash", "a string ending in an escaped backslash ends there",
			`{"a": "\\"}`, false, 1},
		{"lines", "line breaks between tokens are counted",
			"[\n{\"a\":\n1}\n]", false, 4},
		{"scalar", "a value that is no object or array is read as Skip reads it", `"plain"`, false, 1},
		{"truncated", "the input ends inside the value", `[{"a": [1, 2]`, true, 0},
		{"truncated string", "the input ends inside a string", `["abc`, true, 0},
		{"loose", "tokens between are not checked: the second pass reads them strictly", `[tru, 01, {"a" 1}]`, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := jsonpull.NewReader(strings.NewReader(tt.in + " "))
			err := r.SkipStructure()
			if tt.wantErr {
				require.Error(t, err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, tt.line, r.Pos().Line, tt.reason)
			require.NoError(t, r.End(), "%s: the whole value was consumed", tt.reason)
		})
	}
}
