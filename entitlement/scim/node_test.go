package scim

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/internal/jsonpull"
)

// scan returns a scanner over text that collects the repeats it finds.
func scan(text string) (*scanner, *[]repeat) {
	var got []repeat
	s := &scanner{jr: jsonpull.NewReader(strings.NewReader(text))}
	s.repeated = func(p repeat) { got = append(got, p) }
	return s, &got
}

func TestNode(t *testing.T) {
	s, repeats := scan("{\"Value\": \"a\",\n \"n\": 1.5, \"b\": false, \"z\": null, \"l\": [1, {}]}")
	n, err := s.read()
	require.NoError(t, err)
	require.Empty(t, *repeats)
	tests := []struct {
		name   string
		key    string
		json   string
		line   int
		absent bool
		reason string
	}{
		{"string", "value", `"a"`, 1, false, "names match case-insensitively"},
		{"number", "N", `1.5`, 2, false, "a number keeps its text; the line is where the value starts"},
		{"boolean", "b", `false`, 2, false, "booleans as text"},
		{"null", "z", `null`, 2, true, "null is absent"},
		{"array", "l", `[…]`, 2, false, "containers are elided in notes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := n.get(tt.key)
			require.True(t, ok, tt.reason)
			require.Equal(t, tt.json, a.val.json(), tt.reason)
			require.Equal(t, tt.line, a.val.line, tt.reason)
			require.Equal(t, tt.absent, a.val.absent(), tt.reason)
		})
	}
	_, ok := n.get("missing")
	require.False(t, ok)
	require.True(t, node{}.absent(), "the zero node is an absent attribute")
	require.Equal(t, "{…}", n.json())
	s, _ = scan(`{"a": `)
	_, err = s.read()
	require.Error(t, err, "a truncated value is a syntax error")
}

func TestScannerRepeats(t *testing.T) {
	many := func(n int, extra string) string {
		var ms []string
		for i := range n {
			ms = append(ms, fmt.Sprintf(`"k%d": %d`, i, i))
		}
		return "{" + strings.Join(append(ms, extra), ", ") + "}"
	}
	tests := []struct {
		name   string
		text   string
		want   []string // "line field key first"
		reason string
	}{
		{"none", `{"value": "c", "display": "C", "l": [{"value": 1}, {"value": 2}]}`, nil,
			"the same name in two objects is no repeat"},
		{"top level", `{"value": "c", "value": "b"}`, []string{`1 value value value`},
			"the same member twice: which value was meant cannot be told"},
		{"in two cases", "{\"value\": \"c\",\n\"Value\": \"b\"}", []string{`2 Value Value value`},
			"SCIM attribute names are not case-sensitive: Value repeats value"},
		{"Unicode folding", `{"kelvin": 1, "` + "\u212a" + `elvin": 2}`, []string{"1 \u212aelvin \u212aelvin kelvin"},
			"names compare by Unicode simple case folding, as strings.EqualFold does: the Kelvin sign folds to k"},
		{"deep", `{"entitlements": [{"value": "a"}, {"value": "c", "type": "x", "value": "b"}]}`,
			[]string{`1 entitlements[1].value value value`}, "a repeat at any depth names its path"},
		{"inside a skipped value", `{"emails": [{"value": "a", "primary": true, "primary": false}]}`,
			[]string{`1 emails[0].primary primary primary`}, "values the reader does not keep are checked all the same"},
		{"many members", many(40, `"K7": 8`), []string{`1 K7 K7 k7`},
			"past the linear check the names are indexed by their folded form, with the same result"},
		{"value of the repeat", `{"a": 1, "a": {"b": 1, "b": 2}}`, []string{`1 a.b b b`, `1 a a a`},
			"a repeat's own value is checked before the repeat is reported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, keep := range []bool{true, false} {
				s, repeats := scan(tt.text)
				var err error
				if keep {
					_, err = s.read()
				} else {
					err = s.skip()
				}
				require.NoError(t, err)
				var got []string
				for _, p := range *repeats {
					got = append(got, fmt.Sprintf("%d %s %s %s", p.line, p.field, p.key, p.first))
				}
				require.Equal(t, tt.want, got, tt.reason)
				require.Empty(t, s.path, "the path is unwound")
				require.Empty(t, s.names, "the names are unwound")
			}
		})
	}
}
