package entitlement

import (
	"fmt"
	"slices"
	"time"

	"github.com/sodkit/sodkit/internal/rolegraph"
)

// Holder is one identity together with what its grants confer: the
// effective access at a time (Access) and what each grant confers whatever
// the time (Conferred). Every check that looks at an identity asks the
// same questions of its grants; a Holder answers them from one walk of the
// role graph per grant, made when first asked and kept, so a scan computes
// each identity's access once however many checks read it.
//
// Make one with Index.Holder. A Holder is not safe for concurrent use: give
// each goroutine its own (they are cheap until asked something).
type Holder struct {
	// Identity is the identity, grants included.
	Identity Identity

	x     *Index
	reach []*reach // per grant, walked on first use

	// The access at the time last asked: checks evaluate at one time.
	accessAt  time.Time
	access    Access
	accessErr error
	haveAt    bool
}

// reach is what one grant's target confers, whatever the time. For a
// grant of a role alone, tree, ents, via and order are the role's own
// (roleReach), shared by every grant of it: read only.
type reach struct {
	tree  *walkTree // the walk of a granted role; nil when no role is granted
	ents  []int32   // entitlements reached: the role's in walk order, then the granted one
	via   []int32   // per ents: the position in tree of the role granting it, -1 for a direct grant
	order []int32   // positions in ents, in entitlement ID order
	ids   []string  // the IDs of ents, sorted, each once
	err   []error   // problems with the grant's target

	conferred     []Holding // what the grant confers, once asked (Conferred)
	haveConferred bool
}

// roleReach is what a granted role confers, the same for every grant of
// it: the walk of its closure, the entitlements reached (in walk order,
// each with the position of the role granting it), and the order of both
// by ID. The Index computes it once per role, on first use.
type roleReach struct {
	tree      *walkTree
	ents      []int32
	via       []int32
	entOrder  []int32  // positions in ents, by entitlement ID
	roleOrder []int32  // positions in tree.role, by role ID
	ids       []string // the IDs of ents, sorted
}

// roleReach returns what role r confers, walking it on first use. It is
// safe for concurrent use: goroutines that walk one role at once store
// equal values, and all use the first stored.
func (x *Index) roleReach(r int32) *roleReach {
	if rr := x.reaches[r].Load(); rr != nil {
		return rr
	}
	w := x.walker()
	rr := &roleReach{tree: x.walk(w, r)}
	for _, e := range w.Entitlements() {
		rr.ents = append(rr.ents, e)
		rr.via = append(rr.via, w.Position(w.Via(e)))
	}
	x.walkers.Put(w)
	rr.entOrder = byRank(rr.ents, x.entRank)
	rr.roleOrder = byRank(rr.tree.role, x.roleRank)
	rr.ids = make([]string, len(rr.ents))
	for i, k := range rr.entOrder {
		rr.ids[i] = x.inv.Entitlements[rr.ents[k]].ID
	}
	if x.reaches[r].CompareAndSwap(nil, rr) {
		return rr
	}
	return x.reaches[r].Load()
}

// byRank returns the positions of items ordered by their rank (ties, which
// a walk never has, in position order).
func byRank(items []int32, rank []int32) []int32 {
	keys := make([]uint64, len(items))
	for pos, it := range items {
		keys[pos] = uint64(rank[it])<<32 | uint64(pos)
	}
	slices.Sort(keys)
	order := make([]int32, len(items))
	for i, k := range keys {
		order[i] = int32(uint32(k))
	}
	return order
}

// Holder returns id with what its grants confer, to be computed when asked.
// The grants need not belong to the inventory, but their targets must (see
// Expand). The caller must not modify id's grants while the Holder is in
// use.
func (x *Index) Holder(id Identity) *Holder {
	return &Holder{Identity: id, x: x, reach: make([]*reach, len(id.Grants))}
}

