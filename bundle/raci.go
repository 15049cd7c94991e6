package bundle

import (
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/suggest"
	"github.com/sodkit/sodkit/raci"
)

// raciSection reads the "raci" section (docs/raci.md):
//
//	{"policy": {...}, "matrix": {"define_policy": {...}, ...}, "overrides": [...]}
//
// Several files may each hold one. Their matrices merge row by row, an
// activity assigned in two files being an error; their overrides are
// concatenated (two overrides of one scope are a validation error); only
// one file may set the policy.
//
// Records, for errors: the policy is "raci policy", a row of the global
// matrix "raci matrix ACTIVITY", an override "raci override entitlement
// E", "raci override system S" or, without a valid scope, "raci override
// #N" (its position across files); raci.Config.Validate names them the
// same way.
func (d *decoder) raciSection() error {
	c := &d.b.RACI
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "policy":
				if !raciPolicyZero(c.Policy) {
					d.bad(fmt.Errorf("%w: the raci policy is set in more than one file", entitlement.ErrDuplicate))
					return d.fatal(d.r.Skip())
				}
				rec := d.begin("raci", 0)
				rec.id = "policy"
				err := d.raciPolicy(&c.Policy)
				d.end(rec)
				return err
			case "matrix":
				if c.Matrix == nil {
					c.Matrix = raci.Matrix{}
				}
				return d.object(func(act string) error {
					return d.field(act, func() error {
						a, ok := raciActivity(act)
						switch {
						case !ok:
							d.bad(errActivity(act))
							return d.fatal(d.r.Skip())
						case hasRow(c.Matrix, a):
							d.bad(fmt.Errorf("%w: activity %s is assigned in more than one file", entitlement.ErrDuplicate, act))
							return d.fatal(d.r.Skip())
						}
						rec := d.begin("raci matrix", 0)
						rec.id = a.String()
						var row raci.Assignment
						err := d.raciRow(&row)
						d.end(rec)
						c.Matrix[a] = row
						return err
					})
				})
			case "overrides":
				return d.array(func(int) error {
					rec := d.begin("raci override", len(c.Overrides))
					var o raci.Override
					err := d.raciOverride(&o)
					if typ, id := o.Scope(); typ != "" {
						rec.id = typ + " " + id
					}
					d.end(rec)
					c.Overrides = append(c.Overrides, o)
					return err
				})
			}
			return d.unknownHere(key)
		})
	})
}

func hasRow(m raci.Matrix, a raci.Activity) bool {
	_, ok := m[a]
	return ok
}

// raciActivity maps a member name to an activity; only the exact names of
// the format are accepted.
func raciActivity(name string) (raci.Activity, bool) {
	a, err := raci.ParseActivity(name)
	return a, err == nil && a.String() == name
}

func raciActivityNames() []string {
	var names []string
	for _, a := range raci.Activities() {
		names = append(names, a.String())
	}
	return names
}

// errActivity is the error about a matrix member that names no activity,
// with the nearest activities and the list of all.
func errActivity(act string) error {
	names := raciActivityNames()
	return fmt.Errorf("%w %q%s (want an activity: %s)", ErrUnknownField, act, suggest.Hint(act, names), strings.Join(names, ", "))
}

func raciPolicyZero(p raci.Policy) bool {
	return p.MaxCredentialAge == 0 && p.DormantAfter == 0 && p.RecertifyEvery == 0 &&
		p.PrivilegedRecertifyEvery == 0 && p.RecertificationOwners == nil && p.Certifiers == nil
}

func (d *decoder) raciPolicy(p *raci.Policy) error {
	functions := func(dst *[]entitlement.PartyFunction) error {
		*dst = []entitlement.PartyFunction{} // present means "exactly these"
		return list(d, dst, func(f *entitlement.PartyFunction) error { return d.enum(f) })
	}
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "max_credential_age":
				return d.raciDuration(&p.MaxCredentialAge)
			case "dormant_after":
				return d.raciDuration(&p.DormantAfter)
			case "recertify_every":
				return d.raciDuration(&p.RecertifyEvery)
			case "privileged_recertify_every":
				return d.raciDuration(&p.PrivilegedRecertifyEvery)
			case "recertification_owners":
				return functions(&p.RecertificationOwners)
			case "certifiers":
				return functions(&p.Certifiers)
			}
			return d.unknownHere(key)
		})
	})
}

// raciDuration reads a policy duration. Zero is rejected: in Go a zero
// field means the default, so a file that writes one most likely means
// something else.
func (d *decoder) raciDuration(dst *time.Duration) error {
	zero := false
	err := d.text(func(s string) error {
		v, err := ParseDuration(s)
		if err != nil {
			return err
		}
		zero = v == 0
		*dst = v
		return nil
	})
	if zero {
		d.bad(fmt.Errorf("%w: a zero duration; leave the member out for the default", entitlement.ErrInvalid))
	}
	return err
}

// raciRow reads one assignment: {"responsible": [...], "accountable":
// [...], "consulted": [...], "informed": [...]}.
func (d *decoder) raciRow(a *raci.Assignment) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "responsible":
				return d.refs(&a.Responsible)
			case "accountable":
				return d.refs(&a.Accountable)
			case "consulted":
				return d.refs(&a.Consulted)
			case "informed":
				return d.refs(&a.Informed)
			}
			return d.unknownHere(key)
		})
	})
}

// raciOverride reads one override: {"entitlement": E} or {"system": S},
// with its "matrix".
func (d *decoder) raciOverride(o *raci.Override) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "entitlement":
				return d.ref(&o.Entitlement)
			case "system":
				return d.ref(&o.System)
			case "matrix":
				o.Matrix = raci.Matrix{}
				return d.object(func(act string) error {
					return d.field(act, func() error {
						a, ok := raciActivity(act)
						if !ok {
							d.bad(errActivity(act))
							return d.fatal(d.r.Skip())
						}
						var row raci.Assignment
						err := d.raciRow(&row)
						o.Matrix[a] = row
						return err
					})
				})
			}
			return d.unknownHere(key)
		})
	})
}
