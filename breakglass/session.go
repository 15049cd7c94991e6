package breakglass

import (
	"time"

	"github.com/sodkit/sodkit/entitlement"
)

// Session is one use of the emergency path: who used it, what it gave them,
// why, when it started and was meant to end, and how it was reviewed.
//
// A session grants access through an emergency Account (a firefighter ID
// the user checks out), through the entitlements it lists (an emergency
// elevation of the user's own identity), or both. The access is active on
// the half-open interval [Start, End): a zero End means the session has not
// ended.
//
// Party and identity fields hold IDs from the inventory; Account holds the
// ID of one of the Config's accounts. The zero Session is invalid: it names
// no identity and no start (Config.Validate reports it, and Check reports
// it as a finding rather than passing it).
type Session struct {
	// ID is the session's ID, unique among the Config's sessions.
	// Required.
	ID string
	// Identity is the person (or non-human identity) who used the
	// emergency access.
	Identity string
	// Account is the emergency account used, or "" when the session
	// elevated Identity itself.
	Account string
	// Entitlements lists the entitlements the session conferred, in
	// addition to whatever Account holds.
	Entitlements []string

	// ReasonCode classifies the emergency ("incident", "outage", …).
	ReasonCode string
	// Justification is the user's free-text reason.
	Justification string
	// Ticket is the incident or change reference.
	Ticket string

	// Requested records who asked for the session and when.
	Requested entitlement.Event
	// Approved records who approved it and when, where policy requires
	// approval (see Policy.ApprovalRequired).
	Approved entitlement.Event

	Start      time.Time // when the access began; required
	PlannedEnd time.Time // when it was meant to end; zero if never planned
	End        time.Time // when it actually ended; zero while still active

	// Controllers names who must review the session: identity IDs, or
	// party IDs whose members may review. Empty means the account's
	// controllers, or else the policy's.
	Controllers []string
	// Review is the controllers' after-the-fact review; zero if none yet.
	Review Review

	// CredentialsRotated is when the emergency account's credentials were
	// rotated after the session; zero if not recorded. A rotation before
	// End does not count.
	CredentialsRotated time.Time
}

// ActiveAt reports whether the session's access is active at t: Start is
// set and not after t, and End is zero or after t. A session that ends
// exactly at t is no longer active at t.
func (s Session) ActiveAt(t time.Time) bool {
	return !s.Start.IsZero() && !s.Start.After(t) && (s.End.IsZero() || t.Before(s.End))
}

// endedBy reports whether the session had ended at or before t.
func (s Session) endedBy(t time.Time) bool { return !s.End.IsZero() && !s.End.After(t) }
