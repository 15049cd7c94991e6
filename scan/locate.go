package scan

import (
	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
)

// locator places each finding of a scan at the record it is about
// (audit.Location), from where the loader read that record. Run and Stream
// place findings through the same locator, fed the same calls, so they
// place them alike:
//
//   - a finding of a check's Identity call about that identity or one of
//     its grants is placed where the identity, or the grant, was read (a
//     grant whose line is unknown at its holder's record), from the
//     origins the identity arrives with;
//   - a finding of Finish, or of the bundle itself, about a grant is
//     placed only if the grant was kept while its identity passed: the
//     break-glass grants, the only grants a check reports on once every
//     identity is seen (a streamed bundle holds no grant, nor its origin,
//     after its identity has passed; keeping every grant's would make
//     memory grow with the grants);
//   - any other finding is placed at its subject's record, as
//     bundle.Bundle.Origin finds it, a system's at its RACI override;
//   - a finding about no single record (a RACI activity across the whole
//     matrix) is not placed.
//
// A finding that arrives placed (an import's data-quality note) keeps its
// location if it names one of the bundle's inputs; a location must point
// into the report's inputs.
type locator struct {
	b      *bundle.Bundle
	inputs map[string]bool           // the names of b's inputs
	kept   map[string]audit.Location // grant ID → where it was read, for grants Finish may report on
}

func newLocator(b *bundle.Bundle) *locator {
	l := &locator{b: b, inputs: make(map[string]bool, len(b.Inputs)), kept: map[string]audit.Location{}}
	for _, in := range b.Inputs {
		l.inputs[in.Name] = true
	}
	return l
}

// keep remembers where the grants of id that a check may report on in
// Finish were read. It is called once per identity, from one goroutine.
func (l *locator) keep(id entitlement.Identity, where bundle.IdentityOrigin) {
	for k, g := range id.Grants {
		if g.Source == entitlement.SourceBreakGlass && g.ID != "" {
			l.kept[g.ID] = grantAt(where, k)
		}
	}
}

// identity places the findings the checks' Identity calls returned for id,
// read at where. It only reads the locator, so workers call it at once.
func (l *locator) identity(fs []audit.Finding, id entitlement.Identity, where bundle.IdentityOrigin) {
	var grants map[string]int // grant ID → position, built for the first grant finding
	for i := range fs {
		f := &fs[i]
		if l.placed(f) {
			continue
		}
		switch s := f.Subject; {
		case s.Type == "identity" && s.ID == id.ID:
			f.Location = location(where.Origin)
		case s.Type == "grant":
			if grants == nil {
				grants = make(map[string]int, len(id.Grants))
				for k := len(id.Grants) - 1; k >= 0; k-- {
					grants[id.Grants[k].ID] = k
				}
			}
			if k, ok := grants[s.ID]; ok {
				f.Location = grantAt(where, k)
			}
		default:
			f.Location = l.record(s)
		}
	}
}

// finish places the findings of Finish and of the bundle itself, once
// every identity has passed.
func (l *locator) finish(fs []audit.Finding) {
	for i := range fs {
		f := &fs[i]
		if l.placed(f) {
			continue
		}
		if f.Subject.Type == "grant" {
			f.Location = l.kept[f.Subject.ID]
			continue
		}
		f.Location = l.record(f.Subject)
	}
}

// placed reports whether f arrived with a location in one of the inputs;
// it clears any other location.
func (l *locator) placed(f *audit.Finding) bool {
	if f.Location.IsZero() {
		return false
	}
	if l.inputs[f.Location.File] {
		return true
	}
	f.Location = audit.Location{}
	return false
}

// record returns where the record of subject s (not a grant) was read.
func (l *locator) record(s audit.Subject) audit.Location {
	typ, id := s.Type, s.ID
	if typ == "system" {
		// raci reports a system's gaps on the system; its RACI is the
		// override record that names it.
		typ, id = "raci override", "system "+id
	}
	o, ok := l.b.Origin(typ, id)
	if !ok {
		return audit.Location{}
	}
	return location(o)
}

// grantAt returns where grant k of an identity read at where was read: the
// grant's line, else its holder's record (an import that kept no line for
// the grant), else the grant's input.
func grantAt(where bundle.IdentityOrigin, k int) audit.Location {
	var g bundle.Origin
	if k < len(where.Grants) {
		g = where.Grants[k]
	}
	if g.Line <= 0 && where.File != "" {
		return location(where.Origin)
	}
	return location(g)
}

func location(o bundle.Origin) audit.Location { return audit.Location{File: o.File, Line: o.Line} }
