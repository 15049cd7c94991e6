package scim_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
)

var at = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// index validates an import on its own (its implied records added to its
// inventory) and returns the index: what bundle.LoadWith does when no
// bundle file defines anything.
func index(t *testing.T, im importer.Import) *entitlement.Index {
	t.Helper()
	inv := im.Inventory
	inv.Parties = append(slices.Clone(inv.Parties), im.Implied.Parties...)
	inv.Entitlements = append(slices.Clone(inv.Entitlements), im.Implied.Entitlements...)
	inv.Roles = append(slices.Clone(inv.Roles), im.Implied.Roles...)
	x, err := entitlement.NewIndex(&inv)
	require.NoError(t, err, "an import without foreign grants is a valid inventory on its own")
	return x
}

// reach lists the roles an identity holds, each with its first path.
func reach(t *testing.T, x *entitlement.Index, who string) []string {
	t.Helper()
	a, err := x.EffectiveAccess(who, at)
	require.NoError(t, err)
	var out []string
	for _, h := range a.Roles {
		out = append(out, h.Paths[0].String())
	}
	return out
}

func user(id string, extra ...string) string {
	return `{` + userSchema + `, "id": "` + id + `", "active": true` + strings.Join(extra, "") + `}`
}

func grp(id string, members ...string) string {
	return `{` + groupSchema + `, "id": "` + id + `", "displayName": "` + strings.ToUpper(id) + `", "members": [` + strings.Join(members, ", ") + `]}`
}

func m(value, typ string) string {
	if typ == "" {
		return `{"value": "` + value + `"}`
	}
	return `{"value": "` + value + `", "type": "` + typ + `"}`
}