// Access returns what the identity holds at at, exactly as
// Index.EffectiveAccess describes, and the problems with the targets of the
// grants in effect then, joined. The result for the time last asked is
// kept: asking again at the same time costs nothing. The caller must not
// modify the result.
func (h *Holder) Access(at time.Time) (Access, error) {
	if h.haveAt && h.accessAt.Equal(at) {
		return h.access, h.accessErr
	}
	var errs []error
	nEnts, nRoles := 0, 0
	for gi, g := range h.Identity.Grants {
		if g.InEffect(at) {
			r := h.grant(gi)
			nEnts += len(r.ents)
			if r.tree != nil {
				nRoles += len(r.tree.role)
			}
		}
	}
	ents := reached{make([]int32, 0, nEnts), make([]Path, 0, nEnts)}
	roles := reached{make([]int32, 0, nRoles), make([]Path, 0, nRoles)}
	for gi, g := range h.Identity.Grants {
		if !g.InEffect(at) {
			continue
		}
		active := g.ActiveAt(at)
		r := h.grant(gi)
		errs = append(errs, r.err...)
		h.paths(gi, r, g.Eligible, active, true, &ents, &roles)
	}
	x := h.x
	a := Access{Identity: h.Identity.ID, At: at,
		Entitlements: holdings(&ents, x.entRank, func(i int32) string { return x.inv.Entitlements[i].ID }),
		Roles:        holdings(&roles, x.roleRank, func(i int32) string { return x.inv.Roles[i].ID })}
	h.accessAt, h.access, h.accessErr, h.haveAt = at, a, joinErrs(errs), true
	return h.access, h.accessErr
}

// Conferred returns the entitlements that grant i of the identity confers
// through its target, whatever the time and the grant's state, sorted by
// ID, each with the grant's path to it; none when the target is unknown. Its
// paths are Active unless the grant is eligible (just-in-time), since no
// time is asked about. The result is computed once per grant; the caller
// must not modify it.
func (h *Holder) Conferred(i int) []Holding {
	r := h.grant(i)
	if !r.haveConferred {
		r.conferred = h.conferred(i, r)
		r.haveConferred = true
	}
	return r.conferred
}

// ConferredIDs returns the IDs of the entitlements grant i confers, as
// Conferred lists them (sorted, each once), without their paths: what a
// check needs to decide, before it needs evidence. The result is shared
// between grants of one role; the caller must not modify it.
func (h *Holder) ConferredIDs(i int) []string {
	return h.grant(i).ids
}

// reached collects paths, each to the entitlement or role at position idx,
// in two parallel slices, for holdings to order.
type reached struct {
	idx   []int32
	paths []Path
}

func (r *reached) add(idx int32, p Path) {
	r.idx = append(r.idx, idx)
	r.paths = append(r.paths, p)
}

func (r *reached) Len() int { return len(r.idx) }

// paths adds the paths of grant gi (reaching r) to ents and, when
// withRoles, to roles.
func (h *Holder) paths(gi int, r *reach, eligible, active, withRoles bool, ents, roles *reached) {
	g := h.Identity.Grants[gi]
	if r.tree != nil && withRoles {
		for pos, rr := range r.tree.role {
			roles.add(rr, Path{Grant: g.ID, Eligible: eligible, Active: active, tree: r.tree, pos: int32(pos)})
		}
	}
	for k, e := range r.ents {
		p := Path{Grant: g.ID, Entitlement: h.x.inv.Entitlements[e].ID, Eligible: eligible, Active: active}
		if r.via[k] >= 0 {
			p.tree, p.pos = r.tree, r.via[k]
		}
		ents.add(e, p)
	}
}

// conferred returns what grant gi (reaching r) confers, in entitlement ID
// order, from r's order: no sorting, since a role's order is computed once.
func (h *Holder) conferred(gi int, r *reach) []Holding {
	if len(r.ents) == 0 {
		return []Holding{}
	}
	g, x := h.Identity.Grants[gi], h.x
	paths := make([]Path, len(r.order))
	out := make([]Holding, 0, len(r.order))
	for i, k := range r.order {
		e := r.ents[k]
		p := Path{Grant: g.ID, Entitlement: x.inv.Entitlements[e].ID, Eligible: g.Eligible, Active: !g.Eligible}
		if r.via[k] >= 0 {
			p.tree, p.pos = r.tree, r.via[k]
		}
		paths[i] = p
		if n := len(out); n > 0 && out[n-1].ID == p.Entitlement {
			// Reached twice (a grant of both a role and an entitlement
			// in it): one holding, its paths in order.
			hp := paths[i-len(out[n-1].Paths) : i+1 : i+1]
			slices.SortFunc(hp, Path.Compare)
			out[n-1].Paths = hp
			continue
		}
		out = append(out, Holding{ID: p.Entitlement, Paths: paths[i : i+1 : i+1]})
	}
	return out
}

