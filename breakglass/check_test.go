package breakglass_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/kindtest"
)

// Records are written in one non-UTC zone and evaluated in another, so any
// comparison by wall clock instead of by instant shows up.
var (
	ist = time.FixedZone("IST", 5*3600+1800)
	pdt = time.FixedZone("PDT", -7*3600)
	t0  = time.Date(2026, 10, 1, 9, 0, 0, 0, ist)
)

const (
	hour = time.Hour
	day  = 24 * time.Hour
	ns   = time.Nanosecond
)

// after returns t0+d in the evaluation zone.
func after(d time.Duration) time.Time { return t0.Add(d).In(pdt) }

// fixture is a small inventory: a security team that controls emergency
// use, a firefighter account holding payment release, a person with a
// break-glass grant of their own, and a role for role-grant matching.
func fixture(t testing.TB) *entitlement.Index {
	t.Helper()
	ev := func(by string, at time.Time) entitlement.Event { return entitlement.Event{By: by, At: at} }
	human := func(id, team string, grants ...entitlement.Grant) entitlement.Identity {
		return entitlement.Identity{ID: id, Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: team, Grants: grants}
	}
	inv := &entitlement.Inventory{
		Parties: []entitlement.Party{
			{ID: "sec", Function: entitlement.Security},
			{ID: "platform", Function: entitlement.ITOperations},
		},
		Entitlements: []entitlement.Entitlement{
			{ID: "db:read", Risk: entitlement.RiskLow},
			{ID: "db:write", Risk: entitlement.RiskHigh},
			{ID: "erp:payment.release", Risk: entitlement.RiskCritical, Privileged: true},
			{ID: "k8s:admin", Risk: entitlement.RiskCritical, Privileged: true, MaxDuration: 2 * hour},
		},
		Roles: []entitlement.Role{{ID: "dba", Entitlements: []string{"db:read", "db:write"}}},
		Identities: []entitlement.Identity{
			human("alice", "platform"),
			human("bob", "sec"),
			human("carol", "sec"),
			human("dave", "platform"),
			human("erin", "platform",
				entitlement.Grant{ID: "g-e1", Entitlement: "db:write", State: entitlement.GrantActive,
					Source: entitlement.SourceBreakGlass, Provisioned: ev("bob", t0), Expires: t0.Add(4 * hour)},
				entitlement.Grant{ID: "g-e2", Role: "dba", State: entitlement.GrantRevoked,
					Source: entitlement.SourceBreakGlass, Provisioned: ev("bob", t0.Add(10*day)), Revoked: ev("bob", t0.Add(10*day+hour))},
				entitlement.Grant{ID: "g-e3", Entitlement: "db:read", State: entitlement.GrantRequested,
					Source: entitlement.SourceBreakGlass, Requested: ev("erin", t0)},
				entitlement.Grant{ID: "g-e4", Entitlement: "db:read", State: entitlement.GrantActive,
					Source: entitlement.SourceStandard, Provisioned: ev("bob", t0)},
			),
			{ID: "ff-erp", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "bob",
				Grants: []entitlement.Grant{{ID: "g-ff1", Entitlement: "erp:payment.release", State: entitlement.GrantActive,
					Source: entitlement.SourceBreakGlass, Provisioned: ev("bob", t0.Add(-30*day))}}},
			{ID: "ff-k8s", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "bob",
				Credential: entitlement.Credential{Created: t0.Add(-30 * day), Rotated: t0.Add(90 * time.Minute)},
				Grants: []entitlement.Grant{{ID: "g-fk1", Entitlement: "k8s:admin", State: entitlement.GrantActive,
					Source: entitlement.SourceBreakGlass, Provisioned: ev("bob", t0.Add(-30*day))}}},
		},
	}
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	return x
}

// baseConfig has the default policy with the security team as default
// controllers, and two registered firefighter accounts.
func baseConfig(sessions ...breakglass.Session) breakglass.Config {
	return breakglass.Config{
		Policy: breakglass.Policy{Controllers: []string{"sec"}},
		Accounts: []breakglass.Account{
			{ID: "ff-erp", Owner: "bob", Controllers: []string{"sec"}},
			{ID: "ff-k8s", Owner: "bob", Controllers: []string{"carol"}},
		},
		Sessions: sessions,
	}
}

// sess returns a clean session of identity starting at t0+offset: a
// reason, a ticket, db:read, a planned end two hours later, then mods.
func sess(id, identity string, offset time.Duration, mods ...func(*breakglass.Session)) breakglass.Session {
	start := t0.Add(offset)
	s := breakglass.Session{
		ID: id, Identity: identity, Entitlements: []string{"db:read"},
		ReasonCode: "incident", Justification: "database failover", Ticket: "INC-1",
		Start: start, PlannedEnd: start.Add(2 * hour),
	}
	for _, m := range mods {
		m(&s)
	}
	return s
}

func ended(d time.Duration) func(*breakglass.Session) {
	return func(s *breakglass.Session) { s.End = t0.Add(d) }
}

func planned(d time.Duration) func(*breakglass.Session) {
	return func(s *breakglass.Session) { s.PlannedEnd = t0.Add(d) }
}

func reviewed(by string, d time.Duration, o breakglass.Outcome) func(*breakglass.Session) {
	return func(s *breakglass.Session) {
		s.Review = breakglass.Review{Reviewer: by, At: t0.Add(d), Outcome: o}
	}
}

