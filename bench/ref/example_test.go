package ref_test

import (
	"bytes"
	"fmt"
	"log"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"

	"github.com/sodkit/sodkit/bench/ref"
)

// Example converts an inventory and its rules to the reference format,
// loads the file, compiles it and detects the violations at one time.
func Example() {
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	inv := &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{{ID: "erp:vendor.create"}, {ID: "erp:payment.release"}},
		Roles:        []entitlement.Role{{ID: "ap-clerk", Entitlements: []string{"erp:vendor.create"}}},
		Identities: []entitlement.Identity{
			{ID: "alice", Grants: []entitlement.Grant{
				{ID: "g1", Role: "ap-clerk", State: entitlement.GrantActive},
				{ID: "g2", Entitlement: "erp:payment.release", State: entitlement.GrantActive},
			}},
			{ID: "bob", Grants: []entitlement.Grant{
				{ID: "g3", Role: "ap-clerk", State: entitlement.GrantActive},
				// Released payments until the grant expired.
				{ID: "g4", Entitlement: "erp:payment.release", State: entitlement.GrantActive, Expires: at.AddDate(0, -1, 0)},
			}},
		},
	}
	rules := sod.Config{Rules: []sod.Rule{{ID: "P2P-01", Sides: []sod.Side{
		{Entitlements: []string{"erp:vendor.create"}},
		{Entitlements: []string{"erp:payment.release"}},
	}}}}

	var file bytes.Buffer
	if err := ref.Write(&file, inv, rules); err != nil {
		log.Fatal(err)
	}
	fmt.Print(file.String())

	w, err := ref.Load("world.ref", file.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	e := ref.Compile(w)
	vs, err := e.Detect(at)
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range vs {
		fmt.Printf("%s violates %s\n", w.IdentityID(int(v.Identity)), e.RuleID(v.Rule))
	}
	// Output:
	// sodkit-ref/1
	// e	erp:vendor.create
	// e	erp:payment.release
	// r	ap-clerk	1	erp:vendor.create	0
	// k	P2P-01	2	static	2
	// s	1	erp:vendor.create	0
	// s	1	erp:payment.release	0
	// i	alice
	// g	r	ap-clerk	a	standing	-	-	0
	// g	e	erp:payment.release	a	standing	-	-	0
	// i	bob
	// g	r	ap-clerk	a	standing	-	-	0
	// g	e	erp:payment.release	a	standing	-	1777593600000000000	0
	// alice violates P2P-01
}
