package sod_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

// exampleIndex is a tiny accounts-payable organisation.
func exampleIndex() *entitlement.Index {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	grant := func(id, role string) entitlement.Grant {
		return entitlement.Grant{ID: id, Role: role, State: entitlement.GrantActive,
			Requested: entitlement.Event{By: "mia", At: at}, Approvals: []entitlement.Approval{{By: "ivan", At: at}},
			Provisioned: entitlement.Event{By: "hal", At: at}}
	}
	human := func(id, team string, grants ...entitlement.Grant) entitlement.Identity {
		return entitlement.Identity{ID: id, Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: team, Grants: grants}
	}
	inv := entitlement.Inventory{
		Parties: []entitlement.Party{{ID: "iam"}, {ID: "finance"}},
		Entitlements: []entitlement.Entitlement{
			{ID: "erp:vendor.create"}, {ID: "erp:invoice.post"}, {ID: "erp:payment.release"},
		},
		Roles: []entitlement.Role{
			{ID: "clerk", Entitlements: []string{"erp:invoice.post"}},
			{ID: "supervisor", Entitlements: []string{"erp:payment.release"}, Inherits: []string{"clerk"}},
			{ID: "vendor-admin", Entitlements: []string{"erp:vendor.create"}},
		},
		Identities: []entitlement.Identity{
			human("ivan", "iam"), human("mia", "finance"), human("hal", ""),
			human("ann", "finance", grant("g1", "vendor-admin"), grant("g2", "supervisor")),
			human("ben", "finance", grant("g3", "clerk")),
		},
	}
	x, err := entitlement.NewIndex(&inv)
	if err != nil {
		panic(err)
	}
	return x
}

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

// The main flow: compile a policy against an inventory once, then check.
func Example() {
	x := exampleIndex()
	engine, err := sod.Compile(x, examplePolicy)
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range engine.Check(at) {
		fmt.Println(f.Severity, f.Kind, f.Subject)
		for _, e := range f.Evidence {
			fmt.Println("  ", e)
		}
	}
	// Output:
	// critical sod.toxic-combination identity ann
	//    side Maintain vendors: entitlement erp:vendor.create via grant g1 → role vendor-admin → entitlement erp:vendor.create
	//    side Release payments: entitlement erp:payment.release via grant g2 → role supervisor → entitlement erp:payment.release
}

func ExampleCompile() {
	_, err := sod.Compile(exampleIndex(), sod.Config{Rules: []sod.Rule{{ID: "R1", K: 3, Sides: []sod.Side{{Entitlements: []string{"erp:invoice.post"}}}}}})
	fmt.Println(err)
	// Output:
	// rule R1: field k: invalid value: k = 3, want 1 to 1 (the number of sides)
}

func ExampleEngine_CheckIdentity() {
	engine, _ := sod.Compile(exampleIndex(), examplePolicy)
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	// An identity streamed from elsewhere, not in the index.
	carl := entitlement.Identity{ID: "carl", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive,
		Grants: []entitlement.Grant{
			{ID: "c1", Entitlement: "erp:vendor.create", State: entitlement.GrantActive},
			{ID: "c2", Entitlement: "erp:payment.release", State: entitlement.GrantActive},
		}}
	for _, f := range engine.CheckIdentity(carl, at) {
		fmt.Println(f.Message)
		fmt.Println(f.Controls)
	}
	// Output:
	// carl holds 2 of the 2 duties of rule P2P-1 (Create vendors and release payments): Maintain vendors + Release payments
	// [NIST CSF 2.0 PR.AA-05 NIST SP 800-53 Rev. 5 AC-5 NIST SP 800-53 Rev. 5 AC-6 OWASP NHI Top 10 2025 NHI5:2025]
}

func ExampleEngine_WhatIf() {
	engine, _ := sod.Compile(exampleIndex(), examplePolicy)
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	// Would giving ben vendor administration create a toxic combination?
	added, err := engine.WhatIf(sod.Change{
		Identity: "ben",
		Grants:   []entitlement.Grant{{ID: "proposed", Role: "vendor-admin", State: entitlement.GrantActive}},
	}, at)
	fmt.Println(len(added), err)
	// Would letting the clerk role create vendors? Ben (a clerk) still
	// cannot release payments, and Ann's existing violation gains no new
	// member, but the supervisor role, which inherits clerk, becomes toxic
	// by design.
	added, _ = engine.WhatIf(sod.Change{RoleEntitlements: map[string][]string{"clerk": {"erp:vendor.create"}}}, at)
	for _, f := range added {
		fmt.Println(f.Kind, f.Subject)
	}
	// Output:
	// 0 <nil>
	// sod.intra-role-conflict role supervisor
}

