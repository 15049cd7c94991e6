package sodtest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
	"github.com/sodkit/sodkit/sod/sodtest"
)

// The Assert functions accept every kind of testing value.
var (
	_ sodtest.TB = (*testing.T)(nil)
	_ sodtest.TB = (*testing.B)(nil)
	_ sodtest.TB = (*testing.F)(nil)
	_ sodtest.TB = testing.TB(nil)
	_ sodtest.TB = (*sodtest.Recorder)(nil)
)

// fakeTB records what the Assert functions do with their TB, including
// whether they mark themselves helpers.
type fakeTB struct {
	helpers int
	errors  []string
}

func (f *fakeTB) Helper() { f.helpers++ }

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, sprintf(format, args...))
}

// mitigatedPolicy is examplePolicy with a valid exception for each of who,
// approved by ivan of iam.
func mitigatedPolicy(who ...string) sod.Config {
	p := examplePolicy
	p.Policy.ExceptionApprovers = []string{"iam"}
	for _, who := range who {
		p.Exceptions = append(p.Exceptions, sod.Exception{
			ID: "X-" + who, Rule: "P2P-1", Identity: who, Owner: "mia", Approver: "ivan", ApprovedAt: at.AddDate(0, 0, -2),
			Reason: "cover", CompensatingControl: "weekly review",
			ValidFrom: at.AddDate(0, 0, -1), ValidUntil: at.AddDate(0, 0, 30),
		})
	}
	return p
}

