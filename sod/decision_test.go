package sod_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

func TestDecisionOf(t *testing.T) {
	open := audit.Finding{Kind: sod.KindToxicCombination, Message: "al holds both sides", Status: audit.Open}
	mitigated := audit.Finding{Kind: sod.KindToxicCombination, Message: "bo holds both sides; mitigated by exception X", Status: audit.Mitigated}
	indeterminate := audit.Finding{Kind: sod.KindIndeterminate, Message: "cannot evaluate", Status: audit.Indeterminate}
	waived := audit.Finding{Kind: sod.KindToxicCombination, Message: "cy holds both sides; waived by waiver W until 2026-12-01T00:00:00Z", Status: audit.Waived}
	tests := []struct {
		name     string
		reason   string
		added    []audit.Finding
		want     sod.Verdict
		reasons  []string
		blocking int
	}{
		{name: "nothing added", reason: "a change that adds nothing is allowed, and says so",
			want: sod.Allow, reasons: []string{"the change adds no finding"}},
		{name: "only mitigated", reason: "an exception covers it: allowed, with the mitigation as the reason",
			added: []audit.Finding{mitigated}, want: sod.Allow, reasons: []string{"sod.toxic-combination: " + mitigated.Message}},
		{name: "open", reason: "an open finding denies",
			added: []audit.Finding{open}, want: sod.Deny, reasons: []string{"sod.toxic-combination: " + open.Message}, blocking: 1},
		{name: "open and mitigated", reason: "the mitigated one does not rescue the open one; the reasons are the open ones",
			added: []audit.Finding{open, mitigated}, want: sod.Deny, reasons: []string{"sod.toxic-combination: " + open.Message}, blocking: 1},
		{name: "only waived", reason: "a waiver accepts it for now: allowed, like a mitigated finding, with the waiver as the reason",
			added: []audit.Finding{waived}, want: sod.Allow, reasons: []string{"sod.toxic-combination: " + waived.Message}},
		{name: "open and waived", reason: "a waiver of one finding does not rescue another",
			added: []audit.Finding{waived, open}, want: sod.Deny, reasons: []string{"sod.toxic-combination: " + open.Message}, blocking: 1},
		{name: "indeterminate", reason: "what cannot be evaluated is not allowed by default",
			added: []audit.Finding{indeterminate}, want: sod.Indeterminate, reasons: []string{"sod.indeterminate: cannot evaluate"}, blocking: 1},
		{name: "open beats indeterminate", reason: "a definite deny is the stronger answer",
			added: []audit.Finding{indeterminate, open}, want: sod.Deny, reasons: []string{"sod.toxic-combination: " + open.Message}, blocking: 2},
		{name: "unknown status", reason: "a status this version does not know fails closed, as open",
			added: []audit.Finding{{Kind: "x.y", Message: "m", Status: audit.Status(9)}}, want: sod.Deny, reasons: []string{"x.y: m"}, blocking: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sod.DecisionOf(tt.added)
			require.Equal(t, tt.want, d.Verdict, tt.reason)
			require.Equal(t, tt.reasons, d.Reasons, tt.reason)
			require.Equal(t, tt.want == sod.Allow, d.Allowed(), tt.reason)
			require.Len(t, d.Blocking(), tt.blocking, tt.reason)
			require.Equal(t, tt.added, d.Findings, "every added finding is kept")
		})
	}
}

func TestZeroDecisionDenies(t *testing.T) {
	var d sod.Decision
	require.False(t, d.Allowed(), "the zero Decision allows nothing")
	require.Equal(t, sod.Indeterminate, d.Verdict)
	require.Equal(t, "indeterminate", d.Verdict.String())
}

func TestDecideMatchesWhatIf(t *testing.T) {
	x := with(t, person("al", "finance", role("g1", "vendor")), person("bo", "finance"))
	e := compile(t, x, sod.Config{Rules: []sod.Rule{pair("P2P", []string{"erp:vendor.create"}, []string{"erp:payment.release"})}})
	c := sod.Change{Identity: "al", Grants: []entitlement.Grant{{ID: "n", Entitlement: "erp:payment.release"}}}
	added, err := e.WhatIf(c, t0)
	require.NoError(t, err)
	d, err := e.Decide(c, t0)
	require.NoError(t, err)
	require.Equal(t, added, d.Findings)
	require.Equal(t, sod.Deny, d.Verdict)
	_, err = e.Decide(c, time.Time{})
	require.ErrorIs(t, err, sod.ErrZeroTime)
}
