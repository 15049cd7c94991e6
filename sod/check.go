package sod

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/parallel"
	"github.com/sodkit/sodkit/internal/rolegraph"
)

// Check runs every sod check at at and returns the findings in report
// order: toxic combinations and critical access for every identity of the
// index (mitigated ones included, with status Mitigated), the rule-set lint
// (see Lint), findings about the exceptions themselves, and maker-checker
// duty conflicts on every grant and exception record.
//
// Identities are checked in parallel on all cores; the result does not
// depend on scheduling.
func (e *Engine) Check(at time.Time) []audit.Finding {
	ids := e.x.Inventory().Identities
	type part struct {
		out      []audit.Finding
		violated map[ruleHolder]bool
	}
	parts := parallel.Map(len(ids), 256, func(lo, hi int) part {
		sc := e.getScratch()
		defer e.scratch.Put(sc)
		p := part{violated: map[ruleHolder]bool{}}
		for i := lo; i < hi; i++ {
			id := &ids[i]
			fs := e.violations(sc, id, id.Grants, e.idGrants[i], at, nil)
			for _, f := range fs {
				if f.Kind == KindToxicCombination || f.Kind == KindCriticalAccess {
					p.violated[ruleHolder{f.Rule, id.ID}] = true
				}
			}
			p.out = append(p.out, fs...)
			for gi := range id.Grants {
				p.out = append(p.out, e.grantDutyConflicts(id, &id.Grants[gi], at)...)
			}
		}
		return p
	})
	all := map[ruleHolder]bool{}
	var out []audit.Finding
	for _, p := range parts {
		out = append(out, p.out...)
		for k := range p.violated {
			all[k] = true
		}
	}
	out = append(out, e.Lint()...)
	out = append(out, e.exceptionFindings(all, at)...)
	return audit.Sort(out)
}

// violationFindings returns the toxic combinations and critical access of every
// identity of the index at at, in report order, mitigated ones included:
// the part of Check that a peer policy engine can also compute, without
// the lint, the exception findings or the duty conflicts.
func (e *Engine) violationFindings(at time.Time) []audit.Finding {
	ids := e.x.Inventory().Identities
	parts := parallel.Map(len(ids), 256, func(lo, hi int) []audit.Finding {
		sc := e.getScratch()
		defer e.scratch.Put(sc)
		var out []audit.Finding
		for i := lo; i < hi; i++ {
			out = append(out, e.violations(sc, &ids[i], ids[i].Grants, e.idGrants[i], at, nil)...)
		}
		return out
	})
	return audit.Sort(slices.Concat(parts...))
}

// Checker runs the sod checks one identity at a time, for inventories
// streamed from files too large to hold whole: Identity checks one
// identity (which need not be in the engine's index, as long as the
// identities it names are); Finish returns the findings that need every
// identity seen — the lint and the findings about exceptions, whose
// orphan and expiry checks depend on the violations found. Check is
// exactly NewChecker, Identity for each identity of the index, then Finish.
//
// A Checker is safe for concurrent use; call Finish once, after every
// Identity call has returned.
type Checker struct {
	e        *Engine
	at       time.Time
	mu       sync.Mutex
	violated map[ruleHolder]bool

	// Who an exception may cover, for Note: the identities exceptions
	// name, and the parties whose members they cover.
	excIdentities map[string]bool
	excParties    []string
}

// NewChecker returns a Checker evaluating at at.
func (e *Engine) NewChecker(at time.Time) *Checker {
	k := &Checker{e: e, at: at, violated: map[ruleHolder]bool{}, excIdentities: map[string]bool{}}
	for _, x := range e.config.Exceptions {
		switch {
		case x.Identity != "":
			k.excIdentities[x.Identity] = true
		case x.Party != "" && !slices.Contains(k.excParties, x.Party):
			k.excParties = append(k.excParties, x.Party)
		}
	}
	return k
}

// Identity returns the findings about one identity: its toxic
// combinations and critical access (mitigated ones included), and the duty
// conflicts of its grant records, in report order.
func (k *Checker) Identity(h *entitlement.Holder) []audit.Finding {
	out := k.e.CheckIdentity(h.Identity, k.at)
	k.record(h.Identity.ID, out)
	return out
}

