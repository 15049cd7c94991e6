package sod

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/sodkit/sodkit/audit"
)

// Lint returns the findings about the rule set itself, in report order:
// rules that cannot be fully evaluated because they name entitlements or
// roles the catalogue does not know (indeterminate, failing by default),
// rules whose sides overlap, and intra-role conflicts — roles whose own
// content, after inheritance, violates a rule, so that everyone who
// receives the role violates it. Structural problems (empty sides, bad K,
// duplicate IDs) are errors from Validate, not findings.
func (e *Engine) Lint() []audit.Finding {
	var out []audit.Finding
	for ri := range e.rules {
		out = append(out, e.lintRule(int32(ri))...)
	}
	for r := range e.roles {
		out = append(out, e.intraRole(int32(r), nil)...)
	}
	return audit.Sort(out)
}

func (e *Engine) lintRule(ri int32) []audit.Finding {
	cr := &e.rules[ri]
	r := cr.rule
	subject := audit.Subject{Type: "rule", ID: r.ID}
	var out []audit.Finding
	if len(cr.unresolved) > 0 {
		ev := make([]audit.Evidence, len(cr.unresolved))
		for i, u := range cr.unresolved {
			side, ref, _ := strings.Cut(u, ": ")
			ev[i] = audit.Evidence{Label: "unresolved in side " + side, Value: ref}
		}
		f := kinds.Get(KindIndeterminate).New(r.ID, subject,
			fmt.Sprintf("rule %s (%s) names %d entitlement(s) or role(s) the catalogue does not know: identities holding them cannot be evaluated",
				r.ID, ruleTitle(r), len(cr.unresolved)),
			ev...)
		f.Severity, f.Status = r.Severity, audit.Indeterminate
		f.Remediation = "Correct the rule's references or add the missing entitlements and roles to the catalogue."
		out = append(out, f)
	}
	// Overlap: the same member (after resolving duties) in two sides.
	sides := map[string][]string{}
	for si, s := range r.Sides {
		for _, m := range e.sideMembers(s) {
			name := cr.sideNames[si]
			if !slices.Contains(sides[m], name) {
				sides[m] = append(sides[m], name)
			}
		}
	}
	var overlap []audit.Evidence
	for m, names := range sides {
		if len(names) > 1 {
			overlap = append(overlap, audit.Evidence{Label: "in sides " + strings.Join(names, ", "), Value: m})
		}
	}
	if len(overlap) > 0 {
		slices.SortFunc(overlap, audit.Evidence.Compare)
		out = append(out, kinds.Get(KindOverlappingSides).New(r.ID, subject,
			fmt.Sprintf("rule %s (%s) lists %d member(s) in more than one side, so holding one alone touches several sides",
				r.ID, ruleTitle(r), len(overlap)),
			overlap...))
	}
	return out
}

// sideMembers lists a side's members as "entitlement id" / "role id",
// resolving a duty reference.
func (e *Engine) sideMembers(s Side) []string {
	ents, roles := s.Entitlements, s.Roles
	if s.Duty != "" {
		for _, d := range e.config.Duties {
			if d.ID == s.Duty {
				ents, roles = d.Entitlements, d.Roles
			}
		}
	}
	out := make([]string, 0, len(ents)+len(roles))
	for _, x := range ents {
		out = append(out, "entitlement "+x)
	}
	for _, x := range roles {
		out = append(out, "role "+x)
	}
	return out
}

// intraRole reports the rules a role's own content violates. overlay, if
// set, replaces the touch lists of roles changed by a what-if.
func (e *Engine) intraRole(r int32, ov *overlay) []audit.Finding {
	ts := e.closureTouches(r, ov)
	var out []audit.Finding
	for lo := 0; lo < len(ts); {
		ri := ts[lo].rule
		hi := lo
		for hi < len(ts) && ts[hi].rule == ri {
			hi++
		}
		for _, g := range e.toxicGroups(ts[lo:hi], ri) {
			out = append(out, e.intraRoleFinding(r, &e.rules[ri], g, ov))
		}
		lo = hi
	}
	return out
}