func TestMembership(t *testing.T) {
	tests := []struct {
		name   string
		users  []string
		groups []string
		want   map[string][]string // identity → role paths
		notes  []string
		reason string
	}{
		{"transitive nesting",
			[]string{user("u1")},
			[]string{grp("a", m("u1", "User")), grp("b", m("a", "Group")), grp("c", m("b", "Group"))},
			map[string][]string{"u1": {
				"grant u1/scim:group/a → role scim:group/a",
				"grant u1/scim:group/a → role scim:group/a → role scim:group/b",
				"grant u1/scim:group/a → role scim:group/a → role scim:group/b → role scim:group/c",
			}},
			nil,
			"a member of a inherits b and c through the role graph: one grant, the path explains the rest"},
		{"member kind by lookup and $ref",
			[]string{user("u1"), user("u2")},
			[]string{grp("a", m("u1", ""), `{"value": "u2", "$ref": "https://idp/scim/v2/Users/u2"}`), grp("b", m("a", ""))},
			map[string][]string{
				"u1": {"grant u1/scim:group/a → role scim:group/a", "grant u1/scim:group/a → role scim:group/a → role scim:group/b"},
				"u2": {"grant u2/scim:group/a → role scim:group/a", "grant u2/scim:group/a → role scim:group/a → role scim:group/b"},
			},
			nil,
			"Okta sends members without a type: the value names a user or a group, or the $ref says which"},
		{"indirect membership derived",
			[]string{user("u1", `, "groups": [{"value": "a", "type": "direct"}, {"value": "b", "type": "indirect"}]`)},
			[]string{grp("a", m("u1", "User")), grp("b", m("a", "Group"))},
			map[string][]string{"u1": {"grant u1/scim:group/a → role scim:group/a", "grant u1/scim:group/a → role scim:group/a → role scim:group/b"}},
			nil,
			"an indirect membership the nesting explains is not granted a second time"},
		{"indirect membership unexplained",
			[]string{user("u1", `, "groups": [{"value": "b", "type": "indirect"}]`)},
			[]string{grp("a"), grp("b")},
			map[string][]string{"u1": {"grant u1/scim:group/b → role scim:group/b"}},
			[]string{`3 groups="b" resolved`},
			"an indirect membership the groups export cannot explain is kept (granted) and noted: fail closed"},
		{"direct membership on one side only",
			[]string{user("u1", `, "groups": [{"value": "a"}]`)},
			[]string{grp("a")},
			map[string][]string{"u1": {"grant u1/scim:group/a → role scim:group/a"}},
			[]string{`3 groups="a" resolved`},
			"the user says it is in a, a's members do not list it: granted, noted"},
		{"unknown membership type",
			[]string{user("u1", `, "groups": [{"value": "a", "type": "nested"}]`)},
			[]string{grp("a", m("u1", "User"))},
			map[string][]string{"u1": {"grant u1/scim:group/a → role scim:group/a"}},
			[]string{`3 groups.type="nested" defaulted`},
			"a type that is neither direct nor indirect is taken as direct, noted"},
		{"group known from a user only",
			[]string{user("u1", `, "groups": [{"value": "z", "display": "Zeta"}]`)},
			[]string{grp("a")},
			map[string][]string{"u1": {"grant u1/scim:group/z → role scim:group/z"}},
			[]string{`3 groups="z" resolved`},
			"a group the groups export lacks still becomes a role, noted since the export should hold it"},
		{"cycle of two",
			[]string{user("u1"), user("u2")},
			[]string{grp("a", m("b", "Group"), m("u1", "User")), grp("b", m("a", "Group")), grp("c", m("b", "Group"), m("u2", "User")), grp("d", m("a", "Group"))},
			map[string][]string{
				"u1": {"grant u1/scim:group/a → role scim:group/a", "grant u1/scim:group/b → role scim:group/b",
					"grant u1/scim:group/b → role scim:group/b → role scim:group/c", "grant u1/scim:group/a → role scim:group/a → role scim:group/d"},
				"u2": {"grant u2/scim:group/c → role scim:group/c"},
			},
			[]string{`3 members=a → b → a resolved`},
			"a and b are members of each other: a member of a is granted b too (not a loop), and reaches what either is a member of (c, d); c's own member reaches only c"},
		{"group in a cycle, nested below",
			[]string{user("u1")},
			[]string{grp("a", m("b", "Group"), m("e", "Group")), grp("b", m("a", "Group")), grp("e", m("u1", "User"))},
			map[string][]string{"u1": {"grant u1/scim:group/e → role scim:group/e → role scim:group/a",
				"grant u1/scim:group/e → role scim:group/e → role scim:group/b", "grant u1/scim:group/e → role scim:group/e"}},
			[]string{`3 members=a → b → a resolved`},
			"e is a member of a, which is in a cycle with b: e's role inherits every group of the cycle"},
		{"cycle of three",
			[]string{user("u1")},
			[]string{grp("a", m("c", "Group")), grp("b", m("a", "Group"), m("u1", "User")), grp("c", m("b", "Group"))},
			map[string][]string{"u1": {"grant u1/scim:group/a → role scim:group/a", "grant u1/scim:group/b → role scim:group/b", "grant u1/scim:group/c → role scim:group/c"}},
			[]string{`3 members=a → b → c → a resolved`},
			"the note names one cycle, from the smallest group; every group of it is granted"},
		{"self-membership",
			[]string{user("u1")},
			[]string{grp("a", m("a", "Group"), m("u1", "User"))},
			map[string][]string{"u1": {"grant u1/scim:group/a → role scim:group/a"}},
			[]string{`3 members="a" ignored`},
			"a group that lists itself is noted; the entry means nothing"},
		{"members that name no one",
			[]string{user("u1")},
			[]string{grp("a", m("gone", "User"), m("ghost", "Group"), m("nobody", ""), m("u1", "User"))},
			map[string][]string{"u1": {"grant u1/scim:group/a → role scim:group/a"}},
			[]string{`3 members="ghost" ignored`, `3 members="gone" ignored`, `3 members="nobody" ignored`},
			"with users read, a member that is not among them is noted and skipped (a deleted user, say)"},
		{"ambiguous member",
			[]string{user("x")},
			[]string{grp("x"), grp("a", m("x", ""))},
			map[string][]string{"x": nil},
			[]string{`4 members="x" ignored`},
			"a value naming both a user and a group, without a type, is not guessed"},
		{"odd member type",
			[]string{user("u1")},
			[]string{grp("a", m("u1", "Person"))},
			map[string][]string{"u1": {"grant u1/scim:group/a → role scim:group/a"}},
			[]string{`3 members.type="Person" coerced`},
			"a type other than User or Group is noted; the value decides"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := mustRead(t, scim.Options{}, file{"users.json", list(tt.users...)}, file{"groups.json", list(tt.groups...)})
			require.Empty(t, im.Grants, "every member is a user read")
			x := index(t, im)
			for who, want := range tt.want {
				require.Equal(t, want, reach(t, x, who), "%s: %s", who, tt.reason)
			}
			require.Equal(t, tt.notes, noted(im.Notes), tt.reason)
		})
	}
}

