package sod_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

func TestValidate(t *testing.T) {
	ok := sod.Side{Entitlements: []string{"a:b"}}
	neg := -1
	tests := []struct {
		name     string
		reason   string
		p        sod.Config
		sentinel error
		record   string // "type id"
		field    string
	}{
		{"missing rule id", "every rule needs an ID", sod.Config{Rules: []sod.Rule{{Sides: []sod.Side{ok}}}}, entitlement.ErrRequired, "rule #0", "id"},
		{"duplicate rule", "IDs are unique", sod.Config{Rules: []sod.Rule{{ID: "R", Sides: []sod.Side{ok}}, {ID: "R", Sides: []sod.Side{ok}}}}, entitlement.ErrDuplicate, "rule R", "id"},
		{"no sides", "a rule needs sides", sod.Config{Rules: []sod.Rule{{ID: "R"}}}, entitlement.ErrRequired, "rule R", "sides"},
		{"empty side", "a side needs members", sod.Config{Rules: []sod.Rule{{ID: "R", Sides: []sod.Side{ok, {Name: "x"}}}}}, entitlement.ErrRequired, "rule R", "sides[1]"},
		{"k too large", "k cannot exceed the sides", sod.Config{Rules: []sod.Rule{{ID: "R", K: 3, Sides: []sod.Side{ok, ok}}}}, entitlement.ErrInvalid, "rule R", "k"},
		{"negative k", "k is at least 1 (0 means all)", sod.Config{Rules: []sod.Rule{{ID: "R", K: -1, Sides: []sod.Side{ok}}}}, entitlement.ErrInvalid, "rule R", "k"},
		{"unknown duty", "a side's duty must exist", sod.Config{Rules: []sod.Rule{{ID: "R", Sides: []sod.Side{{Duty: "d"}}}}}, entitlement.ErrUnknownRef, "rule R", "sides[0].duty"},
		{"duty and members", "a side is a duty reference or inline, not both", sod.Config{Duties: []sod.Duty{{ID: "d", Entitlements: []string{"a:b"}}},
			Rules: []sod.Rule{{ID: "R", Sides: []sod.Side{{Duty: "d", Entitlements: []string{"a:c"}}}}}}, entitlement.ErrConflict, "rule R", "sides[0]"},
		{"repeated member", "a side lists a member once", sod.Config{Rules: []sod.Rule{{ID: "R", Sides: []sod.Side{{Entitlements: []string{"a:b", "a:b"}}}}}}, entitlement.ErrDuplicate, "rule R", "sides[0].entitlements[1]"},
		{"too many sides", "sides are bounded", sod.Config{Rules: []sod.Rule{{ID: "R", Sides: make([]sod.Side, sod.MaxSides+1)}}}, entitlement.ErrInvalid, "rule R", "sides"},
		{"empty duty", "a duty needs members", sod.Config{Duties: []sod.Duty{{ID: "d"}}}, entitlement.ErrRequired, "duty d", "entitlements"},
		{"exception without start", "valid from is required", sod.Config{Exceptions: []sod.Exception{{ID: "X", Rule: "R", Identity: "a"}}}, entitlement.ErrRequired, "exception X", "valid_from"},
		{"exception ends before it starts", "impossible window", sod.Config{Exceptions: []sod.Exception{{ID: "X", Rule: "R", Identity: "a",
			ValidFrom: t0, ValidUntil: t0.Add(-time.Second)}}}, entitlement.ErrTimeOrder, "exception X", "valid_until"},
		{"exception covers both", "identity or party, not both", sod.Config{Exceptions: []sod.Exception{{ID: "X", Rule: "R", Identity: "a", Party: "p", ValidFrom: t0}}}, entitlement.ErrConflict, "exception X", "party"},
		{"negative renewals limit", "limits are not negative", sod.Config{Policy: sod.Policy{MaxRenewals: &neg}}, entitlement.ErrInvalid, "policy sod", "max_renewals"},
		{"separation across records", "a grant duty cannot be separated from an exception duty", sod.Config{Policy: sod.Policy{Separations: []sod.Separation{{A: sod.Approver, B: sod.ExceptionApprover}}}}, entitlement.ErrConflict, "separation #0", "b"},
		{"rule owner at person level", "rule_owner is a party", sod.Config{Policy: sod.Policy{Separations: []sod.Separation{{A: sod.RuleOwner, B: sod.ExceptionApprover}}}}, entitlement.ErrConflict, "separation #0", "team"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			require.Error(t, err, tt.reason)
			require.ErrorIs(t, err, tt.sentinel, tt.reason)
			var found bool
			for _, e := range entitlement.Errors(err) {
				var re *entitlement.RecordError
				if errors.As(e, &re) && re.Record() == tt.record && re.Field == tt.field && errors.Is(re, tt.sentinel) {
					found = true
				}
			}
			require.Truef(t, found, "%s: want a %v error on %s field %s, got:\n%v", tt.reason, tt.sentinel, tt.record, tt.field, err)
		})
	}
}

