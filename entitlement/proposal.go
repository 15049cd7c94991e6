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
	var errs []error
	pos, ok := x.identities[holder]
	name := holder
	switch {
	case len(holder) > MaxIDLength:
		name = "(too long)"
		errs = append(errs, &RecordError{Type: "identity", ID: name, Field: "id", Err: CheckLength(holder, MaxIDLength)})
		pos = -1
	case !ok:
		errs = append(errs, &RecordError{Type: "identity", ID: holder, Field: "id",
			Err: fmt.Errorf("%w: no identity %q", ErrUnknownRef, holder)})
		pos = -1
	}
	v := &validator{inv: x.inv, x: x}
	earlier := map[string]bool{}
	v.grantSeen = func(id string) (string, bool) {
		if earlier[id] {
			return "identity " + name, true
		}
		earlier[id] = true
		if _, other, held := x.Grant(id); held {
			return "identity " + other.ID, true
		}
		return "", false
	}
	for gi, g := range grants {
		v.grant("identity "+name, pos, int32(gi), g)
	}
	return errors.Join(append(errs, v.errs...)...)
}
