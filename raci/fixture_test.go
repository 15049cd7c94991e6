package raci_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/kindtest"
	"github.com/sodkit/sodkit/raci"
)

// at is the evaluation time of the tests.
var at = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// ago returns the time d before at.
func ago(d time.Duration) time.Time { return at.Add(-d) }

// fixture returns a small organisation and a RACI config on which Check
// finds nothing at at. Each test row breaks one thing.
//
//	parties: iam (identity governance: ines), ops (IT operations: hugo),
//	         biz (business: fiona), ap (business: alice), sec (security: sam)
//	erp:report.view   low, standard, no approval path
//	erp:pay.release   critical, privileged, approval path biz → iam
//	role clerk        owned by biz, grants erp:report.view
//	alice             g-1 erp:pay.release (approved by fiona, ines), g-2 role clerk
//	svc-1             service account owned by alice, g-3 erp:report.view
func fixture() (*entitlement.Inventory, raci.Config) {
	human := func(id, team string, grants ...entitlement.Grant) entitlement.Identity {
		return entitlement.Identity{ID: id, Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: team, Grants: grants}
	}
	inv := &entitlement.Inventory{
		Parties: []entitlement.Party{
			{ID: "iam", Function: entitlement.IdentityGovernance},
			{ID: "ops", Function: entitlement.ITOperations},
			{ID: "biz", Function: entitlement.Business},
			{ID: "ap", Function: entitlement.Business},
			{ID: "sec", Function: entitlement.Security},
		},
		Entitlements: []entitlement.Entitlement{
			{ID: "erp:report.view", Risk: entitlement.RiskLow, Standard: true,
				PolicyOwner: "iam", Fulfiller: "ops", RecertifyEvery: 365 * day},
			{ID: "erp:pay.release", Risk: entitlement.RiskCritical, Privileged: true,
				PolicyOwner: "iam", Fulfiller: "ops", ApprovalPath: []string{"biz", "iam"}, RecertifyEvery: 90 * day},
		},
		Roles: []entitlement.Role{{ID: "clerk", Owner: "biz", Entitlements: []string{"erp:report.view"}}},
		Identities: []entitlement.Identity{
			human("ines", "iam"), human("hugo", "ops"), human("fiona", "biz"), human("sam", "sec"),
			human("alice", "ap",
				entitlement.Grant{ID: "g-1", Entitlement: "erp:pay.release", State: entitlement.GrantActive, Source: entitlement.SourceStandard,
					Requested:   entitlement.Event{By: "alice", At: ago(400 * day)},
					Approvals:   []entitlement.Approval{{By: "fiona", At: ago(399 * day), Stage: "biz"}, {By: "ines", At: ago(399 * day), Stage: "iam"}},
					Provisioned: entitlement.Event{By: "hugo", At: ago(398 * day)},
					Certified:   entitlement.Event{By: "fiona", At: ago(10 * day)}},
				entitlement.Grant{ID: "g-2", Role: "clerk", State: entitlement.GrantActive, Source: entitlement.SourceStandard,
					Provisioned: entitlement.Event{By: "hugo", At: ago(200 * day)},
					Certified:   entitlement.Event{By: "ines", At: ago(30 * day)}}),
			{ID: "svc-1", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Team: "ops", Environment: "prod",
				Owner:      "alice",
				Credential: entitlement.Credential{Created: ago(30 * day), Expires: at.Add(300 * day)},
				LastUsed:   ago(day),
				Grants: []entitlement.Grant{{ID: "g-3", Entitlement: "erp:report.view", State: entitlement.GrantActive,
					Source: entitlement.SourceStandard, Provisioned: entitlement.Event{By: "hugo", At: ago(30 * day)}}}},
		},
		Usage: []entitlement.Usage{{Identity: "svc-1", At: ago(day), Application: "billing", Environment: "prod"}},
	}
	c := raci.Config{Matrix: raci.Matrix{
		raci.DefinePolicy:     {Accountable: []string{"iam"}, Responsible: []string{"iam"}, Consulted: []string{"sec"}},
		raci.ApproveRequest:   {Accountable: []string{"iam"}, Responsible: []string{"biz"}},
		raci.ApproveException: {Accountable: []string{"iam"}, Responsible: []string{"sec"}},
		raci.Provision:        {Accountable: []string{"ops"}, Responsible: []string{"ops"}},
		raci.Revoke:           {Accountable: []string{"ops"}, Responsible: []string{"ops"}},
		raci.Recertify:        {Accountable: []string{"iam"}, Responsible: []string{"biz"}},
		raci.ReviewEmergency:  {Accountable: []string{"sec"}, Responsible: []string{"sec"}},
		raci.OwnNHI:           {Accountable: []string{"iam"}, Responsible: []string{"ops"}, Informed: []string{"sec"}},
	}}
	return inv, c
}

