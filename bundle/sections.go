package bundle

import (
	"errors"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/jsonpull"
)

// sectionReader returns the reader of one top-level section of a bundle
// file, and false for a name the format does not define.
//
// The entitlement sections and "waivers" (waiver.go) are flat arrays.
// Each check package owns one object-valued section named after it
// ("sod", "raci", "breakglass"), decoded in this package's file of the
// same name.
func (d *decoder) sectionReader(key string) (func() error, bool) {
	inv := &d.b.Inventory
	switch key {
	case "parties":
		return func() error { return section(d, "party", &inv.Parties, d.party) }, true
	case "entitlements":
		return func() error { return section(d, "entitlement", &inv.Entitlements, d.entitlement) }, true
	case "roles":
		return func() error { return section(d, "role", &inv.Roles, d.role) }, true
	case "identities":
		return d.identities, true
	case "observations":
		return func() error { return section(d, "observation", &inv.Observations, d.observation) }, true
	case "usage":
		return func() error { return section(d, "usage", &inv.Usage, d.usage) }, true
	case "waivers":
		return func() error { return section(d, "waiver", &d.b.Waivers, d.waiver) }, true
	case "breakglass":
		return d.breakGlassSection, true
	case "sod":
		return d.sodSection, true
	case "raci":
		return d.raciSection, true
	}
	return nil, false
}

// identities reads the identities section, handing each identity (with its
// grants) to onIdentity as soon as it is complete; Load's decoders read it
// on all cores (see parallel.go).
func (d *decoder) identities() error {
	if d.parallel && d.lines == nil {
		if n := parallelWorkers(); n > 0 {
			return d.identitiesParallel(n)
		}
	}
	return d.array(func(int) error { return d.identityInPlace() })
}

// identityInPlace reads one identity at the reader's position.
func (d *decoder) identityInPlace() error {
	rec := d.begin("identity", d.nIdentities)
	d.nIdentities++
	var id entitlement.Identity
	var from int64 = -1
	if d.spans != nil && d.r.Peek() == jsonpull.Object {
		from = d.r.Pos().Offset
	}
	err := d.identity(&id)
	d.end(rec)
	if err != nil {
		return err
	}
	if from >= 0 {
		*d.spans = append(*d.spans, span{off: from, n: int(d.r.Pos().Offset - from)})
	}
	d.lastKey = recordKey("identity", rec.name(), "")
	err = d.onIdentity(id)
	d.lastKey = ""
	d.release(rec)
	return err
}

// validateSections checks the check packages' sections against the
// validated inventory, once every file is read. Each package contributes
// one call; problems are *entitlement.RecordError values, placed in their
// files by Load.
func (l *loader) validateSections(x *entitlement.Index) error {
	var errs []error
	errs = append(errs, l.b.BreakGlass.Validate(x))
	errs = append(errs, validateSoD(&l.b.SoD))
	errs = append(errs, l.b.RACI.Validate(x))
	errs = append(errs, validateWaivers(l.b.Waivers))
	return errors.Join(errs...)
}
