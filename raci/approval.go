package raci

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// awaitsOrHolds reports whether a grant is approved or active and neither
// revoked nor expired by at: a grant whose approvals still matter.
func awaitsOrHolds(g entitlement.Grant, at time.Time) bool {
	return (g.State == entitlement.GrantApproved || g.State == entitlement.GrantActive) &&
		g.Revoked.At.IsZero() && (g.Expires.IsZero() || at.Before(g.Expires))
}

// approvalPath is the approval path a grant's target needs: the stages of
// every entitlement it confers, in entitlement ID order, each stage once,
// with the first entitlement that requires it and whether a privileged or
// high-risk entitlement requires it.
type approvalPath struct {
	stages     []string
	requiredBy []string // per stage
	sensitive  []bool   // per stage
}

// target is what the checks of a grant need from its target (an
// entitlement or a role), the same for every grant of it: computed once per
// target, on first use.
type target struct {
	ents []string     // the entitlements it confers, sorted (conferred)
	path approvalPath // the approval path they need

	// The strictest recertification interval of ents, the entitlement
	// that sets it, and whether any of ents is privileged.
	interval   time.Duration
	intervalBy string
	priv       bool

	// The parties and people Accountable or Responsible for recertify in
	// the effective matrix of each of ents, each distinct list once: a
	// certifier is right when in one of every list (certifiedBy).
	certifiers [][]certifier
}

// certifier is one reference of a RACI cell, resolved once: a party, or a
// person.
type certifier struct {
	ref           string
	party, person bool
}

