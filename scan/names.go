package scan

import (
	"slices"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
)

// namer gives each finding of a scan the names, for people, of the
// records it names: its subject's (audit.Subject.Name) and those of the
// roles and entitlements on its evidence paths (audit.Step.Name). Checks
// report IDs only; the names come from the bundle's directory, which Run
// and Stream both hold whole (identities without their grants, roles,
// entitlements, parties, sod rules), so the two name findings alike.
//
// A subject is named when it is an identity (or a break-glass account,
// which is one), an entitlement, a role, a party or an sod rule that the
// bundle knows and that has a name other than its ID; other subjects
// (grants, sessions, exceptions, systems, …) have no names. Names never
// take part in a finding's ID. A finding that arrives named keeps its
// names.
//
// The namer never writes into memory the checks or the bundle may share:
// a finding whose path gains a name gets its own copy of its evidence and
// of that path.
type namer struct {
	x     *entitlement.Index
	rules map[string]string // sod rule ID → its title, for rules that have one
}

func newNamer(b *bundle.Bundle) *namer {
	n := &namer{x: b.Index, rules: map[string]string{}}
	for _, r := range b.SoD.Rules {
		if r.Title != "" {
			if _, dup := n.rules[r.ID]; !dup {
				n.rules[r.ID] = r.Title
			}
		}
	}
	return n
}

// name returns the name of the record of type typ and ID id, or "" when
// it has none, has one equal to its ID, or is not known.
func (n *namer) name(typ, id string) string {
	var name string
	switch typ {
	case "identity", "account":
		if v, ok := n.x.Identity(id); ok {
			name = v.Name
		}
	case "entitlement":
		if v, ok := n.x.Entitlement(id); ok {
			name = v.Name
		}
	case "role":
		if v, ok := n.x.Role(id); ok {
			name = v.Name
		}
	case "party":
		if v, ok := n.x.Party(id); ok {
			name = v.Name
		}
	case "rule":
		name = n.rules[id]
	}
	if name == id {
		return ""
	}
	return name
}

// attach names the subjects and path steps of fs. It only reads the
// namer, so workers call it at once, each on its own findings.
func (n *namer) attach(fs []audit.Finding) {
	for i := range fs {
		f := &fs[i]
		if f.Subject.Name == "" {
			f.Subject.Name = n.name(f.Subject.Type, f.Subject.ID)
		}
		own := false // whether f.Evidence is a copy of its own yet
		for j := range f.Evidence {
			p, named := n.path(f.Evidence[j].Path)
			if !named {
				continue
			}
			if !own {
				f.Evidence, own = slices.Clone(f.Evidence), true
			}
			f.Evidence[j].Path = p
		}
	}
}

// path returns a copy of p with its steps named, and true, or nil and
// false when no step gains a name.
func (n *namer) path(p []audit.Step) ([]audit.Step, bool) {
	var out []audit.Step
	for k, s := range p {
		if s.Name != "" {
			continue
		}
		name := n.name(s.Type, s.ID)
		if name == "" {
			continue
		}
		if out == nil {
			out = slices.Clone(p)
		}
		out[k].Name = name
	}
	return out, out != nil
}