// indexWithIAM is exampleIndex plus ivan, a member of the iam party.
func indexWithIAM(t *testing.T) *entitlement.Index {
	inv := *exampleIndex().Inventory()
	inv.Parties = append(inv.Parties, entitlement.Party{ID: "iam", Function: entitlement.IdentityGovernance})
	inv.Identities = append(inv.Identities, entitlement.Identity{ID: "ivan", Kind: entitlement.Human,
		Status: entitlement.IdentityActive, Team: "iam"})
	x, err := entitlement.NewIndex(&inv)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// withoutAnn is exampleIndex without ann, so nobody violates P2P-1.
func withoutAnn(t *testing.T) *entitlement.Index {
	inv := *exampleIndex().Inventory()
	inv.Identities = inv.Identities[1:]
	x, err := entitlement.NewIndex(&inv)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// outcome classifies a checker's result.
type outcome int

const (
	pass     outcome = iota // nil
	findings                // a *FindingsError
	cannot                  // another error: the check could not run
)

func classify(err error) outcome {
	var fe *sodtest.FindingsError
	switch {
	case err == nil:
		return pass
	case errors.As(err, &fe):
		return findings
	}
	return cannot
}

func TestNoViolations(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		x      *entitlement.Index
		p      sod.Config
		at     time.Time
		want   outcome
		kinds  []audit.Kind // of the failing findings, in report order
		in     []string     // substrings of the message
	}{
		{name: "clean", reason: "without ann nobody holds both sides of P2P-1",
			x: withoutAnn(t), p: examplePolicy, at: at, want: pass},
		{name: "empty policy", reason: "no rules, nothing can be toxic",
			x: exampleIndex(), p: sod.Config{}, at: at, want: pass},
		{name: "toxic", reason: "ann holds vendors and payments; the message names rule, identity and the paths",
			x: exampleIndex(), p: examplePolicy, at: at, want: findings,
			kinds: []audit.Kind{sod.KindToxicCombination},
			in: []string{"rule P2P-1", "identity ann",
				"grant g1 → role vendor-admin → entitlement erp:vendor.create",
				"grant g2 → role supervisor → entitlement erp:payment.release"}},
		{name: "mitigated", reason: "a valid exception marks the violation mitigated, which passes a gate",
			x: indexWithIAM(t), p: mitigatedPolicy("ann"), at: at, want: pass},
		{name: "exception expired", reason: "once the exception ends the violation fails again, and so does the exception",
			x: indexWithIAM(t), p: mitigatedPolicy("ann"), at: at.AddDate(0, 2, 0), want: findings,
			kinds: []audit.Kind{sod.KindToxicCombination, sod.KindExceptionExpired}},
		{name: "exception orphaned", reason: "an exception covering nothing is a finding too",
			x: indexWithIAM(t), p: mitigatedPolicy("ann", "cat"), at: at, want: findings,
			kinds: []audit.Kind{sod.KindExceptionOrphaned}, in: []string{"exception X-cat, rule P2P-1"}},
		{name: "indeterminate", reason: "a rule naming an unknown entitlement fails closed",
			x: exampleIndex(), p: sod.Config{Rules: []sod.Rule{{ID: "R9", Sides: []sod.Side{{Entitlements: []string{"erp:nope"}}}}}},
			at: at, want: findings, kinds: []audit.Kind{sod.KindIndeterminate}, in: []string{"(indeterminate)", "erp:nope"}},
		{name: "does not compile", reason: "a structural error means the check could not run",
			x: exampleIndex(), p: sod.Config{Rules: []sod.Rule{{ID: "R1"}}}, at: at, want: cannot,
			in: []string{"does not compile", "rule R1: field sides"}},
		{name: "nil index", reason: "nothing to check against is an error, never a pass",
			p: examplePolicy, at: at, want: cannot, in: []string{"nil *entitlement.Index"}},
		{name: "zero time", reason: "a forgotten time would check nothing",
			x: exampleIndex(), p: examplePolicy, want: cannot, in: []string{"evaluation time is zero"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sodtest.NoViolations(tt.x, tt.p, tt.at)
			checkOutcome(t, tt.reason, err, tt.want, tt.kinds, tt.in)

			// The wrapper agrees, reports the same text and marks itself a helper.
			tb := new(fakeTB)
			ok := sodtest.AssertNoViolations(tb, tt.x, tt.p, tt.at)
			checkWrapper(t, tb, ok, err)
		})
	}
}

func TestGrantAllowed(t *testing.T) {
	by := func(who string) entitlement.Event { return entitlement.Event{By: who, At: at} }
	approved := func(who ...string) []entitlement.Approval {
		var out []entitlement.Approval
		for _, w := range who {
			out = append(out, entitlement.Approval{By: w, At: at})
		}
		return out
	}
	vendorAdmin := entitlement.Grant{ID: "g9", Role: "vendor-admin", Requested: by("mia"), Approvals: approved("ann")}
	with := func(g entitlement.Grant, f func(*entitlement.Grant)) entitlement.Grant { f(&g); return g }
	tests := []struct {
		name     string
		reason   string
		x        *entitlement.Index
		p        sod.Config
		identity string
		g        entitlement.Grant
		at       time.Time
		want     outcome
		kinds    []audit.Kind
		in       []string
	}{
		{name: "allowed", reason: "a clerk may maintain vendors",
			identity: "ben", g: vendorAdmin, want: pass},
		{name: "toxic", reason: "cat releases payments; vendors would complete the pair, through the proposed grant",
			identity: "cat", g: vendorAdmin, want: findings, kinds: []audit.Kind{sod.KindToxicCombination},
			in: []string{"granting role vendor-admin to cat (grant g9)", "identity cat, rule P2P-1",
				"grant g9 → role vendor-admin → entitlement erp:vendor.create",
				"grant g4 → role supervisor → entitlement erp:payment.release"}},
		{name: "toxic by entitlement", reason: "a direct entitlement grant counts like a role",
			identity: "cat", g: entitlement.Grant{ID: "g9", Entitlement: "erp:vendor.create"}, want: findings,
			kinds: []audit.Kind{sod.KindToxicCombination}, in: []string{"grant g9 → entitlement erp:vendor.create"}},
		{name: "self-approved", reason: "maker-checker: the holder approved their own access",
			identity: "ben", g: with(vendorAdmin, func(g *entitlement.Grant) { g.Approvals = approved("ben") }),
			want: findings, kinds: []audit.Kind{sod.KindDutyConflict}, in: []string{"ben approved their own access"}},
		{name: "requester approves", reason: "maker-checker: whoever asks does not approve",
			identity: "ben", g: with(vendorAdmin, func(g *entitlement.Grant) { g.Approvals = approved("mia") }),
			want: findings, kinds: []audit.Kind{sod.KindDutyConflict}, in: []string{"requester mia is also its approver"}},
		{name: "same approver twice", reason: "dual authorization needs two people",
			identity: "ben", g: with(vendorAdmin, func(g *entitlement.Grant) { g.Approvals = approved("ann", "ann") }),
			want: findings, kinds: []audit.Kind{sod.KindDutyConflict}},
		{name: "toxic and self-approved", reason: "every failing finding is reported, not just the first",
			identity: "cat", g: with(vendorAdmin, func(g *entitlement.Grant) { g.Approvals = approved("cat") }),
			want: findings, kinds: []audit.Kind{sod.KindDutyConflict, sod.KindToxicCombination}},
		{name: "request state", reason: "a grant still in state requested is checked as if made",
			identity: "cat", g: with(vendorAdmin, func(g *entitlement.Grant) { g.State = entitlement.GrantRequested }),
			want: findings, kinds: []audit.Kind{sod.KindToxicCombination}},
		{name: "no ID", reason: "an unnamed grant is called proposed-1, as sod.Engine.Decide names it",
			identity: "cat", g: with(vendorAdmin, func(g *entitlement.Grant) { g.ID = "" }),
			want: findings, in: []string{"(grant proposed-1)", "grant proposed-1 → role vendor-admin"}},
		{name: "already held", reason: "ann already violates P2P-1; another path to it adds nothing new",
			identity: "ann", g: with(vendorAdmin, func(g *entitlement.Grant) { g.Approvals = approved("ben") }), want: pass},
		{name: "mitigated", reason: "an exception covering cat makes the new violation mitigated",
			x: indexWithIAM(t), p: mitigatedPolicy("cat"), identity: "cat", g: vendorAdmin, want: pass},
		{name: "unknown identity", reason: "a typo must not pass as a joiner with no access",
			identity: "zed", g: vendorAdmin, want: cannot, in: []string{`no identity "zed"`}},
		{name: "unknown role", reason: "the change cannot be evaluated",
			identity: "ben", g: entitlement.Grant{Role: "nope"}, want: cannot, in: []string{`no role "nope"`}},
		{name: "no target", reason: "a grant of nothing cannot be evaluated",
			identity: "ben", g: entitlement.Grant{ID: "g9"}, want: cannot},
		{name: "expired", reason: "a grant that expires by at would never be in effect: a question that cannot be answered",
			identity: "cat", g: with(vendorAdmin, func(g *entitlement.Grant) { g.Expires = at }),
			want: cannot, in: []string{"would never be in effect"}},
		{name: "starts later", reason: "a grant asked about before it starts is evaluated as in effect: the pair it would complete is reported now",
			identity: "cat", g: with(vendorAdmin, func(g *entitlement.Grant) { g.Start = at.Add(time.Hour) }),
			want: findings, kinds: []audit.Kind{sod.KindToxicCombination}},
		{name: "revoked", reason: "a revoked grant is not a proposal",
			identity: "cat", g: with(vendorAdmin, func(g *entitlement.Grant) { g.State = entitlement.GrantRevoked }),
			want: cannot, in: []string{"cannot be proposed"}},
		{name: "unknown approver", reason: "maker-checker cannot be checked against someone the inventory does not know",
			identity: "ben", g: with(vendorAdmin, func(g *entitlement.Grant) { g.Approvals = approved("zed") }),
			want: cannot, in: []string{`no identity "zed"`}},
		{name: "requested later", reason: "a request after at is not part of the record at at",
			identity: "cat", g: with(vendorAdmin, func(g *entitlement.Grant) { g.Requested.At = at.Add(time.Hour) }),
			want: cannot, in: []string{"after the evaluation time"}},
		{name: "zero time", reason: "a forgotten time is an error",
			identity: "cat", g: vendorAdmin, at: time.Time{}, want: cannot, in: []string{"evaluation time is zero"}},
		{name: "nil index", reason: "nothing to check against",
			x: nil, identity: "cat", g: vendorAdmin, want: cannot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, p, when := tt.x, tt.p, tt.at
			if x == nil && tt.name != "nil index" {
				x = exampleIndex()
			}
			if p.Rules == nil {
				p = examplePolicy
			}
			if when.IsZero() && tt.name != "zero time" {
				when = at
			}
			err := sodtest.GrantAllowed(x, p, tt.identity, tt.g, when)
			checkOutcome(t, tt.reason, err, tt.want, tt.kinds, tt.in)
			tb := new(fakeTB)
			ok := sodtest.AssertGrantAllowed(tb, x, p, tt.identity, tt.g, when)
			checkWrapper(t, tb, ok, err)
		})
	}
}

