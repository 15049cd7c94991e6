package raci

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// maxMentions bounds the "named in" evidence of one finding; past it, one
// line counts the rest.
const maxMentions = 20

// mention is one place a reference is named.
type mention struct {
	where  string // "raci matrix: accountable for revoke", "entitlement erp:x: policy_owner"
	strong bool   // Accountable, Responsible, owner, fulfiller or approver, not just consulted or informed
}

// references reports references to nothing (raci.unknown-reference) and
// parties or people that are named but have no active member
// (raci.inactive-party), each once, with every place it is named.
func (e *engine) references() []audit.Finding {
	named := map[string][]mention{}
	row := func(prefix string, m Matrix) {
		for _, a := range m.activities() {
			if !a.Valid() {
				continue
			}
			for l := range nLetters {
				for _, ref := range clean(m[a].parties(l)) {
					named[ref] = append(named[ref], mention{
						where:  fmt.Sprintf("%s: %s for %s", prefix, l, a),
						strong: l == accountable || l == responsible,
					})
				}
			}
		}
	}
	row("raci matrix", e.c.Matrix)
	var out []audit.Finding
	for i, o := range e.c.Overrides {
		typ, id := o.Scope()
		name := overrideName(i, o)
		row("raci override "+name, o.Matrix)
		switch {
		case typ == "entitlement":
			if _, ok := e.x.Entitlement(id); !ok {
				out = append(out, e.unknownScope(typ, id, name))
			}
		case typ == "system":
			if !e.layers.sysNames[id] {
				out = append(out, e.unknownScope(typ, id, name))
			}
		}
	}
	inv := e.x.Inventory()
	for _, ent := range inv.Entitlements {
		if ent.PolicyOwner != "" {
			named[ent.PolicyOwner] = append(named[ent.PolicyOwner], mention{"entitlement " + ent.ID + ": policy_owner", true})
		}
		if ent.Fulfiller != "" {
			named[ent.Fulfiller] = append(named[ent.Fulfiller], mention{"entitlement " + ent.ID + ": fulfiller", true})
		}
		for _, p := range clean(ent.ApprovalPath) {
			named[p] = append(named[p], mention{"entitlement " + ent.ID + ": approval_path", true})
		}
	}
	for _, r := range inv.Roles {
		if r.Owner != "" {
			named[r.Owner] = append(named[r.Owner], mention{"role " + r.ID + ": owner", true})
		}
	}

	for _, ref := range slices.Sorted(maps.Keys(named)) {
		ms := named[ref]
		strong := slices.ContainsFunc(ms, func(m mention) bool { return m.strong })
		where := mentionEvidence(ms)
		switch kindOf(e.x, ref) {
		case refUnknown, refMachine:
			what := "no party or person has this ID"
			if kindOf(e.x, ref) == refMachine {
				what = "it is a non-human identity, which cannot hold a RACI assignment"
			}
			f := kinds.Get(KindUnknownReference).New("", audit.Subject{Type: "party", ID: ref},
				fmt.Sprintf("the RACI config names %q, but %s; the assignments that name it count as unstaffed", ref, what),
				append([]audit.Evidence{{Label: "reference", Value: e.describe(ref)}}, where...)...)
			f.Remediation = "Name an existing party (team) or person, or add the party to the inventory with its members."
			out = append(out, f)
		default:
			if e.isActive(ref) {
				continue
			}
			sev, subject := audit.Low, audit.Subject{Type: "party", ID: ref}
			if strong {
				sev = audit.High
			}
			msg := fmt.Sprintf("party %s is named in %d place(s) but has no active member", ref, len(ms))
			if kindOf(e.x, ref) == refPerson {
				id, _ := e.x.Identity(ref)
				subject = audit.Subject{Type: "identity", ID: ref}
				msg = fmt.Sprintf("%s is named in %d place(s) but is %s", ref, len(ms), id.Status)
			} else if members := e.x.Members(ref); len(members) > 0 {
				msg += fmt.Sprintf(" (%d member(s), all disabled, offboarded or non-human)", len(members))
			} else {
				msg += " (no members at all)"
			}
			f := kinds.Get(KindInactiveParty).New("", subject, msg,
				append([]audit.Evidence{{Label: "party", Value: e.describe(ref)}, {Label: "active members", Value: "none"}}, where...)...)
			f.Severity = sev
			out = append(out, f)
		}
	}
	return out
}

