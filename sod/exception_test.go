package sod_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

func TestExceptions(t *testing.T) {
	rule := pair("P2P", []string{"erp:vendor.create"}, []string{"erp:payment.release"})
	rule.Owner = "finance"
	violator := person("al", "finance", role("g1", "vendor"), role("g2", "supervisor"))
	good := sod.Exception{ID: "X1", Rule: "P2P", Identity: "al", Owner: "omar", Approver: "ines",
		ValidFrom: t0.Add(-24 * time.Hour), ValidUntil: t0.Add(30 * 24 * time.Hour), CompensatingControl: "weekly review"}
	mod := func(f func(*sod.Exception)) sod.Exception { x := good; f(&x); return x }
	two := 2
	tox := func(st audit.Status) summary { return summary{sod.KindToxicCombination, "P2P", "al", st} }
	exc := func(k audit.Kind) summary { return summary{k, "P2P", "X1", audit.Open} }

	tests := []struct {
		name   string
		reason string
		policy func(*sod.Config)
		x      sod.Exception
		ids    []entitlement.Identity
		want   []summary
	}{
		{name: "valid exception mitigates", reason: "in force, allowed approver, not self-approved: mitigated, still reported",
			x: good, want: []summary{tox(audit.Mitigated)}},
		{name: "party-scoped exception", reason: "an exception may cover every member of a party",
			x: mod(func(x *sod.Exception) { x.Identity, x.Party = "", "finance" }), want: []summary{tox(audit.Mitigated)}},
		{name: "expired exactly at t", reason: "valid until is exclusive: the violation is unmitigated again and the exception is reported",
			x: mod(func(x *sod.Exception) { x.ValidUntil = t0 }), want: []summary{tox(audit.Open), exc(sod.KindExceptionExpired)}},
		{name: "not yet valid", reason: "valid from is inclusive; a nanosecond later it does not yet mitigate",
			x: mod(func(x *sod.Exception) { x.ValidFrom = t0.Add(time.Nanosecond) }), want: []summary{tox(audit.Open)}},
		{name: "no end date", reason: "an exception without an end date never mitigates and is reported",
			x: mod(func(x *sod.Exception) { x.ValidUntil = time.Time{} }), want: []summary{tox(audit.Open), exc(sod.KindExceptionNoExpiry)}},
		{name: "too long", reason: "longer than the default 90 days, still mitigates but is reported",
			x: mod(func(x *sod.Exception) {
				x.ValidFrom = t0.Add(-60 * 24 * time.Hour)
				x.ValidUntil = t0.Add(31*24*time.Hour + time.Nanosecond)
			}),
			want: []summary{tox(audit.Mitigated), exc(sod.KindExceptionTooLong)}},
		{name: "exactly the maximum", reason: "90 days exactly is allowed",
			x: mod(func(x *sod.Exception) {
				x.ValidFrom = t0.Add(-60 * 24 * time.Hour)
				x.ValidUntil = t0.Add(30 * 24 * time.Hour)
			}),
			want: []summary{tox(audit.Mitigated)}},
		{name: "self-approved", reason: "approved by the identity it covers: reported, mitigates nothing",
			policy: func(p *sod.Config) { p.Policy.ExceptionApprovers = []string{"iam", "finance"} },
			x:      mod(func(x *sod.Exception) { x.Approver = "al" }),
			want:   []summary{tox(audit.Open), exc(sod.KindExceptionSelfApproved), {sod.KindDutyConflict, "P2P", "X1", audit.Open}}},
		{name: "wrong approver", reason: "fiona is not in the allowed approver party",
			x: mod(func(x *sod.Exception) { x.Approver = "fiona" }), want: []summary{tox(audit.Open), exc(sod.KindExceptionWrongApprover), {sod.KindDutyConflict, "P2P", "X1", audit.Open}}},
		{name: "no approver configured fails closed", reason: "with no approver parties anywhere, no approval is allowed",
			policy: func(p *sod.Config) { p.Policy.ExceptionApprovers = nil },
			x:      good, want: []summary{tox(audit.Open), exc(sod.KindExceptionWrongApprover)}},
		{name: "renewed too often", reason: "two renewals against the default of one",
			x: mod(func(x *sod.Exception) { x.Renewals = 2 }), want: []summary{tox(audit.Mitigated), exc(sod.KindExceptionRenewedTooOften)}},
		{name: "renewals allowed by the policy", reason: "the policy raises the limit to two",
			policy: func(p *sod.Config) { p.Policy.MaxRenewals = &two },
			x:      mod(func(x *sod.Exception) { x.Renewals = 2 }), want: []summary{tox(audit.Mitigated)}},
		{name: "orphaned: no violation", reason: "the identity no longer violates the rule",
			ids: []entitlement.Identity{person("al", "finance", role("g1", "vendor"))},
			x:   good, want: []summary{exc(sod.KindExceptionOrphaned)}},
		{name: "orphaned: unknown rule", reason: "the rule it names does not exist",
			x: mod(func(x *sod.Exception) { x.Rule = "GONE" }), want: []summary{tox(audit.Open), {sod.KindExceptionOrphaned, "GONE", "X1", audit.Open}}},
		{name: "orphaned: unknown identity", reason: "it covers an identity the inventory does not have",
			x: mod(func(x *sod.Exception) { x.Identity = "ghost" }), want: []summary{tox(audit.Open), exc(sod.KindExceptionOrphaned)}},
		{name: "rule owner approves its own exception", reason: "the policy owner must not approve exceptions to its own policy",
			policy: func(p *sod.Config) { p.Policy.ExceptionApprovers = []string{"iam", "finance"} },
			x:      mod(func(x *sod.Exception) { x.Approver = "fiona" }),
			want:   []summary{tox(audit.Mitigated), {sod.KindDutyConflict, "P2P", "X1", audit.Open}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := tt.ids
			if ids == nil {
				ids = []entitlement.Identity{violator}
			}
			p := sod.Config{Rules: []sod.Rule{rule}, Policy: sod.Policy{ExceptionApprovers: []string{"iam"}}, Exceptions: []sod.Exception{tt.x}}
			if tt.policy != nil {
				tt.policy(&p)
			}
			e := compile(t, with(t, ids...), p)
			got := summarize(e.Check(t0), sod.KindToxicCombination, sod.KindExceptionExpired, sod.KindExceptionNoExpiry,
				sod.KindExceptionTooLong, sod.KindExceptionSelfApproved, sod.KindExceptionWrongApprover,
				sod.KindExceptionRenewedTooOften, sod.KindExceptionOrphaned, sod.KindDutyConflict)
			if diff := cmp.Diff(sortSummaries(tt.want), sortSummaries(got)); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestMitigationKeepsTheFindingID(t *testing.T) {
	rule := pair("P2P", []string{"erp:vendor.create"}, []string{"erp:payment.release"})
	x := with(t, person("al", "finance", role("g1", "vendor"), role("g2", "supervisor")))
	x1 := sod.Exception{ID: "X1", Rule: "P2P", Identity: "al", Approver: "ines", ValidFrom: t0.Add(-time.Hour), ValidUntil: t0.Add(time.Hour)}
	without := compile(t, x, sod.Config{Rules: []sod.Rule{rule}})
	mitigated := compile(t, x, sod.Config{Rules: []sod.Rule{rule}, Policy: sod.Policy{ExceptionApprovers: []string{"iam"}}, Exceptions: []sod.Exception{x1}})
	a := summarizeByKind(without.Check(t0), sod.KindToxicCombination)
	b := summarizeByKind(mitigated.Check(t0), sod.KindToxicCombination)
	require.Len(t, a, 1)
	require.Len(t, b, 1)
	require.Equal(t, a[0].ID, b[0].ID, "an exception changes the status, not the identity of the problem")
	require.Equal(t, audit.Mitigated, b[0].Status)
	require.Contains(t, b[0].Evidence[len(b[0].Evidence)-1].Label, "mitigated by exception X1")
	// Once it expires the same finding is open again.
	later := mitigated.Check(t0.Add(time.Hour))
	c := summarizeByKind(later, sod.KindToxicCombination)
	require.Equal(t, a[0].ID, c[0].ID)
	require.Equal(t, audit.Open, c[0].Status)
}

func summarizeByKind(fs []audit.Finding, kind audit.Kind) []audit.Finding {
	var out []audit.Finding
	for _, f := range fs {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}
