package sod

// DecisionOf exposes the verdict rule to the tests of package sod_test.
var DecisionOf = decisionOf

// ViolationFindings and DetectIdentity expose, for tests and benchmarks,
// the explained violations of every identity and the violations of one.
var (
	ViolationFindings = (*Engine).violationFindings
	DetectIdentity    = (*Engine).detectIdentity
)
