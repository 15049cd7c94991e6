package breakglass

import (
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/entitlement"
)

// Outcome is the conclusion a controller reached when reviewing a session.
//
// The zero Outcome is unset: a review without an outcome has not concluded,
// so the session still awaits review.
type Outcome uint8

// The review outcomes.
const (
	// ReviewApproved: the use was justified and proportionate.
	ReviewApproved Outcome = iota + 1
	// ReviewRejected: the use was not justified; the access must end and
	// the use be followed up.
	ReviewRejected
	// ReviewNeedsInformation: the reviewer asked for more information. The
	// review has not concluded, so the session still awaits review.
	ReviewNeedsInformation
)

var outcomeNames = [...]string{"", "approved", "rejected", "needs_information"}

// String returns the outcome's name as written in bundles
// ("needs_information"), or "" when unset.
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// Valid reports whether o is one of the named outcomes.
func (o Outcome) Valid() bool { return o != 0 && int(o) < len(outcomeNames) }

// Concluded reports whether o ends a review: approved or rejected. An unset
// outcome and a request for more information leave the review open.
func (o Outcome) Concluded() bool { return o == ReviewApproved || o == ReviewRejected }

// ParseOutcome parses an outcome name, case-insensitively; '-' and '_' are
// interchangeable. The error wraps entitlement.ErrInvalid and quotes the
// input.
func ParseOutcome(s string) (Outcome, error) {
	norm := strings.ReplaceAll(s, "-", "_")
	for i := 1; i < len(outcomeNames); i++ {
		if strings.EqualFold(norm, outcomeNames[i]) {
			return Outcome(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown review outcome %q (want %s)", entitlement.ErrInvalid, s,
		strings.Join(outcomeNames[1:], ", "))
}

// MarshalText encodes o as its name; the unset outcome cannot be encoded.
func (o Outcome) MarshalText() ([]byte, error) {
	if !o.Valid() {
		return nil, fmt.Errorf("%w: review outcome %s has no text form", entitlement.ErrInvalid, o)
	}
	return []byte(o.String()), nil
}

// UnmarshalText decodes an outcome name.
func (o *Outcome) UnmarshalText(b []byte) (err error) {
	*o, err = ParseOutcome(string(b))
	return err
}

// Review is a controller's after-the-fact review of one session. The zero
// Review means the session has not been reviewed.
type Review struct {
	Reviewer string    // identity ID of the reviewer
	At       time.Time // when the review was recorded
	// Outcome is the conclusion reached. The zero Outcome is unset: the
	// review has not concluded and the session still awaits review.
	Outcome Outcome
	// Comments are the reviewer's remarks, in words; optional.
	Comments string
}

// IsZero reports whether no review is recorded.
func (r Review) IsZero() bool {
	return r.Reviewer == "" && r.At.IsZero() && r.Outcome == 0 && r.Comments == ""
}

// ConcludedBy reports whether the review had concluded (approved or
// rejected) at or before t. A review recorded after t has not happened as
// of t.
func (r Review) ConcludedBy(t time.Time) bool {
	return r.Outcome.Concluded() && !r.At.IsZero() && !r.At.After(t)
}

// recordedBy reports whether any review (concluded or not) was recorded at
// or before t.
func (r Review) recordedBy(t time.Time) bool {
	return !r.IsZero() && !r.At.IsZero() && !r.At.After(t)
}
