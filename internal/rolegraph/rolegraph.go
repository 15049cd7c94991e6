// Package rolegraph is the role-inheritance graph on dense IDs, and the one
// walk of it that explains access: from a granted role, breadth-first with
// juniors in ID order, so every role and entitlement reached is explained by
// its shortest chain of roles (among equally short ones, the first in ID
// order).
//
// Nothing is precomputed per pair: a role's closure is walked when it is
// asked for, and a chain is rebuilt from the walk's parent links, so memory
// stays linear in the size of the graph whatever its depth (a chain of
// 10,000 roles holds 10,000 roles' worth of links, not 50 million chains).
//
// Roles and entitlements are numbered densely by their callers (package
// entitlement uses inventory positions). The package imports nothing of the
// module.
package rolegraph

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Graph is an immutable role DAG: for each role, the roles it inherits
// (juniors) and the entitlements it grants directly, each sorted by ID. It is
// safe for concurrent use; walking it needs a Walker per goroutine.
type Graph struct {
	roles, ents int
	juniorAt    []int32 // CSR: juniors of r are juniors[juniorAt[r]:juniorAt[r+1]]
	juniors     []int32
	entAt       []int32
	direct      []int32
	seniorAt    []int32 // reverse edges
	seniors     []int32
	order       []int32 // every role after all of its juniors
}

// ErrCycle reports an inheritance cycle: a Graph is a DAG.
var ErrCycle = errors.New("role inheritance cycle")

// New builds the graph of len(juniors) roles over nEnts entitlements:
// role r inherits juniors[r] and grants ents[r] directly. Lists may be in
// any order and hold repeats; the graph sorts them with roleCmp and entCmp
// (comparing IDs) and drops repeats. New copies what it keeps. It fails
// with ErrCycle when inheritance is not acyclic, and panics on an
// out-of-range ID (a caller bug).
func New(juniors, ents [][]int32, nEnts int, roleCmp, entCmp func(a, b int32) int) (*Graph, error) {
	n := len(juniors)
	g := &Graph{roles: n, ents: nEnts}
	g.juniorAt, g.juniors = csr(n, func(r int) []int32 { return juniors[r] }, roleCmp)
	g.entAt, g.direct = csr(n, func(r int) []int32 {
		if r < len(ents) {
			return ents[r]
		}
		return nil
	}, entCmp)
	for _, j := range g.juniors {
		if j < 0 || int(j) >= n {
			panic("rolegraph: junior out of range")
		}
	}
	for _, e := range g.direct {
		if e < 0 || int(e) >= nEnts {
			panic("rolegraph: entitlement out of range")
		}
	}
	// Reverse edges, seniors sorted by position.
	count := make([]int32, n+1)
	for _, j := range g.juniors {
		count[j+1]++
	}
	for r := range n {
		count[r+1] += count[r]
	}
	g.seniorAt = slices.Clone(count)
	g.seniors = make([]int32, len(g.juniors))
	for r := range n {
		for _, j := range g.Juniors(int32(r)) {
			g.seniors[count[j]] = int32(r)
			count[j]++
		}
	}
	// Kahn's algorithm on the reverse direction: a role is ready once all
	// of its juniors are placed.
	pending := make([]int32, n)
	var ready []int32
	for r := range n {
		pending[r] = g.juniorAt[r+1] - g.juniorAt[r]
		if pending[r] == 0 {
			ready = append(ready, int32(r))
		}
	}
	g.order = make([]int32, 0, n)
	for len(ready) > 0 {
		r := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		g.order = append(g.order, r)
		for _, s := range g.Seniors(r) {
			pending[s]--
			if pending[s] == 0 {
				ready = append(ready, s)
			}
		}
	}
	if len(g.order) != n {
		return nil, ErrCycle
	}
	return g, nil
}