// closureTouches returns the touches of role r's closure, after the change
// when there is an overlay.
func (e *Engine) closureTouches(r int32, ov *overlay) []touch {
	if t, ok := ov.touches()[r]; ok {
		return t
	}
	return e.roleTouch[r]
}

// toxicGroups returns the scope groups in which a role's closure touches
// (ts, all of rule ri) reach the rule's threshold. Critical single duties
// (K = 1) are not role design flaws and yield nothing.
func (e *Engine) toxicGroups(ts []touch, ri int32) []group {
	cr := &e.rules[ri]
	if cr.need < 2 {
		return nil
	}
	hs := make([]hit, 0, len(ts))
	for _, t := range ts {
		hs = append(hs, hit{touch: t})
	}
	if bits.OnesCount64(sidesOf(hs)) < cr.need {
		return nil
	}
	var out []group
	for _, g := range e.groups(cr.rule, hs, nil) {
		if bits.OnesCount64(sidesOf(g.hits)) >= cr.need {
			out = append(out, g)
		}
	}
	return out
}

// toxicJunior returns the first junior of r, in ID order, that is itself
// in conflict with rule ri in the scope group scope and whose closure holds
// t; -1 if there is none.
func (e *Engine) toxicJunior(r int32, ri int32, scope string, t touch, ov *overlay) int32 {
	for _, j := range e.graphOf(ov).Juniors(r) {
		ts := e.closureTouches(j, ov)
		if _, ok := slices.BinarySearchFunc(ts, t, cmpTouch); !ok {
			continue
		}
		lo, _ := slices.BinarySearchFunc(ts, ri, func(t touch, r int32) int { return int(t.rule) - int(r) })
		hi := lo
		for hi < len(ts) && ts[hi].rule == ri {
			hi++
		}
		for _, g := range e.toxicGroups(ts[lo:hi], ri) {
			if g.scope == scope {
				return j
			}
		}
	}
	return -1
}

// intraRoleFinding explains one conflict of role r. Each member's path runs
// from r down to the role that grants it, except where a junior of r is
// itself in conflict with the rule and holds the member: the path then
// stops at that junior, whose own finding explains the rest. So a deep
// hierarchy over one toxic role is reported with short paths, and the
// report stays linear in the size of the hierarchy.
func (e *Engine) intraRoleFinding(r int32, cr *crule, g group, ov *overlay) audit.Finding {
	rule := cr.rule
	ri := int32(slices.IndexFunc(e.rules, func(c crule) bool { return c.rule == rule }))
	var ev []audit.Evidence
	var sides []string
	for _, h := range g.hits {
		typ, member := e.memberName(h.member)
		steps := []audit.Step{}
		if j := e.toxicJunior(r, ri, g.scope, h.touch, ov); j >= 0 {
			steps = append(steps, audit.Step{Type: "role", ID: e.roles[r]}, audit.Step{Type: "role", ID: e.roles[j]})
		} else {
			for _, c := range e.roleChain(r, h.member, ov) {
				steps = append(steps, audit.Step{Type: "role", ID: e.roles[c]})
			}
			if h.member >= 0 {
				steps = append(steps, audit.Step{Type: "entitlement", ID: member})
			}
		}
		ev = append(ev, audit.Evidence{Label: "side " + cr.sideNames[h.side], Value: typ + " " + member, Path: steps})
		if !slices.Contains(sides, cr.sideNames[h.side]) {
			sides = append(sides, cr.sideNames[h.side])
		}
	}
	if g.scope != "" {
		ev = append(ev, audit.Evidence{Label: "scope " + rule.Scope.String(), Value: g.scope})
	}
	f := kinds.Get(KindIntraRoleConflict).New(rule.ID, audit.Subject{Type: "role", ID: e.roles[r]},
		fmt.Sprintf("role %s by itself holds %d duties of rule %s (%s): %s; everyone who receives it, directly or through a senior role, violates the rule",
			e.roles[r], len(sides), rule.ID, ruleTitle(rule), strings.Join(sides, " + ")),
		ev...).Cite(rule.Controls...)
	f.Severity = rule.Severity
	return f
}
