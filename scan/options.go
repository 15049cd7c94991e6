package scan

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sodkit/sodkit/audit"
)

// Options chooses which checks a scan runs and which kinds of finding it
// reports. Each name is a package — the part of a kind before the dot:
// "sod", "raci", "lifecycle", "breakglass", "import" (the importers'
// data-quality notes) or "waiver" (the findings about waivers) — or a
// kind, as Kinds lists them ("raci.no-owner").
//
// A package none of whose kinds is selected does not run at all; a kind
// that is not selected while others of its package are has its findings
// dropped. The report's Kinds lists only the selected kinds, so a SARIF
// report describes what the run could report. Waivers apply whatever the
// selection; see the package doc.
//
// The zero Options runs every check and reports every kind: a scan does
// everything unless told otherwise. Options is plain data; RunWith and
// StreamWith read it and keep nothing of it.
type Options struct {
	// Only, when not empty, selects just these packages and kinds;
	// empty selects every kind.
	Only []string
	// Skip removes these packages and kinds from what Only selects.
	Skip []string
}

// ErrUnknownCheck is wrapped by every *SelectionError: a name of Options
// that is neither a package nor a kind.
var ErrUnknownCheck = errors.New("unknown package or kind")

// ErrNothingSelected reports Options that leave no kind of finding to
// report: a scan of nothing would pass every gate, so it is refused.
var ErrNothingSelected = errors.New("the selection leaves no check to run")

// SelectionError is one name of Options that is neither a package nor a
// kind of finding. It wraps ErrUnknownCheck.
type SelectionError struct {
	// Field is the Options field that holds the name: "Only" or "Skip".
	Field string
	// Name is the name as given.
	Name string
	// Suggestion is the package or kind closest to Name, or "" when none
	// is close.
	Suggestion string
}

// Error returns `Only: unknown package or kind "sdo" (did you mean
// "sod"?)`, without the suggestion when there is none.
func (e *SelectionError) Error() string {
	msg := fmt.Sprintf("%s: %v %q", e.Field, ErrUnknownCheck, e.Name)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg
}

// Unwrap returns ErrUnknownCheck.
func (e *SelectionError) Unwrap() error { return ErrUnknownCheck }

// Validate checks every name of o against the packages and kinds a scan
// knows (see Kinds) and returns every problem, joined: a *SelectionError
// for each unknown name, with the closest known name as a suggestion, and
// ErrNothingSelected when Skip removes everything Only selects. RunWith
// and StreamWith call it before they read anything; callers that take
// names from people (flags, configuration) call it to fail early.
func (o Options) Validate() error {
	_, err := o.selection()
	return err
}

// selection is what Options select, resolved against Kinds: the kinds a
// scan drops, and the kinds it reports.
type selection struct {
	skipped map[audit.Kind]bool // known kinds the scan does not report
	kinds   []audit.KindInfo    // the kinds it reports, sorted
}

// selection resolves o, or fails as Validate does.
func (o Options) selection() (selection, error) {
	all := Kinds()
	packages := map[string]bool{}
	for _, k := range all {
		packages[kindPackage(k.Kind)] = true
	}
	// names returns the kinds a name covers, or reports it unknown.
	var errs []error
	names := func(field string, list []string, each func(audit.Kind)) {
		for _, name := range list {
			known := false
			for _, k := range all {
				if string(k.Kind) == name || kindPackage(k.Kind) == name {
					each(k.Kind)
					known = true
				}
			}
			if !known {
				errs = append(errs, &SelectionError{Field: field, Name: name, Suggestion: suggest(name, all, packages)})
			}
		}
	}
	selected := map[audit.Kind]bool{}
	if len(o.Only) == 0 {
		for _, k := range all {
			selected[k.Kind] = true
		}
	}
	names("Only", o.Only, func(k audit.Kind) { selected[k] = true })
	names("Skip", o.Skip, func(k audit.Kind) { delete(selected, k) })
	if len(errs) > 0 {
		return selection{}, errors.Join(errs...)
	}
	if len(selected) == 0 {
		return selection{}, ErrNothingSelected
	}
	s := selection{skipped: map[audit.Kind]bool{}}
	for _, k := range all {
		if selected[k.Kind] {
			s.kinds = append(s.kinds, k)
		} else {
			s.skipped[k.Kind] = true
		}
	}
	return s, nil
}

// runs reports whether the check package called name has a kind selected.
func (s selection) runs(name string) bool {
	return slices.ContainsFunc(s.kinds, func(k audit.KindInfo) bool { return kindPackage(k.Kind) == name })
}

// keep drops, in place, the findings of a kind the selection skips. A
// finding of a kind scan does not know is kept: it fails closed.
func (s selection) keep(fs []audit.Finding) []audit.Finding {
	if len(s.skipped) == 0 {
		return fs
	}
	return slices.DeleteFunc(fs, func(f audit.Finding) bool { return s.skipped[f.Kind] })
}

// kindPackage returns the package of a kind: "raci" for "raci.no-owner".
func kindPackage(k audit.Kind) string {
	pkg, _, _ := strings.Cut(string(k), ".")
	return pkg
}

// suggest returns the package or kind closest to name, when it is close
// enough to be what was meant: within about one edit in four characters
// (case, swapped letters and a missing or extra letter each count one).
func suggest(name string, kinds []audit.KindInfo, packages map[string]bool) string {
	var candidates []string
	for p := range packages {
		candidates = append(candidates, p)
	}
	slices.Sort(candidates) // ties go to the first in order, whatever the map's
	for _, k := range kinds {
		candidates = append(candidates, string(k.Kind))
	}
	return closest(name, candidates)
}

// closest returns the candidate nearest to name by edit distance, ties to
// the earliest, if it is within 1 + len(name)/4 edits; else "".
func closest(name string, candidates []string) string {
	best, bestD := "", 1+len(name)/4+1
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b,
// by bytes: insertions, deletions, substitutions and swaps of neighbours
// each cost one.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
