package lifecycle_test

import (
	"fmt"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/lifecycle"
)

// Example checks a small inventory: a privileged grant without expiry, a
// revoked grant whose access the ERP still shows, and an account nobody
// knows.
func Example() {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	inv := &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{
			{ID: "erp:invoice.post", Risk: entitlement.RiskMedium},
			{ID: "erp:payment.release", Risk: entitlement.RiskCritical, Privileged: true},
		},
		Identities: []entitlement.Identity{
			{ID: "bob", Kind: entitlement.Human, Status: entitlement.IdentityActive, Grants: []entitlement.Grant{
				{ID: "g-1", Entitlement: "erp:payment.release", State: entitlement.GrantActive,
					Approvals: []entitlement.Approval{{By: "fiona", At: at.AddDate(0, -6, 0)}},
					Reason:    "Payment runs", PolicyBasis: "tmpl-treasury"},
			}},
			{ID: "carl", Kind: entitlement.Human, Status: entitlement.IdentityOffboarded, Grants: []entitlement.Grant{
				{ID: "g-2", Entitlement: "erp:invoice.post", State: entitlement.GrantRevoked,
					Revoked: entitlement.Event{By: "fiona", At: at.AddDate(0, -1, 0)}},
			}},
			{ID: "fiona", Kind: entitlement.Human, Status: entitlement.IdentityActive},
		},
		Observations: []entitlement.Observation{
			{Identity: "carl", Entitlement: "erp:invoice.post", SeenAt: at.Add(-time.Hour)},
			{Identity: "temp-7", Entitlement: "erp:invoice.post", SeenAt: at.Add(-time.Hour)},
		},
	}
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range lifecycle.Check(x, at) {
		fmt.Printf("%s %s: %s\n", f.Severity, f.Kind, f.Message)
	}
	// Output:
	// high lifecycle.no-expiry: privileged grant g-1 to bob has no expiry
	// high lifecycle.revoked-still-present: carl (offboarded) still holds erp:invoice.post in the target system after its grant ended
	// high lifecycle.unexplained-access: account temp-7 holds erp:invoice.post in the target system but is not in the inventory
}

// ExampleCheck shows the boundary of a grant's expiry: at its expiry the
// grant is over, so it is no longer checked.
func ExampleCheck() {
	expires := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	inv := &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{{ID: "erp:report.view", Risk: entitlement.RiskLow, Standard: true}},
		Identities: []entitlement.Identity{{ID: "dana", Kind: entitlement.Human, Status: entitlement.IdentityActive,
			Grants: []entitlement.Grant{{ID: "g-1", Entitlement: "erp:report.view", State: entitlement.GrantActive,
				Source: entitlement.SourceStandard, PolicyBasis: "tmpl-reader", Expires: expires}}}},
	}
	x, _ := entitlement.NewIndex(inv)
	for _, at := range []time.Time{expires.Add(-time.Second), expires} {
		fs := lifecycle.Check(x, at)
		fmt.Println(at.Format(time.RFC3339), len(fs), "finding(s)")
		for _, f := range fs {
			fmt.Println(" ", f.Kind, f.Controls[0])
		}
	}
	// Output:
	// 2026-11-30T23:59:59Z 1 finding(s)
	//   lifecycle.missing-reason NIST CSF 2.0 PR.AA-05
	// 2026-12-01T00:00:00Z 0 finding(s)
}

// ExampleNewChecker runs the checks one identity at a time, as a program
// streaming a large inventory would, and gets what Check returns.
func ExampleNewChecker() {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	inv := &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{{ID: "erp:invoice.post", Risk: entitlement.RiskMedium}},
		Identities: []entitlement.Identity{
			{ID: "dora", Kind: entitlement.Human, Status: entitlement.IdentityDisabled, Grants: []entitlement.Grant{
				{ID: "g-1", Entitlement: "erp:invoice.post", State: entitlement.GrantActive,
					Reason: "AP clerk", PolicyBasis: "tmpl-finance-ap"}}},
		},
		Observations: []entitlement.Observation{{Identity: "ghost", Entitlement: "erp:invoice.post", SeenAt: at.Add(-time.Hour)}},
	}
	x, _ := entitlement.NewIndex(inv)
	k := lifecycle.NewChecker(x, at)
	for _, id := range inv.Identities {
		for _, f := range k.Identity(x.Holder(id)) {
			fmt.Println(f.Kind, f.Subject)
		}
	}
	for _, f := range k.Finish() { // sightings no identity explained
		fmt.Println(f.Kind, f.Subject)
	}
	// Output:
	// lifecycle.inactive-holder identity dora
	// lifecycle.unexplained-access account ghost
}

// ExampleKinds lists lifecycle's kinds of finding with their default
// severity and the controls every finding of the kind cites.
func ExampleKinds() {
	for _, k := range lifecycle.Kinds()[:3] {
		fmt.Printf("%s (%s): %s; %d control(s)\n", k.Kind, k.Severity, k.Title, len(k.Controls))
	}
	// Output:
	// lifecycle.escalation-skipped (high): Escalation skipped; 4 control(s)
	// lifecycle.inactive-holder (high): Inactive identity holds access; 4 control(s)
	// lifecycle.lookalike-id (medium): Look-alike IDs; 2 control(s)
}
