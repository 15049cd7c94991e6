package breakglass

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sodkit/sodkit/entitlement"
)

// Config is everything the break-glass checks read beside the inventory:
// the policy, the registered emergency accounts and the session records. It
// is plain data: build it with a literal or load it from a bundle's
// "breakglass" section.
//
// The zero Config has the default (strict) policy, no accounts and no
// sessions; it is valid, and Check still reports break-glass grants in the
// inventory that no session explains.
type Config struct {
	// Policy says what is acceptable; its zero value is the strict
	// default.
	Policy Policy
	// Accounts are the registered emergency accounts, each ID at most once.
	Accounts []Account
	// Sessions are the session records, each ID at most once.
	Sessions []Session
}

// The record types that validation errors and invalid-record findings name.
const (
	recPolicy  = "policy" // with ID "breakglass"
	recAccount = "account"
	recSession = "session"
	policyID   = "breakglass"
)

// Validate checks c against the inventory indexed by x and returns every
// problem found, joined with errors.Join, each an *entitlement.RecordError
// naming the record ("session", "account", or "policy" with ID
// "breakglass") and the field, accounts first, then the policy, then the
// sessions, each in input order: missing or duplicate IDs,
// values longer than the entitlement package's limits (IDs and references
// over entitlement.MaxIDLength, descriptions, justifications, tickets and
// comments over MaxTextLength; entitlement.ErrTooLong, a record whose ID
// is too long then named by its position), references to identities,
// entitlements, parties or accounts that do not exist, negative durations and counts, impossible times (an end before
// the start, a review before the session), incomplete reviews, and sessions
// with no controller to review them. It returns nil for a valid Config. A
// nil x is an empty inventory.
func (c Config) Validate(x *entitlement.Index) error {
	v := newValidator(x, c)
	v.run()
	return errors.Join(v.errs...)
}

// validator collects the problems of one Config, and which sessions have
// them.
type validator struct {
	x          *entitlement.Index
	c          Config
	accounts   map[string]int // account ID → first position
	errs       []error
	badSession []bool
}

func newValidator(x *entitlement.Index, c Config) *validator {
	if x == nil {
		x, _ = entitlement.NewIndex(nil)
	}
	return &validator{x: x, c: c, accounts: map[string]int{}, badSession: make([]bool, len(c.Sessions))}
}

// rec adds problems of one record.
type rec struct {
	v       *validator
	typ, id string
	session int // position of a session record, or -1
}

func (r rec) add(field string, err error) {
	r.v.errs = append(r.v.errs, &entitlement.RecordError{Type: r.typ, ID: r.id, Field: field, Err: err})
	if r.session >= 0 {
		r.v.badSession[r.session] = true
	}
}

// fits reports whether value is at most limit bytes long, and reports the
// problem when it is not.
func (r rec) fits(field, value string, limit int) bool {
	if len(value) <= limit {
		return true
	}
	r.add(field, entitlement.CheckLength(value, limit))
	return false
}

// idFits is fits with the limit of IDs and references.
func (r rec) idFits(field, value string) bool { return r.fits(field, value, entitlement.MaxIDLength) }

func (r rec) required(field, value string) bool {
	if value == "" {
		r.add(field, entitlement.ErrRequired)
		return false
	}
	return true
}

func (r rec) unknown(field, kind, id string) {
	r.add(field, fmt.Errorf("%w: no %s %q", entitlement.ErrUnknownRef, kind, id))
}

func (r rec) identity(field, id string) {
	if !r.idFits(field, id) {
		return
	}
	if _, ok := r.v.x.Identity(id); id != "" && !ok {
		r.unknown(field, "identity", id)
	}
}

func (r rec) entitlements(field string, ids []string) {
	for i, e := range ids {
		f := field + "[" + strconv.Itoa(i) + "]"
		if !r.required(f, e) || !r.idFits(f, e) {
			continue
		}
		if _, ok := r.v.x.Entitlement(e); !ok {
			r.unknown(f, "entitlement", e)
		}
	}
	r.noDuplicates(field, ids)
}

