package breakglass

import (
	"slices"
	"time"
)

// The policy defaults: what a zero (or negative) Policy field means.
const (
	// DefaultMaxLength bounds a session when Policy.MaxLength is zero.
	DefaultMaxLength = 4 * time.Hour
	// DefaultReviewWithin is the review period after a session ends when
	// Policy.ReviewWithin is zero.
	DefaultReviewWithin = 3 * 24 * time.Hour
	// DefaultRotateWithin is the period after a session ends within which
	// its account's credentials must be rotated, when Policy.RotateWithin
	// is zero.
	DefaultRotateWithin = 24 * time.Hour
	// DefaultHabitWindow is the window over which habitual use is counted
	// when Policy.HabitWindow is zero.
	DefaultHabitWindow = 30 * 24 * time.Hour
	// DefaultMaxPerIdentity is how many sessions one identity may start in
	// the window when Policy.MaxPerIdentity is zero.
	DefaultMaxPerIdentity = 3
	// DefaultMaxPerEntitlement is how many sessions may confer one
	// entitlement in the window when Policy.MaxPerEntitlement is zero.
	DefaultMaxPerEntitlement = 5
)

// Policy says what makes emergency access acceptable.
//
// The zero Policy is the strict default, never "no restriction": every
// zero or negative duration or count means its documented default (there is
// no unlimited setting; choose a large value instead), a reason and a ticket
// are required, every session's account credentials must be rotated, and
// no entitlement needs prior approval. Lists hold IDs and are not modified.
type Policy struct {
	// MaxLength bounds a session's length, planned or actual (default
	// DefaultMaxLength). An entitlement's own MaxDuration, when shorter,
	// bounds the sessions that confer it.
	MaxLength time.Duration
	// ReviewWithin is how long after a session ends its review may take
	// (default DefaultReviewWithin). A review recorded exactly at the end
	// of the period is on time.
	ReviewWithin time.Duration
	// RotateWithin is how long after a session ends its account's
	// credentials may stay unrotated (default DefaultRotateWithin).
	RotateWithin time.Duration

	// ReasonOptional waives the rule that a session records a reason code
	// or a justification.
	ReasonOptional bool
	// TicketOptional waives the rule that a session records a ticket.
	TicketOptional bool

	// ApprovalRequired lists entitlement IDs whose emergency use needs an
	// approval, recorded no later than the session's start, by someone
	// other than the user and the requester.
	ApprovalRequired []string
	// RotationExempt lists accounts whose credentials need no rotation
	// after use (for example accounts whose credentials are issued per
	// session). Every other account's credentials must be rotated.
	RotationExempt []string
	// Controllers names the default reviewers (identity or party IDs) for
	// sessions that name none and use no account.
	Controllers []string

	// HabitWindow is the trailing window in which use is counted for
	// habitual use (default DefaultHabitWindow). At time t it holds the
	// sessions that started after t-HabitWindow and not after t.
	HabitWindow time.Duration
	// MaxPerIdentity is how many sessions one identity may start in the
	// window; more is habitual use (default DefaultMaxPerIdentity).
	MaxPerIdentity int
	// MaxPerEntitlement is how many sessions may confer one entitlement in
	// the window; more is habitual use (default DefaultMaxPerEntitlement).
	MaxPerEntitlement int
}

// WithDefaults returns p with every zero or negative duration and count
// replaced by its default, and its lists copied: the policy the checks
// apply.
func (p Policy) WithDefaults() Policy {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&p.MaxLength, DefaultMaxLength)
	def(&p.ReviewWithin, DefaultReviewWithin)
	def(&p.RotateWithin, DefaultRotateWithin)
	def(&p.HabitWindow, DefaultHabitWindow)
	if p.MaxPerIdentity <= 0 {
		p.MaxPerIdentity = DefaultMaxPerIdentity
	}
	if p.MaxPerEntitlement <= 0 {
		p.MaxPerEntitlement = DefaultMaxPerEntitlement
	}
	p.ApprovalRequired = slices.Clone(p.ApprovalRequired)
	p.RotationExempt = slices.Clone(p.RotationExempt)
	p.Controllers = slices.Clone(p.Controllers)
	return p
}
