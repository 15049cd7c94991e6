package sod_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

// t0 is the evaluation time of the tests, in a non-UTC zone on purpose.
var t0 = time.Date(2026, 11, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))

// catalogue is a small finance + platform catalogue shared by the tests.
func catalogue() entitlement.Inventory {
	ent := func(id string, opts ...func(*entitlement.Entitlement)) entitlement.Entitlement {
		e := entitlement.Entitlement{ID: id, Risk: entitlement.RiskHigh}
		for _, o := range opts {
			o(&e)
		}
		return e
	}
	env := func(v string) func(*entitlement.Entitlement) {
		return func(e *entitlement.Entitlement) { e.Environment = v }
	}
	owner := func(p string) func(*entitlement.Entitlement) {
		return func(e *entitlement.Entitlement) { e.PolicyOwner = p }
	}
	return entitlement.Inventory{
		Parties: []entitlement.Party{
			{ID: "iam", Function: entitlement.IdentityGovernance},
			{ID: "finance", Function: entitlement.Business},
			{ID: "desk", Function: entitlement.ITOperations},
		},
		Entitlements: []entitlement.Entitlement{
			ent("erp:vendor.create", owner("iam")), ent("erp:vendor.update"), ent("erp:invoice.post"),
			ent("erp:payment.release"), ent("bank:payment.approve"), ent("crm:vendor.create"),
			ent("k8s:deploy", env("prod")), ent("k8s:admin", env("prod")),
			ent("k8s:deploy-test", env("test")), ent("k8s:admin-test", env("test")),
			ent("erp:report.view"),
		},
		Roles: []entitlement.Role{
			{ID: "base", Entitlements: []string{"erp:report.view"}},
			{ID: "clerk", Entitlements: []string{"erp:invoice.post"}, Inherits: []string{"base"}},
			{ID: "supervisor", Entitlements: []string{"erp:payment.release"}, Inherits: []string{"clerk"}},
			{ID: "vendor", Entitlements: []string{"erp:vendor.create", "erp:vendor.update"}},
			{ID: "treasury", Entitlements: []string{"bank:payment.approve"}, Inherits: []string{"base"}},
			{ID: "auditor", Inherits: []string{"base"}},
			{ID: "operator", Entitlements: []string{"k8s:deploy"}},
			{ID: "oncall", Entitlements: []string{"k8s:admin"}, Inherits: []string{"operator"}},
		},
		Identities: []entitlement.Identity{
			person("ines", "iam"), person("omar", "iam"), person("fiona", "finance"), person("hugo", "desk"),
			{ID: "bot", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "hugo"},
		},
	}
}

func person(id, team string, grants ...entitlement.Grant) entitlement.Identity {
	return entitlement.Identity{ID: id, Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: team, Grants: grants}
}

// role and ent build a standing, active grant with a clean workflow record
// (requested by the holder's manager-like "fiona", approved by "ines",
// provisioned by "hugo"), so rule tests see no duty conflicts.
func role(id, r string) entitlement.Grant {
	return clean(entitlement.Grant{ID: id, Role: r})
}

func ent(id, e string) entitlement.Grant {
	return clean(entitlement.Grant{ID: id, Entitlement: e})
}

func clean(g entitlement.Grant) entitlement.Grant {
	g.State = entitlement.GrantActive
	g.Source = entitlement.SourceStandard
	g.Requested = entitlement.Event{By: "fiona", At: t0.Add(-72 * time.Hour)}
	g.Approvals = []entitlement.Approval{{By: "ines", At: t0.Add(-48 * time.Hour)}}
	g.Provisioned = entitlement.Event{By: "hugo", At: t0.Add(-24 * time.Hour)}
	return g
}

// with adds identities to the catalogue and indexes it.
func with(t testing.TB, ids ...entitlement.Identity) *entitlement.Index {
	t.Helper()
	inv := catalogue()
	inv.Identities = append(inv.Identities, ids...)
	x, err := entitlement.NewIndex(&inv)
	if err != nil {
		t.Fatalf("test inventory is invalid: %v", err)
	}
	return x
}

func compile(t testing.TB, x *entitlement.Index, p sod.Config) *sod.Engine {
	t.Helper()
	e, err := sod.Compile(x, p)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return e
}

func pair(id string, a, b []string) sod.Rule {
	return sod.Rule{ID: id, Title: id, Severity: audit.High, Sides: []sod.Side{
		{Name: "A", Entitlements: a}, {Name: "B", Entitlements: b},
	}}
}

// summary is a finding reduced to what the tables compare.
type summary struct {
	Kind    audit.Kind
	Rule    string
	Subject string
	Status  audit.Status
}

func summarize(fs []audit.Finding, kinds ...audit.Kind) []summary {
	var out []summary
	for _, f := range fs {
		if len(kinds) > 0 && !slices.Contains(kinds, f.Kind) {
			continue
		}
		out = append(out, summary{f.Kind, f.Rule, f.Subject.ID, f.Status})
	}
	return out
}

func evidenceValues(f audit.Finding) []string {
	var out []string
	for _, e := range f.Evidence {
		out = append(out, e.Label+"="+e.Value)
	}
	return out
}

func sortSummaries(s []summary) []summary {
	out := slices.Clone(s)
	slices.SortFunc(out, func(a, b summary) int {
		return cmp.Or(strings.Compare(string(a.Kind), string(b.Kind)), strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.Subject, b.Subject), int(a.Status)-int(b.Status))
	})
	return out
}
