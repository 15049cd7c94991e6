package yamljson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/internal/yamljson"
)

// decode reads JSON into Go values, numbers as json.Number.
func decode(t testing.TB, data []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	require.NoError(t, d.Decode(&v), "%s", data)
	return v
}

// same compares decoded JSON values, numbers by value.
func same(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !same(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !same(a[i], b[i]) {
				return false
			}
		}
		return true
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, ok1 := new(big.Rat).SetString(string(a))
		y, ok2 := new(big.Rat).SetString(string(b))
		return ok1 && ok2 && x.Cmp(y) == 0
	}
	return a == b
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		yaml   string
		json   string
	}{
		{name: "core schema", reason: "plain scalars are typed by the YAML 1.2 core schema; quoted ones are strings",
			yaml: "a: 1\nb: true\nc: null\nd: ~\ne:\nf: hello world\ng: \"quoted: yes\"\nh: 'it''s'\ni: 2026-01-31T09:00:00Z\n" +
				"j: 0x1F\nk: 0o17\nl: 1.5e3\nm: .5\nn: +7\no: 007\np: P90D\nq: erp:vendor.create\nr: yes\ns: \"1\"\nt: False\nu: -12\nv: 1.\n",
			json: `{"a": 1, "b": true, "c": null, "d": null, "e": null, "f": "hello world", "g": "quoted: yes", "h": "it's",
				"i": "2026-01-31T09:00:00Z", "j": 31, "k": 15, "l": 1500, "m": 0.5, "n": 7, "o": 7, "p": "P90D",
				"q": "erp:vendor.create", "r": "yes", "s": "1", "t": false, "u": -12, "v": 1}`},
		{name: "nesting", reason: "block mappings and sequences nest by indentation",
			yaml: "sod:\n  rules:\n    - id: R1\n      sides:\n        - duty: a\n        - duty: b\n    - id: R2\n  duties: []\n",
			json: `{"sod": {"rules": [{"id": "R1", "sides": [{"duty": "a"}, {"duty": "b"}]}, {"id": "R2"}], "duties": []}}`},
		{name: "indentless sequence", reason: "a sequence may sit at its key's indentation",
			yaml: "a:\n- x\n- y\nb:\n  - z\n",
			json: `{"a": ["x", "y"], "b": ["z"]}`},
		{name: "compact nested sequences", reason: "- - a is a sequence in a sequence",
			yaml: "- - a\n  - b\n- - c\n-\n  d: 1\n- \n",
			json: `[["a", "b"], ["c"], {"d": 1}, null]`},
		{name: "flow collections", reason: "flow sequences and mappings, over lines, with a trailing comma",
			yaml: "a: [x, 'y z', \"w\"]\nb: {k: 1, l: [2, 3],\n    m: {}}\nc: [\n  erp:vendor.create,\n  erp:payment.release,\n]\nd: {n}\n",
			json: `{"a": ["x", "y z", "w"], "b": {"k": 1, "l": [2, 3], "m": {}}, "c": ["erp:vendor.create", "erp:payment.release"], "d": {"n": null}}`},
		{name: "multi-line scalars", reason: "plain and quoted scalars fold: a line break is a space, an empty line a line break",
			yaml: "a: one\n  two\n\n  three\nb: \"x\\ty \\\n  z\\u00e9 \\x41\"\nc: 'p\n  q'\nd: \"l1\n\n  l2\"\n",
			json: `{"a": "one two\nthree", "b": "x\ty z\u00e9 A", "c": "p q", "d": "l1\nl2"}`},
		{name: "block scalars", reason: "literal keeps line breaks, folded folds them; chomping indicators",
			yaml: "a: |\n  line 1\n   line 2\n\n  line 3\n\nb: >\n  folded\n  text\n\n  para\n    kept\n  end\nc: |-\n  strip\nd: |+\n  keep\n\ne: >2\n   indented\nf: |\n# a comment after it\ng: x\n",
			json: `{"a": "line 1\n line 2\n\nline 3\n", "b": "folded text\npara\n  kept\nend\n", "c": "strip", "d": "keep\n\n", "e": " indented\n", "f": "", "g": "x"}`},
		{name: "comments and markers", reason: "comments anywhere, a document start and end, a byte-order mark, CRLF",
			yaml: "\ufeff# head\r\n---\r\na: 1 # one\r\n# between\r\nb: \"#not a comment\" # but this is\r\nc: x#y\r\n...\r\n# tail\r\n",
			json: `{"a": 1, "b": "#not a comment", "c": "x#y"}`},
		{name: "empty document", reason: "nothing but comments is null", yaml: "# nothing\n\n", json: `null`},
		{name: "root scalar", reason: "any node may be the root", yaml: "  hello\n  world\n", json: `"hello world"`},
		{name: "keys", reason: "keys are strings, quoted or plain, with spaces and colons inside",
			yaml: "\"quoted key\": 1\ntrue: 2\n'x: y': 3\nsome key: 4\nerp:vendor.create: 5\n",
			json: `{"quoted key": 1, "true": 2, "x: y": 3, "some key": 4, "erp:vendor.create": 5}`},
		{name: "JSON", reason: "JSON is YAML", yaml: `{"a": [1, -2.5e3, true, null, "\u00e9\n\/"], "b": {}}`,
			json: `{"a": [1, -2.5e3, true, null, "é\n/"], "b": {}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := yamljson.Convert([]byte(tt.yaml))
			require.NoError(t, err, tt.reason)
			require.True(t, same(decode(t, []byte(tt.json)), decode(t, r.JSON)), "%s\ngot  %s\nwant %s", tt.reason, r.JSON, tt.json)
			require.Equal(t, bytes.Count(r.JSON, []byte("\n"))+1, len(r.Lines))
		})
	}
}

func TestConvertKeepsRepeatedKeys(t *testing.T) {
	r, err := yamljson.Convert([]byte("id: a\nid: b\n"))
	require.NoError(t, err)
	require.Equal(t, "{\n\"id\": \"a\",\n\"id\": \"b\"\n}", string(r.JSON), "a repeated key is left for the JSON loader to report")
}

// TestConvertLines checks that each JSON line maps to the YAML line of the
// member or element it holds, so a JSON loader's errors name YAML lines.
func TestConvertLines(t *testing.T) {
	yaml := strings.Join([]string{
		`format: sodkit.bundle/v1`, // 1
		`sod:`,                     // 2
		`  rules:`,                 // 3
		`    # the pair`,           // 4
		`    - id: R1`,             // 5
		`      sides:`,             // 6
		`        - duty: a`,        // 7
		`        - {duty: b}`,      // 8
		`      title: >`,           // 9
		`        Vendors and`,      // 10
		`        payments`,         // 11
		`      k: 2`,               // 12
	}, "\n")
	r, err := yamljson.Convert([]byte(yaml))
	require.NoError(t, err)
	jsonLines := strings.Split(string(r.JSON), "\n")
	require.Len(t, r.Lines, len(jsonLines))
	at := map[string]int{}
	for i, l := range jsonLines {
		if _, seen := at[strings.TrimSpace(l)]; !seen {
			at[strings.TrimSpace(l)] = r.Lines[i]
		}
	}
	for member, want := range map[string]int{
		`"format": "sodkit.bundle/v1",`: 1, `"sod": {`: 2, `"rules": [`: 3, `"id": "R1",`: 5,
		`"sides": [`: 6, `"duty": "a"`: 7, `"duty": "b"`: 8, `"title": "Vendors and payments\n",`: 9, `"k": 2`: 12,
	} {
		got, ok := at[member]
		require.True(t, ok, "no JSON line %s in\n%s", member, r.JSON)
		require.Equal(t, want, got, "the YAML line of %s", member)
	}
	rules := slices.IndexFunc(jsonLines, func(l string) bool { return strings.TrimSpace(l) == `"rules": [` })
	require.Equal(t, "{", strings.TrimSpace(jsonLines[rules+1]))
	require.Equal(t, 5, r.Lines[rules+1], "a record's object starts on its entry's line")
	require.True(t, slices.IsSorted(r.Lines))
}

