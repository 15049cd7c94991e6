package sod

import (
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// Actor is one duty in a workflow record: who holds the access, who asked
// for it, who approved, provisioned, revoked it; for exceptions, who owns,
// approves or is covered by them, and which party owns the rule.
//
// The zero Actor is invalid; a Separation naming it is a policy error.
type Actor uint8

// The workflow actors.
const (
	Holder            Actor = iota + 1 // the identity holding a grant
	Requester                          // who requested the grant
	Approver                           // who approved it (each approval)
	Provisioner                        // who provisioned it
	Revoker                            // who revoked it
	ExceptionHolder                    // an identity an exception covers
	ExceptionOwner                     // the exception's owner
	ExceptionApprover                  // the exception's approver
	RuleOwner                          // the party owning the excepted rule (team level only)
)

var actorNames = [...]string{"", "holder", "requester", "approver", "provisioner", "revoker",
	"exception_holder", "exception_owner", "exception_approver", "rule_owner"}

// String returns the actor's name as written in bundles ("approver").
func (a Actor) String() string {
	if int(a) < len(actorNames) && a != 0 {
		return actorNames[a]
	}
	return fmt.Sprintf("actor(%d)", uint8(a))
}

// ParseActor parses an actor name.
func ParseActor(s string) (Actor, error) {
	for i := 1; i < len(actorNames); i++ {
		if s == actorNames[i] {
			return Actor(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown workflow actor %q (want %s)", entitlement.ErrInvalid, s, strings.Join(actorNames[1:], ", "))
}

func (a Actor) onGrant() bool { return a >= Holder && a <= Revoker }

func (a Actor) onException() bool { return a >= ExceptionHolder && a <= RuleOwner }

// Separation says that two workflow duties of one record must not be held
// by the same person or, when Team is set, by members of the same team.
// Separation{A: Approver, B: Approver} means the approvals of one grant
// must come from different people (dual authorization).
//
// At person level, two actors coincide when they are the same identity. At
// team level they coincide when they share a party: two people with the
// same Team, or a person who is a member of a party actor (RuleOwner).
type Separation struct {
	A, B Actor // the two workflow duties that must not coincide
	Team bool  // compare the actors' teams instead of the people themselves
}

// DefaultSeparations returns the separations checked when a policy sets
// none: nobody approves or provisions their own access, the requester does
// not approve or provision, the approver does not provision, one grant's
// approvals come from different people, an exception is not approved by
// its owner, and the rule's owning party does not approve exceptions to its
// own rule.
func DefaultSeparations() []Separation {
	return []Separation{
		{A: Holder, B: Approver},
		{A: Holder, B: Provisioner},
		{A: Requester, B: Approver},
		{A: Requester, B: Provisioner},
		{A: Approver, B: Provisioner},
		{A: Approver, B: Approver},
		{A: ExceptionOwner, B: ExceptionApprover},
		{A: RuleOwner, B: ExceptionApprover, Team: true},
	}
}

// String returns "A ≠ B (person)" or "A ≠ B (team)".
func (s Separation) String() string {
	lvl := "person"
	if s.Team {
		lvl = "team"
	}
	return fmt.Sprintf("%s ≠ %s (%s)", s.A, s.B, lvl)
}

// members answers party membership and teams for workflow checks, from
// the index (which holds every identity, in a streamed check too).
type members struct {
	e *Engine
}

func (m members) isMember(party, identity string) bool {
	if party == "" || identity == "" {
		return false
	}
	return m.e.x.IsMember(party, identity)
}

func (m members) team(identity string) string {
	team, _ := m.e.x.IdentityTeam(identity)
	return team
}

// role is one actor slot filled in a record: which duty, by whom.
type role struct {
	actor Actor
	who   string // identity ID, or party ID for RuleOwner
	what  string // "approvals[1]" etc., for evidence
}

// conflicts returns the separations a record's filled roles break, each
// once, in policy order.
func conflicts(seps []Separation, roles []role, m members) [][2]role {
	var out [][2]role
	for _, s := range seps {
		for i, a := range roles {
			if a.actor != s.A {
				continue
			}
			for j, b := range roles {
				if b.actor != s.B || i == j || (s.A == s.B && j < i) {
					continue
				}
				if coincide(a, b, s.Team, m) {
					out = append(out, [2]role{a, b})
				}
			}
		}
	}
	return out
}

func coincide(a, b role, team bool, m members) bool {
	if a.who == "" || b.who == "" {
		return false
	}
	if !team {
		return a.who == b.who && a.actor != RuleOwner && b.actor != RuleOwner
	}
	switch {
	case a.actor == RuleOwner && b.actor == RuleOwner:
		return a.who == b.who
	case a.actor == RuleOwner:
		return m.isMember(a.who, b.who)
	case b.actor == RuleOwner:
		return m.isMember(b.who, a.who)
	}
	ta, tb := m.team(a.who), m.team(b.who)
	return ta != "" && ta == tb
}

// grantRoles lists the filled roles of one grant record into dst.
func grantRoles(dst []role, holder string, g *entitlement.Grant) []role {
	dst = append(dst, role{Holder, holder, "holder"})
	if g.Requested.By != "" {
		dst = append(dst, role{Requester, g.Requested.By, "requested"})
	}
	for i, a := range g.Approvals {
		dst = append(dst, role{Approver, a.By, approvalLabel(i)})
	}
	if g.Provisioned.By != "" {
		dst = append(dst, role{Provisioner, g.Provisioned.By, "provisioned"})
	}
	if g.Revoked.By != "" {
		dst = append(dst, role{Revoker, g.Revoked.By, "revoked"})
	}
	return dst
}

var approvalLabels = [...]string{"approvals[0]", "approvals[1]", "approvals[2]", "approvals[3]"}

func approvalLabel(i int) string {
	if i < len(approvalLabels) {
		return approvalLabels[i]
	}
	return fmt.Sprintf("approvals[%d]", i)
}

// grantDutyConflicts reports the maker-checker conflicts of one grant
// record. Grants requested after at are not yet part of the record and are
// skipped; revoked and expired grants are checked only for separations
// involving the revoker. Each finding is about holder (Finding.Identity).
// It allocates only when it finds something.
func (e *Engine) grantDutyConflicts(holder *entitlement.Identity, g *entitlement.Grant, at time.Time) []audit.Finding {
	if !g.Requested.At.IsZero() && g.Requested.At.After(at) {
		return nil
	}
	ended := g.State == entitlement.GrantRevoked || g.State == entitlement.GrantExpired
	seps := e.grantSeps
	if ended {
		seps = e.revokerSeps
	}
	m := members{e}
	var buf [8]role
	roles := grantRoles(buf[:0], holder.ID, g)
	var out []audit.Finding
	subject := audit.Subject{Type: "grant", ID: g.ID}
	base := func(more ...audit.Evidence) []audit.Evidence {
		typ, target := g.Target()
		return append([]audit.Evidence{{Label: "identity", Value: holder.ID}, {Label: typ, Value: target}}, more...)
	}
	for _, c := range conflicts(seps, roles, m) {
		a, b := c[0], c[1]
		level := "the same person"
		if a.who != b.who {
			level = "the same team (" + m.team(a.who) + ")"
		}
		msg := fmt.Sprintf("grant %s: %s %s is also its %s (%s)", g.ID, a.actor, a.who, b.actor, level)
		if a.actor == b.actor {
			msg = fmt.Sprintf("grant %s: two of its approvals came from %s (%s); dual authorization needs different people", g.ID, a.who, level)
		}
		if a.actor == Holder {
			msg = fmt.Sprintf("%s %s their own access (grant %s)", holder.ID, pastTense(b.actor), g.ID)
		}
		f := kinds.Get(KindDutyConflict).New("", subject, msg, base(
			audit.Evidence{Label: "separation", Value: Separation{A: a.actor, B: b.actor, Team: a.who != b.who}.String()},
			audit.Evidence{Label: a.what, Value: a.who},
			audit.Evidence{Label: b.what, Value: b.who})...).Cite(cm5_4, ac3_2, prAA05)
		f.Severity = dutySeverity(a.actor, b.actor)
		f.Identity = holder.ID
		f.Remediation = "Have a different person perform one of the two duties, and review the access this record granted."
		out = append(out, f)
	}
	if ended {
		return out
	}
	// Built-in: no non-human identity approves.
	for i, a := range g.Approvals {
		kind, _ := e.x.IdentityKind(a.By)
		if !kind.NonHuman() {
			continue
		}
		f := kinds.Get(KindDutyConflict).New("", subject,
			fmt.Sprintf("grant %s was approved by %s, a %s: a non-human identity never approves access", g.ID, a.By, kind),
			base(audit.Evidence{Label: approvalLabel(i), Value: fmt.Sprintf("%s (%s)", a.By, kind)})...).Cite(ac3_2, nhi5, prAA05)
		f.Severity = audit.Critical
		f.Identity = holder.ID
		f.Remediation = "Have an accountable person approve the request again; remove approval rights from the non-human identity."
		out = append(out, f)
	}
	// Built-in: the party that owns the entitlement's policy does not both
	// approve and fulfil it through its own queue.
	if g.Entitlement == "" || g.Provisioned.By == "" || len(g.Approvals) == 0 {
		return out
	}
	k, ok := e.entIdx[g.Entitlement]
	if !ok {
		return out
	}
	owner := e.entOwner[k]
	if owner == "" || !m.isMember(owner, g.Provisioned.By) {
		return out
	}
	for i, a := range g.Approvals {
		if m.isMember(owner, a.By) {
			f := kinds.Get(KindDutyConflict).New("", subject,
				fmt.Sprintf("grant %s: the policy owner %s both approved (%s) and fulfilled (%s) it through its own queue",
					g.ID, owner, a.By, g.Provisioned.By),
				base(audit.Evidence{Label: "policy owner", Value: owner},
					audit.Evidence{Label: approvalLabel(i), Value: a.By},
					audit.Evidence{Label: "provisioned", Value: g.Provisioned.By})...).Cite(cm5_4, gvRR02)
			f.Remediation = "Route fulfilment to IT operations: the party that defines the policy must not also approve and execute it."
			f.Identity = holder.ID
			out = append(out, f)
			break
		}
	}
	return out
}

func pastTense(a Actor) string {
	switch a {
	case Approver:
		return "approved"
	case Provisioner:
		return "provisioned"
	case Requester:
		return "requested"
	case Revoker:
		return "revoked"
	}
	return "acted on"
}

func dutySeverity(a, b Actor) audit.Severity {
	if a == Holder && (b == Approver || b == Provisioner) {
		return audit.Critical
	}
	return audit.High
}
