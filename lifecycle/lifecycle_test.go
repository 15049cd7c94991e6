package lifecycle_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/kindtest"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/lifecycle"
)

const day = 24 * time.Hour

var (
	t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)  // provisioning of the clean grants
	at = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) // evaluation time
)

// clean returns a grant with a complete, unremarkable record.
func clean(id, target string) entitlement.Grant {
	g := entitlement.Grant{
		ID: id, State: entitlement.GrantActive, Source: entitlement.SourceStandard,
		Requested:   entitlement.Event{By: "alice", At: t0.Add(-2 * time.Hour)},
		Approvals:   []entitlement.Approval{{By: "bob", At: t0.Add(-time.Hour)}},
		Provisioned: entitlement.Event{By: "bob", At: t0},
		Reason:      "Needed for the job", PolicyBasis: "tmpl-1",
	}
	if _, ok := entitlements[target]; ok {
		g.Entitlement = target
	} else {
		g.Role = target
	}
	return g
}

var entitlements = map[string]entitlement.Entitlement{
	"erp:report.view":     {ID: "erp:report.view", Risk: entitlement.RiskLow, Standard: true},
	"erp:invoice.post":    {ID: "erp:invoice.post", Risk: entitlement.RiskMedium},
	"erp:vendor.create":   {ID: "erp:vendor.create", Risk: entitlement.RiskHigh},
	"erp:unassessed":      {ID: "erp:unassessed"},
	"erp:payment.release": {ID: "erp:payment.release", Risk: entitlement.RiskCritical, Privileged: true, MaxDuration: 30 * day},
	"k8s:prod.admin":      {ID: "k8s:prod.admin", Risk: entitlement.RiskCritical, Privileged: true, MaxDuration: 8 * time.Hour},
	"erp:export":          {ID: "erp:export", Risk: entitlement.RiskMedium, MaxDuration: 90 * day},
}

// org is a clean organisation: Check finds nothing in it. Each test case
// changes one thing.
func org() *entitlement.Inventory {
	inv := &entitlement.Inventory{
		Roles: []entitlement.Role{
			{ID: "reader", Entitlements: []string{"erp:report.view"}},
			{ID: "clerk", Entitlements: []string{"erp:invoice.post"}, Inherits: []string{"reader"}},
			{ID: "payer", Entitlements: []string{"erp:payment.release"}, Inherits: []string{"clerk"}},
			{ID: "oncall", Entitlements: []string{"k8s:prod.admin"}},
		},
		Identities: []entitlement.Identity{
			{ID: "alice", Kind: entitlement.Human, Status: entitlement.IdentityActive,
				Grants: []entitlement.Grant{clean("g-1", "clerk")}},
			{ID: "bob", Kind: entitlement.Human, Status: entitlement.IdentityActive},
			{ID: "svc", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "alice",
				Grants: []entitlement.Grant{clean("g-2", "erp:report.view")}},
		},
		Observations: []entitlement.Observation{
			{Identity: "alice", Entitlement: "erp:invoice.post", SeenAt: at.Add(-time.Hour)},
			{Identity: "svc", Entitlement: "erp:report.view", SeenAt: at.Add(-time.Hour)},
		},
	}
	for _, id := range slices.Sorted(mapKeys(entitlements)) {
		inv.Entitlements = append(inv.Entitlements, entitlements[id])
	}
	return inv
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// check runs Check over inv at at, and requires every finding to be built
// from the kind table.
func check(t *testing.T, inv *entitlement.Inventory, at time.Time) []audit.Finding {
	t.Helper()
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	fs := lifecycle.Check(x, at)
	require.NoError(t, kindtest.Findings(lifecycle.Kinds(), fs))
	return fs
}

// summary renders a finding as "severity kind subject".
func summary(fs []audit.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s", f.Severity, f.Kind, f.Subject))
	}
	return out
}

func TestCleanOrg(t *testing.T) {
	require.Empty(t, summary(check(t, org(), at)), "the clean organisation has no findings")
}

