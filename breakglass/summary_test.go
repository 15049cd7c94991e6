package breakglass_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/breakglass"
)

func TestSummarize(t *testing.T) {
	x := fixture(t)
	cfg := baseConfig(
		// Reviewed two hours after its end: on time.
		sess("s1", "alice", 0, ended(hour), reviewed("bob", 3*hour, breakglass.ReviewApproved)),
		// Due at t0+4d+1h, reviewed a day later: late.
		sess("s2", "alice", day, ended(day+hour), reviewed("bob", 5*day+hour, breakglass.ReviewApproved)),
		// Due at t0+5d+1h, never reviewed.
		sess("s3", "dave", 2*day, ended(2*day+hour)),
		// Through ff-erp, still running.
		sess("s4", "erin", 3*day, with(func(s *breakglass.Session) { s.Account = "ff-erp" })),
		// Reviewed an hour into the session, before it ended: zero wait.
		sess("s5", "alice", 4*day, ended(4*day+2*hour), reviewed("carol", 4*day+hour, breakglass.ReviewApproved)),
		// Invalid: an unknown identity.
		sess("s6", "zed", 0),
	)
	counts := func(kv ...any) []breakglass.Count {
		out := []breakglass.Count{}
		for i := 0; i < len(kv); i += 2 {
			out = append(out, breakglass.Count{ID: kv[i].(string), Sessions: kv[i+1].(int)})
		}
		return out
	}
	tests := []struct {
		name   string
		at     time.Time
		want   breakglass.Summary
		share  float64
		reason string
	}{
		{
			name:   "before anything",
			at:     after(-ns),
			want:   breakglass.Summary{Invalid: 1, ByIdentity: counts(), ByEntitlement: counts()},
			reason: "no session has started; the invalid one is counted anyway",
		},
		{
			name: "two reviews, even median",
			at:   after(4*day + hour),
			want: breakglass.Summary{Sessions: 5, Active: 2, Invalid: 1,
				ByIdentity:    counts("alice", 3, "dave", 1, "erin", 1),
				ByEntitlement: counts("db:read", 5, "erp:payment.release", 1),
				Reviewed:      2, MedianTimeToReview: hour, ReviewDecided: 2, ReviewedOnTime: 2},
			share:  1,
			reason: "s1 waited 2h and s5 0: the median of two is their mean; s2 is due but its review period has not run out; s4 and s5 run",
		},
		{
			name: "late review counted, unreviewed not yet due",
			at:   after(5*day + hour),
			want: breakglass.Summary{Sessions: 5, Active: 1, Invalid: 1,
				ByIdentity:    counts("alice", 3, "dave", 1, "erin", 1),
				ByEntitlement: counts("db:read", 5, "erp:payment.release", 1),
				Reviewed:      3, MedianTimeToReview: 2 * hour, ReviewDecided: 3, ReviewedOnTime: 2},
			share:  2.0 / 3,
			reason: "s2's late review is recorded exactly at at; s3 falls due exactly at at, so it is not yet decided",
		},
		{
			name: "unreviewed decided",
			at:   after(5*day + hour + ns),
			want: breakglass.Summary{Sessions: 5, Active: 1, Invalid: 1,
				ByIdentity:    counts("alice", 3, "dave", 1, "erin", 1),
				ByEntitlement: counts("db:read", 5, "erp:payment.release", 1),
				Reviewed:      3, MedianTimeToReview: 2 * hour, ReviewDecided: 4, ReviewedOnTime: 2},
			share:  0.5,
			reason: "a nanosecond after s3's due time its missing review counts against the share",
		},
		{
			name: "window slides",
			at:   after(30 * day),
			want: breakglass.Summary{Sessions: 4, Active: 1, Invalid: 1,
				ByIdentity:    counts("alice", 2, "dave", 1, "erin", 1),
				ByEntitlement: counts("db:read", 4, "erp:payment.release", 1),
				Reviewed:      2, MedianTimeToReview: 2 * day, ReviewDecided: 3, ReviewedOnTime: 1},
			share:  1.0 / 3,
			reason: "the window (at-30d, at] no longer holds s1, which started exactly at its lower bound; s2 waited 4d and s5 0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := breakglass.Summarize(x, cfg, tt.at)
			tt.want.At, tt.want.Window = tt.at, breakglass.DefaultHabitWindow
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("summary (-want +got):\n%s\nreason: %s", diff, tt.reason)
			}
			share, ok := got.OnTimeShare()
			require.Equal(t, got.ReviewDecided > 0, ok)
			require.InDelta(t, tt.share, share, 1e-12, tt.reason)
			utc := breakglass.Summarize(x, cfg, tt.at.UTC())
			utc.At = got.At
			require.Equal(t, got, utc, "the zone of at does not matter")
		})
	}
}

func TestSummaryOnTimeShareUndefined(t *testing.T) {
	share, ok := breakglass.Summary{}.OnTimeShare()
	require.False(t, ok, "no decided review: the share is undefined, not 0% or 100%")
	require.Zero(t, share)
}
