package breakglass_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/entitlement"
)

func TestOutcomeText(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		want      breakglass.Outcome
		concluded bool
		reason    string
	}{
		{"approved", "approved", breakglass.ReviewApproved, true, "the canonical name"},
		{"rejected", "REJECTED", breakglass.ReviewRejected, true, "names are case-insensitive"},
		{"needs information", "needs-information", breakglass.ReviewNeedsInformation, false, "'-' and '_' are interchangeable; asking for information leaves the review open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := breakglass.ParseOutcome(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got, tt.reason)
			require.Equal(t, tt.concluded, got.Concluded(), tt.reason)
			b, err := got.MarshalText()
			require.NoError(t, err)
			var back breakglass.Outcome
			require.NoError(t, back.UnmarshalText(b))
			require.Equal(t, got, back, "round trip")
		})
	}
	_, err := breakglass.ParseOutcome("")
	require.True(t, errors.Is(err, entitlement.ErrInvalid), "the unset outcome has no name")
	_, err = breakglass.ParseOutcome("ok")
	require.ErrorContains(t, err, `"ok"`, "the error quotes the input")
	var zero breakglass.Outcome
	require.False(t, zero.Valid())
	require.False(t, zero.Concluded(), "an unset outcome does not conclude a review")
	_, err = zero.MarshalText()
	require.Error(t, err)
	require.Equal(t, "outcome(7)", breakglass.Outcome(7).String())
}

func TestReviewConcludedBy(t *testing.T) {
	at := t0.Add(time.Hour)
	tests := []struct {
		name   string
		review breakglass.Review
		t      time.Time
		want   bool
		reason string
	}{
		{"zero", breakglass.Review{}, at, false, "no review"},
		{"exactly then", breakglass.Review{Reviewer: "bob", At: at, Outcome: breakglass.ReviewApproved}, at.In(pdt), true, "a review at t has happened by t, whatever the zone"},
		{"a nanosecond later", breakglass.Review{Reviewer: "bob", At: at.Add(time.Nanosecond), Outcome: breakglass.ReviewRejected}, at, false, "a later review has not happened yet"},
		{"open", breakglass.Review{Reviewer: "bob", At: at, Outcome: breakglass.ReviewNeedsInformation}, at, false, "asking for information concludes nothing"},
		{"no time", breakglass.Review{Reviewer: "bob", Outcome: breakglass.ReviewApproved}, at, false, "a review without a time cannot be placed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.review.ConcludedBy(tt.t), tt.reason)
		})
	}
	require.True(t, breakglass.Review{}.IsZero())
	require.False(t, breakglass.Review{Comments: "x"}.IsZero())
}
