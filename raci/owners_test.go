package raci_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

func TestOwners(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*entitlement.Inventory, *raci.Config)
		want   map[string][]audit.Kind // subject → gap kinds
		reason string
	}{
		{
			name:   "clean",
			want:   map[string][]audit.Kind{"entitlement erp:pay.release": {}, "entitlement erp:report.view": {}, "identity svc-1": {}},
			reason: "every entitlement and non-human identity is listed, with no gaps",
		},
		{
			name: "inherited gap",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) {
				c.Matrix[raci.Revoke] = raci.Assignment{Responsible: []string{"ops"}}
			},
			want: map[string][]audit.Kind{"entitlement erp:pay.release": {raci.KindNoAccountable},
				"entitlement erp:report.view": {raci.KindNoAccountable}, "identity svc-1": {}},
			reason: "unlike Check, Owners shows each entitlement the gaps it inherits",
		},
		{
			name: "unowned entitlement",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				ent(inv, "erp:report.view").PolicyOwner = ""
				delete(c.Matrix, raci.DefinePolicy)
			},
			want: map[string][]audit.Kind{"entitlement erp:pay.release": {raci.KindNoResponsible},
				"entitlement erp:report.view": {raci.KindNoOwner, raci.KindNoResponsible}, "identity svc-1": {}},
			reason: "the entitlement with no policy owner is unowned; both lose the responsible party of define_policy",
		},
		{
			name:   "orphaned identity",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) { identity(inv, "svc-1").Owner = "" },
			want:   map[string][]audit.Kind{"entitlement erp:pay.release": {}, "entitlement erp:report.view": {}, "identity svc-1": {raci.KindOrphanedNHI}},
			reason: "a non-human identity with no owner is unowned",
		},
		{
			name:   "own_nhi gap",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) { delete(c.Matrix, raci.OwnNHI) },
			want: map[string][]audit.Kind{"entitlement erp:pay.release": {raci.KindNoAccountable, raci.KindNoResponsible},
				"entitlement erp:report.view": {raci.KindNoAccountable, raci.KindNoResponsible},
				"identity svc-1":              {raci.KindNoAccountable, raci.KindNoResponsible}},
			reason: "nobody is accountable for owning non-human identities",
		},
		{
			name: "unstaffed party",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				identity(inv, "hugo").Status = entitlement.IdentityOffboarded
			},
			want: map[string][]audit.Kind{
				"entitlement erp:pay.release": {raci.KindInactiveParty, raci.KindInactiveParty, raci.KindInactiveParty, raci.KindInactiveParty, raci.KindInactiveParty},
				"entitlement erp:report.view": {raci.KindInactiveParty, raci.KindInactiveParty, raci.KindInactiveParty, raci.KindInactiveParty, raci.KindInactiveParty},
				"identity svc-1":              {raci.KindInactiveParty}},
			reason: "ops is accountable and responsible for provisioning and revoking, and responsible for owning identities: five cells",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, c := fixture()
			if tt.mutate != nil {
				tt.mutate(inv, &c)
			}
			got := map[string][]audit.Kind{}
			for _, o := range raci.Owners(index(t, inv), c, at) {
				kinds := []audit.Kind{}
				for _, g := range o.Gaps {
					kinds = append(kinds, g.Kind)
				}
				got[o.Subject.String()] = kinds
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestOwnersRows(t *testing.T) {
	inv, c := fixture()
	os := raci.Owners(index(t, inv), c, at)
	require.Len(t, os, 3)
	require.Equal(t, "entitlement erp:pay.release", os[0].Subject.String(), "entitlements come first, in ID order")
	require.Len(t, os[0].Rows, len(raci.Activities()), "an entitlement lists every activity")
	require.Equal(t, raci.Row{Activity: raci.DefinePolicy, Assignment: raci.Assignment{Accountable: []string{"iam"}, Responsible: []string{"iam"}, Consulted: []string{"sec"}}}, os[0].Rows[0])
	require.Equal(t, []raci.Row{{Activity: raci.OwnNHI, Assignment: raci.Assignment{Accountable: []string{"iam"}, Responsible: []string{"ops"}, Informed: []string{"sec"}}}}, os[2].Rows,
		"a non-human identity lists the own_nhi row")
	require.Equal(t, []raci.Owner{{ID: "alice", Kind: "human", Status: "active"}}, os[2].Owners)
	require.NotNil(t, os[2].Gaps, "gaps is an empty list, not null, when there are none")
}

func TestOwnersIdentityGapsAreOwnNHIOnly(t *testing.T) {
	inv, c := fixture()
	c.Matrix[raci.Provision] = raci.Assignment{Accountable: []string{"iam"}, Responsible: []string{"iam"}}
	for _, o := range raci.Owners(index(t, inv), c, at) {
		if o.Subject.Type == "identity" {
			require.Empty(t, o.Gaps, "a clash of define_policy and provision is no gap of a non-human identity")
		}
	}
}

func TestOwnersNames(t *testing.T) {
	inv, c := fixture()
	ent(inv, "erp:pay.release").Name = "Release payment runs"
	ent(inv, "erp:report.view").Name = "erp:report.view"
	identity(inv, "svc-1").Name = "Nightly batch"
	identity(inv, "alice").Name = "Alice Brandt"
	os := raci.Owners(index(t, inv), c, at)
	require.Len(t, os, 3)
	require.Equal(t, "Release payment runs", os[0].Subject.Name, "an entitlement's name for people")
	require.Empty(t, os[1].Subject.Name, "a name that only repeats the ID is left out")
	require.Equal(t, "Nightly batch", os[2].Subject.Name, "a non-human identity's name")
	require.Equal(t, []raci.Owner{{ID: "alice", Name: "Alice Brandt", Kind: "human", Status: "active"}}, os[2].Owners, "its owner's name")
	for _, o := range os {
		for _, g := range o.Gaps {
			require.NotContains(t, g.Message, "Nightly batch", "gaps quote IDs, as the findings they mirror do")
		}
	}
}
