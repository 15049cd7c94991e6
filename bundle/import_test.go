package bundle_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/lifecycle"
	"github.com/sodkit/sodkit/scan"
	"github.com/sodkit/sodkit/sod"
)

// lineOf makes the Origins of records all read from one file, from a
// table "typ id parent" → line.
func lineOf(file string, lines map[string]int) importer.Origins {
	o := importer.Origins{}
	for k, l := range lines {
		f := strings.SplitN(k, " ", 3)
		r := importer.Record{Type: f[0], ID: f[1]}
		if len(f) == 3 {
			r.Parent = f[2]
		}
		o[r] = importer.Origin{File: file, Line: l}
	}
	return o
}

// people is a bundle file defining two people and a catalogue.
var people = lines(
	`{`,
	`  "format": "sodkit.bundle/v1",`,
	`  "entitlements": [{"id": "erp:pay", "name": "Pay", "risk": "critical"}, {"id": "erp:read"}],`,
	`  "roles": [{"id": "idp:group/payers", "entitlements": ["erp:pay"]}],`,
	`  "identities": [`,
	`    {"id": "ann", "kind": "human", "status": "active"},`,
	`    {"id": "bo", "kind": "human", "status": "disabled", "grants": [{"id": "g-1", "entitlement": "erp:read", "state": "active"}]}`,
	`  ]`,
	`}`)

// mergeImports returns two imports: one like a SCIM read (identities,
// implied records, grants of a bundle identity), one like a CSV read.
// Their slices have spare capacity, so a LoadWith that appended into them
// would be caught.
func mergeImports() []importer.Import {
	spare := func(gs ...entitlement.Grant) []entitlement.Grant {
		return append(make([]entitlement.Grant, 0, 8), gs...)
	}
	idp := importer.Import{
		Name:   "idp",
		Inputs: []audit.Input{{Name: "idp.json", SHA256: strings.Repeat("0", 64), Bytes: 9}},
		Inventory: entitlement.Inventory{Identities: []entitlement.Identity{
			{ID: "cy", Kind: entitlement.Human, Status: entitlement.IdentityActive, Grants: spare(
				entitlement.Grant{ID: "cy/idp:group/finance", Role: "idp:group/finance", State: entitlement.GrantActive})},
		}},
		Implied: entitlement.Inventory{
			Parties:      []entitlement.Party{{ID: "idp:department/Finance", Name: "Finance"}},
			Entitlements: []entitlement.Entitlement{{ID: "erp:pay", Name: "pay (from the IdP)"}, {ID: "idp:vpn", Name: "VPN"}},
			Roles: []entitlement.Role{
				{ID: "idp:group/finance", Name: "Finance", Inherits: append(make([]string, 0, 4), "idp:group/payers")},
				{ID: "idp:group/payers", Name: "Payers"},
			},
		},
		Grants: []entitlement.Identity{{ID: "ann", Grants: spare(
			entitlement.Grant{ID: "ann/idp:group/payers", Role: "idp:group/payers", State: entitlement.GrantActive})}},
		Origins: lineOf("idp.json", map[string]int{"identity cy": 3}),
	}
	csv := importer.Import{
		Inputs:  []audit.Input{{Name: "grants.csv", SHA256: strings.Repeat("1", 64), Bytes: 7}},
		Implied: entitlement.Inventory{Entitlements: []entitlement.Entitlement{{ID: "idp:vpn"}, {ID: "sap:F110"}}},
		Grants: []entitlement.Identity{
			{ID: "cy", Grants: spare(entitlement.Grant{ID: "cy/sap:F110", Entitlement: "sap:F110", State: entitlement.GrantActive})},
			{ID: "bo", Grants: spare(entitlement.Grant{ID: "bo/idp:vpn", Entitlement: "idp:vpn", State: entitlement.GrantActive})},
		},
	}
	return []importer.Import{idp, csv}
}

