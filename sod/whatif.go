package sod

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/rolegraph"
)

// Change is a proposed change to the inventory, for WhatIf and Decide: new
// grants to one identity, activations of its just-in-time grants, and roles
// gaining entitlements or inherited roles. Every part is optional.
type Change struct {
	// Identity receives Grants and performs Activations. It must be an
	// identity of the inventory: add a joiner to the inventory (with no
	// grants) before asking about grants to them.
	Identity string
	// Grants are new grants to Identity. Each is evaluated as if it were
	// made and in effect at the evaluation time, whatever its State says:
	// a proposal is naturally unset, requested or approved, and is read as
	// active; revoked and expired grants cannot be proposed. A start after
	// the evaluation time is read as the evaluation time. A grant without
	// an ID is named "proposed-N" (N counting from 1 in Grants).
	Grants []entitlement.Grant
	// Activations activate eligible grants of Identity (existing or new
	// ones, by grant ID) at the evaluation time, for dynamic rules. Each
	// must name an eligible grant in effect then.
	Activations []string
	// RoleEntitlements maps a role ID to entitlements it would gain.
	RoleEntitlements map[string][]string
	// RoleInherits maps a role ID to roles it would newly inherit.
	RoleInherits map[string][]string
}

// ErrChange reports a proposed change that cannot be evaluated: it names
// an unknown identity, role, entitlement, actor or grant, a grant in a
// state that cannot be proposed, or would create an inheritance cycle.
var ErrChange = errors.New("invalid change")

// ErrZeroTime reports a zero evaluation time: almost always a time the
// caller forgot to set, at which no grant with a recorded start is in
// effect, so an answer would pass without checking.
var ErrZeroTime = errors.New("the evaluation time is zero")

// WhatIf returns the findings the change would add at at: findings present
// after the change whose IDs are not present before it, in report order. It
// agrees with running Check before and after applying the change to the
// inventory and keeping the new IDs, but costs only the identities the
// change touches (for a new grant, one identity and the rules its target
// touches). The Engine is not modified. Decide turns the result into a
// verdict.
//
// Covered: toxic combinations and critical access, intra-role conflicts of
// changed roles, and duty conflicts in the new grant records (their
// requester, approvers and provisioner, against the identity and each
// other).
//
// WhatIf fails closed: a zero at is an error wrapping ErrZeroTime, and a
// change that cannot be evaluated is an error wrapping ErrChange, each
// problem naming what is wrong — an unknown identity, entitlement, role
// or actor, a proposed grant that is invalid as a record (see
// entitlement.Index.ValidateGrants), is revoked or expired, expires at or
// before at or was requested after it, an activation that names no
// eligible grant in effect, or a role change that would create an
// inheritance cycle.
func (e *Engine) WhatIf(c Change, at time.Time) ([]audit.Finding, error) {
	if at.IsZero() {
		return nil, ErrZeroTime
	}
	c, err := e.prepare(c, at)
	if err != nil {
		return nil, err
	}
	var out []audit.Finding
	var ov *overlay
	identityPart := len(c.Grants) > 0 || len(c.Activations) > 0
	if len(c.RoleEntitlements)+len(c.RoleInherits) > 0 {
		var err error
		if ov, err = e.newOverlay(c); err != nil {
			return nil, err
		}
		skip := ""
		if identityPart {
			skip = c.Identity
		}
		out = append(out, e.roleChangeFindings(ov, skip, at)...)
	}
	if identityPart {
		out = append(out, e.identityChangeFindings(c, ov, at)...)
	}
	return audit.Sort(out), nil
}

