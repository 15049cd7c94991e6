package entitlement_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/sodkit/sodkit/entitlement"
)

// Example builds a small inventory in Go, validates it into an index, and
// asks what an identity holds and why.
func Example() {
	inv := &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{
			{ID: "erp:vendor.create", Risk: entitlement.RiskHigh},
			{ID: "erp:payment.release", Risk: entitlement.RiskCritical, Privileged: true},
		},
		Roles: []entitlement.Role{
			{ID: "ap-clerk", Entitlements: []string{"erp:vendor.create"}},
			{ID: "ap-supervisor", Inherits: []string{"ap-clerk"}, Entitlements: []string{"erp:payment.release"}},
		},
		Identities: []entitlement.Identity{{
			ID: "alice", Kind: entitlement.Human, Status: entitlement.IdentityActive,
			Grants: []entitlement.Grant{{ID: "g-1", Role: "ap-supervisor", State: entitlement.GrantActive}},
		}},
	}
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		fmt.Println(err)
		return
	}
	access, err := x.EffectiveAccess("alice", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range access.Entitlements {
		fmt.Println(h.ID, "via", h.Paths[0])
	}
	// Output:
	// erp:payment.release via grant g-1 → role ap-supervisor → entitlement erp:payment.release
	// erp:vendor.create via grant g-1 → role ap-supervisor → role ap-clerk → entitlement erp:vendor.create
}

// exampleInventory is the inventory of the examples below.
func exampleInventory() *entitlement.Inventory {
	day := 24 * time.Hour
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	return &entitlement.Inventory{
		Parties: []entitlement.Party{
			{ID: "iam", Function: entitlement.IdentityGovernance},
			{ID: "ap", Function: entitlement.Business, Members: []string{"fiona"}},
		},
		Entitlements: []entitlement.Entitlement{
			{ID: "erp:vendor.create", Risk: entitlement.RiskHigh, PolicyOwner: "iam"},
			{ID: "k8s:prod.admin", Risk: entitlement.RiskCritical, Privileged: true, MaxDuration: 8 * time.Hour},
		},
		Roles: []entitlement.Role{{ID: "vendor-master", Entitlements: []string{"erp:vendor.create"}}},
		Identities: []entitlement.Identity{
			{ID: "alice", Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: "ap",
				Grants: []entitlement.Grant{{
					ID: "g-1", Role: "vendor-master", State: entitlement.GrantActive,
					Provisioned: entitlement.Event{By: "fiona", At: start},
					Expires:     start.Add(90 * day),
				}}},
			{ID: "fiona", Kind: entitlement.Human, Status: entitlement.IdentityActive},
			{ID: "pat", Kind: entitlement.Human, Status: entitlement.IdentityActive,
				Grants: []entitlement.Grant{{
					ID: "g-2", Entitlement: "k8s:prod.admin", State: entitlement.GrantActive, Eligible: true,
					Activations: []entitlement.Activation{{Start: start.Add(day), End: start.Add(day + 2*time.Hour)}},
				}}},
			{ID: "svc-sync", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "alice"},
		},
	}
}

func ExampleNewIndex() {
	x, err := entitlement.NewIndex(exampleInventory())
	if err != nil {
		fmt.Println(err)
		return
	}
	g, holder, _ := x.Grant("g-1")
	fmt.Println(g.ID, "is held by", holder.ID)
	fmt.Println(x.Members("ap"))
	fmt.Println(x.IsMember("ap", "alice"), x.IsMember("iam", "alice"))
	// Output:
	// g-1 is held by alice
	// [alice fiona]
	// true false
}

func ExampleInventory_Validate() {
	inv := exampleInventory()
	inv.Roles = append(inv.Roles,
		entitlement.Role{ID: "a", Inherits: []string{"b"}},
		entitlement.Role{ID: "b", Inherits: []string{"a"}})
	inv.Identities[0].Grants[0].Role = "vendor-mastr"
	inv.Identities[3].Owner = "nobody"
	err := inv.Validate()
	for _, e := range entitlement.Errors(err) {
		fmt.Println(e)
	}
	fmt.Println(errors.Is(err, entitlement.ErrCycle))
	// Output:
	// role a: field inherits: role inheritance cycle: a → b → a
	// grant g-1 of identity alice: field role: unknown reference: no role "vendor-mastr"
	// identity svc-sync: field owner: unknown reference: no identity "nobody"
	// true
}

