package entitlement

import (
	"fmt"
	"slices"
	"sort"
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

// reach is what one grant's target confers, whatever the time.
type reach struct {
	tree *walkTree // the walk of a granted role; nil when no role is granted
	ents []int32   // entitlements reached: the granted one, and the role's in walk order
	via  []int32   // per ents: the position in tree of the role granting it, -1 for a direct grant
	err  []error   // problems with the grant's target

	conferred     []Holding // what the grant confers, once asked (Conferred)
	haveConferred bool
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
		Entitlements: holdings(&ents, func(i int32) string { return x.inv.Entitlements[i].ID }),
		Roles:        holdings(&roles, func(i int32) string { return x.inv.Roles[i].ID })}
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
		g := h.Identity.Grants[i]
		ents := reached{make([]int32, 0, len(r.ents)), make([]Path, 0, len(r.ents))}
		h.paths(i, r, g.Eligible, !g.Eligible, false, &ents, nil)
		x := h.x
		r.conferred = holdings(&ents, func(i int32) string { return x.inv.Entitlements[i].ID })
		r.haveConferred = true
	}
	return r.conferred
}

// reached collects paths, each to the entitlement or role at position idx,
// in two parallel slices so that holdings can share the paths' storage.
type reached struct {
	idx   []int32
	paths []Path
}

func (r *reached) add(idx int32, p Path) {
	r.idx = append(r.idx, idx)
	r.paths = append(r.paths, p)
}

func (r *reached) Len() int { return len(r.idx) }
func (r *reached) Swap(i, j int) {
	r.idx[i], r.idx[j] = r.idx[j], r.idx[i]
	r.paths[i], r.paths[j] = r.paths[j], r.paths[i]
}

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

// byName orders reached paths by the name of what they reach, then by
// Path.Compare.
type byName struct {
	*reached
	name func(int32) string
}

func (b byName) Less(i, j int) bool {
	if a, c := b.idx[i], b.idx[j]; a != c {
		return b.name(a) < b.name(c)
	}
	return b.paths[i].Compare(b.paths[j]) < 0
}

// holdings groups paths into holdings, sorted by the name of what they
// reach, each holding's paths sorted by Path.Compare; the holdings share
// rs's storage.
func holdings(rs *reached, name func(int32) string) []Holding {
	if rs.Len() == 0 {
		return []Holding{}
	}
	sort.Sort(byName{rs, name})
	var out []Holding
	lo := 0
	for i := 1; i <= rs.Len(); i++ {
		if i == rs.Len() || rs.idx[i] != rs.idx[lo] {
			out = append(out, Holding{ID: name(rs.idx[lo]), Paths: rs.paths[lo:i:i]})
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
			w := x.walker()
			r.tree = x.walk(w, ro)
			for _, e := range w.Entitlements() {
				r.ents = append(r.ents, e)
				r.via = append(r.via, w.Position(w.Via(e)))
			}
			x.walkers.Put(w)
		}
	}
	if g.Entitlement != "" {
		if e, ok := x.entitlements[g.Entitlement]; !ok {
			r.err = append(r.err, x.unknownTarget(gi, g, "entitlement", g.Entitlement))
		} else {
			r.ents = append(r.ents, e)
			r.via = append(r.via, -1)
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
