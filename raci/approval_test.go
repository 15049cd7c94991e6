package raci_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

func TestApprovalChecks(t *testing.T) {
	approval := func(by, stage string) entitlement.Approval {
		return entitlement.Approval{By: by, Stage: stage, At: ago(399 * day)}
	}
	setApprovals := func(as ...entitlement.Approval) func(*entitlement.Inventory, *raci.Config) {
		return func(inv *entitlement.Inventory, _ *raci.Config) { grant(inv, "g-1").Approvals = as }
	}
	tests := []struct {
		name   string
		mutate func(*entitlement.Inventory, *raci.Config)
		want   []string
		reason string
	}{
		{
			name:   "stage approved by a non-member",
			mutate: setApprovals(approval("fiona", "biz"), approval("sam", "iam")),
			want:   []string{"raci.approval-outside-path grant g-1", "raci.approval-stage-missing grant g-1"},
			reason: "sam is not in iam: his approval does not count, so the iam stage is missing",
		},
		{
			name:   "stage not on the path",
			mutate: setApprovals(approval("fiona", "biz"), approval("ines", "iam"), approval("sam", "sec")),
			want:   []string{"raci.approval-outside-path grant g-1"},
			reason: "an extra approval from a party off the path is recorded as outside it, even though the path is complete",
		},
		{
			name:   "missing stage",
			mutate: setApprovals(approval("fiona", "biz")),
			want:   []string{"raci.approval-stage-missing grant g-1"},
			reason: "privileged access needs the second sign-off its path lists",
		},
		{
			name:   "no approval at all",
			mutate: setApprovals(),
			want:   []string{"raci.approval-stage-missing grant g-1"},
			reason: "every stage is missing; one finding lists them",
		},
		{
			name:   "stages inferred from membership",
			mutate: setApprovals(approval("ines", ""), approval("fiona", "")),
			want:   nil,
			reason: "an approval with no stage satisfies the stage of the approver's party, whatever the order",
		},
		{
			name:   "unstaged approval by an outsider",
			mutate: setApprovals(approval("fiona", ""), approval("hugo", "")),
			want:   []string{"raci.approval-outside-path grant g-1", "raci.approval-stage-missing grant g-1"},
			reason: "hugo belongs to no party of the path",
		},
		{
			name:   "one approver twice",
			mutate: setApprovals(approval("fiona", "biz"), approval("fiona", "")),
			want:   []string{"raci.approval-stage-missing grant g-1"},
			reason: "a second approval from the same party does not fill another party's stage",
		},
		{
			name: "break-glass grant",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				g := grant(inv, "g-1")
				g.Approvals, g.Source = nil, entitlement.SourceBreakGlass
			},
			want:   nil,
			reason: "emergency access bypasses the path by design; its review is the emergency-access checks' business",
		},
		{
			name: "revoked grant",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				g := grant(inv, "g-1")
				g.Approvals, g.State, g.Revoked = nil, entitlement.GrantRevoked, entitlement.Event{By: "hugo", At: ago(day)}
			},
			want:   nil,
			reason: "a revoked grant confers nothing any more",
		},
		{
			name: "expired grant",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				g := grant(inv, "g-1")
				g.Approvals, g.Expires = nil, at
			},
			want:   nil,
			reason: "a grant that expires exactly at the evaluation time is over",
		},
		{
			name: "approved, not yet provisioned",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				g := grant(inv, "g-1")
				g.Approvals = []entitlement.Approval{approval("fiona", "biz")}
				g.State, g.Provisioned, g.Certified = entitlement.GrantApproved, entitlement.Event{}, entitlement.Event{}
			},
			want:   []string{"raci.approval-stage-missing grant g-1"},
			reason: "catch the gap before the fulfiller acts on it",
		},
		{
			name: "role grant takes the paths of what it confers",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				inv.Roles[0].Entitlements = append(inv.Roles[0].Entitlements, "erp:pay.release")
			},
			want:   []string{"raci.approval-stage-missing grant g-2"},
			reason: "a role that carries privileged access needs that access's approvals",
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

func TestApprovalStageMissingSeverity(t *testing.T) {
	fs := check(t, func(inv *entitlement.Inventory, _ *raci.Config) {
		ent(inv, "erp:report.view").ApprovalPath = []string{"biz"}
		grant(inv, "g-1").Approvals = nil
	})
	got := map[string]audit.Severity{}
	for _, f := range only(fs, raci.KindApprovalStageMissing) {
		got[f.Subject.ID] = f.Severity
	}
	require.Equal(t, map[string]audit.Severity{"g-1": audit.High, "g-2": audit.Medium, "g-3": audit.Medium}, got,
		"privileged access missing a stage is high; low-risk access medium")
}
