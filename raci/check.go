package raci

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/memo"
)

var (
	gvRR02   = audit.Ref(audit.CSF, "GV.RR-02")
	prAA01   = audit.Ref(audit.CSF, "PR.AA-01")
	prAA05   = audit.Ref(audit.CSF, "PR.AA-05")
	deCM03   = audit.Ref(audit.CSF, "DE.CM-03")
	ac2      = audit.Ref(audit.SP80053, "AC-2")
	ac2_3    = audit.Ref(audit.SP80053, "AC-2(3)")
	ac5      = audit.Ref(audit.SP80053, "AC-5")
	ac6      = audit.Ref(audit.SP80053, "AC-6")
	ac6_7    = audit.Ref(audit.SP80053, "AC-6(7)")
	ia5      = audit.Ref(audit.SP80053, "IA-5")
	ia9      = audit.Ref(audit.SP80053, "IA-9")
	nhi1     = audit.Ref(audit.NHI, "NHI1:2025")
	nhi7     = audit.Ref(audit.NHI, "NHI7:2025")
	nhi8     = audit.Ref(audit.NHI, "NHI8:2025")
	nhi9     = audit.Ref(audit.NHI, "NHI9:2025")
	nhi10    = audit.Ref(audit.NHI, "NHI10:2025")
	govern21 = audit.Ref(audit.AIRMF, "GOVERN 2.1")
)

const rfc3339 = time.RFC3339Nano

// Check runs every check of this package over the indexed inventory and
// the RACI config at time at, and returns the findings in report order
// (see audit.Finding.Compare), free of duplicate IDs. A nil x is an empty
// inventory.
//
// Check never fails: problems a valid config cannot have (see
// Config.Validate) are findings too, so a config built in Go and never
// validated fails closed. A reference to nothing is reported as
// raci.unknown-reference and counts as a party with no active members;
// invalid rows and overrides are ignored, so what they meant to assign is
// reported as a gap. Rule ownership is checked separately by CheckRules.
//
// Check is a pure function of its arguments and safe for concurrent use.
// The finding IDs do not depend on at.
func Check(x *entitlement.Index, c Config, at time.Time) []audit.Finding {
	k := NewChecker(x, c, at)
	var out []audit.Finding
	for _, id := range orEmpty(x).Inventory().Identities {
		out = append(out, k.Identity(x.Holder(id))...)
	}
	return audit.Sort(append(out, k.Finish()...))
}

// Checker runs the raci checks one identity at a time, for inventories
// streamed from files too large to hold whole. Its index holds the
// catalogue and every identity (their grants may be left out: Identity
// brings them); Identity checks one identity's grants (approvals,
// recertification) and, for a non-human identity, its ownership and
// hygiene; Finish returns the findings about the matrix, the catalogue and
// the references. Check is exactly NewChecker, Identity for each identity
// of the index, then Finish.
//
// A Checker is safe for concurrent use: Identity calls run in parallel (the
// engine's tables are filled under their own locks); call Finish once, after
// every Identity call has returned.
type Checker struct {
	e     *engine
	at    time.Time
	usage map[string]*usageSummary
}

// NewChecker returns a Checker over x and c evaluating at at. A nil x is an
// empty inventory.
func NewChecker(x *entitlement.Index, c Config, at time.Time) *Checker {
	e := newEngine(x, c)
	return &Checker{e: e, at: at, usage: e.usage(at)}
}

// Identity returns the findings about one identity, in report order.
func (k *Checker) Identity(h *entitlement.Holder) []audit.Finding {
	id := h.Identity
	var out []audit.Finding
	for gi := range id.Grants {
		out = append(out, k.e.approvals(h, gi, k.at)...)
		out = append(out, k.e.recertification(h, gi, k.at)...)
	}
	if id.Kind.NonHuman() {
		out = append(out, k.e.orphaned(h, k.at)...)
		out = append(out, k.e.hygiene(h, k.usage[id.ID], k.at)...)
	}
	for i := range out {
		out[i].Identity = id.ID // each is about the identity or one of its grants
	}
	return audit.Sort(out)
}

// Note is called for an identity whose findings are reported elsewhere —
// by another shard of a scan split by identity. The raci checks that
// Finish runs need nothing from it, so Note does nothing; it exists so
// that every check package's Checker has the same methods.
func (k *Checker) Note(*entitlement.Holder) {}

// Finish returns the findings that concern no single identity: unknown
// references, matrix gaps, and entitlements and roles without an
// accountable owner, in report order.
func (k *Checker) Finish() []audit.Finding {
	var out []audit.Finding
	out = append(out, k.e.references()...)
	out = append(out, k.e.matrixGaps()...)
	inv := k.e.x.Inventory()
	for _, ent := range inv.Entitlements {
		out = append(out, k.e.entitlementOwner(ent)...)
	}
	for _, r := range inv.Roles {
		out = append(out, k.e.roleOwner(r)...)
	}
	return audit.Sort(out)
}