// prepare checks a change and returns it with its grants read as
// proposals in effect at at (see Change.Grants). The caller's slices are
// not modified.
func (e *Engine) prepare(c Change, at time.Time) (Change, error) {
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrChange}, args...)...))
	}
	if (len(c.Grants) > 0 || len(c.Activations) > 0) && c.Identity == "" {
		fail("grants or activations without an identity")
	}
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	grants := make([]entitlement.Grant, len(c.Grants))
	for i, g := range c.Grants {
		if g.ID == "" {
			g.ID = "proposed-" + itoa(i+1)
		}
		switch g.State {
		case 0, entitlement.GrantRequested, entitlement.GrantApproved, entitlement.GrantActive:
			g.State = entitlement.GrantActive
		default:
			fail("grant %q: a grant in state %s cannot be proposed", g.ID, g.State)
		}
		if !g.Requested.At.IsZero() && g.Requested.At.After(at) {
			fail("grant %q: requested at %s, after the evaluation time %s", g.ID, stamp(g.Requested.At), stamp(at))
		}
		if !g.Expires.IsZero() && !g.Expires.After(at) {
			fail("grant %q: expires at %s, not after the evaluation time %s, so it would never be in effect", g.ID, stamp(g.Expires), stamp(at))
		}
		if start := g.StartTime(); start.After(at) {
			g.Start = at
		}
		grants[i] = g
	}
	id, known := e.x.Identity(c.Identity)
	if c.Identity != "" && (len(grants) > 0 || len(c.Activations) > 0) {
		if !known {
			fail("no identity %q in the inventory; add a joiner (with no grants) to it before asking about grants to them", c.Identity)
		} else {
			for _, err := range entitlement.Errors(e.x.ValidateGrants(c.Identity, grants)) {
				errs = append(errs, changeError{err})
			}
		}
	}
	if known {
		for _, gid := range c.Activations {
			i := slices.IndexFunc(grants, func(g entitlement.Grant) bool { return g.ID == gid })
			var g entitlement.Grant
			if i >= 0 {
				g = grants[i]
			} else if j := slices.IndexFunc(id.Grants, func(g entitlement.Grant) bool { return g.ID == gid }); j >= 0 {
				g = id.Grants[j]
			} else {
				fail("activations: identity %q has no grant %q", c.Identity, gid)
				continue
			}
			switch {
			case !g.Eligible:
				fail("activations: grant %q of identity %q is not eligible (just-in-time)", gid, c.Identity)
			case !g.InEffect(at):
				fail("activations: grant %q of identity %q is not in effect at %s", gid, c.Identity, stamp(at))
			}
		}
	}
	for _, role := range sortedKeys(c.RoleEntitlements) {
		if _, ok := e.roleIdx[role]; !ok {
			fail("role_entitlements: unknown role %q", role)
		}
		for _, ent := range c.RoleEntitlements[role] {
			if _, ok := e.entIdx[ent]; !ok {
				fail("role_entitlements[%q]: unknown entitlement %q", role, ent)
			}
		}
	}
	for _, role := range sortedKeys(c.RoleInherits) {
		if _, ok := e.roleIdx[role]; !ok {
			fail("role_inherits: unknown role %q", role)
		}
		for _, j := range c.RoleInherits[role] {
			if _, ok := e.roleIdx[j]; !ok {
				fail("role_inherits[%q]: unknown role %q", role, j)
			}
		}
	}
	c.Grants = grants
	return c, errors.Join(errs...)
}

// changeError is a record problem of a proposed change: it reads "invalid
// change: …", is ErrChange for errors.Is, and unwraps to the record's
// error (an *entitlement.RecordError naming the grant and the field).
type changeError struct{ err error }

func (e changeError) Error() string        { return ErrChange.Error() + ": " + e.err.Error() }
func (e changeError) Unwrap() error        { return e.err }
func (e changeError) Is(target error) bool { return target == ErrChange }

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// overlay is the role graph after a change, with the patched closure
// touches of the roles the change affects.
type overlay struct {
	graph    *rolegraph.Graph  // the role graph after the change
	ts       map[int32][]touch // affected role → its new touch list
	affected []int32           // roles whose closure changes, sorted
	walker   *rolegraph.Walker // over graph, made on first use (one WhatIf, one goroutine)
}

func (o *overlay) touches() map[int32][]touch {
	if o == nil {
		return nil
	}
	return o.ts
}

// graphOf returns the role graph a walk must use: the changed one when there
// is an overlay.
func (e *Engine) graphOf(o *overlay) *rolegraph.Graph {
	if o == nil {
		return e.graph
	}
	return o.graph
}

// newOverlay builds the role graph with the change applied and folds the
// touches of every role the change affects — the changed roles and all
// their seniors — from juniors to seniors, in one pass over them.
func (e *Engine) newOverlay(c Change) (*overlay, error) {
	roles := e.x.Inventory().Roles
	inherits := func(i int) []string {
		return append(slices.Clip(roles[i].Inherits), c.RoleInherits[roles[i].ID]...)
	}
	grants := func(i int) []string {
		return append(slices.Clip(roles[i].Entitlements), c.RoleEntitlements[roles[i].ID]...)
	}
	g, err := rolegraph.FromIDs(e.roles, e.ents, inherits, grants)
	if err != nil {
		if errors.Is(err, rolegraph.ErrCycle) {
			return nil, e.cycleError(c, inherits)
		}
		return nil, fmt.Errorf("%w: %w", ErrChange, err)
	}
	o := &overlay{graph: g, ts: map[int32][]touch{}}
	affected := make([]bool, len(e.roles))
	var queue []int32
	for _, m := range []map[string][]string{c.RoleEntitlements, c.RoleInherits} {
		for role := range m {
			if r := e.roleIdx[role]; !affected[r] {
				affected[r] = true
				queue = append(queue, r)
			}
		}
	}
	for i := 0; i < len(queue); i++ {
		for _, s := range g.Seniors(queue[i]) {
			if !affected[s] {
				affected[s] = true
				queue = append(queue, s)
			}
		}
	}
	for _, r := range g.Order() {
		if !affected[r] {
			continue
		}
		o.ts[r] = e.foldTouches(r, g, func(j int32) []touch {
			if affected[j] {
				return o.ts[j]
			}
			return e.roleTouch[j]
		})
	}
	o.affected = slices.Sorted(maps.Keys(o.ts))
	return o, nil
}

