// Package kindtest checks, for the tests of the packages that report
// findings, that a package's kind table is complete and that the findings
// it builds come from it. It imports no testing package: each function
// returns an error joining every problem it found.
package kindtest

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sodkit/sodkit/audit"
)

// Table checks a kind table as a package's Kinds function returns it:
// sorted by kind with no kind twice, every kind named "prefix…", and each
// with a title (no final period), a valid severity, at least one control,
// every control known to audit and cited once, a remediation and a help
// text.
func Table(prefix string, kinds []audit.KindInfo) error {
	var errs []error
	bad := func(k audit.KindInfo, format string, args ...any) {
		errs = append(errs, fmt.Errorf("kind %q: %s", k.Kind, fmt.Sprintf(format, args...)))
	}
	if len(kinds) == 0 {
		return errors.New("the kind table is empty")
	}
	for i, k := range kinds {
		if i > 0 && kinds[i-1].Kind >= k.Kind {
			bad(k, "listed after %q: the table is not sorted by kind, or lists a kind twice", kinds[i-1].Kind)
		}
		if !strings.HasPrefix(string(k.Kind), prefix) || len(k.Kind) == len(prefix) {
			bad(k, "not named %q followed by the check", prefix)
		}
		if k.Title == "" || strings.HasSuffix(k.Title, ".") {
			bad(k, "title %q: want a few words without a final period", k.Title)
		}
		if !k.Severity.Valid() {
			bad(k, "invalid severity %v", k.Severity)
		}
		if len(k.Controls) == 0 {
			bad(k, "cites no control")
		}
		for j, c := range k.Controls {
			if !c.Known() {
				bad(k, "cites %s, which is not in audit's catalogue", c)
			}
			if slices.Contains(k.Controls[:j], c) {
				bad(k, "cites %s twice", c)
			}
		}
		if k.Remediation == "" {
			bad(k, "has no remediation")
		}
		if k.Help == "" {
			bad(k, "has no help text")
		}
	}
	return errors.Join(errs...)
}

// Findings checks that every finding is of a kind in kinds and cites at
// least the controls its kind does.
func Findings(kinds []audit.KindInfo, fs []audit.Finding) error {
	var errs []error
	for _, f := range fs {
		i := slices.IndexFunc(kinds, func(k audit.KindInfo) bool { return k.Kind == f.Kind })
		if i < 0 {
			errs = append(errs, fmt.Errorf("finding %s (%s %s): kind not in the kind table", f.ID, f.Kind, f.Subject))
			continue
		}
		for _, c := range kinds[i].Controls {
			if !slices.Contains(f.Controls, c) {
				errs = append(errs, fmt.Errorf("finding %s (%s %s): does not cite %s, which every finding of its kind cites", f.ID, f.Kind, f.Subject, c))
			}
		}
	}
	return errors.Join(errs...)
}
