package main

import (
	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

// catalogue is a role catalogue kept as code: what a platform team
// reviews in a pull request before a role changes anywhere.
type catalogue struct {
	Entitlements []entitlement.Entitlement
	Roles        []entitlement.Role
	// Jobs are the joiner templates: the roles everyone in a job receives
	// on their first day. A combination two roles make together is as toxic
	// as one a single role makes.
	Jobs []job
	// SoD holds the separation-of-duties rules the catalogue must obey.
	SoD sod.Config
}

// job is one joiner template.
type job struct {
	ID    string
	Roles []string
}

// current returns the catalogue as it stands. Each call returns a fresh
// copy, so a test can change it freely.
func current() catalogue {
	return catalogue{
		Entitlements: []entitlement.Entitlement{
			{ID: "erp:report.view"},
			{ID: "erp:invoice.post"},
			{ID: "erp:payment.propose"},
			{ID: "erp:payment.release", Privileged: true},
			{ID: "erp:vendor.create"},
			{ID: "erp:vendor.update"},
			{ID: "bank:payment.approve", Privileged: true},
		},
		Roles: []entitlement.Role{
			{ID: "base-employee", Entitlements: []string{"erp:report.view"}},
			{ID: "ap-clerk", Entitlements: []string{"erp:invoice.post", "erp:payment.propose"}, Inherits: []string{"base-employee"}},
			{ID: "ap-supervisor", Entitlements: []string{"erp:payment.release"}, Inherits: []string{"ap-clerk"}},
			{ID: "vendor-maintainer", Entitlements: []string{"erp:vendor.create", "erp:vendor.update"}},
			{ID: "treasury", Entitlements: []string{"bank:payment.approve"}, Inherits: []string{"base-employee"}},
		},
		Jobs: []job{
			{ID: "accounts-payable-clerk", Roles: []string{"ap-clerk"}},
			{ID: "accounts-payable-lead", Roles: []string{"ap-supervisor"}},
			{ID: "vendor-data-steward", Roles: []string{"base-employee", "vendor-maintainer"}},
			{ID: "treasurer", Roles: []string{"treasury"}},
		},
		SoD: sod.Config{
			Duties: []sod.Duty{
				{ID: "vendor-master", Name: "Maintain vendor master", Entitlements: []string{"erp:vendor.create", "erp:vendor.update"}},
				{ID: "invoice-entry", Name: "Post supplier invoices", Entitlements: []string{"erp:invoice.post"}},
				{ID: "payment-release", Name: "Release payment runs", Entitlements: []string{"erp:payment.release"}},
				{ID: "bank-approval", Name: "Approve bank payments", Entitlements: []string{"bank:payment.approve"}},
			},
			Rules: []sod.Rule{
				{ID: "R-P2P-01", Title: "Create vendors and release payments", Severity: audit.Critical,
					Sides: []sod.Side{{Duty: "vendor-master"}, {Duty: "payment-release"}}},
				{ID: "R-P2P-02", Title: "Maintain vendors and post invoices", Severity: audit.High,
					Sides: []sod.Side{{Duty: "vendor-master"}, {Duty: "invoice-entry"}}},
				{ID: "R-PAY-04", Title: "Release and approve bank payments", Severity: audit.Critical,
					Sides: []sod.Side{{Duty: "payment-release"}, {Duty: "bank-approval"}}},
			},
		},
	}
}

// index indexes the catalogue for checking: its entitlements and roles,
// and one identity per job ("job:" and its ID) holding the job's roles, so
// that every check that applies to people applies to what a new joiner
// would hold.
func (c catalogue) index() (*entitlement.Index, error) {
	inv := entitlement.Inventory{Entitlements: c.Entitlements, Roles: c.Roles}
	for _, j := range c.Jobs {
		id := entitlement.Identity{ID: "job:" + j.ID, Kind: entitlement.Human, Status: entitlement.IdentityActive}
		for _, r := range j.Roles {
			id.Grants = append(id.Grants, entitlement.Grant{ID: j.ID + "/" + r, Role: r, State: entitlement.GrantActive})
		}
		inv.Identities = append(inv.Identities, id)
	}
	return entitlement.NewIndex(&inv)
}
