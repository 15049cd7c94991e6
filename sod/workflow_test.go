package sod_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

func TestDutyConflicts(t *testing.T) {
	ev := func(by string, h int) entitlement.Event {
		return entitlement.Event{By: by, At: t0.Add(time.Duration(h-100) * time.Hour)}
	}
	ap := func(by string, h int) entitlement.Approval {
		return entitlement.Approval{By: by, At: t0.Add(time.Duration(h-100) * time.Hour)}
	}
	grant := func(f func(*entitlement.Grant)) entitlement.Grant {
		g := entitlement.Grant{ID: "g1", Entitlement: "erp:invoice.post", State: entitlement.GrantActive,
			Requested: ev("fiona", 1), Approvals: []entitlement.Approval{ap("ines", 2)}, Provisioned: ev("hugo", 3)}
		f(&g)
		return g
	}
	tests := []struct {
		name   string
		reason string
		seps   []sod.Separation // nil: defaults
		g      entitlement.Grant
		want   []string // evidence "separation" values, or the built-in's label
	}{
		{name: "clean", reason: "four different people", g: grant(func(*entitlement.Grant) {})},
		{name: "approves own access", reason: "the holder approved",
			g: grant(func(g *entitlement.Grant) { g.Approvals = []entitlement.Approval{ap("al", 2)} }), want: []string{"holder ≠ approver (person)"}},
		{name: "provisions own access", reason: "the holder provisioned",
			g: grant(func(g *entitlement.Grant) { g.Provisioned = ev("al", 3) }), want: []string{"holder ≠ provisioner (person)"}},
		{name: "self-service request and approval", reason: "the requester approved",
			g: grant(func(g *entitlement.Grant) { g.Approvals = []entitlement.Approval{ap("fiona", 2)} }), want: []string{"requester ≠ approver (person)"}},
		{name: "approver provisions", reason: "approval and fulfilment by one person",
			g: grant(func(g *entitlement.Grant) { g.Provisioned = ev("ines", 3) }), want: []string{"approver ≠ provisioner (person)"}},
		{name: "dual authorization by one person", reason: "both approvals from ines",
			g: grant(func(g *entitlement.Grant) {
				g.Approvals = []entitlement.Approval{ap("ines", 2), ap("ines", 3)}
				g.Provisioned = ev("hugo", 4)
			}),
			want: []string{"approver ≠ approver (person)"}},
		{name: "custom separations replace the defaults", reason: "only requester ≠ approver is configured",
			seps: []sod.Separation{{A: sod.Requester, B: sod.Approver}},
			g:    grant(func(g *entitlement.Grant) { g.Provisioned = ev("ines", 3) })},
		{name: "empty separations check none", reason: "an explicit empty list disables pair checks",
			seps: []sod.Separation{},
			g:    grant(func(g *entitlement.Grant) { g.Approvals = []entitlement.Approval{ap("fiona", 2)} })},
		{name: "team level", reason: "approver and provisioner in the same team (iam)",
			seps: []sod.Separation{{A: sod.Approver, B: sod.Provisioner, Team: true}},
			g:    grant(func(g *entitlement.Grant) { g.Provisioned = ev("omar", 3) }), want: []string{"approver ≠ provisioner (team)"}},
		{name: "non-human approver", reason: "built-in: a machine never approves, even with no separations",
			seps: []sod.Separation{},
			g:    grant(func(g *entitlement.Grant) { g.Approvals = []entitlement.Approval{ap("bot", 2)} }), want: []string{"non-human approver bot"}},
		{name: "policy owner approves and fulfils", reason: "built-in: iam owns erp:vendor.create's policy, approves and provisions it",
			seps: []sod.Separation{},
			g: grant(func(g *entitlement.Grant) {
				g.Entitlement = "erp:vendor.create"
				g.Provisioned = ev("omar", 3)
			}), want: []string{"policy owner iam"}},
		{name: "revoked grant: only revoker separations", reason: "an ended grant's old approval is history",
			g: grant(func(g *entitlement.Grant) {
				g.State = entitlement.GrantRevoked
				g.Approvals = []entitlement.Approval{ap("al", 2)}
				g.Revoked = ev("hugo", 4)
			})},
		{name: "revoker separation", reason: "configured: the provisioner may not revoke",
			seps: []sod.Separation{{A: sod.Provisioner, B: sod.Revoker}},
			g: grant(func(g *entitlement.Grant) {
				g.State = entitlement.GrantRevoked
				g.Revoked = ev("hugo", 4)
			}), want: []string{"provisioner ≠ revoker (person)"}},
		{name: "requested after t", reason: "a record from the future is not part of the history at t",
			g: grant(func(g *entitlement.Grant) {
				g.Requested = entitlement.Event{By: "fiona", At: t0.Add(time.Nanosecond)}
				g.Approvals = []entitlement.Approval{{By: "al", At: t0.Add(time.Hour)}}
				g.Provisioned = entitlement.Event{}
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := with(t, person("al", "finance", tt.g))
			e := compile(t, x, sod.Config{Policy: sod.Policy{Separations: tt.seps}})
			var got []string
			for _, f := range e.Check(t0) {
				if f.Kind == sod.KindDutyConflict {
					got = append(got, conflictKey(f))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// conflictKey names a duty-conflict finding by the separation it breaks,
// or by the built-in check that produced it.
func conflictKey(f audit.Finding) string {
	for _, ev := range f.Evidence {
		switch ev.Label {
		case "separation":
			return ev.Value
		case "policy owner":
			return "policy owner " + ev.Value
		}
	}
	for _, ev := range f.Evidence {
		if strings.HasPrefix(ev.Label, "approvals[") {
			id, _, _ := strings.Cut(ev.Value, " ")
			return "non-human approver " + id
		}
	}
	return "?"
}
