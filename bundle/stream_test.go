package bundle_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
)

// TestStreamChanged: Stream reads its inputs twice and must notice when the
// second pass reads other bytes than the first, however small the change:
// the report would mix two versions of the file. The second pass does not
// hash with SHA-256 again, so this is what its fingerprints guard.
func TestStreamChanged(t *testing.T) {
	const first = `{"format": "sodkit.bundle/v1", "as_of": "2026-11-01T09:00:00Z",
 "entitlements": [{"id": "erp:x"}],
 "identities": [{"id": "alice", "kind": "human", "status": "active",
   "grants": [{"id": "g-1", "entitlement": "erp:x", "state": "active"}]}]}`
	tests := []struct {
		name, reason, second string
		changed              bool
	}{
		{"same", "the same bytes twice are no change", first, false},
		{"one byte", "a changed byte, same length: a grant ID g-1 becomes g-2",
			strings.Replace(first, `"g-1"`, `"g-2"`, 1), true},
		{"white space", "even a change that decodes alike: the inputs' hash would differ",
			strings.Replace(first, `"active"}]}]}`, `"active"}]} ]}`, 1), true},
		{"appended", "bytes after the top-level object",
			first + "\n", true},
		{"shifted", "a byte before the identities: the second pass does not find them where the first did",
			strings.Replace(first, `"identities": [{`, `"identities": [ {`, 1), true},
		{"grown", "an identity longer than it was: its bytes as recorded end inside it",
			strings.Replace(first, `"g-1"`, `"g-10"`, 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pass := 0
			open := func() ([]bundle.Source, func(), error) {
				text := first
				if pass++; pass > 1 {
					text = tt.second
				}
				return []bundle.Source{{Name: "org.json", Reader: strings.NewReader(text)}}, func() {}, nil
			}
			_, err := bundle.Stream(open, &collect{})
			if !tt.changed {
				require.NoError(t, err, tt.reason)
				return
			}
			require.ErrorIs(t, err, bundle.ErrChanged, tt.reason)
			require.ErrorContains(t, err, "org.json", "the input is named")
		})
	}
}

// TestStreamMalformedGrants: Stream's first pass only gets past the
// grants (jsonpull's SkipStructure); malformed grants are still reported,
// by the second pass, as Load reports them.
func TestStreamMalformedGrants(t *testing.T) {
	const head = `{"format": "sodkit.bundle/v1", "as_of": "2026-11-01T09:00:00Z",
 "entitlements": [{"id": "erp:x"}],
 "identities": [{"id": "alice", "kind": "human", "status": "active",
   "grants": [`
	tests := []struct{ name, reason, grants string }{
		{"bad literal", "a token SkipStructure does not check", `{"id": "g-1", "entitlement": "erp:x", "state": tru}`},
		{"missing colon", "a member without its colon", `{"id" "g-1", "entitlement": "erp:x", "state": "active"}`},
		{"trailing comma", "an element missing after a comma", `{"id": "g-1", "entitlement": "erp:x", "state": "active"},`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := head + tt.grants + `]}]}`
			_, loadErr := bundle.Load(bundle.Source{Name: "org.json", Reader: strings.NewReader(text)})
			require.Error(t, loadErr, tt.reason)
			open := func() ([]bundle.Source, func(), error) {
				return []bundle.Source{{Name: "org.json", Reader: strings.NewReader(text)}}, func() {}, nil
			}
			_, streamErr := bundle.Stream(open, &collect{})
			require.Error(t, streamErr, tt.reason)
			require.Equal(t, loadErr.Error(), streamErr.Error(), "%s: Stream reports what Load reports", tt.reason)
		})
	}
}