func with(f func(*breakglass.Session)) func(*breakglass.Session) { return f }

// step is one evaluation: the time, and the findings of the kind under test
// expected then, as "severity subject-type subject-id", sorted.
type step struct {
	at   time.Time
	want []string
}

// run evaluates cfg at each step's time and compares the findings of kind
// with the step's. At every step it also checks the engine's invariants and
// that the result does not depend on the zone of at.
func run(t *testing.T, cfg breakglass.Config, kind audit.Kind, reason string, steps []step) {
	t.Helper()
	x := fixture(t)
	for _, st := range steps {
		got := breakglass.Check(x, cfg, st.at)
		requireInvariants(t, got)
		if diff := cmp.Diff(got, breakglass.Check(x, cfg, st.at.In(time.UTC))); diff != "" {
			t.Fatalf("at %s: the zone of at changed the findings (-%s +UTC):\n%s", st.at, st.at.Location(), diff)
		}
		var have []string
		for _, f := range got {
			if f.Kind == kind {
				have = append(have, fmt.Sprintf("%s %s", f.Severity, f.Subject))
			}
		}
		slices.Sort(have)
		want := slices.Clone(st.want)
		slices.Sort(want)
		if diff := cmp.Diff(want, have, cmpEmpty); diff != "" {
			t.Errorf("at %s (t0%+v): %s findings (-want +got):\n%s\nreason: %s", st.at, st.at.Sub(t0), kind, diff, reason)
		}
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 || slices.Equal(a, b) })

// requireInvariants checks what every Check result must satisfy: report
// order, unique non-empty IDs that match the content, kinds from the kind
// table citing their kind's controls, and catalogued controls.
func requireInvariants(t testing.TB, fs []audit.Finding) {
	t.Helper()
	require.True(t, slices.IsSortedFunc(fs, audit.Finding.Compare), "findings are in report order")
	seen := map[string]bool{}
	for _, f := range fs {
		require.NotEmpty(t, f.ID)
		require.False(t, seen[f.ID], "duplicate finding ID %s", f.ID)
		seen[f.ID] = true
		require.Equal(t, audit.FindingID(f.Kind, f.Rule, f.Subject, f.Evidence), f.ID, "ID matches content")
		require.True(t, strings.HasPrefix(string(f.Kind), "breakglass."), "kind %s", f.Kind)
		require.NotEmpty(t, f.Controls, "kind %s cites controls", f.Kind)
		for _, c := range f.Controls {
			require.True(t, c.Known(), "control %s", c)
		}
		require.True(t, f.Severity.Valid())
		require.NotEmpty(t, f.Message)
		require.NotEmpty(t, f.Remediation)
	}
	require.NoError(t, kindtest.Findings(breakglass.Kinds(), fs))
}

func TestKinds(t *testing.T) {
	kinds := breakglass.Kinds()
	require.NoError(t, kindtest.Table("breakglass.", kinds))
	kinds[0].Controls[0] = audit.Control{}
	require.NoError(t, kindtest.Table("breakglass.", breakglass.Kinds()), "Kinds returns a copy: a caller's changes do not reach the table")
}

type stepCase struct {
	name   string
	reason string
	cfg    breakglass.Config
	steps  []step
}

func runCases(t *testing.T, kind audit.Kind, cases []stepCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc.cfg, kind, tc.reason, tc.steps) })
	}
}

func TestActivePastEnd(t *testing.T) {
	runCases(t, breakglass.KindActivePastEnd, []stepCase{
		{
			name:   "still open at the planned end",
			reason: "past the planned end from the planned end itself (half-open)",
			cfg:    baseConfig(sess("s1", "alice", 0)),
			steps: []step{
				{after(2*hour - ns), nil},
				{after(2 * hour), []string{"high session s1"}},
				{after(3 * day), []string{"high session s1"}},
			},
		},
		{
			name:   "overran then closed",
			reason: "only a session still active is reported; ending it resolves the finding",
			cfg:    baseConfig(sess("s1", "alice", 0, ended(3*hour))),
			steps: []step{
				{after(2 * hour), []string{"high session s1"}},
				{after(3*hour - ns), []string{"high session s1"}},
				{after(3 * hour), nil},
			},
		},
		{
			name:   "no planned end",
			reason: "an open session without a planned end is reported from its start, not before",
			cfg:    baseConfig(sess("s1", "alice", 0, planned(0), with(func(s *breakglass.Session) { s.PlannedEnd = time.Time{} }))),
			steps: []step{
				{after(-ns), nil},
				{after(0), []string{"high session s1"}},
			},
		},
		{
			name:   "ended on time",
			reason: "a session that ended before its planned end is never reported",
			cfg:    baseConfig(sess("s1", "alice", 0, ended(hour))),
			steps:  []step{{after(0), nil}, {after(2 * hour), nil}, {after(30 * day), nil}},
		},
	})
}

