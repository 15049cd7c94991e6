package sodtest

import (
	"errors"
	"fmt"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

// errNoIndex is returned for a nil index: there is nothing to check
// against, and passing would hide that.
var errNoIndex = errors.New("no inventory index (nil *entitlement.Index)")

// errNoTime is returned for a zero evaluation time, which is almost always
// a time the test forgot to set: at the zero time no grant with a recorded
// start is in effect yet, so the check would pass without checking.
var errNoTime = errors.New("the evaluation time is zero; pass the time to check at")

// NoViolations runs every sod check (sod.Engine.Check) over the inventory
// indexed by x under policy p at at, and returns a *FindingsError holding
// every finding that fails a gate: toxic combinations and critical access
// of every identity, roles that are toxic by themselves, rules that cannot
// be evaluated, exceptions that stopped being exceptions, and maker-checker
// conflicts in grant and exception records. Violations covered by a valid
// exception are mitigated and pass.
//
// It returns another error when the check cannot run: x is nil, at is
// zero, or p does not compile.
func NoViolations(x *entitlement.Index, p sod.Config, at time.Time) error {
	const name = "sodtest.NoViolations"
	if at.IsZero() {
		return fmt.Errorf("%s: %w", name, errNoTime)
	}
	e, err := compile(name, x, p)
	if err != nil {
		return err
	}
	return failing(name+" at "+stamp(at), e.Check(at))
}

// AssertNoViolations reports the error of NoViolations through t.Errorf
// and returns whether the check passed.
func AssertNoViolations(t TB, x *entitlement.Index, p sod.Config, at time.Time) bool {
	t.Helper()
	return report(t, NoViolations(x, p, at))
}

// GrantAllowed asks whether granting g to the identity may go ahead at at,
// and returns a *FindingsError holding what denies it: the toxic
// combinations or critical access the grant would create, taking the
// identity's existing access into account, and maker-checker conflicts in
// the grant's own record — its requester, approvers and provisioner against
// the identity and each other (record them in g to have them checked).
// Findings that a valid exception mitigates do not deny; findings that
// cannot be evaluated do.
//
// It asks the same question, through the same code, as a service calling
// sod.Engine.Decide and as "sodkit whatif": the grant is evaluated as if it
// were made, whatever its State; a grant without an ID is named
// "proposed-1". GrantAllowed returns an error saying the check could not
// run — never a pass — when x is nil, at is zero, p does not compile, or
// the change is invalid (sod.ErrChange): an unknown identity (add a joiner
// to the inventory first), role, entitlement or actor, a revoked or expired
// grant, one that expires by at or was requested after it.
func GrantAllowed(x *entitlement.Index, p sod.Config, identity string, g entitlement.Grant, at time.Time) error {
	const name = "sodtest.GrantAllowed"
	if at.IsZero() {
		return fmt.Errorf("%s: %w", name, errNoTime)
	}
	e, err := compile(name, x, p)
	if err != nil {
		return err
	}
	id := g.ID
	if id == "" {
		id = "proposed-1"
	}
	typ, target := g.Target()
	what := fmt.Sprintf("%s: granting %s %s to %s (grant %s) at %s", name, typ, target, identity, id, stamp(at))
	d, err := e.Decide(sod.Change{Identity: identity, Grants: []entitlement.Grant{g}}, at)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if d.Allowed() {
		return nil
	}
	return &FindingsError{Check: what, Findings: d.Blocking()}
}

// AssertGrantAllowed reports the error of GrantAllowed through t.Errorf
// and returns whether the check passed.
func AssertGrantAllowed(t TB, x *entitlement.Index, p sod.Config, identity string, g entitlement.Grant, at time.Time) bool {
	t.Helper()
	return report(t, GrantAllowed(x, p, identity, g, at))
}

// RuleSetValid checks policy p on its own and against the catalogue
// indexed by x, without looking at anyone's access. It returns the
// structural errors of p.Validate (empty sides, bad K, duplicate IDs, …),
// or else a *FindingsError holding the failing findings of
// sod.Engine.Lint: rules naming entitlements or roles the catalogue does
// not know (indeterminate), rules whose sides overlap, and roles whose own
// content, after inheritance, violates a rule, so that everyone who
// receives them would. It fails when x is nil.
func RuleSetValid(x *entitlement.Index, p sod.Config) error {
	const name = "sodtest.RuleSetValid"
	e, err := compile(name, x, p)
	if err != nil {
		return err
	}
	return failing(name, e.Lint())
}

// AssertRuleSetValid reports the error of RuleSetValid through t.Errorf
// and returns whether the check passed.
func AssertRuleSetValid(t TB, x *entitlement.Index, p sod.Config) bool {
	t.Helper()
	return report(t, RuleSetValid(x, p))
}

func compile(name string, x *entitlement.Index, p sod.Config) (*sod.Engine, error) {
	if x == nil {
		return nil, fmt.Errorf("%s: %w", name, errNoIndex)
	}
	e, err := sod.Compile(x, p)
	if err != nil {
		return nil, fmt.Errorf("%s: the policy does not compile:\n%w", name, err)
	}
	return e, nil
}

func report(t TB, err error) bool {
	t.Helper()
	if err != nil {
		t.Errorf("%v", err)
		return false
	}
	return true
}

// stamp renders a time for messages: RFC 3339 in UTC, or "none".
func stamp(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.UTC().Format(time.RFC3339Nano)
}