// Note records what Finish needs from an identity whose findings are
// reported elsewhere — by another shard of a scan split by identity: the
// rules it violates, which the exception checks depend on. It builds no
// findings. An identity no exception covers (none names it, nor a party
// it is a member of) cannot change them, and costs a lookup; any other
// costs a detection, not an explanation. It is safe for concurrent use.
func (k *Checker) Note(h *entitlement.Holder) {
	if !k.covered(h.Identity.ID) {
		return
	}
	vs := k.e.detectIdentity(h.Identity, k.at)
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, v := range vs {
		k.violated[ruleHolder{v.Rule, v.Identity}] = true
	}
}

// covered reports whether an exception may cover the identity with ID
// id: whether its violations can matter to Finish.
func (k *Checker) covered(id string) bool {
	if k.excIdentities[id] {
		return true
	}
	m := members{k.e}
	return slices.ContainsFunc(k.excParties, func(p string) bool { return m.isMember(p, id) })
}

func (k *Checker) record(identity string, fs []audit.Finding) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, f := range fs {
		if f.Kind == KindToxicCombination || f.Kind == KindCriticalAccess {
			k.violated[ruleHolder{f.Rule, identity}] = true
		}
	}
}

// Finish returns the lint and the findings about exceptions, in report
// order.
func (k *Checker) Finish() []audit.Finding {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := k.e.Lint()
	out = append(out, k.e.exceptionFindings(k.violated, k.at)...)
	return audit.Sort(out)
}

// ruleHolder is one (rule, identity) violation, for matching exceptions.
type ruleHolder struct{ rule, identity string }

// CheckIdentity checks one identity, which need not belong to the index
// (it may be streamed from a file, or proposed): its toxic combinations and
// critical access at at, and the duty conflicts of its grant records, in
// report order. Grants naming entitlements or roles the catalogue does not
// know yield an indeterminate finding. It is safe for concurrent use.
//
// Findings that need the whole inventory (the lint, and findings about
// exceptions) are not included; see Lint and Check.
func (e *Engine) CheckIdentity(id entitlement.Identity, at time.Time) []audit.Finding {
	sc := e.getScratch()
	defer e.scratch.Put(sc)
	sc.cg = e.compileGrants(sc.cg, id.Grants)
	out := e.violations(sc, &id, id.Grants, sc.cg, at, nil)
	for gi := range id.Grants {
		out = append(out, e.grantDutyConflicts(&id, &id.Grants[gi], at)...)
	}
	return audit.Sort(out)
}

func (e *Engine) getScratch() *scratch {
	sc := e.scratch.Get().(*scratch)
	return sc
}

// violations returns the toxic-combination and critical-access findings of
// one identity holding grants (compiled as cg) at at, and an indeterminate
// finding for grants whose target is unknown. ov replaces the touch lists
// of roles changed by a what-if.
func (e *Engine) violations(sc *scratch, id *entitlement.Identity, grants []entitlement.Grant, cg []cgrant, at time.Time, ov *overlay) []audit.Finding {
	var unknown []audit.Evidence
	now := stampOf(at)
	for gi := range cg {
		if g := &cg[gi]; g.target == noTarget && g.inEffect(now) {
			typ, target := grants[gi].Target()
			unknown = append(unknown, audit.Evidence{Label: "grant " + grants[gi].ID, Value: "unknown " + typ + " " + target})
		}
	}
	e.touch(sc, cg, now, ov)
	var out []audit.Finding
	for _, ri := range sc.touched {
		if bits.OnesCount64(sc.masks[ri]) >= e.rules[ri].need {
			out = append(out, e.explain(sc, id, grants, cg, ri, at, ov)...)
		}
	}
	for _, ri := range sc.touched {
		sc.masks[ri] = 0
	}
	if len(unknown) > 0 {
		f := kinds.Get(KindIndeterminate).New("", audit.Subject{Type: "identity", ID: id.ID},
			fmt.Sprintf("%s holds grants whose targets the catalogue does not know; its toxic combinations cannot be fully evaluated", id.ID),
			unknown...)
		f.Status = audit.Indeterminate
		f.Remediation = "Add the missing entitlements or roles to the catalogue, or correct the grants, and check again."
		out = append(out, f)
	}
	return out
}

