package audit_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
)

// exampleDecision is the decision the examples record.
func exampleDecision() audit.Decision {
	return audit.Decision{
		Time:        time.Date(2026, 10, 5, 14, 30, 0, 0, time.UTC),
		Actor:       "carol",
		Action:      audit.ActionApprove,
		Subject:     "alice",
		Entitlement: "erp:vendor.create",
		Outcome:     audit.OutcomeCompleted,
		Reason:      "covers vendor onboarding during the quarter-end close",
		PolicyBasis: audit.PolicyBasis{Rule: "tmpl-ap-standard", RuleSetSHA256: audit.RuleSetHash([]byte("rules v42"))},
		Ticket:      "CHG-1042",
	}
}

func ExampleDecision_Validate() {
	d := exampleDecision()
	d.Reason = ""
	d.PolicyBasis.RuleSetSHA256 = ""
	err := d.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, audit.ErrMissingReason), errors.Is(err, audit.ErrMissingPolicyBasis))
	// Output:
	// decision record: field reason: a decision needs a business reason
	// decision record: field policy_basis.rule_set_sha256: a decision needs a policy basis: the rule or template ID and the SHA-256 of the rule set in force
	// true true
}

func ExampleReadDecisions() {
	records := `{"time":"2026-10-05T14:30:00Z","actor":"carol","action":"approve","subject":"alice",
 "entitlement":"erp:vendor.create","outcome":"completed","reason":"vendor onboarding",
 "policy_basis":{"rule":"tmpl-ap","rule_set_sha256":"` + audit.RuleSetHash([]byte("rules v42")) + `"}}
{"time":"2026-10-05T14:31:00Z","actor":"carol","actor":"mallory"}`
	_, err := audit.ReadDecisions(strings.NewReader(records))
	fmt.Println(err)
	fmt.Println(errors.Is(err, audit.ErrDuplicateKey))
	if je, ok := errors.AsType[*audit.JSONError](err); ok {
		fmt.Println(je.Line, je.Key)
	}

	ds, err := audit.ReadDecisions(strings.NewReader(strings.SplitAfter(records, "}}")[0]))
	fmt.Println(len(ds), ds[0].Subject, err, ds[0].Validate())
	// Output:
	// record 2: line 4: key "actor": duplicate key
	// true
	// 4 actor
	// 1 alice <nil> <nil>
}

func ExampleRuleSetHash() {
	fmt.Println(audit.RuleSetHash([]byte("rules v42")))
	// Output:
	// 39802fbd7cd557205dcea7cd7863cccc96eff613b409f687a4f40f41cee08bcb
}