func TestOverMaxLength(t *testing.T) {
	short := baseConfig(sess("s1", "alice", 0, planned(hour), ended(hour+ns)))
	short.Policy.MaxLength = hour
	runCases(t, breakglass.KindOverMaxLength, []stepCase{
		{
			name:   "running past the default maximum",
			reason: "a running session counts up to at; exactly the maximum is allowed",
			cfg:    baseConfig(sess("s1", "alice", 0)),
			steps: []step{
				{after(4 * hour), nil},
				{after(4*hour + ns), []string{"medium session s1"}},
			},
		},
		{
			name:   "planned too long",
			reason: "a plan longer than the maximum is reported from the start",
			cfg:    baseConfig(sess("s1", "alice", 0, planned(4*hour+ns))),
			steps:  []step{{after(0), []string{"medium session s1"}}},
		},
		{
			name:   "planned exactly the maximum",
			reason: "the maximum itself is allowed",
			cfg:    baseConfig(sess("s1", "alice", 0, planned(4*hour), ended(4*hour))),
			steps:  []step{{after(0), nil}, {after(4 * hour), nil}, {after(30 * day), nil}},
		},
		{
			name:   "ended a nanosecond too late",
			reason: "an ended session is measured from start to end",
			cfg:    baseConfig(sess("s1", "alice", 0, ended(4*hour+ns))),
			steps: []step{
				{after(4 * hour), nil},
				{after(4*hour + ns), []string{"medium session s1"}},
				{after(30 * day), []string{"medium session s1"}},
			},
		},
		{
			name:   "entitlement maximum is shorter",
			reason: "k8s:admin allows two hours, less than the policy's four",
			cfg: baseConfig(sess("s1", "alice", 0, ended(2*hour+ns),
				with(func(s *breakglass.Session) { s.Entitlements = []string{"k8s:admin"} }))),
			steps: []step{
				{after(2 * hour), nil},
				{after(2*hour + ns), []string{"medium session s1"}},
			},
		},
		{
			name:   "account's entitlement maximum applies",
			reason: "the ff-k8s account holds k8s:admin, so its two hours bound the session",
			cfg: baseConfig(sess("s1", "alice", 0, ended(2*hour+ns),
				with(func(s *breakglass.Session) { s.Account, s.Entitlements = "ff-k8s", nil }))),
			steps: []step{{after(2*hour + ns), []string{"medium session s1"}}},
		},
		{
			name:   "policy maximum",
			reason: "a policy maximum of one hour replaces the default",
			cfg:    short,
			steps:  []step{{after(hour), nil}, {after(hour + ns), []string{"medium session s1"}}},
		},
	})
}

func TestMissingJustification(t *testing.T) {
	optional := baseConfig(sess("s1", "alice", 0, with(func(s *breakglass.Session) {
		s.ReasonCode, s.Justification, s.Ticket = "", "", ""
	})))
	optional.Policy.ReasonOptional, optional.Policy.TicketOptional = true, true
	runCases(t, breakglass.KindMissingJustification, []stepCase{
		{
			name:   "complete",
			reason: "reason code, justification and ticket are recorded",
			cfg:    baseConfig(sess("s1", "alice", 0)),
			steps:  []step{{after(0), nil}},
		},
		{
			name:   "no reason",
			reason: "neither a reason code nor a justification",
			cfg:    baseConfig(sess("s1", "alice", 0, with(func(s *breakglass.Session) { s.ReasonCode, s.Justification = "", " \t" }))),
			steps:  []step{{after(-ns), nil}, {after(0), []string{"medium session s1"}}},
		},
		{
			name:   "reason code alone",
			reason: "a reason code is a reason",
			cfg:    baseConfig(sess("s1", "alice", 0, with(func(s *breakglass.Session) { s.Justification = "" }))),
			steps:  []step{{after(0), nil}},
		},
		{
			name:   "justification alone",
			reason: "a free-text justification is a reason",
			cfg:    baseConfig(sess("s1", "alice", 0, with(func(s *breakglass.Session) { s.ReasonCode = "" }))),
			steps:  []step{{after(0), nil}},
		},
		{
			name:   "blank ticket",
			reason: "white space is not a ticket",
			cfg:    baseConfig(sess("s1", "alice", 0, with(func(s *breakglass.Session) { s.Ticket = "  " }))),
			steps:  []step{{after(0), []string{"medium session s1"}}},
		},
		{
			name:   "waived by policy",
			reason: "ReasonOptional and TicketOptional waive both rules",
			cfg:    optional,
			steps:  []step{{after(0), nil}},
		},
	})
}

func TestMissingApproval(t *testing.T) {
	cfg := func(mods ...func(*breakglass.Session)) breakglass.Config {
		c := baseConfig(sess("s1", "alice", 0, append([]func(*breakglass.Session){func(s *breakglass.Session) {
			s.Account, s.Entitlements = "ff-erp", nil
			s.Requested = entitlement.Event{By: "dave", At: t0.Add(-hour)}
		}}, mods...)...))
		c.Policy.ApprovalRequired = []string{"erp:payment.release"}
		return c
	}
	approved := func(by string, d time.Duration) func(*breakglass.Session) {
		return func(s *breakglass.Session) { s.Approved = entitlement.Event{By: by, At: t0.Add(d)} }
	}
	runCases(t, breakglass.KindMissingApproval, []stepCase{
		{
			name:   "not approved",
			reason: "the account holds erp:payment.release, which needs approval",
			cfg:    cfg(),
			steps:  []step{{after(-ns), nil}, {after(0), []string{"high session s1"}}},
		},
		{
			name:   "approved at the start",
			reason: "an approval no later than the start counts",
			cfg:    cfg(approved("bob", 0)),
			steps:  []step{{after(0), nil}, {after(day), nil}},
		},
		{
			name:   "approved a nanosecond late",
			reason: "an approval after the start is not prior approval",
			cfg:    cfg(approved("bob", ns)),
			steps:  []step{{after(day), []string{"high session s1"}}},
		},
		{
			name:   "approved by the user",
			reason: "self-approval is no approval",
			cfg:    cfg(approved("alice", -ns)),
			steps:  []step{{after(0), []string{"high session s1"}}},
		},
		{
			name:   "approved by the requester",
			reason: "the requester cannot approve their own request",
			cfg:    cfg(approved("dave", -ns)),
			steps:  []step{{after(0), []string{"high session s1"}}},
		},
		{
			name:   "entitlement not listed",
			reason: "db:read needs no approval",
			cfg: func() breakglass.Config {
				c := baseConfig(sess("s1", "alice", 0))
				c.Policy.ApprovalRequired = []string{"erp:payment.release"}
				return c
			}(),
			steps: []step{{after(0), nil}},
		},
	})
}

