package entitlement

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Path explains one way an identity holds an entitlement or a role: the
// grant, then the chain of roles from the granted role down to the one that
// confers the access, the shortest such chain (among equally short ones, the
// first in role ID order).
//
// Paths are made by Index.EffectiveAccess and Index.Expand, which keep only
// a link into the grant's walk of the role graph: the chain is rebuilt when
// Roles (or String, or Compare on equal lengths) asks for it, so access
// through a deep hierarchy costs memory linear in the hierarchy. A Path is
// valid as long as its Index. The zero Path is a direct path of no grant.
type Path struct {
	// Grant is the ID of the grant the access comes through.
	Grant string
	// Entitlement is the entitlement reached; empty for a role holding.
	Entitlement string
	// Eligible marks a path through a just-in-time grant that must be
	// activated before use.
	Eligible bool
	// Active reports whether the access is active at the evaluation time:
	// always for standing grants, only while activated for eligible ones.
	Active bool

	tree  *walkTree // nil for a direct entitlement grant or a decoded path
	pos   int32     // the last role of the chain, as a position in tree
	roles []string  // the chain of a path decoded from JSON
}

// walkTree keeps, for one grant of a role, the roles its walk reached and
// each one's parent (as positions), so that chains can be rebuilt later.
type walkTree struct {
	x      *Index
	role   []int32 // role at each position, the granted role first
	parent []int32 // position of the role it was reached from; -1 for the first
	depth  []int32 // roles in the chain to it, the granted role counting 1
}

// Roles returns the chain of roles from the granted role down to the role
// that holds the item; empty when an entitlement is granted directly. For a
// role holding, the chain ends with that role. The caller may modify the
// result.
func (p Path) Roles() []string {
	if p.tree == nil {
		return slices.Clone(p.roles)
	}
	out := make([]string, p.tree.depth[p.pos])
	for i, c := len(out)-1, p.pos; c >= 0; i, c = i-1, p.tree.parent[c] {
		out[i] = p.tree.x.inv.Roles[p.tree.role[c]].ID
	}
	return out
}

// Via returns the role that confers the item directly — the last role of
// the chain — or "" when an entitlement is granted directly.
func (p Path) Via() string {
	if p.tree == nil {
		if len(p.roles) > 0 {
			return p.roles[len(p.roles)-1]
		}
		return ""
	}
	return p.tree.x.inv.Roles[p.tree.role[p.pos]].ID
}

// depth returns the number of roles in the chain.
func (p Path) depth() int {
	if p.tree == nil {
		return len(p.roles)
	}
	return int(p.tree.depth[p.pos])
}

// MarshalJSON encodes the path as an object with its grant, its chain of
// roles (omitted when empty), its entitlement (omitted for a role holding),
// and its eligible (omitted when false) and active flags.
func (p Path) MarshalJSON() ([]byte, error) {
	return json.Marshal(pathJSON{p.Grant, p.Roles(), p.Entitlement, p.Eligible, p.Active})
}

// UnmarshalJSON decodes what MarshalJSON encodes; the decoded path keeps its
// chain of roles itself.
func (p *Path) UnmarshalJSON(b []byte) error {
	var j pathJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = Path{Grant: j.Grant, Entitlement: j.Entitlement, Eligible: j.Eligible, Active: j.Active, roles: j.Roles}
	return nil
}

// pathJSON is the wire form of a Path.
type pathJSON struct {
	Grant       string   `json:"grant"`
	Roles       []string `json:"roles,omitempty"`
	Entitlement string   `json:"entitlement,omitempty"`
	Eligible    bool     `json:"eligible,omitempty"`
	Active      bool     `json:"active"`
}

// String renders the path as "grant g-1 → role ap-clerk → entitlement
// erp:vendor.create", followed by " (eligible)" or " (eligible, activated)"
// for just-in-time grants.
func (p Path) String() string {
	var b strings.Builder
	b.WriteString("grant " + p.Grant)
	for _, r := range p.Roles() {
		b.WriteString(" → role " + r)
	}
	if p.Entitlement != "" {
		b.WriteString(" → entitlement " + p.Entitlement)
	}
	s := b.String()
	if p.Eligible {
		if p.Active {
			s += " (eligible, activated)"
		} else {
			s += " (eligible)"
		}
	}
	return s
}