// engine holds what one run of the checks computes once. It is not shared
// between runs.
type engine struct {
	x         *entitlement.Index
	pol       Policy
	c         Config
	layers    layers
	ents      memo.Table[string, *resolved]  // effective matrix per entitlement
	systems   memo.Table[string, *resolved]  // effective matrix per system
	privRoles map[string]bool                // roles conferring privileged access (privilegedRole)
	privOnce  sync.Once                      // fills privRoles
	targets   [2]memo.Table[string, *target] // per grant target: entitlements, then roles, by ID
	active    memo.Table[string, bool]       // reference → has an active human member
	hasAI     bool                           // the inventory holds an AI agent
}

func newEngine(x *entitlement.Index, c Config) *engine {
	x = orEmpty(x)
	e := &engine{
		x: x, pol: c.Policy.WithDefaults(), c: c, layers: newLayers(x, c),
	}
	for _, id := range x.Inventory().Identities {
		if id.Kind == entitlement.AIAgent {
			e.hasAI = true
			break
		}
	}
	return e
}

// entMatrix returns the effective matrix of a known entitlement.
func (e *engine) entMatrix(ent entitlement.Entitlement) *resolved {
	return e.ents.Get(ent.ID, func() *resolved { return e.layers.entitlementOver(e.sysMatrix(ent.SystemName()), ent) })
}

// sysMatrix returns the effective matrix of a system (the global one when
// the system has no override).
func (e *engine) sysMatrix(sys string) *resolved {
	return e.systems.Get(sys, func() *resolved { return e.layers.system(sys) })
}

// conferred returns the IDs of the entitlements grant gi of the holder
// confers through its target, sorted, regardless of time; nil for an
// unknown target. The result is shared: read only.
func conferred(h *entitlement.Holder, gi int) []string {
	return h.ConferredIDs(gi)
}

// isActive reports whether a reference names a party with at least one
// active human member, or an active person (see ActiveOwner).
func (e *engine) isActive(ref string) bool {
	return e.active.Get(ref, func() bool { return ActiveOwner(e.x, ref) })
}

// includes reports whether the reference covers an identity: the identity
// is a member of the party, or is the person.
func (e *engine) includes(ref, identity string) bool {
	switch kindOf(e.x, ref) {
	case refParty:
		return e.x.IsMember(ref, identity)
	case refPerson:
		return ref == identity
	}
	return false
}

// overlap reports whether two references name the same party or person,
// or one is a person who belongs to the other's party.
func (e *engine) overlap(a, b string) bool {
	if a == b {
		return true
	}
	ka, kb := kindOf(e.x, a), kindOf(e.x, b)
	return (ka == refPerson && kb == refParty && e.x.IsMember(b, a)) ||
		(kb == refPerson && ka == refParty && e.x.IsMember(a, b))
}

// function returns the function of a party, or of a person's team; zero
// when unknown.
func (e *engine) function(ref string) entitlement.PartyFunction {
	switch kindOf(e.x, ref) {
	case refParty:
		p, _ := e.x.Party(ref)
		return p.Function
	case refPerson:
		team, _ := e.x.IdentityTeam(ref)
		if p, ok := e.x.Party(team); ok {
			return p.Function
		}
	}
	return 0
}

// describe renders a reference for evidence: "iam-governance (party,
// identity_governance)", "ines (person)", "ghost (unknown)".
func (e *engine) describe(ref string) string {
	switch kindOf(e.x, ref) {
	case refParty:
		p, _ := e.x.Party(ref)
		fn := p.Function.String()
		if fn == "" {
			fn = "function unspecified"
		}
		return fmt.Sprintf("%s (party, %s)", ref, fn)
	case refPerson:
		return ref + " (person)"
	case refMachine:
		return ref + " (non-human identity)"
	}
	return ref + " (unknown)"
}

func (e *engine) describeAll(refs []string) string {
	parts := make([]string, len(refs))
	for i, r := range refs {
		parts[i] = e.describe(r)
	}
	return strings.Join(parts, ", ")
}

// identityEvidence names an identity with its kind and status.
func identityEvidence(id entitlement.Identity) audit.Evidence {
	return audit.Evidence{Label: "identity", Value: fmt.Sprintf("%s (%s, %s)", id.ID, id.Kind, id.Status)}
}

func grantSubject(g entitlement.Grant) audit.Subject { return audit.Subject{Type: "grant", ID: g.ID} }

func targetEvidence(g entitlement.Grant) audit.Evidence {
	typ, id := g.Target()
	return audit.Evidence{Label: typ, Value: id}
}

// privileged reports whether an entitlement needs the stricter severity:
// privileged, or at least high risk (unassessed counts as high).
func privileged(ent entitlement.Entitlement) bool {
	return ent.Privileged || ent.Risk.AtLeast(entitlement.RiskHigh)
}