func TestLoadWithMerge(t *testing.T) {
	imports := mergeImports()
	b, err := bundle.LoadWith(imports, bundle.Source{Name: "people.json", Reader: strings.NewReader(people)})
	require.NoError(t, err)

	x := b.Index
	e, _ := x.Entitlement("erp:pay")
	require.Equal(t, entitlement.Entitlement{ID: "erp:pay", Name: "Pay", Risk: entitlement.RiskCritical}, e,
		"the bundle's definition is kept; the implied record adds nothing it already has")
	e, _ = x.Entitlement("idp:vpn")
	require.Equal(t, "VPN", e.Name, "implied by two imports: the first is kept, the second merged into it")
	_, ok := x.Entitlement("sap:F110")
	require.True(t, ok, "an entitlement only a CSV names is added")
	r, _ := x.Role("idp:group/payers")
	require.Equal(t, entitlement.Role{ID: "idp:group/payers", Name: "Payers", Entitlements: []string{"erp:pay"}}, r,
		"a bundle role gives an imported group its content, and takes the group's name since it has none")
	r, _ = x.Role("idp:group/finance")
	require.Equal(t, []string{"idp:group/payers"}, r.Inherits, "nesting from the import")
	_, ok = x.Party("idp:department/Finance")
	require.True(t, ok)

	access, err := x.EffectiveAccess("cy", time.Time{})
	require.NoError(t, err)
	var got []string
	for _, h := range access.Entitlements {
		got = append(got, h.Paths[0].String())
	}
	require.Equal(t, []string{
		"grant cy/idp:group/finance → role idp:group/finance → role idp:group/payers → entitlement erp:pay",
		"grant cy/sap:F110 → entitlement sap:F110",
	}, got, "a CSV grant attached to an imported identity; the bundle's role content reached through the import's nesting")
	bo, _ := x.Identity("bo")
	require.Equal(t, []string{"g-1", "bo/idp:vpn"}, grantIDs(bo), "grants of a bundle identity, then the import's")
	require.Equal(t, []string{"people.json", "idp.json", "grants.csv"}, inputNames(b), "bundle files first, then each import's inputs")

	want := mergeImports()
	for i := range imports {
		for _, ids := range [][]entitlement.Identity{imports[i].Inventory.Identities, imports[i].Grants} {
			for _, id := range ids {
				require.Empty(t, id.Grants[len(id.Grants):cap(id.Grants)][0].ID, "nothing was appended into an import's array")
			}
		}
	}
	require.Equal(t, want, imports, "the imports are not modified")
	require.Empty(t, imports[0].Implied.Roles[0].Inherits[1:cap(imports[0].Implied.Roles[0].Inherits)][0])
}

func grantIDs(id entitlement.Identity) []string {
	var out []string
	for _, g := range id.Grants {
		out = append(out, g.ID)
	}
	return out
}

