package bundle_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
)

// TestOriginOfImports checks that records read by importers say where
// they were read, as the importers recorded it — grants a CSV export adds
// to identities a SCIM export defines included — and that an origin
// always names one of the bundle's inputs.
func TestOriginOfImports(t *testing.T) {
	imports := acmeImports(t)
	acmeDir(t)
	b, err := bundle.LoadFileSet(acmeSet)
	require.NoError(t, err)

	tests := []struct {
		name    string
		reason  string
		typ, id string
		want    bundle.Origin
	}{
		{"scim identity", "a SCIM user's resource", "identity", "alice@acme.example", bundle.Origin{File: "users.json", Line: 7}},
		{"csv grant of a scim identity", "a CSV row attached to a SCIM user keeps its row",
			"grant", "alice@acme.example/sap:F110", bundle.Origin{File: "grants.csv", Line: 2}},
		{"another csv grant", "rows are placed one by one", "grant", "gus@acme.example/sap:FB60", bundle.Origin{File: "grants.csv", Line: 8}},
		{"csv entitlement", "the row that first named it", "entitlement", "sap:SU01", bundle.Origin{File: "grants.csv", Line: 6}},
		{"bundle rule", "bundle files as before", "rule", "R-P2P-01", bundle.Origin{File: "rules.json", Line: 18}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := b.Origin(tt.typ, tt.id)
			require.True(t, ok, tt.reason)
			require.Equal(t, tt.want, got, tt.reason)
		})
	}

	// Every grant of every identity: where its importer says it read it,
	// or, for a grant it kept no line for, the identity's input.
	inputs := map[string]bool{}
	for _, in := range b.Inputs {
		inputs[in.Name] = true
	}
	for _, id := range b.Inventory.Identities {
		where := b.IdentityOrigin(id)
		require.True(t, inputs[where.File], "identity %s: %v names an input", id.ID, where.Origin)
		require.Len(t, where.Grants, len(id.Grants), "identity %s: one origin per grant", id.ID)
		for i, g := range id.Grants {
			got := where.Grants[i]
			require.True(t, inputs[got.File], "grant %s: %v names an input", g.ID, got)
			var want importer.Origin
			for _, imp := range imports {
				if o := imp.Origins[importer.Record{Type: "grant", ID: g.ID, Parent: "identity " + id.ID}]; o.File != "" {
					want = o
					break
				}
			}
			if want.File != "" {
				require.Equal(t, bundle.Origin{File: want.File, Line: want.Line}, got, "grant %s of %s", g.ID, id.ID)
			}
			o, ok := b.Origin("grant", g.ID)
			require.True(t, ok, "grant %s", g.ID)
			require.Equal(t, got, o, "Origin and IdentityOrigin agree on grant %s", g.ID)
		}
	}
}

// TestOriginOfImportWithoutLines: an import that records no line for a
// record places its errors by the import's name, which is not an input;
// Origin does not offer that name as a file.
func TestOriginOfImportWithoutLines(t *testing.T) {
	imp := importer.Import{
		Name:   "okta",
		Inputs: nil,
		Inventory: entitlement.Inventory{
			Entitlements: []entitlement.Entitlement{{ID: "okta:app/erp"}},
			Identities: []entitlement.Identity{{ID: "ann", Kind: entitlement.Human, Status: entitlement.IdentityActive,
				Grants: []entitlement.Grant{{ID: "g-1", Entitlement: "okta:app/erp", State: entitlement.GrantActive}}}},
		},
	}
	b, err := bundle.LoadWith([]importer.Import{imp})
	require.NoError(t, err)
	for _, r := range [][2]string{{"entitlement", "okta:app/erp"}, {"identity", "ann"}, {"grant", "g-1"}} {
		o, ok := b.Origin(r[0], r[1])
		require.False(t, ok, "%s %s: no input holds it, got %v", r[0], r[1], o)
	}
	require.Equal(t, bundle.IdentityOrigin{}, b.IdentityOrigin(b.Inventory.Identities[0]))
}