// mentionEvidence lists where a reference is named, sorted, at most
// maxMentions lines and then a count of the rest.
func mentionEvidence(ms []mention) []audit.Evidence {
	where := make([]string, len(ms))
	for i, m := range ms {
		where[i] = m.where
	}
	slices.Sort(where)
	where = slices.Compact(where)
	var out []audit.Evidence
	for i, w := range where {
		if i == maxMentions {
			out = append(out, audit.Evidence{Label: "named in", Value: fmt.Sprintf("%d more place(s)", len(where)-maxMentions)})
			break
		}
		out = append(out, audit.Evidence{Label: "named in", Value: w})
	}
	return out
}

func (e *engine) unknownScope(typ, id, name string) audit.Finding {
	what := "no entitlement has this ID"
	if typ == "system" {
		what = "no entitlement belongs to this system"
	}
	f := kinds.Get(KindUnknownReference).New("", audit.Subject{Type: typ, ID: id},
		fmt.Sprintf("a RACI override applies to %s %s, but %s; the override applies to nothing", typ, id, what),
		audit.Evidence{Label: "override", Value: "raci override " + name})
	f.Remediation = "Correct the override's scope, or remove the override."
	return f
}

// matrixGaps checks the effective matrix of every scope the config and the
// catalogue define: the global matrix, each system override, each
// entitlement. A gap is reported on the scope that assigned the cells
// concerned, so a gap in the global matrix is reported once, not once per
// entitlement that inherits it.
func (e *engine) matrixGaps() []audit.Finding {
	var out []audit.Finding
	own := func(s audit.Subject) func(Activity, cell) bool {
		return func(_ Activity, c cell) bool { return c.src.scope == s }
	}
	base := e.layers.base()
	out = append(out, e.gaps(globalScope, base, nil, own(globalScope), false)...)
	for _, sys := range slices.Sorted(maps.Keys(e.layers.systems)) {
		if !e.layers.sysNames[sys] {
			continue // reported as an unknown reference
		}
		s := audit.Subject{Type: "system", ID: sys}
		out = append(out, e.gaps(s, e.layers.system(sys), base, own(s), false)...)
	}
	for _, ent := range e.x.Inventory().Entitlements {
		s := audit.Subject{Type: "entitlement", ID: ent.ID}
		out = append(out, e.gaps(s, e.entMatrix(ent), e.sysMatrix(ent.SystemName()), own(s), true)...)
	}
	return out
}

// scopeText names a scope in messages.
func scopeText(s audit.Subject) string {
	if s == globalScope {
		return "the global RACI matrix"
	}
	return s.Type + " " + s.ID
}

