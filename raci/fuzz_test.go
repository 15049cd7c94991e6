package raci_test

import (
	"slices"
	"testing"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

// fuzzInput turns fuzz bytes into edits of the fixture, so the engine sees
// valid but arbitrary inventories and configs: references to parties,
// people, machines and nothing; odd times; overrides of any scope; usage.
type fuzzInput struct {
	b []byte
}

func (f *fuzzInput) next() int {
	if len(f.b) == 0 {
		return 0
	}
	v := int(f.b[0])
	f.b = f.b[1:]
	return v
}

func (f *fuzzInput) pick(xs ...string) string { return xs[f.next()%len(xs)] }

var fuzzRefs = []string{"iam", "ops", "biz", "ap", "sec", "ines", "hugo", "fiona", "alice", "svc-1", "ghost", ""}

func (f *fuzzInput) refs() []string {
	n := f.next() % 4
	var out []string
	for range n {
		out = append(out, f.pick(fuzzRefs...))
	}
	return out
}

func (f *fuzzInput) matrix() raci.Matrix {
	m := raci.Matrix{}
	for range f.next() % 4 {
		m[raci.Activity(f.next()%11)] = raci.Assignment{Responsible: f.refs(), Accountable: f.refs(), Consulted: f.refs(), Informed: f.refs()}
	}
	return m
}

func (f *fuzzInput) time() time.Time {
	switch v := f.next(); v % 4 {
	case 0:
		return time.Time{}
	default:
		return at.Add(time.Duration(v-128) * 7 * day)
	}
}

// apply edits inv and c with the input. The result may be invalid; the
// caller skips invalid inventories.
func (f *fuzzInput) apply(inv *entitlement.Inventory, c *raci.Config) {
	statuses := []entitlement.IdentityStatus{entitlement.IdentityActive, entitlement.IdentityDisabled, entitlement.IdentityOffboarded}
	kinds := []entitlement.IdentityKind{entitlement.ServiceAccount, entitlement.APIKey, entitlement.Token, entitlement.WorkloadIdentity, entitlement.AIAgent}
	for len(f.b) > 0 {
		switch f.next() % 14 {
		case 0:
			c.Matrix[raci.Activity(f.next()%11)] = raci.Assignment{Responsible: f.refs(), Accountable: f.refs(), Informed: f.refs()}
		case 1:
			c.Overrides = append(c.Overrides, raci.Override{
				Entitlement: f.pick("", "erp:pay.release", "erp:report.view", "erp:nope"),
				System:      f.pick("", "", "erp", "crm"), Matrix: f.matrix()})
		case 2:
			id := &inv.Identities[f.next()%len(inv.Identities)]
			id.Status = statuses[f.next()%len(statuses)]
		case 3:
			svc := identity(inv, "svc-1")
			svc.Owner, svc.SecondaryOwner = f.pick("", "alice", "ines", "hugo"), ""
			svc.Kind = kinds[f.next()%len(kinds)]
		case 4:
			svc := identity(inv, "svc-1")
			svc.Credential = entitlement.Credential{Created: f.time(), Rotated: f.time(), Expires: f.time()}
			svc.LastUsed = f.time()
		case 5:
			inv.Usage = append(inv.Usage, entitlement.Usage{Identity: f.pick("svc-1", "alice", "ghost"), At: f.time(),
				Application: f.pick("", "billing", "crm"), Environment: f.pick("", "prod", "test"), Actor: f.pick("", "alice", "svc-1", "mallory")})
		case 6:
			g := grant(inv, f.pick("g-1", "g-2", "g-3"))
			g.Approvals = nil
			for range f.next() % 3 {
				g.Approvals = append(g.Approvals, entitlement.Approval{By: f.pick("ines", "fiona", "hugo", "sam", "alice"), Stage: f.pick("", "biz", "iam", "sec")})
			}
		case 7:
			g := grant(inv, f.pick("g-1", "g-2", "g-3"))
			g.Certified = entitlement.Event{By: f.pick("", "ines", "fiona", "alice", "hugo"), At: f.time()}
		case 8:
			g := grant(inv, f.pick("g-1", "g-2", "g-3"))
			g.Expires = f.time()
			g.Source = entitlement.GrantSource(f.next() % 5)
		case 9:
			e := &inv.Entitlements[f.next()%len(inv.Entitlements)]
			e.PolicyOwner = f.pick("", "iam", "ops", "biz")
			e.Fulfiller = f.pick("", "iam", "ops")
			e.ApprovalPath = nil
			for _, p := range f.refs() {
				if p != "" && !slices.Contains(e.ApprovalPath, p) && slices.Contains([]string{"iam", "ops", "biz", "ap", "sec"}, p) {
					e.ApprovalPath = append(e.ApprovalPath, p)
				}
			}
		case 10:
			e := &inv.Entitlements[f.next()%len(inv.Entitlements)]
			e.Privileged = f.next()%2 == 0
			e.RecertifyEvery = time.Duration(f.next()) * day
		case 11:
			inv.Roles[0].Owner = f.pick("", "biz", "iam")
			if f.next()%2 == 0 {
				inv.Roles[0].Entitlements = []string{"erp:report.view", "erp:pay.release"}
			}
		case 12:
			c.Policy = raci.Policy{
				MaxCredentialAge: time.Duration(f.next()-64) * day, DormantAfter: time.Duration(f.next()-64) * day,
				RecertifyEvery: time.Duration(f.next()) * day, PrivilegedRecertifyEvery: time.Duration(f.next()) * day,
			}
			if f.next()%2 == 0 {
				c.Policy.Certifiers = []entitlement.PartyFunction{entitlement.PartyFunction(f.next() % 7)}
			}
		case 13:
			p := &inv.Parties[f.next()%len(inv.Parties)]
			p.Function = entitlement.PartyFunction(f.next() % 6)
		}
	}
}

// FuzzCheck runs the engine on arbitrary edits of the fixture and checks
// that it never panics, returns findings in report order with unique IDs
// and known controls, is deterministic, and agrees with Owners and
// Validate on what exists.
func FuzzCheck(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 2, 1, 2, 3, 4})
	f.Add([]byte{1, 1, 3, 2, 0, 5, 1, 6, 2, 0, 0})
	f.Add([]byte{3, 1, 0, 4, 1, 10, 0, 200, 5, 0, 5, 2, 2, 1})
	f.Add([]byte{6, 0, 2, 2, 0, 4, 3, 7, 0, 3, 129, 9, 1, 1, 1, 3, 4, 4, 0})
	f.Add([]byte{11, 0, 0, 10, 1, 0, 0, 12, 60, 60, 0, 0, 0, 3, 13, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, c := fixture()
		in := &fuzzInput{b: data}
		in.apply(inv, &c)
		x, err := entitlement.NewIndex(inv)
		if err != nil {
			return // the edits made the inventory invalid; the engine is only defined on valid ones
		}
		_ = c.Validate(x)
		fs := raci.Check(x, c, at)
		if err := invariants(fs); err != nil {
			t.Fatal(err)
		}
		again := raci.Check(x, c, at)
		if len(again) != len(fs) {
			t.Fatalf("Check is not deterministic: %d then %d findings", len(fs), len(again))
		}
		for i := range fs {
			if fs[i].ID != again[i].ID {
				t.Fatalf("Check is not deterministic at finding %d", i)
			}
		}
		os := raci.Owners(x, c, at)
		if want := len(inv.Entitlements); len(os) < want {
			t.Fatalf("Owners lists %d subjects, want at least the %d entitlements", len(os), want)
		}
		for _, o := range os {
			if o.Gaps == nil {
				t.Fatalf("Owners: %s has nil gaps", o.Subject)
			}
		}
		for _, e := range inv.Entitlements {
			if m, ok := c.Resolve(x, e.ID); !ok || len(m) != len(raci.Activities()) {
				t.Fatalf("Resolve(%s) = %v, %v", e.ID, m, ok)
			}
		}
		_ = raci.CheckRules(x, []raci.RuleOwner{{Rule: "r", Owner: in.pick(fuzzRefs...)}})
	})
}
