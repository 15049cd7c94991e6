package scim

import (
	"cmp"
	"slices"
)

// nesting is the strongly connected components of the group nesting graph
// (an edge from each group to the groups it is a member of): groups in one
// component of more than one group nest in a cycle.
type nesting struct {
	comp  []int   // group → its component
	comps [][]int // component → its groups, sorted by ID
}

// nest computes the components with Tarjan's algorithm, iteratively, so a
// deep nesting cannot exhaust the stack. id orders a component's groups.
func nest(n int, parents [][]int, id func(int) string) nesting {
	const unvisited = -1
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	comp := make([]int, n)
	for i := range index {
		index[i] = unvisited
	}
	var stack []int
	var comps [][]int
	next := 0
	type frame struct{ v, edge int }
	for root := range n {
		if index[root] != unvisited {
			continue
		}
		call := []frame{{v: root}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			top := &call[len(call)-1]
			v := top.v
			if top.edge < len(parents[v]) {
				w := parents[v][top.edge]
				top.edge++
				switch {
				case index[w] == unvisited:
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{v: w})
				case onStack[w]:
					low[v] = min(low[v], index[w])
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				var c []int
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = len(comps)
					c = append(c, w)
					if w == v {
						break
					}
				}
				slices.SortFunc(c, func(a, b int) int { return cmp.Compare(id(a), id(b)) })
				comps = append(comps, c)
			}
		}
	}
	return nesting{comp: comp, comps: comps}
}

// isCyclic reports whether group g nests in a cycle. Self-membership is
// dropped before nesting is computed, so only components of two or more
// groups are cycles.
func (n nesting) isCyclic(g int) bool { return len(n.comps[n.comp[g]]) > 1 }

// members returns the groups of g's component, sorted by ID.
func (n nesting) members(g int) []int { return n.comps[n.comp[g]] }

// cyclic returns every cyclic component, in the order the algorithm
// completes them: deterministic for a given input.
func (n nesting) cyclic() [][]int {
	var out [][]int
	for _, c := range n.comps {
		if len(c) > 1 {
			out = append(out, c)
		}
	}
	return out
}

// cycle returns a shortest cycle through start within its component, as
// a path that starts and ends at start, following member-of edges
// (parents) in the order given.
func (n nesting) cycle(start int, parents [][]int) []int {
	c := n.comp[start]
	prev := map[int]int{}
	queue := []int{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range parents[v] {
			if n.comp[w] != c {
				continue
			}
			if w == start {
				path := []int{start}
				for at := v; at != start; at = prev[at] {
					path = append(path, at)
				}
				slices.Reverse(path[1:])
				return append(path, start)
			}
			if _, seen := prev[w]; !seen {
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	return []int{start, start}
}