func TestConvertErrors(t *testing.T) {
	tests := []struct {
		name      string
		reason    string
		yaml      string
		line, col int
		msg       string
	}{
		{name: "anchor", reason: "the subset has no graph", yaml: "a: 1\nb: &x 2\n", line: 2, col: 4, msg: "anchors"},
		{name: "alias", reason: "the subset has no graph", yaml: "a:\n  - *x\n", line: 2, col: 5, msg: "aliases"},
		{name: "tag", reason: "values are typed by the core schema only", yaml: "a: !!str 1\n", line: 1, col: 4, msg: "tags"},
		{name: "complex key", reason: "keys are scalars", yaml: "? a\n: b\n", line: 1, col: 1, msg: "complex keys"},
		{name: "directive", reason: "one version of YAML is read", yaml: "%YAML 1.2\n---\na: 1\n", line: 1, col: 1, msg: "directives"},
		{name: "two documents", reason: "a file is one document", yaml: "a: 1\n---\nb: 2\n", line: 2, col: 1, msg: "second document"},
		{name: "after the end", reason: "nothing follows the document's end", yaml: "a: 1\n...\nb: 2\n", line: 3, col: 1, msg: "after the end"},
		{name: "tab indentation", reason: "YAML indents with spaces", yaml: "a:\n\tb: 1\n", line: 2, col: 1, msg: "tab"},
		{name: "continued mapping", reason: "a mapping cannot start inside a plain value", yaml: "a: 1\n  b: 2\n", line: 2, col: 4, msg: "mapping cannot start"},
		{name: "value and mapping", reason: "\"a: b: c\" is ambiguous", yaml: "a: b: c\n", line: 1, col: 5, msg: "mapping cannot start"},
		{name: "dedent", reason: "entries of one mapping align", yaml: "a:\n    b: 1\n  c: 2\n", line: 3, col: 3, msg: "unexpected indentation"},
		{name: "over-indented key", reason: "entries of one mapping align", yaml: "a:\n  b: 1\n    c: 2\n", line: 3, col: 6, msg: "mapping cannot start"},
		{name: "unclosed quote", reason: "a quoted value ends", yaml: "a: \"open\nb: 1\n", line: 1, col: 4, msg: "closing"},
		{name: "unclosed flow", reason: "a flow collection ends", yaml: "a: [1, 2\nb: 3\n", line: 2, col: 1, msg: `expected "," or "]"`},
		{name: "unclosed flow at the end", reason: "a flow collection ends", yaml: "a: [1, 2\n", line: 1, col: 4, msg: "closing"},
		{name: "bad escape", reason: "unknown escapes are errors", yaml: "a: \"x\\qy\"\n", line: 1, col: 6, msg: "unknown escape"},
		{name: "surrogate", reason: "an escape must be a character", yaml: "a: \"\\ud800\"\n", line: 1, col: 5, msg: "not a Unicode character"},
		{name: "infinity", reason: "JSON holds no infinity", yaml: "a: .inf\n", line: 1, col: 4, msg: "JSON cannot hold"},
		{name: "sequence on the key's line", reason: "not YAML", yaml: "a: - b\n", line: 1, col: 4, msg: "sequence cannot start"},
		{name: "sequence among keys", reason: "a mapping's entries are keys", yaml: "a: 1\n- b\n", line: 2, col: 1, msg: "sequence entry among"},
		{name: "invalid UTF-8", reason: "text is UTF-8", yaml: "a: \xff\n", line: 1, col: 4, msg: "UTF-8"},
		{name: "control character", reason: "YAML forbids them raw", yaml: "a: x\x01\n", line: 1, col: 5, msg: "control character"},
		{name: "mapping in flow sequence", reason: "the subset reads [{a: b}] only", yaml: "a: [b: c]\n", line: 1, col: 6, msg: "not supported"},
		{name: "too deep", reason: "nesting is bounded", yaml: "a: " + strings.Repeat("[", 100) + "\n", line: 1, col: 67, msg: "nesting"},
		{name: "empty key", reason: "keys are not empty", yaml: ": x\n", line: 1, col: 1, msg: "empty mapping key"},
		{name: "reserved", reason: "@ and ` are reserved", yaml: "a: @x\n", line: 1, col: 4, msg: "quote it"},
		{name: "trailing junk", reason: "nothing follows a closed value", yaml: "a: \"x\" y\n", line: 1, col: 8, msg: "unexpected"},
		{name: "bad block header", reason: "indicators are + - and a digit", yaml: "a: |x\n  t\n", line: 1, col: 5, msg: "block scalar"},
		{name: "content on the start line", reason: "the subset starts content on the next line", yaml: "--- a\n", line: 1, col: 5, msg: "next line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := yamljson.Convert([]byte(tt.yaml))
			e, ok := errors.AsType[*yamljson.Error](err)
			require.True(t, ok, "%s: want an *Error, got %v", tt.reason, err)
			require.Equal(t, [2]int{tt.line, tt.col}, [2]int{e.Line, e.Col}, "%s: %v", tt.reason, err)
			require.Contains(t, e.Msg, tt.msg, tt.reason)
		})
	}
}

