package sod_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/sod"
)

func TestLint(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		rules  []sod.Rule
		duties []sod.Duty
		want   []summary
	}{
		{name: "clean", reason: "a pair over distinct, known entitlements in no single role",
			rules: []sod.Rule{pair("P2P", []string{"erp:vendor.create"}, []string{"erp:payment.release"})}},
		{name: "unknown entitlement", reason: "a reference that does not resolve is indeterminate",
			rules: []sod.Rule{pair("R", []string{"erp:vendor.create"}, []string{"erp:nope"})},
			want:  []summary{{sod.KindIndeterminate, "R", "R", audit.Indeterminate}}},
		{name: "unknown role", reason: "roles resolve too",
			rules: []sod.Rule{{ID: "R", Sides: []sod.Side{{Roles: []string{"ghost"}}, {Roles: []string{"clerk"}}}}},
			want:  []summary{{sod.KindIndeterminate, "R", "R", audit.Indeterminate}}},
		{name: "overlapping sides", reason: "the same entitlement on both sides",
			rules: []sod.Rule{pair("R", []string{"erp:vendor.create"}, []string{"erp:vendor.create", "erp:payment.release"})},
			want: []summary{{sod.KindOverlappingSides, "R", "R", audit.Open},
				{sod.KindIntraRoleConflict, "R", "vendor", audit.Open}}},
		{name: "overlap through duties", reason: "two duties sharing an entitlement, used on two sides",
			duties: []sod.Duty{{ID: "d1", Entitlements: []string{"erp:invoice.post"}}, {ID: "d2", Entitlements: []string{"erp:invoice.post", "bank:payment.approve"}}},
			rules:  []sod.Rule{{ID: "R", Sides: []sod.Side{{Duty: "d1"}, {Duty: "d2"}}}},
			want: []summary{{sod.KindOverlappingSides, "R", "R", audit.Open},
				{sod.KindIntraRoleConflict, "R", "clerk", audit.Open}, {sod.KindIntraRoleConflict, "R", "supervisor", audit.Open}}},
		{name: "intra-role conflict through inheritance", reason: "supervisor releases payments and inherits invoice posting from clerk",
			rules: []sod.Rule{pair("R", []string{"erp:invoice.post"}, []string{"erp:payment.release"})},
			want:  []summary{{sod.KindIntraRoleConflict, "R", "supervisor", audit.Open}}},
		{name: "critical rules are not role flaws", reason: "k=1 rules flag holders, not roles",
			rules: []sod.Rule{{ID: "C", Sides: []sod.Side{{Entitlements: []string{"k8s:admin"}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := compile(t, with(t), sod.Config{Rules: tt.rules, Duties: tt.duties})
			got := summarize(e.Lint())
			if diff := cmp.Diff(sortSummaries(tt.want), sortSummaries(got)); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestIntraRoleEvidence(t *testing.T) {
	e := compile(t, with(t), sod.Config{Rules: []sod.Rule{pair("R", []string{"erp:invoice.post"}, []string{"erp:payment.release"})}})
	fs := e.Lint()
	require.Len(t, fs, 1)
	require.Equal(t, "role supervisor → role clerk → entitlement erp:invoice.post", audit.PathString(fs[0].Evidence[0].Path),
		"the path shows where the role gets the duty")
}
