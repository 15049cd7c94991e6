package raci_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/raci"
)

func TestResolve(t *testing.T) {
	a := func(refs ...string) []string { return refs }
	tests := []struct {
		name      string
		overrides []raci.Override
		activity  raci.Activity
		want      raci.Assignment
		reason    string
	}{
		{
			name: "global row", activity: raci.Revoke,
			want:   raci.Assignment{Accountable: a("ops"), Responsible: a("ops")},
			reason: "with no override, the global row applies",
		},
		{
			name: "catalogue fields", activity: raci.ApproveRequest,
			want:   raci.Assignment{Accountable: a("iam"), Responsible: a("biz", "iam")},
			reason: "the approval path replaces the responsible cell only",
		},
		{
			name:      "system override replaces the row",
			overrides: []raci.Override{{System: "erp", Matrix: raci.Matrix{raci.Revoke: {Accountable: a("iam"), Responsible: a("iam")}}}},
			activity:  raci.Revoke,
			want:      raci.Assignment{Accountable: a("iam"), Responsible: a("iam")},
			reason:    "a system override replaces the whole row",
		},
		{
			name:      "catalogue beats the system override",
			overrides: []raci.Override{{System: "erp", Matrix: raci.Matrix{raci.DefinePolicy: {Accountable: a("sec"), Responsible: a("sec")}}}},
			activity:  raci.DefinePolicy,
			want:      raci.Assignment{Accountable: a("iam"), Responsible: a("sec")},
			reason:    "the entitlement's policy owner is more specific than its system's default",
		},
		{
			name:      "entitlement override beats the catalogue",
			overrides: []raci.Override{{Entitlement: "erp:pay.release", Matrix: raci.Matrix{raci.DefinePolicy: {Accountable: a("biz")}}}},
			activity:  raci.DefinePolicy,
			want:      raci.Assignment{Accountable: a("biz")},
			reason:    "the entitlement override is the most specific scope, and it replaces the whole row",
		},
		{
			name: "first of two overrides counts",
			overrides: []raci.Override{
				{System: "erp", Matrix: raci.Matrix{raci.Revoke: {Accountable: a("iam")}}},
				{System: "erp", Matrix: raci.Matrix{raci.Revoke: {Accountable: a("sec")}}},
			},
			activity: raci.Revoke,
			want:     raci.Assignment{Accountable: a("iam")},
			reason:   "Validate rejects the duplicate; the checks keep the first",
		},
		{
			name:      "invalid override ignored",
			overrides: []raci.Override{{System: "erp", Entitlement: "erp:pay.release", Matrix: raci.Matrix{raci.Revoke: {Accountable: a("iam")}}}},
			activity:  raci.Revoke,
			want:      raci.Assignment{Accountable: a("ops"), Responsible: a("ops")},
			reason:    "an override with two scopes applies to neither",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, c := fixture()
			c.Overrides = tt.overrides
			m, ok := c.Resolve(index(t, inv), "erp:pay.release")
			require.True(t, ok)
			require.Len(t, m, len(raci.Activities()), "the effective matrix has a row for every activity")
			if diff := cmp.Diff(tt.want, m[tt.activity]); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestResolveUnknownAndCopies(t *testing.T) {
	inv, c := fixture()
	x := index(t, inv)
	_, ok := c.Resolve(x, "erp:nope")
	require.False(t, ok, "an unknown entitlement has no matrix")
	m, _ := c.Resolve(x, "erp:pay.release")
	m[raci.Revoke].Accountable[0] = "changed"
	require.Equal(t, "ops", c.Matrix[raci.Revoke].Accountable[0], "the result shares no memory with the config")
}
