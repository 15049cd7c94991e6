package breakglass_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/demo"
)

// TestDemo keeps the embedded demo honest: its break-glass sessions
// exercise every finding kind a valid bundle can produce, and some of them
// are clean.
func TestDemo(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	fs := breakglass.Check(b.Index, b.BreakGlass, b.AsOf)
	requireInvariants(t, fs)
	kinds := map[audit.Kind]int{}
	flagged := map[string]bool{}
	for _, f := range fs {
		kinds[f.Kind]++
		if f.Subject.Type == "session" {
			flagged[f.Subject.ID] = true
		}
	}
	for _, k := range []audit.Kind{
		breakglass.KindActivePastEnd, breakglass.KindOverMaxLength, breakglass.KindMissingJustification,
		breakglass.KindMissingApproval, breakglass.KindReviewOverdue, breakglass.KindReviewedLate,
		breakglass.KindSelfReviewed, breakglass.KindReviewerNotController, breakglass.KindRejectedStillActive,
		breakglass.KindReuseBeforeReview, breakglass.KindHabitualUse, breakglass.KindCredentialsNotRotated,
		breakglass.KindGrantWithoutSession,
	} {
		require.NotZero(t, kinds[k], "the demo exercises %s", k)
	}
	require.Zero(t, kinds[breakglass.KindInvalidRecord], "a loaded bundle is valid")

	var clean []string
	for _, s := range b.BreakGlass.Sessions {
		if !flagged[s.ID] {
			clean = append(clean, s.ID)
		}
	}
	slices.Sort(clean)
	require.GreaterOrEqual(t, len(clean), 3, "clean sessions: %v", clean)
	require.Contains(t, clean, "bg-102", "a session through the firefighter account, approved, rotated and reviewed in time")

	s := breakglass.Summarize(b.Index, b.BreakGlass, b.AsOf)
	require.Equal(t, len(b.BreakGlass.Sessions), s.Sessions, "every demo session is in the 30-day window")
	require.Zero(t, s.Invalid)
}