func inputNames(b *bundle.Bundle) []string {
	var out []string
	for _, in := range b.Inputs {
		out = append(out, in.Name)
	}
	return out
}
func TestLoadWithErrors(t *testing.T) {
	grant := func(id, role, ent string) entitlement.Grant {
		return entitlement.Grant{ID: id, Role: role, Entitlement: ent, State: entitlement.GrantActive}
	}
	tests := []struct {
		name    string
		imports []importer.Import
		bundle  string
		want    []problem
		reason  string
	}{
		{"grant of an identity no input defines",
			[]importer.Import{{Name: "g.csv", Grants: []entitlement.Identity{{ID: "zed", Grants: []entitlement.Grant{grant("zed/erp:read", "", "erp:read"), grant("zed/erp:pay", "", "erp:pay")}}},
				Origins: lineOf("g.csv", map[string]int{"grant zed/erp:read identity zed": 2, "grant zed/erp:pay identity zed": 5})}},
			people,
			[]problem{{entitlement.ErrUnknownRef, "g.csv", 2, "grant zed/erp:read of identity zed", ""}, {entitlement.ErrUnknownRef, "g.csv", 5, "grant zed/erp:pay of identity zed", ""}},
			"each of its grants is reported on its own line: an account no identity source knows"},
		{"grant ID used twice",
			[]importer.Import{{Name: "g.csv", Grants: []entitlement.Identity{
				{ID: "ann", Grants: []entitlement.Grant{grant("0", "", "erp:read")}},
				{ID: "bo", Grants: []entitlement.Grant{grant("0", "", "erp:read")}}},
				Origins: lineOf("g.csv", map[string]int{"grant 0 identity ann": 2, "grant 0 identity bo": 3})}},
			people,
			[]problem{{entitlement.ErrDuplicate, "g.csv", 3, "grant 0 of identity bo", "id"}},
			"an ID cell repeated for another identity is a duplicate, on the row that repeats it"},
		{"identity defined twice",
			[]importer.Import{{Name: "idp", Inventory: entitlement.Inventory{Identities: []entitlement.Identity{{ID: "ann", Kind: entitlement.Human, Status: entitlement.IdentityActive}}},
				Origins: lineOf("users.json", map[string]int{"identity ann": 12})}},
			people,
			[]problem{{entitlement.ErrDuplicate, "users.json", 12, "identity ann", "id"}},
			"an import's definitions are definitions: the duplicate is placed at its second occurrence, in the import"},
		{"attached grant with a dangling target",
			[]importer.Import{{Name: "g.csv", Grants: []entitlement.Identity{{ID: "ann", Grants: []entitlement.Grant{grant("ann/nope", "nope", "")}}},
				Origins: lineOf("g.csv", map[string]int{"grant ann/nope identity ann": 4})}},
			people,
			[]problem{{entitlement.ErrUnknownRef, "g.csv", 4, "grant ann/nope of identity ann", "role"}},
			"a grant attached to a bundle identity is validated there, and placed where the import read it"},
		{"imported identity's grant",
			[]importer.Import{{Name: "idp", Inventory: entitlement.Inventory{Identities: []entitlement.Identity{
				{ID: "cy", Kind: entitlement.Human, Status: entitlement.IdentityActive, Grants: []entitlement.Grant{grant("cy/a", "", "erp:read"), grant("cy/b", "", "erp:nope")}}}},
				Origins: lineOf("users.json", map[string]int{"identity cy": 20, "grant cy/a identity cy": 21, "grant cy/b identity cy": 22})}},
			people,
			[]problem{{entitlement.ErrUnknownRef, "users.json", 22, "grant cy/b of identity cy", "entitlement"}},
			"an imported identity's grants are placed at their own lines"},
		{"no origin",
			[]importer.Import{{Inventory: entitlement.Inventory{Identities: []entitlement.Identity{{ID: "dee", Kind: entitlement.Human}}}}},
			people,
			[]problem{{entitlement.ErrRequired, "import #0", 0, "identity dee", "status"}},
			"an import that cannot say where it read a record is named instead"},
		{"cycle through an implied role",
			[]importer.Import{{Name: "idp", Implied: entitlement.Inventory{Roles: []entitlement.Role{{ID: "idp:group/payers", Inherits: []string{"idp:group/all"}}, {ID: "idp:group/all", Inherits: []string{"idp:group/payers"}}}},
				Origins: lineOf("groups.json", map[string]int{"role idp:group/all": 7})}},
			people,
			[]problem{{entitlement.ErrCycle, "groups.json", 7, "role idp:group/all", "inherits"}},
			"implied nesting merged into a bundle role is validated like any inheritance"},
		{"bundle file cut short",
			[]importer.Import{{Name: "g.csv", Grants: []entitlement.Identity{{ID: "bo", Grants: []entitlement.Grant{grant("bo/x", "", "erp:read")}}}}},
			people[:len(people)/2],
			[]problem{{bundle.ErrSyntax, "people.json", 5, "", ""}},
			"with a bundle file cut short its identities may be missing: grants are not attached, so no false unknown-identity errors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := bundle.LoadWith(tt.imports, bundle.Source{Name: "people.json", Reader: strings.NewReader(tt.bundle)})
			require.Nil(t, b)
			require.Equal(t, tt.want, problems(t, err), "%s\n%v", tt.reason, err)
		})
	}
}

func TestLoadWithImpliedOnly(t *testing.T) {
	_, err := bundle.LoadWith([]importer.Import{{Name: "x", Implied: entitlement.Inventory{Identities: []entitlement.Identity{{ID: "a"}}}}})
	require.ErrorContains(t, err, "import x: Implied may hold parties, entitlements and roles only")
}

func TestLoadWithNothing(t *testing.T) {
	b, err := bundle.LoadWith(nil)
	require.NoError(t, err)
	require.NotNil(t, b.Index, "no input is an empty, valid bundle")
	b, err = bundle.LoadWith(nil, bundle.Source{Name: "people.json", Reader: strings.NewReader(people)})
	require.NoError(t, err)
	plain, err := bundle.Load(bundle.Source{Name: "people.json", Reader: strings.NewReader(people)})
	require.NoError(t, err)
	require.Equal(t, plain.Inventory, b.Inventory, "without imports, LoadWith is Load")
	require.Equal(t, plain.Inputs, b.Inputs)
}

// acmeImports reads the acme exports with the importers, as sodkit check
// --scim ... --scim-key userName --csv ... --csv-map ... does.
func acmeImports(t testing.TB) []importer.Import {
	t.Helper()
	r, err := scim.NewReader(scim.Options{System: "okta", Key: scim.KeyUserName})
	require.NoError(t, err)
	for _, name := range []string{"users.json", "groups.json"} {
		f, err := os.Open(filepath.Join("..", "entitlement", "scim", "testdata", "acme", name))
		require.NoError(t, err)
		require.NoError(t, r.Read(name, f))
		f.Close()
	}
	s := r.Import()
	mf, err := os.Open(filepath.Join("..", "entitlement", "grantcsv", "testdata", "acme", "map.json"))
	require.NoError(t, err)
	m, err := grantcsv.ReadMapping("map.json", mf)
	mf.Close()
	require.NoError(t, err)
	cf, err := os.Open(filepath.Join("..", "entitlement", "grantcsv", "testdata", "acme", "grants.csv"))
	require.NoError(t, err)
	c, err := grantcsv.Read("grants.csv", cf, m)
	cf.Close()
	require.NoError(t, err)
	return []importer.Import{s, c}
}

