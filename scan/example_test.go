package scan_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
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
	// waiver 3
}

// ExampleRunWith scans the demo for separation of duties and lifecycle
// problems only, as a team that has no RACI matrix yet would, and gates
// on what is left.
func ExampleRunWith() {
	b, err := demo.Load()
	if err != nil {
		panic(err)
	}
	r, err := scan.RunWith(b, b.AsOf, scan.Options{Only: []string{"sod", "lifecycle"}, Skip: []string{"sod.duty-conflict"}})
	if err != nil {
		panic(err)
	}
	packages := map[string]bool{}
	for _, f := range r.Findings {
		pkg, _, _ := strings.Cut(string(f.Kind), ".")
		packages[pkg] = true
	}
	fmt.Println(packages, len(r.Kinds))
	// Output:
	// map[lifecycle:true sod:true] 21
}

// ExampleStreamWith streams the demo's files without the break-glass
// checks: the same report RunWith gives for them.
func ExampleStreamWith() {
	open := func() ([]bundle.Source, func(), error) { return demo.Sources(), func() {}, nil }
	opts := scan.Options{Skip: []string{"breakglass"}}
	streamed, err := scan.StreamWith(open, time.Time{}, opts)
	if err != nil {
		panic(err)
	}
	b, err := demo.Load()
	if err != nil {
		panic(err)
	}
	ran, err := scan.RunWith(b, b.AsOf, opts)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(streamed.Findings) == len(ran.Findings), slices.ContainsFunc(streamed.Findings, func(f audit.Finding) bool {
		return strings.HasPrefix(string(f.Kind), "breakglass.")
	}))
	// Output:
	// true false
}

// ExampleOptions_Validate checks names given on a command line before
// anything is read: every unknown name is reported, with the closest
// package or kind.
func ExampleOptions_Validate() {
	err := scan.Options{Only: []string{"sdo"}, Skip: []string{"raci.no-ownr"}}.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, scan.ErrUnknownCheck))
	// Output:
	// Only: unknown package or kind "sdo" (did you mean "sod"?)
	// Skip: unknown package or kind "raci.no-ownr" (did you mean "raci.no-owner"?)
	// true
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
	// raci.orphaned-nhi identity svc-payments-batch (Nightly payment run) → finance-ap
	// raci.orphaned-nhi identity key-report-export (Finance report export key) → finance-ap
}
