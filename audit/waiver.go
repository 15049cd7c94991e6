package audit

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Waiver is an owned, time-bounded acceptance of findings: Owner decided,
// for Reason, that the findings it names need no action until Expires. It
// names findings by kind (Kinds, narrowed to one Subject when Subject is
// set) or by ID (Findings).
//
// A waiver never hides a finding: a finding it waives stays in every
// report, with status Waived and the waiver in its evidence (see Waive),
// keeps its ID, and is open again once the waiver expires. Whether a
// waiver may apply at all — in force, owned by someone who can still
// answer for it — is for the caller to decide: package scan applies the
// waivers of a bundle and reports expired, unowned and unused ones as
// findings of their own.
//
// The zero Waiver names no finding and is never in force.
type Waiver struct {
	// ID identifies the waiver among the waivers of a bundle; the
	// findings it waives name it.
	ID string
	// Kinds are the kinds of finding the waiver accepts; empty when it
	// names findings by ID.
	Kinds []Kind
	// Subject, when set, narrows Kinds to the findings about this
	// subject; the zero Subject matches every subject.
	Subject Subject
	// Findings are the IDs of the findings the waiver accepts ("sk-…");
	// empty when it names kinds.
	Findings []string
	// Owner is the identity or party accountable for the accepted risk.
	Owner string
	// Reason says, for people, why the findings may wait.
	Reason string
	// Expires is when the waiver stops applying: it is in force before
	// Expires, not at or after it. The zero time is never in force.
	Expires time.Time
}

// InForce reports whether the waiver applies at at: at is before Expires
// (half-open, like an exception's validity). A waiver with no expiry is
// never in force.
func (w Waiver) InForce(at time.Time) bool {
	return !w.Expires.IsZero() && at.Before(w.Expires)
}

// Matches reports whether the waiver names f: f's ID is one of Findings, or
// f's kind is one of Kinds and f is about Subject (any subject when
// Subject is zero). It does not look at f's status or at the time.
func (w Waiver) Matches(f Finding) bool {
	if f.ID != "" && slices.Contains(w.Findings, f.ID) {
		return true
	}
	if !slices.Contains(w.Kinds, f.Kind) {
		return false
	}
	// Subjects match by type and ID: a name shown beside the ID does not
	// decide, as it never does.
	return w.Subject.Type == "" && w.Subject.ID == "" || w.Subject.Compare(f.Subject) == 0
}

// waiverLabel starts the label of the evidence Waive adds; WriteSARIF
// quotes that evidence as the suppression's justification.
const waiverLabel = "waived by waiver "

// Waive returns f waived by w: status Waived, its message noting the
// waiver and its expiry, and one more piece of evidence naming the
// waiver, with its owner, expiry and reason. The ID does not change: the
// evidence is added after it was derived, as for a violation an exception
// mitigates. A finding whose status does not fail a gate (mitigated, or
// waived already) is returned unchanged: an exception or an earlier waiver
// already accounts for it. Waive neither checks that w matches f nor that
// it is in force; f itself is not modified.
func (w Waiver) Waive(f Finding) Finding {
	if !f.Status.Failing() {
		return f
	}
	until := w.Expires.UTC().Format(time.RFC3339)
	f.Status = Waived
	f.Evidence = append(slices.Clip(f.Evidence), Evidence{Label: waiverLabel + w.ID,
		Value: fmt.Sprintf("owner %s; expires %s; reason: %s", w.Owner, until, w.Reason)})
	if f.Message != "" {
		f.Message += "; "
	}
	f.Message += fmt.Sprintf("waived by waiver %s until %s", w.ID, until)
	return f
}

// WaivedBy returns the ID of the waiver that waived f (the one Waive
// named in its evidence), or "" when f is not waived.
func (f Finding) WaivedBy() string {
	if f.Status != Waived {
		return ""
	}
	for _, e := range f.Evidence {
		if id, ok := strings.CutPrefix(e.Label, waiverLabel); ok {
			return id
		}
	}
	return ""
}

// waiverJustification returns the evidence Waive added to f, as a
// sentence, or "" when there is none.
func waiverJustification(f Finding) string {
	for _, e := range f.Evidence {
		if strings.HasPrefix(e.Label, waiverLabel) {
			return "Waived by waiver " + strings.TrimPrefix(e.Label, waiverLabel) + ": " + e.Value
		}
	}
	return ""
}