func acmeRules(t testing.TB) bundle.Source {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "imports", "rules.json"))
	require.NoError(t, err)
	return bundle.Source{Name: "rules.json", Reader: bytes.NewReader(data)}
}

// TestLoadWithAcme loads a realistic SCIM export (Okta and Entra ID
// quirks), an SAP-like CSV grant export and a small bundle of rules, and
// checks the findings they must produce: deprovisioned users who still
// hold access, toxic combinations across sources and through group
// nesting, and the data-quality notes of the read.
func TestLoadWithAcme(t *testing.T) {
	b, err := bundle.LoadWith(acmeImports(t), acmeRules(t))
	require.NoError(t, err)
	report, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)

	type key struct {
		kind     audit.Kind
		subject  string
		rule     string
		severity audit.Severity
	}
	got := map[key]audit.Finding{}
	for _, f := range report.Findings {
		got[key{f.Kind, f.Subject.ID, f.Rule, f.Severity}] = f
	}
	for _, want := range []struct {
		key
		reason string
	}{
		{key{lifecycle.KindInactiveHolder, "bob@acme.example", "", audit.Critical},
			`"active": "False" (Entra ID) is disabled; bob is still in Payments-Release, whose role the rules give the privileged sap:F110`},
		{key{lifecycle.KindInactiveHolder, "gus@acme.example", "", audit.High},
			"gus is disabled in the IdP and still holds sap:FB60 in the CSV export"},
		{key{sod.KindToxicCombination, "alice@acme.example", "R-P2P-01", audit.Critical},
			"alice's vendor-admin entitlement comes from SCIM, her payment run from the CSV: a toxic combination across sources"},
		{key{sod.KindToxicCombination, "erin@acme.example", "R-P2P-02", audit.High},
			"erin is an AP clerk (a group) and reaches Payments-Release through Finance-Leads (nesting)"},
	} {
		f, ok := got[want.key]
		require.True(t, ok, "missing %v: %s", want.key, want.reason)
		if want.subject == "erin@acme.example" {
			var paths []string
			for _, e := range f.Evidence {
				if len(e.Path) > 0 {
					paths = append(paths, audit.PathString(e.Path))
				}
			}
			require.Contains(t, paths, "grant erin@acme.example/okta:group/00g4finleads → role okta:group/00g4finleads (Finance-Leads) → role okta:group/00g3payrel (Payments release) → entitlement sap:F110 (Execute payment run)",
				"the path names the nesting that explains the access")
		}
	}
	for k := range got {
		if k.kind == sod.KindToxicCombination {
			require.Contains(t, []string{"alice@acme.example", "erin@acme.example"}, k.subject, "carol enters invoices but releases nothing; bob's F110 was removed")
		}
		if k.kind == lifecycle.KindInactiveHolder {
			require.Contains(t, []string{"bob@acme.example", "gus@acme.example"}, k.subject)
		}
	}

	var dq []string
	for _, f := range report.Findings {
		if f.Kind == importer.KindDataQuality {
			dq = append(dq, f.Severity.String()+" "+f.Subject.Type+" "+f.Subject.ID+" "+f.Evidence[len(f.Evidence)-1].Value)
		}
	}
	require.Equal(t, []string{
		"low grant dave@acme.example/sap:SU01 ignored: repeats line 6 exactly; skipped",
		"low grant dave@acme.example/sap:SU01 defaulted: not a grant state; read as active (the access counts)",
		"low identity dave@acme.example defaulted: absent; read as active (the account can use its access)",
		"low identity fiona@acme.example ignored: names no user in the exports; no manager is set",
		"low role okta:group/00g3payrel ignored: names no user in the exports; skipped",
		"low role okta:group/00g5opsa resolved: 2 groups nest in a cycle; the nesting inside it is dropped, and a member of any of them is granted every one",
		"info grant alice@acme.example/sap:F110 coerced: no time zone; read as UTC",
		"info grant carol@acme.example/sap:MIRO coerced: surrounding spaces dropped",
		"info grant dave@acme.example/sap:SU01 coerced: a date alone: in effect through that day, so it expires at the end of the day, 2027-05-02T00:00:00Z",
		"info identity bob@acme.example coerced: read as false",
		"info identity carol@acme.example coerced: a single value read as a one-element list",
		"info identity dave@acme.example coerced: a bare id read as {\"value\": …}",
		"info identity dave@acme.example coerced: a fully qualified attribute read as the enterprise extension's department",
		"info identity gus@acme.example coerced: read as false",
		"info input grants.csv coerced: byte-order mark skipped",
	}, dq, "every quirk of the exports is in the report, in report order (by severity, kind, subject, then ID)")

	require.Equal(t, []string{"rules.json", "users.json", "groups.json", "grants.csv"}, inputNames(b))
}

