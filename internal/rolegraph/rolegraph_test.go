package rolegraph_test

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/internal/rolegraph"
)

// byName orders dense IDs by a name table, as callers order them by ID.
func byName(names []string) func(a, b int32) int {
	return func(a, b int32) int { return cmp.Compare(names[a], names[b]) }
}

func TestWalk(t *testing.T) {
	// 0 top → {2 mid-b, 1 mid-a}; mid-a → 3 low; mid-b → 3 low;
	// top grants e0; mid-a grants e1; mid-b grants e1, e2; low grants e2.
	roles := []string{"top", "mid-a", "mid-b", "low"}
	ents := []string{"e0", "e1", "e2"}
	juniors := [][]int32{{2, 1}, {3}, {3}, nil}
	direct := [][]int32{{0}, {1}, {2, 1, 1}, {2}}
	g, err := rolegraph.New(juniors, direct, len(ents), byName(roles), byName(ents))
	require.NoError(t, err)
	require.Equal(t, []int32{1, 2}, g.Juniors(0), "juniors sorted by ID, not by input order")
	require.Equal(t, []int32{1, 2}, g.Direct(2), "direct entitlements sorted and without repeats")
	require.Equal(t, []int32{1, 2}, g.Seniors(3))

	w := g.NewWalker()
	w.Walk(0)
	require.Equal(t, []int32{0, 1, 2, 3}, w.Roles(), "breadth-first, juniors in ID order")
	require.Equal(t, []int32{0, 1, 2}, w.Entitlements())
	require.Equal(t, int32(1), w.Via(1), "e1 through mid-a, the first in ID order among equally short chains")
	require.Equal(t, int32(2), w.Via(2), "e2 through mid-b (depth 2), not low (depth 3)")
	require.Equal(t, []int32{0, 1, 3}, w.Chain(nil, 3), "low through mid-a, the first junior in ID order")
	require.Equal(t, 3, w.Depth(3))

	w.Walk(2)
	require.Equal(t, []int32{2, 3}, w.Roles(), "a second walk forgets the first")
	require.False(t, w.HasRole(0))
	require.False(t, w.HasEntitlement(0))
	require.Equal(t, int32(-1), w.Via(0))
	require.Empty(t, w.Chain(nil, 1), "no chain to a role the walk did not reach")
	require.Equal(t, 0, w.Depth(1))
}

func TestNewCycle(t *testing.T) {
	tests := []struct {
		name    string
		reason  string
		juniors [][]int32
	}{
		{name: "self", reason: "a role inheriting itself", juniors: [][]int32{{0}}},
		{name: "pair", reason: "two roles inheriting each other", juniors: [][]int32{{1}, {0}}},
		{name: "behind a DAG", reason: "a cycle below an acyclic part", juniors: [][]int32{{1}, {2}, {3}, {1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names := make([]string, len(tt.juniors))
			for i := range names {
				names[i] = fmt.Sprint(i)
			}
			_, err := rolegraph.New(tt.juniors, nil, 0, byName(names), byName(nil))
			require.True(t, errors.Is(err, rolegraph.ErrCycle), tt.reason)
		})
	}
}

// TestWalkMatchesAllPairs compares walks with a plain per-root BFS that
// keeps whole chains, the way closures used to be computed, on random DAGs.
func TestWalkMatchesAllPairs(t *testing.T) {
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 7))
		n, ne := 1+rng.IntN(25), 1+rng.IntN(20)
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("r%02d", rng.IntN(100)) + fmt.Sprint(i) // IDs not in position order
		}
		entNames := make([]string, ne)
		for i := range entNames {
			entNames[i] = fmt.Sprintf("e%02d-%d", rng.IntN(100), i)
		}
		juniors := make([][]int32, n)
		direct := make([][]int32, n)
		for r := range n {
			for j := r + 1; j < n; j++ {
				if rng.IntN(4) == 0 {
					juniors[r] = append(juniors[r], int32(j))
				}
			}
			for range rng.IntN(3) {
				direct[r] = append(direct[r], int32(rng.IntN(ne)))
			}
		}
		g, err := rolegraph.New(juniors, direct, ne, byName(names), byName(entNames))
		require.NoError(t, err)
		// Order: every role after its juniors.
		pos := make([]int, n)
		for i, r := range g.Order() {
			pos[r] = i
		}
		for r := range n {
			for _, j := range juniors[r] {
				require.Less(t, pos[j], pos[r], "seed %d: junior %d before senior %d", seed, j, r)
			}
		}
		w := g.NewWalker()
		for root := range int32(n) {
			w.Walk(root)
			wantRoles, wantEnts := naive(juniors, direct, names, entNames, root)
			for r, chain := range wantRoles {
				require.Equal(t, chain, w.Chain(nil, r), "seed %d root %d role %d", seed, root, r)
			}
			require.Len(t, w.Roles(), len(wantRoles))
			for e, via := range wantEnts {
				require.Equal(t, via, w.Via(e), "seed %d root %d entitlement %d", seed, root, e)
			}
			require.Len(t, w.Entitlements(), len(wantEnts))
		}
	}
}

