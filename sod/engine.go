package sod

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/rolegraph"
)

// Engine is a compiled policy: the rules resolved against one catalogue
// (entitlements and roles), with every role's inheritance closure
// precomputed into the rule sides it touches. Checking an identity costs
// about the size of its grants' touch lists, not the size of the rule set.
//
// Compile once, check many: an Engine is immutable and safe for concurrent
// use.
type Engine struct {
	x      *entitlement.Index
	config Config

	rules   []crule
	dynamic []bool // per rule: Dynamic, for the hot loop

	entIdx  map[string]int32 // entitlement ID → dense index
	roleIdx map[string]int32 // role ID → dense index
	ents    []string         // dense index → entitlement ID
	roles   []string         // dense index → role ID
	entSys  []string         // dense entitlement → system
	entEnv  []string         // dense entitlement → environment

	entTouch  [][]touch        // per entitlement: the rule sides it touches as a member
	roleTouch [][]touch        // per role: every rule side its closure touches
	roleMemb  [][]touch        // per role: the rule sides listing the role itself
	graph     *rolegraph.Graph // role inheritance, for closures and paths
	walkers   sync.Pool        // *rolegraph.Walker over graph

	holders  [][]int32 // per role: identities (inventory positions) granted it directly
	idOnce   sync.Once
	idIndex  map[string]int32 // identity ID → inventory position, built for WhatIf
	idGrants [][]cgrant       // per identity of the index: its grants, compiled
	entOwner []string         // per entitlement: its policy owner party

	grantSeps   []Separation // the policy's separations between grant duties
	revokerSeps []Separation // those of them that involve the revoker

	exceptions []int32            // exception positions, for iteration in input order
	excByRule  map[string][]int32 // rule ID → exceptions naming it
	ruleByID   map[string]int32

	scratch sync.Pool // *scratch
}

// touch says that holding member touches side side of rule rule. A member
// is an entitlement (≥ 0) or a role (encoded as -1 - role index).
type touch struct {
	rule   int32
	side   int16
	member int32
}

func cmpTouch(a, b touch) int {
	return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.side, b.side), cmp.Compare(a.member, b.member))
}

func roleMember(r int32) int32 { return -1 - r }

// crule is a compiled rule.
type crule struct {
	rule       *Rule
	sideNames  []string
	need       int
	unresolved []string // references that did not resolve, as "side: type id"
}

// scratch is per-goroutine working memory for checking identities.
type scratch struct {
	masks   []uint64 // per rule: sides touched
	touched []int32  // rules with a non-zero mask
	ts      []hit    // touches of the rule being explained
	ts2     []hit    // a second list, for before/after comparisons
	cg      []cgrant // grants of a streamed identity, compiled
	cg2     []cgrant // grants after a proposed change, compiled
	grants  []entitlement.Grant
}

// hit is one touch found on an identity: the grant (position in the
// grants being checked) and whether that grant is active.
type hit struct {
	touch
	grant  int32
	active bool
}

// Compile validates c (see Config.Validate) and compiles it against the
// catalogue and identities of x. References from rules to entitlements or
// roles that x does not know are not errors: the rule is compiled without
// them and reported as indeterminate by Lint and Check, so a retired
// entitlement cannot silently pass.
//
// Compile copies what it keeps of c; x must not be modified while the
// Engine is in use.
func Compile(x *entitlement.Index, c Config) (*Engine, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	inv := x.Inventory()
	e := &Engine{
		x:         x,
		config:    cloneConfig(c),
		entIdx:    make(map[string]int32, len(inv.Entitlements)),
		roleIdx:   make(map[string]int32, len(inv.Roles)),
		excByRule: map[string][]int32{},
		ruleByID:  map[string]int32{},
	}
	for i, ent := range inv.Entitlements {
		e.entOwner = append(e.entOwner, ent.PolicyOwner)
		e.entIdx[ent.ID] = int32(i)
		e.ents = append(e.ents, ent.ID)
		e.entSys = append(e.entSys, ent.SystemName())
		e.entEnv = append(e.entEnv, ent.Environment)
	}
	for i, r := range inv.Roles {
		e.roleIdx[r.ID] = int32(i)
		e.roles = append(e.roles, r.ID)
	}
	e.compileRules()
	if err := e.compileClosure(); err != nil {
		return nil, err
	}
	e.compileHolders()
	e.compileIdentities()
	for _, s := range e.config.Policy.separations() {
		if s.A.onGrant() {
			e.grantSeps = append(e.grantSeps, s)
			if s.A == Revoker || s.B == Revoker {
				e.revokerSeps = append(e.revokerSeps, s)
			}
		}
	}
	for i, x := range e.config.Exceptions {
		e.exceptions = append(e.exceptions, int32(i))
		e.excByRule[x.Rule] = append(e.excByRule[x.Rule], int32(i))
	}
	e.scratch.New = func() any { return &scratch{masks: make([]uint64, len(e.rules))} }
	return e, nil
}

