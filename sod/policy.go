package sod

import "time"

// Config is everything the sod checks read beside the inventory: the duties
// and rules, the exceptions granted against them, and the Policy that
// governs exceptions and maker-checker separation. It is plain data: build
// it with a literal or load it from a bundle's "sod" section; Compile turns
// it into an Engine.
//
// The zero Config has no rules (so no toxic combination can be found), the
// default exception limits and the default separations.
type Config struct {
	Duties     []Duty      // duties that rule sides reference by ID
	Rules      []Rule      // the toxic combinations to find
	Exceptions []Exception // exceptions granted against the rules
	// Policy holds the settings of the exception and maker-checker checks.
	Policy Policy
}

// Policy holds the settings that govern exceptions and maker-checker
// separation.
//
// The zero Policy means the documented defaults (DefaultMaxExceptionDuration,
// DefaultMaxRenewals, DefaultSeparations()) and no exception approvers, so
// every exception is reported as approved by the wrong party unless its
// rule names approvers: fail closed. WithDefaults returns the policy the
// checks apply.
type Policy struct {
	// ExceptionApprovers are the parties whose members may approve
	// exceptions to rules that name no approvers of their own. When both
	// are empty, no approver is allowed and every exception is reported as
	// approved by the wrong party (fail closed).
	ExceptionApprovers []string
	// MaxExceptionDuration caps the validity of one exception (valid until
	// minus valid from). Zero means DefaultMaxExceptionDuration.
	MaxExceptionDuration time.Duration
	// MaxRenewals caps how often one exception may be renewed. Nil means
	// DefaultMaxRenewals; a pointer to zero forbids renewals.
	MaxRenewals *int

	// Separations lists the pairs of workflow duties that must be held by
	// different people (or teams). Nil means DefaultSeparations(); an
	// empty non-nil slice checks none of them. The built-in conflicts (a
	// non-human identity approving, the policy owner's team both approving
	// and fulfilling) are always checked.
	Separations []Separation
}

// WithDefaults returns p with every setting left at its zero value replaced
// by its documented default: the policy the checks apply. Lists are not
// copied.
func (p Policy) WithDefaults() Policy {
	if p.MaxExceptionDuration <= 0 {
		p.MaxExceptionDuration = DefaultMaxExceptionDuration
	}
	if p.MaxRenewals == nil {
		n := DefaultMaxRenewals
		p.MaxRenewals = &n
	}
	if p.Separations == nil {
		p.Separations = DefaultSeparations()
	}
	return p
}

// DefaultMaxExceptionDuration is the longest an exception may run when
// neither its rule nor the policy sets a maximum: 90 days.
const DefaultMaxExceptionDuration = 90 * 24 * time.Hour

// DefaultMaxRenewals is how often an exception may be renewed when neither
// its rule nor the policy sets a limit.
const DefaultMaxRenewals = 1

func (p *Policy) maxDuration(r *Rule) time.Duration {
	switch {
	case r != nil && r.MaxExceptionDuration > 0:
		return r.MaxExceptionDuration
	case p.MaxExceptionDuration > 0:
		return p.MaxExceptionDuration
	}
	return DefaultMaxExceptionDuration
}

func (p *Policy) maxRenewals(r *Rule) int {
	switch {
	case r != nil && r.MaxRenewals != nil:
		return *r.MaxRenewals
	case p.MaxRenewals != nil:
		return *p.MaxRenewals
	}
	return DefaultMaxRenewals
}

func (p *Policy) approvers(r *Rule) []string {
	if r != nil && len(r.ExceptionApprovers) > 0 {
		return r.ExceptionApprovers
	}
	return p.ExceptionApprovers
}

func (p *Policy) separations() []Separation {
	if p.Separations == nil {
		return DefaultSeparations()
	}
	return p.Separations
}
