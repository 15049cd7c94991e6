package entitlement_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

// naiveReach returns every entitlement a role confers, by a plain walk of
// Roles and Inherits: the oracle for what a Holder's paths reach.
func naiveReach(inv *entitlement.Inventory, role string) map[string]bool {
	roles := map[string]entitlement.Role{}
	for _, r := range inv.Roles {
		roles[r.ID] = r
	}
	out, seen := map[string]bool{}, map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		for _, e := range roles[id].Entitlements {
			out[e] = true
		}
		for _, j := range roles[id].Inherits {
			walk(j)
		}
	}
	walk(role)
	return out
}

// TestHolderAgainstNaiveWalk: on a generated organisation, every Holder's
// Access and Conferred hold exactly the (entitlement, grant) pairs a plain
// walk of the role graph finds, holdings in ID order and paths in
// Path.Compare order — computed on several goroutines at once, as a scan
// does, with the same answers as one goroutine gives.
func TestHolderAgainstNaiveWalk(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 7, Identities: 300})
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	at := synth.AsOf
	reach := map[string]map[string]bool{}
	for _, r := range inv.Roles {
		reach[r.ID] = naiveReach(inv, r.ID)
	}
	describe := func(hs []entitlement.Holding) []string {
		var out []string
		for _, h := range hs {
			for _, p := range h.Paths {
				out = append(out, fmt.Sprintf("%s %s %v %v %v", h.ID, p.Grant, p.Roles(), p.Eligible, p.Active))
			}
		}
		return out
	}
	check := func(id entitlement.Identity) []string {
		h := x.Holder(id)
		a, err := h.Access(at)
		require.NoError(t, err)
		ordered := func(hs []entitlement.Holding) {
			require.True(t, slices.IsSortedFunc(hs, func(a, b entitlement.Holding) int { return strings.Compare(a.ID, b.ID) }), "holdings in ID order")
			for i := 1; i < len(hs); i++ {
				require.NotEqual(t, hs[i-1].ID, hs[i].ID, "one holding per ID")
			}
			for _, h := range hs {
				require.True(t, slices.IsSortedFunc(h.Paths, entitlement.Path.Compare), "paths in Path.Compare order")
			}
		}
		ordered(a.Entitlements)
		ordered(a.Roles)
		want := map[string]bool{}
		for gi, g := range id.Grants {
			conf := map[string]bool{}
			if g.Role != "" {
				conf = reach[g.Role]
			} else {
				conf[g.Entitlement] = true
			}
			got := map[string]bool{}
			cs := h.Conferred(gi)
			ordered(cs)
			var ids []string
			for _, c := range cs {
				got[c.ID] = true
				ids = append(ids, c.ID)
			}
			require.Equal(t, ids, h.ConferredIDs(gi), "ConferredIDs lists Conferred's IDs")
			require.Equal(t, conf, got, "grant %s confers what a plain walk finds", g.ID)
			if g.InEffect(at) {
				for e := range conf {
					want[e+" "+g.ID] = true
				}
			}
		}
		got := map[string]bool{}
		for _, e := range a.Entitlements {
			for _, p := range e.Paths {
				got[e.ID+" "+p.Grant] = true
			}
		}
		require.Equal(t, want, got, "identity %s: access is what its grants in effect confer", id.ID)
		return describe(a.Entitlements)
	}
	sequential := make([][]string, len(inv.Identities))
	for i, id := range inv.Identities {
		sequential[i] = check(id)
	}
	// Again on fresh indexes, from several goroutines, so roles are first
	// walked concurrently.
	for range 3 {
		x, err = entitlement.NewIndex(inv)
		require.NoError(t, err)
		var wg sync.WaitGroup
		got := make([][]string, len(inv.Identities))
		for w := range 4 {
			wg.Go(func() {
				for i := w; i < len(inv.Identities); i += 4 {
					h := x.Holder(inv.Identities[i])
					a, _ := h.Access(at)
					got[i] = describe(a.Entitlements)
				}
			})
		}
		wg.Wait()
		require.Equal(t, sequential, got, "the same access on every goroutine")
	}
}