func TestReviewTiming(t *testing.T) {
	// s1 ends at t0+2h; with the default three days its review falls due at
	// t0+2h+72h.
	due := 2*hour + 3*day
	base := func(mods ...func(*breakglass.Session)) breakglass.Config {
		return baseConfig(sess("s1", "alice", 0, append([]func(*breakglass.Session){ended(2 * hour)}, mods...)...))
	}
	t.Run("overdue", func(t *testing.T) {
		runCases(t, breakglass.KindReviewOverdue, []stepCase{
			{
				name:   "never reviewed",
				reason: "overdue only once the due time has passed",
				cfg:    base(),
				steps: []step{
					{after(due), nil},
					{after(due + ns), []string{"high session s1"}},
				},
			},
			{
				name:   "reviewed exactly when due",
				reason: "a review at the due time is on time",
				cfg:    base(reviewed("bob", due, breakglass.ReviewApproved)),
				steps:  []step{{after(due), nil}, {after(due + ns), nil}, {after(60 * day), nil}},
			},
			{
				name:   "needs information",
				reason: "a request for information does not conclude the review",
				cfg:    base(reviewed("bob", 3*hour, breakglass.ReviewNeedsInformation)),
				steps:  []step{{after(due + ns), []string{"high session s1"}}},
			},
			{
				name:   "reviewed late",
				reason: "overdue until the late review is recorded, then no longer",
				cfg:    base(reviewed("bob", due+hour, breakglass.ReviewRejected)),
				steps: []step{
					{after(due + ns), []string{"high session s1"}},
					{after(due + hour - ns), []string{"high session s1"}},
					{after(due + hour), nil},
				},
			},
			{
				name:   "still active",
				reason: "the review period starts when the session ends",
				cfg:    baseConfig(sess("s1", "alice", 0, planned(60*day))),
				steps:  []step{{after(30 * day), nil}},
			},
		})
	})
	t.Run("late", func(t *testing.T) {
		runCases(t, breakglass.KindReviewedLate, []stepCase{
			{
				name:   "a nanosecond late",
				reason: "reported once the late review is recorded",
				cfg:    base(reviewed("bob", due+ns, breakglass.ReviewApproved)),
				steps:  []step{{after(due), nil}, {after(due + ns), []string{"low session s1"}}},
			},
			{
				name:   "on time",
				reason: "a review at the due time is on time",
				cfg:    base(reviewed("bob", due, breakglass.ReviewApproved)),
				steps:  []step{{after(60 * day), nil}},
			},
			{
				name:   "policy period",
				reason: "a one-hour review period makes a two-hour wait late",
				cfg: func() breakglass.Config {
					c := base(reviewed("bob", 4*hour, breakglass.ReviewApproved))
					c.Policy.ReviewWithin = hour
					return c
				}(),
				steps: []step{{after(4 * hour), []string{"low session s1"}}},
			},
		})
	})
}

