package raci_test

import (
	"fmt"
	"testing"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

// benchInventory grows the fixture to n extra identities: two people in
// three and one service account in three, each with three clean grants
// (one privileged with a two-stage path, one of a role, one revoked), and
// one usage record per service account. The benchmark measures the cost of
// checking, not of building findings.
func benchInventory(n int) (*entitlement.Inventory, raci.Config) {
	inv, c := fixture()
	for i := range n {
		id := fmt.Sprintf("id-%d", i)
		grants := []entitlement.Grant{
			{ID: id + "-a", Entitlement: "erp:pay.release", State: entitlement.GrantActive,
				Approvals:   []entitlement.Approval{{By: "fiona", Stage: "biz"}, {By: "ines"}},
				Provisioned: entitlement.Event{By: "hugo", At: ago(100 * day)}, Certified: entitlement.Event{By: "fiona", At: ago(10 * day)}},
			{ID: id + "-b", Role: "clerk", State: entitlement.GrantActive, Provisioned: entitlement.Event{By: "hugo", At: ago(10 * day)}},
			{ID: id + "-c", Entitlement: "erp:report.view", State: entitlement.GrantRevoked,
				Provisioned: entitlement.Event{By: "hugo", At: ago(50 * day)}, Revoked: entitlement.Event{By: "hugo", At: ago(5 * day)}},
		}
		if i%3 == 2 {
			inv.Identities = append(inv.Identities, entitlement.Identity{ID: id, Kind: entitlement.ServiceAccount,
				Status: entitlement.IdentityActive, Owner: "alice", Credential: entitlement.Credential{Created: ago(10 * day), Expires: at.Add(80 * day)},
				LastUsed: ago(day), Grants: grants})
			inv.Usage = append(inv.Usage, entitlement.Usage{Identity: id, At: ago(day), Application: "app", Environment: "prod"})
			continue
		}
		inv.Identities = append(inv.Identities, entitlement.Identity{ID: id, Kind: entitlement.Human,
			Status: entitlement.IdentityActive, Team: "ap", Grants: grants})
	}
	return inv, c
}

func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("identities=%d", n), func(b *testing.B) {
			inv, c := benchInventory(n)
			x := index(b, inv)
			grants := 3 * n
			b.ReportAllocs()
			var findings int
			for b.Loop() {
				findings = len(raci.Check(x, c, at))
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(grants), "ns/grant")
			b.ReportMetric(float64(findings), "findings")
		})
	}
}

func BenchmarkOwners(b *testing.B) {
	inv, c := benchInventory(100_000)
	x := index(b, inv)
	b.ReportAllocs()
	for b.Loop() {
		raci.Owners(x, c, at)
	}
}
