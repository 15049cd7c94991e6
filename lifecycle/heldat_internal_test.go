package lifecycle

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

// TestHeldAtAsExpand: heldAt, which decides without building paths,
// answers what Expand of the grants as they stood says of an entitlement,
// at instants around every grant's start, end and activations.
func TestHeldAtAsExpand(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 11, Identities: 300})
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	checked, held, active := 0, 0, 0
	for _, id := range inv.Identities {
		h := x.Holder(id)
		var times []time.Time
		for _, g := range id.Grants {
			for _, at := range []time.Time{g.StartTime(), g.Expires, g.Revoked.At} {
				if !at.IsZero() {
					times = append(times, at.Add(-time.Second), at, at.Add(time.Second))
				}
			}
			for _, a := range g.Activations {
				times = append(times, a.Start, a.Start.Add(time.Minute), a.End)
			}
		}
		times = append(times, synth.AsOf)
		for _, at := range times {
			access, _ := x.Expand(grantsAt(id.Grants, at), at)
			for gi := range id.Grants {
				for _, ent := range h.ConferredIDs(gi) {
					hd, ok := access.Entitlement(ent)
					gotHeld, gotActive := heldAt(h, ent, at)
					require.Equal(t, ok, gotHeld, "%s holds %s at %s", id.ID, ent, at)
					require.Equal(t, ok && hd.Active(), gotActive, "%s holds %s actively at %s", id.ID, ent, at)
					checked++
					if ok {
						held++
					}
					if gotActive {
						active++
					}
				}
			}
		}
	}
	require.Greater(t, held, 0)
	require.Greater(t, checked-held, 0, "some are not held")
	require.Greater(t, held-active, 0, "some are held by eligibility alone")
}
