// Package peer evaluates sodkit's separation-of-duties rules with Open
// Policy Agent, as a peer to measure the sod engine against: the same
// generated inventory and rules, OPA prepared once and evaluated per
// identity on all cores, and a check that both report the same violations.
//
// It lives in its own module so that importers of sodkit never inherit
// OPA's dependencies.
package peer

import (
	"context"
	_ "embed"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

//go:embed sod.rego
var policy string

// OPA is a prepared OPA query answering "which rules does this identity
// violate" for one catalogue and rule set.
type OPA struct {
	query rego.PreparedEvalQuery
}

// Prepare loads the catalogue (each role's closure), the rules (how many
// sides each needs, whether it is dynamic) and an inverted index from each
// entitlement and role to the rule sides it belongs to into OPA's store,
// and prepares the query once. It supports identity-wide rules
// (Scope zero), the shape the generated rule sets have; other scopes are
// refused rather than evaluated differently.
func Prepare(ctx context.Context, x *entitlement.Index, p sod.Config) (*OPA, error) {
	duties := map[string]sod.Duty{}
	for _, d := range p.Duties {
		duties[d.ID] = d
	}
	need := map[string]any{}
	dynamic := map[string]any{}
	itemSides := map[string][]any{}
	for _, r := range p.Rules {
		if r.Scope != sod.ScopeIdentity {
			return nil, fmt.Errorf("rule %s: the OPA peer evaluates identity-wide rules only", r.ID)
		}
		need[r.ID] = r.Need()
		dynamic[r.ID] = r.Dynamic
		for si, s := range r.Sides {
			ents, roles := s.Entitlements, s.Roles
			if s.Duty != "" {
				ents, roles = duties[s.Duty].Entitlements, duties[s.Duty].Roles
			}
			for _, e := range ents {
				itemSides["e:"+e] = append(itemSides["e:"+e], []any{r.ID, si})
			}
			for _, r2 := range roles {
				itemSides["r:"+r2] = append(itemSides["r:"+r2], []any{r.ID, si})
			}
		}
	}
	roleItems := map[string]any{}
	for _, r := range x.Inventory().Roles {
		a, err := x.Expand([]entitlement.Grant{{Role: r.ID, State: entitlement.GrantActive}}, time.Time{})
		if err != nil {
			return nil, err
		}
		var items []any
		for _, h := range a.Entitlements {
			items = append(items, "e:"+h.ID)
		}
		for _, h := range a.Roles {
			items = append(items, "r:"+h.ID)
		}
		roleItems[r.ID] = items
	}
	sides := make(map[string]any, len(itemSides))
	for k, v := range itemSides {
		sides[k] = v
	}
	// Keep the data as AST values in the store, so evaluations read it
	// without converting it again each time (OPA's recommended setting
	// for large, read-mostly data).
	store := inmem.NewFromObjectWithOpts(map[string]any{"sod": map[string]any{
		"need": need, "dynamic": dynamic, "item_sides": sides, "role_items": roleItems}},
		inmem.OptReturnASTValuesOnRead(true))
	q, err := rego.New(
		rego.Query("data.sod.violations"),
		rego.Module("sod.rego", policy),
		rego.Store(store),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, err
	}
	return &OPA{query: q}, nil
}

// Input is the OPA input for one identity at one time: its grants with
// their effective windows as Unix nanoseconds, the evaluation time, and the
// activations of eligible grants.
func Input(id entitlement.Identity, at time.Time) map[string]any {
	grants := make([]any, 0, len(id.Grants))
	for _, g := range id.Grants {
		if g.State != entitlement.GrantActive {
			continue
		}
		from, until := int64(-1<<62), int64(1<<62)
		if s := g.StartTime(); !s.IsZero() {
			from = s.UnixNano()
		}
		if !g.Expires.IsZero() {
			until = g.Expires.UnixNano()
		}
		if !g.Revoked.At.IsZero() && g.Revoked.At.UnixNano() < until {
			until = g.Revoked.At.UnixNano()
		}
		m := map[string]any{"from": from, "until": until, "eligible": g.Eligible}
		if g.Role != "" {
			m["role"] = g.Role
		} else {
			m["entitlement"] = g.Entitlement
		}
		var acts []any
		for _, a := range g.Activations {
			end := int64(1 << 62)
			if !a.End.IsZero() {
				end = a.End.UnixNano()
			}
			acts = append(acts, []any{a.Start.UnixNano(), end})
		}
		m["activations"] = acts
		grants = append(grants, m)
	}
	return map[string]any{"at": at.UnixNano(), "grants": grants}
}

// Violations evaluates one identity and returns the IDs of the rules it
// violates, sorted.
func (o *OPA) Violations(ctx context.Context, id entitlement.Identity, at time.Time) ([]string, error) {
	rs, err := o.query.Eval(ctx, rego.EvalInput(Input(id, at)))
	if err != nil {
		return nil, err
	}
	var out []string
	if len(rs) > 0 && len(rs[0].Expressions) > 0 {
		if set, ok := rs[0].Expressions[0].Value.([]any); ok {
			for _, v := range set {
				out = append(out, v.(string))
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// Result is the outcome of evaluating many identities with OPA.
type Result struct {
	Violations map[string][]string // identity → sorted rule IDs
	Elapsed    time.Duration
}

// EvalAll evaluates the identities on all cores.
func (o *OPA) EvalAll(ctx context.Context, ids []entitlement.Identity, at time.Time) (Result, error) {
	workers := runtime.GOMAXPROCS(0)
	parts := make([]map[string][]string, workers)
	errs := make([]error, workers)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			m := map[string][]string{}
			for i := w; i < len(ids); i += workers {
				v, err := o.Violations(ctx, ids[i], at)
				if err != nil {
					errs[w] = err
					return
				}
				if len(v) > 0 {
					m[ids[i].ID] = v
				}
			}
			parts[w] = m
		})
	}
	wg.Wait()
	r := Result{Violations: map[string][]string{}, Elapsed: time.Since(start)}
	for w := range workers {
		if errs[w] != nil {
			return Result{}, errs[w]
		}
		for k, v := range parts[w] {
			r.Violations[k] = v
		}
	}
	return r, nil
}

// Group turns sodkit's violations into identity → sorted rule IDs, the
// shape OPA answers in.
func Group(vs []sod.Violation) map[string][]string {
	m := map[string][]string{}
	for _, v := range vs {
		if rules := m[v.Identity]; len(rules) == 0 || rules[len(rules)-1] != v.Rule {
			m[v.Identity] = append(rules, v.Rule)
		}
	}
	for k := range m {
		slices.Sort(m[k])
		m[k] = slices.Compact(m[k])
	}
	return m
}
