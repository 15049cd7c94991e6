package scan_test

import (
	"fmt"
	"time"

	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/scan"
	"github.com/sodkit/sodkit/sod"
)

// ExampleAnnotate gives the findings of a what-if decision the location,
// names and owner a scan gives its own, as "sodkit whatif" prints them.
func ExampleAnnotate() {
	b, err := demo.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	engine, err := sod.Compile(b.Index, b.SoD)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := engine.Decide(sod.Change{
		Identity: "alice",
		Grants:   []entitlement.Grant{{Entitlement: "erp:payment.release", State: entitlement.GrantActive}},
	}, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	scan.Annotate(b, d.Findings)
	for _, f := range d.Findings {
		fmt.Printf("%s %s rule %s (%s) at %s, owner %s\n", f.Kind, f.Subject, f.Rule, f.Status, f.Location, f.Owner)
	}
	// Output:
	// sod.toxic-combination identity alice (Alice Brandt) rule R-P2P-01 (open) at demo:inventory.json:573, owner fiona
	// sod.toxic-combination identity alice (Alice Brandt) rule R-P2P-03 (mitigated) at demo:inventory.json:573, owner fiona
}
