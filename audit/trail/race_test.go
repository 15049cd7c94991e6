//go:build race

package trail_test

// raceBuild reports whether the tests run under the race detector, which
// slows the single-goroutine tamper matrix tenfold without adding anything:
// there the matrix runs its short form, and CI runs it in full without -race.
const raceBuild = true
