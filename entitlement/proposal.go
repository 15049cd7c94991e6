package entitlement

import (
	"errors"
	"fmt"
)

// ValidateGrants validates grants of the identity holder that the index
// does not hold — a proposal to check before the grants are made, or an
// identity's grants streamed past an index of identities without grants —
// exactly as NewIndex validates the grants an inventory holds: the target
// is a known entitlement or role, the actors (requester, approvers,
// provisioner, revoker, certifier) are known identities, approval stages
// name known parties, values fit the length limits, the times are in
// lifecycle order and the state agrees with the recorded steps. It also
// rejects an unknown holder, a grant without an ID, and a grant ID used
// twice among grants or already used by a grant of the index.
//
// It returns every problem, joined, each a *RecordError naming the grant and
// the field; nil if there is none.
func (x *Index) ValidateGrants(holder string, grants []Grant) error {
	gv := GrantValidator{x: x}
	return gv.Validate(holder, grants)
}

// GrantValidator validates the grants of one identity after another, each
// exactly as ValidateGrants does, keeping what it learns between calls
// (which identity references it has found known), so that validating a
// stream of identities, as bundle.Stream does, costs less than calling
// ValidateGrants for each. Grant IDs are checked within each call and
// against the index, as ValidateGrants checks them. A GrantValidator is not
// safe for concurrent use; make one per goroutine.
type GrantValidator struct {
	x       *Index
	v       validator
	earlier map[string]bool // grant IDs of the identity being validated
	name    string          // the holder being validated, as errors name it
}

// NewGrantValidator returns a GrantValidator over x.
func (x *Index) NewGrantValidator() *GrantValidator {
	return &GrantValidator{x: x, v: validator{known: new([1 << knownBits]string)}}
}

// Validate validates grants of holder as ValidateGrants does.
func (gv *GrantValidator) Validate(holder string, grants []Grant) error {
	x := gv.x
	var errs []error
	pos, ok := x.identities[holder]
	gv.name = holder
	switch {
	case len(holder) > MaxIDLength:
		gv.name = "(too long)"
		errs = append(errs, &RecordError{Type: "identity", ID: gv.name, Field: "id", Err: CheckLength(holder, MaxIDLength)})
		pos = -1
	case !ok:
		errs = append(errs, &RecordError{Type: "identity", ID: holder, Field: "id",
			Err: fmt.Errorf("%w: no identity %q", ErrUnknownRef, holder)})
		pos = -1
	}
	v := &gv.v
	v.inv, v.x, v.errs = x.inv, x, v.errs[:0]
	if gv.earlier == nil {
		gv.earlier = map[string]bool{}
		v.grantSeen = gv.seen
	}
	clear(gv.earlier)
	parent := "identity " + gv.name
	v.holding(holder, pos >= 0)
	for gi, g := range grants {
		v.grant(parent, pos, int32(gi), g)
	}
	v.holding("", false)
	errs = append(errs, v.errs...)
	v.errs = v.errs[:0]
	return errors.Join(errs...)
}

// seen reports whether grant ID id was used before, by a grant of the
// holder being validated or by one the index holds, and by whom.
func (gv *GrantValidator) seen(id string) (string, bool) {
	if gv.earlier[id] {
		return "identity " + gv.name, true
	}
	gv.earlier[id] = true
	if _, other, held := gv.x.Grant(id); held {
		return "identity " + other.ID, true
	}
	return "", false
}
