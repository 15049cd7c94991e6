package ref

import (
	"fmt"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Engine is a World prepared for detection: for every target (entitlement
// or role) the rule sides it touches, a role's through its whole
// inheritance closure. It is immutable and safe for concurrent use.
type Engine struct {
	w       *World
	need    []uint8  // per rule
	touches []touch  // every target's touches, grouped by target, each group by rule
	off     []uint32 // target t's touches are touches[off[t]:off[t+1]]
}

// touch says that holding a target touches the sides in mask of a rule.
type touch struct {
	mask    uint64
	rule    int32
	dynamic bool
}

// Violation is one rule one identity violates, as dense indexes: the
// identity's position in the World (World.IdentityID names it) and the
// rule's position in the file (Engine.RuleID names it).
type Violation struct {
	Identity int32
	Rule     int32
}

// Compile prepares w for detection. It costs the size of the catalogue
// and the rules, not of the identities.
func Compile(w *World) *Engine {
	nEnts, nRoles, nRules := len(w.ents), len(w.roles), len(w.rules)
	e := &Engine{w: w, need: make([]uint8, nRules)}
	// memb[t]: the rule sides listing target t itself.
	memb := make([][]touch, nEnts+nRoles)
	for ri, r := range w.rules {
		e.need[ri] = uint8(r.need)
		for si, side := range r.sides {
			for _, t := range side {
				memb[t] = append(memb[t], touch{mask: 1 << uint(si), rule: int32(ri), dynamic: r.dynamic})
			}
		}
	}
	masks := make([]uint64, nRules)
	var touched []int32
	add := func(ts []touch) {
		for _, t := range ts {
			if masks[t.rule] == 0 {
				touched = append(touched, t.rule)
			}
			masks[t.rule] |= t.mask
		}
	}
	emit := func() []touch {
		slices.Sort(touched)
		out := make([]touch, len(touched))
		for i, ri := range touched {
			out[i] = touch{mask: masks[ri], rule: ri, dynamic: w.rules[ri].dynamic}
			masks[ri] = 0
		}
		touched = touched[:0]
		return out
	}
	lists := make([][]touch, nEnts+nRoles)
	for k := range nEnts {
		add(memb[k])
		lists[k] = emit()
	}
	// Juniors come before their seniors in w.order, so each role folds in
	// its juniors' finished lists.
	for _, r := range w.order {
		add(memb[nEnts+int(r)])
		for _, k := range w.roleEnts[r] {
			add(lists[k])
		}
		for _, j := range w.roleJuniors[r] {
			add(lists[nEnts+int(j)])
		}
		lists[nEnts+int(r)] = emit()
	}
	e.off = make([]uint32, len(lists)+1)
	for t, ts := range lists {
		e.off[t+1] = e.off[t] + uint32(len(ts))
	}
	e.touches = slices.Concat(lists...)
	return e
}

// RuleID returns the ID of rule r (in file order).
func (e *Engine) RuleID(r int32) string { return e.w.rules[r].id }

// Rules returns the number of rules.
func (e *Engine) Rules() int { return len(e.w.rules) }

// Detect returns every rule every identity violates at at, ordered by
// identity (file order), then rule (file order). It runs on all cores
// (GOMAXPROCS). It refuses, with an error wrapping ErrUnsupported, a time
// outside the range of Unix nanoseconds, the only error it returns.
func (e *Engine) Detect(at time.Time) ([]Violation, error) {
	if !at.After(minTime) || !at.Before(maxTime) {
		return nil, fmt.Errorf("evaluation time %s: %w: outside the range of Unix nanoseconds", at, ErrUnsupported)
	}
	now := at.UnixNano()
	n := e.w.Identities()
	const batch = 1024
	results := make([][]Violation, (n+batch-1)/batch)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(results)) {
		wg.Go(func() {
			masks := make([]uint64, len(e.w.rules))
			var touched []int32
			for {
				b := int(next.Add(1)) - 1
				if b >= len(results) {
					return
				}
				var out []Violation
				for i := b * batch; i < min(n, (b+1)*batch); i++ {
					out, touched = e.detect(out, masks, touched, i, now)
				}
				results[b] = out
			}
		})
	}
	wg.Wait()
	return slices.Concat(results...), nil
}

// detect appends identity i's violations at now to out. masks must be
// all zero, and is left so.
func (e *Engine) detect(out []Violation, masks []uint64, touched []int32, i int, now int64) ([]Violation, []int32) {
	w := e.w
	touched = touched[:0]
	for _, g := range w.grants[w.idGrants[i]:w.idGrants[i+1]] {
		if now < g.from || now >= g.until {
			continue
		}
		active := g.jit == 0
		if !active {
			s := w.jit[g.jit-1]
			for _, a := range w.acts[s.lo:s.hi] {
				if a.start <= now && now < a.end {
					active = true
					break
				}
			}
		}
		for _, t := range e.touches[e.off[g.target]:e.off[g.target+1]] {
			if t.dynamic && !active {
				continue
			}
			if masks[t.rule] == 0 {
				touched = append(touched, t.rule)
			}
			masks[t.rule] |= t.mask
		}
	}
	start := len(out)
	for _, r := range touched {
		if bits.OnesCount64(masks[r]) >= int(e.need[r]) {
			out = append(out, Violation{Identity: int32(i), Rule: r})
		}
		masks[r] = 0
	}
	if len(out)-start > 1 {
		slices.SortFunc(out[start:], func(a, b Violation) int { return int(a.Rule - b.Rule) })
	}
	return out, touched
}