// pairRules is a bundle file with a toxic pair of erp:a and erp:b, and
// the people ann and bo.
var pairRules = lines(
	`{"format": "sodkit.bundle/v1",`,
	` "entitlements": [{"id": "erp:a"}, {"id": "erp:b"}],`,
	` "identities": [{"id": "ann", "kind": "human", "status": "active"}, {"id": "bo", "kind": "human", "status": "active"}],`,
	` "sod": {"duties": [{"id": "da", "entitlements": ["erp:a"]}, {"id": "db", "entitlements": ["erp:b"]}],`,
	`   "rules": [{"id": "R-AB", "severity": "high", "sides": [{"duty": "da"}, {"duty": "db"}]}]}}`)

// toxic runs every check at at and returns the subjects of the toxic
// combinations found.
func toxic(t *testing.T, b *bundle.Bundle, at time.Time) []string {
	t.Helper()
	report, err := scan.Run(b, at)
	require.NoError(t, err)
	var out []string
	for _, f := range report.Findings {
		if f.Kind == sod.KindToxicCombination {
			out = append(out, f.Subject.ID+" "+f.Rule)
		}
	}
	return out
}

// TestLoadWithDateOnlyExpiry: a CSV grant valid to 2026-11-01 is in effect
// all of that day, so at noon it still completes a toxic pair; one valid to
// 2026-10-31 no longer does. (Read as 00:00, the first expired before the
// working day began and the pair went unreported.)
func TestLoadWithDateOnlyExpiry(t *testing.T) {
	csv := lines("identity,entitlement,expires",
		"ann,erp:a,",
		"ann,erp:b,2026-11-01",
		"bo,erp:a,",
		"bo,erp:b,2026-10-31")
	im, err := grantcsv.Read("grants.csv", strings.NewReader(csv), grantcsv.Mapping{})
	require.NoError(t, err)
	b, err := bundle.LoadWith([]importer.Import{im},
		bundle.Source{Name: "rules.json", Reader: strings.NewReader(pairRules)})
	require.NoError(t, err)
	noon := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	require.Equal(t, []string{"ann R-AB"}, toxic(t, b, noon),
		"ann's erp:b is valid through 2026-11-01: toxic at noon; bo's ended with 2026-10-31")
	require.Empty(t, toxic(t, b, noon.Add(12*time.Hour)), "at midnight ann's grant has expired too")
	var notes []string
	for _, n := range im.Notes {
		notes = append(notes, fmt.Sprintf("%s:%d %s %s %s", n.File, n.Line, n.Record, n.Attribute, n.Action))
	}
	require.Equal(t, []string{
		"grants.csv:3 grant ann/erp:b expires coerced",
		"grants.csv:5 grant bo/erp:b expires coerced",
	}, notes, "each date-only expiry is noted on its row and column")
}

// caseUsers is a SCIM users export keyed by userName in the tests below:
// Alice@Acme.example is in the payers group, whose role the rules give
// erp:b.
var caseUsers = lines(
	`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [`,
	`  {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "00u1", "userName": "Alice@Acme.example", "active": true,`,
	`   "groups": [{"value": "payers", "display": "Payers"}]}`,
	`]}`)

// caseRules gives the payers group's role erp:b, so erp:a and the group
// are a toxic pair, and defines bo.
var caseRules = lines(
	`{"format": "sodkit.bundle/v1",`,
	` "entitlements": [{"id": "erp:a"}, {"id": "erp:b"}],`,
	` "roles": [{"id": "okta:group/payers", "entitlements": ["erp:b"]}],`,
	` "identities": [{"id": "bo", "kind": "human", "status": "active"}],`,
	` "sod": {"duties": [{"id": "da", "entitlements": ["erp:a"]}, {"id": "db", "entitlements": ["erp:b"]}],`,
	`   "rules": [{"id": "R-AB", "severity": "high", "sides": [{"duty": "da"}, {"duty": "db"}]}]}}`)