func TestReviewer(t *testing.T) {
	base := func(mods ...func(*breakglass.Session)) breakglass.Config {
		return baseConfig(sess("s1", "alice", 0, append([]func(*breakglass.Session){ended(hour)}, mods...)...))
	}
	t.Run("self", func(t *testing.T) {
		runCases(t, breakglass.KindSelfReviewed, []stepCase{
			{
				name:   "reviewed by its user",
				reason: "reported from the moment the review is recorded",
				cfg:    base(reviewed("alice", 2*hour, breakglass.ReviewApproved)),
				steps:  []step{{after(2*hour - ns), nil}, {after(2 * hour), []string{"critical session s1"}}},
			},
			{
				name:   "self review asking for information",
				reason: "any review by the user counts, concluded or not",
				cfg:    base(reviewed("alice", 2*hour, breakglass.ReviewNeedsInformation)),
				steps:  []step{{after(2 * hour), []string{"critical session s1"}}},
			},
			{
				name:   "reviewed by a controller",
				reason: "bob is in the security team",
				cfg:    base(reviewed("bob", 2*hour, breakglass.ReviewApproved)),
				steps:  []step{{after(2 * hour), nil}},
			},
		})
	})
	t.Run("controller", func(t *testing.T) {
		runCases(t, breakglass.KindReviewerNotController, []stepCase{
			{
				name:   "member of the policy's controller party",
				reason: "bob's team is sec, the policy's default controller",
				cfg:    base(reviewed("bob", 2*hour, breakglass.ReviewApproved)),
				steps:  []step{{after(2 * hour), nil}},
			},
			{
				name:   "not a controller",
				reason: "dave is in platform, not sec",
				cfg:    base(reviewed("dave", 2*hour, breakglass.ReviewApproved)),
				steps:  []step{{after(2*hour - ns), nil}, {after(2 * hour), []string{"medium session s1"}}},
			},
			{
				name:   "session names its controller",
				reason: "the session's own list replaces the defaults",
				cfg: base(reviewed("bob", 2*hour, breakglass.ReviewApproved),
					with(func(s *breakglass.Session) { s.Controllers = []string{"carol"} })),
				steps: []step{{after(2 * hour), []string{"medium session s1"}}},
			},
			{
				name:   "account controllers",
				reason: "ff-k8s is controlled by carol alone, so bob may not review its sessions",
				cfg: base(reviewed("bob", 2*hour, breakglass.ReviewApproved),
					with(func(s *breakglass.Session) { s.Account = "ff-k8s" })),
				steps: []step{{after(2 * hour), []string{"medium session s1"}}},
			},
			{
				name:   "self review by a non-controller",
				reason: "alice is not a controller either; both findings stand",
				cfg:    base(reviewed("alice", 2*hour, breakglass.ReviewApproved)),
				steps:  []step{{after(2 * hour), []string{"medium session s1"}}},
			},
		})
	})
}

func TestRejectedStillActive(t *testing.T) {
	runCases(t, breakglass.KindRejectedStillActive, []stepCase{
		{
			name:   "rejected while running",
			reason: "reported from the rejection until the session ends",
			cfg:    baseConfig(sess("s1", "alice", 0, reviewed("bob", hour, breakglass.ReviewRejected), ended(90*time.Minute))),
			steps: []step{
				{after(hour - ns), nil},
				{after(hour), []string{"critical session s1"}},
				{after(90*time.Minute - ns), []string{"critical session s1"}},
				{after(90 * time.Minute), nil},
			},
		},
		{
			name:   "approved while running",
			reason: "an approval does not call for ending the access",
			cfg:    baseConfig(sess("s1", "alice", 0, reviewed("bob", hour, breakglass.ReviewApproved))),
			steps:  []step{{after(hour), nil}},
		},
		{
			name:   "rejected after the end",
			reason: "the access is no longer active",
			cfg:    baseConfig(sess("s1", "alice", 0, ended(hour), reviewed("bob", 2*hour, breakglass.ReviewRejected))),
			steps:  []step{{after(2 * hour), nil}},
		},
	})
}

func TestReuseBeforeReview(t *testing.T) {
	first := func(mods ...func(*breakglass.Session)) breakglass.Session {
		return sess("s1", "alice", 0, append([]func(*breakglass.Session){ended(hour)}, mods...)...)
	}
	second := sess("s2", "alice", 5*hour, ended(6*hour))
	runCases(t, breakglass.KindReuseBeforeReview, []stepCase{
		{
			name:   "previous reviewed exactly at the new start",
			reason: "a review at the new session's start counts",
			cfg:    baseConfig(first(reviewed("bob", 5*hour, breakglass.ReviewApproved)), second),
			steps:  []step{{after(5 * hour), nil}},
		},
		{
			name:   "previous reviewed a nanosecond later",
			reason: "the new session opened while the first still awaited review",
			cfg:    baseConfig(first(reviewed("bob", 5*hour+ns, breakglass.ReviewApproved)), second),
			steps: []step{
				{after(5*hour - ns), nil},
				{after(5 * hour), []string{"medium session s2"}},
				{after(30 * day), []string{"medium session s2"}},
			},
		},
		{
			name:   "previous asked for information",
			reason: "an open review is not a concluded one",
			cfg:    baseConfig(first(reviewed("bob", 2*hour, breakglass.ReviewNeedsInformation)), second),
			steps:  []step{{after(5 * hour), []string{"medium session s2"}}},
		},
		{
			name:   "overlapping sessions",
			reason: "a session opened while the previous one still runs awaits its review too",
			cfg:    baseConfig(sess("s1", "alice", 0), sess("s2", "alice", hour)),
			steps:  []step{{after(hour), []string{"medium session s2"}}},
		},
		{
			name:   "same start, ordered by ID",
			reason: "of two sessions starting together, the larger ID is the newer",
			cfg:    baseConfig(sess("s2", "alice", 0), sess("s1", "alice", 0)),
			steps:  []step{{after(0), []string{"medium session s2"}}},
		},
		{
			name:   "another identity",
			reason: "the rule is per identity",
			cfg:    baseConfig(first(), sess("s2", "dave", 5*hour)),
			steps:  []step{{after(5 * hour), nil}},
		},
	})
}