// toYAML writes a decoded JSON value as block YAML, with every string
// double-quoted, for the round trip of FuzzConvert.
func toYAML(b *strings.Builder, v any, indent string) {
	scalar := func(v any) (string, bool) {
		switch v := v.(type) {
		case nil:
			return "null", true
		case bool:
			return strconv.FormatBool(v), true
		case json.Number:
			return string(v), true
		case string:
			return strconv.Quote(v), true
		case map[string]any:
			if len(v) == 0 {
				return "{}", true
			}
		case []any:
			if len(v) == 0 {
				return "[]", true
			}
		}
		return "", false
	}
	if s, ok := scalar(v); ok {
		b.WriteString(indent + s + "\n")
		return
	}
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b.WriteString(indent + strconv.Quote(k) + ":")
			if s, ok := scalar(v[k]); ok {
				b.WriteString(" " + s + "\n")
				continue
			}
			b.WriteString("\n")
			toYAML(b, v[k], indent+"  ")
		}
	case []any:
		for _, e := range v {
			b.WriteString(indent + "-")
			if s, ok := scalar(e); ok {
				b.WriteString(" " + s + "\n")
				continue
			}
			b.WriteString("\n")
			toYAML(b, e, indent+"  ")
		}
	}
}

// FuzzConvert converts arbitrary bytes. Converting never panics; an error
// is an *Error on a line of the input; a result is valid JSON with one
// YAML line per JSON line, never decreasing, within the input; written
// back as YAML it converts to the same value; and input that is JSON
// converts, when it does, to the value JSON reads.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"a: 1\nb: [x, {y: z}]\nc:\n- d\n- e: |\n    text\n",
		"format: sodkit.bundle/v1\nsod:\n  rules:\n    - id: R1\n      sides: [{duty: a}, {duty: b}]\n",
		`{"a": [1, "x", null, true], "b": {"c": -2.5e3}}`,
		"- - a\n  - 'b''c'\n- \"d\\te\"\n- >-\n  f\n  g\n",
		"a: &x 1\n", "? a\n", "a: \"\\u00e9\\x41\"\n", "--- # c\na: ~\n...\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := yamljson.Convert(data)
		nlines := bytes.Count(data, []byte("\n")) + 1
		if err != nil {
			e, ok := errors.AsType[*yamljson.Error](err)
			if !ok {
				t.Fatalf("not an *Error: %v", err)
			}
			if e.Line < 1 || e.Line > nlines || e.Col < 0 || e.Msg == "" {
				t.Fatalf("error outside the input (%d lines): %+v", nlines, e)
			}
			return
		}
		if !json.Valid(r.JSON) {
			t.Fatalf("invalid JSON %q", r.JSON)
		}
		if got := bytes.Count(r.JSON, []byte("\n")) + 1; got != len(r.Lines) {
			t.Fatalf("%d JSON lines, %d line numbers", got, len(r.Lines))
		}
		if !slices.IsSorted(r.Lines) || r.Lines[0] < 1 || r.Lines[len(r.Lines)-1] > nlines {
			t.Fatalf("line numbers %v outside 1..%d or decreasing", r.Lines, nlines)
		}
		v := decode(t, r.JSON)
		var b strings.Builder
		toYAML(&b, v, "")
		back, err := yamljson.Convert([]byte(b.String()))
		if err != nil {
			t.Fatalf("the value written back does not convert: %v\n%s", err, b.String())
		}
		if !same(v, decode(t, back.JSON)) {
			t.Fatalf("round trip changed the value:\n%s\n%s", r.JSON, back.JSON)
		}
		if json.Valid(data) && !same(decode(t, data), v) {
			t.Fatalf("JSON input converted to another value: %s", r.JSON)
		}
	})
}