func ExampleEngine_Decide() {
	engine, _ := sod.Compile(exampleIndex(), examplePolicy)
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	// Mia requests vendor administration for ben, and ben approves it
	// himself. The proposal has no state yet: it is evaluated as if it
	// were made.
	d, err := engine.Decide(sod.Change{
		Identity: "ben",
		Grants: []entitlement.Grant{{ID: "REQ-7", Role: "vendor-admin",
			Requested: entitlement.Event{By: "mia", At: at}, Approvals: []entitlement.Approval{{By: "ben", At: at}}}},
	}, at)
	fmt.Println(d.Verdict, d.Allowed(), err)
	for _, r := range d.Reasons {
		fmt.Println(r)
	}
	// A typo is an error, never an allow.
	_, err = engine.Decide(sod.Change{Identity: "ben", Grants: []entitlement.Grant{{ID: "REQ-8", Role: "vendor-admn"}}}, at)
	fmt.Println(errors.Is(err, sod.ErrChange))
	// Output:
	// deny false <nil>
	// sod.duty-conflict: ben approved their own access (grant REQ-7)
	// true
}

func ExampleEngine_Lint() {
	policy := sod.Config{Rules: []sod.Rule{
		{ID: "R1", Title: "Post and release", Sides: []sod.Side{
			{Entitlements: []string{"erp:invoice.post"}}, {Entitlements: []string{"erp:payment.release"}}}},
		{ID: "R2", Title: "Retired superuser", Sides: []sod.Side{{Entitlements: []string{"erp:superuser"}}}},
	}}
	engine, _ := sod.Compile(exampleIndex(), policy)
	for _, f := range engine.Lint() {
		fmt.Println(f.Kind, f.Subject, f.Status)
	}
	// Output:
	// sod.indeterminate rule R2 indeterminate
	// sod.intra-role-conflict role supervisor open
}

func ExamplePolicy_WithDefaults() {
	p := sod.Policy{ExceptionApprovers: []string{"iam"}}.WithDefaults()
	fmt.Println(p.MaxExceptionDuration, *p.MaxRenewals, len(p.Separations))
	// Output:
	// 2160h0m0s 1 8
}

func ExampleConfig_Validate() {
	p := sod.Config{Rules: []sod.Rule{{ID: "R1"}, {ID: "R1", Sides: []sod.Side{{}}}}}
	for _, err := range entitlement.Errors(p.Validate()) {
		fmt.Println(err)
	}
	// Output:
	// rule R1: field sides: required: a rule needs at least one side
	// rule R1: field id: duplicate: rule "R1" defined twice
	// rule R1: field sides[0]: required: an empty side (no duty, entitlement or role)
}

func ExampleRule_Need() {
	pair := sod.Rule{Sides: make([]sod.Side, 2)}
	ssd := sod.Rule{K: 2, Sides: make([]sod.Side, 3)}
	fmt.Println(pair.Need(), ssd.Need(), ssd.Critical())
	// Output: 2 2 false
}

func ExampleException_InForce() {
	x := sod.Exception{
		ValidFrom:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		ValidUntil: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
	}
	fmt.Println(x.InForce(x.ValidFrom), x.InForce(x.ValidUntil.Add(-time.Nanosecond)), x.InForce(x.ValidUntil))
	// Output: true true false
}

func ExampleDefaultSeparations() {
	for _, s := range sod.DefaultSeparations() {
		fmt.Println(s.A, "≠", s.B, s.Team)
	}
	// Output:
	// holder ≠ approver false
	// holder ≠ provisioner false
	// requester ≠ approver false
	// requester ≠ provisioner false
	// approver ≠ provisioner false
	// approver ≠ approver false
	// exception_owner ≠ exception_approver false
	// rule_owner ≠ exception_approver true
}

func ExampleParseActor() {
	a, err := sod.ParseActor("provisioner")
	fmt.Println(a, err)
	_, err = sod.ParseActor("boss")
	fmt.Println(err != nil)
	// Output:
	// provisioner <nil>
	// true
}

func ExampleParseScope() {
	s, _ := sod.ParseScope("environment")
	fmt.Println(s)
	// Output: environment
}

// ExampleKinds lists sod's kinds of finding with their default severity.
// A violation is reported at its rule's severity, so those kinds default
// to critical, the severity of a rule that sets none.
func ExampleKinds() {
	for _, k := range sod.Kinds()[:4] {
		fmt.Printf("%s (%s): %s\n", k.Kind, k.Severity, k.Title)
	}
	// Output:
	// sod.critical-access (critical): Critical access
	// sod.duty-conflict (high): Duty conflict
	// sod.exception-expired (low): Exception expired
	// sod.exception-no-expiry (high): Exception without end date
}
