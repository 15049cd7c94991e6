package scan

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/internal/suggest"
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
// Shard splits a scan by identity (see Shard), and Progress follows it
// as it runs.
//
// The zero Options runs every check over every identity and reports every
// kind: a scan does everything unless told otherwise. RunWith and
// StreamWith read Options, call Progress while they run, and keep nothing
// of it once they return.
type Options struct {
	// Only, when not empty, selects just these packages and kinds;
	// empty selects every kind.
	Only []string
	// Skip removes these packages and kinds from what Only selects.
	Skip []string
	// Shard, when its Count is not 0, checks only the identities of one
	// shard and makes the report partial, for Merge; the zero Shard
	// checks every identity.
	Shard Shard
	// Progress, when not nil, is called after each identity the scan
	// takes in, with how far it is (see Progress). Calls come from one
	// goroutine at a time — the one handing identities in: RunWith's
	// caller, or the one reading the input for StreamWith — and never
	// after RunWith or StreamWith returns, so Progress needs no lock of
	// its own; it must return quickly, as the scan waits for it.
	Progress func(Progress)
}

// Progress is how far a scan is, as Options.Progress receives it.
type Progress struct {
	// Identities is the number of identities the scan has taken in so
	// far, in input order: handed to the checks or, in a shard, passed
	// over as another shard's. The checks of the last few hundred may
	// still be running.
	Identities int
	// Total is the number of identities in the bundle, known from the
	// directory before the first identity is taken in.
	Total int
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
	// Suggestions are the packages and kinds nearest to Name, sorted:
	// those a likely typo away (letters swapped, missing, extra or wrong,
	// case ignored), decided as every did-you-mean of sodkit decides; nil
	// when none is that near.
	Suggestions []string
}

// Error returns `Only: unknown package or kind "sdo" (did you mean
// "sod"?)`, without the suggestion when there is none.
func (e *SelectionError) Error() string {
	msg := fmt.Sprintf("%s: %v %q", e.Field, ErrUnknownCheck, e.Name)
	if len(e.Suggestions) > 0 {
		quoted := make([]string, len(e.Suggestions))
		for i, s := range e.Suggestions {
			quoted[i] = strconv.Quote(s)
		}
		msg += " (did you mean " + suggest.Join(quoted) + "?)"
	}
	return msg
}

// Unwrap returns ErrUnknownCheck.
func (e *SelectionError) Unwrap() error { return ErrUnknownCheck }

// Validate checks every name of o against the packages and kinds a scan
// knows (see Kinds) and returns every problem, joined: a *SelectionError
// for each unknown name, with the closest known name as a suggestion,
// ErrNothingSelected when Skip removes everything Only selects, and an
// error wrapping ErrShard, naming the field, for a Shard that is no part
// of a split. RunWith and StreamWith call it before they read anything;
// callers that take names from people (flags, configuration) call it to
// fail early.
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
				errs = append(errs, &SelectionError{Field: field, Name: name, Suggestions: suggestions(name, all, packages)})
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
	if len(errs) == 0 && len(selected) == 0 {
		errs = append(errs, ErrNothingSelected)
	}
	if err := o.Shard.validate(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return selection{}, errors.Join(errs...)
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

// suggestions returns the packages and kinds closest to name, as
// suggest.Closest finds them, or nil.
func suggestions(name string, kinds []audit.KindInfo, packages map[string]bool) []string {
	candidates := make([]string, 0, len(packages)+len(kinds))
	for p := range packages {
		candidates = append(candidates, p)
	}
	for _, k := range kinds {
		candidates = append(candidates, string(k.Kind))
	}
	return suggest.Closest(name, candidates)
}
