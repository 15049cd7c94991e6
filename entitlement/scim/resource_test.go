package scim_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
)

// noted renders notes compactly: "line attribute=value action", one per
// note, in the import's order.
func noted(notes []importer.Note) []string {
	var out []string
	for _, n := range notes {
		s := fmt.Sprintf("%d %s", n.Line, n.Attribute)
		if n.Value != "" {
			s += "=" + n.Value
		}
		out = append(out, s+" "+n.Action.String())
	}
	return out
}

// grantTargets lists an identity's grant targets.
func grantTargets(id entitlement.Identity) []string {
	var out []string
	for _, g := range id.Grants {
		typ, target := g.Target()
		out = append(out, typ+" "+target)
	}
	return out
}

func TestUserQuirks(t *testing.T) {
	tests := []struct {
		name   string
		user   string // the attributes after schemas and id, on line 3
		status entitlement.IdentityStatus
		grants []string
		notes  []string
		reason string
	}{
		{"plain", `"userName": "alice", "active": true`, entitlement.IdentityActive, nil, nil,
			"a well-formed user raises no note"},
		{"inactive", `"active": false`, entitlement.IdentityDisabled, nil, nil,
			"active false is a disabled identity: its grants in effect are lifecycle.inactive-holder findings"},
		{"active as a string", `"active": "False"`, entitlement.IdentityDisabled, nil, []string{`3 active="False" coerced`},
			"Entra ID sends \"False\": read as the boolean it spells, and noted"},
		{"active as a word", `"active": " Disabled "`, entitlement.IdentityDisabled, nil, []string{`3 active=" Disabled " coerced`},
			"words that plainly mean a boolean are read, case- and space-insensitively"},
		{"active as a number", `"active": 1`, entitlement.IdentityActive, nil, []string{`3 active=1 coerced`},
			"1 and 0 mean true and false"},
		{"active absent", `"userName": "a"`, entitlement.IdentityActive, nil, []string{`3 active defaulted`},
			"an account its provider did not mark inactive can sign in: active, noted since it is a default"},
		{"active null", `"active": null`, entitlement.IdentityActive, nil, []string{`3 active=null defaulted`},
			"null is absent (RFC 7643 §2.5)"},
		{"active unreadable", `"active": "maybe"`, entitlement.IdentityActive, nil, []string{`3 active="maybe" defaulted`},
			"a value that spells no boolean is not guessed to be false; the default applies, noted"},
		{"names in any case", `"ACTIVE": false, "Entitlements": [{"Value": "x"}]`, entitlement.IdentityDisabled,
			[]string{"entitlement scim:x"}, nil,
			"SCIM attribute names are case-insensitive (RFC 7643 §2.1): not a quirk, not noted"},
		{"roles null", `"active": true, "roles": null, "entitlements": []`, entitlement.IdentityActive, nil, nil,
			"null and empty lists are no values"},
		{"single value", `"active": true, "roles": {"value": "Admin"}`, entitlement.IdentityActive,
			[]string{"role scim:role/Admin"}, []string{`3 roles={…} coerced`},
			"one object where a list belongs is a one-element list"},
		{"bare strings", `"active": true, "entitlements": ["a", "b"]`, entitlement.IdentityActive,
			[]string{"entitlement scim:a", "entitlement scim:b"}, []string{`3 entitlements="a" coerced`},
			"plain strings read as {value}: noted once per attribute"},
		{"empty and valueless elements", `"active": true, "entitlements": ["", {"display": "x"}, null, 7]`, entitlement.IdentityActive,
			[]string{"entitlement scim:7"},
			[]string{`3 entitlements="" ignored`, `3 entitlements=7 coerced`, `3 entitlements=null ignored`, `3 entitlements={…} ignored`},
			"elements without a value are skipped and noted; a number is a value"},
		{"repeated value", `"active": true, "roles": [{"value": "A"}, {"value": "A"}]`, entitlement.IdentityActive,
			[]string{"role scim:role/A"}, []string{`3 roles="A" ignored`},
			"a value listed twice is held once"},
		{"not a list", `"active": true, "roles": true`, entitlement.IdentityActive, nil, []string{`3 roles=true ignored`},
			"a boolean is no list of roles"},
		{"number id and name", `"userName": 42, "active": true`, entitlement.IdentityActive, nil, []string{`3 userName=42 coerced`},
			"a number where a string belongs is read as its text"},
		{"object where a string belongs", `"displayName": {"x": 1}, "active": true`, entitlement.IdentityActive, nil,
			[]string{`3 displayName={…} ignored`}, "an object is no name"},
		{"members on a user", `"active": true, "members": [{"value": "u9"}]`, entitlement.IdentityActive, nil,
			[]string{`3 members ignored`}, "users have no members"},
		{"unknown attributes", `"active": true, "emails": [{"value": "a@x"}], "urn:okta:custom": {"x": 1}, "photos": null`,
			entitlement.IdentityActive, nil, nil, "attributes the reader does not use are skipped silently, as SCIM allows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := mustRead(t, scim.Options{}, file{"u.json", list(`{` + userSchema + `, "id": "u1", ` + tt.user + `}`)})
			require.Len(t, im.Inventory.Identities, 1)
			id := im.Inventory.Identities[0]
			require.Equal(t, tt.status, id.Status, tt.reason)
			require.Equal(t, entitlement.Human, id.Kind)
			require.Equal(t, tt.grants, grantTargets(id), tt.reason)
			require.Equal(t, tt.notes, noted(im.Notes), tt.reason)
			for _, n := range im.Notes {
				require.Equal(t, "identity u1", n.Record.String(), "notes name the identity")
				require.Equal(t, "u.json", n.File)
			}
		})
	}
}