// cycleError names the cycle a role change would create: the first changed
// role (by ID) that would inherit itself, and the role through which it
// would.
func (e *Engine) cycleError(c Change, inherits func(int) []string) error {
	for _, role := range sortedKeys(c.RoleInherits) {
		r := e.roleIdx[role]
		seen := map[int32]bool{r: true}
		queue := []int32{r}
		for i := 0; i < len(queue); i++ {
			q := queue[i]
			for _, id := range inherits(int(q)) {
				j := e.roleIdx[id]
				if j == r {
					return fmt.Errorf("%w: role %s would inherit itself through %s", ErrChange, role, e.roles[q])
				}
				if !seen[j] {
					seen[j] = true
					queue = append(queue, j)
				}
			}
		}
	}
	return fmt.Errorf("%w: the role change would create an inheritance cycle", ErrChange)
}

// roleChangeFindings returns what a role change adds: new intra-role
// conflicts, and new violations by every identity that holds an affected
// role (except skip, whose findings the identity part computes together
// with its own change).
func (e *Engine) roleChangeFindings(ov *overlay, skip string, at time.Time) []audit.Finding {
	var out []audit.Finding
	for _, r := range ov.affected {
		out = append(out, added(e.intraRole(r, nil), e.intraRole(r, ov))...)
	}
	holders := map[int32]bool{}
	for _, r := range ov.affected {
		for _, h := range e.holders[r] {
			holders[h] = true
		}
	}
	ids := e.x.Inventory().Identities
	order := make([]int32, 0, len(holders))
	for h := range holders {
		order = append(order, h)
	}
	slices.Sort(order)
	sc := e.getScratch()
	defer e.scratch.Put(sc)
	for _, h := range order {
		id := &ids[h]
		if id.ID == skip {
			continue
		}
		before := e.violations(sc, id, id.Grants, e.idGrants[h], at, nil)
		after := e.violations(sc, id, id.Grants, e.idGrants[h], at, ov)
		out = append(out, added(before, after)...)
	}
	return out
}

// identityChangeFindings returns what new grants and activations for one
// identity add, on top of any role change in ov.
func (e *Engine) identityChangeFindings(c Change, ov *overlay, at time.Time) []audit.Finding {
	pos, _ := e.position(c.Identity) // prepare made sure it is known
	id := e.x.Inventory().Identities[pos]
	sc := e.getScratch()
	defer e.scratch.Put(sc)
	before := id.Grants
	after := append(append(sc.grants[:0], before...), c.Grants...)
	sc.grants = after
	cgBefore := e.idGrants[pos]
	cgAfter := append(sc.cg2[:0], cgBefore...)
	for gi := range c.Grants {
		cgAfter = append(cgAfter, e.compileGrant(&c.Grants[gi]))
	}
	sc.cg2 = cgAfter
	var out []audit.Finding
	if ov == nil && len(c.Activations) == 0 {
		// Fast path: only the rules the new grants touch can change.
		out = e.grantDelta(sc, &id, before, cgBefore, after, cgAfter, len(before), at)
	} else {
		if len(c.Activations) > 0 {
			after = slices.Clone(after)
			for _, gid := range c.Activations {
				for i := range after {
					if after[i].ID == gid && after[i].Eligible {
						after[i].Activations = append(slices.Clip(after[i].Activations), entitlement.Activation{Start: at})
						cgAfter[i] = e.compileGrant(&after[i])
					}
				}
			}
		}
		cgBefore = slices.Clone(cgBefore)
		out = added(e.violations(sc, &id, before, cgBefore, at, nil), e.violations(sc, &id, after, cgAfter, at, ov))
	}
	for gi := range c.Grants {
		out = append(out, e.grantDutyConflicts(&id, &c.Grants[gi], at)...)
	}
	return out
}

