package sod_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/kindtest"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/sod"
)

func TestKinds(t *testing.T) {
	require.NoError(t, kindtest.Table("sod.", sod.Kinds()))
	kinds := sod.Kinds()
	kinds[0].Controls[0] = audit.Control{}
	kinds[1].Title = "changed"
	require.Equal(t, sod.Kinds()[1:], sod.Kinds()[1:], "Kinds returns a fresh copy")
	require.NoError(t, kindtest.Table("sod.", sod.Kinds()), "a caller's changes do not reach the table")
}

// TestFindingsComeFromKinds checks every finding sod reports over the demo,
// generated organisations and the fuzz target's random worlds: each is of
// a kind in Kinds and cites the controls its kind cites.
func TestFindingsComeFromKinds(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		x      func(t *testing.T) (*entitlement.Index, sod.Config)
	}{
		{name: "demo", reason: "the demo exercises every kind a valid bundle can produce", x: func(t *testing.T) (*entitlement.Index, sod.Config) {
			b, err := demo.Load()
			require.NoError(t, err)
			return b.Index, b.SoD
		}},
		{name: "synth", reason: "a generated organisation, full of defects", x: func(t *testing.T) (*entitlement.Index, sod.Config) {
			inv := synth.Generate(synth.Config{Seed: 7, Identities: 300})
			x, err := entitlement.NewIndex(inv)
			require.NoError(t, err)
			return x, synth.Rules(inv, 40, 7)
		}},
	}
	for seed := range uint64(20) {
		tests = append(tests, struct {
			name   string
			reason string
			x      func(t *testing.T) (*entitlement.Index, sod.Config)
		}{name: fmt.Sprintf("random-%d", seed), reason: "random worlds reach exceptions, scopes and unknown references", x: func(t *testing.T) (*entitlement.Index, sod.Config) {
			w := randomWorld(seed)
			x, err := entitlement.NewIndex(&w.inv)
			require.NoError(t, err)
			return x, w.policy
		}})
	}
	seen := map[audit.Kind]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, p := tc.x(t)
			e, err := sod.Compile(x, p)
			require.NoError(t, err)
			fs := append(e.Check(t0), e.Lint()...)
			require.NoError(t, kindtest.Findings(sod.Kinds(), fs), tc.reason)
			for _, f := range fs {
				seen[f.Kind] = true
			}
		})
	}
	for _, k := range sod.Kinds() {
		require.True(t, seen[k.Kind], "no test above reports %s", k.Kind)
	}
}
