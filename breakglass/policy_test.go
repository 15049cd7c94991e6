package breakglass_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/breakglass"
)

func TestPolicyWithDefaults(t *testing.T) {
	defaults := breakglass.Policy{
		MaxLength: breakglass.DefaultMaxLength, ReviewWithin: breakglass.DefaultReviewWithin,
		RotateWithin: breakglass.DefaultRotateWithin, HabitWindow: breakglass.DefaultHabitWindow,
		MaxPerIdentity: breakglass.DefaultMaxPerIdentity, MaxPerEntitlement: breakglass.DefaultMaxPerEntitlement,
	}
	tests := []struct {
		name   string
		in     breakglass.Policy
		want   breakglass.Policy
		reason string
	}{
		{"zero", breakglass.Policy{}, defaults, "the zero policy is the strict default, never unlimited"},
		{"negative", breakglass.Policy{MaxLength: -time.Hour, MaxPerIdentity: -1}, defaults, "negative values mean the default too"},
		{"set", breakglass.Policy{MaxLength: time.Hour, MaxPerEntitlement: 9, TicketOptional: true},
			func() breakglass.Policy {
				p := defaults
				p.MaxLength, p.MaxPerEntitlement, p.TicketOptional = time.Hour, 9, true
				return p
			}(), "set values are kept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.in.WithDefaults(), tt.reason)
		})
	}
	in := breakglass.Policy{ApprovalRequired: []string{"a"}}
	out := in.WithDefaults()
	out.ApprovalRequired[0] = "b"
	require.Equal(t, "a", in.ApprovalRequired[0], "WithDefaults copies the lists")
}