// grantDelta computes added violations for new grants without a role
// change: a finding can be new only for a rule one of the new grants
// (cgAfter[from:]) touches, since every other rule sees the same hits
// before and after.
func (e *Engine) grantDelta(sc *scratch, id *entitlement.Identity, before []entitlement.Grant, cgBefore []cgrant,
	after []entitlement.Grant, cgAfter []cgrant, from int, at time.Time) []audit.Finding {
	now := stampOf(at)
	sc.touched = sc.touched[:0]
	for gi := from; gi < len(cgAfter); gi++ {
		g := &cgAfter[gi]
		if !g.inEffect(now) || g.target == noTarget {
			continue
		}
		for _, t := range e.touchesOfTarget(g.target, nil) {
			m := &sc.masks[t.rule]
			if *m == 0 {
				sc.touched = append(sc.touched, t.rule)
			}
			*m |= 1
		}
	}
	// One pass over every grant collects the hits of those rules; the
	// hits of the grants before from are the "before" state.
	all := sc.ts2[:0]
	for gi := range cgAfter {
		g := &cgAfter[gi]
		if !g.inEffect(now) || g.target == noTarget {
			continue
		}
		active := g.active(now)
		for _, t := range e.touchesOfTarget(g.target, nil) {
			if sc.masks[t.rule] == 0 || (!active && e.dynamic[t.rule]) {
				continue
			}
			all = append(all, hit{touch: t, grant: int32(gi), active: active})
		}
	}
	sc.ts2 = all
	for _, ri := range sc.touched {
		sc.masks[ri] = 0
	}
	slices.SortFunc(all, func(a, b hit) int { return int(a.rule) - int(b.rule) })
	var out []audit.Finding
	for lo := 0; lo < len(all); {
		ri := all[lo].rule
		hi := lo
		for hi < len(all) && all[hi].rule == ri {
			hi++
		}
		out = append(out, e.ruleDelta(sc, id, before, cgBefore, after, cgAfter, ri, all[lo:hi], from, at)...)
		lo = hi
	}
	return out
}

// ruleDelta returns what new grants add for one rule, given the rule's
// hits after the change (those of grants before from were there before).
// For an identity-wide rule the finding's ID is fixed by the set of (side,
// member) pairs touched, so it compares those sets and explains only a
// violation that is new or has gained a member.
func (e *Engine) ruleDelta(sc *scratch, id *entitlement.Identity, before []entitlement.Grant, cgBefore []cgrant,
	after []entitlement.Grant, cgAfter []cgrant, ri int32, hs []hit, from int, at time.Time) []audit.Finding {
	cr := &e.rules[ri]
	if bitsOf(hs) < cr.need {
		return nil
	}
	if cr.rule.Scope != ScopeIdentity {
		aft := e.ruleFindings(sc, id, after, cgAfter, ri, at)
		if len(aft) == 0 {
			return nil
		}
		return added(e.ruleFindings(sc, id, before, cgBefore, ri, at), aft)
	}
	old := sc.ts[:0]
	for _, h := range hs {
		if int(h.grant) < from {
			old = append(old, h)
		}
	}
	sc.ts = old
	if bitsOf(old) >= cr.need && sameMembers(hs, old) {
		return nil
	}
	return e.explain(sc, id, after, cgAfter, ri, at, nil)
}

// sameMembers reports whether two hit lists touch the same (side, member)
// pairs. It sorts both.
func sameMembers(a, b []hit) bool {
	key := func(h hit) int64 { return int64(h.side)<<32 | int64(uint32(h.member)) }
	cmpHit := func(x, y hit) int {
		kx, ky := key(x), key(y)
		switch {
		case kx < ky:
			return -1
		case kx > ky:
			return 1
		}
		return 0
	}
	slices.SortFunc(a, cmpHit)
	slices.SortFunc(b, cmpHit)
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if key(a[i]) != key(b[j]) {
			return false
		}
		ki := key(a[i])
		for i < len(a) && key(a[i]) == ki {
			i++
		}
		for j < len(b) && key(b[j]) == ki {
			j++
		}
	}
	return i == len(a) && j == len(b)
}

// ruleFindings returns one identity's findings for one rule.
func (e *Engine) ruleFindings(sc *scratch, id *entitlement.Identity, grants []entitlement.Grant, cg []cgrant, ri int32, at time.Time) []audit.Finding {
	sc.ts = e.hits(sc.ts[:0], cg, ri, at, nil)
	if bitsOf(sc.ts) < e.rules[ri].need {
		return nil
	}
	return e.explain(sc, id, grants, cg, ri, at, nil)
}

func bitsOf(hs []hit) int {
	var m uint64
	for _, h := range hs {
		m |= 1 << uint(h.side)
	}
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// added returns the findings of after whose IDs are not in before.
func added(before, after []audit.Finding) []audit.Finding {
	if len(after) == 0 {
		return nil
	}
	var out []audit.Finding
	for _, f := range after {
		if !slices.ContainsFunc(before, func(b audit.Finding) bool { return b.ID == f.ID }) {
			out = append(out, f)
		}
	}
	return out
}
