package raci

import (
	"fmt"
	"slices"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// RuleOwner is the ownership record of one governance rule, such as a
// separation-of-duties rule: the plain data CheckRules needs, so that rule
// packages can feed it without this package importing them.
type RuleOwner struct {
	Rule  string // the rule's ID
	Owner string // the party or person accountable for the rule; "" if none
}

// CheckRules reports rules with no accountable owner (raci.no-owner) and
// rules whose owner has no active member, is not active, or does not exist
// (raci.inactive-owner), in report order. A rule with an empty ID is
// reported as "#N", its position. A nil x is an empty inventory.
//
// CheckRules is a pure function of its arguments and safe for concurrent
// use.
func CheckRules(x *entitlement.Index, rules []RuleOwner) []audit.Finding {
	e := newEngine(x, Config{})
	var out []audit.Finding
	for i, r := range rules {
		id := r.Rule
		if id == "" {
			id = fmt.Sprintf("#%d", i)
		}
		subject := audit.Subject{Type: "rule", ID: id}
		var refs []string
		if r.Owner != "" {
			refs = []string{r.Owner}
		}
		out = append(out, e.owner(subject, "rule "+id, 0, refs, "rule "+id+" owner", audit.High)...)
	}
	return audit.Sort(out)
}

// ActiveOwner reports whether ref names an owner who can answer for what
// it owns: an active person, or a party with at least one active human
// member. A non-human identity, an inactive person, a party with no active
// person in it, an unknown reference and "" are not. It is the test every
// ownership check of this package applies to an accountable owner, for
// records raci does not know (package scan applies it to the owners of
// waivers). A nil x is an empty inventory.
//
// ActiveOwner is a pure function of its arguments and safe for concurrent
// use.
func ActiveOwner(x *entitlement.Index, ref string) bool {
	x = orEmpty(x)
	switch kindOf(x, ref) {
	case refParty:
		for _, m := range x.Members(ref) {
			if id, ok := x.Identity(m); ok && id.Kind == entitlement.Human && id.Status == entitlement.IdentityActive {
				return true
			}
		}
	case refPerson:
		id, _ := x.Identity(ref)
		return id.Status == entitlement.IdentityActive
	}
	return false
}

// owner reports a subject whose accountable owners are missing or all
// inactive. what names the subject in messages; activity, when valid, is
// the activity the owners are accountable for; by names where the owners
// were assigned.
func (e *engine) owner(subject audit.Subject, what string, activity Activity, owners []string, by string, sev audit.Severity) []audit.Finding {
	var head []audit.Evidence
	if activity.Valid() {
		head = append(head, audit.Evidence{Label: "activity", Value: activity.String()})
	}
	if len(owners) == 0 {
		f := kinds.Get(KindNoOwner).New("", subject,
			fmt.Sprintf("%s has no accountable owner: nobody decides who may hold it or answers for it", what),
			append(head, audit.Evidence{Label: "accountable owner", Value: "nobody"}, audit.Evidence{Label: "assigned by", Value: by})...)
		f.Severity = sev
		return []audit.Finding{f}
	}
	if slices.ContainsFunc(owners, e.isActive) {
		return nil
	}
	ev := head
	for _, o := range owners {
		ev = append(ev, audit.Evidence{Label: "accountable owner", Value: e.describe(o)})
	}
	ev = append(ev, audit.Evidence{Label: "active members", Value: "none"}, audit.Evidence{Label: "assigned by", Value: by})
	f := kinds.Get(KindInactiveOwner).New("", subject,
		fmt.Sprintf("%s is owned by %s, but no owner has an active member: the access is effectively unowned", what, joinRefs(owners)),
		ev...)
	f.Severity = sev
	return []audit.Finding{f}
}

// entitlementOwner checks the Accountable party of define_policy in the
// entitlement's effective matrix: its policy owner.
func (e *engine) entitlementOwner(ent entitlement.Entitlement) []audit.Finding {
	c := e.entMatrix(ent)[DefinePolicy][accountable]
	sev := audit.Medium
	if privileged(ent) {
		sev = audit.High
	}
	return e.owner(audit.Subject{Type: "entitlement", ID: ent.ID}, "entitlement "+ent.ID, DefinePolicy, c.refs, c.src.by, sev)
}

// roleOwner checks a role's owner.
func (e *engine) roleOwner(r entitlement.Role) []audit.Finding {
	var owners []string
	if r.Owner != "" {
		owners = []string{r.Owner}
	}
	sev := audit.Medium
	if e.privilegedRole(r.ID) {
		sev = audit.High
	}
	return e.owner(audit.Subject{Type: "role", ID: r.ID}, "role "+r.ID, 0, owners, "role "+r.ID+" owner", sev)
}

// privilegedRole reports whether a role confers privileged or high-risk
// access, through inheritance too. The set is folded over the role graph
// once, on first use: asking every role in turn would walk every closure.
func (e *engine) privilegedRole(role string) bool {
	e.privOnce.Do(func() {
		e.privRoles = map[string]bool{}
		for _, r := range e.x.RolesConferring(privileged) {
			e.privRoles[r] = true
		}
	})
	return e.privRoles[role]
}

// activeHuman reports whether id names an active person.
func (e *engine) activeHuman(id string) bool {
	p, ok := e.x.Identity(id)
	return ok && p.Kind == entitlement.Human && p.Status == entitlement.IdentityActive
}

// holdsPrivileged reports whether the identity holds, at at, a grant in
// effect that confers a privileged entitlement.
func (e *engine) holdsPrivileged(h *entitlement.Holder, at time.Time) bool {
	for gi, g := range h.Identity.Grants {
		if !g.InEffect(at) {
			continue
		}
		for _, eid := range conferred(h, gi) {
			if ent, _ := e.x.Entitlement(eid); ent.Privileged {
				return true
			}
		}
	}
	return false
}

func inEffectAny(id entitlement.Identity, at time.Time) bool {
	return slices.ContainsFunc(id.Grants, func(g entitlement.Grant) bool { return g.InEffect(at) })
}

// orphaned reports a non-human identity none of whose owners is an active
// person (OWASP NHI1:2025). Offboarded identities that hold nothing in
// effect at at are left alone.
func (e *engine) orphaned(h *entitlement.Holder, at time.Time) []audit.Finding {
	id := h.Identity
	if id.Status == entitlement.IdentityOffboarded && !inEffectAny(id, at) {
		return nil
	}
	owners := id.Owners()
	if slices.ContainsFunc(owners, e.activeHuman) {
		return nil
	}
	ev := []audit.Evidence{{Label: "activity", Value: OwnNHI.String()}, identityEvidence(id)}
	why := "no owner"
	if len(owners) == 0 {
		ev = append(ev, audit.Evidence{Label: "owner", Value: "none recorded"})
	} else {
		why = "no active owner"
		for _, o := range owners {
			ev = append(ev, audit.Evidence{Label: "owner", Value: e.describeOwner(o)})
		}
	}
	sev, what := audit.High, ""
	if e.holdsPrivileged(h, at) {
		sev, what = audit.Critical, " and holds privileged access"
	}
	f := kinds.Get(KindOrphanedNHI).New("", audit.Subject{Type: "identity", ID: id.ID},
		fmt.Sprintf("%s %s is orphaned: it has %s%s", id.Kind, id.ID, why, what), ev...)
	f.Severity = sev
	if id.Kind == entitlement.AIAgent {
		f = f.Cite(govern21)
	}
	if acc := e.layers.base()[OwnNHI][accountable].refs; len(acc) > 0 {
		f.Remediation += fmt.Sprintf(" %s, accountable for owning non-human identities, should decide.", joinRefs(acc))
	}
	return []audit.Finding{f}
}

// describeOwner renders an owner identity with its kind and status.
func (e *engine) describeOwner(o string) string {
	p, ok := e.x.Identity(o)
	if !ok {
		return o + " (unknown)"
	}
	return fmt.Sprintf("%s (%s, %s)", o, p.Kind, p.Status)
}
