package breakglass

import (
	"cmp"
	"slices"
	"time"

	"github.com/sodkit/sodkit/entitlement"
)

// Count is how many sessions one identity started, or one entitlement was
// conferred by, in a summary's window.
type Count struct {
	// ID is the ID of the identity or of the entitlement counted.
	ID string
	// Sessions is the number of sessions.
	Sessions int
}

// Summary holds the figures a report shows about emergency access at one
// time. Window figures cover the sessions that started in the policy's
// habit window (At-Window, At]; like Check, a summary sees the records as
// they stood at At.
//
// The zero Summary describes no sessions.
type Summary struct {
	// At is the time the summary describes: the evaluation time.
	At time.Time
	// Window is the policy's effective habit window.
	Window time.Duration

	// Sessions counts the sessions that started in the window.
	Sessions int
	// Active counts the sessions (of any start) active at At.
	Active int
	// Invalid counts the sessions left out because they failed validation
	// (Check reports each as an invalid-record finding).
	Invalid int

	// ByIdentity counts the window's sessions per user, most sessions
	// first, then by ID.
	ByIdentity []Count
	// ByEntitlement counts the window's sessions per entitlement
	// conferred, most sessions first, then by ID.
	ByEntitlement []Count

	// Reviewed counts the window's sessions with a concluded review by At.
	Reviewed int
	// MedianTimeToReview is the median, over those sessions, of the time
	// from the session's end to its review (zero for a session reviewed
	// before it ended). It is zero when Reviewed is zero. With an even
	// count it is the mean of the two middle values.
	MedianTimeToReview time.Duration

	// ReviewDecided counts the window's sessions whose review timeliness is
	// known at At: those reviewed by At, and those ended whose review
	// period ran out by At without a review.
	ReviewDecided int
	// ReviewedOnTime counts those reviewed within the review period after
	// their end (or before their end).
	ReviewedOnTime int
}

// OnTimeShare returns the share of decided reviews that were on time,
// ReviewedOnTime / ReviewDecided, between 0 and 1. It returns false when no
// review is decided, since the share is then undefined.
func (s Summary) OnTimeShare() (float64, bool) {
	if s.ReviewDecided == 0 {
		return 0, false
	}
	return float64(s.ReviewedOnTime) / float64(s.ReviewDecided), true
}

// Summarize computes the summary figures of cfg at at, applying the same
// validation, policy defaults and view of time as Check: invalid sessions
// are counted in Invalid and otherwise left out. A nil x is an empty
// inventory. Summarize is a pure function of its arguments and safe for
// concurrent use.
func Summarize(x *entitlement.Index, cfg Config, at time.Time) Summary {
	c := NewChecker(x, cfg, at)
	if x != nil {
		for _, id := range x.Inventory().Identities {
			c.Identity(x.Holder(id))
		}
	}
	return c.Summary()
}

// Summary returns the summary figures, like Summarize, from the
// identities seen so far; call it after every Identity call has returned.
func (c *Checker) Summary() Summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fill()
	return c.k.summary()
}

func (k *checker) summary() Summary {
	at := k.at
	sum := Summary{At: at, Window: k.p.HabitWindow, Invalid: k.nInvalid}
	from := at.Add(-k.p.HabitWindow)
	perIdentity := map[string]int{}
	perEnt := map[string]int{}
	var waits []time.Duration
	for _, s := range k.sessions {
		if s.ActiveAt(at) {
			sum.Active++
		}
		if !s.Start.After(from) {
			continue
		}
		sum.Sessions++
		perIdentity[s.Identity]++
		for _, e := range s.ents {
			perEnt[e]++
		}
		reviewed := s.Review.ConcludedBy(at)
		if reviewed {
			wait := time.Duration(0)
			if !s.End.IsZero() && s.End.Before(s.Review.At) {
				wait = s.Review.At.Sub(s.End)
			}
			waits = append(waits, wait)
		}
		due := s.End.Add(k.p.ReviewWithin) // meaningful only when End is set
		switch {
		case reviewed:
			sum.ReviewDecided++
			if s.End.IsZero() || !s.Review.At.After(due) {
				sum.ReviewedOnTime++
			}
		case s.endedBy(at) && at.After(due):
			sum.ReviewDecided++
		}
	}
	sum.ByIdentity = counts(perIdentity)
	sum.ByEntitlement = counts(perEnt)
	sum.Reviewed = len(waits)
	sum.MedianTimeToReview = median(waits)
	return sum
}

func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for id, n := range m {
		out = append(out, Count{ID: id, Sessions: n})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.Sessions, a.Sessions), cmp.Compare(a.ID, b.ID)) })
	return out
}

// median returns the median of ds (zero for none); it sorts ds.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	m := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[m]
	}
	a, b := ds[m-1], ds[m]
	return a + (b-a)/2
}
