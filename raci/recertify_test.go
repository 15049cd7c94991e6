package raci_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

func TestRecertificationChecks(t *testing.T) {
	certify := func(id string, by string, when time.Time) func(*entitlement.Inventory, *raci.Config) {
		return func(inv *entitlement.Inventory, _ *raci.Config) {
			grant(inv, id).Certified = entitlement.Event{By: by, At: when}
		}
	}
	tests := []struct {
		name   string
		mutate func(*entitlement.Inventory, *raci.Config)
		want   []string
		reason string
	}{
		{
			name:   "overdue",
			mutate: certify("g-1", "fiona", ago(100*day)),
			want:   []string{"raci.recertification-overdue grant g-1"},
			reason: "erp:pay.release must be recertified every 90 days",
		},
		{
			name:   "due exactly now",
			mutate: certify("g-1", "fiona", ago(90*day)),
			want:   []string{"raci.recertification-overdue grant g-1"},
			reason: "the interval is half-open: at last-certified + 90d the certification has run out",
		},
		{
			name:   "due in a second",
			mutate: certify("g-1", "fiona", ago(90*day-time.Second)),
			want:   nil,
			reason: "one second before it runs out, the certification still holds",
		},
		{
			name:   "never certified, old access",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) { grant(inv, "g-3").Provisioned.At = ago(400 * day) },
			want:   []string{"raci.recertification-overdue grant g-3"},
			reason: "a grant never certified is measured from the start of its access",
		},
		{
			name:   "never certified, start unknown",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) { grant(inv, "g-3").Provisioned = entitlement.Event{} },
			want:   []string{"raci.recertification-overdue grant g-3"},
			reason: "with no date to measure from, the grant fails closed",
		},
		{
			name:   "certification after the evaluation time",
			mutate: certify("g-1", "fiona", at.Add(day)),
			want:   []string{"raci.recertification-overdue grant g-1"},
			reason: "at the evaluation time the certification has not happened; the grant started 398 days earlier",
		},
		{
			name:   "undated certification",
			mutate: certify("g-1", "fiona", time.Time{}),
			want:   []string{"raci.recertification-overdue grant g-1"},
			reason: "a certification without a time cannot restart the interval",
		},
		{
			name: "policy default interval",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				ent(inv, "erp:report.view").RecertifyEvery = 0
				c.Policy.RecertifyEvery = 20 * day
			},
			want:   []string{"raci.recertification-overdue grant g-2", "raci.recertification-overdue grant g-3"},
			reason: "an entitlement with no interval of its own takes the policy's",
		},
		{
			name: "privileged default interval",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				ent(inv, "erp:pay.release").RecertifyEvery = 0
				grant(inv, "g-1").Certified.At = ago(91 * day)
			},
			want:   []string{"raci.recertification-overdue grant g-1"},
			reason: "privileged access with no interval of its own defaults to 90 days, not a year",
		},
		{
			name: "role grant takes the strictest interval",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				inv.Entitlements = append(inv.Entitlements, entitlement.Entitlement{ID: "erp:gl.read", PolicyOwner: "iam", Fulfiller: "ops", RecertifyEvery: 20 * day})
				inv.Roles[0].Entitlements = append(inv.Roles[0].Entitlements, "erp:gl.read")
			},
			want:   []string{"raci.recertification-overdue grant g-2"},
			reason: "g-2 was certified 30 days ago and its role now carries an entitlement recertified every 20 days",
		},
		{
			name:   "self-certified",
			mutate: certify("g-1", "alice", ago(day)),
			want:   []string{"raci.certifier-not-accountable grant g-1", "raci.self-certified grant g-1"},
			reason: "nobody reviews their own access; alice is also outside the recertify row",
		},
		{
			name:   "certifier outside the recertify row",
			mutate: certify("g-1", "hugo", ago(day)),
			want:   []string{"raci.certifier-not-accountable grant g-1"},
			reason: "the help desk provisions; it does not recertify",
		},
		{
			name: "an override names who recertifies",
			mutate: func(inv *entitlement.Inventory, c *raci.Config) {
				grant(inv, "g-1").Certified = entitlement.Event{By: "sam", At: ago(day)}
				c.Overrides = []raci.Override{{Entitlement: "erp:pay.release",
					Matrix: raci.Matrix{raci.Recertify: {Accountable: []string{"iam"}, Responsible: []string{"sec"}}}}}
			},
			want:   []string{"raci.recertification-not-governed entitlement erp:pay.release"},
			reason: "sam may certify because the override makes sec responsible, but security is not a certifying function",
		},
		{
			name: "revoked grant",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				g := grant(inv, "g-1")
				g.State, g.Revoked, g.Certified = entitlement.GrantRevoked, entitlement.Event{By: "hugo", At: ago(day)}, entitlement.Event{}
			},
			want:   nil,
			reason: "only live grants need recertifying",
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

func TestRecertificationOverdueSeverity(t *testing.T) {
	fs := check(t, func(inv *entitlement.Inventory, c *raci.Config) {
		c.Policy.RecertifyEvery = day
		ent(inv, "erp:report.view").RecertifyEvery = 0
		grant(inv, "g-1").Certified.At = ago(100 * day)
	})
	got := map[string]audit.Severity{}
	for _, f := range only(fs, raci.KindRecertificationOverdue) {
		got[f.Subject.ID] = f.Severity
	}
	require.Equal(t, map[string]audit.Severity{"g-1": audit.High, "g-2": audit.Medium, "g-3": audit.Medium}, got,
		"overdue privileged access is high")
}