// holdings groups paths into holdings, sorted by the ID of what they reach
// (by rank, the position of the ID in ID order), each holding's paths
// sorted by Path.Compare. Sorting keys rather than paths keeps the sort off
// the paths' pointers.
func holdings(rs *reached, rank []int32, name func(int32) string) []Holding {
	n := rs.Len()
	if n == 0 {
		return []Holding{}
	}
	keys := make([]uint64, n)
	for i, idx := range rs.idx {
		keys[i] = uint64(rank[idx])<<32 | uint64(i)
	}
	slices.Sort(keys)
	paths := make([]Path, n)
	for i, k := range keys {
		paths[i] = rs.paths[uint32(k)]
	}
	var out []Holding
	lo := 0
	for i := 1; i <= n; i++ {
		if i == n || keys[i]>>32 != keys[lo]>>32 {
			hp := paths[lo:i:i]
			if len(hp) > 1 {
				slices.SortFunc(hp, Path.Compare)
			}
			out = append(out, Holding{ID: name(rs.idx[uint32(keys[lo])]), Paths: hp})
			lo = i
		}
	}
	return out
}

// grant returns what grant gi's target reaches, walking it on first use.
func (h *Holder) grant(gi int) *reach {
	if r := h.reach[gi]; r != nil {
		return r
	}
	x, g := h.x, h.Identity.Grants[gi]
	r := &reach{}
	switch {
	case g.Role == "" && g.Entitlement == "":
		r.err = append(r.err, &RecordError{Type: "grant", ID: grantName(gi, g), Field: "entitlement",
			Err: fmt.Errorf("%w: a grant needs an entitlement or a role", ErrRequired)})
	case g.Role != "" && g.Entitlement != "":
		// Fail closed: count both targets, and say the grant is bad.
		r.err = append(r.err, &RecordError{Type: "grant", ID: grantName(gi, g), Field: "role",
			Err: fmt.Errorf("%w: a grant targets an entitlement or a role, not both", ErrConflict)})
	}
	if g.Role != "" {
		if ro, ok := x.roles[g.Role]; !ok {
			r.err = append(r.err, x.unknownTarget(gi, g, "role", g.Role))
		} else {
			rr := x.roleReach(ro)
			r.tree, r.ents, r.via, r.order, r.ids = rr.tree, rr.ents, rr.via, rr.entOrder, rr.ids
		}
	}
	if g.Entitlement != "" {
		if e, ok := x.entitlements[g.Entitlement]; !ok {
			r.err = append(r.err, x.unknownTarget(gi, g, "entitlement", g.Entitlement))
		} else if r.tree == nil {
			r.ents, r.via, r.order, r.ids = []int32{e}, []int32{-1}, []int32{0}, x.entIDs[e:e+1:e+1]
		} else {
			// Both targets (an invalid grant, counted fail-closed): the
			// role's reach is shared, so extend a copy.
			r.ents = append(slices.Clone(r.ents), e)
			r.via = append(slices.Clone(r.via), -1)
			r.order = byRank(r.ents, x.entRank)
			r.ids = make([]string, 0, len(r.ents))
			for _, k := range r.order {
				if id := x.inv.Entitlements[r.ents[k]].ID; len(r.ids) == 0 || r.ids[len(r.ids)-1] != id {
					r.ids = append(r.ids, id)
				}
			}
		}
	}
	h.reach[gi] = r
	return r
}

// walk walks the closure of role r with w and keeps its tree of chains:
// the reached roles in walk order, each with its parent's position.
func (x *Index) walk(w *rolegraph.Walker, r int32) *walkTree {
	w.Walk(r)
	reached := w.Roles()
	t := &walkTree{x: x, role: slices.Clone(reached), parent: make([]int32, len(reached)), depth: make([]int32, len(reached))}
	for pos, rr := range reached {
		t.depth[pos] = int32(w.Depth(rr))
		t.parent[pos] = -1
		if p := w.Parent(rr); p >= 0 {
			t.parent[pos] = w.Position(p)
		}
	}
	return t
}
