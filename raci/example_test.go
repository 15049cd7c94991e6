package raci_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

// exampleOrg is a small organisation for the examples: identity
// governance owns policy, the service desk provisions, finance approves,
// and a payment batch account whose owner has left.
func exampleOrg() *entitlement.Index {
	d := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	x, err := entitlement.NewIndex(&entitlement.Inventory{
		Parties: []entitlement.Party{
			{ID: "iam", Function: entitlement.IdentityGovernance},
			{ID: "desk", Function: entitlement.ITOperations},
			{ID: "finance", Function: entitlement.Business},
		},
		Entitlements: []entitlement.Entitlement{{
			ID: "erp:payment.release", Privileged: true, Risk: entitlement.RiskCritical,
			PolicyOwner: "iam", Fulfiller: "desk", ApprovalPath: []string{"finance", "iam"},
			RecertifyEvery: 90 * 24 * time.Hour,
		}},
		Identities: []entitlement.Identity{
			{ID: "ines", Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: "iam"},
			{ID: "hugo", Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: "desk"},
			{ID: "fiona", Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: "finance"},
			{ID: "carl", Kind: entitlement.Human, Status: entitlement.IdentityOffboarded, Team: "finance"},
			{ID: "svc-batch", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "carl",
				Credential: entitlement.Credential{Created: d("2026-09-01T00:00:00Z"), Expires: d("2026-12-01T00:00:00Z")},
				LastUsed:   d("2026-10-31T01:00:00Z"),
				Grants: []entitlement.Grant{{
					ID: "g-1", Entitlement: "erp:payment.release", State: entitlement.GrantActive,
					Approvals:   []entitlement.Approval{{By: "fiona", Stage: "finance"}},
					Provisioned: entitlement.Event{By: "hugo", At: d("2026-09-01T10:00:00Z")},
					Expires:     d("2026-12-01T00:00:00Z"),
				}},
			},
		},
	})
	if err != nil {
		panic(err)
	}
	return x
}

// exampleConfig assigns every activity, but lets the service desk own
// recertification.
func exampleConfig() raci.Config {
	one := func(a, r string) raci.Assignment {
		return raci.Assignment{Accountable: []string{a}, Responsible: []string{r}}
	}
	return raci.Config{Matrix: raci.Matrix{
		raci.DefinePolicy:     one("iam", "iam"),
		raci.ApproveRequest:   one("iam", "finance"),
		raci.ApproveException: one("iam", "iam"),
		raci.Provision:        one("desk", "desk"),
		raci.Revoke:           one("desk", "desk"),
		raci.Recertify:        one("desk", "desk"),
		raci.ReviewEmergency:  one("iam", "iam"),
		raci.OwnNHI:           one("iam", "desk"),
	}}
}

