package entitlement

import "time"

// GrantState is where a grant stands in its lifecycle, as the source system
// recorded it.
//
// The zero GrantState is unset; validation rejects it.
type GrantState uint8

// The grant states.
const (
	GrantRequested GrantState = iota + 1 // asked for, not yet approved
	GrantApproved                        // approved, not yet provisioned
	GrantActive                          // provisioned and in force (or eligible, for just-in-time grants)
	GrantRevoked                         // taken away
	GrantExpired                         // ran out
)

var grantStates = names[GrantState]{"grant state",
	[]string{"", "requested", "approved", "active", "revoked", "expired"}}

// String returns the state's name.
func (s GrantState) String() string { return grantStates.String(s) }

// Valid reports whether s is one of the named states.
func (s GrantState) Valid() bool { return grantStates.valid(s) }

// ParseGrantState parses a state name, case-insensitively.
func ParseGrantState(s string) (GrantState, error) { return grantStates.parse(s) }

// MarshalText encodes s as its name; the unset state cannot be encoded.
func (s GrantState) MarshalText() ([]byte, error) { return grantStates.marshal(s) }

// UnmarshalText decodes a state name.
func (s *GrantState) UnmarshalText(b []byte) (err error) {
	*s, err = grantStates.unmarshal(b)
	return err
}

// GrantSource is the path through which a grant was made.
//
// The zero GrantSource is unknown. Checks never treat an unknown source as
// the pre-approved standard path.
type GrantSource uint8

// The grant sources.
const (
	SourceStandard   GrantSource = iota + 1 // the normal request and approval path
	SourceException                         // an approved exception to policy
	SourceJustInTime                        // just-in-time (eligible, activated on demand)
	SourceBreakGlass                        // emergency access outside the normal path
)

var grantSources = names[GrantSource]{"grant source",
	[]string{"", "standard", "exception", "just_in_time", "break_glass"}}

// String returns the source's name, or "" when unknown.
func (s GrantSource) String() string { return grantSources.String(s) }

// Valid reports whether s is one of the named sources.
func (s GrantSource) Valid() bool { return grantSources.valid(s) }

// ParseGrantSource parses a source name, case-insensitively.
func ParseGrantSource(s string) (GrantSource, error) { return grantSources.parse(s) }

// MarshalText encodes s as its name; the unknown source cannot be encoded.
func (s GrantSource) MarshalText() ([]byte, error) { return grantSources.marshal(s) }

// UnmarshalText decodes a source name.
func (s *GrantSource) UnmarshalText(b []byte) (err error) {
	*s, err = grantSources.unmarshal(b)
	return err
}

// Event records who did one step of a grant's lifecycle and when. The zero
// Event means the step did not happen or was not recorded.
type Event struct {
	By string    // identity ID of the actor
	At time.Time // when it happened
}

// IsZero reports whether the event is unrecorded (no actor and no time).
func (e Event) IsZero() bool { return e.By == "" && e.At.IsZero() }

// Approval is one approval of a grant request. Stage names the party of the
// entitlement's approval path that this approval satisfies, where known.
type Approval struct {
	By    string    // identity ID of the approver; required
	At    time.Time // when it was approved; zero if not recorded
	Stage string    // party ID of the approval path's stage; "" if not recorded
}

// Activation is one use of an eligible (just-in-time) grant: the access is
// active from Start until End, half-open [Start, End). A zero End means the
// activation has not ended.
type Activation struct {
	Start time.Time // when the activation began; required
	End   time.Time // when it ended; zero while it runs
}

// Contains reports whether the activation is in force at at: Start <= at and,
// when End is set, at < End.
func (a Activation) Contains(at time.Time) bool {
	return !at.Before(a.Start) && (a.End.IsZero() || at.Before(a.End))
}

// Grant is one identity's hold on one entitlement or one role, with its
// lifecycle. Exactly one of Entitlement and Role is set. The identity is the
// one whose Grants list holds the grant.
//
// A grant is in effect at a time t (see InEffect) when its state is active,
// it has started (its StartTime is zero or not after t), it has not expired
// (Expires is zero or after t) and it has not been revoked (Revoked.At is zero
// or after t). The interval is half-open: a grant that starts exactly at t is
// in effect at t, one that expires exactly at t is not.
type Grant struct {
	ID          string // unique among all grants of the inventory; required
	Entitlement string // the entitlement granted directly, or ""
	Role        string // the role granted, or ""

	// State is where the grant stands in its lifecycle. Required: the zero
	// GrantState is unset, and validation rejects it.
	State GrantState
	// Eligible marks a just-in-time grant: the identity may activate the
	// access on demand but does not hold it standing. Static checks count
	// eligible grants; dynamic ones count only their activations.
	Eligible bool
	// Activations are the uses of an eligible grant; validation rejects
	// activations on a grant that is not eligible.
	Activations []Activation

	// Source is the path through which the grant was made. The zero
	// GrantSource is unknown, never taken for the pre-approved standard
	// path.
	Source GrantSource

	Requested   Event      // who asked for the grant and when
	Approvals   []Approval // who approved it and when
	Provisioned Event      // who set it up in the target system and when
	Revoked     Event      // who took it away and when
	Certified   Event      // the last recertification

	// Scope is the organisational scope the grant applies to, where the
	// target system has one (a company code, a business unit, a tenant).
	// Rules scoped to one org scope group holdings by it; an empty scope
	// counts as every scope.
	Scope string

	Ticket      string // the request or change ticket
	Reason      string // the business reason
	PolicyBasis string // the rule or template that allowed the grant

	Start   time.Time // when the access begins; zero means from provisioning
	Expires time.Time // when it ends; zero means it does not expire
}

// Target returns the grant's target: ("entitlement", id) or ("role", id).
// It returns two empty strings for a grant with neither set.
func (g Grant) Target() (typ, id string) {
	switch {
	case g.Role != "":
		return "role", g.Role
	case g.Entitlement != "":
		return "entitlement", g.Entitlement
	}
	return "", ""
}

// InEffect reports whether the grant confers access at at (standing or, for
// an eligible grant, available for activation). See the Grant documentation
// for the exact rule.
func (g Grant) InEffect(at time.Time) bool {
	if g.State != GrantActive {
		return false
	}
	if start := g.StartTime(); !start.IsZero() && at.Before(start) {
		return false
	}
	if !g.Expires.IsZero() && !at.Before(g.Expires) {
		return false
	}
	if !g.Revoked.At.IsZero() && !at.Before(g.Revoked.At) {
		return false
	}
	return true
}

// ActiveAt reports whether the grant's access is actually active at at: the
// grant is in effect and, if it is eligible, one of its activations contains
// at.
func (g Grant) ActiveAt(at time.Time) bool {
	if !g.InEffect(at) {
		return false
	}
	if !g.Eligible {
		return true
	}
	for _, a := range g.Activations {
		if a.Contains(at) {
			return true
		}
	}
	return false
}

// StartTime returns when the grant's access begins: Start, or Provisioned.At
// when Start is zero. It is zero when neither is recorded, and the grant is
// then taken to have begun before any time of interest.
func (g Grant) StartTime() time.Time {
	if !g.Start.IsZero() {
		return g.Start
	}
	return g.Provisioned.At
}

// Duration returns the grant's planned length, Expires minus StartTime, and
// false when either end is unknown.
func (g Grant) Duration() (time.Duration, bool) {
	start := g.StartTime()
	if start.IsZero() || g.Expires.IsZero() {
		return 0, false
	}
	return g.Expires.Sub(start), true
}
