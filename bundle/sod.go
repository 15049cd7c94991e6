package bundle

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/jsonpull"
	"github.com/sodkit/sodkit/sod"
)

// sodSection reads the "sod" section: {"policy": {...}, "duties": [...],
// "rules": [...], "exceptions": [...]}. Several files may each add duties,
// rules and exceptions; only one may set the policy.
func (d *decoder) sodSection() error {
	p := &d.b.SoD
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "policy":
				if d.sodPolicySeen {
					d.bad(fmt.Errorf("%w: the sod policy is set in more than one file", entitlement.ErrDuplicate))
					return d.fatal(d.r.Skip())
				}
				d.sodPolicySeen = true
				rec := d.begin("policy", 0)
				rec.id = "sod"
				err := d.sodPolicy(p)
				d.end(rec)
				return err
			case "duties":
				return section(d, "duty", &p.Duties, d.duty)
			case "rules":
				return section(d, "rule", &p.Rules, d.rule)
			case "exceptions":
				return section(d, "exception", &p.Exceptions, d.exception)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) sodPolicy(p *sod.Config) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "exception_approvers":
				return d.refs(&p.Policy.ExceptionApprovers)
			case "max_exception_duration":
				return d.duration(&p.Policy.MaxExceptionDuration)
			case "max_renewals":
				return d.optInt(&p.Policy.MaxRenewals)
			case "separations":
				p.Policy.Separations = []sod.Separation{} // present means "exactly these"
				return list(d, &p.Policy.Separations, d.separation)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) separation(s *sod.Separation) error {
	actor := func(dst *sod.Actor) error {
		return d.text(func(v string) error {
			a, err := sod.ParseActor(v)
			*dst = a
			return err
		})
	}
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "a":
				return actor(&s.A)
			case "b":
				return actor(&s.B)
			case "team":
				return d.boolean(&s.Team)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) duty(u *sod.Duty) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&u.ID)
				d.rec.id = u.ID
				return err
			case "name":
				return d.str(&u.Name)
			case "description":
				return d.str(&u.Description)
			case "entitlements":
				return d.refs(&u.Entitlements)
			case "roles":
				return d.refs(&u.Roles)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) rule(r *sod.Rule) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&r.ID)
				d.rec.id = r.ID
				return err
			case "title":
				return d.str(&r.Title)
			case "description":
				return d.str(&r.Description)
			case "severity":
				return d.enum(&r.Severity)
			case "controls":
				return d.controls(&r.Controls)
			case "sides":
				return list(d, &r.Sides, d.side)
			case "k":
				var k *int
				if err := d.optInt(&k); err != nil {
					return err
				}
				if k != nil {
					if *k < 1 {
						d.bad(fmt.Errorf("%w: k = %d, want at least 1 (omit k to require every side)", entitlement.ErrInvalid, *k))
					}
					r.K = *k
				}
				return nil
			case "scope":
				return d.text(func(v string) error {
					s, err := sod.ParseScope(v)
					r.Scope = s
					return err
				})
			case "dynamic":
				return d.boolean(&r.Dynamic)
			case "owner":
				return d.ref(&r.Owner)
			case "exception_approvers":
				return d.refs(&r.ExceptionApprovers)
			case "max_exception_duration":
				return d.duration(&r.MaxExceptionDuration)
			case "max_renewals":
				return d.optInt(&r.MaxRenewals)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) side(s *sod.Side) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "duty":
				return d.ref(&s.Duty)
			case "name":
				return d.str(&s.Name)
			case "entitlements":
				return d.refs(&s.Entitlements)
			case "roles":
				return d.refs(&s.Roles)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) exception(x *sod.Exception) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&x.ID)
				d.rec.id = x.ID
				return err
			case "rule":
				return d.ref(&x.Rule)
			case "identity":
				return d.ref(&x.Identity)
			case "party":
				return d.ref(&x.Party)
			case "owner":
				return d.ref(&x.Owner)
			case "approver":
				return d.ref(&x.Approver)
			case "approved_at":
				return d.timestamp(&x.ApprovedAt)
			case "reason":
				return d.str(&x.Reason)
			case "compensating_control":
				return d.str(&x.CompensatingControl)
			case "valid_from":
				return d.timestamp(&x.ValidFrom)
			case "valid_until":
				return d.timestamp(&x.ValidUntil)
			case "renewals":
				var n *int
				err := d.optInt(&n)
				if n != nil {
					x.Renewals = *n
				}
				return err
			}
			return d.unknownHere(key)
		})
	})
}

// optInt reads a non-negative integer into a new int (null leaves dst
// nil).
func (d *decoder) optInt(dst **int) error {
	switch d.r.Peek() {
	case jsonpull.Null:
		return d.fatal(d.r.Null())
	case jsonpull.Number:
	default:
		return d.typeErr("an integer")
	}
	s, err := d.r.Number()
	if err != nil {
		return d.fatal(err)
	}
	n, convErr := strconv.Atoi(s)
	if convErr != nil || n < 0 {
		d.bad(fmt.Errorf("%w: want a non-negative integer, found %s", ErrType, s))
		return nil
	}
	*dst = &n
	return nil
}

// frameworks maps the short framework names a bundle may use to the
// catalogues findings cite; the full names are accepted too.
var frameworks = map[string]audit.Framework{
	"sp800-53": audit.SP80053, "csf": audit.CSF, "nhi": audit.NHI, "ai-rmf": audit.AIRMF, "rbac": audit.RBAC,
}

// controls reads control references [{"framework": "sp800-53", "id":
// "AC-5"}]; each must be in sodkit's catalogue.
func (d *decoder) controls(dst *[]audit.Control) error {
	return d.array(func(i int) error {
		return d.elem(i, func() error {
			var fw, id string
			err := d.object(func(key string) error {
				return d.field(key, func() error {
					switch key {
					case "framework":
						return d.str(&fw)
					case "id":
						return d.str(&id)
					}
					return d.unknownHere(key)
				})
			})
			if err != nil {
				return err
			}
			c := audit.Control{Framework: audit.Framework(fw), ID: id}
			if f, ok := frameworks[strings.ToLower(fw)]; ok {
				c.Framework = f
			}
			if !c.Known() {
				d.bad(fmt.Errorf("%w: control %q %q is not in sodkit's catalogue (frameworks: sp800-53, csf, nhi, ai-rmf, rbac)", entitlement.ErrInvalid, fw, id))
				return nil
			}
			*dst = append(*dst, c)
			return nil
		})
	})
}

// validateSoD checks the sod section's structure; references into the
// catalogue are left to the engine, which reports unresolved ones as
// indeterminate findings.
func validateSoD(p *sod.Config) error {
	err := p.Validate()
	if err == nil {
		return nil
	}
	return errors.Join(entitlement.Errors(err)...)
}
