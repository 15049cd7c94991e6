package entitlement

import "time"

// Observation is access seen in a target system by a connector or export:
// the account of Identity held Entitlement when it was looked at (SeenAt).
// Observations are compared with grants to find drift. Unlike grants, they
// may name identities or entitlements the inventory does not know: that is
// itself a finding, not an error.
type Observation struct {
	Identity    string
	Entitlement string
	SeenAt      time.Time
}
