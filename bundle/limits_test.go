package bundle_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
)

// huge is 20 MB of "a": the value of issue 13, which was accepted and
// became a 300 MB report.
var huge = strings.Repeat("a", 20<<20)

// tooLong flattens a load error, checking that every problem is a short
// *entitlement.RecordError, and returns "file:line: record: field" of
// those that wrap entitlement.ErrTooLong.
func tooLong(t *testing.T, err error) []string {
	t.Helper()
	require.Error(t, err)
	require.Less(t, len(err.Error()), 4096, "the whole message is short: no value is quoted whole")
	var out []string
	for _, e := range entitlement.Errors(err) {
		re, ok := errors.AsType[*entitlement.RecordError](e)
		require.True(t, ok, "every load error is a *entitlement.RecordError: %v", e)
		if errors.Is(re, entitlement.ErrTooLong) {
			p := problem{file: re.File, line: re.Line, record: re.Record(), field: re.Field}
			out = append(out, strings.TrimSuffix(p.String(), ": field "+re.Field+": <nil>")+": "+re.Field)
		}
	}
	return out
}

// TestLoadHugeValues is the regression test of issue 13 at the loader: a
// bundle with a 20 MB value fails to load, quickly, with a short message
// naming the file, line, record and field, whether it is loaded whole or
// streamed.
func TestLoadHugeValues(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		want   []string
		reason string
	}{
		{"identity ID", lines(head,
			`"identities": [`,
			`  {"id": "ok", "kind": "human", "status": "active"},`,
			`  {"id": "`+huge+`", "kind": "human", "status": "active"}`,
			`]}`),
			[]string{"a.json:4: identity #1: id"}, "an identity whose ID is too long is named by its position"},
		{"entitlement name", lines(head,
			`"entitlements": [{"id": "erp:x",`,
			`  "name": "`+huge+`"}]}`),
			[]string{"a.json:3: entitlement erp:x: name"}, "a display name has its own limit"},
		{"grant reason", lines(head,
			`"entitlements": [{"id": "erp:x"}],`,
			`"identities": [{"id": "ann", "kind": "human", "status": "active", "grants": [`,
			`  {"id": "g-1", "entitlement": "erp:x", "state": "active",`,
			`   "reason": "`+huge+`"}`,
			`]}]}`),
			[]string{"a.json:5: grant g-1 of identity ann: reason"}, "free text is bounded too, and grants are checked on the streaming pass"},
		{"reference", lines(head,
			`"identities": [{"id": "ann", "kind": "human", "status": "active",`,
			`  "manager": "`+huge+`"}]}`),
			[]string{"a.json:3: identity ann: manager"}, "a reference is reported as too long, not as unknown"},
		{"member name", lines(head,
			`"identities": [{"id": "ann", "kind": "human", "status": "active",`,
			`  "`+huge+`": 1}]}`),
			[]string{"a.json:3: identity ann: "}, "no member of the format is that long; it is not quoted whole"},
		{"enumeration", lines(head,
			`"identities": [{"id": "ann", "kind": "`+huge+`", "status": "active"}]}`),
			[]string{"a.json:2: identity ann: kind"}, "an enumeration's value is not quoted whole either"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			b, err := load(file{"a.json", tt.text})
			require.Nil(t, b)
			require.Less(t, time.Since(start), 10*time.Second, "the load fails quickly")
			require.Equal(t, tt.want, tooLong(t, err), tt.reason)

			_, err = bundle.Stream(func() ([]bundle.Source, func(), error) {
				return []bundle.Source{{Name: "a.json", Reader: strings.NewReader(tt.text)}}, func() {}, nil
			}, nopVisitor{})
			require.Equal(t, tt.want, tooLong(t, err), "streaming reports the same")
		})
	}
}

// nopVisitor is a bundle.Visitor that looks at nothing.
type nopVisitor struct{}

func (nopVisitor) Begin(*bundle.Bundle) error                                 { return nil }
func (nopVisitor) Identity(entitlement.Identity, bundle.IdentityOrigin) error { return nil }

// TestLoadAtTheLimit checks that values exactly at their limit load.
func TestLoadAtTheLimit(t *testing.T) {
	id := strings.Repeat("x", entitlement.MaxIDLength)
	b, err := load(file{"a.json", lines(head,
		`"entitlements": [{"id": "erp:`+id[4:]+`", "name": "`+strings.Repeat("n", entitlement.MaxNameLength)+`",`,
		`  "description": "`+strings.Repeat("d", entitlement.MaxTextLength)+`"}],`,
		`"identities": [{"id": "`+id+`", "kind": "human", "status": "active"}]}`)})
	require.NoError(t, err)
	require.Equal(t, id, b.Inventory.Identities[0].ID)
}

// TestLoadWithHugeImportedValues checks that what the importers read
// passes through the same limits when LoadWith merges it: the importers
// keep what they read, and the merged inventory is validated as a whole.
func TestLoadWithHugeImportedValues(t *testing.T) {
	t.Run("scim", func(t *testing.T) {
		r, err := scim.NewReader(scim.Options{System: "okta", Key: scim.KeyUserName})
		require.NoError(t, err)
		users := `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [` +
			`{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "00u1", "userName": "` + huge + `", "active": true}]}`
		require.NoError(t, r.Read("users.json", strings.NewReader(users)))
		s := r.Import()
		_, err = bundle.LoadWith([]importer.Import{s})
		require.Equal(t, []string{":0: identity #0: id", ":0: identity #0: name"}, tooLong(t, err),
			"a SCIM userName of 20 MB is an identity ID too long, named by its position (and the display name the reader derived from it is too long too)")
	})
	t.Run("csv", func(t *testing.T) {
		m := grantcsv.Mapping{Identity: "user", Entitlement: "permission", System: "sap"}
		in := "user,permission\nann," + huge + "\n"
		c, err := grantcsv.Read("grants.csv", strings.NewReader(in), m)
		require.NoError(t, err)
		people := `{"format": "sodkit.bundle/v1", "identities": [{"id": "ann", "kind": "human", "status": "active"}]}`
		_, err = bundle.LoadWith([]importer.Import{c},
			bundle.Source{Name: "people.json", Reader: bytes.NewReader([]byte(people))})
		require.Equal(t, []string{":0: entitlement #0: id", ":0: grant #0 of identity ann: id", ":0: grant #0 of identity ann: entitlement"}, tooLong(t, err),
			"a CSV permission of 20 MB makes an entitlement ID, a grant ID and a grant target too long")
	})
}
