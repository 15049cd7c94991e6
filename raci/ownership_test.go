package raci_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

func TestOwnershipChecks(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*entitlement.Inventory, *raci.Config)
		want   []string
		reason string
	}{
		{
			name: "entitlement with no policy owner anywhere",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				ent(inv, "erp:report.view").PolicyOwner = ""
				c.Matrix[raci.DefinePolicy] = raci.Assignment{Responsible: []string{"iam"}}
			},
			want:   []string{"raci.no-accountable matrix global", "raci.no-owner entitlement erp:report.view"},
			reason: "erp:report.view has no owner; erp:pay.release's own owner is not lost, but the global gap is reported once",
		},
		{
			name:   "the global matrix supplies the owner",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) { ent(inv, "erp:report.view").PolicyOwner = "" },
			want:   nil,
			reason: "an entitlement without a policy owner of its own inherits the global accountable party",
		},
		{
			name: "an override removes the owner",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Overrides = []raci.Override{{Entitlement: "erp:pay.release",
					Matrix: raci.Matrix{raci.DefinePolicy: {Responsible: []string{"iam"}}}}}
			},
			want:   []string{"raci.no-owner entitlement erp:pay.release"},
			reason: "an entitlement override is the most specific scope: it replaces the catalogue's policy owner",
		},
		{
			name: "owner party inactive",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				inv.Parties = append(inv.Parties, entitlement.Party{ID: "old-iam", Function: entitlement.IdentityGovernance, Members: []string{"carl"}})
				inv.Identities = append(inv.Identities, entitlement.Identity{ID: "carl", Kind: entitlement.Human, Status: entitlement.IdentityOffboarded})
				ent(inv, "erp:pay.release").PolicyOwner = "old-iam"
			},
			want:   []string{"raci.inactive-owner entitlement erp:pay.release", "raci.inactive-party party old-iam"},
			reason: "a policy owner whose only member left owns nothing; the party is reported once as well",
		},
		{
			name: "one active accountable suffices",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				c.Overrides = []raci.Override{{Entitlement: "erp:pay.release",
					Matrix: raci.Matrix{raci.DefinePolicy: {Accountable: []string{"iam", "ghost"}, Responsible: []string{"iam"}}}}}
			},
			want:   []string{"raci.several-accountable entitlement erp:pay.release", "raci.unknown-reference party ghost"},
			reason: "not inactive-owner: iam is active; the second accountable and the unknown name are their own findings",
		},
		{
			name:   "role with no owner",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) { inv.Roles[0].Owner = "" },
			want:   []string{"raci.no-owner role clerk"},
			reason: "nobody decides what the role contains",
		},
		{
			name: "role owner inactive",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				identity(inv, "fiona").Status = entitlement.IdentityDisabled
			},
			want:   []string{"raci.inactive-owner role clerk", "raci.inactive-party party biz"},
			reason: "biz owns the role and its only member is disabled; her past approval and certification of g-1 still came from a member",
		},
		{
			name:   "orphaned: no owner",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) { identity(inv, "svc-1").Owner = "" },
			want:   []string{"raci.orphaned-nhi identity svc-1"},
			reason: "OWASP NHI1: a non-human identity nobody owns",
		},
		{
			name: "orphaned: owners gone",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				inv.Identities = append(inv.Identities, entitlement.Identity{ID: "carl", Kind: entitlement.Human, Status: entitlement.IdentityOffboarded})
				identity(inv, "svc-1").Owner = "carl"
				identity(inv, "svc-1").SecondaryOwner = "hugo"
				identity(inv, "hugo").Status = entitlement.IdentityDisabled
			},
			want:   []string{"raci.inactive-party party ops", "raci.orphaned-nhi identity svc-1"},
			reason: "an offboarded primary and a disabled secondary own nothing",
		},
		{
			name: "owned by a secondary owner",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				inv.Identities = append(inv.Identities, entitlement.Identity{ID: "carl", Kind: entitlement.Human, Status: entitlement.IdentityOffboarded})
				identity(inv, "svc-1").Owner = "carl"
				identity(inv, "svc-1").SecondaryOwner = "hugo"
			},
			want:   nil,
			reason: "one active owner is enough",
		},
		{
			name: "owned by another machine",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				inv.Identities = append(inv.Identities, entitlement.Identity{ID: "svc-2", Kind: entitlement.ServiceAccount,
					Status: entitlement.IdentityActive, Owner: "svc-1", Credential: entitlement.Credential{Created: ago(day), Expires: at}})
			},
			want:   []string{"raci.orphaned-nhi identity svc-2"},
			reason: "an owner must be an active person; a machine cannot answer for a machine",
		},
		{
			name: "offboarded and holding nothing",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				inv.Identities = append(inv.Identities, entitlement.Identity{ID: "svc-old", Kind: entitlement.APIKey, Status: entitlement.IdentityOffboarded})
			},
			want:   nil,
			reason: "a decommissioned identity with no access in effect needs no owner",
		},
		{
			name: "offboarded but still holding access",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				inv.Identities = append(inv.Identities, entitlement.Identity{ID: "svc-old", Kind: entitlement.APIKey, Status: entitlement.IdentityOffboarded,
					LastUsed: ago(day), Grants: []entitlement.Grant{{ID: "g-9", Entitlement: "erp:report.view", State: entitlement.GrantActive,
						Provisioned: entitlement.Event{By: "hugo", At: ago(day)}}}})
			},
			want:   []string{"raci.orphaned-nhi identity svc-old"},
			reason: "improper offboarding: the access outlived the identity's owner",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summary(check(t, tt.mutate))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestOrphanedSeverityAndControls(t *testing.T) {
	tests := []struct {
		name     string
		kind     entitlement.IdentityKind
		grant    string
		severity audit.Severity
		airmf    bool
		reason   string
	}{
		{"plain", entitlement.ServiceAccount, "erp:report.view", audit.High, false, "an orphan with ordinary access is high"},
		{"privileged", entitlement.ServiceAccount, "erp:pay.release", audit.Critical, false, "an orphan holding privileged access is critical"},
		{"AI agent", entitlement.AIAgent, "erp:report.view", audit.High, true, "an orphaned AI agent also breaks AI RMF GOVERN 2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := check(t, func(inv *entitlement.Inventory, _ *raci.Config) {
				id := identity(inv, "svc-1")
				id.Owner, id.Kind = "", tt.kind
				id.Grants[0].Entitlement = tt.grant
				if tt.grant == "erp:pay.release" {
					id.Grants[0].Expires = at.Add(day)
				}
			})
			fs = only(fs, raci.KindOrphanedNHI)
			require.Len(t, fs, 1)
			require.Equal(t, tt.severity, fs[0].Severity, tt.reason)
			require.Equal(t, tt.airmf, containsControl(fs[0].Controls, audit.Ref(audit.AIRMF, "GOVERN 2.1")), tt.reason)
			require.True(t, containsControl(fs[0].Controls, audit.Ref(audit.NHI, "NHI1:2025")), "orphans cite NHI1")
		})
	}
}