func TestGrantAllowedDoesNotModifyItsInput(t *testing.T) {
	g := entitlement.Grant{Role: "vendor-admin", State: entitlement.GrantRequested}
	_ = sodtest.GrantAllowed(exampleIndex(), examplePolicy, "cat", g, at)
	if g.ID != "" || g.State != entitlement.GrantRequested {
		t.Errorf("the caller's grant changed: %+v", g)
	}
}

func TestRuleSetValid(t *testing.T) {
	side := func(name string, ents ...string) sod.Side { return sod.Side{Name: name, Entitlements: ents} }
	tests := []struct {
		name   string
		reason string
		x      *entitlement.Index
		p      sod.Config
		want   outcome
		kinds  []audit.Kind
		in     []string
	}{
		{name: "valid", reason: "every reference resolves and no role is toxic by itself",
			x: exampleIndex(), p: examplePolicy, want: pass},
		{name: "empty", reason: "no rules is a valid (if useless) rule set",
			x: exampleIndex(), want: pass},
		{name: "intra-role", reason: "supervisor inherits clerk, so it posts and releases by itself",
			x: exampleIndex(), p: sod.Config{Rules: []sod.Rule{{ID: "R2", Severity: audit.High,
				Sides: []sod.Side{side("Post", "erp:invoice.post"), side("Release", "erp:payment.release")}}}},
			want: findings, kinds: []audit.Kind{sod.KindIntraRoleConflict},
			in: []string{"role supervisor, rule R2", "role supervisor → role clerk → entitlement erp:invoice.post"}},
		{name: "unknown entitlement", reason: "indeterminate rules fail closed",
			x: exampleIndex(), p: sod.Config{Rules: []sod.Rule{{ID: "R3", Sides: []sod.Side{side("Gone", "erp:gone")}}}},
			want: findings, kinds: []audit.Kind{sod.KindIndeterminate}},
		{name: "overlapping sides", reason: "one entitlement on two sides makes the rule fire on it alone",
			x: exampleIndex(), p: sod.Config{Rules: []sod.Rule{{ID: "R4",
				Sides: []sod.Side{side("A", "erp:vendor.create"), side("B", "erp:vendor.create", "erp:invoice.post")}}}},
			want: findings, kinds: []audit.Kind{sod.KindIntraRoleConflict, sod.KindOverlappingSides}},
		{name: "structural", reason: "Validate's errors are returned as errors, each naming the record",
			x: exampleIndex(), p: sod.Config{Rules: []sod.Rule{{ID: "R5", Sides: []sod.Side{{}}}, {ID: "R5", Sides: []sod.Side{side("A", "erp:invoice.post")}}}},
			want: cannot, in: []string{"rule R5: field sides[0]", "rule R5: field id: duplicate"}},
		{name: "nil index", reason: "linting needs the catalogue",
			p: examplePolicy, want: cannot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sodtest.RuleSetValid(tt.x, tt.p)
			checkOutcome(t, tt.reason, err, tt.want, tt.kinds, tt.in)
			if tt.name == "structural" {
				var re *entitlement.RecordError
				if !errors.As(err, &re) || !errors.Is(err, entitlement.ErrDuplicate) {
					t.Errorf("the structural errors are not *entitlement.RecordError values wrapping the sentinels: %v", err)
				}
			}
			tb := new(fakeTB)
			ok := sodtest.AssertRuleSetValid(tb, tt.x, tt.p)
			checkWrapper(t, tb, ok, err)
		})
	}
}

