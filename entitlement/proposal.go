package entitlement

import (
	"errors"
	"fmt"
)

// ValidateGrants validates grants that holder does not hold yet — a proposal
// to check before the grants are made — against the index, exactly as
// NewIndex validates the grants an inventory holds: the target is a known
// entitlement or role, the actors (requester, approvers, provisioner,
// revoker, certifier) are known identities, approval stages name known
// parties, the times are in lifecycle order and the state agrees with the
// recorded steps. It also rejects an unknown holder, a grant without an ID,
// and a grant ID used twice among grants or already used by a grant of the
// index.
//
// It returns every problem, joined, each a *RecordError naming the grant and
// the field; nil if there is none.
func (x *Index) ValidateGrants(holder string, grants []Grant) error {
	var errs []error
	pos, ok := x.identities[holder]
	if !ok {
		typ := "identity"
		errs = append(errs, &RecordError{Type: typ, ID: holder, Field: "id",
			Err: fmt.Errorf("%w: no identity %q", ErrUnknownRef, holder)})
		pos = -1
	}
	v := &validator{inv: x.inv, x: x}
	earlier := map[string]bool{}
	v.grantSeen = func(id string) (string, bool) {
		if earlier[id] {
			return "this proposal", true
		}
		earlier[id] = true
		if _, other, held := x.Grant(id); held {
			return "identity " + other.ID, true
		}
		return "", false
	}
	for gi, g := range grants {
		v.grant("proposal for identity "+holder, pos, int32(gi), g)
	}
	return errors.Join(append(errs, v.errs...)...)
}
