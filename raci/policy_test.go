package raci_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

func TestPolicyWithDefaults(t *testing.T) {
	ig, biz, ops := entitlement.IdentityGovernance, entitlement.Business, entitlement.ITOperations
	tests := []struct {
		name   string
		in     raci.Policy
		want   raci.Policy
		reason string
	}{
		{
			name: "zero",
			in:   raci.Policy{},
			want: raci.Policy{MaxCredentialAge: raci.DefaultMaxCredentialAge, DormantAfter: raci.DefaultDormantAfter,
				RecertifyEvery: raci.DefaultRecertifyEvery, PrivilegedRecertifyEvery: raci.DefaultPrivilegedRecertifyEvery,
				RecertificationOwners: []entitlement.PartyFunction{ig}, Certifiers: []entitlement.PartyFunction{ig, biz}},
			reason: "the zero policy means the documented defaults",
		},
		{
			name: "set values kept",
			in: raci.Policy{MaxCredentialAge: time.Hour, DormantAfter: 2 * time.Hour, RecertifyEvery: 3 * time.Hour,
				PrivilegedRecertifyEvery: 4 * time.Hour, RecertificationOwners: []entitlement.PartyFunction{ops}, Certifiers: []entitlement.PartyFunction{ops}},
			want: raci.Policy{MaxCredentialAge: time.Hour, DormantAfter: 2 * time.Hour, RecertifyEvery: 3 * time.Hour,
				PrivilegedRecertifyEvery: 4 * time.Hour, RecertificationOwners: []entitlement.PartyFunction{ops}, Certifiers: []entitlement.PartyFunction{ops}},
			reason: "what the caller set is what applies",
		},
		{
			name: "negative durations",
			in:   raci.Policy{MaxCredentialAge: -time.Hour, DormantAfter: -1},
			want: raci.Policy{MaxCredentialAge: raci.DefaultMaxCredentialAge, DormantAfter: raci.DefaultDormantAfter,
				RecertifyEvery: raci.DefaultRecertifyEvery, PrivilegedRecertifyEvery: raci.DefaultPrivilegedRecertifyEvery,
				RecertificationOwners: []entitlement.PartyFunction{ig}, Certifiers: []entitlement.PartyFunction{ig, biz}},
			reason: "a negative duration is invalid and never means 'no limit'",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.in.WithDefaults(), tt.reason)
		})
	}
}

func TestPolicyWithDefaultsCopies(t *testing.T) {
	p := raci.Policy{Certifiers: []entitlement.PartyFunction{entitlement.Business}}
	d := p.WithDefaults()
	d.Certifiers[0] = entitlement.Audit
	require.Equal(t, entitlement.Business, p.Certifiers[0], "WithDefaults shares no slice with its receiver")
}
