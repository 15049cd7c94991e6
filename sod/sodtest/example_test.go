package sodtest_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
	"github.com/sodkit/sodkit/sod/sodtest"
)

// at is the evaluation time of the examples: tests pass time explicitly.
var at = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

// exampleIndex is a tiny accounts-payable organisation: ann can create
// vendors and, as a supervisor, release payments; ben is a clerk, cat a
// supervisor, and mia requests access for others.
func exampleIndex() *entitlement.Index {
	grant := func(id, role string) entitlement.Grant {
		return entitlement.Grant{ID: id, Role: role, State: entitlement.GrantActive}
	}
	human := func(id string, grants ...entitlement.Grant) entitlement.Identity {
		return entitlement.Identity{ID: id, Kind: entitlement.Human, Status: entitlement.IdentityActive, Grants: grants}
	}
	x, err := entitlement.NewIndex(&entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{
			{ID: "erp:vendor.create"}, {ID: "erp:invoice.post"}, {ID: "erp:payment.release"},
		},
		Roles: []entitlement.Role{
			{ID: "clerk", Entitlements: []string{"erp:invoice.post"}},
			{ID: "supervisor", Entitlements: []string{"erp:payment.release"}, Inherits: []string{"clerk"}},
			{ID: "vendor-admin", Entitlements: []string{"erp:vendor.create"}},
		},
		Identities: []entitlement.Identity{
			human("ann", grant("g1", "vendor-admin"), grant("g2", "supervisor")),
			human("ben", grant("g3", "clerk")),
			human("cat", grant("g4", "supervisor")),
			human("mia"),
		},
	})
	if err != nil {
		panic(err)
	}
	return x
}

// examplePolicy keeps vendor maintenance apart from payment release.
var examplePolicy = sod.Config{
	Duties: []sod.Duty{
		{ID: "vendors", Name: "Maintain vendors", Entitlements: []string{"erp:vendor.create"}},
		{ID: "payments", Name: "Release payments", Entitlements: []string{"erp:payment.release"}},
	},
	Rules: []sod.Rule{{
		ID: "P2P-1", Title: "Create vendors and release payments", Severity: audit.Critical,
		Sides: []sod.Side{{Duty: "vendors"}, {Duty: "payments"}},
	}},
}

// The main flow of a test that guards an access model: the rule set must
// be sound against the catalogue, nobody may hold a toxic combination, and
// a grant about to be made must not create one. Here ann already holds
// one, so NoViolations fails and says why, down to the grants and roles
// that give her each side.
func Example() {
	x := exampleIndex()
	if err := sodtest.RuleSetValid(x, examplePolicy); err != nil {
		fmt.Println(err)
	}
	if err := sodtest.NoViolations(x, examplePolicy, at); err != nil {
		fmt.Println(err)
	}
	proposed := entitlement.Grant{ID: "g9", Role: "vendor-admin",
		Requested: entitlement.Event{By: "mia", At: at}, Approvals: []entitlement.Approval{{By: "ann", At: at}}}
	if err := sodtest.GrantAllowed(x, examplePolicy, "ben", proposed, at); err != nil {
		fmt.Println(err)
	}
	// Output:
	// sodtest.NoViolations at 2026-02-01T00:00:00Z: 1 failing finding
	//   critical sod.toxic-combination identity ann, rule P2P-1
	//     ann holds 2 of the 2 duties of rule P2P-1 (Create vendors and release payments): Maintain vendors + Release payments
	//     side Maintain vendors: entitlement erp:vendor.create via grant g1 → role vendor-admin → entitlement erp:vendor.create
	//     side Release payments: entitlement erp:payment.release via grant g2 → role supervisor → entitlement erp:payment.release
}

func ExampleNoViolations() {
	x := exampleIndex()
	err := sodtest.NoViolations(x, examplePolicy, at)
	var fe *sodtest.FindingsError
	if errors.As(err, &fe) {
		for _, f := range fe.Findings {
			fmt.Println(f.Kind, f.Subject, f.Rule)
		}
	}
	// Output:
	// sod.toxic-combination identity ann P2P-1
}

func ExampleGrantAllowed() {
	x := exampleIndex()
	// Ben is a clerk: giving him vendor administration is fine...
	vendors := entitlement.Grant{ID: "g9", Role: "vendor-admin",
		Requested: entitlement.Event{By: "mia", At: at}, Approvals: []entitlement.Approval{{By: "ann", At: at}}}
	fmt.Println(sodtest.GrantAllowed(x, examplePolicy, "ben", vendors, at))
	// ...but not when he approves his own request...
	vendors.Approvals = []entitlement.Approval{{By: "ben", At: at}}
	fmt.Println(sodtest.GrantAllowed(x, examplePolicy, "ben", vendors, at))
	// ...and cat, a supervisor who releases payments, must not maintain
	// vendors too.
	vendors.Approvals = []entitlement.Approval{{By: "ann", At: at}}
	fmt.Println(sodtest.GrantAllowed(x, examplePolicy, "cat", vendors, at))
	// Output:
	// <nil>
	// sodtest.GrantAllowed: granting role vendor-admin to ben (grant g9) at 2026-02-01T00:00:00Z: 1 failing finding
	//   critical sod.duty-conflict grant g9
	//     ben approved their own access (grant g9)
	//     identity: ben
	//     role: vendor-admin
	//     separation: holder ≠ approver (person)
	//     holder: ben
	//     approvals[0]: ben
	// sodtest.GrantAllowed: granting role vendor-admin to cat (grant g9) at 2026-02-01T00:00:00Z: 1 failing finding
	//   critical sod.toxic-combination identity cat, rule P2P-1
	//     cat holds 2 of the 2 duties of rule P2P-1 (Create vendors and release payments): Maintain vendors + Release payments
	//     side Maintain vendors: entitlement erp:vendor.create via grant g9 → role vendor-admin → entitlement erp:vendor.create
	//     side Release payments: entitlement erp:payment.release via grant g4 → role supervisor → entitlement erp:payment.release
}

