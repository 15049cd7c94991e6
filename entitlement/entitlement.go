package entitlement

import (
	"strings"
	"time"
)

// Risk is an entitlement's assessed risk level.
//
// The zero Risk is unassessed. Checks treat an unassessed entitlement like a
// high-risk one (they fail closed); see Risk.AtLeast.
type Risk uint8

// The risk levels, in increasing order.
const (
	RiskLow Risk = iota + 1
	RiskMedium
	RiskHigh
	RiskCritical
)

var risks = names[Risk]{"risk", []string{"", "low", "medium", "high", "critical"}}

// String returns "low", "medium", "high", "critical", or "" when unassessed.
func (r Risk) String() string { return risks.String(r) }

// Valid reports whether r is an assessed risk level.
func (r Risk) Valid() bool { return risks.valid(r) }

// AtLeast reports whether r is at least min. An unassessed risk counts as
// high: it is at least low, medium and high, but not critical.
func (r Risk) AtLeast(min Risk) bool {
	if r == 0 {
		r = RiskHigh
	}
	return r >= min
}

// ParseRisk parses a risk name, case-insensitively.
func ParseRisk(s string) (Risk, error) { return risks.parse(s) }

// MarshalText encodes r as its name; an unassessed risk cannot be encoded.
func (r Risk) MarshalText() ([]byte, error) { return risks.marshal(r) }

// UnmarshalText decodes a risk name.
func (r *Risk) UnmarshalText(b []byte) (err error) {
	*r, err = risks.unmarshal(b)
	return err
}

// Entitlement is one grantable permission in one system.
//
// Its ID is system-qualified, "system:name" (for example
// "erp:vendor.create"); System, when set, must equal the part before the
// first colon. Party fields hold party IDs.
type Entitlement struct {
	ID          string // "system:name", unique among entitlements; required
	System      string // defaults to the ID's prefix
	Name        string // a name for people
	Description string // what the entitlement allows, for people
	// Risk is the assessed risk level. The zero Risk is unassessed, and
	// checks treat it as high.
	Risk Risk
	// Privileged marks administrative or otherwise privileged access:
	// grants of it must be time-bound, and findings about it rate higher.
	Privileged bool
	// Environment is the environment the entitlement acts in ("prod",
	// "test"), where the catalogue records one. Rules scoped to one
	// environment group holdings by it.
	Environment string

	// PolicyOwner is the party (identity governance side) that defines who
	// may hold the entitlement.
	PolicyOwner string
	// Fulfiller is the party (IT operations side) that provisions it.
	Fulfiller string
	// ApprovalPath lists the parties whose approval a request needs, in
	// order.
	ApprovalPath []string

	// Standard marks a pre-approved, low-risk entitlement that may be
	// granted through the standard request path without escalation.
	Standard bool

	// MaxDuration bounds time-bound grants of this entitlement; zero sets
	// no maximum (privileged and just-in-time grants must still expire).
	MaxDuration time.Duration
	// RecertifyEvery is how often holders must be recertified; zero means
	// the entitlement sets no interval of its own.
	RecertifyEvery time.Duration
}

// SystemOf returns the system part of a system-qualified entitlement ID (the
// text before the first colon), or "" if the ID has no colon.
func SystemOf(id string) string {
	sys, _, ok := strings.Cut(id, ":")
	if !ok {
		return ""
	}
	return sys
}

// SystemName returns e.System, or the system part of e.ID when System is
// empty.
func (e Entitlement) SystemName() string {
	if e.System != "" {
		return e.System
	}
	return SystemOf(e.ID)
}
