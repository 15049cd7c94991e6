package lifecycle

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGroupByKeyHashCollisions runs the grouping with a hash under which
// every key collides: IDs still group only with those that share their
// fold key.
func TestGroupByKeyHashCollisions(t *testing.T) {
	ids := []string{"alice", "bob", "\u0430lice", "BOB", "carol", "Alice", "dave"}
	groups := groupByKey(len(ids), func(i int) string { return ids[i] }, func([]byte) uint64 { return 42 })
	for _, g := range groups {
		slices.Sort(g)
	}
	slices.SortFunc(groups, slices.Compare)
	require.Equal(t, [][]string{{"Alice", "alice", "\u0430lice"}, {"BOB", "bob"}}, groups)
}
