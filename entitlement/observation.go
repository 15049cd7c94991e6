package entitlement

import "time"

// Observation is access seen in a target system by a connector or export:
// the account of Identity held Entitlement when it was looked at (SeenAt).
// Observations are compared with grants to find drift. Unlike grants, they
// may name identities or entitlements the inventory does not know: that is
// itself a finding, not an error.
type Observation struct {
	Identity    string    // the account seen, normally an identity ID; required
	Entitlement string    // the entitlement it held, normally an entitlement ID; required
	SeenAt      time.Time // when it was seen; required
}

// Usage is one observed use of an identity's credentials, from sign-in or
// audit logs: when, by which application, in which environment, and, when
// a person was seen behind it, which person. Usage records feed the
// non-human identity hygiene checks (one identity used in several
// environments or by several applications; a person using a machine
// identity). Like observations, they may name identities the inventory does
// not know.
type Usage struct {
	Identity    string    // the identity whose credentials were used
	At          time.Time // when
	Application string    // the application or workload that used them, where known
	Environment string    // where they were used, for example "prod" or "test"
	Actor       string    // the person seen using them (an identity ID), where known
}