func TestCheck(t *testing.T) {
	alice := func(inv *entitlement.Inventory) *entitlement.Identity { return &inv.Identities[0] }
	svc := func(inv *entitlement.Inventory) *entitlement.Identity { return &inv.Identities[2] }
	add := func(id *entitlement.Identity, g entitlement.Grant) { id.Grants = append(id.Grants, g) }
	observe := func(inv *entitlement.Inventory, who, ent string, seen time.Time) {
		inv.Observations = append(inv.Observations, entitlement.Observation{Identity: who, Entitlement: ent, SeenAt: seen})
	}
	tests := []struct {
		name   string
		change func(inv *entitlement.Inventory)
		at     time.Time // zero means at
		want   []string
		reason string
	}{
		// Time-bound grants: no expiry.
		{"privileged without expiry", func(inv *entitlement.Inventory) {
			add(alice(inv), clean("g-9", "erp:payment.release"))
		}, time.Time{}, []string{"high lifecycle.no-expiry grant g-9"}, "privileged access must be time-bound"},
		{"privileged through a role", func(inv *entitlement.Inventory) {
			alice(inv).Grants[0].Role = "payer"
		}, time.Time{}, []string{"high lifecycle.no-expiry grant g-1"}, "roles confer privileged access too"},
		{"privileged with expiry", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:payment.release")
			g.Expires = t0.Add(30 * day)
			add(alice(inv), g)
		}, t0.Add(day), nil, "an expiry within the maximum is fine"},
		{"just-in-time without expiry", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:invoice.post")
			g.Eligible, g.Source = true, entitlement.SourceJustInTime
			add(alice(inv), g)
		}, time.Time{}, []string{"medium lifecycle.no-expiry grant g-9"}, "eligibility must end too"},
		{"just-in-time source without eligibility", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:invoice.post")
			g.Source = entitlement.SourceJustInTime
			add(alice(inv), g)
		}, time.Time{}, []string{"medium lifecycle.no-expiry grant g-9"}, "a grant that came through just-in-time is time-bound"},

		// Time-bound grants: over the maximum.
		{"standing over the maximum", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:export")
			g.Expires = t0.Add(90*day + time.Nanosecond)
			add(alice(inv), g)
		}, t0.Add(day), []string{"medium lifecycle.over-max-duration grant g-9"}, "one nanosecond over the 90 days"},
		{"standing exactly the maximum", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:export")
			g.Expires = t0.Add(90 * day)
			add(alice(inv), g)
		}, t0.Add(day), nil, "the maximum itself is allowed"},
		{"privileged over the maximum", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:payment.release")
			g.Expires = t0.Add(31 * day)
			add(alice(inv), g)
		}, t0.Add(day), []string{"high lifecycle.over-max-duration grant g-9"}, "privileged: high"},
		{"strictest maximum of a role", func(inv *entitlement.Inventory) {
			inv.Roles[3].Entitlements = append(inv.Roles[3].Entitlements, "erp:export")
			g := clean("g-9", "oncall")
			g.Expires = t0.Add(9 * time.Hour)
			add(alice(inv), g)
		}, t0.Add(time.Hour), []string{"high lifecycle.over-max-duration grant g-9"}, "the shortest maximum among what a role confers applies"},
		{"explicit start", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:export")
			g.Start = t0.Add(10 * day)
			g.Expires = t0.Add(100 * day)
			add(alice(inv), g)
		}, t0.Add(11 * day), nil, "the length runs from Start, not provisioning"},
		{"activation over the maximum", func(inv *entitlement.Inventory) {
			g := clean("g-9", "oncall")
			g.Eligible, g.Expires = true, t0.Add(90*day)
			g.Activations = []entitlement.Activation{
				{Start: t0.Add(day), End: t0.Add(day + 8*time.Hour)},
				{Start: t0.Add(2 * day), End: t0.Add(2*day + 8*time.Hour + time.Second)},
			}
			add(alice(inv), g)
		}, t0.Add(10 * day), []string{"high lifecycle.over-max-duration grant g-9"}, "each activation must fit; the first fits exactly"},
		{"running activation over the maximum", func(inv *entitlement.Inventory) {
			g := clean("g-9", "oncall")
			g.Eligible, g.Expires = true, t0.Add(90*day)
			g.Activations = []entitlement.Activation{{Start: t0.Add(day)}}
			add(alice(inv), g)
		}, t0.Add(day + 8*time.Hour + time.Nanosecond), []string{"high lifecycle.over-max-duration grant g-9"}, "an open activation counts up to at"},
		{"running activation at the maximum", func(inv *entitlement.Inventory) {
			g := clean("g-9", "oncall")
			g.Eligible, g.Expires = true, t0.Add(90*day)
			g.Activations = []entitlement.Activation{{Start: t0.Add(day)}}
			add(alice(inv), g)
		}, t0.Add(day + 8*time.Hour), nil, "exactly the maximum so far"},
		{"eligible grant length is not an activation", func(inv *entitlement.Inventory) {
			g := clean("g-9", "oncall")
			g.Eligible, g.Expires = true, t0.Add(90*day)
			add(alice(inv), g)
		}, t0.Add(day), nil, "an eligibility window longer than the maximum is fine; activations are bounded"},

		// Escalation skipped.
		{"standard path to a high-risk entitlement", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:vendor.create")
			g.Approvals = nil
			add(alice(inv), g)
		}, time.Time{}, []string{"high lifecycle.escalation-skipped grant g-9"}, "high risk needs its approval path"},
		{"standard path to an unassessed entitlement", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:unassessed")
			g.Approvals = nil
			add(alice(inv), g)
		}, time.Time{}, []string{"high lifecycle.escalation-skipped grant g-9"}, "unassessed counts as high risk (fail closed)"},
		{"standard path to a pre-approved entitlement", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:report.view")
			g.Approvals = nil
			add(alice(inv), g)
		}, time.Time{}, nil, "standard entitlements need no approval"},
		{"standard path to a medium one", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:invoice.post")
			g.Approvals = nil
			add(alice(inv), g)
		}, time.Time{}, nil, "medium risk, not privileged: no escalation needed"},
		{"approved high-risk grant", func(inv *entitlement.Inventory) {
			add(alice(inv), clean("g-9", "erp:vendor.create"))
		}, time.Time{}, nil, "an approval is the escalation"},
		{"unknown source", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:vendor.create")
			g.Approvals, g.Source = nil, 0
			add(alice(inv), g)
		}, time.Time{}, nil, "only grants recorded as standard claim the pre-approved path"},

		// Record gaps.
		{"no reason", func(inv *entitlement.Inventory) {
			alice(inv).Grants[0].Reason = ""
		}, time.Time{}, []string{"low lifecycle.missing-reason grant g-1"}, "why was it granted?"},
		{"no policy basis", func(inv *entitlement.Inventory) {
			svc(inv).Grants[0].PolicyBasis = ""
		}, time.Time{}, []string{"medium lifecycle.missing-policy-basis grant g-2"}, "what allowed it?"},
		{"gaps on a grant that is over", func(inv *entitlement.Inventory) {
			g := &alice(inv).Grants[0]
			g.Reason, g.PolicyBasis = "", ""
			g.Expires = at
		}, time.Time{}, nil, "an expired grant needs no justification: expiry exactly at at is over"},
		{"gaps on a revoked grant", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:invoice.post")
			g.State, g.Reason = entitlement.GrantRevoked, ""
			g.Revoked = entitlement.Event{By: "bob", At: t0.Add(day)}
			add(alice(inv), g)
		}, time.Time{}, nil, "revoked grants are not live"},
		{"gaps on a requested grant", func(inv *entitlement.Inventory) {
			add(alice(inv), entitlement.Grant{ID: "g-9", Entitlement: "erp:payment.release", State: entitlement.GrantRequested})
		}, time.Time{}, nil, "a request is not a grant yet"},
		{"gaps on a grant not started yet", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:invoice.post")
			g.Start, g.Reason = at.Add(day), ""
			add(alice(inv), g)
		}, time.Time{}, []string{"low lifecycle.missing-reason grant g-9"}, "a future grant's record already promises the access"},

		// Inactive holders.
		{"disabled identity with access", func(inv *entitlement.Inventory) {
			svc(inv).Status = entitlement.IdentityDisabled
		}, time.Time{}, []string{"high lifecycle.inactive-holder identity svc"}, "a disabled identity's grants should have been revoked"},
		{"offboarded with privileged access", func(inv *entitlement.Inventory) {
			svc(inv).Status = entitlement.IdentityOffboarded
			g := clean("g-9", "erp:payment.release")
			g.Start, g.Expires = at.Add(-day), at.Add(day)
			add(svc(inv), g)
		}, time.Time{}, []string{"critical lifecycle.inactive-holder identity svc"}, "privileged access left behind is critical"},
		{"disabled, grant expiring at at", func(inv *entitlement.Inventory) {
			svc(inv).Status = entitlement.IdentityDisabled
			svc(inv).Grants[0].Expires = at
			inv.Observations = inv.Observations[:1]
		}, time.Time{}, nil, "a grant that expires exactly at at is no longer held"},
		{"disabled, grant not started", func(inv *entitlement.Inventory) {
			svc(inv).Status = entitlement.IdentityDisabled
			svc(inv).Grants[0].Start = at.Add(time.Nanosecond)
			inv.Observations = inv.Observations[:1]
		}, time.Time{}, nil, "a grant not yet started is not held"},

		// Drift.
		{"revoked but still present", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:vendor.create")
			g.State = entitlement.GrantRevoked
			g.Revoked = entitlement.Event{By: "bob", At: at.Add(-day)}
			add(alice(inv), g)
			observe(inv, "alice", "erp:vendor.create", at.Add(-time.Hour))
		}, time.Time{}, []string{"high lifecycle.revoked-still-present identity alice"}, "deprovisioning did not reach the system"},
		{"revoked exactly when seen", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:vendor.create")
			g.State = entitlement.GrantRevoked
			g.Revoked = entitlement.Event{By: "bob", At: at.Add(-time.Hour)}
			add(alice(inv), g)
			observe(inv, "alice", "erp:vendor.create", at.Add(-time.Hour))
		}, time.Time{}, []string{"high lifecycle.revoked-still-present identity alice"}, "revocation is immediate: at its instant the access is gone"},
		{"seen before the revocation", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:vendor.create")
			g.State = entitlement.GrantRevoked
			g.Revoked = entitlement.Event{By: "bob", At: at.Add(-time.Hour)}
			add(alice(inv), g)
			observe(inv, "alice", "erp:vendor.create", at.Add(-2*time.Hour))
		}, time.Time{}, nil, "the grant was still in force when the access was seen"},
		{"expired but still present", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:payment.release")
			g.Expires = at.Add(-day)
			add(alice(inv), g)
			observe(inv, "alice", "erp:payment.release", at.Add(-time.Hour))
		}, time.Time{}, []string{"critical lifecycle.revoked-still-present identity alice"}, "privileged drift is critical"},
		{"expired state, seen before expiry", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:export")
			g.State, g.Expires = entitlement.GrantExpired, at.Add(-time.Hour)
			add(alice(inv), g)
			observe(inv, "alice", "erp:export", at.Add(-2*time.Hour))
		}, time.Time{}, nil, "a grant recorded as expired was in force before its expiry"},
		{"expired state, seen after expiry", func(inv *entitlement.Inventory) {
			g := clean("g-9", "erp:export")
			g.State, g.Expires = entitlement.GrantExpired, at.Add(-2*time.Hour)
			add(alice(inv), g)
			observe(inv, "alice", "erp:export", at.Add(-time.Hour))
		}, time.Time{}, []string{"high lifecycle.revoked-still-present identity alice"}, "and not after"},
		{"offboarded identity", func(inv *entitlement.Inventory) {
			a := alice(inv)
			a.Status = entitlement.IdentityOffboarded
			a.Grants[0].State = entitlement.GrantRevoked
			a.Grants[0].Revoked = entitlement.Event{By: "bob", At: at.Add(-day)}
		}, time.Time{}, []string{"high lifecycle.revoked-still-present identity alice"}, "the leaver's access is still there"},
		{"observed, no grant", func(inv *entitlement.Inventory) {
			observe(inv, "bob", "erp:vendor.create", at.Add(-time.Hour))
		}, time.Time{}, []string{"high lifecycle.unexplained-access identity bob"}, "access nobody granted"},
		{"observed before the grant started", func(inv *entitlement.Inventory) {
			observe(inv, "alice", "erp:invoice.post", t0.Add(-time.Second))
			inv.Observations = inv.Observations[1:] // drop the later sighting
		}, time.Time{}, []string{"high lifecycle.unexplained-access identity alice"}, "the latest sighting is judged against the grants then"},
		{"latest sighting wins", func(inv *entitlement.Inventory) {
			observe(inv, "alice", "erp:invoice.post", t0.Add(-time.Second))
		}, time.Time{}, nil, "an old unexplained sighting is superseded by a later explained one"},
		{"sighting after at ignored", func(inv *entitlement.Inventory) {
			observe(inv, "bob", "erp:vendor.create", at.Add(time.Nanosecond))
		}, time.Time{}, nil, "the future is not evidence"},
		{"sighting exactly at at", func(inv *entitlement.Inventory) {
			observe(inv, "bob", "erp:vendor.create", at)
		}, time.Time{}, []string{"high lifecycle.unexplained-access identity bob"}, "seen at at counts"},
		{"unknown account", func(inv *entitlement.Inventory) {
			observe(inv, "temp-7", "erp:report.view", at.Add(-time.Hour))
		}, time.Time{}, []string{"high lifecycle.unexplained-access account temp-7"}, "an account the inventory does not know"},
		{"unknown entitlement", func(inv *entitlement.Inventory) {
			observe(inv, "svc", "erp:legacy.superuser", at.Add(-time.Hour))
		}, time.Time{}, []string{"high lifecycle.unexplained-access identity svc"}, "an entitlement the catalogue does not know"},
		{"standing where only eligible", func(inv *entitlement.Inventory) {
			g := clean("g-9", "oncall")
			g.Eligible, g.Expires = true, at.Add(30*day)
			add(alice(inv), g)
			observe(inv, "alice", "k8s:prod.admin", at.Add(-time.Hour))
		}, time.Time{}, []string{"critical lifecycle.unexplained-access identity alice"}, "just-in-time access seen while not activated"},
		{"eligible and activated", func(inv *entitlement.Inventory) {
			g := clean("g-9", "oncall")
			g.Eligible, g.Expires = true, at.Add(30*day)
			g.Activations = []entitlement.Activation{{Start: at.Add(-2 * time.Hour), End: at.Add(-30 * time.Minute)}}
			add(alice(inv), g)
			observe(inv, "alice", "k8s:prod.admin", at.Add(-time.Hour))
		}, time.Time{}, nil, "seen during an activation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := org()
			tt.change(inv)
			when := at
			if !tt.at.IsZero() {
				when = tt.at
			}
			fs := check(t, inv, when)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			require.Equal(t, want, summary(fs), tt.reason)
			for _, f := range fs {
				require.NotEmpty(t, f.Controls, "every finding cites controls")
				require.NotEmpty(t, f.Remediation)
				require.Equal(t, f.ID, f.WithID().ID, "IDs are set")
			}
		})
	}
}

