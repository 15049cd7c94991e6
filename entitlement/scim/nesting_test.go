package scim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNest(t *testing.T) {
	tests := []struct {
		name    string
		parents [][]int // group i is a member of parents[i]
		cyclic  [][]int
		cycle   []int // a shortest cycle from the first cyclic component's first group
		reason  string
	}{
		{"chain", [][]int{{1}, {2}, {}}, nil, nil, "a chain has no cycle"},
		{"diamond", [][]int{{1, 2}, {3}, {3}, {}}, nil, nil, "two paths to one group are no cycle"},
		{"pair", [][]int{{1}, {0}}, [][]int{{0, 1}}, []int{0, 1, 0}, "two groups in each other"},
		{"triangle with a tail", [][]int{{1}, {2}, {0, 3}, {}}, [][]int{{0, 1, 2}}, []int{0, 1, 2, 0}, "the tail is outside the cycle"},
		{"two cycles", [][]int{{1}, {0}, {3}, {2}}, [][]int{{0, 1}, {2, 3}}, []int{0, 1, 0}, "each component is found once"},
		{"shortest", [][]int{{1, 3}, {2}, {0}, {0}}, [][]int{{0, 1, 2, 3}}, []int{0, 3, 0}, "the cycle named is a shortest one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := nest(len(tt.parents), tt.parents, func(i int) string { return fmt.Sprint(i) })
			require.Equal(t, tt.cyclic, n.cyclic(), tt.reason)
			for g := range tt.parents {
				inCycle := false
				for _, c := range tt.cyclic {
					for _, h := range c {
						inCycle = inCycle || h == g
					}
				}
				require.Equal(t, inCycle, n.isCyclic(g), "group %d: %s", g, tt.reason)
			}
			if tt.cycle != nil {
				require.Equal(t, tt.cycle, n.cycle(n.cyclic()[0][0], tt.parents), tt.reason)
			}
		})
	}
}