func TestHabitualUse(t *testing.T) {
	// alice uses the emergency path at t0, t0+1d, t0+2d and t0+3d: four
	// sessions, one more than the default three per thirty days.
	var four []breakglass.Session
	for i := range 4 {
		four = append(four, sess(fmt.Sprintf("a%d", i), "alice", time.Duration(i)*day, ended(time.Duration(i)*day+hour),
			reviewed("bob", time.Duration(i)*day+2*hour, breakglass.ReviewApproved)))
	}
	// Six different people use db:write once each: one more than five per
	// entitlement.
	var six []breakglass.Session
	for i, who := range []string{"alice", "bob", "carol", "dave", "erin", "alice"} {
		six = append(six, sess(fmt.Sprintf("w%d", i), who, time.Duration(i)*10*day/6, ended(time.Duration(i)*10*day/6+hour),
			reviewed("carol", time.Duration(i)*10*day/6+2*hour, breakglass.ReviewApproved),
			with(func(s *breakglass.Session) {
				s.Entitlements = []string{"db:write"}
				if who == "carol" {
					s.Review.Reviewer = "bob"
				}
			})))
	}
	seven := slices.Clone(six)
	seven = append(seven, sess("w6", "dave", 2*day, ended(2*day+hour), with(func(s *breakglass.Session) { s.Entitlements = []string{"db:write"} })))
	for i := range 6 {
		seven = append(seven, sess(fmt.Sprintf("x%d", i), "carol", 3*day+time.Duration(i)*hour, ended(3*day+time.Duration(i)*hour+30*time.Minute),
			with(func(s *breakglass.Session) { s.Entitlements = []string{"db:write"} })))
	}
	twice := baseConfig(four...)
	twice.Policy.MaxPerIdentity = 2
	tight := baseConfig(four[:2]...)
	tight.Policy.MaxPerIdentity, tight.Policy.HabitWindow = 1, day
	runCases(t, breakglass.KindHabitualUse, []stepCase{
		{
			name:   "per identity",
			reason: "the fourth session in thirty days is one too many; the window is (at-30d, at]",
			cfg:    baseConfig(four...),
			steps: []step{
				{after(3*day - ns), nil},
				{after(3 * day), []string{"medium identity alice"}},
				{after(30*day - ns), []string{"medium identity alice"}},
				{after(30 * day), nil},
			},
		},
		{
			name:   "per entitlement",
			reason: "six sessions conferred db:write, more than five",
			cfg:    baseConfig(six...),
			steps: []step{
				{after(50*day/6 - ns), nil},
				{after(50 * day / 6), []string{"medium entitlement db:write"}},
			},
		},
		{
			name:   "more than twice the limit",
			reason: "thirteen uses of db:write are more than twice five; carol's seven are more than twice three",
			cfg:    baseConfig(seven...),
			steps:  []step{{after(10 * day), []string{"high entitlement db:write", "high identity carol"}}},
		},
		{
			name:   "exactly twice the limit",
			reason: "four sessions against a limit of two is still medium; more than twice is high",
			cfg:    twice,
			steps:  []step{{after(3 * day), []string{"medium identity alice"}}},
		},
		{
			name:   "policy limits",
			reason: "one session per day: the second, a day after the first, is in a new window",
			cfg:    tight,
			steps:  []step{{after(day), nil}, {after(day - ns), nil}},
		},
	})
}

func TestCredentialsNotRotated(t *testing.T) {
	viaAccount := func(account string, mods ...func(*breakglass.Session)) breakglass.Config {
		return baseConfig(sess("s1", "alice", 0, append([]func(*breakglass.Session){ended(hour), func(s *breakglass.Session) {
			s.Account, s.Entitlements = account, nil
		}}, mods...)...))
	}
	rotated := func(d time.Duration) func(*breakglass.Session) {
		return func(s *breakglass.Session) { s.CredentialsRotated = t0.Add(d) }
	}
	exempt := viaAccount("ff-erp")
	exempt.Policy.RotationExempt = []string{"ff-erp"}
	runCases(t, breakglass.KindCredentialsNotRotated, []stepCase{
		{
			name:   "not rotated",
			reason: "due 24h after the end; reported only once that has passed",
			cfg:    viaAccount("ff-erp"),
			steps:  []step{{after(hour + day), nil}, {after(hour + day + ns), []string{"high session s1"}}},
		},
		{
			name:   "rotated exactly when due",
			reason: "a rotation at the due time is on time",
			cfg:    viaAccount("ff-erp", rotated(hour+day)),
			steps:  []step{{after(30 * day), nil}},
		},
		{
			name:   "rotated before the end",
			reason: "a rotation while the session ran does not count",
			cfg:    viaAccount("ff-erp", rotated(hour-ns)),
			steps:  []step{{after(hour + day + ns), []string{"high session s1"}}},
		},
		{
			name:   "rotated late",
			reason: "a rotation after the due time does not count",
			cfg:    viaAccount("ff-erp", rotated(hour+day+ns)),
			steps:  []step{{after(hour + day + ns), []string{"high session s1"}}},
		},
		{
			name:   "account credential rotated",
			reason: "ff-k8s's credential was rotated at t0+90m, within the period after the session's end",
			cfg:    viaAccount("ff-k8s"),
			steps:  []step{{after(30 * day), nil}},
		},
		{
			name:   "exempt account",
			reason: "the policy exempts ff-erp",
			cfg:    exempt,
			steps:  []step{{after(30 * day), nil}},
		},
		{
			name:   "no account",
			reason: "an elevation of the user's own identity has no shared credential",
			cfg:    baseConfig(sess("s1", "alice", 0, ended(hour))),
			steps:  []step{{after(30 * day), nil}},
		},
	})
}

