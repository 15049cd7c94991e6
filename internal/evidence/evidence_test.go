package evidence_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/evidence"
)

func TestPath(t *testing.T) {
	inv := &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{{ID: "erp:x"}},
		Roles:        []entitlement.Role{{ID: "top", Inherits: []string{"low"}}, {ID: "low", Entitlements: []string{"erp:x"}}},
	}
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	a, err := x.Expand([]entitlement.Grant{
		{ID: "g-1", Role: "top", State: entitlement.GrantActive},
		{ID: "g-2", Entitlement: "erp:x", State: entitlement.GrantActive},
	}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	h, _ := a.Entitlement("erp:x")
	require.Equal(t, []audit.Step{{Type: "grant", ID: "g-1"}, {Type: "role", ID: "top"}, {Type: "role", ID: "low"}, {Type: "entitlement", ID: "erp:x"}},
		evidence.Path(h.Paths[0]))
	require.Equal(t, []audit.Step{{Type: "grant", ID: "g-2"}, {Type: "entitlement", ID: "erp:x"}}, evidence.Path(h.Paths[1]))
	r, _ := a.Role("low")
	require.Equal(t, []audit.Step{{Type: "grant", ID: "g-1"}, {Type: "role", ID: "top"}, {Type: "role", ID: "low"}}, evidence.Path(r.Paths[0]),
		"a role holding ends at the role")
	require.Equal(t, audit.PathString(evidence.Path(h.Paths[0]))[len("grant "):], h.Paths[0].String()[len("grant "):],
		"the evidence reads as the path does")
}