// TestEvidenceDoesNotDependOnAt checks that a finding keeps its ID as time
// passes: evidence describes the input, never ages relative to at.
func TestEvidenceDoesNotDependOnAt(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 3, Identities: 2000})
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	first := lifecycle.Check(x, synth.AsOf)
	later := lifecycle.Check(x, synth.AsOf.Add(time.Hour))
	require.NotEmpty(t, first)
	ids := map[string]bool{}
	for _, f := range later {
		ids[f.ID] = true
	}
	kept := 0
	for _, f := range first {
		if ids[f.ID] {
			kept++
		}
	}
	require.Greater(t, kept, len(first)*9/10, "an hour later nearly every finding keeps its ID")
}

// TestCheckInvariants runs Check on generated organisations: findings are
// sorted, their IDs unique, and the result does not depend on the order of
// identities or observations.
func TestCheckInvariants(t *testing.T) {
	for seed := range uint64(2) {
		inv := synth.Generate(synth.Config{Seed: seed, Identities: 1000})
		fs := check(t, inv, synth.AsOf)
		require.True(t, slices.IsSortedFunc(fs, audit.Finding.Compare), "report order")
		seen := map[string]bool{}
		for _, f := range fs {
			require.False(t, seen[f.ID], "duplicate ID %s", f.ID)
			seen[f.ID] = true
		}
		kinds := map[audit.Kind]int{}
		for _, f := range fs {
			kinds[f.Kind]++
		}
		for _, k := range allKinds {
			require.Positive(t, kinds[k], "a realistic organisation shows every kind: %s missing from %v", k, kinds)
		}

		slices.Reverse(inv.Identities)
		slices.Reverse(inv.Observations)
		again := check(t, inv, synth.AsOf)
		require.Equal(t, findingIDs(fs), findingIDs(again), "the order of identities and observations does not matter")
	}
}

