package sod

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// Exception is an approved, owned, time-bounded acceptance of one rule for
// one identity, or for every member of one party (its scope), with a
// compensating control. Exactly one of Identity and Party is set.
//
// An exception mitigates a violation of its rule at a time t when it is in
// force (ValidFrom ≤ t < ValidUntil, half-open), has an end date, and was
// approved by someone allowed to approve exceptions to the rule who is not
// an identity it covers. A mitigated violation is still reported, with
// status Mitigated and the exception in its evidence; exceptions never hide
// findings. An exception that fails these conditions mitigates nothing and
// is itself reported.
type Exception struct {
	ID       string // unique among exceptions; required
	Rule     string // the ID of the rule accepted; required
	Identity string // the identity covered, or ""
	Party    string // the party whose members are covered, or ""

	Owner      string    // identity accountable for the exception and its compensating control
	Approver   string    // identity that approved it
	ApprovedAt time.Time // when it was approved

	Reason              string // the business reason, in words
	CompensatingControl string // what limits the risk while the exception is in force

	ValidFrom  time.Time // required
	ValidUntil time.Time // zero means no end date: reported, and never mitigates
	Renewals   int       // how often it has been renewed
}

// InForce reports whether the exception's validity window contains at:
// ValidFrom ≤ at < ValidUntil. An exception without an end date is never in
// force.
func (x Exception) InForce(at time.Time) bool {
	return !x.ValidUntil.IsZero() && !at.Before(x.ValidFrom) && at.Before(x.ValidUntil)
}

// covers reports whether the exception applies to identity (with its team),
// given a membership test for parties.
func (x Exception) covers(identity string, member func(party, identity string) bool) bool {
	if x.Identity != "" {
		return x.Identity == identity
	}
	return x.Party != "" && member(x.Party, identity)
}

// scopeName names what the exception covers, for messages.
func (x Exception) scopeName() string {
	if x.Identity != "" {
		return "identity " + x.Identity
	}
	return "members of party " + x.Party
}

func (x Exception) window() string {
	until := "no end date"
	if !x.ValidUntil.IsZero() {
		until = x.ValidUntil.Format(time.RFC3339)
	}
	return fmt.Sprintf("%s to %s", x.ValidFrom.Format(time.RFC3339), until)
}

// mitigation returns the exception that mitigates rule r for identity id at
// at, if any: the first, in input order, that covers the identity and is
// valid (see Exception).
func (e *Engine) mitigation(r *Rule, id *entitlement.Identity, at time.Time) (Exception, bool) {
	m := members{e}
	member := func(p, who string) bool { return m.isMember(p, who) || (who == id.ID && id.Team == p) }
	for _, xi := range e.excByRule[r.ID] {
		x := e.config.Exceptions[xi]
		if x.covers(id.ID, member) && e.valid(x, r, at) {
			return x, true
		}
	}
	return Exception{}, false
}

// valid reports whether an exception can mitigate at at: in force, with an
// approver who is allowed for the rule and is not covered by it.
func (e *Engine) valid(x Exception, r *Rule, at time.Time) bool {
	if !x.InForce(at) || x.Approver == "" {
		return false
	}
	m := members{e}
	if x.covers(x.Approver, m.isMember) {
		return false
	}
	return e.allowedApprover(x, r)
}

func (e *Engine) allowedApprover(x Exception, r *Rule) bool {
	m := members{e}
	for _, p := range e.config.Policy.approvers(r) {
		if m.isMember(p, x.Approver) {
			return true
		}
	}
	return false
}