// controllers checks that each controller names an identity or a party.
func (r rec) controllers(field string, ids []string) {
	for i, c := range ids {
		f := field + "[" + strconv.Itoa(i) + "]"
		if !r.required(f, c) || !r.idFits(f, c) {
			continue
		}
		_, isIdentity := r.v.x.Identity(c)
		_, isParty := r.v.x.Party(c)
		if !isIdentity && !isParty {
			r.unknown(f, "identity or party", c)
		}
	}
	r.noDuplicates(field, ids)
}

func (r rec) noDuplicates(field string, list []string) {
	seen := make(map[string]bool, len(list))
	for i, s := range list {
		if len(s) > entitlement.MaxIDLength {
			continue // reported as too long
		}
		if s != "" && seen[s] {
			r.add(field+"["+strconv.Itoa(i)+"]", fmt.Errorf("%w: %q listed twice", entitlement.ErrDuplicate, s))
		}
		seen[s] = true
	}
}

func (r rec) nonNegative(field string, d time.Duration) {
	if d < 0 {
		r.add(field, fmt.Errorf("%w: negative duration %s", entitlement.ErrInvalid, d))
	}
}

// notBefore reports an error when both times are set and later is before
// earlier.
func (r rec) notBefore(field string, later time.Time, laterName string, earlier time.Time, earlierName string) {
	if earlier.IsZero() || later.IsZero() || !later.Before(earlier) {
		return
	}
	r.add(field, fmt.Errorf("%w: %s (%s) is before %s (%s)", entitlement.ErrTimeOrder,
		laterName, stamp(later), earlierName, stamp(earlier)))
}

func (v *validator) run() {
	for i, a := range v.c.Accounts {
		v.account(i, a)
	}
	v.policy(v.c.Policy)
	ids := map[string]int{}
	for i, s := range v.c.Sessions {
		r := rec{v: v, typ: recSession, id: s.ID, session: i}
		if s.ID == "" || len(s.ID) > entitlement.MaxIDLength {
			r.id = "#" + strconv.Itoa(i)
			if r.required("id", s.ID) {
				r.idFits("id", s.ID)
			}
		} else if j, dup := ids[s.ID]; dup {
			r.add("id", fmt.Errorf("%w: session %q also at position %d", entitlement.ErrDuplicate, s.ID, j))
		} else {
			ids[s.ID] = i
		}
		v.session(r, s)
	}
}

func (v *validator) policy(p Policy) {
	r := rec{v: v, typ: recPolicy, id: policyID, session: -1}
	r.nonNegative("max_length", p.MaxLength)
	r.nonNegative("review_within", p.ReviewWithin)
	r.nonNegative("rotate_within", p.RotateWithin)
	r.nonNegative("habit_window", p.HabitWindow)
	for _, n := range []struct {
		field string
		n     int
	}{{"max_per_identity", p.MaxPerIdentity}, {"max_per_entitlement", p.MaxPerEntitlement}} {
		if n.n < 0 {
			r.add(n.field, fmt.Errorf("%w: negative count %d", entitlement.ErrInvalid, n.n))
		}
	}
	r.entitlements("approval_required", p.ApprovalRequired)
	for i, a := range p.RotationExempt {
		f := "rotation_exempt[" + strconv.Itoa(i) + "]"
		if !r.required(f, a) || !r.idFits(f, a) {
			continue
		}
		if _, ok := v.accounts[a]; !ok {
			r.unknown(f, "break-glass account", a)
		}
	}
	r.noDuplicates("rotation_exempt", p.RotationExempt)
	r.controllers("controllers", p.Controllers)
}