func TestValidateReportsEverything(t *testing.T) {
	p := sod.Config{Rules: []sod.Rule{{ID: "A"}, {ID: "A", K: 9, Sides: []sod.Side{{}}}}}
	errs := entitlement.Errors(p.Validate())
	require.Len(t, errs, 4, "no sides; duplicate ID; k out of range; empty side — all at once")
	_, err := sod.Compile(with(t), p)
	require.Error(t, err, "Compile refuses an invalid policy")
}

// TestValidateLengths checks that the policy's IDs, references, names and
// free text are bounded like the inventory's (issue 13), and that an error
// about an over-long value stays short.
func TestValidateLengths(t *testing.T) {
	id := strings.Repeat("x", entitlement.MaxIDLength+1)
	name := strings.Repeat("n", entitlement.MaxNameLength+1)
	text := strings.Repeat("t", entitlement.MaxTextLength+1)
	ok := sod.Side{Entitlements: []string{"a:b"}}
	tests := []struct {
		name   string
		p      sod.Config
		want   []string // "record: field"
		reason string
	}{
		{"IDs", sod.Config{
			Duties:     []sod.Duty{{ID: id, Entitlements: []string{"a:b"}}},
			Rules:      []sod.Rule{{ID: id, Sides: []sod.Side{ok}}},
			Exceptions: []sod.Exception{{ID: id, Rule: "R", Identity: "a", ValidFrom: t0}},
		}, []string{"duty #0: id", "rule #0: id", "exception #0: id"}, "a record whose ID is too long is named by its position"},
		{"references", sod.Config{
			Policy: sod.Policy{ExceptionApprovers: []string{id}},
			Duties: []sod.Duty{{ID: "d", Entitlements: []string{id}, Roles: []string{id}}},
			Rules: []sod.Rule{{ID: "R", Owner: id, ExceptionApprovers: []string{"p", id},
				Controls: []audit.Control{{Framework: audit.Framework(id), ID: id}},
				Sides:    []sod.Side{{Duty: id}, {Entitlements: []string{id, id}, Roles: []string{id}}}}},
			Exceptions: []sod.Exception{{ID: "X", Rule: id, Identity: id, Owner: id, Approver: id, ValidFrom: t0}},
		}, []string{
			"duty d: entitlements[0]", "duty d: roles[0]",
			"rule R: owner", "rule R: exception_approvers[1]", "rule R: controls[0].framework", "rule R: controls[0].id",
			"rule R: sides[0].duty", "rule R: sides[1].entitlements[0]", "rule R: sides[1].entitlements[1]", "rule R: sides[1].roles[0]",
			"exception X: rule", "exception X: identity", "exception X: owner", "exception X: approver",
			"policy sod: exception_approvers[0]",
		}, "references are IDs; an over-long one is reported as too long, never as unknown or repeated"},
		{"names and text", sod.Config{
			Duties: []sod.Duty{{ID: "d", Name: name, Description: text, Entitlements: []string{"a:b"}}},
			Rules:  []sod.Rule{{ID: "R", Title: name, Description: text, Sides: []sod.Side{{Name: name, Entitlements: []string{"a:b"}}}}},
			Exceptions: []sod.Exception{{ID: "X", Rule: "R", Identity: "a", ValidFrom: t0,
				Reason: text, CompensatingControl: text}},
		}, []string{
			"duty d: name", "duty d: description", "rule R: title", "rule R: description", "rule R: sides[0].name",
			"exception X: reason", "exception X: compensating_control",
		}, "names and free text have the inventory's limits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			require.Error(t, err, tt.reason)
			var got []string
			for _, e := range entitlement.Errors(err) {
				re, ok := errors.AsType[*entitlement.RecordError](e)
				require.True(t, ok)
				require.ErrorIs(t, re, entitlement.ErrTooLong, "%v", re)
				require.Less(t, len(re.Error()), 256, "an error quotes only the start of a value")
				got = append(got, re.Record()+": "+re.Field)
			}
			require.ElementsMatch(t, tt.want, got, tt.reason)
		})
	}
}
