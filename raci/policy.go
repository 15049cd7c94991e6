package raci

import (
	"slices"
	"time"

	"github.com/sodkit/sodkit/entitlement"
)

// The defaults that a zero Policy field stands for.
const (
	// DefaultMaxCredentialAge is how long a non-human identity's secret may
	// live without rotation.
	DefaultMaxCredentialAge = 90 * 24 * time.Hour
	// DefaultDormantAfter is how long a non-human identity may go unused
	// before it counts as dormant.
	DefaultDormantAfter = 90 * 24 * time.Hour
	// DefaultRecertifyEvery is the recertification interval of an
	// entitlement that sets none and is not privileged.
	DefaultRecertifyEvery = 365 * 24 * time.Hour
	// DefaultPrivilegedRecertifyEvery is the recertification interval of a
	// privileged entitlement that sets none.
	DefaultPrivilegedRecertifyEvery = 90 * 24 * time.Hour
)

// Policy holds the thresholds of the checks.
//
// The zero Policy means the documented defaults: every zero (or negative)
// duration stands for its Default constant, a nil RecertificationOwners for
// identity governance only, and a nil Certifiers for identity governance and
// business. WithDefaults returns the policy the checks apply.
type Policy struct {
	// MaxCredentialAge bounds the age of a non-human identity's secret,
	// counted from its last rotation, else from its creation.
	MaxCredentialAge time.Duration
	// DormantAfter is how long a non-human identity may go unused before
	// it counts as dormant.
	DormantAfter time.Duration
	// RecertifyEvery is the recertification interval of entitlements that
	// set none (entitlement.Entitlement.RecertifyEvery is zero) and are not
	// privileged.
	RecertifyEvery time.Duration
	// PrivilegedRecertifyEvery is the interval of privileged entitlements
	// that set none.
	PrivilegedRecertifyEvery time.Duration
	// RecertificationOwners lists the party functions that may be
	// Accountable for recertification. A person counts with the function of
	// their team.
	RecertificationOwners []entitlement.PartyFunction
	// Certifiers lists the party functions that may be Responsible for
	// recertification (perform the reviews).
	Certifiers []entitlement.PartyFunction
}

// WithDefaults returns p with every zero or negative duration replaced by
// its default and every nil function list by its default list. The
// returned policy shares no slice with p.
func (p Policy) WithDefaults() Policy {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&p.MaxCredentialAge, DefaultMaxCredentialAge)
	def(&p.DormantAfter, DefaultDormantAfter)
	def(&p.RecertifyEvery, DefaultRecertifyEvery)
	def(&p.PrivilegedRecertifyEvery, DefaultPrivilegedRecertifyEvery)
	if p.RecertificationOwners == nil {
		p.RecertificationOwners = []entitlement.PartyFunction{entitlement.IdentityGovernance}
	} else {
		p.RecertificationOwners = slices.Clone(p.RecertificationOwners)
	}
	if p.Certifiers == nil {
		p.Certifiers = []entitlement.PartyFunction{entitlement.IdentityGovernance, entitlement.Business}
	} else {
		p.Certifiers = slices.Clone(p.Certifiers)
	}
	return p
}

// recertifyEvery returns the interval that applies to e.
func (p Policy) recertifyEvery(e entitlement.Entitlement) time.Duration {
	switch {
	case e.RecertifyEvery > 0:
		return e.RecertifyEvery
	case e.Privileged:
		return p.PrivilegedRecertifyEvery
	}
	return p.RecertifyEvery
}