func ExampleIndex_EffectiveAccess() {
	x, _ := entitlement.NewIndex(exampleInventory())
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{start.Add(-time.Second), start, start.Add(90 * 24 * time.Hour)} {
		a, _ := x.EffectiveAccess("alice", at)
		fmt.Println(at.Format(time.RFC3339), len(a.Entitlements), "entitlement(s)")
	}
	// Output:
	// 2026-01-05T08:59:59Z 0 entitlement(s)
	// 2026-01-05T09:00:00Z 1 entitlement(s)
	// 2026-04-05T09:00:00Z 0 entitlement(s)
}

// ExampleIndex_EffectiveAccess_eligible shows a just-in-time grant: the
// access is listed, and active only while activated.
func ExampleIndex_EffectiveAccess_eligible() {
	x, _ := entitlement.NewIndex(exampleInventory())
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{start, start.Add(25 * time.Hour)} {
		a, _ := x.EffectiveAccess("pat", at)
		h, _ := a.Entitlement("k8s:prod.admin")
		fmt.Println(h.Paths[0], h.Active())
	}
	// Output:
	// grant g-2 → entitlement k8s:prod.admin (eligible) false
	// grant g-2 → entitlement k8s:prod.admin (eligible, activated) true
}

// ExampleIndex_Expand answers a what-if question: what would bob hold if
// these grants were made?
func ExampleIndex_Expand() {
	x, _ := entitlement.NewIndex(exampleInventory())
	proposed := []entitlement.Grant{
		{ID: "req-1", Role: "vendor-master", State: entitlement.GrantActive},
		{ID: "req-2", Entitlement: "k8s:prod.root", State: entitlement.GrantActive},
	}
	a, err := x.Expand(proposed, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	for _, h := range a.Entitlements {
		fmt.Println(h.Paths[0])
	}
	fmt.Println(err)
	// Output:
	// grant req-1 → role vendor-master → entitlement erp:vendor.create
	// grant req-2: field entitlement: unknown reference: no entitlement "k8s:prod.root"
}

// ExampleIndex_ValidateGrants checks a proposal before it is evaluated:
// every problem at once, each naming the grant and the field.
func ExampleIndex_ValidateGrants() {
	x, _ := entitlement.NewIndex(exampleInventory())
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	proposed := []entitlement.Grant{
		{ID: "req-1", Role: "vendor-master", State: entitlement.GrantActive,
			Requested: entitlement.Event{By: "fiona", At: at}, Approvals: []entitlement.Approval{{By: "mallory", At: at}}},
		{ID: "g-1", Entitlement: "k8s:prod.root", State: entitlement.GrantActive},
	}
	for _, err := range entitlement.Errors(x.ValidateGrants("alice", proposed)) {
		fmt.Println(err)
	}
	// Output:
	// grant req-1 of identity alice: field approvals[0].by: unknown reference: no identity "mallory"
	// grant g-1 of identity alice: field id: duplicate: grant "g-1" also held by identity alice
	// grant g-1 of identity alice: field entitlement: unknown reference: no entitlement "k8s:prod.root"
}

// ExampleHolder_ConferredIDs decides from what a grant confers, and asks
// for the paths only to explain a finding.
func ExampleHolder_ConferredIDs() {
	x, _ := entitlement.NewIndex(exampleInventory())
	alice, _ := x.Identity("alice")
	h := x.Holder(alice)
	for gi, g := range alice.Grants {
		fmt.Println(g.ID, h.ConferredIDs(gi))
	}
	fmt.Println(h.Conferred(0)[0].Paths[0])
	// Output:
	// g-1 [erp:vendor.create]
	// grant g-1 → role vendor-master → entitlement erp:vendor.create
}

// ExampleGrantValidator validates the grants of several identities in
// turn, as a stream of an export arrives, reusing one validator.
func ExampleGrantValidator() {
	x, _ := entitlement.NewIndex(exampleInventory())
	gv := x.NewGrantValidator()
	stream := []struct {
		holder string
		grants []entitlement.Grant
	}{
		{"alice", []entitlement.Grant{{ID: "new-1", Role: "vendor-master", State: entitlement.GrantRequested}}},
		{"alice", []entitlement.Grant{{ID: "new-2", Entitlement: "erp:vendor.create", State: entitlement.GrantActive,
			Approvals: []entitlement.Approval{{By: "mallory"}}}}},
	}
	for _, s := range stream {
		fmt.Println(s.grants[0].ID, gv.Validate(s.holder, s.grants))
	}
	// Output:
	// new-1 <nil>
	// new-2 grant new-2 of identity alice: field approvals[0].by: unknown reference: no identity "mallory"
}

func ExampleIndex_RolesConferring() {
	inv := &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{{ID: "k8s:prod.admin", Privileged: true}, {ID: "k8s:prod.view"}},
		Roles: []entitlement.Role{
			{ID: "viewer", Entitlements: []string{"k8s:prod.view"}},
			{ID: "admin", Entitlements: []string{"k8s:prod.admin"}},
			{ID: "sre", Inherits: []string{"viewer", "admin"}},
		},
	}
	x, _ := entitlement.NewIndex(inv)
	fmt.Println(x.RolesConferring(func(e entitlement.Entitlement) bool { return e.Privileged }))
	// Output:
	// [admin sre]
}

