package scim_test

import (
	"bytes"
	"cmp"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
)

// fuzzGroups is the groups export FuzzRead reads after its input: small,
// with nesting (b in a), a member user and a member that is no one.
var fuzzGroups = list(
	grp("a", m("b", "Group"), m("u1", "User")),
	grp("b", m("u2", ""), m("gone", "User")))

// FuzzRead reads arbitrary bytes as a SCIM export, alone and with a small
// groups export after it, both keys. Reading never panics; a failed read
// is *entitlement.RecordError values naming the file, and adds nothing; a
// successful one gives an import whose notes are sorted and name their
// file, whose identity and grant IDs are unique, that does not change
// when taken twice, and that — when every member is a user read —
// validates as an inventory on its own (no dangling reference, no role
// cycle).
//
// The seeds are small exports holding the quirks identity providers are
// known to send, each a few hundred bytes: the fuzzer minimises every
// input that finds new coverage, at a cost that grows with the square of
// its size, so seeds the size of the acme exports (TestAcme reads those)
// left it minimising instead of fuzzing.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		list(`{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"], `+
			`"id": "u1", "userName": "Alice@X.example", "displayName": "Alice", "active": true, "emails": [{"value": "a@x", "primary": true}], `+
			`"entitlements": [{"value": "erp-admin", "display": "ERP admin"}], "roles": [{"value": "R"}], "groups": [{"value": "a", "type": "direct"}, {"value": "b", "type": "indirect"}], `+
			`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Finance", "manager": {"value": "u2"}}}`,
			`{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "u2", "userName": "bob@x.example", "active": "False"}`),
		fuzzGroups,
		list(`{` + userSchema + `, "id": "u1", "active": "False", "roles": null, "Entitlements": "x"}`),
		list(`{` + userSchema + `, "ID": 7, "USERNAME": "A", "Active": "yes", "groups": [{"value": "g", "type": "indirect"}]}`),
		list(`{"schemas": "urn:ietf:params:scim:schemas:core:2.0:User", "id": "u", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": "u", "department": "D"}}`),
		list(`{"id": "u", "meta": {"resourceType": "user"}, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value": "v"}`),
		list(grp("a", m("b", "Group"), m("u1", "")), grp("b", m("a", "Group"), m("a", "")), grp("c", m("c", "Group"))),
		list(grp("a", `{"value": "x", "$ref": "../Groups/a"}`, `"u9"`, `null`, `{}`)),
		"\ufeff" + list(`{`+userSchema+`, "id": "u1"}`, `{`+userSchema+`, "id": "u1"}`),
		list(`{`+userSchema+`, "id": "u1", "entitlements": [{"value": "c", "value": "b"}]}`, `{`+userSchema+`, "id": "u2", "active": true, "Active": false}`),
		`{"totalResults": 9, "resources": null}`,
		`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "a/scim:x", "entitlements": ["y"]}, {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "a", "entitlements": ["x/scim:y", "group/g"], "groups": [{"value": "g"}]}]}`,
		`[]`, `{`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, key := range []scim.Key{scim.KeyID, scim.KeyUserName} {
			r, err := scim.NewReader(scim.Options{Key: key})
			require.NoError(t, err)
			if err := r.Read("fuzz.json", bytes.NewReader(data)); err != nil {
				errs := entitlement.Errors(err)
				require.NotEmpty(t, errs)
				require.LessOrEqual(t, len(errs), importer.MaxErrors+1)
				for _, e := range errs[:min(len(errs), importer.MaxErrors)] {
					re, ok := errors.AsType[*entitlement.RecordError](e)
					require.True(t, ok, "%T %v", e, e)
					require.Equal(t, "fuzz.json", re.File)
				}
				im := r.Import()
				require.Empty(t, im.Inputs, "a failed read adds nothing")
				require.Empty(t, im.Inventory.Identities)
				continue
			}
			im := r.Import()
			checkImport(t, im, "fuzz.json")
			require.Equal(t, im, r.Import(), "taking the import again changes nothing")
			require.Equal(t, key == scim.KeyUserName, im.FoldIdentities)
			if err := r.Read("groups.json", strings.NewReader(fuzzGroups)); err == nil {
				checkImport(t, r.Import(), "fuzz.json", "groups.json")
			}
		}
	})
}

// checkImport asserts the invariants of a successful import.
func checkImport(t *testing.T, im importer.Import, files ...string) {
	t.Helper()
	require.True(t, slices.IsSortedFunc(im.Notes, importer.Note.Compare), "notes in input order")
	for _, n := range im.Notes {
		require.Contains(t, files, n.File)
		require.NotZero(t, n.Action)
	}
	ids := map[string]bool{}
	grants := map[string]bool{}
	for _, id := range append(slices.Clone(im.Inventory.Identities), im.Grants...) {
		require.False(t, ids[id.ID], "identity %q once", id.ID)
		ids[id.ID] = true
		require.True(t, slices.IsSortedFunc(id.Grants, func(a, b entitlement.Grant) int { return cmp.Compare(a.ID, b.ID) }))
		for _, g := range id.Grants {
			require.False(t, grants[g.ID], "grant %q once", g.ID)
			grants[g.ID] = true
			o := im.Origins[importer.Record{Type: "grant", ID: g.ID, Parent: "identity " + id.ID}]
			file, line := o.File, o.Line
			require.Contains(t, files, file, "every grant has an origin")
			require.Positive(t, line)
		}
	}
	if len(im.Grants) == 0 {
		index(t, im)
	}
}
