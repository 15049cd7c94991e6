package raci

import (
	"slices"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// nActivities bounds the activity values, for arrays indexed by activity.
const nActivities = len(activityNames)

// source says where one cell of an effective matrix was assigned: the scope
// it belongs to (the subject of findings about it) and, for people, which
// record assigned it.
type source struct {
	scope audit.Subject // {"matrix","global"}, {"system",S} or {"entitlement",E}
	by    string        // "raci matrix", "raci override system erp", "entitlement erp:x policy_owner", …
}

// cell is one letter of one activity in an effective matrix.
type cell struct {
	refs []string
	src  source
}

// resolved is an effective matrix: every cell with its source. Index 0 of
// the activities is unused.
type resolved [nActivities][nLetters]cell

var globalScope = audit.Subject{Type: "matrix", ID: "global"}

// layers holds the config's matrices, indexed by scope. Invalid rows and
// overrides are left out; of two overrides of one scope the first counts.
type layers struct {
	global   Matrix
	systems  map[string]Matrix
	ents     map[string]Matrix
	sysNames map[string]bool // systems that have entitlements
}

func newLayers(x *entitlement.Index, c Config) layers {
	l := layers{global: c.Matrix, systems: map[string]Matrix{}, ents: map[string]Matrix{}, sysNames: map[string]bool{}}
	for _, e := range x.Inventory().Entitlements {
		l.sysNames[e.SystemName()] = true
	}
	for _, o := range c.Overrides {
		switch typ, id := o.Scope(); typ {
		case "entitlement":
			if _, dup := l.ents[id]; !dup {
				l.ents[id] = o.Matrix
			}
		case "system":
			if _, dup := l.systems[id]; !dup {
				l.systems[id] = o.Matrix
			}
		}
	}
	return l
}

// apply lays the valid rows of m over r, each replacing a whole row.
func (r *resolved) apply(m Matrix, src source) {
	for a, row := range m {
		if !a.Valid() {
			continue
		}
		for l := range nLetters {
			r[a][l] = cell{refs: clean(row.parties(l)), src: src}
		}
	}
}

func (l layers) base() *resolved {
	r := new(resolved)
	for a := range r {
		for k := range r[a] {
			r[a][k].src = source{scope: globalScope, by: "raci matrix"}
		}
	}
	r.apply(l.global, source{scope: globalScope, by: "raci matrix"})
	return r
}

func (l layers) system(sys string) *resolved {
	r := l.base()
	scope := audit.Subject{Type: "system", ID: sys}
	r.apply(l.systems[sys], source{scope: scope, by: "raci override system " + sys})
	return r
}

// entitlement resolves the effective matrix of e: global matrix, system
// override, catalogue fields, entitlement override.
func (l layers) entitlement(e entitlement.Entitlement) *resolved {
	return l.entitlementOver(l.system(e.SystemName()), e)
}

// entitlementOver resolves the effective matrix of e over the effective
// matrix of its system, which it does not modify.
func (l layers) entitlementOver(sys *resolved, e entitlement.Entitlement) *resolved {
	r := new(resolved)
	*r = *sys
	scope := audit.Subject{Type: "entitlement", ID: e.ID}
	cat := func(a Activity, k letter, refs []string, field string) {
		if refs = clean(refs); len(refs) > 0 {
			r[a][k] = cell{refs: refs, src: source{scope: scope, by: "entitlement " + e.ID + " " + field}}
		}
	}
	cat(DefinePolicy, accountable, []string{e.PolicyOwner}, "policy_owner")
	cat(Provision, responsible, []string{e.Fulfiller}, "fulfiller")
	cat(ApproveRequest, responsible, e.ApprovalPath, "approval_path")
	r.apply(l.ents[e.ID], source{scope: scope, by: "raci override entitlement " + e.ID})
	return r
}

// matrix converts r into a Matrix with a row for every activity.
func (r *resolved) matrix() Matrix {
	m := make(Matrix, nActivities-1)
	for _, a := range Activities() {
		var row Assignment
		for l := range nLetters {
			row.set(l, slices.Clone(r[a][l].refs))
		}
		m[a] = row
	}
	return m
}

// Resolve returns the effective matrix of one entitlement, with a row for
// every activity, and false for an entitlement x does not know. A nil x is
// an empty inventory.
//
// The effective matrix starts from the global matrix; an override of the
// entitlement's system replaces the rows it lists; then the entitlement's
// own catalogue fields replace single cells (its PolicyOwner becomes the
// Accountable party of define_policy, its Fulfiller the Responsible party
// of provision, its ApprovalPath the Responsible parties of
// approve_request, each only when set); last, an override of the
// entitlement itself replaces the rows it lists. Invalid rows and
// overrides are skipped (see Config.Validate); of two overrides of one
// scope, the first counts. The result shares no memory with c.
func (c Config) Resolve(x *entitlement.Index, ent string) (Matrix, bool) {
	x = orEmpty(x)
	e, ok := x.Entitlement(ent)
	if !ok {
		return nil, false
	}
	return newLayers(x, c).entitlement(e).matrix(), true
}

// clean returns refs without empty and repeated entries, in order. Empty
// references name nobody; Config.Validate rejects them and repeats.
func clean(refs []string) []string {
	var out []string
	for _, r := range refs {
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}
