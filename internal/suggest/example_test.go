package suggest_test

import (
	"fmt"

	"github.com/sodkit/sodkit/internal/suggest"
)

func ExampleHint() {
	members := []string{"id", "name", "risk", "privileged", "policy_owner"}
	fmt.Printf("unknown field %q%s\n", "privilaged", suggest.Hint("privilaged", members))
	fmt.Printf("unknown field %q%s\n", "colour", suggest.Hint("colour", members))
	// Output:
	// unknown field "privilaged" (did you mean "privileged"?)
	// unknown field "colour"
}

func ExampleClosest() {
	flags := []string{"fail-on", "format", "baseline", "at"}
	fmt.Println(suggest.Closest("fial-on", flags))
	fmt.Println(suggest.Closest("formt", flags))
	// Output:
	// [fail-on]
	// [format]
}

func ExampleDistance() {
	fmt.Println(suggest.Distance("fial-on", "fail-on"), suggest.Distance("Expiry", "expires"))
	// Output:
	// 1 2
}