// touch marks, in sc.masks, the sides of every rule the grants in effect
// at now touch (dynamic rules: only through active grants), and lists the
// rules touched in sc.touched. The caller clears the masks of those rules.
func (e *Engine) touch(sc *scratch, cg []cgrant, now stamp, ov *overlay) {
	sc.touched = sc.touched[:0]
	for gi := range cg {
		g := &cg[gi]
		if !g.inEffect(now) || g.target == noTarget {
			continue
		}
		ts := e.touchesOfTarget(g.target, ov)
		if len(ts) == 0 {
			continue
		}
		active := g.active(now)
		for _, t := range ts {
			if !active && e.dynamic[t.rule] {
				continue
			}
			m := &sc.masks[t.rule]
			if *m == 0 {
				sc.touched = append(sc.touched, t.rule)
			}
			*m |= 1 << uint(t.side)
		}
	}
}

// hits collects the touches of rule ri made by the grants in effect at at,
// each with its grant and whether that grant is active.
func (e *Engine) hits(dst []hit, cg []cgrant, ri int32, at time.Time, ov *overlay) []hit {
	dynamic := e.dynamic[ri]
	now := stampOf(at)
	for gi := range cg {
		g := &cg[gi]
		if !g.inEffect(now) || g.target == noTarget {
			continue
		}
		active := g.active(now)
		if dynamic && !active {
			continue
		}
		ts := e.touchesOfTarget(g.target, ov)
		lo, _ := slices.BinarySearchFunc(ts, ri, func(t touch, r int32) int { return int(t.rule) - int(r) })
		for _, t := range ts[lo:] {
			if t.rule != ri {
				break
			}
			dst = append(dst, hit{touch: t, grant: int32(gi), active: active})
		}
	}
	return dst
}

// group is the hits of one scope value of a rule.
type group struct {
	scope string // "" when the rule is identity-wide or all hits are unscoped
	hits  []hit
}

// groups splits a rule's hits by the rule's scope. Hits without a scope
// value (an unscoped grant, a role member, an entitlement without an
// environment) count in every group.
func (e *Engine) groups(r *Rule, hs []hit, grants []entitlement.Grant) []group {
	if r.Scope == ScopeIdentity {
		return []group{{hits: hs}}
	}
	value := func(h hit) string {
		switch r.Scope {
		case ScopeSystem:
			if h.member >= 0 {
				return e.entSys[h.member]
			}
		case ScopeEnvironment:
			if h.member >= 0 {
				return e.entEnv[h.member]
			}
		case ScopeOrg:
			if grants != nil {
				return grants[h.grant].Scope
			}
		}
		return ""
	}
	var values []string
	for _, h := range hs {
		if v := value(h); v != "" && !slices.Contains(values, v) {
			values = append(values, v)
		}
	}
	if len(values) == 0 {
		return []group{{hits: hs}}
	}
	slices.Sort(values)
	out := make([]group, 0, len(values))
	for _, v := range values {
		var g group
		g.scope = v
		for _, h := range hs {
			if hv := value(h); hv == "" || hv == v {
				g.hits = append(g.hits, h)
			}
		}
		out = append(out, g)
	}
	return out
}

// sidesOf returns the set of sides a group's hits touch.
func sidesOf(hs []hit) uint64 {
	var m uint64
	for _, h := range hs {
		m |= 1 << uint(h.side)
	}
	return m
}

// explain builds the findings of one violated rule for one identity: one
// per scope group that touches enough sides.
func (e *Engine) explain(sc *scratch, id *entitlement.Identity, grants []entitlement.Grant, cg []cgrant, ri int32, at time.Time, ov *overlay) []audit.Finding {
	cr := &e.rules[ri]
	sc.ts = e.hits(sc.ts[:0], cg, ri, at, ov)
	var out []audit.Finding
	for _, g := range e.groups(cr.rule, sc.ts, grants) {
		if bits.OnesCount64(sidesOf(g.hits)) < cr.need {
			continue
		}
		out = append(out, e.violationFinding(id, grants, ri, g, at, ov))
	}
	return out
}

