package entitlement

import (
	"cmp"
	"slices"
	"sync"
)

// Index is a validated, read-only view of an Inventory with the lookups and
// the role closure that checks need. Build it once with NewIndex and share
// it: an Index is safe for concurrent use.
//
// NewIndex does not copy the inventory; the caller must not modify the
// inventory (or any slice it holds) while the Index is in use.
type Index struct {
	inv          *Inventory
	parties      map[string]int32
	entitlements map[string]int32
	roles        map[string]int32
	identities   map[string]int32
	grantsOnce   sync.Once
	grants       map[string]grantRef // built on the first Grant call
	members      [][]string          // per party, sorted member identity IDs
	closure      []roleClosure       // per role
}

// grantRef locates a grant: the identity's position and the grant's
// position in its Grants.
type grantRef struct{ Identity, Grant int32 }

// roleClosure is everything one role confers, each item with the chain of
// roles (from the role itself down) that explains it.
type roleClosure struct {
	roles []reach // every role reached, the role itself first
	ents  []reach // every entitlement reached, sorted by ID
}

// reach is one item reached from a role: its position and the chain of
// role positions from the starting role to the role that confers it.
type reach struct {
	id    int32
	chain []int32
}

// NewIndex validates inv (see Inventory.Validate) and, if it is valid,
// returns an index over it. If it is not, NewIndex returns a nil Index and
// every problem found.
func NewIndex(inv *Inventory) (*Index, error) {
	if inv == nil {
		inv = &Inventory{}
	}
	v := &validator{inv: inv, x: &Index{inv: inv}}
	v.run()
	if err := v.err(); err != nil {
		return nil, err
	}
	x := v.x
	x.buildMembers()
	x.buildClosure()
	return x, nil
}

// Inventory returns the inventory the index was built from. The caller must
// not modify it.
func (x *Index) Inventory() *Inventory { return x.inv }

// Identity returns the identity with the given ID.
func (x *Index) Identity(id string) (Identity, bool) {
	i, ok := x.identities[id]
	if !ok {
		return Identity{}, false
	}
	return x.inv.Identities[i], true
}

// Entitlement returns the entitlement with the given ID.
func (x *Index) Entitlement(id string) (Entitlement, bool) {
	i, ok := x.entitlements[id]
	if !ok {
		return Entitlement{}, false
	}
	return x.inv.Entitlements[i], true
}

// Role returns the role with the given ID.
func (x *Index) Role(id string) (Role, bool) {
	i, ok := x.roles[id]
	if !ok {
		return Role{}, false
	}
	return x.inv.Roles[i], true
}

// Party returns the party with the given ID.
func (x *Index) Party(id string) (Party, bool) {
	i, ok := x.parties[id]
	if !ok {
		return Party{}, false
	}
	return x.inv.Parties[i], true
}

// Grant returns the grant with the given ID and the identity that holds it.
func (x *Index) Grant(id string) (Grant, Identity, bool) {
	x.grantsOnce.Do(x.buildGrants)
	r, ok := x.grants[id]
	if !ok {
		return Grant{}, Identity{}, false
	}
	holder := x.inv.Identities[r.Identity]
	return holder.Grants[r.Grant], holder, true
}

// Members returns the IDs of a party's members, sorted: those listed in its
// Members plus every identity whose Team is the party. It returns nil for an
// unknown party. The caller may modify the returned slice.
func (x *Index) Members(party string) []string {
	i, ok := x.parties[party]
	if !ok {
		return nil
	}
	return slices.Clone(x.members[i])
}

// IsMember reports whether identity is a member of party.
func (x *Index) IsMember(party, identity string) bool {
	i, ok := x.parties[party]
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(x.members[i], identity)
	return found
}

func (x *Index) buildMembers() {
	x.members = make([][]string, len(x.inv.Parties))
	for i, p := range x.inv.Parties {
		x.members[i] = slices.Clone(p.Members)
	}
	for _, id := range x.inv.Identities {
		if id.Team == "" {
			continue
		}
		if i, ok := x.parties[id.Team]; ok {
			x.members[i] = append(x.members[i], id.ID)
		}
	}
	for i := range x.members {
		slices.Sort(x.members[i])
		x.members[i] = slices.Compact(x.members[i])
	}
}

// buildClosure walks each role's inheritance breadth-first, juniors in ID
// order, so each item is explained by its shortest chain and, among equally
// short ones, the first in ID order.
func (x *Index) buildClosure() {
	roles := x.inv.Roles
	juniors := make([][]int32, len(roles))
	direct := make([][]int32, len(roles))
	byID := func(ids []string, m map[string]int32) []int32 {
		out := make([]int32, 0, len(ids))
		for _, s := range ids {
			out = append(out, m[s])
		}
		return out
	}
	for i, r := range roles {
		juniors[i] = byID(r.Inherits, x.roles)
		slices.SortFunc(juniors[i], func(a, b int32) int { return cmp.Compare(roles[a].ID, roles[b].ID) })
		direct[i] = byID(r.Entitlements, x.entitlements)
		slices.SortFunc(direct[i], func(a, b int32) int {
			return cmp.Compare(x.inv.Entitlements[a].ID, x.inv.Entitlements[b].ID)
		})
	}
	x.closure = make([]roleClosure, len(roles))
	seenRole := make([]int32, len(roles)) // generation marks, to avoid clearing
	seenEnt := make([]int32, len(x.inv.Entitlements))
	for i := range roles {
		gen := int32(i + 1)
		var c roleClosure
		queue := []reach{{id: int32(i), chain: []int32{int32(i)}}}
		seenRole[i] = gen
		for len(queue) > 0 {
			q := queue[0]
			queue = queue[1:]
			c.roles = append(c.roles, q)
			for _, e := range direct[q.id] {
				if seenEnt[e] != gen {
					seenEnt[e] = gen
					c.ents = append(c.ents, reach{id: e, chain: q.chain})
				}
			}
			for _, j := range juniors[q.id] {
				if seenRole[j] != gen {
					seenRole[j] = gen
					chain := append(slices.Clip(q.chain), j)
					queue = append(queue, reach{id: j, chain: chain})
				}
			}
		}
		slices.SortFunc(c.ents, func(a, b reach) int {
			return cmp.Compare(x.inv.Entitlements[a.id].ID, x.inv.Entitlements[b.id].ID)
		})
		x.closure[i] = c
	}
}

func (x *Index) buildGrants() {
	x.grants = make(map[string]grantRef)
	for i, id := range x.inv.Identities {
		for gi, g := range id.Grants {
			if _, dup := x.grants[g.ID]; !dup {
				x.grants[g.ID] = grantRef{Identity: int32(i), Grant: int32(gi)}
			}
		}
	}
}