// allKinds are the finding kinds of the package but the look-alike lint,
// which a generated organisation does not trigger.
var allKinds = []audit.Kind{lifecycle.KindRevokedStillPresent, lifecycle.KindUnexplainedAccess, lifecycle.KindNoExpiry,
	lifecycle.KindOverMaxDuration, lifecycle.KindEscalationSkipped, lifecycle.KindMissingReason,
	lifecycle.KindMissingPolicyBasis, lifecycle.KindInactiveHolder}

func TestKinds(t *testing.T) {
	kinds := lifecycle.Kinds()
	require.NoError(t, kindtest.Table("lifecycle.", kinds))
	var names []audit.Kind
	for _, k := range kinds {
		names = append(names, k.Kind)
	}
	require.ElementsMatch(t, append(slices.Clone(allKinds), lifecycle.KindLookalikeID), names, "Kinds lists every kind, once")
	kinds[0].Controls[0] = audit.Control{}
	require.NoError(t, kindtest.Table("lifecycle.", lifecycle.Kinds()), "Kinds returns a copy: a caller's changes do not reach the table")
}

// TestChecker checks that running the checks one identity at a time, from
// several goroutines, gives exactly what Check gives (run with -race).
func TestChecker(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 5, Identities: 600})
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	want := lifecycle.Check(x, synth.AsOf)

	k := lifecycle.NewChecker(x, synth.AsOf)
	var mu sync.Mutex
	var got []audit.Finding
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(inv.Identities); i += 4 {
				fs := k.Identity(x.Holder(inv.Identities[i]))
				require.True(t, slices.IsSortedFunc(fs, audit.Finding.Compare), "Identity returns report order")
				mu.Lock()
				got = append(got, fs...)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	rest := k.Finish()
	for _, f := range rest {
		require.Equal(t, "account", f.Subject.Type, "after every identity, only unknown accounts are left")
	}
	got = audit.Sort(append(got, rest...))
	require.Equal(t, findingIDs(want), findingIDs(got))
	require.Empty(t, k.Finish(), "Finish reports each leftover sighting once")
}

func findingIDs(fs []audit.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}
