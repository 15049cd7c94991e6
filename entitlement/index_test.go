package entitlement_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

func TestIndexLookups(t *testing.T) {
	inv := org()
	x := index(t, inv)
	require.Same(t, inv, x.Inventory(), "the index does not copy the inventory")

	id, ok := x.Identity("svc")
	require.True(t, ok)
	require.Equal(t, "alice", id.Owner)
	_, ok = x.Identity("nobody")
	require.False(t, ok)

	e, ok := x.Entitlement("erp:payment.release")
	require.True(t, ok)
	require.True(t, e.Privileged)
	_, ok = x.Entitlement("erp:nope")
	require.False(t, ok)

	r, ok := x.Role("senior")
	require.True(t, ok)
	require.Equal(t, []string{"clerk"}, r.Inherits)
	_, ok = x.Role("junior")
	require.False(t, ok)

	p, ok := x.Party("iam")
	require.True(t, ok)
	require.Equal(t, entitlement.IdentityGovernance, p.Function)
	_, ok = x.Party("legal")
	require.False(t, ok)

	g, holder, ok := x.Grant("g-2")
	require.True(t, ok)
	require.Equal(t, "erp:payment.release", g.Entitlement)
	require.Equal(t, "svc", holder.ID)
	_, _, ok = x.Grant("g-9")
	require.False(t, ok)
}

func TestIndexMembers(t *testing.T) {
	inv := org()
	inv.Parties[1].Members = []string{"svc", "bob"}
	x := index(t, inv)
	require.Equal(t, []string{"alice", "bob", "svc"}, x.Members("ap"),
		"listed members and identities whose team is the party, sorted, once each")
	require.Empty(t, x.Members("iam"))
	require.Nil(t, x.Members("legal"), "an unknown party has no members")
	m := x.Members("ap")
	m[0] = "mallory"
	require.Equal(t, []string{"alice", "bob", "svc"}, x.Members("ap"), "callers get a copy")

	require.True(t, x.IsMember("ap", "alice"), "through Team")
	require.True(t, x.IsMember("ap", "svc"), "through Members")
	require.False(t, x.IsMember("iam", "alice"))
	require.False(t, x.IsMember("legal", "alice"), "an unknown party has no members")
}

// TestIndexConcurrentUse runs lookups and expansions from many goroutines;
// run with -race.
func TestIndexConcurrentUse(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 2, Identities: 200})
	x := index(t, inv)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < len(inv.Identities); i += 8 {
				id := inv.Identities[i]
				if _, err := x.EffectiveAccess(id.ID, synth.AsOf); err != nil {
					t.Error(err)
					return
				}
				x.Members(id.Team)
			}
		})
	}
	wg.Wait()
}

// TestIsMemberMatchesMembers: membership by team and by listing answer as
// the member list says, for every party and identity of a generated
// inventory.
func TestIsMemberMatchesMembers(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 7, Identities: 300})
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	for _, p := range inv.Parties {
		members := x.Members(p.ID)
		for _, id := range inv.Identities {
			require.Equal(t, slices.Contains(members, id.ID), x.IsMember(p.ID, id.ID), "%s in %s", id.ID, p.ID)
		}
	}
}

// TestIdentityFieldsMatchIdentity: IdentityKind and IdentityTeam answer
// what Identity's record says, for every identity of a generated
// inventory, and not at all for an unknown one.
func TestIdentityFieldsMatchIdentity(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 8, Identities: 300})
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	teams := 0
	for _, id := range inv.Identities {
		kind, ok := x.IdentityKind(id.ID)
		require.True(t, ok)
		require.Equal(t, id.Kind, kind, id.ID)
		team, ok := x.IdentityTeam(id.ID)
		require.True(t, ok)
		require.Equal(t, id.Team, team, id.ID)
		if team != "" {
			teams++
		}
	}
	require.Positive(t, teams, "the generated identities have teams")
	_, ok := x.IdentityKind("nobody")
	require.False(t, ok)
	_, ok = x.IdentityTeam("nobody")
	require.False(t, ok)
}
