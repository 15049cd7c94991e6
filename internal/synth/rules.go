package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

// Rules generates n separation-of-duties rules over inv's catalogue, the
// shape governance teams write: about 70 % pairs of duties (each duty one
// to two entitlements, usually in one system), 20 % k-of-n risks over
// three or four duties, 5 % NIST RBAC static SoD sets over roles, and 5 %
// critical single duties; a tenth are dynamic. Duties of one or two
// entitlements are drawn from the sensitive ones (high or critical risk,
// or privileged) of one system that no role grants, and critical duties
// from the privileged ones, as governance teams write them. The same inventory, n and seed give the same
// rules.
func Rules(inv *entitlement.Inventory, n int, seed uint64) sod.Config {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	// Rules are written over sensitive duties: high- and critical-risk or
	// privileged entitlements, grouped by system.
	// Sensitive duties are granted one by one, not through roles that
	// everyone in a team receives.
	inRole := map[string]bool{}
	for _, r := range inv.Roles {
		for _, e := range r.Entitlements {
			inRole[e] = true
		}
	}
	var privileged []string
	for _, e := range inv.Entitlements {
		if e.Privileged && !inRole[e.ID] {
			privileged = append(privileged, e.ID)
		}
	}
	bySystem := map[string][]string{}
	var systems []string
	for _, e := range inv.Entitlements {
		if !(e.Privileged || e.Risk >= entitlement.RiskHigh) || inRole[e.ID] {
			continue
		}
		s := e.SystemName()
		if _, ok := bySystem[s]; !ok {
			systems = append(systems, s)
		}
		bySystem[s] = append(bySystem[s], e.ID)
	}
	if len(systems) == 0 { // a catalogue with nothing sensitive: use it all
		for _, e := range inv.Entitlements {
			s := e.SystemName()
			if _, ok := bySystem[s]; !ok {
				systems = append(systems, s)
			}
			bySystem[s] = append(bySystem[s], e.ID)
		}
	}
	pick := func(sys string) string {
		list := bySystem[sys]
		return list[rng.IntN(len(list))]
	}
	duty := func() sod.Side {
		sys := systems[rng.IntN(len(systems))]
		var s sod.Side
		for range 1 + rng.IntN(2) {
			s.Entitlements = append(s.Entitlements, pick(sys))
		}
		slices.Sort(s.Entitlements)
		s.Entitlements = slices.Compact(s.Entitlements)
		return s
	}
	var p sod.Config
	for i := range n {
		r := sod.Rule{ID: fmt.Sprintf("R%05d", i), Title: fmt.Sprintf("Generated risk %d", i),
			Severity: audit.Severity(rng.IntN(4)), Dynamic: rng.IntN(10) == 0, Owner: "iam"}
		switch k := rng.IntN(100); {
		case k < 70:
			r.Sides = []sod.Side{duty(), duty()}
		case k < 90:
			for range 3 + rng.IntN(2) {
				r.Sides = append(r.Sides, duty())
			}
			r.K = 2 + rng.IntN(len(r.Sides)-1)
		case k < 95:
			for range 3 {
				r.Sides = append(r.Sides, sod.Side{Roles: []string{inv.Roles[rng.IntN(len(inv.Roles))].ID}})
			}
			r.K = 2
		default:
			// Critical access: one privileged entitlement by itself.
			s := duty()
			s.Entitlements = s.Entitlements[:1]
			if len(privileged) > 0 {
				s.Entitlements[0] = privileged[rng.IntN(len(privileged))]
			}
			r.Sides = []sod.Side{s}
		}
		for si := range r.Sides {
			r.Sides[si].Name = fmt.Sprintf("duty %d", si+1)
		}
		p.Rules = append(p.Rules, r)
	}
	return p
}
