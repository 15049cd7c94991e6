package audit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

func TestDecisionValidate(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		edit   func(*audit.Decision)
		fields []string // the fields reported, in order; none for a valid decision
		is     error
	}{
		{name: "valid", reason: "a complete decision", edit: func(*audit.Decision) {}},
		{name: "role instead of entitlement", reason: "a decision may concern a role",
			edit: func(d *audit.Decision) { d.Entitlement, d.Role = "", "ap-clerk" }},
		{name: "no reason", reason: "the governance rule demands a business reason",
			edit: func(d *audit.Decision) { d.Reason = "" }, fields: []string{"reason"}, is: audit.ErrMissingReason},
		{name: "blank reason", reason: "whitespace is no reason",
			edit: func(d *audit.Decision) { d.Reason = " \t\n" }, fields: []string{"reason"}, is: audit.ErrMissingReason},
		{name: "no policy basis", reason: "the governance rule demands a policy basis",
			edit:   func(d *audit.Decision) { d.PolicyBasis = audit.PolicyBasis{} },
			fields: []string{"policy_basis.rule", "policy_basis.rule_set_sha256"}, is: audit.ErrMissingPolicyBasis},
		{name: "rule without rule-set hash", reason: "the basis names the rule set in force",
			edit: func(d *audit.Decision) { d.PolicyBasis.RuleSetSHA256 = "" }, fields: []string{"policy_basis.rule_set_sha256"}, is: audit.ErrMissingPolicyBasis},
		{name: "bad rule-set hash", reason: "a hash is 64 lower-case hex digits",
			edit: func(d *audit.Decision) { d.PolicyBasis.RuleSetSHA256 = strings.ToUpper(ruleSetHash) }, fields: []string{"policy_basis.rule_set_sha256"}, is: audit.ErrInvalid},
		{name: "zero", reason: "the zero decision reports every missing field at once",
			edit:   func(d *audit.Decision) { *d = audit.Decision{} },
			fields: []string{"time", "actor", "action", "subject", "entitlement", "outcome", "reason", "policy_basis.rule", "policy_basis.rule_set_sha256"}},
		{name: "unknown action and outcome", reason: "only the documented values",
			edit:   func(d *audit.Decision) { d.Action, d.Outcome = "delegate", "maybe" },
			fields: []string{"action", "outcome"}, is: audit.ErrInvalid},
		{name: "entitlement and role", reason: "one access per decision",
			edit: func(d *audit.Decision) { d.Role = "ap-clerk" }, fields: []string{"role"}, is: audit.ErrInvalid},
		{name: "bad findings", reason: "related findings are finding IDs, listed once",
			edit: func(d *audit.Decision) {
				d.Findings = []string{"sk-0123456789abcdef0123", "F-1", "sk-0123456789abcdef0123"}
			},
			fields: []string{"findings[1]", "findings[2]"}, is: audit.ErrInvalid},
		{name: "invalid UTF-8", reason: "text must survive JSON unchanged",
			edit: func(d *audit.Decision) { d.Ticket = "CHG-\xff" }, fields: []string{"ticket"}, is: audit.ErrInvalid},
		{name: "year 10000", reason: "JSON times hold four-digit years",
			edit: func(d *audit.Decision) { d.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, fields: []string{"time"}, is: audit.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := decision(0)
			tc.edit(&d)
			err := d.Validate()
			if len(tc.fields) == 0 {
				require.NoError(t, err, tc.reason)
				return
			}
			require.Error(t, err, tc.reason)
			var got []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				de, ok := errors.AsType[*audit.DecisionError](e)
				require.True(t, ok, "%T", e)
				got = append(got, de.Field)
				require.Contains(t, e.Error(), "decision record: field "+de.Field+": ")
			}
			require.Equal(t, tc.fields, got, tc.reason)
			if tc.is != nil {
				require.ErrorIs(t, err, tc.is, tc.reason)
			}
		})
	}
}

func TestActionsAndOutcomes(t *testing.T) {
	for _, a := range audit.Actions() {
		require.True(t, a.Valid(), a)
	}
	for _, o := range audit.Outcomes() {
		require.True(t, o.Valid(), o)
	}
	require.False(t, audit.Action("").Valid(), "the zero action is invalid")
	require.False(t, audit.Outcome("").Valid(), "the zero outcome is invalid")
}

func TestRuleSetHash(t *testing.T) {
	require.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", audit.RuleSetHash(nil))
}
