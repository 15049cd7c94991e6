package sod

import (
	"math"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/parallel"
)

// stamp is an instant as Unix seconds and nanoseconds: exact over the whole
// range of time.Time, cheap to compare, and free of time zones.
type stamp struct {
	s int64
	n int32
}

var (
	minStamp = stamp{math.MinInt64, 0}
	maxStamp = stamp{math.MaxInt64, 0}
)

func stampOf(t time.Time) stamp { return stamp{t.Unix(), int32(t.Nanosecond())} }

func (a stamp) before(b stamp) bool { return a.s < b.s || (a.s == b.s && a.n < b.n) }

// window is a half-open interval [from, until).
type window struct{ from, until stamp }

func (w window) contains(t stamp) bool { return !t.before(w.from) && t.before(w.until) }

// cgrant is a grant compiled for checking: its target as a dense index and
// the window in which it is in effect, with the activations of an eligible
// grant. It answers the same questions as Grant.InEffect and
// Grant.ActiveAt.
type cgrant struct {
	target   int32 // entitlement k ≥ 0, role r as -1-r, or noTarget
	live     bool  // state active: in effect somewhere
	eligible bool
	window   window
	acts     []window
}

// noTarget marks a grant whose target the catalogue does not know.
const noTarget = math.MinInt32

func (g *cgrant) inEffect(t stamp) bool { return g.live && g.window.contains(t) }

// active reports whether the grant's access is active at t (it must be in
// effect): standing, or eligible and activated.
func (g *cgrant) active(t stamp) bool {
	if !g.eligible {
		return true
	}
	for _, a := range g.acts {
		if a.contains(t) {
			return true
		}
	}
	return false
}

// compileGrant compiles one grant against the catalogue.
func (e *Engine) compileGrant(g *entitlement.Grant) cgrant {
	c := cgrant{target: noTarget, live: g.State == entitlement.GrantActive, eligible: g.Eligible,
		window: window{minStamp, maxStamp}}
	switch {
	case g.Role != "":
		if r, ok := e.roleIdx[g.Role]; ok {
			c.target = -1 - r
		}
	case g.Entitlement != "":
		if k, ok := e.entIdx[g.Entitlement]; ok {
			c.target = k
		}
	}
	if s := g.StartTime(); !s.IsZero() {
		c.window.from = stampOf(s)
	}
	if !g.Expires.IsZero() {
		c.window.until = stampOf(g.Expires)
	}
	if r := g.Revoked.At; !r.IsZero() && stampOf(r).before(c.window.until) {
		c.window.until = stampOf(r)
	}
	if g.Eligible {
		for _, a := range g.Activations {
			w := window{stampOf(a.Start), maxStamp}
			if !a.End.IsZero() {
				w.until = stampOf(a.End)
			}
			c.acts = append(c.acts, w)
		}
	}
	return c
}

// compileGrants compiles grants into dst (reusing its storage).
func (e *Engine) compileGrants(dst []cgrant, grants []entitlement.Grant) []cgrant {
	dst = dst[:0]
	for i := range grants {
		dst = append(dst, e.compileGrant(&grants[i]))
	}
	return dst
}

// compileIdentities compiles the grants of every identity of the index
// into one arena, so Check does no map lookups. Each identity's grants
// have their place in the arena before any is compiled, so identities are
// compiled on all cores into the layout a sequential loop gives.
func (e *Engine) compileIdentities() {
	ids := e.x.Inventory().Identities
	n := 0
	for _, id := range ids {
		n += len(id.Grants)
	}
	arena := make([]cgrant, n)
	e.idGrants = make([][]cgrant, len(ids))
	start := 0
	for i := range ids {
		end := start + len(ids[i].Grants)
		e.idGrants[i] = arena[start:end:end]
		start = end
	}
	parallel.Ranges(len(ids), 4096, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			for gi := range ids[i].Grants {
				e.idGrants[i][gi] = e.compileGrant(&ids[i].Grants[gi])
			}
		}
	})
}

// touchesOfTarget returns the touches of a compiled target, with a
// what-if overlay replacing changed roles' lists.
func (e *Engine) touchesOfTarget(target int32, ov *overlay) []touch {
	if target >= 0 {
		return e.entTouch[target]
	}
	r := -1 - target
	if ts, ok := ov.touches()[r]; ok {
		return ts
	}
	return e.roleTouch[r]
}
