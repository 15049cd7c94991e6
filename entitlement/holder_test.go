package entitlement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

func TestHolder(t *testing.T) {
	x := index(t, diamond())
	id := entitlement.Identity{ID: "u", Grants: []entitlement.Grant{
		active("g-1", "top"),
		{ID: "g-2", Entitlement: "erp:x", State: entitlement.GrantActive, Expires: t0},
		{ID: "g-3", Role: "right", State: entitlement.GrantActive, Eligible: true},
		{ID: "g-4", Role: "nope", State: entitlement.GrantActive},
	}}
	h := x.Holder(id)
	a, err := h.Access(t0)
	require.ErrorIs(t, err, entitlement.ErrUnknownRef, "an unknown target is an error, as Expand reports it")
	want, wantErr := x.Expand(id.Grants, t0)
	require.Equal(t, wantErr.Error(), err.Error())
	require.Equal(t, paths(want.Entitlements), paths(a.Entitlements), "Access is Expand over the identity's grants")
	require.Equal(t, paths(want.Roles), paths(a.Roles))
	require.Equal(t, "u", a.Identity)

	again, _ := h.Access(t0)
	require.Equal(t, paths(a.Entitlements), paths(again.Entitlements), "asked again at the same time: the same answer")
	earlier, _ := h.Access(t0.Add(-time.Hour))
	require.Contains(t, paths(earlier.Entitlements), "erp:x: grant g-1 → role top → role left → role bottom → entitlement erp:x; grant g-2 → entitlement erp:x; grant g-3 → role right → role bottom → entitlement erp:x (eligible)",
		"an hour earlier g-2 has not expired yet")

	require.Equal(t, []string{"erp:x: grant g-2 → entitlement erp:x"}, paths(h.Conferred(1)),
		"what an expired grant confers, whatever the time")
	require.Equal(t, []string{
		"erp:x: grant g-3 → role right → role bottom → entitlement erp:x (eligible)",
		"erp:y: grant g-3 → role right → entitlement erp:y (eligible)",
	}, paths(h.Conferred(2)), "an eligible grant's paths are not active when no time is asked")
	require.Empty(t, h.Conferred(3), "nothing for an unknown target")
}