func (e *Engine) violationFinding(id *entitlement.Identity, grants []entitlement.Grant, ri int32, g group, at time.Time, ov *overlay) audit.Finding {
	cr := &e.rules[ri]
	r := cr.rule
	hs := slices.Clone(g.hits)
	slices.SortFunc(hs, func(a, b hit) int {
		if c := cmpTouch(a.touch, b.touch); c != 0 {
			return c
		}
		return strings.Compare(grants[a.grant].ID, grants[b.grant].ID)
	})
	var ev []audit.Evidence
	var sides []string
	for i, h := range hs {
		if i > 0 && hs[i-1].touch == h.touch {
			continue // the first grant (by ID) explains this member
		}
		typ, member := e.memberName(h.member)
		ev = append(ev, audit.Evidence{
			Label: "side " + cr.sideNames[h.side],
			Value: typ + " " + member,
			Path:  e.path(grants[h.grant], h.member, ov),
		})
		if name := cr.sideNames[h.side]; !slices.Contains(sides, name) {
			sides = append(sides, name)
		}
	}
	if g.scope != "" {
		ev = append(ev, audit.Evidence{Label: "scope " + r.Scope.String(), Value: g.scope})
	}
	kind := KindToxicCombination
	msg := fmt.Sprintf("%s holds %d of the %d duties of rule %s (%s): %s", id.ID, len(sides), len(r.Sides), r.ID, ruleTitle(r), strings.Join(sides, " + "))
	if cr.need == 1 {
		kind = KindCriticalAccess
		msg = fmt.Sprintf("%s holds critical access under rule %s (%s): %s", id.ID, r.ID, ruleTitle(r), strings.Join(sides, ", "))
	}
	controls := slices.Clone(r.Controls)
	if r.Dynamic {
		controls = append(controls, dsd)
		msg += " (active at the same time)"
	} else if allRoles(r) {
		controls = append(controls, ssd)
	}
	if id.Kind.NonHuman() {
		controls = append(controls, nhi5)
	}
	if g.scope != "" {
		msg += fmt.Sprintf(" in %s %s", r.Scope, g.scope)
	}
	f := kinds.Get(kind).New(r.ID, audit.Subject{Type: "identity", ID: id.ID}, msg, ev...).Cite(controls...)
	f.Severity = r.Severity
	// The exception is named after the ID is set: a violation keeps its
	// ID whether or not an exception covers it.
	if x, ok := e.mitigation(r, id, at); ok {
		f.Status = audit.Mitigated
		f.Evidence = append(f.Evidence, audit.Evidence{Label: "mitigated by exception " + x.ID,
			Value: fmt.Sprintf("valid %s; compensating control: %s", x.window(), orNone(x.CompensatingControl))})
		f.Message += "; mitigated by exception " + x.ID
	}
	return f
}

func orNone(s string) string {
	if s == "" {
		return "none recorded"
	}
	return s
}

func ruleTitle(r *Rule) string {
	if r.Title != "" {
		return r.Title
	}
	return "untitled"
}

// allRoles reports whether every side lists only roles: a NIST RBAC
// static SoD set.
func allRoles(r *Rule) bool {
	for _, s := range r.Sides {
		if s.Duty != "" || len(s.Entitlements) > 0 {
			return false
		}
	}
	return true
}

// path explains how grant g reaches member: the grant, the chain of roles
// (shortest, juniors in ID order, as the entitlement package walks it) and
// the entitlement, as audit steps.
func (e *Engine) path(g entitlement.Grant, member int32, ov *overlay) []audit.Step {
	steps := []audit.Step{{Type: "grant", ID: g.ID}}
	mtyp, mid := e.memberName(member)
	if g.Role == "" {
		return append(steps, audit.Step{Type: mtyp, ID: mid})
	}
	start, ok := e.roleIdx[g.Role]
	if !ok {
		return steps
	}
	for _, r := range e.roleChain(start, member, ov) {
		steps = append(steps, audit.Step{Type: "role", ID: e.roles[r]})
	}
	if member >= 0 {
		steps = append(steps, audit.Step{Type: "entitlement", ID: mid})
	}
	return steps
}

// roleChain returns the shortest chain of roles from start to the role that
// is member (a role member) or grants member (an entitlement), walking the
// role graph (after the change, with an overlay) breadth-first with
// juniors in ID order; just start when the walk does not reach it.
func (e *Engine) roleChain(start, member int32, ov *overlay) []int32 {
	var w *rolegraph.Walker
	if ov == nil {
		w = e.walkers.Get().(*rolegraph.Walker)
		defer e.walkers.Put(w)
	} else {
		if ov.walker == nil {
			ov.walker = ov.graph.NewWalker()
		}
		w = ov.walker
	}
	w.Walk(start)
	end := int32(-1)
	if member < 0 {
		end = -1 - member
	} else {
		end = w.Via(member)
	}
	if end < 0 || !w.HasRole(end) {
		return []int32{start}
	}
	return w.Chain(nil, end)
}
