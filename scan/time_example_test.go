package scan_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/scan"
)

// ExampleRun_evaluationTime shows what the evaluation time decides: the
// zero time evaluates an export as of its as_of, the same report on every
// run; a later time judges the same files as of that day; and a bundle
// that declares no as_of needs the time given.
func ExampleRun_evaluationTime() {
	b, err := demo.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	asOf, _ := scan.Run(b, time.Time{})
	fmt.Println("zero time:", asOf.EvaluatedAt.Format(time.DateOnly), "=", b.AsOf.Format(time.DateOnly))

	later, _ := scan.Run(b, b.AsOf.AddDate(1, 0, 0))
	fmt.Println("a year on, more findings:", len(later.Findings) > len(asOf.Findings))

	undated, _ := bundle.Load(bundle.Source{Name: "undated.json", Reader: strings.NewReader(`{"format": "sodkit.bundle/v1"}`)})
	_, err = scan.Run(undated, time.Time{})
	fmt.Println(errors.Is(err, scan.ErrNoTime))
	r, _ := scan.Run(undated, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	fmt.Println("given:", r.EvaluatedAt.Format(time.RFC3339))
	// Output:
	// zero time: 2026-11-01 = 2026-11-01
	// a year on, more findings: true
	// true
	// given: 2026-11-01T09:00:00Z
}
