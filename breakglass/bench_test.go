package breakglass_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/entitlement"
)

// benchData is an organisation of n people, each with a break-glass grant,
// and 4n sessions over a year, a quarter of them through a firefighter
// account, with a mix of problems.
func benchData(b *testing.B, n int) (*entitlement.Index, breakglass.Config) {
	b.Helper()
	inv := &entitlement.Inventory{
		Parties:      []entitlement.Party{{ID: "sec", Function: entitlement.Security}},
		Entitlements: []entitlement.Entitlement{{ID: "db:read"}, {ID: "db:write"}, {ID: "erp:pay", Privileged: true}},
		Identities: []entitlement.Identity{
			{ID: "ff", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "u0",
				Grants: []entitlement.Grant{{ID: "g-ff", Entitlement: "erp:pay", State: entitlement.GrantActive, Source: entitlement.SourceBreakGlass}}},
		},
	}
	for i := range n {
		inv.Identities = append(inv.Identities, entitlement.Identity{
			ID: fmt.Sprintf("u%d", i), Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: "sec",
			Grants: []entitlement.Grant{{ID: fmt.Sprintf("g%d", i), Entitlement: "db:write", State: entitlement.GrantActive,
				Source: entitlement.SourceBreakGlass, Provisioned: entitlement.Event{At: t0.Add(time.Duration(i) * time.Hour)},
				Expires: t0.Add(time.Duration(i)*time.Hour + 4*time.Hour)}},
		})
	}
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		b.Fatal(err)
	}
	cfg := breakglass.Config{
		Policy:   breakglass.Policy{Controllers: []string{"sec"}, ApprovalRequired: []string{"erp:pay"}},
		Accounts: []breakglass.Account{{ID: "ff", Owner: "u0", Controllers: []string{"sec"}}},
	}
	for i := range 4 * n {
		user := fmt.Sprintf("u%d", i%n)
		s := sess(fmt.Sprintf("s%d", i), user, time.Duration(i)*2*time.Hour, ended(time.Duration(i)*2*time.Hour+time.Hour),
			reviewed(fmt.Sprintf("u%d", (i+1)%n), time.Duration(i)*2*time.Hour+time.Duration(i%100)*time.Hour, breakglass.ReviewApproved))
		s.Entitlements = []string{"db:write"}
		if i%4 == 0 {
			s.Account = "ff"
		}
		cfg.Sessions = append(cfg.Sessions, s)
	}
	return x, cfg
}

func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{100, 1000} {
		x, cfg := benchData(b, n)
		at := t0.Add(time.Duration(8*n) * time.Hour)
		b.Run(fmt.Sprintf("sessions=%d", len(cfg.Sessions)), func(b *testing.B) {
			for b.Loop() {
				breakglass.Check(x, cfg, at)
			}
		})
	}
}

func BenchmarkSummarize(b *testing.B) {
	x, cfg := benchData(b, 1000)
	at := t0.Add(8000 * time.Hour)
	for b.Loop() {
		breakglass.Summarize(x, cfg, at)
	}
}
