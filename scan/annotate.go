package scan

import (
	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
)

// Annotate adds to findings about the loaded bundle b what a scan adds to
// its own: where each subject's record was read (audit.Finding.Location),
// the names of subjects and of the steps of evidence paths, and the
// accountable owner, by the rules the package doc gives, through the same
// code. Use it for findings that come from elsewhere than Run, such as
// the findings of a what-if decision (sod.Engine.Decide), so they read
// as a scan's do. A finding about a record b does not hold (a proposed
// grant) gets what can be found: its identity's owner, its names.
//
// Annotate changes neither IDs, statuses nor order, and a finding already
// placed in one of b's inputs keeps its location.
func Annotate(b *bundle.Bundle, findings []audit.Finding) {
	a := newAnnotator(b)
	for i := range findings {
		f := findings[i : i+1]
		if id, ok := b.Index.Identity(f[0].Identity); ok && f[0].Identity != "" {
			a.identity(f, id, b.IdentityOrigin(id))
			continue
		}
		a.finish(f)
	}
}

// annotator adds to findings what the checks leave to scan, alike for
// every entry point: where each subject's record was read (locator), the
// names of the subject and of the steps of evidence paths (namer), and
// the accountable owner (owners). Identities are kept as they stream past
// (keep), so findings reported at Finish can be annotated too.
type annotator struct {
	where *locator
	names *namer
	owner *owners
}

func newAnnotator(b *bundle.Bundle) annotator {
	return annotator{where: newLocator(b), names: newNamer(b), owner: newOwners(b)}
}

// keep records what later findings about id need: where it was read, and
// its owner. It is called once per identity, before its findings.
func (a annotator) keep(id entitlement.Identity, where bundle.IdentityOrigin) {
	a.where.keep(id, where)
	a.owner.keep(id)
}

// identity annotates the findings the checks reported for id, read at
// where.
func (a annotator) identity(fs []audit.Finding, id entitlement.Identity, where bundle.IdentityOrigin) {
	a.where.identity(fs, id, where)
	a.names.attach(fs)
	a.owner.identity(fs, id)
}

// finish annotates findings reported once every identity was seen: by
// Finish, by the loader and about waivers.
func (a annotator) finish(fs []audit.Finding) {
	a.where.finish(fs)
	a.names.attach(fs)
	a.owner.finish(fs)
}
