package raci_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/raci"
)

// TestDemo keeps the embedded demo honest: its RACI section exercises every
// finding kind a valid bundle can hold, and some access is clean.
func TestDemo(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	fs := raci.Check(b.Index, b.RACI, b.AsOf)
	require.NoError(t, invariants(fs))
	kinds := map[audit.Kind]int{}
	subjects := map[audit.Subject]bool{}
	for _, f := range fs {
		kinds[f.Kind]++
		subjects[f.Subject] = true
	}
	for _, info := range raci.Kinds() {
		k := info.Kind
		if k == raci.KindUnknownReference {
			require.Zero(t, kinds[k], "a bundle that names something unknown does not load")
			continue
		}
		require.NotZero(t, kinds[k], "the demo exercises %s", k)
	}
	for _, clean := range []audit.Subject{
		{Type: "identity", ID: "wl-billing"},
		{Type: "grant", ID: "g-112"},
		{Type: "grant", ID: "g-162"},
		{Type: "grant", ID: "g-521"},
		{Type: "entitlement", ID: "erp:payment.release"},
		{Type: "matrix", ID: "global"},
	} {
		require.False(t, subjects[clean], "%s is clean in the demo", clean)
	}
	own := raci.Owners(b.Index, b.RACI, b.AsOf)
	clean := 0
	for _, o := range own {
		if len(o.Gaps) == 0 {
			clean++
		}
	}
	require.Greater(t, clean, len(own)/2, "most of the demo's entitlements and identities are fully owned")
}