func cloneConfig(c Config) Config {
	c.Duties = slices.Clone(c.Duties)
	c.Rules = slices.Clone(c.Rules)
	c.Exceptions = slices.Clone(c.Exceptions)
	c.Policy.ExceptionApprovers = slices.Clone(c.Policy.ExceptionApprovers)
	if c.Policy.Separations != nil {
		c.Policy.Separations = slices.Clone(c.Policy.Separations)
	}
	return c
}

// compileRules resolves every side to dense members and fills the
// per-entitlement and per-role membership touch lists.
func (e *Engine) compileRules() {
	duties := map[string]*Duty{}
	for i := range e.config.Duties {
		duties[e.config.Duties[i].ID] = &e.config.Duties[i]
	}
	e.entTouch = make([][]touch, len(e.ents))
	e.roleMemb = make([][]touch, len(e.roles))
	for ri := range e.config.Rules {
		r := &e.config.Rules[ri]
		e.ruleByID[r.ID] = int32(ri)
		cr := crule{rule: r, need: r.Need()}
		for si, s := range r.Sides {
			name, ents, roles := s.Name, s.Entitlements, s.Roles
			if d, ok := duties[s.Duty]; ok {
				ents, roles = d.Entitlements, d.Roles
				if name == "" {
					name = d.Name
				}
				if name == "" {
					name = d.ID
				}
			}
			if name == "" {
				name = "side " + itoa(si)
			}
			cr.sideNames = append(cr.sideNames, name)
			for _, id := range ents {
				if k, ok := e.entIdx[id]; ok {
					e.entTouch[k] = append(e.entTouch[k], touch{rule: int32(ri), side: int16(si), member: k})
				} else {
					cr.unresolved = append(cr.unresolved, name+": entitlement "+id)
				}
			}
			for _, id := range roles {
				if k, ok := e.roleIdx[id]; ok {
					e.roleMemb[k] = append(e.roleMemb[k], touch{rule: int32(ri), side: int16(si), member: roleMember(k)})
				} else {
					cr.unresolved = append(cr.unresolved, name+": role "+id)
				}
			}
		}
		e.rules = append(e.rules, cr)
		e.dynamic = append(e.dynamic, r.Dynamic)
	}
	for k := range e.entTouch {
		slices.SortFunc(e.entTouch[k], cmpTouch)
		e.entTouch[k] = slices.Compact(e.entTouch[k])
	}
	for k := range e.roleMemb {
		slices.SortFunc(e.roleMemb[k], cmpTouch)
		e.roleMemb[k] = slices.Compact(e.roleMemb[k])
	}
}

// compileClosure builds the role graph and folds, from juniors to seniors,
// the union of the touches of every role's closure: one pass over the
// graph, so a deep hierarchy costs its size, not its size squared.
func (e *Engine) compileClosure() error {
	roles := e.x.Inventory().Roles
	g, err := rolegraph.FromIDs(e.roles, e.ents,
		func(i int) []string { return roles[i].Inherits }, func(i int) []string { return roles[i].Entitlements })
	if err != nil {
		return fmt.Errorf("sod: %w", err) // the index validated the roles: a bug
	}
	e.graph = g
	e.walkers.New = func() any { return g.NewWalker() }
	e.roleTouch = make([][]touch, len(e.roles))
	for _, r := range g.Order() {
		e.roleTouch[r] = e.foldTouches(r, g, func(j int32) []touch { return e.roleTouch[j] })
	}
	return nil
}

// foldTouches returns the touches of role r's closure in graph g: its own
// membership, its direct entitlements' touches, and the closure touches of
// its juniors (given by juniorTouches).
func (e *Engine) foldTouches(r int32, g *rolegraph.Graph, juniorTouches func(int32) []touch) []touch {
	ts := slices.Clone(e.roleMemb[r])
	for _, k := range g.Direct(r) {
		ts = append(ts, e.entTouch[k]...)
	}
	for _, j := range g.Juniors(r) {
		ts = append(ts, juniorTouches(j)...)
	}
	if len(ts) == 0 {
		return nil
	}
	slices.SortFunc(ts, cmpTouch)
	return slices.Clip(slices.Compact(ts))
}

func (e *Engine) compileHolders() {
	e.holders = make([][]int32, len(e.roles))
	for i, id := range e.x.Inventory().Identities {
		for _, g := range id.Grants {
			if g.Role == "" {
				continue
			}
			if r, ok := e.roleIdx[g.Role]; ok {
				if h := e.holders[r]; len(h) == 0 || h[len(h)-1] != int32(i) {
					e.holders[r] = append(e.holders[r], int32(i))
				}
			}
		}
	}
}

func (e *Engine) memberName(m int32) (typ, id string) {
	if m >= 0 {
		return "entitlement", e.ents[m]
	}
	return "role", e.roles[-1-m]
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// position returns the inventory position of an identity of the index,
// building the lookup on first use (only WhatIf needs it).
func (e *Engine) position(identity string) (int32, bool) {
	e.idOnce.Do(func() {
		ids := e.x.Inventory().Identities
		e.idIndex = make(map[string]int32, len(ids))
		for i, id := range ids {
			e.idIndex[id.ID] = int32(i)
		}
	})
	pos, ok := e.idIndex[identity]
	return pos, ok
}
