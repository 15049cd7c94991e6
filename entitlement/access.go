package entitlement

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Hop is one step of an access path: a grant, a role or an entitlement. Its
// fields match audit.Step, so audit.Step(h) converts it.
type Hop struct {
	Type string `json:"type"` // "grant", "role" or "entitlement"
	ID   string `json:"id"`
}

// Path explains one way an identity holds an entitlement or a role: the
// grant, then the chain of roles from the granted role down to the one that
// confers the access.
type Path struct {
	Grant string `json:"grant"`
	// Roles is the chain of roles from the granted role down to the role
	// that holds the item; empty when an entitlement is granted directly.
	// For a role holding, the chain ends with that role.
	Roles []string `json:"roles,omitempty"`
	// Entitlement is the entitlement reached; empty for a role holding.
	Entitlement string `json:"entitlement,omitempty"`
	// Eligible marks a path through a just-in-time grant that must be
	// activated before use.
	Eligible bool `json:"eligible,omitempty"`
	// Active reports whether the access is active at the evaluation time:
	// always for standing grants, only while activated for eligible ones.
	Active bool `json:"active"`
}

// Hops returns the path as hops: the grant, each role, then the entitlement
// when there is one.
func (p Path) Hops() []Hop {
	out := make([]Hop, 0, len(p.Roles)+2)
	out = append(out, Hop{"grant", p.Grant})
	for _, r := range p.Roles {
		out = append(out, Hop{"role", r})
	}
	if p.Entitlement != "" {
		out = append(out, Hop{"entitlement", p.Entitlement})
	}
	return out
}

// String renders the path as "grant g-1 → role ap-clerk → entitlement
// erp:vendor.create", followed by " (eligible)" or " (eligible, activated)"
// for just-in-time grants.
func (p Path) String() string {
	hops := p.Hops()
	parts := make([]string, len(hops))
	for i, h := range hops {
		parts[i] = h.Type + " " + h.ID
	}
	s := strings.Join(parts, " → ")
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
	return cmp.Or(cmp.Compare(p.Grant, q.Grant), cmp.Compare(len(p.Roles), len(q.Roles)),
		slices.Compare(p.Roles, q.Roles), cmp.Compare(p.Entitlement, q.Entitlement))
}

// Holding is one entitlement or role an identity holds, with every path
// that explains it (one per grant that reaches it), sorted by Path.Compare.
type Holding struct {
	ID    string `json:"id"`
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
	Identity     string    `json:"identity"`
	At           time.Time `json:"at"`
	Entitlements []Holding `json:"entitlements"`
	Roles        []Holding `json:"roles"`
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
	id := x.inv.Identities[i]
	a, err := x.Expand(id.Grants, at)
	a.Identity = id.ID
	return a, err
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
	ents := map[int32][]Path{}
	roles := map[int32][]Path{}
	var errs []error
	for gi, g := range grants {
		if !g.InEffect(at) {
			continue
		}
		active := g.ActiveAt(at)
		if g.Role == "" && g.Entitlement == "" {
			errs = append(errs, &RecordError{Type: "grant", ID: grantName(gi, g), Field: "entitlement",
				Err: fmt.Errorf("%w: a grant needs an entitlement or a role", ErrRequired)})
			continue
		}
		if g.Role != "" && g.Entitlement != "" {
			// Fail closed: count both targets, and say the grant is bad.
			errs = append(errs, &RecordError{Type: "grant", ID: grantName(gi, g), Field: "role",
				Err: fmt.Errorf("%w: a grant targets an entitlement or a role, not both", ErrConflict)})
		}
		if g.Role != "" {
			r, ok := x.roles[g.Role]
			if !ok {
				errs = append(errs, x.unknownTarget(gi, g, "role", g.Role))
			} else {
				c := x.closure[r]
				for _, rr := range c.roles {
					roles[rr.id] = append(roles[rr.id], Path{Grant: g.ID, Roles: x.roleIDs(rr.chain), Eligible: g.Eligible, Active: active})
				}
				for _, e := range c.ents {
					ents[e.id] = append(ents[e.id], Path{Grant: g.ID, Roles: x.roleIDs(e.chain),
						Entitlement: x.inv.Entitlements[e.id].ID, Eligible: g.Eligible, Active: active})
				}
			}
		}
		if g.Entitlement != "" {
			e, ok := x.entitlements[g.Entitlement]
			if !ok {
				errs = append(errs, x.unknownTarget(gi, g, "entitlement", g.Entitlement))
			} else {
				ents[e] = append(ents[e], Path{Grant: g.ID, Entitlement: g.Entitlement, Eligible: g.Eligible, Active: active})
			}
		}
	}
	a := Access{At: at, Entitlements: x.holdings(ents, func(i int32) string { return x.inv.Entitlements[i].ID }),
		Roles: x.holdings(roles, func(i int32) string { return x.inv.Roles[i].ID })}
	return a, joinErrs(errs)
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

func (x *Index) roleIDs(chain []int32) []string {
	out := make([]string, len(chain))
	for i, r := range chain {
		out[i] = x.inv.Roles[r].ID
	}
	return out
}

func (x *Index) holdings(m map[int32][]Path, name func(int32) string) []Holding {
	out := make([]Holding, 0, len(m))
	for i, ps := range m {
		slices.SortFunc(ps, Path.Compare)
		out = append(out, Holding{ID: name(i), Paths: ps})
	}
	slices.SortFunc(out, func(a, b Holding) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