// scimImport reads SCIM users exports keyed by userName, as sodkit check
// --scim-key userName does.
func scimImport(t *testing.T, name string, key scim.Key, files ...string) importer.Import {
	t.Helper()
	r, err := scim.NewReader(scim.Options{System: "okta", Key: key})
	require.NoError(t, err)
	for i, f := range files {
		require.NoError(t, r.Read(fmt.Sprintf("users%d.json", i+1), strings.NewReader(f)))
	}
	s := r.Import()
	s.Name = name
	return s
}

// csvImport reads a CSV grant export.
func csvImport(t *testing.T, text string) importer.Import {
	t.Helper()
	c, err := grantcsv.Read("grants.csv", strings.NewReader(text), grantcsv.Mapping{})
	require.NoError(t, err)
	return c
}

// TestLoadWithUserNameCase: SCIM userNames are not case-sensitive (RFC
// 7643 §4.1.1), so a SCIM user Alice@Acme.example and another input's
// alice@acme.example are one person. A toxic pair split between the two
// spellings must be found for that one person, or loading must fail —
// never two identities that each hold one side.
func TestLoadWithUserNameCase(t *testing.T) {
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	bundleAlice := lines(
		`{"format": "sodkit.bundle/v1",`,
		` "identities": [`,
		`  {"id": "alice@acme.example", "kind": "human", "status": "active",`,
		`   "grants": [{"id": "g-1", "entitlement": "erp:a", "state": "active"}]}]}`)

	t.Run("bundle identity in another case", func(t *testing.T) {
		_, err := bundle.LoadWith([]importer.Import{scimImport(t, "scim", scim.KeyUserName, caseUsers)},
			bundle.Source{Name: "rules.json", Reader: strings.NewReader(caseRules)},
			bundle.Source{Name: "people.json", Reader: strings.NewReader(bundleAlice)})
		require.Equal(t, []problem{{entitlement.ErrDuplicate, "users1.json", 2, "identity Alice@Acme.example", "id"}}, problems(t, err),
			"the SCIM user and the bundle's alice are one person defined twice, as if spelt alike: an error on the SCIM user, "+
				"not two identities each holding one side of R-AB\n%v", err)
		require.ErrorContains(t, err, `identity "alice@acme.example" (people.json:3) differs only in case`)
	})

	t.Run("CSV grant in another case", func(t *testing.T) {
		b, err := bundle.LoadWith([]importer.Import{
			scimImport(t, "scim", scim.KeyUserName, caseUsers),
			csvImport(t, lines("identity,entitlement", "ALICE@acme.example,erp:a", "bo,erp:a")),
		}, bundle.Source{Name: "rules.json", Reader: strings.NewReader(caseRules)})
		require.NoError(t, err)
		require.Equal(t, []string{"Alice@Acme.example R-AB"}, toxic(t, b, at),
			"the CSV's erp:a and the SCIM group's erp:b meet on one identity: one toxic combination")
		require.Len(t, b.Inventory.Identities, 2, "alice (from SCIM) and bo (from the bundle): no third identity")
		alice, _ := b.Index.Identity("Alice@Acme.example")
		require.Equal(t, []string{"Alice@Acme.example/okta:group/payers", "ALICE@acme.example/erp:a"}, grantIDs(alice))
		var notes []string
		for _, f := range b.Findings {
			if f.Kind == importer.KindDataQuality && f.Severity == audit.Low {
				notes = append(notes, f.Message)
			}
		}
		require.Equal(t, []string{`grants.csv:2: identity "ALICE@acme.example": resolved: names identity "Alice@Acme.example" in another case; scim's identity IDs are not case-sensitive, so it is that identity`},
			notes, "the resolution is a data-quality note on the row")
	})

	t.Run("CSV actor in another case", func(t *testing.T) {
		b, err := bundle.LoadWith([]importer.Import{
			scimImport(t, "scim", scim.KeyUserName, caseUsers),
			csvImport(t, lines("identity,entitlement,requested_by,approved_by", "bo,erp:a,alice@ACME.example,ALICE@acme.example")),
		}, bundle.Source{Name: "rules.json", Reader: strings.NewReader(caseRules)})
		require.NoError(t, err)
		bo, _ := b.Index.Identity("bo")
		g := bo.Grants[0]
		require.Equal(t, "Alice@Acme.example", g.Requested.By, "an actor is resolved like a holder, so maker-checker sees one person")
		require.Equal(t, "Alice@Acme.example", g.Approvals[0].By)
		n := 0
		for _, f := range b.Findings {
			if f.Kind == importer.KindDataQuality && strings.Contains(f.Message, "resolved") {
				n++
			}
		}
		require.Equal(t, 2, n, "each resolved actor is noted")
	})

	t.Run("CSV grant in another case, with an error", func(t *testing.T) {
		_, err := bundle.LoadWith([]importer.Import{
			scimImport(t, "scim", scim.KeyUserName, caseUsers),
			csvImport(t, lines("identity,entitlement,role", "bo,erp:a,", "ALICE@acme.example,,nope")),
		}, bundle.Source{Name: "rules.json", Reader: strings.NewReader(caseRules)})
		require.Equal(t, []problem{{entitlement.ErrUnknownRef, "grants.csv", 3, "grant ALICE@acme.example/nope of identity Alice@Acme.example", "role"}}, problems(t, err),
			"a grant attached by another spelling is still placed on its row")
	})

	t.Run("two SCIM imports", func(t *testing.T) {
		other := strings.ReplaceAll(strings.ReplaceAll(caseUsers, "Alice@Acme.example", "alice@acme.EXAMPLE"), "00u1", "00u9")
		_, err := bundle.LoadWith([]importer.Import{
			scimImport(t, "okta", scim.KeyUserName, caseUsers),
			scimImport(t, "entra", scim.KeyUserName, other),
		}, bundle.Source{Name: "rules.json", Reader: strings.NewReader(caseRules)})
		require.Equal(t, []problem{{entitlement.ErrDuplicate, "users1.json", 2, "identity alice@acme.EXAMPLE", "id"}}, problems(t, err),
			"two case-insensitive imports naming one person in two cases: defined twice")
	})

	t.Run("SCIM ids are case-exact", func(t *testing.T) {
		_, err := bundle.LoadWith([]importer.Import{
			scimImport(t, "scim", scim.KeyID, caseUsers),
			csvImport(t, lines("identity,entitlement", "00U1,erp:a")),
		}, bundle.Source{Name: "rules.json", Reader: strings.NewReader(caseRules)})
		require.Equal(t, []problem{{entitlement.ErrUnknownRef, "grants.csv", 2, "grant 00U1/erp:a of identity 00U1", ""}}, problems(t, err),
			"keyed by the SCIM id, which RFC 7643 makes case-exact, identities match exactly")
	})

	t.Run("bundle IDs stay case-sensitive", func(t *testing.T) {
		_, err := bundle.LoadWith([]importer.Import{csvImport(t, lines("identity,entitlement", "BO,erp:a"))},
			bundle.Source{Name: "rules.json", Reader: strings.NewReader(caseRules)})
		require.Equal(t, []problem{{entitlement.ErrUnknownRef, "grants.csv", 2, "grant BO/erp:a of identity BO", ""}}, problems(t, err),
			"only identities of a case-insensitive import are found in another case")
	})
}