func (v *validator) account(i int, a Account) {
	r := rec{v: v, typ: recAccount, id: a.ID, session: -1}
	switch j, dup := v.accounts[a.ID]; {
	case a.ID == "":
		r.id = "#" + strconv.Itoa(i)
		r.add("id", entitlement.ErrRequired)
	case len(a.ID) > entitlement.MaxIDLength:
		r.id = "#" + strconv.Itoa(i)
		r.idFits("id", a.ID)
	case dup:
		r.add("id", fmt.Errorf("%w: account %q also at position %d", entitlement.ErrDuplicate, a.ID, j))
	default:
		v.accounts[a.ID] = i
		r.identity("id", a.ID)
	}
	r.fits("description", a.Description, entitlement.MaxTextLength)
	if r.required("owner", a.Owner) {
		r.identity("owner", a.Owner)
		if a.Owner == a.ID {
			r.add("owner", fmt.Errorf("%w: an account cannot own itself", entitlement.ErrInvalid))
		}
	}
	if len(a.Controllers) == 0 {
		r.add("controllers", fmt.Errorf("%w: an emergency account needs at least one controller to review its sessions", entitlement.ErrRequired))
	}
	r.controllers("controllers", a.Controllers)
}

func (v *validator) session(r rec, s Session) {
	if r.required("identity", s.Identity) {
		r.identity("identity", s.Identity)
	}
	r.idFits("reason_code", s.ReasonCode)
	r.fits("justification", s.Justification, entitlement.MaxTextLength)
	r.fits("ticket", s.Ticket, entitlement.MaxTextLength)
	var acct *Account
	if s.Account != "" && r.idFits("account", s.Account) {
		if j, ok := v.accounts[s.Account]; ok {
			acct = &v.c.Accounts[j]
		} else {
			r.unknown("account", "break-glass account", s.Account)
		}
	}
	if s.Account == "" && len(s.Entitlements) == 0 {
		r.add("entitlements", fmt.Errorf("%w: a session names the account or the entitlements it used", entitlement.ErrRequired))
	}
	r.entitlements("entitlements", s.Entitlements)

	r.identity("requested.by", s.Requested.By)
	r.identity("approved.by", s.Approved.By)
	switch {
	case s.Approved.By != "" && s.Approved.At.IsZero():
		r.add("approved.at", fmt.Errorf("%w: an approval records when it was given", entitlement.ErrRequired))
	case s.Approved.By == "" && !s.Approved.At.IsZero():
		r.add("approved.by", fmt.Errorf("%w: an approval records who gave it", entitlement.ErrRequired))
	}
	r.notBefore("approved.at", s.Approved.At, "approval", s.Requested.At, "the request")

	if s.Start.IsZero() {
		r.add("start", entitlement.ErrRequired)
	}
	if !s.PlannedEnd.IsZero() && !s.Start.IsZero() && !s.PlannedEnd.After(s.Start) {
		r.add("planned_end", fmt.Errorf("%w: planned end (%s) is not after the start (%s)", entitlement.ErrTimeOrder,
			stamp(s.PlannedEnd), stamp(s.Start)))
	}
	r.notBefore("end", s.End, "end", s.Start, "the start")

	r.controllers("controllers", s.Controllers)
	noAccountControllers := s.Account == "" || (acct != nil && len(acct.Controllers) == 0)
	if len(s.Controllers) == 0 && noAccountControllers && len(v.c.Policy.Controllers) == 0 {
		r.add("controllers", fmt.Errorf("%w: no controller reviews this session; name controllers on the session, its account or the policy", entitlement.ErrRequired))
	}

	if !s.Review.IsZero() {
		rv := s.Review
		if r.required("review.reviewer", rv.Reviewer) {
			r.identity("review.reviewer", rv.Reviewer)
		}
		if rv.At.IsZero() {
			r.add("review.at", entitlement.ErrRequired)
		}
		r.fits("review.comments", rv.Comments, entitlement.MaxTextLength)
		switch {
		case rv.Outcome == 0:
			r.add("review.outcome", entitlement.ErrRequired)
		case !rv.Outcome.Valid():
			r.add("review.outcome", fmt.Errorf("%w: %s", entitlement.ErrInvalid, rv.Outcome))
		}
		r.notBefore("review.at", rv.At, "the review", s.Start, "the start")
	}
	r.notBefore("credentials_rotated", s.CredentialsRotated, "the rotation", s.Start, "the start")
}

// stamp renders a time for evidence and messages: RFC 3339 in UTC, so the
// same instant reads the same whatever zone it was recorded in.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