// ExampleHolder computes an identity's access once and answers several
// questions from it, as a scan does for every check.
func ExampleHolder() {
	x, _ := entitlement.NewIndex(exampleInventory())
	alice, _ := x.Identity("alice")
	h := x.Holder(alice)
	a, _ := h.Access(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(len(a.Entitlements), a.Entitlements[0].ID)
	a, _ = h.Access(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)) // after g-1 expired
	fmt.Println(len(a.Entitlements))
	fmt.Println(h.Conferred(0)[0].Paths[0]) // what g-1 confers, whatever the time
	// Output:
	// 1 erp:vendor.create
	// 0
	// grant g-1 → role vendor-master → entitlement erp:vendor.create
}

func ExampleIndex_Identity() {
	x, _ := entitlement.NewIndex(exampleInventory())
	id, ok := x.Identity("svc-sync")
	fmt.Println(id.Kind, id.Kind.NonHuman(), id.Owners(), ok)
	_, ok = x.Identity("nobody")
	fmt.Println(ok)
	// Output:
	// service_account true [alice] true
	// false
}

func ExampleIndex_IdentityKind() {
	x, _ := entitlement.NewIndex(exampleInventory())
	kind, ok := x.IdentityKind("svc-sync")
	fmt.Println(kind, kind.NonHuman(), ok)
	_, ok = x.IdentityKind("nobody")
	fmt.Println(ok)
	// Output:
	// service_account true true
	// false
}

func ExampleIndex_IdentityTeam() {
	x, _ := entitlement.NewIndex(exampleInventory())
	fmt.Println(x.IdentityTeam("alice"))
	fmt.Println(x.IdentityTeam("fiona")) // listed in ap's members, but in no team
	fmt.Println(x.IdentityTeam("nobody"))
	// Output:
	// ap true
	//  true
	//  false
}

func ExampleIndex_Entitlement() {
	x, _ := entitlement.NewIndex(exampleInventory())
	e, _ := x.Entitlement("k8s:prod.admin")
	fmt.Println(e.SystemName(), e.Risk, e.Privileged, e.MaxDuration)
	// Output:
	// k8s critical true 8h0m0s
}

func ExampleIndex_Role() {
	x, _ := entitlement.NewIndex(exampleInventory())
	r, ok := x.Role("vendor-master")
	fmt.Println(r.Entitlements, ok)
	// Output:
	// [erp:vendor.create] true
}

func ExampleIndex_Party() {
	x, _ := entitlement.NewIndex(exampleInventory())
	p, _ := x.Party("iam")
	fmt.Println(p.ID, p.Function)
	// Output:
	// iam identity_governance
}

func ExampleGrant_InEffect() {
	expires := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	g := entitlement.Grant{State: entitlement.GrantActive, Expires: expires}
	fmt.Println(g.InEffect(expires.Add(-time.Nanosecond)))
	fmt.Println(g.InEffect(expires)) // expiry exactly at the time: over
	// Output:
	// true
	// false
}

