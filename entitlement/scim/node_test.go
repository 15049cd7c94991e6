package scim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/internal/jsonpull"
)

func TestNode(t *testing.T) {
	n, err := readNode(jsonpull.NewReader(strings.NewReader("{\"Value\": \"a\",\n \"n\": 1.5, \"b\": false, \"z\": null, \"l\": [1, {}]}")))
	require.NoError(t, err)
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
	_, err = readNode(jsonpull.NewReader(strings.NewReader(`{"a": `)))
	require.Error(t, err, "a truncated value is a syntax error")
}