func TestGrantWithoutSession(t *testing.T) {
	erin := func(offset time.Duration, mods ...func(*breakglass.Session)) breakglass.Session {
		return sess("s1", "erin", offset, append([]func(*breakglass.Session){func(s *breakglass.Session) {
			s.Entitlements = []string{"db:write"}
		}}, mods...)...)
	}
	runCases(t, breakglass.KindGrantWithoutSession, []stepCase{
		{
			name:   "no session",
			reason: "high while the grant is in effect, medium after it expired; g-e2 starts later",
			cfg:    baseConfig(),
			steps: []step{
				{after(-ns), nil},
				{after(0), []string{"high grant g-e1"}},
				{after(4*hour - ns), []string{"high grant g-e1"}},
				{after(4 * hour), []string{"medium grant g-e1"}},
				{after(10 * day), []string{"medium grant g-e1", "medium grant g-e2"}},
			},
		},
		{
			name:   "matching session",
			reason: "a session of erin overlapping the grant and conferring db:write explains it",
			cfg:    baseConfig(erin(hour, ended(2*hour))),
			steps:  []step{{after(2 * hour), nil}},
		},
		{
			name:   "session explains the role grant",
			reason: "dba confers db:write, which the session lists",
			cfg:    baseConfig(erin(10*day, ended(10*day+hour))),
			steps:  []step{{after(10 * day), []string{"medium grant g-e1"}}, {after(11 * day), []string{"medium grant g-e1"}}},
		},
		{
			name:   "session not yet started",
			reason: "a session that starts after at explains nothing yet",
			cfg:    baseConfig(erin(hour, ended(2*hour))),
			steps:  []step{{after(hour - ns), []string{"high grant g-e1"}}, {after(hour), nil}},
		},
		{
			name:   "session ends when the grant starts",
			reason: "intervals are half-open: no overlap",
			cfg:    baseConfig(erin(-hour, ended(0))),
			steps:  []step{{after(0), []string{"high grant g-e1"}}},
		},
		{
			name:   "session starts when the grant expires",
			reason: "intervals are half-open: no overlap",
			cfg:    baseConfig(erin(4*hour, ended(5*hour))),
			steps:  []step{{after(4 * hour), []string{"medium grant g-e1"}}},
		},
		{
			name:   "other entitlement",
			reason: "a session conferring db:read does not explain a grant of db:write",
			cfg:    baseConfig(erin(hour, ended(2*hour), with(func(s *breakglass.Session) { s.Entitlements = []string{"db:read"} }))),
			steps:  []step{{after(2 * hour), []string{"high grant g-e1"}}},
		},
		{
			name:   "other identity",
			reason: "alice's session does not explain erin's grant",
			cfg:    baseConfig(sess("s1", "alice", hour, with(func(s *breakglass.Session) { s.Entitlements = []string{"db:write"} }))),
			steps:  []step{{after(2 * hour), []string{"high grant g-e1"}}},
		},
		{
			name:   "unregistered account",
			reason: "without the account registrations, ff-erp's and ff-k8s's break-glass grants need sessions too",
			cfg:    breakglass.Config{Policy: breakglass.Policy{Controllers: []string{"sec"}}},
			steps:  []step{{after(-ns), []string{"high grant g-ff1", "high grant g-fk1"}}},
		},
	})
}

func TestInvalidRecords(t *testing.T) {
	x := fixture(t)
	cfg := baseConfig(
		sess("s1", "zed", 0),
		sess("s1", "alice", 0),
		sess("s2", "alice", 0, with(func(s *breakglass.Session) { s.Account, s.Entitlements = "ff-nope", []string{"db:nope"} })),
	)
	got := breakglass.Check(x, cfg, after(day))
	requireInvariants(t, got)
	var invalid []audit.Finding
	for _, f := range got {
		if f.Kind == breakglass.KindInvalidRecord {
			invalid = append(invalid, f)
			continue
		}
		require.NotEqual(t, "s2", f.Subject.ID, "an invalid session is left out of the other checks: %s", f.Kind)
	}
	require.Len(t, invalid, 2, "one finding per record: session s1 (both records) and session s2")
	for _, f := range invalid {
		require.Equal(t, audit.Indeterminate, f.Status, "an invalid record is never passed")
		require.True(t, f.Status.Failing())
	}
	var fields []string
	for _, e := range invalid[0].Evidence {
		fields = append(fields, e.Label)
	}
	require.Equal(t, []string{"identity", "id"}, fields, "s1: the unknown identity, then the duplicate ID")
	require.Equal(t, "zed", invalid[0].Identity, "s1 is about the user its first record names")
	require.Equal(t, "alice", invalid[1].Identity, "s2 is about its user")
}