func TestEnterpriseExtension(t *testing.T) {
	const ext = `"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`
	boss := `{` + userSchema + `, "id": "boss", "active": true}`
	tests := []struct {
		name    string
		user    string
		manager string
		team    string
		notes   []string
		reason  string
	}{
		{"object", ext + `: {"department": "Finance", "manager": {"value": "boss", "displayName": "B"}}`, "boss", "scim:department/Finance", nil,
			"the standard form: manager.value is the manager's id"},
		{"bare manager", ext + `: {"manager": "boss"}`, "boss", "", []string{`3 manager="boss" coerced`},
			"Entra ID sends the manager as a bare id"},
		{"full URN attributes", `"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "IT", ` +
			`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager": {"value": "boss"}`, "boss", "scim:department/IT",
			[]string{`3 urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department="IT" coerced`,
				`3 urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager={…} coerced`},
			"attributes written with their full URN (a PATCH path) are read as the extension's"},
		{"unknown manager", ext + `: {"manager": {"value": "gone"}}`, "", "", []string{`3 manager="gone" ignored`},
			"a manager the exports do not hold is not set (it would not resolve), and noted"},
		{"own manager", ext + `: {"manager": {"value": "u1"}}`, "", "", []string{`3 manager="u1" ignored`},
			"an identity cannot be its own manager"},
		{"empty manager", ext + `: {"manager": {"value": ""}}`, "", "", nil,
			"an empty manager is no manager"},
		{"extension not an object", ext + `: "Finance"`, "", "", []string{`3 ` + strings.Trim(ext, `"`) + `="Finance" ignored`},
			"the extension is an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := mustRead(t, scim.Options{}, file{"u.json", list(`{`+userSchema+`, "id": "u1", "active": true, `+tt.user+`}`, boss)})
			id := im.Inventory.Identities[0]
			require.Equal(t, tt.manager, id.Manager, tt.reason)
			require.Equal(t, tt.team, id.Team, tt.reason)
			require.Equal(t, tt.notes, noted(im.Notes), tt.reason)
			if tt.team != "" {
				require.Equal(t, []entitlement.Party{{ID: tt.team, Name: strings.TrimPrefix(tt.team, "scim:department/")}}, im.Implied.Parties,
					"a department is an implied party, the identity's team")
			}
		})
	}
}