// Example walks the main flow: validate a RACI config against an
// inventory, check both at a fixed time, and print the findings.
func Example() {
	x := exampleOrg()
	c := exampleConfig()
	if err := c.Validate(x); err != nil {
		fmt.Println("invalid config:", err)
		return
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, f := range raci.Check(x, c, at) {
		fmt.Printf("%-8s %-35s %s\n", f.Severity, f.Kind, f.Subject)
	}
	// Output:
	// critical raci.orphaned-nhi                   identity svc-batch
	// high     raci.approval-stage-missing         grant g-1
	// high     raci.recertification-not-governed   matrix global
}

func ExampleCheck() {
	x := exampleOrg()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	fs := raci.Check(x, exampleConfig(), at)
	f := fs[0]
	fmt.Println(f.Kind, f.Subject)
	fmt.Println(f.Message)
	for _, e := range f.Evidence {
		fmt.Println("-", e)
	}
	for _, c := range f.Controls {
		fmt.Println("*", c)
	}
	// Output:
	// raci.orphaned-nhi identity svc-batch
	// service_account svc-batch is orphaned: it has no active owner and holds privileged access
	// - activity: own_nhi
	// - identity: svc-batch (service_account, active)
	// - owner: carl (human, offboarded)
	// * NIST CSF 2.0 GV.RR-02
	// * NIST SP 800-53 Rev. 5 AC-2
	// * OWASP NHI Top 10 2025 NHI1:2025
}

func ExampleCheckRules() {
	x := exampleOrg()
	fs := raci.CheckRules(x, []raci.RuleOwner{
		{Rule: "sod-payments", Owner: "iam"},
		{Rule: "sod-vendors"},
	})
	for _, f := range fs {
		fmt.Println(f.Kind, f.Subject, "-", f.Message)
	}
	// Output:
	// raci.no-owner rule sod-vendors - rule sod-vendors has no accountable owner: nobody decides who may hold it or answers for it
}

func ExampleOwners() {
	x := exampleOrg()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, o := range raci.Owners(x, exampleConfig(), at) {
		fmt.Println(o.Subject)
		for _, r := range o.Rows {
			fmt.Printf("  %-17s A=%s R=%s\n", r.Activity, strings.Join(r.Accountable, ","), strings.Join(r.Responsible, ","))
		}
		for _, ow := range o.Owners {
			fmt.Printf("  owner %s (%s)\n", ow.ID, ow.Status)
		}
		for _, g := range o.Gaps {
			fmt.Printf("  gap: %s\n", g.Kind)
		}
	}
	// Output:
	// entitlement erp:payment.release
	//   define_policy     A=iam R=iam
	//   approve_request   A=iam R=finance,iam
	//   approve_exception A=iam R=iam
	//   provision         A=desk R=desk
	//   revoke            A=desk R=desk
	//   recertify         A=desk R=desk
	//   review_emergency  A=iam R=iam
	//   own_nhi           A=iam R=desk
	//   gap: raci.recertification-not-governed
	// identity svc-batch
	//   own_nhi           A=iam R=desk
	//   owner carl (offboarded)
	//   gap: raci.orphaned-nhi
}

func ExampleConfig_Validate() {
	x := exampleOrg()
	c := exampleConfig()
	c.Matrix[raci.Revoke] = raci.Assignment{Accountable: []string{"security"}, Responsible: []string{"desk"}}
	c.Overrides = []raci.Override{{System: "crm", Matrix: raci.Matrix{raci.Revoke: {Accountable: []string{"desk"}}}}}
	for _, err := range entitlement.Errors(c.Validate(x)) {
		fmt.Println(err)
	}
	// Output:
	// raci matrix revoke: field accountable[0]: unknown reference: no party or person "security"
	// raci override system crm: field system: unknown reference: no entitlement belongs to system "crm"
}

func ExampleConfig_Resolve() {
	x := exampleOrg()
	c := exampleConfig()
	c.Overrides = []raci.Override{{Entitlement: "erp:payment.release", Matrix: raci.Matrix{
		raci.Recertify: {Accountable: []string{"iam"}, Responsible: []string{"finance"}},
	}}}
	m, _ := c.Resolve(x, "erp:payment.release")
	fmt.Println("approve_request responsible:", m[raci.ApproveRequest].Responsible)
	fmt.Println("recertify accountable:", m[raci.Recertify].Accountable)
	// Output:
	// approve_request responsible: [finance iam]
	// recertify accountable: [iam]
}

func ExampleParseActivity() {
	a, err := raci.ParseActivity("approve-exception")
	fmt.Println(a, err)
	_, err = raci.ParseActivity("approve")
	fmt.Println(err)
	// Output:
	// approve_exception <nil>
	// unknown activity "approve" (want define_policy, approve_request, approve_exception, provision, revoke, recertify, review_emergency, own_nhi)
}

func ExampleActivities() {
	for _, a := range raci.Activities() {
		fmt.Print(a, " ")
	}
	fmt.Println()
	// Output:
	// define_policy approve_request approve_exception provision revoke recertify review_emergency own_nhi
}

func ExamplePolicy_WithDefaults() {
	p := raci.Policy{MaxCredentialAge: 30 * 24 * time.Hour}.WithDefaults()
	fmt.Println(p.MaxCredentialAge, p.DormantAfter, p.RecertifyEvery, p.PrivilegedRecertifyEvery)
	fmt.Println(p.RecertificationOwners, p.Certifiers)
	// Output:
	// 720h0m0s 2160h0m0s 8760h0m0s 2160h0m0s
	// [identity_governance] [identity_governance business]
}

func ExampleOverride_Scope() {
	fmt.Println(raci.Override{System: "k8s"}.Scope())
	fmt.Println(raci.Override{Entitlement: "vault:secret.read"}.Scope())
	// Output:
	// system k8s
	// entitlement vault:secret.read
}

func ExampleMatrix_Clone() {
	m := raci.Matrix{raci.Revoke: {Accountable: []string{"desk"}}}
	c := m.Clone()
	c[raci.Revoke].Accountable[0] = "iam"
	fmt.Println(m[raci.Revoke].Accountable, c[raci.Revoke].Accountable)
	// Output:
	// [desk] [iam]
}

func ExampleKinds() {
	kinds := raci.Kinds()
	fmt.Println(len(kinds))
	for _, k := range kinds[:3] {
		fmt.Printf("%s (%s): %s\n", k.Kind, k.Severity, k.Title)
	}
	// Output:
	// 22
	// raci.application-reuse (medium): Non-human identity shared by applications
	// raci.approval-outside-path (high): Approval outside the approval path
	// raci.approval-stage-missing (medium): Approval stage missing
}

// ExampleActiveOwner asks whether each would-be owner can answer for what
// it owns: a person who left cannot, nor can a service account; a party
// can while an active person belongs to it.
func ExampleActiveOwner() {
	x := exampleOrg()
	for _, ref := range []string{"ines", "carl", "finance", "svc-batch", "ghost"} {
		fmt.Println(ref, raci.ActiveOwner(x, ref))
	}
	// Output:
	// ines true
	// carl false
	// finance true
	// svc-batch false
	// ghost false
}
