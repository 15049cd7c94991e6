package breakglass_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/entitlement"
)

// gen turns fuzz bytes into break-glass records over the fixture's names,
// with a few unknown names and zero values mixed in.
type gen struct{ b []byte }

func (g *gen) next() byte {
	if len(g.b) == 0 {
		return 0
	}
	c := g.b[0]
	g.b = g.b[1:]
	return c
}

func (g *gen) pick(xs ...string) string { return xs[int(g.next())%len(xs)] }

var fuzzZones = []*time.Location{time.UTC, ist, pdt}

// time returns zero for a zero byte, else t0 plus a signed number of hours
// and a few nanoseconds, in one of three zones.
func (g *gen) time() time.Time {
	c := g.next()
	if c == 0 {
		return time.Time{}
	}
	return t0.Add(time.Duration(int8(c))*hour + time.Duration(g.next()%3)*ns).In(fuzzZones[c%3])
}

func (g *gen) list(xs ...string) []string {
	n := int(g.next() % 3)
	var out []string
	for range n {
		out = append(out, g.pick(xs...))
	}
	return out
}

var (
	fuzzPeople       = []string{"alice", "bob", "carol", "dave", "erin", "zed", ""}
	fuzzAccounts     = []string{"", "", "ff-erp", "ff-k8s", "ff-nope"}
	fuzzEntitlements = []string{"db:read", "db:write", "erp:payment.release", "k8s:admin", "db:nope"}
	fuzzControllers  = []string{"sec", "platform", "bob", "carol", "nobody"}
)

func (g *gen) config() breakglass.Config {
	cfg := baseConfig()
	p := &cfg.Policy
	p.MaxLength = time.Duration(int8(g.next())) * hour / 2
	p.ReviewWithin = time.Duration(int8(g.next())) * hour
	p.RotateWithin = time.Duration(int8(g.next())) * hour
	p.HabitWindow = time.Duration(int8(g.next())) * day / 4
	p.MaxPerIdentity = int(int8(g.next())) / 32
	p.MaxPerEntitlement = int(int8(g.next())) / 32
	flags := g.next()
	p.ReasonOptional, p.TicketOptional = flags&1 != 0, flags&2 != 0
	p.ApprovalRequired = g.list(fuzzEntitlements...)
	p.RotationExempt = g.list("ff-erp", "ff-k8s")
	p.Controllers = g.list(fuzzControllers...)
	n := int(g.next() % 10)
	for i := range n {
		s := breakglass.Session{
			ID:           g.pick("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s"+string(rune('a'+i))),
			Identity:     g.pick(fuzzPeople...),
			Account:      g.pick(fuzzAccounts...),
			Entitlements: g.list(fuzzEntitlements...),
			ReasonCode:   g.pick("", "incident"),
			Ticket:       g.pick("", "INC-1", " "),
			Requested:    entitlement.Event{By: g.pick(fuzzPeople...), At: g.time()},
			Approved:     entitlement.Event{By: g.pick(fuzzPeople...), At: g.time()},
			Start:        g.time(),
			PlannedEnd:   g.time(),
			End:          g.time(),
			Controllers:  g.list(fuzzControllers...),
		}
		if g.next()%2 == 1 {
			s.Review = breakglass.Review{Reviewer: g.pick(fuzzPeople...), At: g.time(), Outcome: breakglass.Outcome(g.next() % 5)}
		}
		s.CredentialsRotated = g.time()
		cfg.Sessions = append(cfg.Sessions, s)
	}
	return cfg
}

// FuzzCheck runs the engine on arbitrary records and times and checks its
// invariants: no panic, report order, unique IDs matching their content,
// determinism, independence from the zone of at and from the order of a
// valid configuration's sessions, invalid records reported exactly when
// Validate fails, and consistent summary figures.
func FuzzCheck(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{8, 24, 24, 120, 64, 64, 3, 1, 0, 1, 0, 2, 1, 1, 2, 1, 1, 0, 1, 1, 10, 0, 1, 20, 0, 1, 30, 0, 1, 0, 1, 0, 1, 40, 0})
	f.Add([]byte{255, 255, 255, 255, 255, 255, 0, 2, 2, 3, 2, 0, 1, 2, 9, 0, 3, 1, 2, 3, 4, 1, 2, 2, 3, 5, 6, 7, 8, 9, 10, 1, 11, 12, 2})
	f.Add([]byte("break glass in case of emergency, then review it properly"))
	x := fixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{b: data}
		cfg := g.config()
		at := g.time()
		got := breakglass.Check(x, cfg, at)
		requireInvariants(t, got)
		require.Empty(t, cmp.Diff(got, breakglass.Check(x, cfg, at)), "deterministic")
		require.Empty(t, cmp.Diff(got, breakglass.Check(x, cfg, at.In(pdt))), "the zone of at does not matter")

		invalid := slices.ContainsFunc(got, func(f audit.Finding) bool { return f.Kind == breakglass.KindInvalidRecord })
		err := cfg.Validate(x)
		require.Equal(t, err != nil, invalid, "an invalid record is reported exactly when Validate fails: %v", err)
		if err == nil {
			rev := cloneConfig(cfg)
			slices.Reverse(rev.Sessions)
			require.Empty(t, cmp.Diff(got, breakglass.Check(x, rev, at)), "the order of sessions does not matter")
		}

		s := breakglass.Summarize(x, cfg, at)
		total := 0
		for _, c := range s.ByIdentity {
			total += c.Sessions
		}
		require.Equal(t, s.Sessions, total, "every session in the window has one identity")
		require.True(t, slices.IsSortedFunc(s.ByEntitlement, func(a, b breakglass.Count) int { return b.Sessions - a.Sessions }))
		require.LessOrEqual(t, s.Reviewed, s.Sessions)
		require.LessOrEqual(t, s.ReviewedOnTime, s.ReviewDecided)
		require.LessOrEqual(t, s.ReviewDecided, s.Sessions)
		require.LessOrEqual(t, s.Invalid, len(cfg.Sessions))
		require.GreaterOrEqual(t, s.MedianTimeToReview, time.Duration(0))
	})
}