// FromIDs builds the graph of roles and entitlements named by ID, numbered
// by their positions in roleIDs and entIDs: role i inherits the roles
// inherits(i) names and grants the entitlements grants(i) names, ordered by
// ID. It fails on a name that is not in roleIDs or entIDs (fail closed: a
// dangling reference is not an empty one) and with ErrCycle on a cycle.
// IDs must be unique.
func FromIDs(roleIDs, entIDs []string, inherits, grants func(i int) []string) (*Graph, error) {
	roleAt := make(map[string]int32, len(roleIDs))
	for i, id := range roleIDs {
		roleAt[id] = int32(i)
	}
	entAt := make(map[string]int32, len(entIDs))
	for i, id := range entIDs {
		entAt[id] = int32(i)
	}
	juniors := make([][]int32, len(roleIDs))
	direct := make([][]int32, len(roleIDs))
	for i := range roleIDs {
		for _, id := range inherits(i) {
			j, ok := roleAt[id]
			if !ok {
				return nil, fmt.Errorf("rolegraph: role %q inherits unknown role %q", roleIDs[i], id)
			}
			juniors[i] = append(juniors[i], j)
		}
		for _, id := range grants(i) {
			e, ok := entAt[id]
			if !ok {
				return nil, fmt.Errorf("rolegraph: role %q grants unknown entitlement %q", roleIDs[i], id)
			}
			direct[i] = append(direct[i], e)
		}
	}
	return New(juniors, direct, len(entIDs),
		func(a, b int32) int { return cmp.Compare(roleIDs[a], roleIDs[b]) },
		func(a, b int32) int { return cmp.Compare(entIDs[a], entIDs[b]) })
}

// csr packs per-role lists, sorted and without repeats.
func csr(n int, list func(int) []int32, less func(a, b int32) int) (at, flat []int32) {
	at = make([]int32, n+1)
	total := 0
	for r := range n {
		total += len(list(r))
	}
	flat = make([]int32, 0, total)
	for r := range n {
		start := len(flat)
		flat = append(flat, list(r)...)
		part := flat[start:]
		slices.SortFunc(part, func(a, b int32) int { return cmp.Or(less(a, b), cmp.Compare(a, b)) })
		flat = flat[:start+len(slices.Compact(part))]
		at[r+1] = int32(len(flat))
	}
	return at, slices.Clip(flat)
}

// Roles returns the number of roles.
func (g *Graph) Roles() int { return g.roles }

// Entitlements returns the number of entitlements.
func (g *Graph) Entitlements() int { return g.ents }

// Juniors returns the roles r inherits directly, sorted by ID. The caller
// must not modify the result.
func (g *Graph) Juniors(r int32) []int32 { return g.juniors[g.juniorAt[r]:g.juniorAt[r+1]] }

// Direct returns the entitlements r grants directly, sorted by ID. The
// caller must not modify the result.
func (g *Graph) Direct(r int32) []int32 { return g.direct[g.entAt[r]:g.entAt[r+1]] }

// Seniors returns the roles that inherit r directly, by position. The
// caller must not modify the result.
func (g *Graph) Seniors(r int32) []int32 { return g.seniors[g.seniorAt[r]:g.seniorAt[r+1]] }

// Order returns every role, each after all the roles it inherits: the order
// in which a value folded from juniors to seniors can be computed in one
// pass. The caller must not modify the result.
func (g *Graph) Order() []int32 { return g.order }

// Confers returns, for every role, whether its closure grants an
// entitlement for which pred is true: one pass over the graph from juniors
// to seniors.
func (g *Graph) Confers(pred func(ent int32) bool) []bool {
	out := make([]bool, g.roles)
	for _, r := range g.order {
		for _, e := range g.Direct(r) {
			if pred(e) {
				out[r] = true
				break
			}
		}
		if !out[r] {
			for _, j := range g.Juniors(r) {
				if out[j] {
					out[r] = true
					break
				}
			}
		}
	}
	return out
}

// Walker walks closures of one Graph. Its memory is two marks per role and
// one per entitlement, reused from walk to walk; a Walker is not safe for
// concurrent use (keep one per goroutine, or in a sync.Pool).
type Walker struct {
	g        *Graph
	gen      uint32
	roleGen  []uint32 // roleGen[r] == gen: r reached by the current walk
	entGen   []uint32
	parent   []int32 // for a reached role: the role it was reached from (-1 for the root)
	depth    []int32 // for a reached role: roles in its chain, the root counting 1
	pos      []int32 // for a reached role: its position in roles
	via      []int32 // for a reached entitlement: the role that grants it
	roles    []int32 // reached roles, in walk order
	entsSeen []int32 // reached entitlements, in walk order
}

