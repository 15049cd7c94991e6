package scan

import (
	"sync"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

// owners gives each finding of a scan its accountable owner
// (audit.Finding's Owner) by the rule the package doc states: from the
// fields of the record the finding is about, never from its evidence, the
// first candidate who can act.
//
// A grant's holder is known while its identity passes (identity), and
// afterwards only for the break-glass grants kept (the grants a check
// reports on in Finish, as the locator keeps their places), so Run and
// Stream give every finding the same owner.
type owners struct {
	x           *entitlement.Index
	activeParty map[string]bool   // party ID → has an active human member
	rules       map[string]string // sod rule ID → owner
	exceptions  map[string]string // sod exception ID → owner
	sessions    map[string]sessionOwners
	holders     map[string]string // break-glass grant ID → holder, for Finish
	raci        raci.Config

	mu   sync.Mutex
	ents map[string]string // entitlement ID → owner, resolved on first use
}

func newOwners(b *bundle.Bundle) *owners {
	o := &owners{
		x:           b.Index,
		activeParty: map[string]bool{},
		rules:       make(map[string]string, len(b.SoD.Rules)),
		exceptions:  make(map[string]string, len(b.SoD.Exceptions)),
		sessions:    make(map[string]sessionOwners, len(b.BreakGlass.Sessions)),
		holders:     map[string]string{},
		raci:        b.RACI,
		ents:        map[string]string{},
	}
	for _, p := range b.Index.Inventory().Parties {
		for _, m := range b.Index.Members(p.ID) {
			if id, ok := b.Index.Identity(m); ok && id.Kind == entitlement.Human && id.Status == entitlement.IdentityActive {
				o.activeParty[p.ID] = true
				break
			}
		}
	}
	for _, r := range b.SoD.Rules {
		o.rules[r.ID] = r.Owner
	}
	for _, x := range b.SoD.Exceptions {
		o.exceptions[x.ID] = x.Owner
	}
	accounts := make(map[string]breakglass.Account, len(b.BreakGlass.Accounts))
	for _, a := range b.BreakGlass.Accounts {
		accounts[a.ID] = a
	}
	for _, s := range b.BreakGlass.Sessions {
		so := sessionOwners{controllers: b.BreakGlass.Policy.Controllers, user: s.Identity}
		switch {
		case len(s.Controllers) > 0:
			so.controllers = s.Controllers
		case len(accounts[s.Account].Controllers) > 0:
			so.controllers = accounts[s.Account].Controllers
		}
		o.sessions[s.ID] = so
	}
	return o
}

// sessionOwners are a break-glass session's owner candidates: who must
// review it, then its user's owner.
type sessionOwners struct {
	controllers []string
	user        string
}

// keep remembers the holder of id's break-glass grants, which Finish may
// report on. It is called once per identity, from one goroutine.
func (o *owners) keep(id entitlement.Identity) {
	for _, g := range id.Grants {
		if g.Source == entitlement.SourceBreakGlass && g.ID != "" {
			o.holders[g.ID] = id.ID
		}
	}
}

// identity sets the owners of the findings the checks' Identity calls
// returned for id. Workers call it at once: it only reads o, but for the
// entitlements' owners, resolved under a lock.
func (o *owners) identity(fs []audit.Finding, id entitlement.Identity) {
	var grants map[string]bool // the IDs of id's grants, built for the first grant finding
	for i := range fs {
		f := &fs[i]
		if f.Subject.Type == "grant" {
			if grants == nil {
				grants = make(map[string]bool, len(id.Grants))
				for _, g := range id.Grants {
					grants[g.ID] = true
				}
			}
			// A grant of id's, or one the finding says id holds (a proposed
			// grant a what-if reports on): its holder's owner.
			if f.Identity == id.ID || grants[f.Subject.ID] {
				f.Owner = o.ofIdentity(id.ID)
				continue
			}
		}
		f.Owner = o.of(f.Subject)
	}
}

// finish sets the owners of the findings of Finish and of the bundle
// itself, once every identity has passed.
func (o *owners) finish(fs []audit.Finding) {
	for i := range fs {
		fs[i].Owner = o.of(fs[i].Subject)
	}
}

// of returns the owner of subject s; a grant's only if it was kept.
func (o *owners) of(s audit.Subject) string {
	switch s.Type {
	case "identity":
		return o.ofIdentity(s.ID)
	case "grant":
		if h, ok := o.holders[s.ID]; ok {
			return o.ofIdentity(h)
		}
	case "session":
		so, ok := o.sessions[s.ID]
		if !ok {
			return ""
		}
		if w := o.first(so.controllers...); w != "" {
			return w
		}
		return o.ofIdentity(so.user)
	case "entitlement":
		return o.ofEntitlement(s.ID)
	case "role":
		if r, ok := o.x.Role(s.ID); ok {
			return o.first(r.Owner)
		}
	case "rule":
		return o.first(o.rules[s.ID])
	case "exception":
		return o.first(o.exceptions[s.ID])
	}
	return ""
}

// ofEntitlement returns the owner of the entitlement with ID id. Its
// effective matrix is resolved once, on first use: few entitlements are
// the subject of a finding.
func (o *owners) ofEntitlement(id string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if w, ok := o.ents[id]; ok {
		return w
	}
	m, _ := o.raci.Resolve(o.x, id)
	w := o.first(m[raci.DefinePolicy].Accountable...)
	o.ents[id] = w
	return w
}

// ofIdentity returns the owner of the identity with ID id.
func (o *owners) ofIdentity(id string) string {
	ident, ok := o.x.Identity(id)
	if !ok {
		return ""
	}
	if ident.Kind.NonHuman() {
		return o.first(ident.Owner, ident.SecondaryOwner, ident.Team)
	}
	return o.first(ident.Manager, ident.Team)
}

// first returns the first candidate that can act (see owners), or ""
// when there is none.
func (o *owners) first(cands ...string) string {
	for _, c := range cands {
		if o.canAct(c) {
			return c
		}
	}
	return ""
}

// canAct reports whether ref names an active person or a party with an
// active human member.
func (o *owners) canAct(ref string) bool {
	if ref == "" {
		return false
	}
	if o.activeParty[ref] {
		return true
	}
	id, ok := o.x.Identity(ref)
	return ok && id.Kind == entitlement.Human && id.Status == entitlement.IdentityActive
}
