package sod_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

func TestWhatIf(t *testing.T) {
	vendorPay := pair("P2P", []string{"erp:vendor.create", "crm:vendor.create"}, []string{"erp:payment.release"})
	deployAdmin := sod.Rule{ID: "DSD", Dynamic: true, Sides: []sod.Side{
		{Name: "deploy", Entitlements: []string{"k8s:deploy"}}, {Name: "admin", Entitlements: []string{"k8s:admin"}}}}
	jit := ent("j1", "k8s:admin")
	jit.Eligible, jit.Source = true, entitlement.SourceJustInTime
	base := []entitlement.Identity{
		person("al", "finance", role("g1", "vendor")),
		person("bo", "finance", role("g2", "clerk")),
		person("cy", "finance", ent("g3", "k8s:deploy"), jit),
		person("di", "finance", role("g4", "vendor"), role("g5", "supervisor")),
	}
	tests := []struct {
		name   string
		reason string
		change sod.Change
		want   []summary
		err    bool
	}{
		{name: "grant completes a pair", reason: "al holds vendor creation; payment release completes P2P",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{ent("new", "erp:payment.release")}},
			want:   []summary{{sod.KindToxicCombination, "P2P", "al", audit.Open}}},
		{name: "grant touches nothing", reason: "report viewing is in no rule",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{ent("new", "erp:report.view")}}},
		{name: "existing violation, redundant path", reason: "di already violates P2P with the same members: nothing new",
			change: sod.Change{Identity: "di", Grants: []entitlement.Grant{ent("new", "erp:payment.release")}}},
		{name: "existing violation, new member", reason: "CRM vendor creation joins the vendor side: the finding's evidence changes, so it is new",
			change: sod.Change{Identity: "di", Grants: []entitlement.Grant{ent("new", "crm:vendor.create")}},
		},
		{name: "joiner", reason: "an identity the inventory does not know is an error naming it, never a clean answer: add the joiner first",
			change: sod.Change{Identity: "newbie", Grants: []entitlement.Grant{role("n1", "vendor"), role("n2", "supervisor")}}, err: true},
		{name: "self-approved proposal", reason: "maker-checker on the proposed record",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{func() entitlement.Grant {
				g := ent("new", "erp:report.view")
				g.Approvals = []entitlement.Approval{{By: "al", At: t0.Add(-60 * time.Hour)}}
				return g
			}()}},
			want: []summary{{sod.KindDutyConflict, "", "new", audit.Open}}},
		{name: "activation under DSD", reason: "activating cluster-admin while deploy is standing",
			change: sod.Change{Identity: "cy", Activations: []string{"j1"}},
			want:   []summary{{sod.KindToxicCombination, "DSD", "cy", audit.Open}}},
		{name: "role gains an entitlement", reason: "vendor gains payment release: every holder and the role itself",
			change: sod.Change{RoleEntitlements: map[string][]string{"vendor": {"erp:payment.release"}}},
			want: []summary{{sod.KindToxicCombination, "P2P", "al", audit.Open},
				{sod.KindIntraRoleConflict, "P2P", "vendor", audit.Open}}},
		{name: "role inherits a role", reason: "clerk would inherit vendor: bo gains vendor creation but not payment release",
			change: sod.Change{RoleInherits: map[string][]string{"supervisor": {"vendor"}}},
			want:   []summary{{sod.KindIntraRoleConflict, "P2P", "supervisor", audit.Open}}},
		{name: "cycle", reason: "base would inherit supervisor, which inherits base",
			change: sod.Change{RoleInherits: map[string][]string{"base": {"supervisor"}}}, err: true},
		{name: "unknown target", reason: "a proposal naming an unknown role is an error, not a pass",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{role("new", "ghost")}}, err: true},
		{name: "requested proposal completes a pair", reason: "a proposal is naturally requested: it is evaluated as if made, not dropped as not in effect",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{withState(ent("new", "erp:payment.release"), entitlement.GrantRequested)}},
			want:   []summary{{sod.KindToxicCombination, "P2P", "al", audit.Open}}},
		{name: "unset state completes a pair", reason: "a grant built without a state is a proposal too",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{withState(ent("new", "erp:payment.release"), 0)}},
			want:   []summary{{sod.KindToxicCombination, "P2P", "al", audit.Open}}},
		{name: "approved proposal completes a pair", reason: "approved but not provisioned is still the question being asked",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{withState(ent("new", "erp:payment.release"), entitlement.GrantApproved)}},
			want:   []summary{{sod.KindToxicCombination, "P2P", "al", audit.Open}}},
		{name: "future start completes a pair", reason: "a grant that starts next week is asked about now: it is evaluated as in effect",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{func() entitlement.Grant {
				g := ent("new", "erp:payment.release")
				g.Start = t0.Add(7 * 24 * time.Hour)
				return g
			}()}},
			want: []summary{{sod.KindToxicCombination, "P2P", "al", audit.Open}}},
		{name: "revoked proposal", reason: "a revoked grant cannot be proposed",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{withState(ent("new", "erp:payment.release"), entitlement.GrantRevoked)}}, err: true},
		{name: "expired proposal", reason: "a proposal that expires before the evaluation time would never be in effect",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{func() entitlement.Grant {
				g := ent("new", "erp:payment.release")
				g.Expires = t0.Add(-time.Hour)
				return g
			}()}}, err: true},
		{name: "requested later", reason: "a request after the evaluation time would skip maker-checker checks",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{func() entitlement.Grant {
				g := ent("new", "erp:report.view")
				g.Requested = entitlement.Event{By: "bo", At: t0.Add(time.Hour)}
				return g
			}()}}, err: true},
		{name: "unknown approver", reason: "maker-checker cannot be checked against someone the inventory does not know",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{func() entitlement.Grant {
				g := ent("new", "erp:report.view")
				g.Approvals = []entitlement.Approval{{By: "mallory", At: t0}}
				return g
			}()}}, err: true},
		{name: "unknown requester", reason: "as for approvers",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{func() entitlement.Grant {
				g := ent("new", "erp:report.view")
				g.Requested = entitlement.Event{By: "mallory", At: t0}
				return g
			}()}}, err: true},
		{name: "unknown entitlement", reason: "a typo in the entitlement is an error, not a clean answer",
			change: sod.Change{Identity: "al", Grants: []entitlement.Grant{ent("new", "erp:payment.relaese")}}, err: true},
		{name: "activation of an unknown grant", reason: "activating nothing must not look like a safe activation",
			change: sod.Change{Identity: "cy", Activations: []string{"nope"}}, err: true},
		{name: "activation of a standing grant", reason: "only eligible (just-in-time) grants are activated",
			change: sod.Change{Identity: "cy", Activations: []string{"g3"}}, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := with(t, base...)
			e := compile(t, x, sod.Config{Rules: []sod.Rule{vendorPay, deployAdmin}})
			got, err := e.WhatIf(tt.change, t0)
			if tt.err {
				require.ErrorIs(t, err, sod.ErrChange, tt.reason)
				return
			}
			require.NoError(t, err)
			if tt.name == "existing violation, new member" {
				require.Len(t, got, 1, tt.reason)
				require.Equal(t, "di", got[0].Subject.ID)
			} else {
				require.Equal(t, sortSummaries(tt.want), sortSummaries(summarize(got)), tt.reason)
			}
			// And it agrees with a full re-check.
			requireAgrees(t, x, sod.Config{Rules: []sod.Rule{vendorPay, deployAdmin}}, tt.change, t0)
		})
	}
}

