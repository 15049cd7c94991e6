package raci

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// Ownership says who answers for one entitlement or one non-human
// identity, and what of it is unowned or unassigned.
type Ownership struct {
	// Subject is {"entitlement", ID} or {"identity", ID}, with the
	// entitlement's or identity's name when it has one.
	Subject audit.Subject `json:"subject"`
	// Rows is the effective RACI matrix: for an entitlement every
	// activity, in matrix order (see Config.Resolve); for a non-human
	// identity the own_nhi row of the global matrix.
	Rows []Row `json:"rows"`
	// Owners lists a non-human identity's named owners, primary first;
	// empty for entitlements.
	Owners []Owner `json:"owners,omitempty"`
	// Gaps lists what is unowned or unassigned, most severe first, then by
	// kind and message; empty when the subject is fully owned.
	Gaps []Gap `json:"gaps"`
}

// Row is one activity of an effective matrix with its assignment.
type Row struct {
	Activity   Activity `json:"activity"` // such as "define_policy"
	Assignment          // who holds each letter of the activity
}

// Owner is one named owner of a non-human identity, with its kind and
// status; both are "unknown" for an identity the inventory does not hold.
type Owner struct {
	ID     string `json:"id"`             // the owner's identity ID
	Name   string `json:"name,omitempty"` // the owner's name for people, "" when none or unknown
	Kind   string `json:"kind"`           // the owner's identity kind ("human", …)
	Status string `json:"status"`         // the owner's status ("active", "offboarded", …)
}

// Gap is one way a subject is unowned or its RACI incomplete: the kind of
// the finding Check reports for it, that finding's severity, and a message.
type Gap struct {
	Kind     audit.Kind     `json:"kind"`     // the kind of the finding Check reports
	Severity audit.Severity `json:"severity"` // that finding's severity
	Message  string         `json:"message"`  // what is missing, for people
}

// Owners returns, for every entitlement of the catalogue and every
// non-human identity of the inventory, who is accountable and what is
// unowned, at time at: entitlements first, each group in ID order.
//
// Unlike Check, which reports a gap once on the scope that assigned it,
// Owners lists for each entitlement every gap of its effective matrix,
// including those it inherits from the global matrix or a system
// override, and names every party of its rows that has no active member.
// For a non-human identity, the gaps are its orphaning (no active owner)
// and the gaps of the own_nhi row. A nil x is an empty inventory.
//
// Owners is a pure function of its arguments and safe for concurrent use.
func Owners(x *entitlement.Index, c Config, at time.Time) []Ownership {
	e := newEngine(x, c)
	inv := e.x.Inventory()
	var out []Ownership
	all := func(Activity, cell) bool { return true }
	for _, ent := range inv.Entitlements {
		r := e.entMatrix(ent)
		o := Ownership{Subject: audit.Subject{Type: "entitlement", ID: ent.ID}, Rows: rows(r, Activities()...)}
		fs := e.gaps(o.Subject, r, nil, all, true)
		o.Subject.Name = displayName(ent.ID, ent.Name)
		fs = append(fs, e.entitlementOwner(ent)...)
		o.Gaps = append(gapsOf(fs), e.unstaffed(r)...)
		sortGaps(o.Gaps)
		out = append(out, o)
	}
	base := e.layers.base()
	for _, id := range inv.Identities {
		if !id.Kind.NonHuman() {
			continue
		}
		o := Ownership{Subject: audit.Subject{Type: "identity", ID: id.ID, Name: displayName(id.ID, id.Name)}, Rows: rows(base, OwnNHI)}
		for _, ref := range id.Owners() {
			ow := Owner{ID: ref, Kind: "unknown", Status: "unknown"}
			if p, ok := e.x.Identity(ref); ok {
				ow.Name, ow.Kind, ow.Status = displayName(p.ID, p.Name), p.Kind.String(), p.Status.String()
			}
			o.Owners = append(o.Owners, ow)
		}
		fs := e.orphaned(x.Holder(id), at)
		fs = append(fs, e.gaps(globalScope, base, nil, func(a Activity, _ cell) bool { return a == OwnNHI }, false)...)
		o.Gaps = append(gapsOf(fs), e.unstaffed(onlyRow(base, OwnNHI))...)
		sortGaps(o.Gaps)
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b Ownership) int { return a.Subject.Compare(b.Subject) })
	return out
}

// rows converts the given activities of r into rows.
func rows(r *resolved, acts ...Activity) []Row {
	out := make([]Row, 0, len(acts))
	for _, a := range acts {
		row := Row{Activity: a}
		for l := range nLetters {
			row.set(l, slices.Clone(r[a][l].refs))
		}
		out = append(out, row)
	}
	return out
}

// onlyRow returns a copy of r that keeps only one activity.
func onlyRow(r *resolved, a Activity) *resolved {
	out := new(resolved)
	out[a] = r[a]
	return out
}

// unstaffed lists the references of r's Accountable and Responsible cells
// that resolve to nothing or have no active member.
func (e *engine) unstaffed(r *resolved) []Gap {
	var out []Gap
	for _, a := range Activities() {
		for _, l := range []letter{accountable, responsible} {
			for _, ref := range r[a][l].refs {
				switch {
				case kindOf(e.x, ref) == refUnknown || kindOf(e.x, ref) == refMachine:
					out = append(out, Gap{Kind: KindUnknownReference, Severity: audit.High,
						Message: fmt.Sprintf("%s, %s for %s, is not a party or a person", ref, l, a)})
				case !e.isActive(ref):
					out = append(out, Gap{Kind: KindInactiveParty, Severity: audit.High,
						Message: fmt.Sprintf("%s, %s for %s, has no active member", ref, l, a)})
				}
			}
		}
	}
	return out
}

func gapsOf(fs []audit.Finding) []Gap {
	out := make([]Gap, 0, len(fs))
	for _, f := range fs {
		out = append(out, Gap{Kind: f.Kind, Severity: f.Severity, Message: f.Message})
	}
	return out
}

func sortGaps(gs []Gap) {
	slices.SortFunc(gs, func(a, b Gap) int {
		return cmp.Or(a.Severity.Compare(b.Severity), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Message, b.Message))
	})
}

// displayName returns name, or "" when it only repeats id.
func displayName(id, name string) string {
	if name == id {
		return ""
	}
	return name
}