func ExampleGrant_ActiveAt() {
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	g := entitlement.Grant{State: entitlement.GrantActive, Eligible: true,
		Activations: []entitlement.Activation{{Start: start, End: start.Add(time.Hour)}}}
	fmt.Println(g.ActiveAt(start.Add(-time.Minute)), g.ActiveAt(start), g.ActiveAt(start.Add(time.Hour)))
	// Output:
	// false true false
}

func ExampleGrant_Duration() {
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	g := entitlement.Grant{Provisioned: entitlement.Event{At: start}, Expires: start.Add(30 * 24 * time.Hour)}
	d, ok := g.Duration()
	fmt.Println(g.StartTime().Format(time.RFC3339), d, ok)
	// Output:
	// 2026-01-05T09:00:00Z 720h0m0s true
}

func ExamplePath_String() {
	x, _ := entitlement.NewIndex(exampleInventory())
	a, _ := x.Expand([]entitlement.Grant{{ID: "g-9", Role: "vendor-master", State: entitlement.GrantActive}}, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	p := a.Entitlements[0].Paths[0]
	fmt.Println(p)
	fmt.Println(p.Roles(), p.Via())
	// Output:
	// grant g-9 → role vendor-master → entitlement erp:vendor.create
	// [vendor-master] vendor-master
}

func ExampleErrors() {
	err := errors.Join(
		&entitlement.RecordError{File: "a.json", Line: 3, Type: "role", ID: "r", Field: "inherits", Err: entitlement.ErrCycle},
		&entitlement.RecordError{Type: "party", ID: "#0", Field: "id", Err: entitlement.ErrRequired},
	)
	for _, e := range entitlement.Errors(err) {
		fmt.Println(e)
	}
	// Output:
	// a.json:3: role r: field inherits: role inheritance cycle
	// party #0: field id: required
}

func ExampleRecordError() {
	inv := exampleInventory()
	inv.Identities[0].Grants[0].Expires = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if re, ok := errors.AsType[*entitlement.RecordError](inv.Validate()); ok {
		fmt.Println(re.Record(), re.Field, errors.Is(re, entitlement.ErrTimeOrder))
	}
	// Output:
	// grant g-1 of identity alice expires true
}

func ExampleSystemOf() {
	fmt.Println(entitlement.SystemOf("erp:vendor.create"))
	fmt.Printf("%q\n", entitlement.SystemOf("vendor.create"))
	// Output:
	// erp
	// ""
}

func ExampleParseIdentityKind() {
	k, err := entitlement.ParseIdentityKind("Service-Account")
	fmt.Println(k, err)
	_, err = entitlement.ParseIdentityKind("robot")
	fmt.Println(err)
	// Output:
	// service_account <nil>
	// invalid value: unknown identity kind "robot" (want human, service_account, api_key, token, workload_identity, ai_agent)
}

func ExampleParseGrantState() {
	s, _ := entitlement.ParseGrantState("revoked")
	fmt.Println(s)
	// Output:
	// revoked
}

func ExampleParseGrantSource() {
	s, _ := entitlement.ParseGrantSource("break_glass")
	fmt.Println(s)
	// Output:
	// break_glass
}

func ExampleParseIdentityStatus() {
	s, _ := entitlement.ParseIdentityStatus("offboarded")
	fmt.Println(s, s.Valid())
	// Output:
	// offboarded true
}

func ExampleParsePartyFunction() {
	f, _ := entitlement.ParsePartyFunction("it_operations")
	fmt.Println(f)
	// Output:
	// it_operations
}

func ExampleRisk_AtLeast() {
	var unassessed entitlement.Risk
	fmt.Println(unassessed.AtLeast(entitlement.RiskHigh), unassessed.AtLeast(entitlement.RiskCritical))
	r, _ := entitlement.ParseRisk("medium")
	fmt.Println(r.AtLeast(entitlement.RiskHigh))
	// Output:
	// true false
	// false
}

func ExampleAccess_Entitlement() {
	x, _ := entitlement.NewIndex(exampleInventory())
	a, _ := x.EffectiveAccess("alice", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	h, ok := a.Entitlement("erp:vendor.create")
	fmt.Println(ok, len(h.Paths), h.Active())
	_, ok = a.Role("vendor-master")
	fmt.Println(ok)
	_, ok = a.Entitlement("k8s:prod.admin")
	fmt.Println(ok)
	// Output:
	// true 1 true
	// true
	// false
}

func ExampleHolding_Active() {
	x, _ := entitlement.NewIndex(exampleInventory())
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	eligible := entitlement.Grant{ID: "g-8", Entitlement: "k8s:prod.admin", State: entitlement.GrantActive, Eligible: true}
	a, _ := x.Expand([]entitlement.Grant{eligible}, at)
	fmt.Println(a.Entitlements[0].Active()) // eligible but not activated
	standing := entitlement.Grant{ID: "g-9", Entitlement: "k8s:prod.admin", State: entitlement.GrantActive}
	a, _ = x.Expand([]entitlement.Grant{eligible, standing}, at)
	fmt.Println(a.Entitlements[0].Active()) // a standing path too
	// Output:
	// false
	// true
}

func ExampleIndex_Members() {
	x, _ := entitlement.NewIndex(exampleInventory())
	fmt.Println(x.Members("ap")) // fiona is listed; alice's team is ap
	fmt.Println(x.Members("nobody") == nil)
	// Output:
	// [alice fiona]
	// true
}

func ExampleIdentity_Owners() {
	id := entitlement.Identity{ID: "svc-sync", Kind: entitlement.ServiceAccount, Owner: "alice", SecondaryOwner: "bob"}
	fmt.Println(id.Owners(), id.Kind.NonHuman())
	// Output:
	// [alice bob] true
}

func ExampleGrant_Target() {
	g := entitlement.Grant{ID: "g-1", Role: "ap-clerk"}
	typ, id := g.Target()
	fmt.Println(typ, id)
	// Output:
	// role ap-clerk
}

func ExampleGrant_StartTime() {
	prov := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	g := entitlement.Grant{Provisioned: entitlement.Event{By: "hugo", At: prov}}
	fmt.Println(g.StartTime().Format(time.RFC3339)) // from provisioning
	g.Start = prov.Add(24 * time.Hour)
	fmt.Println(g.StartTime().Format(time.RFC3339)) // an explicit start wins
	// Output:
	// 2026-01-05T09:00:00Z
	// 2026-01-06T09:00:00Z
}

func ExampleActivation_Contains() {
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	a := entitlement.Activation{Start: start, End: start.Add(time.Hour)}
	fmt.Println(a.Contains(start), a.Contains(start.Add(time.Hour)))
	// Output:
	// true false
}

func ExamplePath_Compare() {
	inv := &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{{ID: "erp:x"}},
		Roles: []entitlement.Role{
			{ID: "ap-clerk", Entitlements: []string{"erp:x"}},
			{ID: "ap-supervisor", Inherits: []string{"ap-clerk"}},
			{ID: "vendor-master", Entitlements: []string{"erp:x"}},
		},
	}
	x, _ := entitlement.NewIndex(inv)
	a, _ := x.Expand([]entitlement.Grant{
		{ID: "g-1", Role: "ap-supervisor", State: entitlement.GrantActive},
		{ID: "g-2", Role: "vendor-master", State: entitlement.GrantActive},
	}, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	ps := a.Entitlements[0].Paths
	fmt.Println(ps[0].Compare(ps[1])) // by grant first: g-1 before g-2
	fmt.Println(len(ps[0].Roles()), len(ps[1].Roles()))
	// Output:
	// -1
	// 2 1
}

func ExampleEntitlement_SystemName() {
	fmt.Println(entitlement.Entitlement{ID: "erp:vendor.create"}.SystemName())
	fmt.Println(entitlement.Entitlement{ID: "erp:vendor.create", System: "sap-s4"}.SystemName())
	// Output:
	// erp
	// sap-s4
}

func ExampleParseRisk() {
	r, err := entitlement.ParseRisk("Critical")
	fmt.Println(r, err)
	b, err := entitlement.Risk(0).MarshalText()
	fmt.Println(b, err)
	// Output:
	// critical <nil>
	// [] invalid value: an unset risk has no text form
}
