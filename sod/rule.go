package sod

import (
	"fmt"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// Duty is a business activity expressed as a set of entitlements and roles
// (SAP GRC calls it a function): "maintain vendor master", "release
// payments". Rules combine duties into toxic combinations. An identity
// performs a duty when its effective access includes any of the duty's
// entitlements or roles (roles count when held directly or through
// inheritance).
type Duty struct {
	ID           string   // unique among duties; required
	Name         string   // labels the duty's sides in findings; the ID when empty
	Description  string   // what the duty is, for people
	Entitlements []string // IDs of entitlements that perform the duty
	Roles        []string // IDs of roles that perform the duty, held directly or through inheritance
}

// Side is one side of a rule: either a reference to a Duty (Duty set,
// Entitlements and Roles empty) or an inline duty listing its entitlements
// and roles, named by Name.
type Side struct {
	Duty         string   // the ID of the duty the side is, or "" for an inline side
	Name         string   // labels the side in findings; empty means the duty's name, else "side N"
	Entitlements []string // an inline side's entitlement IDs
	Roles        []string // an inline side's role IDs
}

// Scope limits where a rule's sides must be held to count together.
//
// The zero Scope is ScopeIdentity: the sides may be held anywhere by the
// same identity, the widest (and strictest) reading.
type Scope uint8

// The rule scopes.
const (
	// ScopeIdentity: any sides the identity holds count together.
	ScopeIdentity Scope = iota
	// ScopeSystem: only sides held within one and the same system count
	// together (the system of each entitlement; a role held as a side
	// member counts in every system).
	ScopeSystem
	// ScopeOrg: only sides held in the same org scope count together (the
	// Scope of the grant conferring each; an unscoped grant counts in
	// every org scope).
	ScopeOrg
	// ScopeEnvironment: only sides held in the same environment count
	// together (the Environment of each entitlement; an entitlement
	// without one counts in every environment).
	ScopeEnvironment
)

var scopeNames = [...]string{"identity", "system", "org", "environment"}

// String returns "identity", "system", "org" or "environment".
func (s Scope) String() string {
	if int(s) < len(scopeNames) {
		return scopeNames[s]
	}
	return fmt.Sprintf("scope(%d)", uint8(s))
}

// ParseScope parses a scope name; "" is ScopeIdentity.
func ParseScope(s string) (Scope, error) {
	if s == "" {
		return ScopeIdentity, nil
	}
	for i, n := range scopeNames {
		if s == n {
			return Scope(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown rule scope %q (want identity, system, org or environment)", entitlement.ErrInvalid, s)
}

// MaxSides bounds the number of sides of one rule.
const MaxSides = 64

// Rule is a toxic combination: an identity violates it when its effective
// access touches at least K of its sides. One shape covers pairs (K=2 of 2),
// multi-duty risks (3 of 3), NIST RBAC static separation-of-duty sets (K of
// N, one role per side; inherited roles count) and critical access (1 of 1).
//
// The zero K means "every side". A Dynamic rule (NIST dynamic SoD) counts
// only access that is active at the evaluation time: standing grants and
// activated just-in-time grants; a static rule also counts eligible
// just-in-time grants. Severity's zero value is Critical.
type Rule struct {
	ID          string // unique among rules; required
	Title       string // names the rule in findings, for people
	Description string // what the rule guards against, for people
	// Severity is the severity of the rule's violations. The zero
	// Severity is Critical.
	Severity audit.Severity
	// Controls are cited in addition to the defaults of the finding kind.
	Controls []audit.Control
	// Sides are the duties combined, at least one and at most MaxSides.
	Sides []Side
	// K is how many sides an identity must touch to violate the rule,
	// from 1 to len(Sides). The zero K means every side.
	K int
	// Scope limits where the sides must be held to count together. The
	// zero Scope is ScopeIdentity, the widest reading.
	Scope Scope
	// Dynamic makes the rule count only access active at the evaluation
	// time (NIST dynamic SoD), not eligible just-in-time grants.
	Dynamic bool
	// Owner is the party accountable for the rule.
	Owner string
	// ExceptionApprovers are the parties whose members may approve
	// exceptions to the rule; empty means the policy's default approvers.
	ExceptionApprovers []string
	// MaxExceptionDuration caps the validity of one exception to this
	// rule; zero means the policy's default.
	MaxExceptionDuration time.Duration
	// MaxRenewals caps how often an exception to this rule may be
	// renewed; nil means the policy's default.
	MaxRenewals *int
}

// Need returns how many sides an identity must touch to violate the rule:
// K, or the number of sides when K is zero.
func (r Rule) Need() int {
	if r.K == 0 {
		return len(r.Sides)
	}
	return r.K
}

// Critical reports whether the rule flags a single duty by itself (K = 1).
func (r Rule) Critical() bool { return r.Need() == 1 }
