package audit

import (
	"bytes"
	"fmt"
	"io"
	"slices"
)

// Delta is the difference between an earlier report and a later one,
// matched by finding ID. Each list is in report order (of the later report
// for New, Changed and Unchanged; of the earlier one for Resolved).
type Delta struct {
	// New holds findings present only in the later report.
	New []Finding `json:"new"`
	// Resolved holds findings present only in the earlier report.
	Resolved []Finding `json:"resolved"`
	// Changed holds findings present in both whose severity, status,
	// message, controls or remediation differ. Their locations, their
	// Identity and the names of their subjects and path steps do not
	// count: a record that moved to another line or was renamed leaves
	// its findings unchanged, and so does a baseline written before
	// findings carried names and identities.
	Changed []Change `json:"changed"`
	// Unchanged holds findings present in both and equal.
	Unchanged []Finding `json:"unchanged"`
}

// Change is one finding present in both reports with different details.
type Change struct {
	// Before is the finding as the earlier report has it.
	Before Finding `json:"before"`
	// After is the finding as the later report has it.
	After Finding `json:"after"`
}

// Diff compares r with an earlier report and returns what is new, resolved,
// changed and unchanged. Neither report is modified.
func (r Report) Diff(earlier Report) Delta {
	before := make(map[string]Finding, len(earlier.Findings))
	for _, f := range earlier.Findings {
		before[f.ID] = f
	}
	after := Sort(slices.Clone(r.Findings))
	d := Delta{New: []Finding{}, Resolved: []Finding{}, Changed: []Change{}, Unchanged: []Finding{}}
	seen := make(map[string]bool, len(after))
	for _, f := range after {
		seen[f.ID] = true
		old, ok := before[f.ID]
		switch {
		case !ok:
			d.New = append(d.New, f)
		case sameFinding(old, f):
			d.Unchanged = append(d.Unchanged, f)
		default:
			d.Changed = append(d.Changed, Change{Before: old, After: f})
		}
	}
	for _, f := range Sort(slices.Clone(earlier.Findings)) {
		if !seen[f.ID] {
			d.Resolved = append(d.Resolved, f)
		}
	}
	return d
}

func sameFinding(a, b Finding) bool {
	return a.ID == b.ID && a.Kind == b.Kind && a.Severity == b.Severity && a.Status == b.Status &&
		a.Rule == b.Rule && a.Subject.Compare(b.Subject) == 0 && a.Message == b.Message &&
		a.Remediation == b.Remediation && slices.Equal(a.Controls, b.Controls) &&
		slices.EqualFunc(sortedEvidence(a.Evidence), sortedEvidence(b.Evidence), func(x, y Evidence) bool { return x.Compare(y) == 0 })
}

// sortedEvidence returns a sorted copy of ev: evidence order is
// presentation, and does not make a finding change.
func sortedEvidence(ev []Evidence) []Evidence {
	ev = slices.Clone(ev)
	slices.SortFunc(ev, Evidence.Compare)
	return ev
}

// Empty reports whether nothing was added, resolved or changed.
func (d Delta) Empty() bool { return len(d.New) == 0 && len(d.Resolved) == 0 && len(d.Changed) == 0 }

// Failing returns the new and changed findings at or above min whose status
// fails a gate: what a CI job with a baseline should fail on.
func (d Delta) Failing(min Severity) []Finding {
	var out []Finding
	for _, f := range d.New {
		if f.Status.Failing() && f.Severity.AtLeast(min) {
			out = append(out, f)
		}
	}
	for _, c := range d.Changed {
		if c.After.Status.Failing() && c.After.Severity.AtLeast(min) {
			out = append(out, c.After)
		}
	}
	return Sort(out)
}

// WriteText renders the delta for people: a count line, then the new,
// changed and resolved findings (unchanged ones are only counted). Text
// from the findings is escaped as in Report.WriteText.
func (d Delta) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d new, %d resolved, %d changed, %d unchanged\n",
		len(d.New), len(d.Resolved), len(d.Changed), len(d.Unchanged))
	for _, f := range d.New {
		b.WriteString("\nNEW ")
		writeFindingText(&b, f)
	}
	for _, c := range d.Changed {
		fmt.Fprintf(&b, "\nCHANGED (was %s, %s) ", c.Before.Severity, c.Before.Status)
		writeFindingText(&b, c.After)
	}
	for _, f := range d.Resolved {
		b.WriteString("\nRESOLVED ")
		writeFindingText(&b, f)
	}
	_, err := w.Write(b.Bytes())
	return err
}
