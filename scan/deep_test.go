package scan_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
	"github.com/sodkit/sodkit/scan"
	"github.com/sodkit/sodkit/sod"
)

// chainBundle is a bundle file whose n roles form one chain, r00000
// inheriting r00001 and so on; the last grants both sides of rule R1, and
// identity u is granted the top. A 44 KB file of this shape with 1,000
// roles used to take over a minute and 2 GB.
func chainBundle(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"format":"sodkit.bundle/v1","as_of":"2026-11-01T09:00:00Z",` +
		`"entitlements":[{"id":"erp:x"},{"id":"erp:y"}],"roles":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if i+1 < n {
			fmt.Fprintf(&b, `{"id":"r%05d","inherits":["r%05d"]}`, i, i+1)
		} else {
			fmt.Fprintf(&b, `{"id":"r%05d","entitlements":["erp:x","erp:y"]}`, i)
		}
	}
	b.WriteString(`],"identities":[{"id":"u","kind":"human","status":"active",` +
		`"grants":[{"id":"g-1","role":"r00000","state":"active"}]}],` +
		`"sod":{"rules":[{"id":"R1","sides":[{"entitlements":["erp:x"]},{"entitlements":["erp:y"]}]}]}}`)
	return b.Bytes()
}

// nestedGroups is a SCIM Users and a Groups response: n groups, each
// nested in the one before, the innermost holding the one user.
func nestedGroups(n int) (users, groups []byte) {
	type member struct {
		Value string `json:"value"`
		Type  string `json:"type"`
	}
	type group struct {
		Schemas     []string `json:"schemas"`
		ID          string   `json:"id"`
		DisplayName string   `json:"displayName"`
		Members     []member `json:"members"`
	}
	list := func(rs any, total int) []byte {
		out, err := json.Marshal(map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
			"totalResults": total, "Resources": rs})
		if err != nil {
			panic(err)
		}
		return out
	}
	gs := make([]group, n)
	for i := range gs {
		gs[i] = group{Schemas: []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, ID: fmt.Sprintf("grp%05d", i),
			DisplayName: fmt.Sprintf("Group %d", i), Members: []member{{fmt.Sprintf("grp%05d", i+1), "Group"}}}
	}
	gs[n-1].Members = []member{{"u1", "User"}}
	us := []map[string]any{{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "id": "u1", "userName": "u1@example.com", "active": true}}
	return list(us, 1), list(gs, n)
}

// scimAt evaluates SCIM exports, which carry no as_of.
var scimAt = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// loadNested reads nested SCIM groups into a bundle.
func loadNested(t testing.TB, users, groups []byte) *bundle.Bundle {
	r, err := scim.NewReader(scim.Options{})
	require.NoError(t, err)
	require.NoError(t, r.Read("users.json", bytes.NewReader(users)))
	require.NoError(t, r.Read("groups.json", bytes.NewReader(groups)))
	b, err := bundle.LoadWith([]importer.Import{r.Import()})
	require.NoError(t, err)
	return b
}

// TestDeepHierarchy checks a 10,000-role chain and 10,000 nested SCIM
// groups in full. Before closures were walked on demand, a tenth of either
// needed gigabytes; the report must stay linear too: each senior role of a
// toxic role is reported with a path that stops at its toxic junior.
func TestDeepHierarchy(t *testing.T) {
	const n = 10_000
	t.Run("chain", func(t *testing.T) {
		b, err := bundle.Load(bundle.Source{Name: "chain.json", Reader: bytes.NewReader(chainBundle(n))})
		require.NoError(t, err)
		r, err := scan.Run(b, b.AsOf)
		require.NoError(t, err)
		intra, steps := 0, 0
		for _, f := range r.Findings {
			switch f.Kind {
			case sod.KindIntraRoleConflict:
				intra++
				for _, e := range f.Evidence {
					steps += len(e.Path)
				}
			case sod.KindToxicCombination:
				require.Equal(t, "u", f.Subject.ID)
				require.Len(t, f.Evidence[0].Path, n+2, "the identity's path runs the whole chain: grant, every role, entitlement")
			}
		}
		require.Equal(t, n, intra, "every role of the chain carries the toxic pair")
		require.Less(t, steps, 5*n, "intra-role paths stop at the toxic junior: linear, not quadratic")
	})
	t.Run("scim groups", func(t *testing.T) {
		users, groups := nestedGroups(n)
		b := loadNested(t, users, groups)
		require.Len(t, b.Index.Inventory().Roles, n)
		a, err := b.Index.EffectiveAccess(b.Index.Inventory().Identities[0].ID, scimAt)
		require.NoError(t, err)
		require.Len(t, a.Roles, n, "the user in the innermost group holds every enclosing group's role")
		_, err = scan.Run(b, scimAt)
		require.NoError(t, err)
	})
}

// BenchmarkDeepHierarchy loads and checks a role chain and nested SCIM
// groups of 1,000 and 10,000; time and memory grow linearly.
func BenchmarkDeepHierarchy(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		data := chainBundle(n)
		b.Run(fmt.Sprintf("chain/roles=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bd, err := bundle.Load(bundle.Source{Name: "chain.json", Reader: bytes.NewReader(data)})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := scan.Run(bd, bd.AsOf); err != nil {
					b.Fatal(err)
				}
			}
		})
		users, groups := nestedGroups(n)
		b.Run(fmt.Sprintf("scim/groups=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bd := loadNested(b, users, groups)
				if _, err := scan.Run(bd, scimAt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
