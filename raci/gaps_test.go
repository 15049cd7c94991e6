package raci_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

func TestMatrixChecks(t *testing.T) {
	a := func(refs ...string) []string { return refs }
	tests := []struct {
		name   string
		mutate func(*entitlement.Inventory, *raci.Config)
		want   []string
		reason string
	}{
		{
			name: "no accountable",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Revoke] = raci.Assignment{Responsible: a("ops")}
			},
			want:   []string{"raci.no-accountable matrix global"},
			reason: "every activity needs exactly one accountable party",
		},
		{
			name: "several accountable",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: a("ops", "iam"), Responsible: a("ops")}
			},
			want:   []string{"raci.several-accountable matrix global"},
			reason: "two accountable parties means nobody is",
		},
		{
			name: "no responsible",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: a("ops")}
			},
			want:   []string{"raci.no-responsible matrix global"},
			reason: "an activity nobody performs is not done",
		},
		{
			name:   "activity missing",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) { delete(c.Matrix, raci.ReviewEmergency) },
			want:   []string{"raci.no-accountable matrix global", "raci.no-responsible matrix global"},
			reason: "a matrix that leaves an activity out fails closed",
		},
		{
			name: "invalid activity key",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Activity(99)] = c.Matrix[raci.ReviewEmergency]
				delete(c.Matrix, raci.ReviewEmergency)
			},
			want:   []string{"raci.no-accountable matrix global", "raci.no-responsible matrix global"},
			reason: "a row under a key that is no activity assigns nothing, so the activity it meant is a gap",
		},
		{
			name: "empty and repeated references",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: a(""), Responsible: a("ops", "ops")}
				c.Matrix[raci.Provision] = raci.Assignment{Accountable: a("ops", "ops"), Responsible: a("ops")}
			},
			want:   []string{"raci.no-accountable matrix global"},
			reason: "an empty reference names nobody and a repeated one counts once",
		},
		{
			name: "policy and provisioning in the global matrix",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Provision] = raci.Assignment{Accountable: a("ops"), Responsible: a("iam")}
			},
			want:   []string{"raci.policy-not-separated matrix global"},
			reason: "the party that owns policy must not execute it; the catalogue's fulfillers hide it per entitlement, but the global default is still wrong",
		},
		{
			name:   "policy and provisioning through the catalogue",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) { ent(inv, "erp:report.view").Fulfiller = "iam" },
			want:   []string{"raci.policy-not-separated entitlement erp:report.view"},
			reason: "an entitlement whose policy owner is also its fulfiller is reported on the entitlement",
		},
		{
			name: "person in the policy party provisions",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Overrides = append(c.Overrides, raci.Override{Entitlement: "erp:report.view",
					Matrix: raci.Matrix{raci.Provision: {Accountable: a("ops"), Responsible: a("ines")}}})
			},
			want:   []string{"raci.policy-not-separated entitlement erp:report.view"},
			reason: "a member of the policy party is the same party, named as a person",
		},
		{
			name: "approver provisions",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.ApproveRequest] = raci.Assignment{Accountable: a("iam"), Responsible: a("ops")}
			},
			want:   []string{"raci.approver-provisions matrix global"},
			reason: "reported once on the global matrix, not again on each entitlement whose fulfiller repeats the same pair",
		},
		{
			name: "approver provisions through the approval path",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				ent(inv, "erp:pay.release").ApprovalPath = a("biz", "ops")
			},
			want:   []string{"raci.approval-outside-path grant g-1", "raci.approval-stage-missing grant g-1", "raci.approver-provisions entitlement erp:pay.release"},
			reason: "a fulfiller on the approval path approves its own work; g-1's approval by ines no longer matches the path",
		},
		{
			name: "system override creates the clash",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Overrides = append(c.Overrides, raci.Override{System: "erp",
					Matrix: raci.Matrix{raci.ApproveRequest: {Accountable: a("iam"), Responsible: a("ops")}}})
			},
			want:   []string{"raci.approver-provisions system erp"},
			reason: "the clash belongs to the override that created it; erp:pay.release has its own approval path and is clean",
		},
		{
			name: "help desk owns recertification",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Recertify] = raci.Assignment{Accountable: a("ops"), Responsible: a("ops")}
			},
			want: []string{"raci.certifier-not-accountable grant g-1", "raci.certifier-not-accountable grant g-2",
				"raci.recertification-not-governed matrix global"},
			reason: "recertification is owned by identity governance, not by the team that provisions; the existing certifications then come from outside it",
		},
		{
			name: "party of unspecified function recertifies",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				inv.Parties = append(inv.Parties, entitlement.Party{ID: "adhoc", Members: a("fiona")})
				c.Matrix[raci.Recertify] = raci.Assignment{Accountable: a("iam"), Responsible: a("adhoc")}
			},
			want:   []string{"raci.recertification-not-governed matrix global"},
			reason: "an unspecified function qualifies for nothing",
		},
		{
			name: "person's function is their team's",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Recertify] = raci.Assignment{Accountable: a("ines"), Responsible: a("biz")}
			},
			want:   nil,
			reason: "ines is in identity governance, so she may own recertification; fiona's certification stays valid because she is in biz",
		},
		{
			name: "policy widens the recertification owners",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Recertify] = raci.Assignment{Accountable: a("biz"), Responsible: a("biz")}
				c.Policy.RecertificationOwners = []entitlement.PartyFunction{entitlement.IdentityGovernance, entitlement.Business}
			},
			want:   []string{"raci.certifier-not-accountable grant g-2"},
			reason: "the policy may let business own recertification; ines (iam) then no longer qualifies to certify g-2",
		},
		{
			name: "unknown party",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: a("ghost"), Responsible: a("ops")}
			},
			want:   []string{"raci.unknown-reference party ghost"},
			reason: "a config built in Go and never validated still fails closed",
		},
		{
			name: "machine identity as party",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: a("ops"), Responsible: a("svc-1")}
			},
			want:   []string{"raci.unknown-reference party svc-1"},
			reason: "only parties and people hold RACI assignments",
		},
		{
			name: "unknown override scopes",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				m := raci.Matrix{raci.Revoke: {Accountable: a("ops"), Responsible: a("ops")}}
				c.Overrides = append(c.Overrides, raci.Override{Entitlement: "erp:nope", Matrix: m}, raci.Override{System: "crm", Matrix: m})
			},
			want:   []string{"raci.unknown-reference entitlement erp:nope", "raci.unknown-reference system crm"},
			reason: "an override of nothing is a mistake that hides the intended assignment",
		},
		{
			name: "party without active members",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				identity(inv, "sam").Status = entitlement.IdentityOffboarded
			},
			want:   []string{"raci.inactive-party party sec"},
			reason: "security is accountable for reviewing emergency access, and nobody in it is active",
		},
		{
			name: "consulted party without active members",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				inv.Parties = append(inv.Parties, entitlement.Party{ID: "legacy", Function: entitlement.Business})
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: a("ops"), Responsible: a("ops"), Informed: a("legacy")}
			},
			want:   []string{"raci.inactive-party party legacy"},
			reason: "an empty party named only as informed is still a finding, at low severity",
		},
		{
			name: "inactive person",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				identity(inv, "hugo").Status = entitlement.IdentityDisabled
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: a("ops"), Responsible: a("hugo")}
			},
			want:   []string{"raci.inactive-party identity hugo", "raci.inactive-party party ops"},
			reason: "a disabled person cannot do the work, and ops had no other member",
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