// Compare orders paths by grant, then chain length, then the chain itself.
func (p Path) Compare(q Path) int {
	if c := cmp.Or(cmp.Compare(p.Grant, q.Grant), cmp.Compare(p.depth(), q.depth())); c != 0 {
		return c
	}
	if p.depth() > 0 && (p.tree == nil || p.tree != q.tree || p.pos != q.pos) {
		if c := slices.Compare(p.Roles(), q.Roles()); c != 0 {
			return c
		}
	}
	return cmp.Compare(p.Entitlement, q.Entitlement)
}

// Holding is one entitlement or role an identity holds, with every path
// that explains it (one per grant that reaches it), sorted by Path.Compare.
type Holding struct {
	// ID is the ID of the entitlement or role held.
	ID string `json:"id"`
	// Paths are the paths that explain the holding, at least one.
	Paths []Path `json:"paths"`
}

// Active reports whether any path to the holding is active (standing, or an
// activated just-in-time grant).
func (h Holding) Active() bool {
	return slices.ContainsFunc(h.Paths, func(p Path) bool { return p.Active })
}

// Access is an identity's effective access at one time: every entitlement
// and every role it holds through grants in effect and role inheritance,
// each sorted by ID.
type Access struct {
	// Identity is the ID of the identity whose access this is.
	Identity string `json:"identity"`
	// At is the evaluation time the access was computed at.
	At time.Time `json:"at"`
	// Entitlements are the entitlements held, sorted by ID.
	Entitlements []Holding `json:"entitlements"`
	// Roles are the roles held, granted or inherited, sorted by ID.
	Roles []Holding `json:"roles"`
}

// Entitlement returns the holding for one entitlement ID.
func (a Access) Entitlement(id string) (Holding, bool) { return find(a.Entitlements, id) }

// Role returns the holding for one role ID.
func (a Access) Role(id string) (Holding, bool) { return find(a.Roles, id) }

func find(hs []Holding, id string) (Holding, bool) {
	i, ok := slices.BinarySearchFunc(hs, id, func(h Holding, id string) int { return cmp.Compare(h.ID, id) })
	if !ok {
		return Holding{}, false
	}
	return hs[i], true
}

// EffectiveAccess returns what the identity holds at at. Only grants in
// effect at at contribute (see Grant.InEffect): a grant that expires exactly
// at at contributes nothing, one that starts exactly at at contributes.
// Eligible just-in-time grants contribute paths marked Eligible, Active only
// while activated. It fails for an unknown identity.
func (x *Index) EffectiveAccess(identity string, at time.Time) (Access, error) {
	i, ok := x.identities[identity]
	if !ok {
		return Access{}, &RecordError{Type: "identity", ID: identity, Err: fmt.Errorf("%w: no identity %q", ErrUnknownRef, identity)}
	}
	return x.Holder(x.inv.Identities[i]).Access(at)
}

// Expand returns the access that grants confer at at, as EffectiveAccess
// does for an identity's own grants. The grants need not belong to the
// inventory (Expand serves what-if questions about proposed grants), but
// their targets must: a grant whose entitlement or role is unknown is
// reported as an error and contributes nothing. A grant that sets both an
// entitlement and a role is reported as an error too, and contributes both
// (it fails closed). Expand returns the access it could compute together
// with every error, joined; the caller must not treat a result that comes
// with an error as complete.
func (x *Index) Expand(grants []Grant, at time.Time) (Access, error) {
	return x.Holder(Identity{Grants: grants}).Access(at)
}

func (x *Index) unknownTarget(gi int, g Grant, typ, id string) error {
	return &RecordError{Type: "grant", ID: grantName(gi, g), Field: typ, Err: fmt.Errorf("%w: no %s %q", ErrUnknownRef, typ, id)}
}

func grantName(i int, g Grant) string {
	if g.ID != "" {
		return g.ID
	}
	return fmt.Sprintf("#%d", i)
}