func TestGroupsOnly(t *testing.T) {
	im := mustRead(t, scim.Options{System: "okta"}, file{"groups.json", list(grp("a", m("00u1", ""), m("b", "")), grp("b", m("00u2", "User")))})
	require.Empty(t, im.Inventory.Identities)
	require.Empty(t, im.Notes, "without users, members that are not groups are users defined elsewhere: not a quirk")
	require.Equal(t, []entitlement.Identity{
		{ID: "00u1", Grants: []entitlement.Grant{{ID: "00u1/okta:group/a", Role: "okta:group/a", State: entitlement.GrantActive}}},
		{ID: "00u2", Grants: []entitlement.Grant{{ID: "00u2/okta:group/b", Role: "okta:group/b", State: entitlement.GrantActive}}},
	}, im.Grants, "their memberships go to bundle.LoadWith, to attach to identities of a bundle file")
	require.Equal(t, []string{"okta:group/a"}, im.Implied.Roles[1].Inherits, "b is a member of a: b's role inherits a's")
	o := im.Origins[importer.Record{Type: "grant", ID: "00u1/okta:group/a", Parent: "identity 00u1"}]
	file, line := o.File, o.Line
	require.Equal(t, "groups.json", file)
	require.Equal(t, 3, line, "the line of the member entry")
}

func TestUserNameKey(t *testing.T) {
	im := mustRead(t, scim.Options{Key: scim.KeyUserName},
		file{"users.json", list(
			user("00u1", `, "userName": "alice@x", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "00u2"}}`),
			user("00u2", `, "userName": "bob@x"`))},
		file{"groups.json", list(grp("g", m("00u1", "User")))})
	require.Equal(t, "alice@x", im.Inventory.Identities[0].ID)
	require.Equal(t, "bob@x", im.Inventory.Identities[0].Manager, "the manager's SCIM id becomes its identity ID")
	require.Equal(t, []string{"role scim:group/g"}, grantTargets(im.Inventory.Identities[0]), "members are matched by id, keyed by userName")
	require.Equal(t, "alice@x/scim:group/g", im.Inventory.Identities[0].Grants[0].ID)
}