// NewWalker returns a Walker over g.
func (g *Graph) NewWalker() *Walker {
	return &Walker{g: g,
		roleGen: make([]uint32, g.roles), parent: make([]int32, g.roles), depth: make([]int32, g.roles), pos: make([]int32, g.roles),
		entGen: make([]uint32, g.ents), via: make([]int32, g.ents)}
}

// Walk walks the closure of root: root itself, every role it inherits
// directly or through others, and every entitlement those roles grant. It
// goes breadth-first with juniors in ID order, so each item is reached
// first by its shortest chain (ties: the first in ID order); that first
// reach is the one Chain and Via report. The results stay valid until the
// next Walk.
func (w *Walker) Walk(root int32) {
	w.gen++
	if w.gen == 0 { // wrapped: clear the marks once every 2^32 walks
		clear(w.roleGen)
		clear(w.entGen)
		w.gen = 1
	}
	w.roles = append(w.roles[:0], root)
	w.entsSeen = w.entsSeen[:0]
	w.roleGen[root], w.parent[root], w.depth[root], w.pos[root] = w.gen, -1, 1, 0
	for i := 0; i < len(w.roles); i++ {
		q := w.roles[i]
		for _, e := range w.g.Direct(q) {
			if w.entGen[e] != w.gen {
				w.entGen[e], w.via[e] = w.gen, q
				w.entsSeen = append(w.entsSeen, e)
			}
		}
		for _, j := range w.g.Juniors(q) {
			if w.roleGen[j] != w.gen {
				w.roleGen[j], w.parent[j], w.depth[j], w.pos[j] = w.gen, q, w.depth[q]+1, int32(len(w.roles))
				w.roles = append(w.roles, j)
			}
		}
	}
}

// Roles returns the roles the last walk reached, in walk order (the root
// first). The caller must not modify the result.
func (w *Walker) Roles() []int32 { return w.roles }

// Entitlements returns the entitlements the last walk reached, in walk
// order. The caller must not modify the result.
func (w *Walker) Entitlements() []int32 { return w.entsSeen }

// HasRole reports whether the last walk reached role r.
func (w *Walker) HasRole(r int32) bool { return w.roleGen[r] == w.gen }

// HasEntitlement reports whether the last walk reached entitlement e.
func (w *Walker) HasEntitlement(e int32) bool { return w.entGen[e] == w.gen }

// Via returns the role through which the last walk reached entitlement e
// (the role that grants it directly), or -1 if it did not reach e.
func (w *Walker) Via(e int32) int32 {
	if !w.HasEntitlement(e) {
		return -1
	}
	return w.via[e]
}

// Parent returns the role from which the last walk reached role r: -1 for
// the root, and for a role it did not reach.
func (w *Walker) Parent(r int32) int32 {
	if !w.HasRole(r) {
		return -1
	}
	return w.parent[r]
}

// Position returns where role r stands in Roles, or -1 if the last walk did
// not reach it.
func (w *Walker) Position(r int32) int32 {
	if !w.HasRole(r) {
		return -1
	}
	return w.pos[r]
}

// Depth returns the number of roles in the chain from the root to role r
// (1 for the root), or 0 if the last walk did not reach r.
func (w *Walker) Depth(r int32) int {
	if !w.HasRole(r) {
		return 0
	}
	return int(w.depth[r])
}

// Chain appends to dst the chain of roles from the root to role r, root
// first, as the last walk reached it, and returns the extended slice; it
// appends nothing if the walk did not reach r.
func (w *Walker) Chain(dst []int32, r int32) []int32 {
	if !w.HasRole(r) {
		return dst
	}
	start := len(dst)
	for c := r; c != -1; c = w.parent[c] {
		dst = append(dst, c)
	}
	slices.Reverse(dst[start:])
	return dst
}
