package sod

import (
	"errors"
	"fmt"

	"github.com/sodkit/sodkit/entitlement"
)

// Validate checks the structure of a policy and returns every problem,
// joined, each an *entitlement.RecordError of type "duty", "rule",
// "exception" or "separation" naming the field: missing or duplicate IDs,
// values longer than the entitlement package's limits (IDs and references
// over entitlement.MaxIDLength, names and titles over MaxNameLength,
// descriptions, reasons and compensating controls over MaxTextLength;
// entitlement.ErrTooLong, the record then named by its position),
// empty sides, sides that both reference a duty and list members, unknown
// duties, K outside 1…len(Sides) (zero means every side), more than
// MaxSides sides, repeated members within a side, invalid scopes,
// negative limits, exceptions covering both or neither of an identity and
// a party, exceptions without a start, and invalid separations.
//
// Validate does not look at the catalogue: references to entitlements,
// roles, identities and parties are checked by Compile and the checks,
// which report what does not resolve as findings.
func (p *Config) Validate() error {
	var errs []error
	add := func(typ, id, field string, err error) {
		errs = append(errs, &entitlement.RecordError{Type: typ, ID: id, Field: field, Err: err})
	}
	name := func(id string, i int) string {
		if id == "" || len(id) > entitlement.MaxIDLength {
			return fmt.Sprintf("#%d", i)
		}
		return id
	}
	// fits reports whether value is at most limit bytes long, and reports
	// the problem when it is not.
	fits := func(typ, id, field, value string, limit int) bool {
		if len(value) <= limit {
			return true
		}
		add(typ, id, field, entitlement.CheckLength(value, limit))
		return false
	}
	// ids checks the length of every entry of a list of references.
	ids := func(typ, id, field string, list []string) {
		for j, v := range list {
			if len(v) > entitlement.MaxIDLength {
				fits(typ, id, fmt.Sprintf("%s[%d]", field, j), v, entitlement.MaxIDLength)
			}
		}
	}
	duties := map[string]bool{}
	for i, d := range p.Duties {
		id := name(d.ID, i)
		switch {
		case d.ID == "":
			add("duty", id, "id", entitlement.ErrRequired)
		case !fits("duty", id, "id", d.ID, entitlement.MaxIDLength):
		case duties[d.ID]:
			add("duty", id, "id", fmt.Errorf("%w: duty %q defined twice", entitlement.ErrDuplicate, d.ID))
		}
		duties[d.ID] = true
		fits("duty", id, "name", d.Name, entitlement.MaxNameLength)
		fits("duty", id, "description", d.Description, entitlement.MaxTextLength)
		ids("duty", id, "entitlements", d.Entitlements)
		ids("duty", id, "roles", d.Roles)
		if len(d.Entitlements)+len(d.Roles) == 0 {
			add("duty", id, "entitlements", fmt.Errorf("%w: a duty needs at least one entitlement or role", entitlement.ErrRequired))
		}
		dupes(d.Entitlements, func(j int, s string) {
			add("duty", id, fmt.Sprintf("entitlements[%d]", j), fmt.Errorf("%w: %q listed twice", entitlement.ErrDuplicate, s))
		})
		dupes(d.Roles, func(j int, s string) {
			add("duty", id, fmt.Sprintf("roles[%d]", j), fmt.Errorf("%w: %q listed twice", entitlement.ErrDuplicate, s))
		})
	}
	rules := map[string]bool{}
	for i, r := range p.Rules {
		id := name(r.ID, i)
		switch {
		case r.ID == "":
			add("rule", id, "id", entitlement.ErrRequired)
		case !fits("rule", id, "id", r.ID, entitlement.MaxIDLength):
		case rules[r.ID]:
			add("rule", id, "id", fmt.Errorf("%w: rule %q defined twice", entitlement.ErrDuplicate, r.ID))
		}
		rules[r.ID] = true
		fits("rule", id, "title", r.Title, entitlement.MaxNameLength)
		fits("rule", id, "description", r.Description, entitlement.MaxTextLength)
		fits("rule", id, "owner", r.Owner, entitlement.MaxIDLength)
		ids("rule", id, "exception_approvers", r.ExceptionApprovers)
		for ci, c := range r.Controls {
			fits("rule", id, fmt.Sprintf("controls[%d].framework", ci), string(c.Framework), entitlement.MaxIDLength)
			fits("rule", id, fmt.Sprintf("controls[%d].id", ci), c.ID, entitlement.MaxIDLength)
		}
		if !r.Severity.Valid() {
			add("rule", id, "severity", fmt.Errorf("%w: severity %s", entitlement.ErrInvalid, r.Severity))
		}
		switch n := len(r.Sides); {
		case n == 0:
			add("rule", id, "sides", fmt.Errorf("%w: a rule needs at least one side", entitlement.ErrRequired))
		case n > MaxSides:
			add("rule", id, "sides", fmt.Errorf("%w: %d sides, at most %d", entitlement.ErrInvalid, n, MaxSides))
		}
		if r.K < 0 || r.K > len(r.Sides) {
			add("rule", id, "k", fmt.Errorf("%w: k = %d, want 1 to %d (the number of sides)", entitlement.ErrInvalid, r.K, len(r.Sides)))
		}
		if int(r.Scope) >= len(scopeNames) {
			add("rule", id, "scope", fmt.Errorf("%w: %s", entitlement.ErrInvalid, r.Scope))
		}
		if r.MaxExceptionDuration < 0 {
			add("rule", id, "max_exception_duration", fmt.Errorf("%w: negative duration", entitlement.ErrInvalid))
		}
		if r.MaxRenewals != nil && *r.MaxRenewals < 0 {
			add("rule", id, "max_renewals", fmt.Errorf("%w: negative count", entitlement.ErrInvalid))
		}
		for si, s := range r.Sides {
			f := fmt.Sprintf("sides[%d]", si)
			fits("rule", id, f+".name", s.Name, entitlement.MaxNameLength)
			ids("rule", id, f+".entitlements", s.Entitlements)
			ids("rule", id, f+".roles", s.Roles)
			if s.Duty != "" && !fits("rule", id, f+".duty", s.Duty, entitlement.MaxIDLength) {
				continue
			}
			if s.Duty != "" {
				if len(s.Entitlements)+len(s.Roles) > 0 {
					add("rule", id, f, fmt.Errorf("%w: a side references a duty or lists members, not both", entitlement.ErrConflict))
				}
				if !duties[s.Duty] {
					add("rule", id, f+".duty", fmt.Errorf("%w: no duty %q", entitlement.ErrUnknownRef, s.Duty))
				}
				continue
			}
			if len(s.Entitlements)+len(s.Roles) == 0 {
				add("rule", id, f, fmt.Errorf("%w: an empty side (no duty, entitlement or role)", entitlement.ErrRequired))
			}
			dupes(s.Entitlements, func(j int, v string) {
				add("rule", id, fmt.Sprintf("%s.entitlements[%d]", f, j), fmt.Errorf("%w: %q listed twice", entitlement.ErrDuplicate, v))
			})
			dupes(s.Roles, func(j int, v string) {
				add("rule", id, fmt.Sprintf("%s.roles[%d]", f, j), fmt.Errorf("%w: %q listed twice", entitlement.ErrDuplicate, v))
			})
		}
	}
	excs := map[string]bool{}
	for i, x := range p.Exceptions {
		id := name(x.ID, i)
		switch {
		case x.ID == "":
			add("exception", id, "id", entitlement.ErrRequired)
		case !fits("exception", id, "id", x.ID, entitlement.MaxIDLength):
		case excs[x.ID]:
			add("exception", id, "id", fmt.Errorf("%w: exception %q defined twice", entitlement.ErrDuplicate, x.ID))
		}
		excs[x.ID] = true
		for _, f := range [...]struct{ field, value string }{
			{"rule", x.Rule}, {"identity", x.Identity}, {"party", x.Party}, {"owner", x.Owner}, {"approver", x.Approver},
		} {
			fits("exception", id, f.field, f.value, entitlement.MaxIDLength)
		}
		fits("exception", id, "reason", x.Reason, entitlement.MaxTextLength)
		fits("exception", id, "compensating_control", x.CompensatingControl, entitlement.MaxTextLength)
		if x.Rule == "" {
			add("exception", id, "rule", entitlement.ErrRequired)
		}
		switch {
		case x.Identity != "" && x.Party != "":
			add("exception", id, "party", fmt.Errorf("%w: an exception covers an identity or a party, not both", entitlement.ErrConflict))
		case x.Identity == "" && x.Party == "":
			add("exception", id, "identity", fmt.Errorf("%w: an exception covers an identity or a party", entitlement.ErrRequired))
		}
		if x.ValidFrom.IsZero() {
			add("exception", id, "valid_from", entitlement.ErrRequired)
		}
		if !x.ValidUntil.IsZero() && !x.ValidUntil.After(x.ValidFrom) {
			add("exception", id, "valid_until", fmt.Errorf("%w: valid until (%s) is not after valid from (%s)",
				entitlement.ErrTimeOrder, x.ValidUntil.Format("2006-01-02T15:04:05Z07:00"), x.ValidFrom.Format("2006-01-02T15:04:05Z07:00")))
		}
		if x.Renewals < 0 {
			add("exception", id, "renewals", fmt.Errorf("%w: negative count", entitlement.ErrInvalid))
		}
	}
	ids("policy", "sod", "exception_approvers", p.Policy.ExceptionApprovers)
	if p.Policy.MaxExceptionDuration < 0 {
		add("policy", "sod", "max_exception_duration", fmt.Errorf("%w: negative duration", entitlement.ErrInvalid))
	}
	if p.Policy.MaxRenewals != nil && *p.Policy.MaxRenewals < 0 {
		add("policy", "sod", "max_renewals", fmt.Errorf("%w: negative count", entitlement.ErrInvalid))
	}
	for i, s := range p.Policy.Separations {
		id := fmt.Sprintf("#%d", i)
		for _, a := range []struct {
			f string
			v Actor
		}{{"a", s.A}, {"b", s.B}} {
			if a.v == 0 || int(a.v) >= len(actorNames) {
				add("separation", id, a.f, fmt.Errorf("%w: unknown actor %s", entitlement.ErrInvalid, a.v))
			}
		}
		if s.A.onGrant() != s.B.onGrant() && s.A != 0 && s.B != 0 {
			add("separation", id, "b", fmt.Errorf("%w: %s and %s are duties of different records (a grant and an exception)", entitlement.ErrConflict, s.A, s.B))
		}
		if (s.A == RuleOwner || s.B == RuleOwner) && !s.Team {
			add("separation", id, "team", fmt.Errorf("%w: rule_owner is a party, so the separation must be at team level", entitlement.ErrConflict))
		}
	}
	return errors.Join(errs...)
}

// dupes calls fn for every entry of list that repeats an earlier one,
// leaving out entries too long to be IDs (Validate reports those).
func dupes(list []string, fn func(i int, s string)) {
	seen := make(map[string]bool, len(list))
	for i, s := range list {
		if len(s) > entitlement.MaxIDLength {
			continue
		}
		if seen[s] {
			fn(i, s)
		}
		seen[s] = true
	}
}