func TestInactivePartySeverity(t *testing.T) {
	fs := check(t, func(inv *entitlement.Inventory, c *raci.Config) {
		inv.Parties = append(inv.Parties, entitlement.Party{ID: "legacy", Function: entitlement.Business})
		c.Matrix[raci.Revoke] = raci.Assignment{Accountable: []string{"ops"}, Responsible: []string{"ops"}, Informed: []string{"legacy"}}
	})
	require.Len(t, fs, 1)
	require.Equal(t, "low", fs[0].Severity.String(), "a party only informed is low severity")

	fs = check(t, func(inv *entitlement.Inventory, _ *raci.Config) {
		identity(inv, "sam").Status = entitlement.IdentityOffboarded
	})
	require.Len(t, fs, 1)
	require.Equal(t, "high", fs[0].Severity.String(), "a party accountable for something is high severity")
}

func TestMentionsAreBounded(t *testing.T) {
	fs := check(t, func(inv *entitlement.Inventory, c *raci.Config) {
		identity(inv, "sam").Status = entitlement.IdentityOffboarded
		for i := range 30 {
			id := "erp:x" + strings.Repeat("y", i)
			inv.Entitlements = append(inv.Entitlements, entitlement.Entitlement{ID: id, PolicyOwner: "iam", Fulfiller: "ops", ApprovalPath: []string{"sec"}})
		}
	})
	f := only(fs, raci.KindInactiveParty)
	require.Len(t, f, 1)
	require.Len(t, f[0].Evidence, 2+21, "twenty places, then a count of the rest")
	require.Equal(t, "15 more place(s)", f[0].Evidence[len(f[0].Evidence)-1].Value, "sec is named 5 times in the matrix and on 30 approval paths")
}

func TestOwnNHIGapsCiteAIRMFWhenAgentsExist(t *testing.T) {
	fs := check(t, func(inv *entitlement.Inventory, c *raci.Config) {
		delete(c.Matrix, raci.OwnNHI)
		inv.Identities = append(inv.Identities, entitlement.Identity{ID: "agent", Kind: entitlement.AIAgent,
			Status: entitlement.IdentityActive, Owner: "alice",
			Credential: entitlement.Credential{Created: ago(day), Expires: at.Add(day)}, LastUsed: ago(day)})
	})
	require.Len(t, fs, 2)
	for _, f := range fs {
		require.Contains(t, f.Controls, audit.Ref(audit.AIRMF, "GOVERN 2.1"), "AI agents make who owns a non-human identity an AI RMF question")
	}
}
