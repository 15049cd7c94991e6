package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/internal/strictjson"
)

// record is what the tests decode: a struct with a nested struct, a list
// of structs and a map, as sodkit's records have.
type record struct {
	Actor  string         `json:"actor,omitempty"`
	Ticket string         `json:"ticket,omitempty"`
	Basis  basis          `json:"basis"`
	Items  []basis        `json:"items,omitempty"`
	Counts map[string]int `json:"counts,omitempty"`
	N      int            `json:"n,omitempty"`
}

type basis struct {
	Rule string `json:"rule,omitempty"`
}

// manyKeys returns a "counts" object with keys k0…k(n-1), then last.
func manyKeys(n int, last string) string {
	var b strings.Builder
	b.WriteString(`{"counts":{`)
	for i := range n {
		fmt.Fprintf(&b, `"k%d":%d,`, i, i)
	}
	fmt.Fprintf(&b, `%q:0}}`, last)
	return b.String()
}

// problem is a Problem as the table states it: its line, key, and a part
// of its message.
type problem struct {
	line int
	key  string
	msg  string
	dup  bool
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		in     string
		maps   []string
		want   []problem
	}{
		{name: "valid", reason: "a well-formed record decodes with no problem",
			in: `{"actor":"carol","basis":{"rule":"r"},"items":[{"rule":"a"}],"counts":{"a":1}}`},
		{name: "leading space", reason: "white space may precede the object", in: " \n\t{\"actor\":\"carol\"}"},
		{name: "duplicate", reason: "encoding/json would keep the last value silently",
			in: `{"actor":"carol","actor":"mallory"}`, want: []problem{{1, "actor", "duplicate key", true}}},
		{name: "duplicate later line", reason: "the line is the duplicate's, and the note names the first",
			in: "{\n\"actor\":\"carol\",\n\"n\":1,\n\"actor\":\"mallory\"}", want: []problem{{4, "actor", "duplicate key (first at line 2)", true}}},
		{name: "case", reason: "encoding/json matches field names without regard to case",
			in: `{"actor":"carol","ACTOR":"mallory"}`, want: []problem{{1, "ACTOR", `duplicate key (same field as "actor")`, true}}},
		{name: "escaped", reason: "an escape spells the same key",
			in: `{"actor":"carol","\u0061ctor":"mallory"}`, want: []problem{{1, "actor", "duplicate key", true}}},
		{name: "nested", reason: "objects inside the record are checked, named by their path",
			in: `{"basis":{"rule":"a","rule":"b"}}`, want: []problem{{1, "basis.rule", "duplicate key", true}}},
		{name: "in a list", reason: "a list element's path carries its index",
			in: `{"items":[{"rule":"a"},{"rule":"a","Rule":"b"}]}`, want: []problem{{1, "items[1].Rule", "duplicate key", true}}},
		{name: "map folded by default", reason: "without being told, an object is a struct's and keys fold",
			in: `{"counts":{"a":1,"A":2}}`, want: []problem{{1, "counts.A", "duplicate key", true}}},
		{name: "map exact", reason: "a Go map's keys match exactly, so a and A are two keys",
			in: `{"counts":{"a":1,"A":2}}`, maps: []string{"counts"}},
		{name: "map exact duplicate", reason: "the same key twice in a map is still a duplicate",
			in: `{"counts":{"a":1,"a":2}}`, maps: []string{"counts"}, want: []problem{{1, "counts.a", "duplicate key", true}}},
		{name: "map path is exact", reason: "only the named member is a map; fields around it still fold",
			in: `{"counts":{"a":1},"Counts":{}}`, maps: []string{"counts"}, want: []problem{{1, "Counts", "duplicate key", true}}},
		{name: "many keys", reason: "an object with many keys is indexed, not scanned, and still checked",
			in: manyKeys(40, "K5"), want: []problem{{1, "counts.K5", `duplicate key (same field as "k5")`, true}}},
		{name: "many keys exact", reason: "the index of a map's keys does not fold either",
			in: manyKeys(40, "K5"), maps: []string{"counts"}},
		{name: "many keys exact duplicate", reason: "and still finds an exact duplicate",
			in: manyKeys(40, "k5"), maps: []string{"counts"}, want: []problem{{1, "counts.k5", "duplicate key", true}}},
		{name: "empty key", reason: "the empty string is a key too", in: `{"":1,"":2}`,
			want: []problem{{1, "", "duplicate key", true}, {1, "", `unknown field ""`, false}}},
		{name: "unknown field", reason: "a field the struct lacks is an error, not ignored",
			in: `{"approver":"x"}`, want: []problem{{1, "", `unknown field "approver"`, false}}},
		{name: "wrong type", reason: "a value of the wrong type names its key and line",
			in: "{\n\"actor\":1}", want: []problem{{2, "actor", "cannot unmarshal number", false}}},
		{name: "every problem", reason: "all duplicates and the decoding error are reported together, by line",
			in: "{\"n\":\"x\",\n\"actor\":\"a\",\"actor\":\"b\"}", want: []problem{{1, "n", "cannot unmarshal string", false}, {2, "actor", "duplicate key", true}}},
		{name: "not an object", reason: "a record is an object", in: `[1]`, want: []problem{{1, "", "not a JSON object", false}}},
		{name: "null", reason: "null is not a record either", in: `null`, want: []problem{{1, "", "not a JSON object", false}}},
		{name: "trailing data", reason: "one value, nothing after it", in: "{}\n{}", want: []problem{{1, "", "unexpected data after the JSON object", false}}},
		{name: "syntax", reason: "malformed JSON names the line of the offending byte", in: "{\"actor\":\n}", want: []problem{{2, "", "invalid character '}'", false}}},
		{name: "cut short", reason: "an object cut short names the end of the input", in: "{\"actor\":\n\"x\"", want: []problem{{2, "", "unexpected end of input", false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r record
			ps := strictjson.Decode([]byte(tc.in), 1, &r, tc.maps...)
			require.Len(t, ps, len(tc.want), "%s: %v", tc.reason, ps)
			for i, w := range tc.want {
				p := ps[i]
				require.Equal(t, w.line, p.Line, "%s: %v", tc.reason, p.Err)
				require.Equal(t, w.key, p.Key, tc.reason)
				require.ErrorContains(t, p.Err, w.msg, tc.reason)
				require.Equal(t, w.dup, errors.Is(p.Err, strictjson.ErrDuplicateKey), tc.reason)
			}
		})
	}
}