// gaps checks one effective matrix. It reports only the cells that keep
// accepts, and only the clashes that involve such a cell and that parent
// (the effective matrix of the scope above, nil for none) does not have
// already. With entitlementScope, define_policy without an Accountable
// party is left to the ownership check (raci.no-owner).
func (e *engine) gaps(subject audit.Subject, r, parent *resolved, keep func(Activity, cell) bool, entitlementScope bool) []audit.Finding {
	var out []audit.Finding
	where := scopeText(subject)
	// gap builds a finding of kind about activity a, citing AI RMF
	// GOVERN 2.1 too when a is own_nhi and the inventory has AI agents.
	gap := func(kind audit.Kind, a Activity, msg, remedy string, ev ...audit.Evidence) audit.Finding {
		f := kinds.Get(kind).New("", subject, msg, ev...)
		if a == OwnNHI && e.hasAI {
			f = f.Cite(govern21)
		}
		f.Remediation = remedy
		return f
	}
	for _, a := range Activities() {
		acc, res := r[a][accountable], r[a][responsible]
		actEv := audit.Evidence{Label: "activity", Value: a.String()}
		if keep(a, acc) {
			switch n := len(acc.refs); {
			case n == 0 && !(entitlementScope && a == DefinePolicy):
				out = append(out, gap(KindNoAccountable, a, fmt.Sprintf("no party is accountable for %s in %s", a, where),
					fmt.Sprintf("Name exactly one party accountable for %s.", a),
					actEv, audit.Evidence{Label: "accountable", Value: "nobody"}, audit.Evidence{Label: "assigned by", Value: acc.src.by}))
			case n > 1:
				out = append(out, gap(KindSeveralAccountable, a, fmt.Sprintf("%d parties are accountable for %s in %s: %s", n, a, where, joinRefs(acc.refs)),
					fmt.Sprintf("Keep exactly one accountable party for %s; make the others responsible or consulted.", a),
					actEv, audit.Evidence{Label: "accountable", Value: e.describeAll(acc.refs)}, audit.Evidence{Label: "assigned by", Value: acc.src.by}))
			}
		}
		if keep(a, res) && len(res.refs) == 0 {
			out = append(out, gap(KindNoResponsible, a, fmt.Sprintf("no party is responsible for %s in %s: nobody does the work", a, where),
				fmt.Sprintf("Name the party responsible for %s.", a),
				actEv, audit.Evidence{Label: "responsible", Value: "nobody"}, audit.Evidence{Label: "assigned by", Value: res.src.by}))
		}
	}

	// Policy and execution held by the same party.
	out = append(out, e.clash(subject, r, parent, keep, clashSpec{
		kind: KindPolicyNotSeparated, a: DefinePolicy, la: accountable, b: Provision, lb: responsible,
		message: "%s is accountable for defining access policy and responsible for provisioning it in %s: policy and execution are not separated",
	})...)
	out = append(out, e.clash(subject, r, parent, keep, clashSpec{
		kind: KindApproverProvisions, a: ApproveRequest, la: responsible, b: Provision, lb: responsible,
		message: "%s both approves requests and provisions them in %s: the approval does not check the fulfiller",
	})...)

	// Recertification owned and performed by parties that may.
	var bad []audit.Evidence
	for _, check := range []struct {
		l       letter
		allowed []entitlement.PartyFunction
		role    string
	}{{accountable, e.pol.RecertificationOwners, "owns"}, {responsible, e.pol.Certifiers, "performs"}} {
		c := r[Recertify][check.l]
		if !keep(Recertify, c) {
			continue
		}
		for _, ref := range c.refs {
			if fn := e.function(ref); !slices.Contains(check.allowed, fn) {
				bad = append(bad, audit.Evidence{Label: check.l.String() + " for recertify",
					Value: fmt.Sprintf("%s, %s (%s), allowed: %s", e.describe(ref), check.role, c.src.by, functionList(check.allowed))})
			}
		}
	}
	if len(bad) > 0 {
		out = append(out, kinds.Get(KindRecertificationNotGoverned).New("", subject,
			fmt.Sprintf("recertification in %s is owned or performed by %d party(ies) whose function may not do so", where, len(bad)),
			append([]audit.Evidence{{Label: "activity", Value: Recertify.String()}}, bad...)...))
	}
	return out
}

type clashSpec struct {
	kind    audit.Kind
	a, b    Activity
	la, lb  letter
	message string // Sprintf with the party and the scope
}

// clash reports references that hold cell (a, la) and overlap one holding
// cell (b, lb) in r, when keep accepts either cell, unless parent has the
// same pair already: a clash is reported on the scope that creates it.
func (e *engine) clash(subject audit.Subject, r, parent *resolved, keep func(Activity, cell) bool, s clashSpec) []audit.Finding {
	ca, cb := r[s.a][s.la], r[s.b][s.lb]
	if !keep(s.a, ca) && !keep(s.b, cb) {
		return nil
	}
	var pairs [][2]string
	for _, x := range ca.refs {
		for _, y := range cb.refs {
			if !e.overlap(x, y) {
				continue
			}
			if parent != nil && slices.Contains(parent[s.a][s.la].refs, x) && slices.Contains(parent[s.b][s.lb].refs, y) {
				continue
			}
			pairs = append(pairs, [2]string{x, y})
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	names := make([]string, len(pairs))
	ev := []audit.Evidence{}
	for i, p := range pairs {
		names[i] = p[0]
		ev = append(ev,
			audit.Evidence{Label: fmt.Sprintf("%s for %s", s.la, s.a), Value: fmt.Sprintf("%s (%s)", e.describe(p[0]), ca.src.by)},
			audit.Evidence{Label: fmt.Sprintf("%s for %s", s.lb, s.b), Value: fmt.Sprintf("%s (%s)", e.describe(p[1]), cb.src.by)})
	}
	slices.SortFunc(ev, audit.Evidence.Compare)
	ev = slices.CompactFunc(ev, func(a, b audit.Evidence) bool { return a.Compare(b) == 0 })
	return []audit.Finding{kinds.Get(s.kind).New("", subject,
		fmt.Sprintf(s.message, joinRefs(slices.Compact(slices.Sorted(slices.Values(names)))), scopeText(subject)),
		ev...)}
}

func joinRefs(refs []string) string {
	if len(refs) == 0 {
		return "nobody"
	}
	return strings.Join(refs, ", ")
}

func functionList(fs []entitlement.PartyFunction) string {
	if len(fs) == 0 {
		return "none"
	}
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.String()
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
