// Command role-catalogue checks a role catalogue kept as code against its
// separation-of-duties rules, the way its test does: no role and no
// joiner template may hold a toxic combination, and every rule must be
// able to evaluate against the catalogue. It prints "ok" and exits 0, or
// prints every problem with the path that explains it and exits 1.
//
// The pattern to copy is in catalogue_test.go; this command is the same
// check for a pre-commit hook or a CI step outside go test.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sodkit/sodkit/sod/sodtest"
)

func main() {
	os.Exit(run(os.Stdout, current(), time.Now()))
}

// run checks c at at and reports to w.
func run(w io.Writer, c catalogue, at time.Time) int {
	x, err := c.index()
	if err != nil {
		fmt.Fprintln(w, err)
		return 1
	}
	failed := false
	for _, err := range []error{sodtest.RuleSetValid(x, c.SoD), sodtest.NoViolations(x, c.SoD, at)} {
		if err != nil {
			fmt.Fprintln(w, err)
			failed = true
		}
	}
	if failed {
		return 1
	}
	fmt.Fprintf(w, "ok: %d roles and %d joiner templates obey %d rules\n", len(c.Roles), len(c.Jobs), len(c.SoD.Rules))
	return 0
}
