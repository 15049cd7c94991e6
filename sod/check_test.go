package sod_test

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

func TestViolations(t *testing.T) {
	vendorPay := pair("P2P", []string{"erp:vendor.create"}, []string{"erp:payment.release"})
	three := sod.Rule{ID: "CHAIN", Severity: audit.High, K: 2, Sides: []sod.Side{
		{Name: "vendor", Entitlements: []string{"erp:vendor.create"}},
		{Name: "invoice", Entitlements: []string{"erp:invoice.post"}},
		{Name: "bank", Entitlements: []string{"bank:payment.approve"}},
	}}
	ssd := sod.Rule{ID: "SSD", Severity: audit.High, K: 2, Sides: []sod.Side{
		{Name: "clerk", Roles: []string{"clerk"}}, {Name: "treasury", Roles: []string{"treasury"}}, {Name: "auditor", Roles: []string{"auditor"}},
	}}
	critical := sod.Rule{ID: "CRIT", Severity: audit.High, Sides: []sod.Side{{Name: "admin", Entitlements: []string{"k8s:admin"}}}}
	dynamic := sod.Rule{ID: "DSD", Severity: audit.High, Dynamic: true, Sides: []sod.Side{
		{Name: "deploy", Entitlements: []string{"k8s:deploy"}}, {Name: "admin", Entitlements: []string{"k8s:admin"}},
	}}
	perEnv := sod.Rule{ID: "ENV", Severity: audit.High, Scope: sod.ScopeEnvironment, Sides: []sod.Side{
		{Name: "deploy", Entitlements: []string{"k8s:deploy", "k8s:deploy-test"}},
		{Name: "admin", Entitlements: []string{"k8s:admin", "k8s:admin-test"}},
	}}
	perSystem := sod.Rule{ID: "SYS", Severity: audit.High, Scope: sod.ScopeSystem, Sides: []sod.Side{
		{Name: "create vendor", Entitlements: []string{"erp:vendor.create", "crm:vendor.create"}},
		{Name: "pay", Entitlements: []string{"erp:payment.release"}},
	}}
	perOrg := sod.Rule{ID: "ORG", Severity: audit.High, Scope: sod.ScopeOrg, Sides: vendorPay.Sides}
	scoped := func(g entitlement.Grant, scope string) entitlement.Grant { g.Scope = scope; return g }
	eligible := func(g entitlement.Grant, acts ...entitlement.Activation) entitlement.Grant {
		g.Eligible, g.Source, g.Activations = true, entitlement.SourceJustInTime, acts
		return g
	}
	expiring := func(g entitlement.Grant, at time.Time) entitlement.Grant { g.Expires = at; return g }
	starting := func(g entitlement.Grant, at time.Time) entitlement.Grant { g.Start = at; return g }
	tox := func(rule, who string) summary { return summary{sod.KindToxicCombination, rule, who, audit.Open} }

	tests := []struct {
		name   string
		reason string
		rules  []sod.Rule
		ids    []entitlement.Identity
		want   []summary
	}{
		{
			name: "pair through role inheritance", reason: "supervisor inherits nothing toxic, but adds payment release to a vendor creator",
			rules: []sod.Rule{vendorPay},
			ids:   []entitlement.Identity{person("al", "finance", role("g1", "vendor"), role("g2", "supervisor"))},
			want:  []summary{tox("P2P", "al")},
		},
		{
			name: "one side only", reason: "holding one side of a pair is not a violation",
			rules: []sod.Rule{vendorPay},
			ids:   []entitlement.Identity{person("al", "finance", role("g1", "vendor"))},
		},
		{
			name: "k of n reached", reason: "two of three sides with k=2",
			rules: []sod.Rule{three},
			ids:   []entitlement.Identity{person("al", "finance", ent("g1", "erp:vendor.create"), role("g2", "treasury"))},
			want:  []summary{tox("CHAIN", "al")},
		},
		{
			name: "k of n not reached", reason: "one of three sides with k=2",
			rules: []sod.Rule{three},
			ids:   []entitlement.Identity{person("al", "finance", role("g2", "treasury"))},
		},
		{
			name: "NIST SSD counts inherited roles", reason: "supervisor inherits clerk, so supervisor + treasury is two members of the set",
			rules: []sod.Rule{ssd},
			ids:   []entitlement.Identity{person("al", "finance", role("g1", "supervisor"), role("g2", "treasury"))},
			want:  []summary{tox("SSD", "al")},
		},
		{
			name: "NIST SSD one member", reason: "auditor alone is one member of the set",
			rules: []sod.Rule{ssd},
			ids:   []entitlement.Identity{person("al", "finance", role("g1", "auditor"))},
		},
		{
			name: "critical access", reason: "a k=1 rule flags the single entitlement",
			rules: []sod.Rule{critical},
			ids:   []entitlement.Identity{person("al", "finance", role("g1", "oncall"))},
			want:  []summary{{sod.KindCriticalAccess, "CRIT", "al", audit.Open}},
		},
		{
			name: "static rule counts eligible grants", reason: "just-in-time eligibility is authorization for static SoD",
			rules: []sod.Rule{critical},
			ids:   []entitlement.Identity{person("al", "finance", eligible(ent("g1", "k8s:admin")))},
			want:  []summary{{sod.KindCriticalAccess, "CRIT", "al", audit.Open}},
		},
		{
			name: "dynamic rule ignores inactive eligibility", reason: "DSD counts only what is active together",
			rules: []sod.Rule{dynamic},
			ids:   []entitlement.Identity{person("al", "finance", ent("g1", "k8s:deploy"), eligible(ent("g2", "k8s:admin")))},
		},
		{
			name: "dynamic rule counts an activation", reason: "activated at the evaluation time, both duties are active",
			rules: []sod.Rule{dynamic},
			ids: []entitlement.Identity{person("al", "finance", ent("g1", "k8s:deploy"),
				eligible(ent("g2", "k8s:admin"), entitlement.Activation{Start: t0.Add(-time.Hour), End: t0.Add(time.Hour)}))},
			want: []summary{tox("DSD", "al")},
		},
		{
			name: "dynamic activation ends exactly at t", reason: "activations are half-open: ended at t means not active",
			rules: []sod.Rule{dynamic},
			ids: []entitlement.Identity{person("al", "finance", ent("g1", "k8s:deploy"),
				eligible(ent("g2", "k8s:admin"), entitlement.Activation{Start: t0.Add(-time.Hour), End: t0}))},
		},
		{
			name: "grant expiring exactly at t contributes nothing", reason: "grants are half-open [start, expiry)",
			rules: []sod.Rule{vendorPay},
			ids:   []entitlement.Identity{person("al", "finance", role("g1", "vendor"), expiring(role("g2", "supervisor"), t0))},
		},
		{
			name: "grant expiring a nanosecond after t counts", reason: "still in effect at t",
			rules: []sod.Rule{vendorPay},
			ids:   []entitlement.Identity{person("al", "finance", role("g1", "vendor"), expiring(role("g2", "supervisor"), t0.Add(time.Nanosecond)))},
			want:  []summary{tox("P2P", "al")},
		},
		{
			name: "grant starting exactly at t counts", reason: "the start is inclusive",
			rules: []sod.Rule{vendorPay},
			ids:   []entitlement.Identity{person("al", "finance", role("g1", "vendor"), starting(role("g2", "supervisor"), t0))},
			want:  []summary{tox("P2P", "al")},
		},
		{
			name: "environment scope separates prod and test", reason: "deploy in test and admin in prod are not held in one environment",
			rules: []sod.Rule{perEnv},
			ids:   []entitlement.Identity{person("al", "finance", ent("g1", "k8s:deploy-test"), ent("g2", "k8s:admin"))},
		},
		{
			name: "environment scope within prod", reason: "both sides in prod",
			rules: []sod.Rule{perEnv},
			ids:   []entitlement.Identity{person("al", "finance", ent("g1", "k8s:deploy"), ent("g2", "k8s:admin"))},
			want:  []summary{tox("ENV", "al")},
		},
		{
			name: "system scope separates systems", reason: "vendor creation in the CRM does not pair with ERP payments",
			rules: []sod.Rule{perSystem},
			ids:   []entitlement.Identity{person("al", "finance", ent("g1", "crm:vendor.create"), ent("g2", "erp:payment.release"))},
		},
		{
			name: "org scope separates company codes", reason: "vendor creation in 1000, payment release in 2000",
			rules: []sod.Rule{perOrg},
			ids: []entitlement.Identity{person("al", "finance", scoped(ent("g1", "erp:vendor.create"), "cc-1000"),
				scoped(ent("g2", "erp:payment.release"), "cc-2000"))},
		},
		{
			name: "org scope: an unscoped grant counts everywhere", reason: "fail closed: access without a scope applies to every scope",
			rules: []sod.Rule{perOrg},
			ids: []entitlement.Identity{person("al", "finance", scoped(ent("g1", "erp:vendor.create"), "cc-1000"),
				ent("g2", "erp:payment.release"))},
			want: []summary{tox("ORG", "al")},
		},
		{
			name: "revoked grant contributes nothing", reason: "only grants in effect count",
			rules: []sod.Rule{vendorPay},
			ids: []entitlement.Identity{person("al", "finance", role("g1", "vendor"), func() entitlement.Grant {
				g := role("g2", "supervisor")
				g.State = entitlement.GrantRevoked
				g.Revoked = entitlement.Event{By: "hugo", At: t0.Add(-time.Hour)}
				return g
			}())},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := with(t, tt.ids...)
			e := compile(t, x, sod.Config{Rules: tt.rules})
			got := summarize(e.Check(t0), sod.KindToxicCombination, sod.KindCriticalAccess, sod.KindIndeterminate)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestViolationEvidence(t *testing.T) {
	x := with(t, person("al", "finance", role("g2", "supervisor"), role("g1", "vendor"), role("g3", "clerk")))
	e := compile(t, x, sod.Config{Rules: []sod.Rule{pair("P2P", []string{"erp:vendor.create", "erp:vendor.update"}, []string{"erp:invoice.post"})}})
	fs := e.CheckIdentity(mustIdentity(t, x, "al"), t0)
	require.Len(t, fs, 1)
	f := fs[0]
	require.Equal(t, []string{
		"side A=entitlement erp:vendor.create",
		"side A=entitlement erp:vendor.update",
		"side B=entitlement erp:invoice.post",
	}, evidenceValues(f), "one evidence item per side member, in side order")
	// erp:invoice.post is reached through g2 (supervisor → clerk) and g3
	// (clerk); the first grant by ID explains it.
	require.Equal(t, "grant g2 → role supervisor → role clerk → entitlement erp:invoice.post", audit.PathString(f.Evidence[2].Path))
	require.Contains(t, f.Message, "al holds 2 of the 2 duties of rule P2P")
}

func mustIdentity(t testing.TB, x *entitlement.Index, id string) entitlement.Identity {
	t.Helper()
	i, ok := x.Identity(id)
	if !ok {
		t.Fatalf("no identity %q", id)
	}
	return i
}

func TestNonHumanIdentityCitesNHI5(t *testing.T) {
	bot := entitlement.Identity{ID: "svc", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "hugo",
		Grants: []entitlement.Grant{ent("g1", "erp:vendor.create"), ent("g2", "erp:payment.release")}}
	x := with(t, bot)
	e := compile(t, x, sod.Config{Rules: []sod.Rule{pair("P2P", []string{"erp:vendor.create"}, []string{"erp:payment.release"})}})
	fs := e.CheckIdentity(bot, t0)
	require.Len(t, fs, 1)
	require.Contains(t, fs[0].Controls, audit.Ref(audit.NHI, "NHI5:2025"), "toxic combinations held by non-human identities are overprivileged NHIs")
}

func TestIndeterminate(t *testing.T) {
	x := with(t, person("al", "finance", ent("g1", "erp:vendor.create")))
	rule := pair("GHOST", []string{"erp:vendor.create"}, []string{"erp:retired.superuser"})
	e := compile(t, x, sod.Config{Rules: []sod.Rule{rule}})
	fs := e.Check(t0)
	got := summarize(fs, sod.KindIndeterminate)
	require.Equal(t, []summary{{sod.KindIndeterminate, "GHOST", "GHOST", audit.Indeterminate}}, got,
		"a rule naming an unknown entitlement is indeterminate, never a silent pass")
	require.True(t, audit.NewReport(t0, nil, fs).Failing(audit.Info) != nil, "indeterminate findings fail a gate")

	// An identity streamed from elsewhere whose grant names an unknown role.
	stranger := person("zed", "finance", role("g9", "no-such-role"))
	fs = e.CheckIdentity(stranger, t0)
	require.Equal(t, []summary{{sod.KindIndeterminate, "", "zed", audit.Indeterminate}}, summarize(fs, sod.KindIndeterminate))
}

func TestCheckIsDeterministicAndRaceFree(t *testing.T) {
	var ids []entitlement.Identity
	for i := range 600 {
		ids = append(ids, person("p"+strings.Repeat("x", i%7)+itoa(i), "finance", role("g"+itoa(i)+"a", "vendor"), role("g"+itoa(i)+"b", "supervisor")))
	}
	x := with(t, ids...)
	e := compile(t, x, sod.Config{Rules: []sod.Rule{pair("P2P", []string{"erp:vendor.create"}, []string{"erp:payment.release"})}})
	want := e.Check(t0)
	require.Len(t, summarize(want, sod.KindToxicCombination), 600)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got := e.Check(t0)
			if !slices.EqualFunc(want, got, func(a, b audit.Finding) bool { return a.ID == b.ID }) {
				t.Error("concurrent Check returned a different result")
			}
		})
	}
	wg.Wait()
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestDetectMatchesCheck(t *testing.T) {
	for seed := range uint64(500) {
		w := randomWorld(seed)
		x, err := entitlement.NewIndex(&w.inv)
		require.NoError(t, err)
		e := compile(t, x, w.policy)
		var detected, explained []string
		for _, v := range e.Detect(t0) {
			detected = append(detected, v.Identity+"|"+v.Rule+"|"+v.Scope)
		}
		for _, f := range sod.ViolationFindings(e, t0) {
			if isViolation(f) {
				explained = append(explained, f.Subject.ID+"|"+f.Rule+"|"+scopeOf(f))
			}
		}
		for _, id := range w.inv.Identities {
			for _, v := range sod.DetectIdentity(e, id, t0) {
				require.Contains(t, detected, v.Identity+"|"+v.Rule+"|"+v.Scope, "seed %d: DetectIdentity agrees with Detect", seed)
			}
		}
		slices.Sort(explained)
		sorted := slices.Clone(detected)
		slices.Sort(sorted)
		require.Equal(t, explained, sorted, "seed %d: Detect finds exactly what Violations explains", seed)
	}
}

// directory returns inv without any identity's grants: what a streamed
// check holds in memory while identities pass through one at a time.
func directory(inv entitlement.Inventory) entitlement.Inventory {
	inv.Identities = slices.Clone(inv.Identities)
	for i := range inv.Identities {
		inv.Identities[i].Grants = nil
	}
	return inv
}

func TestCheckerMatchesCheck(t *testing.T) {
	for seed := range uint64(400) {
		w := randomWorld(seed)
		x, err := entitlement.NewIndex(&w.inv)
		require.NoError(t, err)
		want := compile(t, x, w.policy).Check(t0)

		dir := directory(w.inv)
		xd, err := entitlement.NewIndex(&dir)
		require.NoError(t, err)
		k := compile(t, xd, w.policy).NewChecker(t0)
		var got []audit.Finding
		for _, id := range w.inv.Identities {
			got = append(got, k.Identity(xd.Holder(id))...)
		}
		got = audit.Sort(append(got, k.Finish()...))
		require.Equal(t, ids(want), ids(got), "seed %d: streaming identities through a Checker compiled over the directory finds what Check finds", seed)
		for i := range want {
			require.Equal(t, want[i].Message, got[i].Message, "seed %d: same messages too", seed)
		}
	}
}
