package synth

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/scan"
)

// TestGovernedWithoutDefects checks the governance itself: with every
// defect rate at zero, a governed organisation yields no finding but the
// two deliberate gaps of its RACI matrix and the sod rules' own (toxic
// combinations, critical access, intra-role conflicts, overlapping sides):
// no duty conflict, no approval, recertification, lifecycle, hygiene or
// drift finding.
func TestGovernedWithoutDefects(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		config Config
	}{
		{"default size", "the zero config's size", Config{Seed: 1, Identities: 1000}},
		{"another seed", "another organisation", Config{Seed: 5, Identities: 1500}},
		{"few hundred", "the smallest size the guarantees hold for", Config{Seed: 2, Identities: 300}},
		{"small catalogue", "few entitlements and roles; many grants each", Config{Seed: 42, Identities: 400, MeanGrants: 25, Systems: 2, EntitlementsPerSystem: 20, Roles: 25}},
	}
	allowed := map[audit.Kind]bool{
		"raci.recertification-not-governed": true, "raci.several-accountable": true,
		"sod.toxic-combination": true, "sod.critical-access": true, "sod.intra-role-conflict": true, "sod.overlapping-sides": true,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.config
			c.Governed = true
			g := newGenerator(c)
			g.rates = defectRates{}
			inv := g.generate()
			x, err := entitlement.NewIndex(inv)
			require.NoError(t, err)
			b := &bundle.Bundle{Inventory: *inv, Index: x, RACI: RACI(c), SoD: Rules(inv, 200, c.Seed)}
			r, err := scan.Run(b, AsOf)
			require.NoError(t, err)
			gaps := 0
			for _, f := range r.Findings {
				require.True(t, allowed[f.Kind], "%s: unexpected %s: %s", tt.reason, f.Kind, f.Message)
				if strings.HasPrefix(string(f.Kind), "raci.") {
					gaps++
				}
			}
			require.Equal(t, 2, gaps, "the two deliberate gaps of the matrix")
		})
	}
}

func TestMember(t *testing.T) {
	g := newGenerator(Config{Seed: 1, Identities: 2000, Governed: true})
	inv := g.generate()
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	rng := g.rng(0, 0)
	for p := range g.parties {
		exclude := []string{}
		for range 20 {
			m := g.member(rng, p, exclude...)
			require.NotEmpty(t, m, "party %s has active members", g.parties[p].ID)
			id, ok := x.Identity(m)
			require.True(t, ok)
			require.Equal(t, entitlement.IdentityActive, id.Status, "%s is active", m)
			require.True(t, x.IsMember(g.parties[p].ID, m), "%s works in %s", m, g.parties[p].ID)
			require.NotContains(t, exclude, m, "excluded people are never picked")
			exclude = append(exclude, m)
		}
	}
}
