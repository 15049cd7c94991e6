package scim_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement/scim"
)

// export writes a ListResponse of n users, each in two of g groups and
// with two entitlements, and of the g groups (each nested in the next).
func export(n, g int) (users, groups []byte) {
	var u, gr bytes.Buffer
	u.WriteString(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [`)
	members := make([][]string, g)
	for i := range n {
		if i > 0 {
			u.WriteString(",\n")
		}
		fmt.Fprintf(&u, `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "00u%d", "userName": "user%d@example.com",`+
			` "displayName": "User %d", "active": %q, "emails": [{"value": "user%d@example.com", "primary": true}],`+
			` "entitlements": [{"value": "app%d"}, {"value": "app%d"}],`+
			` "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "D%d", "manager": {"value": "00u%d"}}}`,
			i, i, i, []string{"true", "False"}[i%2], i, i%50, (i+7)%50, i%20, i/10*10)
		for _, k := range []int{i % g, (i*7 + 3) % g} {
			members[k] = append(members[k], fmt.Sprintf(`{"value": "00u%d"}`, i))
		}
	}
	u.WriteString("]}")
	gr.WriteString(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [`)
	for k := range g {
		if k > 0 {
			gr.WriteString(",\n")
		}
		ms := members[k]
		if k > 0 {
			ms = append(ms, fmt.Sprintf(`{"value": "00g%d", "type": "Group"}`, k-1))
		}
		fmt.Fprintf(&gr, `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "00g%d", "displayName": "Group %d", "members": [%s]}`,
			k, k, bytes.Join(toBytes(ms), []byte(",")))
	}
	gr.WriteString("]}")
	return u.Bytes(), gr.Bytes()
}

func toBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// BenchmarkRead reads 10,000 users and 200 nested groups and resolves
// them: the cost of importing a mid-sized identity provider export.
func BenchmarkRead(b *testing.B) {
	users, groups := export(10000, 200)
	b.SetBytes(int64(len(users) + len(groups)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := scim.NewReader(scim.Options{})
		require.NoError(b, err)
		require.NoError(b, r.Read("users.json", bytes.NewReader(users)))
		require.NoError(b, r.Read("groups.json", bytes.NewReader(groups)))
		im := r.Import()
		if len(im.Inventory.Identities) != 10000 {
			b.Fatal(len(im.Inventory.Identities))
		}
	}
}
