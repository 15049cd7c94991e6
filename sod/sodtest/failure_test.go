package sodtest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/sod/sodtest"
)

func TestFindingsErrorText(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		err    sodtest.FindingsError
		want   string
	}{
		{name: "none", reason: "a hand-built error without findings still reads well",
			err: sodtest.FindingsError{Check: "check"}, want: "check: 0 failing findings"},
		{name: "rule subject", reason: "the rule is not repeated when it is the subject; the status shows when not open",
			err: sodtest.FindingsError{Check: "check", Findings: []audit.Finding{{
				Kind: "sod.indeterminate", Severity: audit.High, Status: audit.Indeterminate, Rule: "R1",
				Subject: audit.Subject{Type: "rule", ID: "R1"}, Message: "line one\r\nline two\nthree",
				Evidence: []audit.Evidence{{Label: "unresolved", Value: "entitlement x\ny"}},
			}}},
			want: "check: 1 failing finding\n  high sod.indeterminate rule R1 (indeterminate)\n    line one line two three\n    unresolved: entitlement x y"},
		{name: "no rule, no message", reason: "only what the finding has",
			err: sodtest.FindingsError{Check: "check", Findings: []audit.Finding{
				{Kind: "k", Severity: audit.Low, Subject: audit.Subject{Type: "grant", ID: "g1"}},
				{Kind: "k", Severity: audit.Info, Status: audit.Mitigated, Subject: audit.Subject{Type: "grant", ID: "g2"}, Rule: "R"},
			}},
			want: "check: 2 failing findings\n  low k grant g1\n  info k grant g2, rule R (mitigated)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("%s (-want +got):\n%s", tt.reason, cmp.Diff(tt.want, got))
			}
		})
	}
}