// checkOutcome compares a checker's error with what a table row expects.
func checkOutcome(t *testing.T, reason string, err error, want outcome, kinds []audit.Kind, in []string) {
	t.Helper()
	if got := classify(err); got != want {
		t.Fatalf("%s: outcome %d, want %d; error:\n%v", reason, got, want, err)
	}
	if kinds != nil {
		var fe *sodtest.FindingsError
		errors.As(err, &fe)
		var got []audit.Kind
		for _, f := range fe.Findings {
			got = append(got, f.Kind)
			if !f.Status.Failing() {
				t.Errorf("%s: a finding that does not fail was reported: %s", reason, f.ID)
			}
		}
		if !equalKinds(got, kinds) {
			t.Errorf("%s: failing kinds %v, want %v; error:\n%v", reason, got, kinds, err)
		}
	}
	for _, s := range in {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%s: the message does not contain %q:\n%v", reason, s, err)
		}
	}
}

func equalKinds(a, b []audit.Kind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkWrapper checks that an Assert function reported err, and only err,
// and marked itself a helper.
func checkWrapper(t *testing.T, tb *fakeTB, ok bool, err error) {
	t.Helper()
	if tb.helpers == 0 {
		t.Error("the Assert function did not call Helper, so failures would point into sodtest")
	}
	if ok != (err == nil) {
		t.Errorf("the Assert function returned %v for error %v", ok, err)
	}
	switch {
	case err == nil && len(tb.errors) > 0:
		t.Errorf("the Assert function reported %q for a passing check", tb.errors)
	case err != nil && (len(tb.errors) != 1 || tb.errors[0] != err.Error()):
		t.Errorf("the Assert function reported %q, want exactly the checker's error %q", tb.errors, err.Error())
	}
}
