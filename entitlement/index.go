package entitlement

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sodkit/sodkit/internal/rolegraph"
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
	teams        []int32             // per identity, its team's party position, or -1
	kinds        []IdentityKind      // per identity, its kind
	listed       [][]string          // per party, its own Members list, sorted
	graph        *rolegraph.Graph    // role inheritance on inventory positions
	walkers      sync.Pool           // *rolegraph.Walker over graph

	// entRank and roleRank give each entitlement's and role's position in
	// ID order, so holdings sort by ID without comparing strings; reaches
	// holds each role's reach once walked (roleReach).
	entRank, roleRank []int32
	reaches           []atomic.Pointer[roleReach]
	entIDs            []string // every entitlement's ID, by position
}

// grantRef locates a grant: the identity's position and the grant's
// position in its Grants.
type grantRef struct{ Identity, Grant int32 }

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
	if err := x.buildGraph(); err != nil {
		return nil, err
	}
	x.entRank = ranks(inv.Entitlements, func(e Entitlement) string { return e.ID })
	x.roleRank = ranks(inv.Roles, func(r Role) string { return r.ID })
	x.reaches = make([]atomic.Pointer[roleReach], len(inv.Roles))
	x.entIDs = make([]string, len(inv.Entitlements))
	for i, e := range inv.Entitlements {
		x.entIDs[i] = e.ID
	}
	return x, nil
}

// ranks returns each item's position in the order of its ID.
func ranks[T any](items []T, id func(T) string) []int32 {
	order := make([]int32, len(items))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(id(items[a]), id(items[b])) })
	rank := make([]int32, len(items))
	for r, i := range order {
		rank[i] = int32(r)
	}
	return rank
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

// IdentityKind returns the kind of the identity with the given ID. It
// answers what Identity(id).Kind answers without copying the record,
// which checks that ask it of every approver of millions of grants feel.
func (x *Index) IdentityKind(id string) (IdentityKind, bool) {
	i, ok := x.identities[id]
	if !ok {
		return 0, false
	}
	return x.kinds[i], true
}

// IdentityTeam returns the team (a party ID, or "") of the identity with
// the given ID, as Identity(id).Team does, without copying the record.
func (x *Index) IdentityTeam(id string) (string, bool) {
	i, ok := x.identities[id]
	if !ok {
		return "", false
	}
	if t := x.teams[i]; t >= 0 {
		return x.inv.Parties[t].ID, true
	}
	return "", true
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
	// Most members are members by their team: one lookup answers them
	// without searching a party of thousands.
	if p, ok := x.identities[identity]; ok && x.teams[p] == i {
		return true
	}
	_, found := slices.BinarySearch(x.listed[i], identity)
	return found
}

func (x *Index) buildMembers() {
	x.members = make([][]string, len(x.inv.Parties))
	x.listed = make([][]string, len(x.inv.Parties))
	for i, p := range x.inv.Parties {
		x.members[i] = slices.Clone(p.Members)
		x.listed[i] = slices.Sorted(slices.Values(p.Members))
	}
	x.teams = make([]int32, len(x.inv.Identities))
	x.kinds = make([]IdentityKind, len(x.inv.Identities))
	for k, id := range x.inv.Identities {
		x.teams[k], x.kinds[k] = -1, id.Kind
		if id.Team == "" {
			continue
		}
		if i, ok := x.parties[id.Team]; ok {
			x.members[i] = append(x.members[i], id.ID)
			x.teams[k] = i
		}
	}
	for i := range x.members {
		slices.Sort(x.members[i])
		x.members[i] = slices.Compact(x.members[i])
	}
}

// buildGraph builds the role graph that every closure and path is walked
// on: juniors in role ID order and direct entitlements in entitlement ID
// order, so each item is explained by its shortest chain and, among
// equally short ones, the first in ID order.
func (x *Index) buildGraph() error {
	roles, ents := x.inv.Roles, x.inv.Entitlements
	roleIDs := make([]string, len(roles))
	for i, r := range roles {
		roleIDs[i] = r.ID
	}
	entIDs := make([]string, len(ents))
	for i, e := range ents {
		entIDs[i] = e.ID
	}
	g, err := rolegraph.FromIDs(roleIDs, entIDs,
		func(i int) []string { return roles[i].Inherits }, func(i int) []string { return roles[i].Entitlements })
	if err != nil {
		// Validation reports dangling references and cycles, naming them;
		// reaching this is a bug.
		return fmt.Errorf("entitlement: %w", err)
	}
	x.graph = g
	x.walkers.New = func() any { return g.NewWalker() }
	return nil
}

// walker returns a walker of the role graph; put it back in x.walkers.
func (x *Index) walker() *rolegraph.Walker { return x.walkers.Get().(*rolegraph.Walker) }

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

// RolesConferring returns the IDs of the roles whose closure — the role
// and every role it inherits, however deep — grants an entitlement for
// which pred is true, sorted. It costs one pass over the role graph, so a
// question such as "which roles confer privileged access?" is linear in
// the catalogue, not in the sum of every role's closure.
func (x *Index) RolesConferring(pred func(Entitlement) bool) []string {
	var out []string
	for r, ok := range x.graph.Confers(func(e int32) bool { return pred(x.inv.Entitlements[e]) }) {
		if ok {
			out = append(out, x.inv.Roles[r].ID)
		}
	}
	slices.Sort(out)
	return out
}
