package raci

import (
	"fmt"
	"strings"
)

// Activity is a governance activity: one row of a RACI matrix.
//
// The zero Activity is unset. Validation rejects it, and checks ignore rows
// keyed by it or by any other value outside the named activities, so the
// activities such a row meant to assign are reported as gaps.
type Activity uint8

// The governance activities, in matrix order.
const (
	DefinePolicy     Activity = iota + 1 // define who may hold access, on what conditions and for how long
	ApproveRequest                       // approve an access request
	ApproveException                     // approve an exception to access policy
	Provision                            // fulfil an approved request in the target system
	Revoke                               // take access away
	Recertify                            // review held access and confirm or remove it
	ReviewEmergency                      // review emergency (break-glass) access after its use
	OwnNHI                               // own a non-human identity: its purpose, credentials and access
)

var activityNames = [...]string{"", "define_policy", "approve_request", "approve_exception",
	"provision", "revoke", "recertify", "review_emergency", "own_nhi"}

// Activities returns every named activity, in matrix order.
func Activities() []Activity {
	out := make([]Activity, 0, len(activityNames)-1)
	for i := 1; i < len(activityNames); i++ {
		out = append(out, Activity(i))
	}
	return out
}

// String returns the activity's name as written in bundles
// ("define_policy"), "" for the unset activity and "activity(N)" for a value
// outside the named ones.
func (a Activity) String() string {
	if int(a) < len(activityNames) {
		return activityNames[a]
	}
	return fmt.Sprintf("activity(%d)", uint8(a))
}

// Valid reports whether a is one of the named activities.
func (a Activity) Valid() bool { return a != 0 && int(a) < len(activityNames) }

// ParseActivity parses an activity name such as "approve_request" (or
// "approve-request"), case-insensitively. The error quotes the input and
// lists the names it accepts.
func ParseActivity(s string) (Activity, error) {
	norm := strings.ReplaceAll(s, "-", "_")
	for i := 1; i < len(activityNames); i++ {
		if strings.EqualFold(norm, activityNames[i]) {
			return Activity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown activity %q (want %s)", s, strings.Join(activityNames[1:], ", "))
}

// MarshalText encodes a as its name; the unset activity and values outside
// the named ones cannot be encoded.
func (a Activity) MarshalText() ([]byte, error) {
	if !a.Valid() {
		return nil, fmt.Errorf("activity %s has no text form", a)
	}
	return []byte(a.String()), nil
}

// UnmarshalText decodes an activity name.
func (a *Activity) UnmarshalText(b []byte) (err error) {
	*a, err = ParseActivity(string(b))
	return err
}