// ExampleLoadWith_foldIdentities loads a SCIM export keyed by userName, which
// is not case-sensitive, with a CSV export that spells the user otherwise:
// the CSV grant goes to the SCIM user, and a note says so.
func ExampleLoadWith_foldIdentities() {
	users := `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [
	  {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "00u1", "userName": "Ann@Example.com", "active": true}]}`
	r, _ := scim.NewReader(scim.Options{System: "okta", Key: scim.KeyUserName})
	if err := r.Read("users.json", strings.NewReader(users)); err != nil {
		panic(err)
	}
	s := r.Import()
	c, err := grantcsv.Read("grants.csv", strings.NewReader("identity,entitlement\nann@example.com,sap:F110\n"), grantcsv.Mapping{})
	if err != nil {
		panic(err)
	}
	b, err := bundle.LoadWith([]importer.Import{s, c})
	if err != nil {
		panic(err)
	}
	ann, _ := b.Index.Identity("Ann@Example.com")
	fmt.Println(ann.Grants[0].ID)
	for _, f := range b.Findings {
		fmt.Println(f.Message)
	}
	// Output:
	// ann@example.com/sap:F110
	// grants.csv:2: identity "ann@example.com": resolved: names identity "Ann@Example.com" in another case; okta's identity IDs are not case-sensitive, so it is that identity
}