// naive is the closure as it used to be built: a BFS per root that copies
// the chain to every item.
func naive(juniors, direct [][]int32, names, entNames []string, root int32) (map[int32][]int32, map[int32]int32) {
	roles := map[int32][]int32{root: {root}}
	ents := map[int32]int32{}
	queue := []int32{root}
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		ds := slices.Clone(direct[q])
		slices.SortFunc(ds, func(a, b int32) int { return cmp.Compare(entNames[a], entNames[b]) })
		for _, e := range ds {
			if _, ok := ents[e]; !ok {
				ents[e] = q
			}
		}
		js := slices.Clone(juniors[q])
		slices.SortFunc(js, func(a, b int32) int { return cmp.Compare(names[a], names[b]) })
		for _, j := range js {
			if _, ok := roles[j]; !ok {
				roles[j] = append(slices.Clone(roles[q]), j)
				queue = append(queue, j)
			}
		}
	}
	return roles, ents
}

// chain builds a chain of n roles, each inheriting the next, the last
// granting one entitlement.
func chain(n int) ([][]int32, [][]int32) {
	juniors := make([][]int32, n)
	for r := range n - 1 {
		juniors[r] = []int32{int32(r + 1)}
	}
	direct := make([][]int32, n)
	direct[n-1] = []int32{0}
	return juniors, direct
}

func TestDeepChain(t *testing.T) {
	const n = 100_000
	juniors, direct := chain(n)
	g, err := rolegraph.New(juniors, direct, 1, cmp.Compare[int32], cmp.Compare[int32])
	require.NoError(t, err)
	w := g.NewWalker()
	w.Walk(0)
	require.Len(t, w.Roles(), n)
	require.Equal(t, int32(n-1), w.Via(0))
	require.Equal(t, n, w.Depth(n-1))
	require.Len(t, w.Chain(nil, n-1), n)
}

// BenchmarkChain walks the closure of the top of a 10,000-role chain and
// rebuilds the longest chain: linear work, where a closure of whole chains
// per pair would hold 50 million role IDs.
func BenchmarkChain(b *testing.B) {
	juniors, direct := chain(10_000)
	g, err := rolegraph.New(juniors, direct, 1, cmp.Compare[int32], cmp.Compare[int32])
	if err != nil {
		b.Fatal(err)
	}
	w := g.NewWalker()
	var buf []int32
	b.ReportAllocs()
	for b.Loop() {
		w.Walk(0)
		buf = w.Chain(buf[:0], 9_999)
	}
}

func TestConfers(t *testing.T) {
	// 0 → 1 → 2 (grants e1); 3 grants e0; 4 → 3.
	juniors := [][]int32{{1}, {2}, nil, nil, {3}}
	direct := [][]int32{nil, nil, {1}, {0}, nil}
	g, err := rolegraph.New(juniors, direct, 2, cmp.Compare[int32], cmp.Compare[int32])
	require.NoError(t, err)
	require.Equal(t, []bool{true, true, true, false, false}, g.Confers(func(e int32) bool { return e == 1 }),
		"a role confers what its juniors confer, however deep")
	require.Equal(t, []bool{false, false, false, false, false}, g.Confers(func(int32) bool { return false }))
}
