package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sodkit/sodkit/internal/strictjson"
)

// Action is what a decision did. Actions are written to the log by name, so
// their values never change.
//
// The zero Action is empty, and Decision.Validate rejects it.
type Action string

// The actions a decision record can carry.
const (
	// ActionRequest: someone asked for access.
	ActionRequest Action = "request"
	// ActionApprove: an approver approved a request.
	ActionApprove Action = "approve"
	// ActionReject: an approver turned a request down.
	ActionReject Action = "reject"
	// ActionProvision: access was set up in the target system.
	ActionProvision Action = "provision"
	// ActionRevoke: access was taken away.
	ActionRevoke Action = "revoke"
	// ActionGrantException: an exception to a rule was granted.
	ActionGrantException Action = "grant-exception"
	// ActionOpenEmergency: an emergency (break-glass) session was opened.
	ActionOpenEmergency Action = "open-emergency-access"
	// ActionReviewEmergency: an emergency session was reviewed afterwards.
	ActionReviewEmergency Action = "review-emergency-access"
	// ActionRecertify: a holder's access was recertified (confirmed as
	// still needed).
	ActionRecertify Action = "recertify"
)

// Actions returns every valid action, in the order of the access lifecycle.
func Actions() []Action {
	return []Action{ActionRequest, ActionApprove, ActionReject, ActionProvision, ActionRevoke,
		ActionGrantException, ActionOpenEmergency, ActionReviewEmergency, ActionRecertify}
}

// Valid reports whether a is one of the actions listed by Actions.
func (a Action) Valid() bool { return slices.Contains(Actions(), a) }

// Outcome is what came of a decision's action.
//
// The zero Outcome is empty, and Decision.Validate rejects it.
type Outcome string

// The outcomes a decision record can carry.
const (
	// OutcomeCompleted: the action took effect.
	OutcomeCompleted Outcome = "completed"
	// OutcomePending: the action waits for a further step (a request
	// awaiting approval).
	OutcomePending Outcome = "pending"
	// OutcomeRefused: policy blocked the action (for example a check found
	// a toxic combination; the related findings say which).
	OutcomeRefused Outcome = "refused"
	// OutcomeFailed: the action was attempted and did not succeed.
	OutcomeFailed Outcome = "failed"
)

// Outcomes returns every valid outcome.
func Outcomes() []Outcome {
	return []Outcome{OutcomeCompleted, OutcomePending, OutcomeRefused, OutcomeFailed}
}

// Valid reports whether o is one of the outcomes listed by Outcomes.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes(), o) }

// PolicyBasis names what allowed a decision: the rule or template that
// applied and the SHA-256 (64 lower-case hex digits) of the rule set in
// force when the decision was made, so an auditor can tell which version of
// the policy was applied.
type PolicyBasis struct {
	// Rule is the ID of the rule or template that applied. Required.
	Rule string `json:"rule"`
	// RuleSetSHA256 is the SHA-256 of the rule set in force, 64 lower-case
	// hex digits (see RuleSetHash). Required.
	RuleSetSHA256 string `json:"rule_set_sha256"`
}

// Decision is one access decision, as recorded in the audit log: who did
// what, when, about whom and which access, why, and on what policy basis.
//
// A decision must carry a business reason and a policy basis: Validate (and
// so Log.Append) rejects one without. The zero Decision is invalid.
type Decision struct {
	// Time is when the decision was made. It is recorded in UTC.
	Time time.Time `json:"time"`
	// Actor is the ID of the identity that decided. Required.
	Actor string `json:"actor"`
	// OnBehalfOf is the ID of the identity the actor acted for (a bot
	// approving for a manager), or "" when the actor acted for itself.
	OnBehalfOf string `json:"on_behalf_of,omitempty"`
	// Action is what was decided. Required.
	Action Action `json:"action"`
	// Subject is the ID of the identity whose access the decision is
	// about. Required.
	Subject string `json:"subject"`
	// Entitlement is the ID of the entitlement decided on. Exactly one of
	// Entitlement and Role is set.
	Entitlement string `json:"entitlement,omitempty"`
	// Role is the ID of the role decided on, when the decision is about a
	// role rather than an entitlement.
	Role string `json:"role,omitempty"`
	// Outcome is what came of the action. Required.
	Outcome Outcome `json:"outcome"`
	// Reason is the business reason, in words. Required: a decision
	// without one fails with ErrMissingReason.
	Reason string `json:"reason"`
	// PolicyBasis is what allowed the decision. Required: a decision
	// without both of its fields fails with ErrMissingPolicyBasis.
	PolicyBasis PolicyBasis `json:"policy_basis"`
	// Ticket is the change or request ticket, if any.
	Ticket string `json:"ticket,omitempty"`
	// Findings lists the IDs of findings the decision relates to (the
	// violation an exception accepts, the finding that blocked a request).
	Findings []string `json:"findings,omitempty"`
}

// Sentinel errors wrapped by DecisionError. Test for them with errors.Is.
var (
	// ErrMissingReason: a decision has no business reason.
	ErrMissingReason = errors.New("a decision needs a business reason")
	// ErrMissingPolicyBasis: a decision has no policy basis, or only half
	// of one.
	ErrMissingPolicyBasis = errors.New("a decision needs a policy basis: the rule or template ID and the SHA-256 of the rule set in force")
	// ErrRequired: another field that must be set is empty.
	ErrRequired = errors.New("required")
	// ErrInvalid: a field holds a value outside its domain.
	ErrInvalid = errors.New("invalid value")
)