// ExampleLoadWith loads a CSV grant export with a bundle file that
// defines the people and gives the exported entitlement its risk.
func ExampleLoadWith() {
	csv := "identity,entitlement,state\nann,sap:F110,active\nbo,sap:F110,revoked\n"
	im, err := grantcsv.Read("grants.csv", strings.NewReader(csv), grantcsv.Mapping{})
	if err != nil {
		panic(err)
	}
	people := `{"format": "sodkit.bundle/v1",
	  "entitlements": [{"id": "sap:F110", "name": "Payment run", "risk": "critical"}],
	  "identities": [{"id": "ann", "kind": "human", "status": "active"}, {"id": "bo", "kind": "human", "status": "active"}]}`
	b, err := bundle.LoadWith(
		[]importer.Import{im},
		bundle.Source{Name: "people.json", Reader: strings.NewReader(people)})
	if err != nil {
		panic(err)
	}
	e, _ := b.Index.Entitlement("sap:F110")
	fmt.Println(e.Name, e.Risk)
	ann, _ := b.Index.Identity("ann")
	fmt.Println(ann.Grants[0].ID, ann.Grants[0].State)
	for _, in := range b.Inputs {
		fmt.Println(in.Name)
	}

	// A row naming someone no input defines is an error on its line.
	im, _ = grantcsv.Read("grants.csv", strings.NewReader("identity,entitlement\nzed,sap:F110\n"), grantcsv.Mapping{})
	_, err = bundle.LoadWith(
		[]importer.Import{im},
		bundle.Source{Name: "people.json", Reader: strings.NewReader(people)})
	fmt.Println(err)
	// Output:
	// Payment run critical
	// ann/sap:F110 active
	// people.json
	// grants.csv
	// grants.csv:2: grant zed/sap:F110 of identity zed: unknown reference: no input defines identity "zed"
}

// FuzzLoadWith loads arbitrary bytes as a bundle file together with the
// acme imports (SCIM keyed by userName, so identities match in any case,
// and CSV). Loading never panics; it returns a bundle or an error, never
// both; every error is an *entitlement.RecordError naming a file the load
// read; and a bundle that loads writes back to a bundle file that loads as
// the same inventory (imports leave nothing a plain bundle cannot hold).
//
// The seeds are a few hundred bytes each, and identities are read in
// place: the fuzzer minimises each input that finds new coverage with a
// number of runs that grows with the square of its size, so the acme rules
// file (1.3 KB) as a seed left it minimising rather than fuzzing.
func FuzzLoadWith(f *testing.F) {
	f.Add([]byte(people))
	f.Add([]byte(`{"format": "sodkit.bundle/v1", "identities": [{"id": "alice@acme.example", "kind": "human", "status": "active"}]}`))
	f.Add([]byte(`{"format": "sodkit.bundle/v1", "identities": [{"id": "ALICE@acme.example", "kind": "human", "status": "active", "grants": [{"id": "g", "entitlement": "sap:F110", "state": "active", "requested": {"by": "Bob@acme.example"}}]}]}`))
	f.Add([]byte(`{"format": "sodkit.bundle/v1", "roles": [{"id": "okta:group/00g3payrel", "inherits": ["okta:group/00g4finleads"]}]}`))
	f.Add([]byte(`{"format": "sodkit.bundle/v1", "entitlements": [{"id": "sap:F110", "system": "sap"}], "parties": [{"id": "okta:department/Finance", "members": ["erin@acme.example"]}]}`))
	f.Add([]byte(`{"format": "sodkit.bundle/v1", "roles": [{"id": "okta:group/00g3payrel", "entitlements": ["sap:F110"]}],` +
		` "sod": {"duties": [{"id": "v", "entitlements": ["okta:erp-vendor-admin"]}, {"id": "p", "roles": ["okta:group/00g3payrel"]}],` +
		` "rules": [{"id": "R", "severity": "high", "sides": [{"duty": "v"}, {"duty": "p"}]}]}}`))
	imports := acmeImports(f)
	files := []string{"fuzz.json", "users.json", "groups.json", "grants.csv"}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer bundle.SetParallel(0, 1)()
		b, err := bundle.LoadWith(imports, bundle.Source{Name: "fuzz.json", Reader: bytes.NewReader(data)})
		if err != nil {
			require.Nil(t, b)
			errs := entitlement.Errors(err)
			for i, e := range errs {
				re, ok := errors.AsType[*entitlement.RecordError](e)
				if !ok {
					require.Equal(t, len(errs)-1, i, "only the last error, saying loading stopped, may be plain: %v", e)
					continue
				}
				require.Contains(t, files, re.File, "%v names a file", e)
			}
			return
		}
		require.Equal(t, files, inputNames(b))
		var first bytes.Buffer
		require.NoError(t, synth.WriteInventory(&first, &b.Inventory, b.AsOf))
		again, err := bundle.Load(bundle.Source{Name: "again.json", Reader: bytes.NewReader(first.Bytes())})
		require.NoError(t, err, "a loaded inventory written back must load:\n%s", first.String())
		require.Equal(t, len(b.Inventory.Identities), len(again.Inventory.Identities))
	})
}
