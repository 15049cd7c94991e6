package raci_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

func TestValidate(t *testing.T) {
	row := raci.Assignment{Accountable: []string{"ops"}, Responsible: []string{"ops"}}
	type problem struct {
		Record, Field string
		Sentinel      error
	}
	tests := []struct {
		name   string
		mutate func(*raci.Config)
		want   []problem
		reason string
	}{
		{"valid", func(*raci.Config) {}, nil, "the fixture's config is valid"},
		{"zero", func(c *raci.Config) { *c = raci.Config{} }, nil, "an empty config is valid: its gaps are findings, not errors"},
		{
			name:   "negative duration",
			mutate: func(c *raci.Config) { c.Policy.DormantAfter = -1 },
			want:   []problem{{"raci policy", "dormant_after", entitlement.ErrInvalid}},
			reason: "a negative threshold has no meaning",
		},
		{
			name: "bad function lists",
			mutate: func(c *raci.Config) {
				c.Policy.RecertificationOwners = []entitlement.PartyFunction{}
				c.Policy.Certifiers = []entitlement.PartyFunction{entitlement.Business, 0, entitlement.Business}
			},
			want: []problem{
				{"raci policy", "recertification_owners", entitlement.ErrRequired},
				{"raci policy", "certifiers[1]", entitlement.ErrInvalid},
				{"raci policy", "certifiers[2]", entitlement.ErrDuplicate},
			},
			reason: "an empty list would qualify nobody; the unspecified function and repeats are mistakes",
		},
		{
			name:   "invalid activity",
			mutate: func(c *raci.Config) { c.Matrix[raci.Activity(12)] = row },
			want:   []problem{{"raci matrix activity(12)", "", entitlement.ErrInvalid}},
			reason: "a row keyed by no activity",
		},
		{
			name: "bad references",
			mutate: func(c *raci.Config) {
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: []string{"ghost"}, Responsible: []string{"ops", "", "ops"}, Informed: []string{"svc-1"}}
			},
			want: []problem{
				{"raci matrix revoke", "responsible[1]", entitlement.ErrRequired},
				{"raci matrix revoke", "responsible[2]", entitlement.ErrDuplicate},
				{"raci matrix revoke", "accountable[0]", entitlement.ErrUnknownRef},
				{"raci matrix revoke", "informed[0]", entitlement.ErrInvalid},
			},
			reason: "each bad reference is named by its letter and position",
		},
		{
			name: "a person may be named",
			mutate: func(c *raci.Config) {
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: []string{"hugo"}, Responsible: []string{"hugo"}}
			},
			want:   nil,
			reason: "RACI cells name parties or people",
		},
		{
			name: "override scopes",
			mutate: func(c *raci.Config) {
				m := raci.Matrix{raci.Revoke: row}
				c.Overrides = []raci.Override{
					{Matrix: m},
					{Entitlement: "erp:x", System: "erp", Matrix: m},
					{Entitlement: "erp:nope", Matrix: m},
					{System: "crm", Matrix: m},
					{System: "erp", Matrix: m},
					{System: "erp", Matrix: m},
					{Entitlement: "erp:report.view"},
				}
			},
			want: []problem{
				{"raci override #0", "entitlement", entitlement.ErrRequired},
				{"raci override #1", "system", entitlement.ErrConflict},
				{"raci override entitlement erp:nope", "entitlement", entitlement.ErrUnknownRef},
				{"raci override system crm", "system", entitlement.ErrUnknownRef},
				{"raci override system erp", "", entitlement.ErrDuplicate},
				{"raci override entitlement erp:report.view", "matrix", entitlement.ErrRequired},
			},
			reason: "an override names one known scope, once, and assigns something",
		},
		{
			name: "over-long references",
			mutate: func(c *raci.Config) {
				long := strings.Repeat("x", entitlement.MaxIDLength+1)
				c.Matrix[raci.Revoke] = raci.Assignment{Accountable: []string{long}, Responsible: []string{"ops", long, long}}
				c.Overrides = []raci.Override{
					{Entitlement: "erp:" + long, Matrix: raci.Matrix{raci.Revoke: row}},
					{System: long, Matrix: raci.Matrix{raci.Revoke: row}},
					{System: "erp", Matrix: raci.Matrix{raci.Revoke: {Accountable: []string{long}}}},
				}
			},
			want: []problem{
				{"raci matrix revoke", "responsible[1]", entitlement.ErrTooLong},
				{"raci matrix revoke", "responsible[2]", entitlement.ErrTooLong},
				{"raci matrix revoke", "accountable[0]", entitlement.ErrTooLong},
				{"raci override #0", "entitlement", entitlement.ErrTooLong},
				{"raci override #1", "system", entitlement.ErrTooLong},
				{"raci override system erp", "matrix.revoke.accountable[0]", entitlement.ErrTooLong},
			},
			reason: "references are IDs (issue 13): an over-long one is too long, never unknown or repeated, and an override with an over-long scope is named by its position",
		},
		{
			name: "override rows",
			mutate: func(c *raci.Config) {
				c.Overrides = []raci.Override{{System: "erp", Matrix: raci.Matrix{
					raci.Activity(0): row,
					raci.Recertify:   {Accountable: []string{"nobody"}},
				}}}
			},
			want: []problem{
				{"raci override system erp", "matrix.activity(0)", entitlement.ErrInvalid},
				{"raci override system erp", "matrix.recertify.accountable[0]", entitlement.ErrUnknownRef},
			},
			reason: "an override's rows are checked like the global matrix's",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, c := fixture()
			tt.mutate(&c)
			err := c.Validate(index(t, inv))
			var got []problem
			for _, e := range entitlement.Errors(err) {
				var re *entitlement.RecordError
				require.True(t, errors.As(e, &re), "every problem is a *RecordError: %v", e)
				p := problem{Record: re.Record(), Field: re.Field}
				require.Less(t, len(re.Error()), 256, "an error quotes only the start of a value")
				for _, s := range []error{entitlement.ErrRequired, entitlement.ErrInvalid, entitlement.ErrDuplicate, entitlement.ErrUnknownRef, entitlement.ErrConflict, entitlement.ErrTooLong} {
					if errors.Is(re, s) {
						p.Sentinel = s
					}
				}
				require.NotNil(t, p.Sentinel, "every problem wraps a sentinel: %v", e)
				got = append(got, p)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestValidateNilIndex(t *testing.T) {
	c := raci.Config{Matrix: raci.Matrix{raci.Revoke: {Accountable: []string{"ops"}}}}
	err := c.Validate(nil)
	require.ErrorIs(t, err, entitlement.ErrUnknownRef, "a nil index is an empty inventory: ops is unknown")
}
