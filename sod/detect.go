package sod

import (
	"math/bits"
	"slices"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/parallel"
)

// Violation is one violation found by Detect: an identity whose access at
// the evaluation time touches enough sides of a rule (within one scope
// value, for a scoped rule). It is the compact form of a toxic-combination
// or critical-access finding, without the explanation; Check returns the
// explained findings.
type Violation struct {
	Identity string // the ID of the identity in violation
	Rule     string // the ID of the rule violated
	// Scope is the system, org scope or environment within which a scoped
	// rule is violated; empty for identity-wide rules, and for scoped
	// rules whose holdings all lack a scope value.
	Scope string
}

// Detect returns every violation at at by every identity of the index,
// ordered by identity (inventory order), then rule (policy order), then
// scope. Exceptions are not consulted: a mitigated violation is still a
// violation. Detect is the engine's hot path — it builds no findings and
// allocates only for its result — for callers that need the answer rather
// than the evidence, and for comparing with other policy engines. It runs
// on all cores.
func (e *Engine) Detect(at time.Time) []Violation {
	ids := e.x.Inventory().Identities
	parts := parallel.Map(len(ids), 1024, func(lo, hi int) []Violation {
		sc := e.getScratch()
		defer e.scratch.Put(sc)
		var out []Violation
		for i := lo; i < hi; i++ {
			out = e.detect(sc, out, &ids[i], ids[i].Grants, e.idGrants[i], at)
		}
		return out
	})
	return slices.Concat(parts...)
}

// detectIdentity returns the violations of one identity, which need not be
// in the index, in rule order. Grants naming unknown targets are ignored
// here; CheckIdentity reports them as indeterminate.
func (e *Engine) detectIdentity(id entitlement.Identity, at time.Time) []Violation {
	sc := e.getScratch()
	defer e.scratch.Put(sc)
	sc.cg = e.compileGrants(sc.cg, id.Grants)
	return e.detect(sc, nil, &id, id.Grants, sc.cg, at)
}

// detect appends one identity's violations to out.
func (e *Engine) detect(sc *scratch, out []Violation, id *entitlement.Identity, grants []entitlement.Grant, cg []cgrant, at time.Time) []Violation {
	e.touch(sc, cg, stampOf(at), nil)
	start := len(out)
	for _, ri := range sc.touched {
		if bits.OnesCount64(sc.masks[ri]) < e.rules[ri].need {
			continue
		}
		r := e.rules[ri].rule
		if r.Scope == ScopeIdentity {
			out = append(out, Violation{Identity: id.ID, Rule: r.ID})
			continue
		}
		out = e.scoped(sc, out, id, grants, cg, ri, at)
	}
	for _, ri := range sc.touched {
		sc.masks[ri] = 0
	}
	if len(out)-start > 1 {
		slices.SortFunc(out[start:], func(a, b Violation) int {
			ra, rb := e.ruleByID[a.Rule], e.ruleByID[b.Rule]
			if ra != rb {
				return int(ra) - int(rb)
			}
			switch {
			case a.Scope < b.Scope:
				return -1
			case a.Scope > b.Scope:
				return 1
			}
			return 0
		})
	}
	return out
}

// scoped appends the violations of a scoped rule, one per scope value
// whose holdings (with the unscoped ones) touch enough sides.
func (e *Engine) scoped(sc *scratch, out []Violation, id *entitlement.Identity, grants []entitlement.Grant, cg []cgrant, ri int32, at time.Time) []Violation {
	cr := &e.rules[ri]
	sc.ts = e.hits(sc.ts[:0], cg, ri, at, nil)
	for _, g := range e.groups(cr.rule, sc.ts, grants) {
		if bits.OnesCount64(sidesOf(g.hits)) >= cr.need {
			out = append(out, Violation{Identity: id.ID, Rule: cr.rule.ID, Scope: g.scope})
		}
	}
	return out
}
