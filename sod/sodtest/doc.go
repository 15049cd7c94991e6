// Package sodtest helps tests — in this repository and in others — check
// an access model against a separation-of-duties policy, the way
// net/http/httptest helps them test handlers and testing/fstest file
// systems. A platform team keeps its role catalogue as code; a test built on
// sodtest fails when a change to it creates a toxic combination, lets
// someone approve their own request, or leaves a rule unable to evaluate.
//
// It links no testing package: it is ordinary library code that only tests
// import.
//
// # Checkers
//
// Each checker returns nil when the check passes and an error saying why
// when it does not, so it fits any test framework and any assertion style:
//
//   - NoViolations runs every sod check over an inventory at a time.
//   - GrantAllowed asks whether one proposed grant would add a failing
//     finding: a toxic combination, critical access, or a maker-checker
//     conflict among its requester, approvers and provisioner.
//   - RuleSetValid checks a policy's structure and lints it against the
//     catalogue: rules naming unknown entitlements or roles, overlapping
//     sides, and roles that are toxic by themselves.
//   - DiffFindings compares findings with the findings a test expects and
//     returns the difference, or "" when they match.
//
// When findings make a check fail, the error is a *FindingsError holding
// them; its message shows each finding's severity, kind, subject (the
// identity, role or grant) and rule, and its evidence, including the path
// that explains the access (grant → role → entitlement). Any other error
// means the check could not run: a policy that does not compile, an
// identity the inventory does not know. Both fail a test.
//
// # Assertions
//
// The Assert functions wrap the checkers for tests: each takes a TB —
// *testing.T, *testing.B, *testing.F, a testify suite's T(), or a Recorder —
// reports a failure with Errorf, marks itself a helper so the failure points
// at the caller's line, and returns whether the check passed.
//
// A Recorder is a TB that keeps failures instead of reporting them, for
// tests that prove a check catches a problem: pass it where t would go,
// then look at what it recorded.
//
// # Time
//
// Every checker takes the evaluation time explicitly. Nothing reads the
// clock, so a test gives the same answer every day it runs; pick a fixed
// time, or the as-of time of the export under test.
package sodtest