func TestDecodeStartLine(t *testing.T) {
	var r record
	ps := strictjson.Decode([]byte("{\"actor\":\"a\",\n\"actor\":\"b\"}"), 40, &r)
	require.Len(t, ps, 1)
	require.Equal(t, 41, ps[0].Line, "lines count from the line the data starts on")
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name    string
		reason  string
		in      string
		lines   []int // the line each value starts on
		badLine int   // 0: no problem
		bad     string
	}{
		{name: "lines", reason: "JSON lines", in: "{\"a\":1}\n{\"b\":2}\n", lines: []int{1, 2}},
		{name: "pretty", reason: "values may span lines; each starts where its first byte is",
			in: "{\n  \"a\": 1\n}\n\n  {\"b\": [\n1]}", lines: []int{1, 5}},
		{name: "any value", reason: "Split does not judge values, Decode does", in: "1 [2] null", lines: []int{1, 1, 1}},
		{name: "empty", reason: "no value is no problem here", in: " \n\t"},
		{name: "malformed", reason: "malformed JSON ends the reading, with the values before it",
			in: "{}\n{\"a\":}", lines: []int{1}, badLine: 2, bad: "invalid character '}'"},
		{name: "cut short", reason: "a value cut short names the end of the input",
			in: "{}\n{\"a\":\n", lines: []int{1}, badLine: 3, bad: "unexpected end of input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vals, bad, err := strictjson.Split(iotest.HalfReader(strings.NewReader(tc.in)))
			require.NoError(t, err, tc.reason)
			var lines []int
			for _, v := range vals {
				lines = append(lines, v.Line)
				require.True(t, json.Valid(v.Raw), "%s: %q", tc.reason, v.Raw)
			}
			require.Equal(t, tc.lines, lines, tc.reason)
			if tc.badLine == 0 {
				require.Nil(t, bad, tc.reason)
				return
			}
			require.NotNil(t, bad, tc.reason)
			require.Equal(t, tc.badLine, bad.Line, tc.reason)
			require.ErrorContains(t, bad.Err, tc.bad, tc.reason)
		})
	}
}

func TestSplitReadError(t *testing.T) {
	boom := errors.New("boom")
	vals, bad, err := strictjson.Split(iotest.ErrReader(boom))
	require.ErrorIs(t, err, boom, "a read error is an error, not a problem with the JSON")
	require.Nil(t, bad)
	require.Nil(t, vals)
}

// FuzzDecode feeds arbitrary bytes to Split and Decode. Invariants: no
// panic; every problem lies on a line of the input; a duplicate names a
// key; and when Decode finds no problem, encoding/json's own lenient
// reading means the same record (strictness refuses input, it never
// changes what input says).
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"actor":"carol","basis":{"rule":"r"},"items":[{"rule":"a"}],"counts":{"a":1,"A":2}}`), true)
	f.Add([]byte(`{"actor":"carol","\u0061ctor":"mallory"}`), false)
	f.Add([]byte("{\n\"n\":\"x\",\n\"actor\":\"a\",\"ACTOR\":\"b\"}\n{}"), false)
	f.Add([]byte(`{"":1,"":2} [1] null {"actor":`), true)
	f.Add([]byte(manyKeys(40, "K5")), true)
	f.Fuzz(func(t *testing.T, data []byte, mapped bool) {
		var maps []string
		if mapped {
			maps = []string{"counts"}
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		check := func(p strictjson.Problem) {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("%v: line %d outside the input's %d lines", p.Err, p.Line, lines)
			}
			if p.Err == nil {
				t.Fatalf("a problem without an error at line %d", p.Line)
			}
		}
		vals, bad, err := strictjson.Split(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("reading a byte slice failed: %v", err)
		}
		if bad != nil {
			check(*bad)
		}
		for _, v := range vals {
			if v.Line < 1 || v.Line > lines || !json.Valid(v.Raw) {
				t.Fatalf("value %q on line %d", v.Raw, v.Line)
			}
		}

		var strict record
		ps := strictjson.Decode(data, 1, &strict, maps...)
		for _, p := range ps {
			check(p)
			if errors.Is(p.Err, strictjson.ErrDuplicateKey) && p.Key == "" && !bytes.Contains(data, []byte(`""`)) {
				t.Fatalf("a duplicate key without its name: %v", p.Err)
			}
		}
		if len(ps) > 0 {
			return
		}
		var lenient record
		if err := json.Unmarshal(data, &lenient); err != nil {
			t.Fatalf("Decode accepted what encoding/json refuses: %v", err)
		}
		if !reflect.DeepEqual(strict, lenient) {
			t.Fatalf("strict and lenient readings differ:\n%+v\n%+v", strict, lenient)
		}
	})
}
