package scan_test

import (
	"fmt"
	"strings"

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