func TestResourceType(t *testing.T) {
	tests := []struct {
		name       string
		resource   string
		identities int
		roles      int
		notes      []string
		reason     string
	}{
		{"schemas", `{` + userSchema + `, "id": "u1", "active": true}`, 1, 0, nil, "the core User schema"},
		{"schemas as a string", `{"schemas": "urn:ietf:params:scim:schemas:core:2.0:User", "id": "u1", "active": true}`, 1, 0,
			[]string{`3 schemas="urn:ietf:params:scim:schemas:core:2.0:User" coerced`}, "one URN where a list belongs"},
		{"schemas in another case", `{"schemas": ["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP"], "id": "g1", "displayName": "G"}`, 0, 1, nil,
			"URNs compare case-insensitively"},
		{"meta.resourceType", `{"schemas": ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"], "id": "u1", "active": true, "meta": {"resourceType": "User"}}`, 1, 0,
			[]string{`3 meta.resourceType="User" coerced`}, "the type from meta when the schemas lack the core URN, noted"},
		{"another type", `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"], "id": "x"}`, 0, 0,
			[]string{`3 schemas=["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"] ignored`}, "neither a User nor a Group: skipped, noted"},
		{"null resource", `null`, 0, 0, []string{`3 Resources=null ignored`}, "a null resource is skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := mustRead(t, scim.Options{}, file{"f.json", list(tt.resource)})
			require.Len(t, im.Inventory.Identities, tt.identities, tt.reason)
			require.Len(t, im.Implied.Roles, tt.roles, tt.reason)
			require.Equal(t, tt.notes, noted(im.Notes), tt.reason)
		})
	}
}

func TestListResponseQuirks(t *testing.T) {
	u1 := `{` + userSchema + `, "id": "u1", "active": true}`
	tests := []struct {
		name   string
		text   string
		users  int
		notes  []string
		reason string
	}{
		{"byte-order mark", "\ufeff" + list(u1), 1, []string{`1 (file)=U+FEFF coerced`}, "Windows tools write a BOM; JSON does not allow one"},
		{"no schemas", lines(`{"totalResults": 1, "Resources": [`, u1, `]}`), 1, []string{`1 schemas defaulted`},
			"a ListResponse without schemas is read since it has Resources"},
		{"lower-case resources", lines(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "resources": [`, u1, `]}`), 1, nil,
			"member names are case-insensitive"},
		{"empty", lines(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0}`), 0, nil,
			"no Resources is allowed when there are none"},
		{"null Resources", lines(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0, "Resources": null}`), 0, nil,
			"null is absent"},
		{"total short", lines(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 3, "Resources": [`, u1, `]}`), 1,
			[]string{`1 totalResults=3 ignored`}, "a page whose totalResults exceeds what was read: the rest is missing, and said so"},
		{"total not a number", lines(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": "1", "Resources": [`, u1, `]}`), 1,
			[]string{`1 totalResults="1" ignored`}, "totalResults is a count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := mustRead(t, scim.Options{}, file{"f.json", tt.text})
			require.Len(t, im.Inventory.Identities, tt.users, tt.reason)
			require.Equal(t, tt.notes, noted(im.Notes), tt.reason)
		})
	}
}

func TestPages(t *testing.T) {
	page := func(start int, ids ...string) string {
		var rs []string
		for _, id := range ids {
			rs = append(rs, `{`+userSchema+`, "id": "`+id+`", "active": true}`)
		}
		return lines(append(append([]string{fmt.Sprintf(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 4, "startIndex": %d, "itemsPerPage": 2, "Resources": [`, start)},
			joinResources(rs)...), `]}`)...)
	}
	im := mustRead(t, scim.Options{}, file{"p1.json", page(1, "u1", "u2")}, file{"p2.json", page(3, "u2", "u3", "u4")})
	require.Len(t, im.Inventory.Identities, 4, "pages add up")
	require.Equal(t, []string{`2 id="u2" ignored`}, noted(im.Notes),
		"a user repeated with the same attributes (pages that overlap) is kept once and noted; 4 of 4 read: no gap")

	im = mustRead(t, scim.Options{}, file{"p1.json", page(1, "u1", "u2")})
	require.Equal(t, []string{`1 totalResults=4 ignored`}, noted(im.Notes), "one page of two: the gap is noted")
	require.Equal(t, "p1.json", im.Notes[0].File)
}
