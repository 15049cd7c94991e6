package audit

import (
	"cmp"
	"slices"
)

// Kind names the check that produced a finding, as "package.check", for
// example "sod.toxic-combination" or "lifecycle.no-expiry". Kinds are stable
// across releases: reports, baselines and SARIF rule IDs key on them.
type Kind string

// KindInfo describes one kind of finding: its title, the severity, controls
// and remediation its findings get unless the check says otherwise, and a
// help text. Each package that reports findings keeps one table of them,
// lists it with its Kinds function, and builds every finding of a kind with
// that kind's New, so a kind's defaults are written once and a report can
// describe every kind a run could report (SARIF's rule table, "sodkit
// kinds"), not only the kinds it happened to find.
//
// The zero KindInfo describes the empty kind; findings it builds have
// severity Critical and cite no control.
type KindInfo struct {
	// Kind is the kind described.
	Kind Kind `json:"kind"`
	// Title names the kind in a few words, in sentence case and without a
	// final period, for example "Toxic combination".
	Title string `json:"title"`
	// Severity is the default severity of the kind's findings. A check
	// may rate one finding otherwise: a sod violation takes its rule's
	// severity, a grant conferring privileged access may be rated higher.
	// The zero Severity is Critical.
	Severity Severity `json:"severity"`
	// Controls are the controls every finding of the kind cites. A check
	// may cite more on one finding (see Finding.Cite), such as a rule's
	// own controls, or OWASP NHI controls when the subject is a non-human
	// identity.
	Controls []Control `json:"controls"`
	// Remediation is how to fix a finding of the kind in general. A check
	// may give one finding a more specific remediation.
	Remediation string `json:"remediation"`
	// Help explains, in a sentence or two, what the kind finds and why it
	// matters.
	Help string `json:"help"`
}

// New returns a finding of kind k.Kind under rule (empty when no rule is
// involved) about subject, saying message, with evidence, status Open, and
// k's severity, controls and remediation. When subject is an identity
// (type "identity"), the finding's Identity is its ID; a check reporting
// on a grant, a session or another record of one identity sets Identity
// itself. Its ID is derived from k.Kind,
// rule, subject and evidence (see FindingID); its controls are sorted and
// free of duplicates. New copies evidence and k.Controls: the finding
// shares no memory with them.
//
// After New, a check may change the finding's Severity, Status, Message,
// Remediation and Identity and cite more controls (see Finding.Cite): none
// of them takes part in the ID. The ID is fixed when New returns, so evidence
// appended afterwards explains the finding without identifying it; sod
// names the exception that mitigates a violation this way, so the
// violation keeps its ID when the exception lapses. Anything that should
// identify a finding must be passed to New.
func (k KindInfo) New(rule string, subject Subject, message string, evidence ...Evidence) Finding {
	f := Finding{
		Kind:        k.Kind,
		Severity:    k.Severity,
		Rule:        rule,
		Subject:     subject,
		Message:     message,
		Evidence:    slices.Clone(evidence),
		Remediation: k.Remediation,
	}
	if subject.Type == "identity" {
		f.Identity = subject.ID
	}
	f.Controls = sortedControls(nil, k.Controls)
	f.ID = FindingID(f.Kind, f.Rule, f.Subject, f.Evidence)
	return f
}

// Compare orders kind descriptions by kind.
func (k KindInfo) Compare(l KindInfo) int { return cmp.Compare(k.Kind, l.Kind) }

// Cite returns a copy of f that cites controls as well as the controls f
// cites already, sorted by Control.Compare and free of duplicates. f
// itself is not modified. The ID does not change: controls never take part
// in it.
func (f Finding) Cite(controls ...Control) Finding {
	f.Controls = sortedControls(f.Controls, controls)
	return f
}

// sortedControls returns a new slice holding a and b, sorted and free of
// duplicates, or nil when both are empty.
func sortedControls(a, b []Control) []Control {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := make([]Control, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.SortFunc(out, Control.Compare)
	return slices.Compact(out)
}