// exceptionFindings reports problems with the exceptions themselves, given
// the current (rule, identity) violations.
func (e *Engine) exceptionFindings(violated map[ruleHolder]bool, at time.Time) []audit.Finding {
	m := members{e}
	var out []audit.Finding
	for _, xi := range e.exceptions {
		x := e.config.Exceptions[xi]
		var r *Rule
		if ri, ok := e.ruleByID[x.Rule]; ok {
			r = &e.config.Rules[ri]
		}
		subject := audit.Subject{Type: "exception", ID: x.ID}
		base := []audit.Evidence{{Label: "covers", Value: x.scopeName()}}
		about := func(kind audit.Kind, msg string, ev ...audit.Evidence) audit.Finding {
			f := kinds.Get(kind).New(x.Rule, subject, msg, append(slices.Clone(base), ev...)...)
			f.Identity = x.Identity // "" for an exception covering a party
			return f
		}
		orphaned := func(msg, remedy string, ev audit.Evidence) {
			f := about(KindExceptionOrphaned, msg, ev)
			f.Remediation = remedy
			out = append(out, f)
		}
		// Which identities it covers that currently violate its rule.
		var live []string
		for k := range violated {
			if k.rule == x.Rule && x.covers(k.identity, m.isMember) {
				live = append(live, k.identity)
			}
		}
		slices.Sort(live)

		switch {
		case r == nil:
			orphaned(fmt.Sprintf("exception %s names rule %s, which does not exist", x.ID, x.Rule),
				"Close the exception, or correct the rule it names.",
				audit.Evidence{Label: "rule", Value: x.Rule + " (unknown)"})
		case x.Identity != "" && !known(e.x, x.Identity):
			orphaned(fmt.Sprintf("exception %s covers identity %s, which is not in the inventory", x.ID, x.Identity),
				"Close the exception, or correct the identity it names.",
				audit.Evidence{Label: "identity", Value: x.Identity + " (unknown)"})
		case x.Party != "" && !knownParty(e.x, x.Party):
			orphaned(fmt.Sprintf("exception %s covers party %s, which does not exist", x.ID, x.Party),
				"Close the exception, or correct the party it names.",
				audit.Evidence{Label: "party", Value: x.Party + " (unknown)"})
		case len(live) == 0 && (x.ValidUntil.IsZero() || at.Before(x.ValidUntil)):
			orphaned(fmt.Sprintf("exception %s covers no current violation of rule %s", x.ID, x.Rule),
				"Close the exception: the combination it accepted no longer exists.",
				audit.Evidence{Label: "current violations", Value: "none"})
		}

		if !x.ValidUntil.IsZero() && !at.Before(x.ValidUntil) {
			f := about(KindExceptionExpired, fmt.Sprintf("exception %s expired on %s", x.ID, x.ValidUntil.Format(time.RFC3339)),
				audit.Evidence{Label: "valid until", Value: x.ValidUntil.Format(time.RFC3339Nano)})
			if len(live) > 0 {
				f.Severity = audit.High
				f.Message += fmt.Sprintf("; the violation by %s is unmitigated again", strings.Join(live, ", "))
			}
			out = append(out, f)
		}
		if x.ValidUntil.IsZero() {
			out = append(out, about(KindExceptionNoExpiry, fmt.Sprintf("exception %s has no end date: it would accept the risk forever", x.ID),
				audit.Evidence{Label: "valid until", Value: "none"}))
		} else if limit := e.config.Policy.maxDuration(r); x.ValidUntil.Sub(x.ValidFrom) > limit {
			out = append(out, about(KindExceptionTooLong,
				fmt.Sprintf("exception %s runs %s, longer than the %s allowed", x.ID, audit.FormatDuration(x.ValidUntil.Sub(x.ValidFrom)), audit.FormatDuration(limit)),
				audit.Evidence{Label: "valid", Value: x.window()},
				audit.Evidence{Label: "maximum", Value: audit.FormatDuration(limit)}))
		}
		if x.Approver != "" && x.covers(x.Approver, m.isMember) {
			out = append(out, about(KindExceptionSelfApproved,
				fmt.Sprintf("exception %s was approved by %s, whom it covers", x.ID, x.Approver),
				audit.Evidence{Label: "approved by", Value: x.Approver}))
		}
		if x.Approver == "" || !e.allowedApprover(x, r) {
			allowed := e.config.Policy.approvers(r)
			who := x.Approver
			if who == "" {
				who = "nobody recorded"
			}
			out = append(out, about(KindExceptionWrongApprover,
				fmt.Sprintf("exception %s was approved by %s, who may not approve exceptions to rule %s", x.ID, who, x.Rule),
				audit.Evidence{Label: "approved by", Value: who},
				audit.Evidence{Label: "allowed approver parties", Value: listOrNone(allowed)}))
		}
		if limit := e.config.Policy.maxRenewals(r); x.Renewals > limit {
			out = append(out, about(KindExceptionRenewedTooOften,
				fmt.Sprintf("exception %s has been renewed %d times, more than the %d allowed: the exception path is becoming the normal path", x.ID, x.Renewals, limit),
				audit.Evidence{Label: "renewals", Value: fmt.Sprint(x.Renewals)},
				audit.Evidence{Label: "maximum renewals", Value: fmt.Sprint(limit)}))
		}
		out = append(out, e.exceptionDutyConflicts(x, r)...)
	}
	return out
}

// exceptionDutyConflicts applies the exception separations of the policy
// to one exception's approval.
func (e *Engine) exceptionDutyConflicts(x Exception, r *Rule) []audit.Finding {
	roles := []role{}
	if x.Identity != "" {
		roles = append(roles, role{ExceptionHolder, x.Identity, "covers"})
	}
	if x.Owner != "" {
		roles = append(roles, role{ExceptionOwner, x.Owner, "owner"})
	}
	if x.Approver != "" {
		roles = append(roles, role{ExceptionApprover, x.Approver, "approver"})
	}
	if r != nil && r.Owner != "" {
		roles = append(roles, role{RuleOwner, r.Owner, "rule owner"})
	}
	var seps []Separation
	for _, s := range e.config.Policy.separations() {
		// Self-approval is its own finding kind; do not report it twice.
		if s.A.onException() && !(s.A == ExceptionHolder && s.B == ExceptionApprover || s.B == ExceptionHolder && s.A == ExceptionApprover) {
			seps = append(seps, s)
		}
	}
	var out []audit.Finding
	for _, c := range conflicts(seps, roles, members{e}) {
		a, b := c[0], c[1]
		msg := fmt.Sprintf("exception %s: %s %s is also its %s", x.ID, a.actor, a.who, b.actor)
		if a.actor == RuleOwner || b.actor == RuleOwner {
			msg = fmt.Sprintf("exception %s to rule %s was approved by %s, a member of the rule's owner %s: the policy owner approved an exception to its own policy",
				x.ID, x.Rule, x.Approver, r.Owner)
		}
		f := kinds.Get(KindDutyConflict).New(x.Rule, audit.Subject{Type: "exception", ID: x.ID}, msg,
			audit.Evidence{Label: "separation", Value: Separation{A: a.actor, B: b.actor, Team: a.who != b.who || a.actor == RuleOwner || b.actor == RuleOwner}.String()},
			audit.Evidence{Label: a.what, Value: a.who},
			audit.Evidence{Label: b.what, Value: b.who},
		).Cite(cm5_4, gvRR02)
		f.Remediation = "Have an independent approver, outside the rule's owning party, review the exception."
		f.Identity = x.Identity // "" for an exception covering a party
		out = append(out, f)
	}
	return out
}

func known(x *entitlement.Index, id string) bool { _, ok := x.Identity(id); return ok }

func knownParty(x *entitlement.Index, id string) bool { _, ok := x.Party(id); return ok }

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none configured"
	}
	return strings.Join(s, ", ")
}