// DecisionError is one problem with a decision record. Validate returns
// every DecisionError it finds, joined with errors.Join.
type DecisionError struct {
	// Field is the JSON name of the field, such as "reason" or
	// "policy_basis.rule_set_sha256".
	Field string
	// Err says what is wrong. It wraps one of the sentinel errors.
	Err error
}

// Error returns "decision record: field F: problem".
func (e *DecisionError) Error() string {
	return "decision record: field " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *DecisionError) Unwrap() error { return e.Err }

// Validate reports every problem with d, joined with errors.Join, as
// *DecisionError values in field order; it returns nil for a valid
// decision. A decision without a business reason fails with
// ErrMissingReason, one without a full policy basis with
// ErrMissingPolicyBasis.
func (d Decision) Validate() error {
	var errs []error
	bad := func(field string, err error) { errs = append(errs, &DecisionError{Field: field, Err: err}) }
	text := func(field, v string, missing error) {
		switch {
		case strings.TrimSpace(v) == "":
			if missing != nil {
				bad(field, missing)
			}
		case !utf8.ValidString(v):
			bad(field, fmt.Errorf("%w: not valid UTF-8", ErrInvalid))
		}
	}
	switch {
	case d.Time.IsZero():
		bad("time", ErrRequired)
	case d.Time.UTC().Year() < 1 || d.Time.UTC().Year() > 9999:
		bad("time", fmt.Errorf("%w: year %d outside 1-9999", ErrInvalid, d.Time.UTC().Year()))
	}
	text("actor", d.Actor, ErrRequired)
	text("on_behalf_of", d.OnBehalfOf, nil)
	switch {
	case d.Action == "":
		bad("action", ErrRequired)
	case !d.Action.Valid():
		bad("action", fmt.Errorf("%w: %q (want one of %s)", ErrInvalid, d.Action, join(Actions())))
	}
	text("subject", d.Subject, ErrRequired)
	text("entitlement", d.Entitlement, nil)
	text("role", d.Role, nil)
	switch {
	case d.Entitlement == "" && d.Role == "":
		bad("entitlement", fmt.Errorf("%w: name the entitlement or the role decided on", ErrRequired))
	case d.Entitlement != "" && d.Role != "":
		bad("role", fmt.Errorf("%w: a decision concerns one entitlement or one role, not both", ErrInvalid))
	}
	switch {
	case d.Outcome == "":
		bad("outcome", ErrRequired)
	case !d.Outcome.Valid():
		bad("outcome", fmt.Errorf("%w: %q (want one of %s)", ErrInvalid, d.Outcome, join(Outcomes())))
	}
	text("reason", d.Reason, ErrMissingReason)
	text("policy_basis.rule", d.PolicyBasis.Rule, ErrMissingPolicyBasis)
	switch h := d.PolicyBasis.RuleSetSHA256; {
	case h == "":
		bad("policy_basis.rule_set_sha256", ErrMissingPolicyBasis)
	case !isSHA256Hex(h):
		bad("policy_basis.rule_set_sha256", fmt.Errorf("%w: %q is not 64 lower-case hex digits", ErrInvalid, h))
	}
	text("ticket", d.Ticket, nil)
	seen := make(map[string]bool, len(d.Findings))
	for i, id := range d.Findings {
		field := fmt.Sprintf("findings[%d]", i)
		switch {
		case !isFindingID(id):
			bad(field, fmt.Errorf("%w: %q is not a finding ID (sk- and 20 hex digits)", ErrInvalid, id))
		case seen[id]:
			bad(field, fmt.Errorf("%w: %s listed twice", ErrInvalid, id))
		}
		seen[id] = true
	}
	return errors.Join(errs...)
}

func join[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	return isLowerHex(s)
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func isFindingID(s string) bool {
	rest, ok := strings.CutPrefix(s, "sk-")
	return ok && len(rest) == 20 && isLowerHex(rest)
}

// ReadDecisions reads decision records, as `sodkit log append` takes them:
// JSON objects one after another, separated by white space (one per line,
// or pretty-printed over several). It decodes strictly: a record that is
// not a JSON object, names an unknown field or names a member twice (which
// encoding/json would resolve silently, keeping the last) is an error, a
// *JSONError naming the line and the key, after "record N: ". It reports
// every such problem at once, joined, and returns no records; malformed
// JSON ends the reading. An input with no record returns none and no
// error.
//
// It does not validate the records, so that a caller can fill in fields
// first (as `sodkit log append --stamp` fills in Time): call
// Decision.Validate, or let Log.Append.
func ReadDecisions(r io.Reader) ([]Decision, error) {
	vals, bad, err := strictjson.Split(r)
	if err != nil {
		return nil, err
	}
	var errs []error
	out := make([]Decision, 0, len(vals))
	for i, v := range vals {
		var d Decision
		if ps := strictjson.Decode(v.Raw, v.Line, &d); ps != nil {
			errs = append(errs, jsonErrors(fmt.Sprintf("record %d: ", i+1), ps...)...)
			continue
		}
		out = append(out, d)
	}
	if bad != nil {
		errs = append(errs, jsonErrors(fmt.Sprintf("record %d: ", len(vals)+1), *bad)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// RuleSetHash returns the SHA-256 of a rule set's exact bytes, as 64
// lower-case hex digits: the value PolicyBasis.RuleSetSHA256 expects.
func RuleSetHash(ruleSet []byte) string {
	sum := sha256.Sum256(ruleSet)
	return hex.EncodeToString(sum[:])
}