// certifiedBy reports whether who is a member of a party (or is a person)
// Responsible or Accountable for recertify in the effective matrix of
// every entitlement the target confers.
func (t *target) certifiedBy(x *entitlement.Index, who string) bool {
	for _, cells := range t.certifiers {
		ok := false
		for _, c := range cells {
			if c.person && c.ref == who || c.party && x.IsMember(c.ref, who) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// target returns the facts of the target of grant gi of the holder.
func (e *engine) target(h *entitlement.Holder, gi int) *target {
	typ, id := h.Identity.Grants[gi].Target()
	tab := &e.targets[0]
	if typ == "role" {
		tab = &e.targets[1]
	}
	return tab.Get(id, func() *target {
		t := &target{ents: conferred(h, gi), path: e.approvalPath(h, gi)}
		seen := map[string]bool{}
		for _, eid := range t.ents {
			ent, _ := e.x.Entitlement(eid)
			if d := e.pol.recertifyEvery(ent); t.interval == 0 || d < t.interval {
				t.interval, t.intervalBy = d, eid
			}
			t.priv = t.priv || ent.Privileged
			row := e.entMatrix(ent)[Recertify]
			refs := append(slices.Clone(row[accountable].refs), row[responsible].refs...)
			if key := strings.Join(refs, "\x00"); !seen[key] {
				seen[key] = true
				cells := make([]certifier, len(refs))
				for i, r := range refs {
					k := kindOf(e.x, r)
					cells[i] = certifier{ref: r, party: k == refParty, person: k == refPerson}
				}
				t.certifiers = append(t.certifiers, cells)
			}
		}
		return t
	})
}

// path returns the approval path of the target of grant gi of the holder,
// computed once per target.
func (e *engine) path(h *entitlement.Holder, gi int) *approvalPath {
	return &e.target(h, gi).path
}

// approvalPath computes the approval path of the target of grant gi.
func (e *engine) approvalPath(h *entitlement.Holder, gi int) approvalPath {
	var p approvalPath
	for _, eid := range conferred(h, gi) {
		ent, _ := e.x.Entitlement(eid)
		for _, s := range clean(ent.ApprovalPath) {
			i := slices.Index(p.stages, s)
			if i < 0 {
				i = len(p.stages)
				p.stages, p.requiredBy, p.sensitive = append(p.stages, s), append(p.requiredBy, eid), append(p.sensitive, false)
			}
			p.sensitive[i] = p.sensitive[i] || privileged(ent)
		}
	}
	return p
}

// approvals checks the approvals of an approved or active grant against
// the approval path of what it confers: every approval must come from a
// member of a stage's party (raci.approval-outside-path), and every stage
// must be approved (raci.approval-stage-missing). Break-glass grants are
// left to the emergency-access checks; grants whose entitlements have no
// approval path need no approval here.
func (e *engine) approvals(h *entitlement.Holder, gi int, at time.Time) []audit.Finding {
	id, g := h.Identity, h.Identity.Grants[gi]
	if !awaitsOrHolds(g, at) || g.Source == entitlement.SourceBreakGlass {
		return nil
	}
	path := e.path(h, gi)
	stages := path.stages
	if len(stages) == 0 {
		return nil
	}
	// Evidence is formatted only for approvals that are reported.
	const (
		offPath   = iota // the stage is not on the path
		notMember        // the approver is not a member of the stage's party
		noParty          // no stage recorded, and the approver is in no stage's party
	)
	type bad struct {
		i, why int
		a      entitlement.Approval
	}
	satisfied := make([]bool, len(stages)) // per stage
	var outside []bad
	for i, a := range g.Approvals {
		if a.Stage != "" {
			switch k := slices.Index(stages, a.Stage); {
			case k < 0:
				outside = append(outside, bad{i, offPath, a})
			case !e.x.IsMember(a.Stage, a.By):
				outside = append(outside, bad{i, notMember, a})
			default:
				satisfied[k] = true
			}
			continue
		}
		// No stage recorded: the approval satisfies the first stage not yet
		// approved whose party the approver belongs to.
		member, free := false, -1
		for k, s := range stages {
			if e.x.IsMember(s, a.By) {
				member = true
				if !satisfied[k] {
					free = k
					break
				}
			}
		}
		switch {
		case !member:
			outside = append(outside, bad{i, noParty, a})
		case free >= 0:
			satisfied[free] = true
		}
	}
	if len(outside) == 0 && !slices.Contains(satisfied, false) {
		return nil
	}

	var out []audit.Finding
	base := []audit.Evidence{{Label: "activity", Value: ApproveRequest.String()}, identityEvidence(id), targetEvidence(g),
		{Label: "approval path", Value: strings.Join(stages, " → ")}}
	if len(outside) > 0 {
		ev := slices.Clone(base)
		for _, b := range outside {
			v := b.a.By + " as stage " + b.a.Stage
			if b.a.Stage == "" {
				v = b.a.By + " (no stage recorded)"
			}
			if !b.a.At.IsZero() {
				v += " at " + b.a.At.Format(rfc3339)
			}
			switch b.why {
			case offPath:
				v += ": " + b.a.Stage + " is not on the approval path"
			case notMember:
				v += ": " + b.a.By + " is not a member of " + b.a.Stage
			default:
				v += ": a member of no party on the approval path"
			}
			ev = append(ev, audit.Evidence{Label: fmt.Sprintf("approval %d", b.i), Value: v})
		}
		out = append(out, kinds.Get(KindApprovalOutsidePath).New("", grantSubject(g),
			fmt.Sprintf("grant %s to %s has %d approval(s) from outside its approval path (%s)",
				g.ID, id.ID, len(outside), strings.Join(stages, " → ")),
			ev...))
	}
	var missing []audit.Evidence
	var names []string
	sensitive := false
	for k, s := range stages {
		if !satisfied[k] {
			names = append(names, s)
			missing = append(missing, audit.Evidence{Label: "missing stage", Value: fmt.Sprintf("%s (required by %s)", s, path.requiredBy[k])})
			sensitive = sensitive || path.sensitive[k]
		}
	}
	if len(missing) > 0 {
		f := kinds.Get(KindApprovalStageMissing).New("", grantSubject(g),
			fmt.Sprintf("grant %s to %s lacks the approval of %s on its approval path (%s)",
				g.ID, id.ID, strings.Join(names, ", "), strings.Join(stages, " → ")),
			append(slices.Clone(base), missing...)...)
		if sensitive {
			f.Severity = audit.High
		}
		out = append(out, f)
	}
	return out
}