// TestIdentityOfFindings checks Finding.Identity on each kind of
// break-glass finding: a session's findings are about its user, a grant's
// about its holder, an emergency account's record about that account, an
// identity's habitual use about it; an entitlement's habitual use about no
// single identity.
func TestIdentityOfFindings(t *testing.T) {
	x := fixture(t)
	cfg := baseConfig(
		sess("s1", "alice", 0, with(func(s *breakglass.Session) { s.Ticket, s.End = "", t0.Add(time.Hour) })),
		sess("s2", "alice", 2*hour),
		sess("s3", "alice", 4*hour),
		sess("s4", "alice", 6*hour),
	)
	cfg.Policy.MaxPerIdentity, cfg.Policy.MaxPerEntitlement = 1, 1
	cfg.Accounts = append(cfg.Accounts, breakglass.Account{ID: "dave", Owner: "bob"}) // no controller
	got := breakglass.Check(x, cfg, after(day))
	seen := map[string]bool{}
	for _, f := range got {
		want := ""
		switch f.Subject.Type {
		case "session", "identity":
			want = "alice"
		case "grant":
			want = "erin"
		case "account":
			want = f.Subject.ID
		}
		require.Equal(t, want, f.Identity, "%s %s", f.Kind, f.Subject)
		seen[f.Subject.Type] = true
	}
	for _, typ := range []string{"session", "identity", "entitlement", "grant", "account"} {
		require.True(t, seen[typ], "a finding about a %s", typ)
	}
}

func TestCheckIgnoresLaterRecords(t *testing.T) {
	x := fixture(t)
	cfg := baseConfig(sess("s1", "alice", day, with(func(s *breakglass.Session) { s.Ticket = "" })))
	require.Empty(t, kindsOf(breakglass.Check(x, cfg, after(day-ns)), breakglass.KindMissingJustification),
		"a session that starts after at has not happened yet")
	require.NotEmpty(t, kindsOf(breakglass.Check(x, cfg, after(day)), breakglass.KindMissingJustification))
}

func TestCheckDoesNotModifyInput(t *testing.T) {
	x := fixture(t)
	cfg := baseConfig(sess("s2", "alice", hour), sess("s1", "alice", 0, with(func(s *breakglass.Session) {
		s.Entitlements = []string{"db:write", "db:read"}
	})))
	before := cloneConfig(cfg)
	breakglass.Check(x, cfg, after(30*day))
	breakglass.Summarize(x, cfg, after(30*day))
	require.Empty(t, cmp.Diff(before, cfg))
}

func cloneConfig(c breakglass.Config) breakglass.Config {
	c.Accounts = slices.Clone(c.Accounts)
	c.Sessions = slices.Clone(c.Sessions)
	for i := range c.Sessions {
		c.Sessions[i].Entitlements = slices.Clone(c.Sessions[i].Entitlements)
	}
	return c
}

func kindsOf(fs []audit.Finding, kind audit.Kind) []audit.Finding {
	var out []audit.Finding
	for _, f := range fs {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

func TestFindingIDsStable(t *testing.T) {
	x := fixture(t)
	cfg := baseConfig(sess("s1", "alice", 0))
	// The same problem at two later times keeps its ID: evidence holds no
	// ages relative to at.
	a := kindsOf(breakglass.Check(x, cfg, after(5*hour)), breakglass.KindActivePastEnd)
	b := kindsOf(breakglass.Check(x, cfg, after(50*hour)), breakglass.KindActivePastEnd)
	require.Len(t, a, 1)
	require.Len(t, b, 1)
	require.Equal(t, a[0].ID, b[0].ID)
	require.NotEqual(t, a[0].Message, b[0].Message, "the message may say how long")

	// Recording the same instants in another zone keeps every ID.
	moved := cloneConfig(cfg)
	moved.Sessions[0].Start = moved.Sessions[0].Start.In(pdt)
	moved.Sessions[0].PlannedEnd = moved.Sessions[0].PlannedEnd.UTC()
	require.Empty(t, cmp.Diff(breakglass.Check(x, cfg, after(5*hour)), breakglass.Check(x, moved, after(5*hour))))
}

func TestNilIndex(t *testing.T) {
	cfg := breakglass.Config{Sessions: []breakglass.Session{sess("s1", "alice", 0)}}
	got := breakglass.Check(nil, cfg, after(0))
	requireInvariants(t, got)
	require.Len(t, got, 1, "with no inventory, alice is unknown: one invalid record")
	require.Equal(t, breakglass.KindInvalidRecord, got[0].Kind)
	require.NoError(t, breakglass.Config{}.Validate(nil))
}

// TestDurationsInMessages: durations read as everywhere else in sodkit, in
// ISO 8601 (audit.FormatDuration), exact.
func TestDurationsInMessages(t *testing.T) {
	x := fixture(t)
	cfg := baseConfig(sess("s1", "alice", 0, ended(7*hour+30*time.Minute)))
	fs := kindsOf(breakglass.Check(x, cfg, after(30*day)), breakglass.KindOverMaxLength)
	require.Len(t, fs, 1)
	require.Contains(t, fs[0].Message, "lasted PT7H30M, longer than the PT4H allowed by policy")
}

// TestCheckConcurrent runs Check and Summarize on shared inputs from several
// goroutines; run with -race.
func TestCheckConcurrent(t *testing.T) {
	x := fixture(t)
	cfg := baseConfig(sess("s1", "alice", 0), sess("s2", "alice", hour, with(func(s *breakglass.Session) { s.Account = "ff-erp" })),
		sess("s3", "erin", 2*hour, ended(3*hour)))
	want := breakglass.Check(x, cfg, after(10*day))
	done := make(chan []audit.Finding)
	for range 8 {
		go func() {
			breakglass.Summarize(x, cfg, after(10*day))
			done <- breakglass.Check(x, cfg, after(10*day))
		}()
	}
	for range 8 {
		require.Empty(t, cmp.Diff(want, <-done))
	}
}
