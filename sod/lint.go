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
		out = append(out, audit.Finding{
			Kind: KindIndeterminate, Severity: r.Severity, Status: audit.Indeterminate, Rule: r.ID, Subject: subject,
			Message: fmt.Sprintf("rule %s (%s) names %d entitlement(s) or role(s) the catalogue does not know: identities holding them cannot be evaluated",
				r.ID, ruleTitle(r), len(cr.unresolved)),
			Evidence:    ev,
			Controls:    []audit.Control{ac5, prAA05},
			Remediation: "Correct the rule's references or add the missing entitlements and roles to the catalogue.",
		}.WithID())
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
		out = append(out, audit.Finding{
			Kind: KindOverlappingSides, Severity: audit.Medium, Rule: r.ID, Subject: subject,
			Message: fmt.Sprintf("rule %s (%s) lists %d member(s) in more than one side, so holding one alone touches several sides",
				r.ID, ruleTitle(r), len(overlap)),
			Evidence:    overlap,
			Controls:    []audit.Control{ac5},
			Remediation: "Give each member to exactly one side (split the duty), or turn the overlap into a critical-access rule.",
		}.WithID())
	}
	return out
}

// sideMembers lists a side's members as "entitlement id" / "role id",
// resolving a duty reference.
func (e *Engine) sideMembers(s Side) []string {
	ents, roles := s.Entitlements, s.Roles
	if s.Duty != "" {
		for _, d := range e.policy.Duties {
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
	ts := e.roleTouch[r]
	if t, ok := ov.touches()[r]; ok {
		ts = t
	}
	var out []audit.Finding
	for lo := 0; lo < len(ts); {
		ri := ts[lo].rule
		hi := lo
		for hi < len(ts) && ts[hi].rule == ri {
			hi++
		}
		cr := &e.rules[ri]
		hs := make([]hit, 0, hi-lo)
		for _, t := range ts[lo:hi] {
			hs = append(hs, hit{touch: t})
		}
		lo = hi
		var m uint64
		for _, h := range hs {
			m |= 1 << uint(h.side)
		}
		if bits.OnesCount64(m) < cr.need || cr.need < 2 {
			continue // critical single duties are not role design flaws
		}
		for _, g := range e.groups(cr.rule, hs, nil) {
			if bits.OnesCount64(sidesOf(g.hits)) < cr.need {
				continue
			}
			out = append(out, e.intraRoleFinding(r, cr, g, ov))
		}
	}
	return out
}

func (e *Engine) intraRoleFinding(r int32, cr *crule, g group, ov *overlay) audit.Finding {
	rule := cr.rule
	var ev []audit.Evidence
	var sides []string
	for _, h := range g.hits {
		typ, member := e.memberName(h.member)
		steps := []audit.Step{}
		for _, c := range e.roleChain(r, h.member, ov) {
			steps = append(steps, audit.Step{Type: "role", ID: e.roles[c]})
		}
		if h.member >= 0 {
			steps = append(steps, audit.Step{Type: "entitlement", ID: member})
		}
		ev = append(ev, audit.Evidence{Label: "side " + cr.sideNames[h.side], Value: typ + " " + member, Path: steps})
		if !slices.Contains(sides, cr.sideNames[h.side]) {
			sides = append(sides, cr.sideNames[h.side])
		}
	}
	if g.scope != "" {
		ev = append(ev, audit.Evidence{Label: "scope " + rule.Scope.String(), Value: g.scope})
	}
	return audit.Finding{
		Kind: KindIntraRoleConflict, Severity: rule.Severity, Rule: rule.ID,
		Subject: audit.Subject{Type: "role", ID: e.roles[r]},
		Message: fmt.Sprintf("role %s by itself holds %d duties of rule %s (%s): %s; everyone who receives it, directly or through a senior role, violates the rule",
			e.roles[r], len(sides), rule.ID, ruleTitle(rule), strings.Join(sides, " + ")),
		Evidence:    ev,
		Controls:    append([]audit.Control{ac5, prAA05}, rule.Controls...),
		Remediation: "Split the role so that no single role (with what it inherits) carries both sides of the rule.",
	}.WithID()
}