func withState(g entitlement.Grant, s entitlement.GrantState) entitlement.Grant {
	g.State = s
	return g
}

// TestWhatIfErrorsName checks that a refused change says what is wrong,
// and that a zero evaluation time is refused rather than answered.
func TestWhatIfErrorsName(t *testing.T) {
	x := with(t, person("al", "finance", role("g1", "vendor")))
	e := compile(t, x, sod.Config{Rules: []sod.Rule{pair("P2P", []string{"erp:vendor.create"}, []string{"erp:payment.release"})}})
	_, err := e.WhatIf(sod.Change{Identity: "al", Grants: []entitlement.Grant{ent("new", "erp:payment.release")}}, time.Time{})
	require.ErrorIs(t, err, sod.ErrZeroTime, "a zero time answers nothing")
	for _, tc := range []struct {
		name   string
		change sod.Change
		names  []string
	}{
		{"identity", sod.Change{Identity: "ghost", Grants: []entitlement.Grant{ent("n", "erp:payment.release")}}, []string{`"ghost"`}},
		{"entitlement", sod.Change{Identity: "al", Grants: []entitlement.Grant{ent("n", "erp:nope")}}, []string{`"erp:nope"`}},
		{"role", sod.Change{Identity: "al", Grants: []entitlement.Grant{role("n", "nope-role")}}, []string{`"nope-role"`}},
		{"two problems", sod.Change{Identity: "al", Grants: []entitlement.Grant{ent("n1", "erp:x"), role("n2", "y")}}, []string{`"erp:x"`, `"y"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.WhatIf(tc.change, t0)
			require.ErrorIs(t, err, sod.ErrChange)
			for _, n := range tc.names {
				require.Contains(t, err.Error(), n, "the error names what is unknown")
			}
		})
	}
}

// apply returns a copy of inv with the change made, the way WhatIf
// describes it.
func apply(inv entitlement.Inventory, c sod.Change, at time.Time) entitlement.Inventory {
	out := inv
	out.Roles = slices.Clone(inv.Roles)
	for i := range out.Roles {
		r := &out.Roles[i]
		if add := c.RoleEntitlements[r.ID]; len(add) > 0 {
			r.Entitlements = append(slices.Clip(r.Entitlements), add...)
			r.Entitlements = slices.Compact(sortedCopy(r.Entitlements))
		}
		if add := c.RoleInherits[r.ID]; len(add) > 0 {
			r.Inherits = slices.Compact(sortedCopy(append(slices.Clip(r.Inherits), add...)))
		}
	}
	out.Identities = slices.Clone(inv.Identities)
	if c.Identity == "" || len(c.Grants)+len(c.Activations) == 0 {
		return out
	}
	i := slices.IndexFunc(out.Identities, func(id entitlement.Identity) bool { return id.ID == c.Identity })
	if i < 0 {
		out.Identities = append(out.Identities, entitlement.Identity{ID: c.Identity, Kind: entitlement.Human, Status: entitlement.IdentityActive})
		i = len(out.Identities) - 1
	}
	id := &out.Identities[i]
	id.Grants = slices.Clone(id.Grants)
	for _, g := range c.Grants {
		g.State = entitlement.GrantActive // a proposal is evaluated as made…
		if g.StartTime().After(at) {
			g.Start = at // …and in effect at the evaluation time
		}
		id.Grants = append(id.Grants, g)
	}
	for _, gid := range c.Activations {
		for k := range id.Grants {
			if id.Grants[k].ID == gid && id.Grants[k].Eligible {
				id.Grants[k].Activations = append(slices.Clone(id.Grants[k].Activations), entitlement.Activation{Start: at})
			}
		}
	}
	return out
}

func sortedCopy(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// requireAgrees checks WhatIf against Check before and after applying the
// change: the new IDs must be exactly what WhatIf returns.
func requireAgrees(t testing.TB, x *entitlement.Index, p sod.Config, c sod.Change, at time.Time) {
	t.Helper()
	if err := agrees(x, p, c, at); err != nil {
		t.Fatal(err)
	}
}

func agrees(x *entitlement.Index, p sod.Config, c sod.Change, at time.Time) error {
	_, err := agreesN(x, p, c, at)
	return err
}

// agreesN is agrees that also returns how many findings WhatIf added (-1
// when the change was rejected), so callers can check the generator's
// variety.
func agreesN(x *entitlement.Index, p sod.Config, c sod.Change, at time.Time) (int, error) {
	e, err := sod.Compile(x, p)
	if err != nil {
		return 0, err
	}
	got, werr := e.WhatIf(c, at)
	after := apply(*x.Inventory(), c, at)
	x2, ierr := entitlement.NewIndex(&after)
	if ierr == nil {
		// What the inventory accepts, WhatIf still refuses when it is not
		// a question about the inventory: a joiner, or an activation of a
		// grant that is not eligible or not in effect.
		ierr = unanswerable(x, c, at)
	}
	if werr != nil || ierr != nil {
		if (werr == nil) != (ierr == nil) && !errors.Is(werr, sod.ErrChange) {
			return 0, fmt.Errorf("WhatIf error %v, re-index error %v", werr, ierr)
		}
		if werr != nil && ierr == nil {
			return 0, fmt.Errorf("WhatIf rejected a change the inventory accepts: %v", werr)
		}
		if werr == nil {
			return 0, fmt.Errorf("WhatIf accepted a change the inventory rejects: %v", ierr)
		}
		return -1, nil
	}
	e2, err := sod.Compile(x2, p)
	if err != nil {
		return 0, err
	}
	before := ids(e.Check(at))
	var want []string
	for _, f := range e2.Check(at) {
		if !before[f.ID] {
			want = append(want, f.ID)
		}
	}
	var have []string
	for _, f := range got {
		have = append(have, f.ID)
	}
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(want, have) {
		return 0, fmt.Errorf("WhatIf disagrees with a full re-check for %+v:\nre-check adds %v\nWhatIf returns %v", c, want, have)
	}
	if !slices.IsSortedFunc(got, audit.Finding.Compare) {
		return 0, fmt.Errorf("WhatIf result not in report order")
	}
	return len(got), nil
}

// unanswerable restates, independently of the engine, when WhatIf must
// refuse a change that an inventory with the change applied would accept.
func unanswerable(x *entitlement.Index, c sod.Change, at time.Time) error {
	if len(c.Grants)+len(c.Activations) == 0 {
		return nil
	}
	id, ok := x.Identity(c.Identity)
	if !ok {
		return fmt.Errorf("unknown identity %q", c.Identity)
	}
	for _, g := range c.Grants {
		if !g.Expires.IsZero() && !g.Expires.After(at) {
			return fmt.Errorf("proposal %q expires before the evaluation time", g.ID)
		}
	}
	all := append(slices.Clone(id.Grants), c.Grants...)
	for _, gid := range c.Activations {
		i := slices.IndexFunc(all, func(g entitlement.Grant) bool { return g.ID == gid })
		if i < 0 || !all[i].Eligible {
			return fmt.Errorf("activation of %q, which is not an eligible grant", gid)
		}
		g := all[i]
		if i >= len(id.Grants) { // a proposal, evaluated as made and started
			g.State = entitlement.GrantActive
			if g.StartTime().After(at) {
				g.Start = at
			}
		}
		if !g.InEffect(at) {
			return fmt.Errorf("activation of %q, which is not in effect", gid)
		}
	}
	return nil
}

func ids(fs []audit.Finding) map[string]bool {
	m := make(map[string]bool, len(fs))
	for _, f := range fs {
		m[f.ID] = true
	}
	return m
}

// world is a random small inventory and policy, from a seed.
type world struct {
	inv    entitlement.Inventory
	policy sod.Config
	change sod.Change
}

func randomWorld(seed uint64) world {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pick := func(n int) int { return rng.IntN(n) }
	inv := entitlement.Inventory{Parties: []entitlement.Party{{ID: "team-a"}, {ID: "team-b"}}}
	nEnt := 3 + pick(8)
	envs := []string{"", "prod", "test"}
	for i := range nEnt {
		sys := []string{"erp", "bank", "k8s"}[pick(3)]
		inv.Entitlements = append(inv.Entitlements, entitlement.Entitlement{ID: fmt.Sprintf("%s:e%d", sys, i), Environment: envs[pick(3)]})
	}
	nRole := 1 + pick(6)
	for i := range nRole {
		r := entitlement.Role{ID: fmt.Sprintf("r%d", i)}
		for range pick(3) {
			r.Entitlements = append(r.Entitlements, inv.Entitlements[pick(nEnt)].ID)
		}
		// Inherit only lower-numbered roles: a DAG.
		for j := 0; j < i; j++ {
			if pick(4) == 0 {
				r.Inherits = append(r.Inherits, fmt.Sprintf("r%d", j))
			}
		}
		r.Entitlements = slices.Compact(sortedCopy(r.Entitlements))
		inv.Roles = append(inv.Roles, r)
	}
	target := func(g *entitlement.Grant) {
		if pick(2) == 0 {
			g.Role = inv.Roles[pick(nRole)].ID
		} else {
			g.Entitlement = inv.Entitlements[pick(nEnt)].ID
		}
	}
	hours := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	nID := 1 + pick(6)
	gid := 0
	people := []string{}
	for i := range nID {
		id := entitlement.Identity{ID: fmt.Sprintf("p%d", i), Kind: entitlement.Human, Status: entitlement.IdentityActive,
			Team: []string{"", "team-a", "team-b"}[pick(3)]}
		if pick(4) == 0 {
			id.Kind = entitlement.ServiceAccount
		} else {
			people = append(people, id.ID)
		}
		inv.Identities = append(inv.Identities, id)
	}
	actor := func() string {
		if len(people) == 0 || pick(3) == 0 {
			return ""
		}
		return people[pick(len(people))]
	}
	for i := range inv.Identities {
		for range pick(5) {
			gid++
			g := entitlement.Grant{ID: fmt.Sprintf("g%d", gid), State: entitlement.GrantActive, Scope: []string{"", "cc1", "cc2"}[pick(3)]}
			target(&g)
			switch pick(5) {
			case 0:
				g.Expires = hours(pick(5) - 2)
				g.Start = hours(-10)
			case 1:
				g.Eligible = true
				if pick(2) == 0 {
					start := -1 - pick(2)
					g.Activations = []entitlement.Activation{{Start: hours(start), End: hours(start + 1 + pick(3))}}
				}
			case 2:
				g.State = entitlement.GrantRevoked
			}
			g.Requested = entitlement.Event{By: actor(), At: hours(-50)}
			if a := actor(); a != "" {
				g.Approvals = []entitlement.Approval{{By: a, At: hours(-40)}}
			}
			if g.State == entitlement.GrantActive {
				g.Provisioned = entitlement.Event{By: actor(), At: hours(-30)}
			}
			inv.Identities[i].Grants = append(inv.Identities[i].Grants, g)
		}
	}
	var p sod.Config
	member := func() sod.Side {
		var s sod.Side
		for range 1 + pick(2) {
			if pick(3) == 0 {
				s.Roles = append(s.Roles, inv.Roles[pick(nRole)].ID)
			} else {
				s.Entitlements = append(s.Entitlements, inv.Entitlements[pick(nEnt)].ID)
			}
		}
		s.Roles = slices.Compact(sortedCopy(s.Roles))
		s.Entitlements = slices.Compact(sortedCopy(s.Entitlements))
		if pick(8) == 0 {
			s.Entitlements = append(s.Entitlements, "erp:unknown")
		}
		return s
	}
	for i := range 1 + pick(4) {
		n := 1 + pick(3)
		r := sod.Rule{ID: fmt.Sprintf("R%d", i), Severity: audit.Severity(pick(5)), K: pick(n + 1),
			Scope: sod.Scope(pick(4)), Dynamic: pick(3) == 0, Owner: "team-a"}
		for range n {
			r.Sides = append(r.Sides, member())
		}
		p.Rules = append(p.Rules, r)
	}
	p.Policy.ExceptionApprovers = []string{"team-b"}
	for i := range pick(3) {
		x := sod.Exception{ID: fmt.Sprintf("X%d", i), Rule: fmt.Sprintf("R%d", pick(5)), Approver: actor(),
			ValidFrom: hours(-pick(100))}
		x.ValidUntil = x.ValidFrom.Add(time.Duration(1+pick(150)) * time.Hour)
		if pick(2) == 0 {
			x.Identity = inv.Identities[pick(nID)].ID
		} else {
			x.Party = []string{"team-a", "team-b"}[pick(2)]
		}
		if pick(5) == 0 {
			x.ValidUntil = time.Time{}
		}
		p.Exceptions = append(p.Exceptions, x)
	}
	// A random change.
	var c sod.Change
	switch pick(4) {
	case 0, 1:
		c.Identity = inv.Identities[pick(nID)].ID
		if pick(5) == 0 {
			c.Identity = "joiner"
		}
		for range 1 + pick(2) {
			gid++
			// A proposal's state is whatever the caller had at hand.
			state := []entitlement.GrantState{0, entitlement.GrantRequested, entitlement.GrantApproved, entitlement.GrantActive}[pick(4)]
			g := entitlement.Grant{ID: fmt.Sprintf("g%d", gid), State: state, Eligible: pick(4) == 0}
			target(&g)
			if a := actor(); a != "" {
				g.Approvals = []entitlement.Approval{{By: a, At: t0}}
			}
			switch pick(8) {
			case 0:
				g.Start = t0.Add(time.Duration(1+pick(48)) * time.Hour) // asked about before it starts
			case 1:
				g.Expires = t0.Add(time.Duration(pick(3)-1) * time.Hour) // may end before the question
			}
			c.Grants = append(c.Grants, g)
		}
		if pick(2) == 0 && len(c.Grants) > 0 {
			c.Activations = []string{c.Grants[0].ID}
		}
	case 2:
		id := inv.Identities[pick(nID)]
		c.Identity = id.ID
		for _, g := range id.Grants {
			if g.Eligible {
				c.Activations = append(c.Activations, g.ID)
			}
		}
		if len(c.Activations) == 0 {
			c.Identity = ""
		}
	case 3:
		r := inv.Roles[pick(nRole)].ID
		if pick(2) == 0 {
			c.RoleEntitlements = map[string][]string{r: {inv.Entitlements[pick(nEnt)].ID}}
		} else {
			c.RoleInherits = map[string][]string{r: {inv.Roles[pick(nRole)].ID}}
		}
	}
	return world{inv: inv, policy: p, change: c}
}

func TestWhatIfAgreesWithFullRecheck(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	var addedSome, rejected int
	for seed := range uint64(n) {
		w := randomWorld(seed)
		x, err := entitlement.NewIndex(&w.inv)
		if err != nil {
			t.Fatalf("seed %d: generator made an invalid inventory: %v", seed, err)
		}
		added, err := agreesN(x, w.policy, w.change, t0)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		switch {
		case added > 0:
			addedSome++
		case added < 0:
			rejected++
		}
	}
	// The property only means something if the generator produces changes
	// that add findings, and some that must be rejected.
	require.Greater(t, addedSome, n/10, "too few changes added findings")
	require.Greater(t, rejected, 0, "no change was rejected (cycles)")
	t.Logf("%d worlds: %d changes added findings, %d were rejected", n, addedSome, rejected)
}