func containsControl(cs []audit.Control, c audit.Control) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func TestCheckRules(t *testing.T) {
	inv, _ := fixture()
	inv.Parties = append(inv.Parties, entitlement.Party{ID: "empty", Function: entitlement.IdentityGovernance})
	x := index(t, inv)
	tests := []struct {
		name   string
		rule   raci.RuleOwner
		want   []string
		reason string
	}{
		{"owned by a party", raci.RuleOwner{Rule: "r-1", Owner: "iam"}, nil, "an active party owns it"},
		{"owned by a person", raci.RuleOwner{Rule: "r-1", Owner: "ines"}, nil, "an active person owns it"},
		{"no owner", raci.RuleOwner{Rule: "r-1"}, []string{"raci.no-owner rule r-1"}, "a rule nobody answers for"},
		{"empty party", raci.RuleOwner{Rule: "r-1", Owner: "empty"}, []string{"raci.inactive-owner rule r-1"}, "a party with no members owns nothing"},
		{"unknown owner", raci.RuleOwner{Rule: "r-1", Owner: "ghost"}, []string{"raci.inactive-owner rule r-1"}, "an owner that does not exist fails closed"},
		{"machine owner", raci.RuleOwner{Rule: "r-1", Owner: "svc-1"}, []string{"raci.inactive-owner rule r-1"}, "a non-human identity cannot own a rule"},
		{"no rule ID", raci.RuleOwner{Owner: ""}, []string{"raci.no-owner rule #0"}, "a rule without an ID is named by its position"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := raci.CheckRules(x, []raci.RuleOwner{tt.rule})
			require.NoError(t, invariants(fs))
			if diff := cmp.Diff(tt.want, summary(fs)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestActiveOwner(t *testing.T) {
	x, err := entitlement.NewIndex(&entitlement.Inventory{
		Parties: []entitlement.Party{
			{ID: "finance", Function: entitlement.Business},
			{ID: "disbanded", Function: entitlement.Business, Members: []string{"carl"}},
			{ID: "bots", Function: entitlement.ITOperations},
		},
		Identities: []entitlement.Identity{
			{ID: "fiona", Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: "finance"},
			{ID: "carl", Kind: entitlement.Human, Status: entitlement.IdentityOffboarded, Team: "finance"},
			{ID: "dora", Kind: entitlement.Human, Status: entitlement.IdentityDisabled},
			{ID: "svc", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Team: "bots", Owner: "fiona"},
		},
	})
	require.NoError(t, err)
	tests := []struct {
		name   string
		reason string
		x      *entitlement.Index
		ref    string
		want   bool
	}{
		{"active person", "an active person answers for what they own", x, "fiona", true},
		{"offboarded person", "a person who left cannot", x, "carl", false},
		{"disabled person", "nor one who is disabled", x, "dora", false},
		{"non-human", "a service account is owned, it does not own", x, "svc", false},
		{"party with an active member", "a team answers while an active person belongs to it", x, "finance", true},
		{"party of leavers", "a party whose people all left is effectively nobody", x, "disbanded", false},
		{"party of machines", "members that are not people do not count", x, "bots", false},
		{"unknown", "a reference to nobody is nobody", x, "ghost", false},
		{"empty", "no owner at all", x, "", false},
		{"nil index", "a nil index is an empty inventory", nil, "fiona", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, raci.ActiveOwner(tt.x, tt.ref), tt.reason)
		})
	}
}
