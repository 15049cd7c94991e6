package bundle

import (
	"fmt"
	"strconv"
	"time"

	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/jsonpull"
)

// This file maps the "breakglass" section (docs/breakglass.md) onto the
// breakglass package's types:
//
//	"breakglass": {"policy": {...}, "accounts": [...], "sessions": [...]}
//
// Several files may each add accounts and sessions; only one may set the
// policy. Records are "policy" (ID "breakglass"), "account" and "session".

// breakGlassSection reads the "breakglass" section.
func (d *decoder) breakGlassSection() error {
	c := &d.b.BreakGlass
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "policy":
				if len(d.origins[recordKey("policy", "breakglass", "")]) > 0 {
					d.bad(fmt.Errorf("%w: the breakglass policy is set in more than one file", entitlement.ErrDuplicate))
					return d.fatal(d.r.Skip())
				}
				rec := d.begin("policy", 0)
				rec.id = "breakglass"
				err := d.breakGlassPolicy(&c.Policy)
				d.end(rec)
				return err
			case "accounts":
				return section(d, "account", &c.Accounts, d.breakGlassAccount)
			case "sessions":
				return section(d, "session", &c.Sessions, d.breakGlassSession)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) breakGlassPolicy(p *breakglass.Policy) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "max_length":
				return d.breakGlassDuration(&p.MaxLength)
			case "review_within":
				return d.breakGlassDuration(&p.ReviewWithin)
			case "rotate_within":
				return d.breakGlassDuration(&p.RotateWithin)
			case "reason_optional":
				return d.boolean(&p.ReasonOptional)
			case "ticket_optional":
				return d.boolean(&p.TicketOptional)
			case "approval_required":
				return d.refs(&p.ApprovalRequired)
			case "rotation_exempt":
				return d.refs(&p.RotationExempt)
			case "controllers":
				return d.refs(&p.Controllers)
			case "habit_window":
				return d.breakGlassDuration(&p.HabitWindow)
			case "max_per_identity":
				return d.breakGlassCount(&p.MaxPerIdentity)
			case "max_per_entitlement":
				return d.breakGlassCount(&p.MaxPerEntitlement)
			}
			return d.unknownHere(key)
		})
	})
}

// breakGlassDuration reads a positive ISO 8601 duration (null leaves dst
// unchanged). Zero is rejected, so it is never silently replaced by its
// default.
func (d *decoder) breakGlassDuration(dst *time.Duration) error {
	return d.text(func(s string) error {
		v, err := ParseDuration(s)
		if err != nil {
			return err
		}
		if v <= 0 {
			d.bad(fmt.Errorf("%w: %q, want a positive duration (omit the member for the default)", entitlement.ErrInvalid, s))
			return nil
		}
		*dst = v
		return nil
	})
}

// breakGlassCount reads a positive whole number (null leaves dst
// unchanged). Zero and negative numbers are rejected here, so a count is
// never silently replaced by its default.
func (d *decoder) breakGlassCount(dst *int) error {
	switch d.r.Peek() {
	case jsonpull.Null:
		return d.fatal(d.r.Null())
	case jsonpull.Number:
	default:
		return d.typeErr("a whole number")
	}
	s, err := d.r.Number()
	if err != nil {
		return d.fatal(err)
	}
	n, convErr := strconv.Atoi(s)
	switch {
	case convErr != nil:
		d.bad(fmt.Errorf("%w: want a whole number, found %s", ErrType, s))
	case n < 1:
		d.bad(fmt.Errorf("%w: %d, want at least 1", entitlement.ErrInvalid, n))
	default:
		*dst = n
	}
	return nil
}

func (d *decoder) breakGlassAccount(a *breakglass.Account) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&a.ID)
				d.rec.id = a.ID
				return err
			case "description":
				return d.str(&a.Description)
			case "owner":
				return d.ref(&a.Owner)
			case "controllers":
				return d.refs(&a.Controllers)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) breakGlassSession(s *breakglass.Session) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&s.ID)
				d.rec.id = s.ID
				return err
			case "identity":
				return d.ref(&s.Identity)
			case "account":
				return d.ref(&s.Account)
			case "entitlements":
				return d.refs(&s.Entitlements)
			case "reason_code":
				return d.ref(&s.ReasonCode)
			case "justification":
				return d.str(&s.Justification)
			case "ticket":
				return d.str(&s.Ticket)
			case "requested":
				return d.event(&s.Requested)
			case "approved":
				return d.event(&s.Approved)
			case "start":
				return d.timestamp(&s.Start)
			case "planned_end":
				return d.timestamp(&s.PlannedEnd)
			case "end":
				return d.timestamp(&s.End)
			case "controllers":
				return d.refs(&s.Controllers)
			case "review":
				return d.breakGlassReview(&s.Review)
			case "credentials_rotated":
				return d.timestamp(&s.CredentialsRotated)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) breakGlassReview(r *breakglass.Review) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "reviewer":
				return d.ref(&r.Reviewer)
			case "at":
				return d.timestamp(&r.At)
			case "outcome":
				return d.enum(&r.Outcome)
			case "comments":
				return d.str(&r.Comments)
			}
			return d.unknownHere(key)
		})
	})
}
