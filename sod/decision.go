package sod

import (
	"fmt"
	"time"

	"github.com/sodkit/sodkit/audit"
)

// Verdict is the answer to a proposed change: allow it, deny it, or
// indeterminate when the policy could not be fully evaluated.
//
// The zero Verdict is Indeterminate, so a Decision that was never filled in
// (or came back with an error) does not allow anything.
type Verdict uint8

// The verdicts.
const (
	// Indeterminate: the change adds no open finding, but at least one
	// finding says the policy could not be evaluated. It denies by default
	// (Decision.Allowed is false); a caller that accepts the risk tests
	// for Deny instead.
	Indeterminate Verdict = iota
	// Deny: the change adds at least one open finding.
	Deny
	// Allow: the change adds no finding, or only findings that a valid
	// exception mitigates (or a waiver accepts).
	Allow
)

var verdictNames = [...]string{"indeterminate", "deny", "allow"}

// String returns "allow", "deny" or "indeterminate".
func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("verdict(%d)", uint8(v))
}

// MarshalText encodes v as its name.
func (v Verdict) MarshalText() ([]byte, error) {
	if int(v) >= len(verdictNames) {
		return nil, fmt.Errorf("invalid verdict %d", uint8(v))
	}
	return []byte(verdictNames[v]), nil
}

// Decision is the engine's answer to a proposed change, with the findings
// and the reasons behind it: a policy decision plus its diagnostics, so a
// service acts on Verdict and shows Reasons without filtering findings
// itself.
//
// The zero Decision is Indeterminate and allows nothing.
type Decision struct {
	// Verdict is the answer.
	Verdict Verdict `json:"verdict"`
	// Findings are every finding the change would add, in report order,
	// mitigated ones included (they do not deny, but a caller should show
	// them: they depend on an exception that will expire).
	Findings []audit.Finding `json:"findings"`
	// Reasons explain the verdict in words, one line each: for Deny, the
	// open findings; for Indeterminate, the findings that could not be
	// evaluated; for Allow, each mitigated or waived finding and the
	// exception or waiver that covers it, or a line saying the change adds
	// no finding.
	Reasons []string `json:"reasons"`
}

// Allowed reports whether the verdict is Allow. Indeterminate is not.
func (d Decision) Allowed() bool { return d.Verdict == Allow }

// Blocking returns the findings that decided a Deny or Indeterminate
// verdict: those whose status fails (open or indeterminate), in report
// order. It returns nil for Allow.
func (d Decision) Blocking() []audit.Finding {
	var out []audit.Finding
	for _, f := range d.Findings {
		if f.Status.Failing() {
			out = append(out, f)
		}
	}
	return out
}

// Decide answers whether the change may be made at at: it runs WhatIf and
// turns the findings the change would add into a Decision. An open finding
// denies; otherwise an indeterminate one makes the verdict Indeterminate;
// mitigated (and waived) findings do not deny. Errors are WhatIf's: a change that cannot
// be evaluated is an error, never an Allow.
//
// Decide is safe for concurrent use.
func (e *Engine) Decide(c Change, at time.Time) (Decision, error) {
	added, err := e.WhatIf(c, at)
	if err != nil {
		return Decision{}, err
	}
	return decisionOf(added), nil
}

// decisionOf decides on the findings a change adds, in report order.
func decisionOf(added []audit.Finding) Decision {
	d := Decision{Verdict: Allow, Findings: added}
	var open, indeterminate, mitigated []string
	for _, f := range added {
		line := string(f.Kind) + ": " + f.Message
		switch f.Status {
		case audit.Mitigated, audit.Waived:
			mitigated = append(mitigated, line)
		case audit.Indeterminate:
			indeterminate = append(indeterminate, line)
		default:
			open = append(open, line)
		}
	}
	switch {
	case len(open) > 0:
		d.Verdict, d.Reasons = Deny, open
	case len(indeterminate) > 0:
		d.Verdict, d.Reasons = Indeterminate, indeterminate
	case len(mitigated) > 0:
		d.Reasons = mitigated
	default:
		d.Reasons = []string{"the change adds no finding"}
	}
	return d
}
