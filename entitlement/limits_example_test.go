package entitlement_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sodkit/sodkit/entitlement"
)

func ExampleCheckLength() {
	arn := "arn:aws:iam::123456789012:role/" + strings.Repeat("x", 3000)
	err := entitlement.CheckLength(arn, entitlement.MaxIDLength)
	fmt.Println(errors.Is(err, entitlement.ErrTooLong))
	fmt.Println(err)
	fmt.Println(entitlement.CheckLength("arn:aws:iam::123456789012:role/admin", entitlement.MaxIDLength))
	// Output:
	// true
	// too long: 3031 bytes, over the limit of 2048 (starts "arn:aws:iam::123456789012:role/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"…)
	// <nil>
}

// ExampleLengthError shows what validation reports about a 20 MB ID: the
// record by its position, the field, the length and the first bytes only.
func ExampleLengthError() {
	inv := &entitlement.Inventory{Identities: []entitlement.Identity{
		{ID: strings.Repeat("a", 20<<20), Kind: entitlement.Human, Status: entitlement.IdentityActive},
	}}
	err := inv.Validate()
	fmt.Println(err)
	if le, ok := errors.AsType[*entitlement.LengthError](err); ok {
		fmt.Println(le.Len, le.Limit, len(le.Prefix))
	}
	// Output:
	// identity #0: field id: too long: 20971520 bytes, over the limit of 2048 (starts "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"…)
	// 20971520 2048 64
}
