// Package evidence turns the entitlement package's explanations into the
// audit package's evidence: the one place where an access path becomes the
// steps a finding shows. entitlement and audit import nothing of each
// other, so the check packages share this converter instead of each
// keeping its own.
package evidence

import (
	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// Path returns p as evidence steps: the grant, each role of its chain,
// then the entitlement when the path reaches one.
func Path(p entitlement.Path) []audit.Step {
	roles := p.Roles()
	out := make([]audit.Step, 0, len(roles)+2)
	out = append(out, audit.Step{Type: "grant", ID: p.Grant})
	for _, r := range roles {
		out = append(out, audit.Step{Type: "role", ID: r})
	}
	if p.Entitlement != "" {
		out = append(out, audit.Step{Type: "entitlement", ID: p.Entitlement})
	}
	return out
}
