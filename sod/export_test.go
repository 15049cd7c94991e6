package sod

// DecisionOf exposes the verdict rule to the tests of package sod_test.
var DecisionOf = decisionOf