func TestImportRecords(t *testing.T) {
	im := mustRead(t, scim.Options{System: "entra"},
		file{"users.json", list(user("u1", `, "displayName": "Ann", "entitlements": [{"value": "erp:read", "display": "Read ERP"}], "roles": [{"value": "Approver"}]`),
			user("u2", `, "userName": "bo", "entitlements": [{"value": "erp:read"}]`))},
		file{"groups.json", list(grp("g1", m("u1", "User")))})
	require.Equal(t, []entitlement.Identity{
		{ID: "u1", Name: "Ann", Kind: entitlement.Human, Status: entitlement.IdentityActive, Grants: []entitlement.Grant{
			{ID: "u1/entra:erp:read", Entitlement: "entra:erp:read", State: entitlement.GrantActive},
			{ID: "u1/entra:group/g1", Role: "entra:group/g1", State: entitlement.GrantActive},
			{ID: "u1/entra:role/Approver", Role: "entra:role/Approver", State: entitlement.GrantActive},
		}},
		{ID: "u2", Name: "bo", Kind: entitlement.Human, Status: entitlement.IdentityActive, Grants: []entitlement.Grant{
			{ID: "u2/entra:erp:read", Entitlement: "entra:erp:read", State: entitlement.GrantActive},
		}},
	}, im.Inventory.Identities, "grants sorted by ID; the name falls back to userName")
	require.Equal(t, entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{{ID: "entra:erp:read", System: "entra", Name: "Read ERP"}},
		Roles: []entitlement.Role{
			{ID: "entra:group/g1", Name: "G1"},
			{ID: "entra:role/Approver", Name: "Approver"},
		},
	}, im.Implied, "implied records, sorted by ID, named by the first display seen")
	for _, tc := range []struct {
		typ, id, parent string
		file            string
		line            int
	}{
		{"identity", "u1", "", "users.json", 3},
		{"identity", "u2", "", "users.json", 4},
		{"grant", "u1/entra:group/g1", "identity u1", "groups.json", 3},
		{"grant", "u2/entra:erp:read", "identity u2", "users.json", 4},
		{"role", "entra:group/g1", "", "groups.json", 3},
		{"entitlement", "entra:erp:read", "", "users.json", 3},
		{"grant", "nope", "identity u1", "", 0},
	} {
		o := im.Origins[importer.Record{Type: tc.typ, ID: tc.id, Parent: tc.parent}]
		file, line := o.File, o.Line
		require.Equal(t, tc.file, file, "%s %s", tc.typ, tc.id)
		require.Equal(t, tc.line, line, "%s %s", tc.typ, tc.id)
	}
	require.Len(t, im.Inputs, 2)
	require.Equal(t, "users.json", im.Inputs[0].Name)
	require.Len(t, im.Inputs[0].SHA256, 64)
}

func TestImportDeterministic(t *testing.T) {
	users := list(user("u1", `, "groups": [{"value": "z"}, {"value": "y", "type": "indirect"}]`), user("u2"), user("u3", `, "roles": "R"`))
	groups := list(grp("a", m("b", "Group"), m("u1", ""), m("u2", "")), grp("b", m("c", "Group"), m("u3", "")), grp("c", m("a", "Group")), grp("d", m("c", "Group")))
	first := mustRead(t, scim.Options{}, file{"u.json", users}, file{"g.json", groups})
	for range 20 {
		again := mustRead(t, scim.Options{}, file{"u.json", users}, file{"g.json", groups})
		require.Equal(t, first.Inventory, again.Inventory, "no map order leaks")
		require.Equal(t, first.Implied, again.Implied)
		require.Equal(t, first.Notes, again.Notes)
	}
	swapped := mustRead(t, scim.Options{}, file{"g.json", groups}, file{"u.json", users})
	require.Equal(t, first.Inventory, swapped.Inventory, "users and groups may come in either order")
	require.Equal(t, first.Implied, swapped.Implied)

	r, err := scim.NewReader(scim.Options{})
	require.NoError(t, err)
	require.NoError(t, r.Read("u.json", strings.NewReader(users)))
	require.Equal(t, r.Import(), r.Import(), "Import does not change the Reader")
}

func TestDeepNesting(t *testing.T) {
	const n = 20000
	gs := make([]string, n)
	for i := range n {
		// g(i+1) is a member of g(i), and g0 of the last: one long cycle.
		ms := []string{m(fmt.Sprint("g", (i+1)%n), "Group")}
		if i == 0 {
			ms = append(ms, m("u1", "User"))
		}
		gs[i] = grp(fmt.Sprint("g", i), ms...)
	}
	im := mustRead(t, scim.Options{}, file{"u.json", list(user("u1"))}, file{"g.json", list(gs...)})
	require.Len(t, im.Inventory.Identities[0].Grants, n, "one cycle through every group: all of them granted, no recursion blow-up")
	require.Len(t, im.Notes, 1)
}