// identity returns a pointer to the identity with the given ID.
func identity(inv *entitlement.Inventory, id string) *entitlement.Identity {
	for i := range inv.Identities {
		if inv.Identities[i].ID == id {
			return &inv.Identities[i]
		}
	}
	panic("no identity " + id)
}

// grant returns a pointer to the grant with the given ID.
func grant(inv *entitlement.Inventory, id string) *entitlement.Grant {
	for i := range inv.Identities {
		for j := range inv.Identities[i].Grants {
			if inv.Identities[i].Grants[j].ID == id {
				return &inv.Identities[i].Grants[j]
			}
		}
	}
	panic("no grant " + id)
}

// ent returns a pointer to the entitlement with the given ID.
func ent(inv *entitlement.Inventory, id string) *entitlement.Entitlement {
	for i := range inv.Entitlements {
		if inv.Entitlements[i].ID == id {
			return &inv.Entitlements[i]
		}
	}
	panic("no entitlement " + id)
}

// index validates inv, failing the test if it is invalid.
func index(t testing.TB, inv *entitlement.Inventory) *entitlement.Index {
	t.Helper()
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err, "the test inventory must be valid")
	return x
}

// check runs Check on a mutated fixture and asserts the invariants every
// result must keep.
func check(t *testing.T, mutate func(*entitlement.Inventory, *raci.Config)) []audit.Finding {
	t.Helper()
	inv, c := fixture()
	if mutate != nil {
		mutate(inv, &c)
	}
	fs := raci.Check(index(t, inv), c, at)
	require.NoError(t, invariants(fs))
	return fs
}

// invariants reports what a list of findings from any check must satisfy:
// report order, unique IDs that match the content, known controls, a
// message, evidence and remediation on each, and a kind from the kind
// table whose controls each cites.
func invariants(fs []audit.Finding) error {
	if !slices.IsSortedFunc(fs, audit.Finding.Compare) {
		return fmt.Errorf("findings are not in report order")
	}
	seen := map[string]bool{}
	for _, f := range fs {
		switch {
		case seen[f.ID]:
			return fmt.Errorf("duplicate finding ID %s (%s %s)", f.ID, f.Kind, f.Subject)
		case f.ID != f.WithID().ID:
			return fmt.Errorf("finding %s %s: ID does not match its content", f.Kind, f.Subject)
		case f.Message == "" || f.Remediation == "" || len(f.Evidence) == 0 || len(f.Controls) == 0:
			return fmt.Errorf("finding %s %s lacks a message, remediation, evidence or controls", f.Kind, f.Subject)
		case !f.Severity.Valid():
			return fmt.Errorf("finding %s %s: invalid severity", f.Kind, f.Subject)
		}
		if err := kindtest.Findings(raci.Kinds(), []audit.Finding{f}); err != nil {
			return err
		}
		for _, c := range f.Controls {
			if !c.Known() {
				return fmt.Errorf("finding %s %s cites unknown control %s", f.Kind, f.Subject, c)
			}
		}
		seen[f.ID] = true
	}
	return nil
}

// summary renders findings as "kind subject-type subject-id", sorted.
func summary(fs []audit.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s", f.Kind, f.Subject))
	}
	slices.Sort(out)
	return out
}

// only returns the findings of one kind.
func only(fs []audit.Finding, k audit.Kind) []audit.Finding {
	var out []audit.Finding
	for _, f := range fs {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}
