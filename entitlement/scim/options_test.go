package scim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement/scim"
)

func TestNewReaderOptions(t *testing.T) {
	tests := []struct {
		name   string
		opts   scim.Options
		ok     bool
		reason string
	}{
		{"zero", scim.Options{}, true, "the zero Options means the defaults"},
		{"system", scim.Options{System: "entra"}, true, "a plain name"},
		{"colon", scim.Options{System: "a:b"}, false, "':' separates the system from the name in an entitlement ID"},
		{"slash", scim.Options{System: "a/b"}, false, "'/' separates the kind from the ID of a role"},
		{"spaces", scim.Options{System: " okta"}, false, "IDs with surrounding spaces do not match what people type"},
		{"bad key", scim.Options{Key: 7}, false, "only the listed keys exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := scim.NewReader(tt.opts)
			if tt.ok {
				require.NoError(t, err, tt.reason)
				require.NotNil(t, r)
			} else {
				require.Error(t, err, tt.reason)
				require.Nil(t, r)
			}
		})
	}
}

func TestParseKey(t *testing.T) {
	for _, s := range []string{"id", "ID", "userName", "username"} {
		_, err := scim.ParseKey(s)
		require.NoError(t, err, s)
	}
	_, err := scim.ParseKey("email")
	require.ErrorContains(t, err, `"email"`)
	require.Equal(t, "userName", scim.KeyUserName.String())
	require.Equal(t, "key(9)", scim.Key(9).String())
}
