package scan_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/scan"
)

// ExampleKinds counts the kinds of finding a scan can report, by package.
func ExampleKinds() {
	count := map[string]int{}
	var order []string
	for _, k := range scan.Kinds() {
		pkg, _, _ := strings.Cut(string(k.Kind), ".")
		if count[pkg] == 0 {
			order = append(order, pkg)
		}
		count[pkg]++
	}
	for _, pkg := range order {
		fmt.Println(pkg, count[pkg])
	}
	// Output:
	// breakglass 14
	// import 1
	// lifecycle 9
	// raci 22
	// sod 13
}

// ExampleRun_owner shows who each finding goes to: svc-payments-batch's
// owner has left, so its findings go to its team.
func ExampleRun_owner() {
	b, err := demo.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := scan.Run(b, time.Time{}) // the demo's as_of
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Findings {
		if f.Kind == "raci.orphaned-nhi" || f.Kind == "breakglass.self-reviewed" {
			fmt.Printf("%s %s → %s\n", f.Kind, f.Subject, f.Owner)
		}
	}
	// Output:
	// breakglass.self-reviewed session bg-109 → security-ops
	// raci.orphaned-nhi identity svc-payments-batch → finance-ap
	// raci.orphaned-nhi identity key-report-export → finance-ap
}
