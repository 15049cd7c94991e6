//go:build !race

package audit_test

// raceBuild reports whether the tests run under the race detector (see
// race_test.go).
const raceBuild = false