func ExampleRuleSetValid() {
	x := exampleIndex()
	p := examplePolicy
	p.Rules = append(p.Rules, sod.Rule{ID: "P2P-2", Title: "Post invoices and release payments", Severity: audit.High,
		Sides: []sod.Side{
			{Name: "Post invoices", Entitlements: []string{"erp:invoice.post"}},
			{Name: "Release payments", Entitlements: []string{"erp:payment.release"}},
		}})
	fmt.Println(sodtest.RuleSetValid(x, p))
	// Output:
	// sodtest.RuleSetValid: 1 failing finding
	//   high sod.intra-role-conflict role supervisor, rule P2P-2
	//     role supervisor by itself holds 2 duties of rule P2P-2 (Post invoices and release payments): Post invoices + Release payments; everyone who receives it, directly or through a senior role, violates the rule
	//     side Post invoices: entitlement erp:invoice.post via role supervisor → role clerk → entitlement erp:invoice.post
	//     side Release payments: entitlement erp:payment.release via role supervisor → entitlement erp:payment.release
}

func ExampleDiffFindings() {
	x := exampleIndex()
	engine, _ := sod.Compile(x, examplePolicy)
	got := engine.Check(at)
	want := []audit.Finding{{
		Kind: sod.KindToxicCombination, Severity: audit.Critical, Rule: "P2P-1",
		Subject: audit.Subject{Type: "identity", ID: "ann"},
	}}
	fmt.Printf("%q\n", sodtest.DiffFindings(got, want))
	want[0].Severity = audit.High
	fmt.Println(sodtest.DiffFindings(got, want))
	// Output:
	// ""
	// findings differ (-want +got):
	// + critical sod.toxic-combination identity ann, rule P2P-1
	//       ann holds 2 of the 2 duties of rule P2P-1 (Create vendors and release payments): Maintain vendors + Release payments
	//       side Maintain vendors: entitlement erp:vendor.create via grant g1 → role vendor-admin → entitlement erp:vendor.create
	//       side Release payments: entitlement erp:payment.release via grant g2 → role supervisor → entitlement erp:payment.release
	// - high sod.toxic-combination identity ann, rule P2P-1
}

// In a test, pass t; here a Recorder stands in for it.
func ExampleAssertNoViolations() {
	t := new(sodtest.Recorder)
	ok := sodtest.AssertNoViolations(t, exampleIndex(), examplePolicy, at)
	fmt.Println(ok, len(t.Messages()))
	// Output:
	// false 1
}

func ExampleAssertGrantAllowed() {
	t := new(sodtest.Recorder)
	g := entitlement.Grant{ID: "REQ-1", Role: "vendor-admin",
		Requested: entitlement.Event{By: "mia", At: at}, Approvals: []entitlement.Approval{{By: "ann", At: at}}}
	ok := sodtest.AssertGrantAllowed(t, exampleIndex(), examplePolicy, "ben", g, at)
	fmt.Println(ok, t.Failed())
	// Output:
	// true false
}

func ExampleAssertRuleSetValid() {
	t := new(sodtest.Recorder)
	p := sod.Config{Rules: []sod.Rule{{ID: "OLD-1", Title: "Retired superuser",
		Sides: []sod.Side{{Name: "Superuser", Entitlements: []string{"erp:superuser"}}}}}}
	sodtest.AssertRuleSetValid(t, exampleIndex(), p)
	fmt.Println(t.Messages()[0])
	// Output:
	// sodtest.RuleSetValid: 1 failing finding
	//   critical sod.indeterminate rule OLD-1 (indeterminate)
	//     rule OLD-1 (Retired superuser) names 1 entitlement(s) or role(s) the catalogue does not know: identities holding them cannot be evaluated
	//     unresolved in side Superuser: entitlement erp:superuser
}

func ExampleAssertFindings() {
	t := new(sodtest.Recorder)
	engine, _ := sod.Compile(exampleIndex(), examplePolicy)
	sodtest.AssertFindings(t, engine.Lint(), nil)
	fmt.Println(t.Failed())
	// Output:
	// false
}

// A Recorder proves that a check catches a problem: the test fails if the
// assertion does not.
func ExampleRecorder() {
	rec := new(sodtest.Recorder)
	if sodtest.AssertNoViolations(rec, exampleIndex(), examplePolicy, at) {
		fmt.Println("the toxic combination went unnoticed")
	}
	fmt.Println(rec.Failed())
	// Output:
	// true
}

func ExampleFindingsError() {
	err := sodtest.GrantAllowed(exampleIndex(), examplePolicy, "ann", entitlement.Grant{ID: "g5", Role: "vendor-admin"}, at)
	fmt.Println(err) // ann already holds the combination; one more path to it adds nothing new

	err = sodtest.GrantAllowed(exampleIndex(), examplePolicy, "zed", entitlement.Grant{Role: "clerk"}, at)
	var fe *sodtest.FindingsError
	fmt.Println(errors.As(err, &fe), err)
	// Output:
	// <nil>
	// false sodtest.GrantAllowed: granting role clerk to zed (grant proposed-1) at 2026-02-01T00:00:00Z: invalid change: no identity "zed" in the inventory; add a joiner (with no grants) to it before asking about grants to them
}
