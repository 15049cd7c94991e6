package sodtest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/sodkit/sodkit/audit"
)

// DiffFindings compares the findings a check returned (got) with the
// findings a test expects (want), in any order, and returns "" when they
// match or else a description of the difference.
//
// A wanted finding matches a returned one when their Kind, Rule, Subject,
// Severity and Status are equal and, for each of ID, Message and Evidence
// that the wanted finding sets, that is equal too (evidence by label and
// value, in any order: paths explain a finding, they do not identify it, as
// in audit.FindingID). So a test states what it cares about and nothing
// more; the zero Severity is Critical and the zero Status is Open, as
// everywhere, so write the severity and status you expect. Findings are
// matched one to one: two identical wanted findings need two returned ones.
//
// The difference lists each wanted finding nothing matched on a line
// starting "-" and each returned finding nothing matched on a line starting
// "+", in report order (severity, kind, rule, subject; a wanted finding
// before a returned one with the same), every line followed by the
// finding's message and evidence, so an unexpected finding shows the path
// that explains the access:
//
//	findings differ (-want +got):
//	- high sod.toxic-combination identity tom, rule R-P2P-01
//	+ critical sod.toxic-combination identity tom, rule R-PAY-04
//	      tom holds 2 of the 2 duties of rule R-PAY-04 (…)
//	      side Release payment runs: entitlement erp:payment.release via grant g-9 → role ap-supervisor → entitlement erp:payment.release
//
// Neither slice is modified.
func DiffFindings(got, want []audit.Finding) string {
	gotUsed, wantUsed := match(got, want)
	type line struct {
		f    audit.Finding
		want bool
	}
	var lines []line
	for i, f := range want {
		if !wantUsed[i] {
			lines = append(lines, line{f, true})
		}
	}
	for i, f := range got {
		if !gotUsed[i] {
			lines = append(lines, line{f, false})
		}
	}
	if len(lines) == 0 {
		return ""
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		if c := cmp.Or(a.f.Severity.Compare(b.f.Severity), cmp.Compare(a.f.Kind, b.f.Kind),
			cmp.Compare(a.f.Rule, b.f.Rule), a.f.Subject.Compare(b.f.Subject)); c != 0 {
			return c
		}
		switch {
		case a.want == b.want:
			return 0
		case a.want:
			return -1
		}
		return 1
	})
	var b strings.Builder
	b.WriteString("findings differ (-want +got):")
	for _, l := range lines {
		if l.want {
			b.WriteString("\n- ")
		} else {
			b.WriteString("\n+ ")
		}
		b.WriteString(headline(l.f))
		if l.want && l.f.ID != "" {
			b.WriteString("\n      id ")
			b.WriteString(l.f.ID)
		}
		writeDetail(&b, l.f, "\n      ")
	}
	return b.String()
}

// AssertFindings reports the difference DiffFindings finds through
// t.Errorf and returns whether got matched want.
func AssertFindings(t TB, got, want []audit.Finding) bool {
	t.Helper()
	if d := DiffFindings(got, want); d != "" {
		t.Errorf("%s", d)
		return false
	}
	return true
}

// match pairs wanted findings with returned ones, as many as possible
// (bipartite matching by augmenting paths, so a loosely specified wanted
// finding never takes the only match of a stricter one), and reports
// which of each side were paired. It is quadratic in the lists' length or
// worse: meant for the findings a test states, not a whole report.
func match(got, want []audit.Finding) (gotUsed, wantUsed []bool) {
	owner := make([]int, len(got)) // got index → want index, or -1
	for i := range owner {
		owner[i] = -1
	}
	// Candidates per wanted finding, computed once.
	cand := make([][]int, len(want))
	for w := range want {
		for g := range got {
			if matches(got[g], want[w]) {
				cand[w] = append(cand[w], g)
			}
		}
	}
	var seen []bool
	var try func(w int) bool
	try = func(w int) bool {
		for _, g := range cand[w] {
			if seen[g] {
				continue
			}
			seen[g] = true
			if owner[g] < 0 || try(owner[g]) {
				owner[g] = w
				return true
			}
		}
		return false
	}
	// A greedy pass matches what it can cheaply; augmenting paths then
	// fix the rest.
	matched := make([]bool, len(want))
	for w := range want {
		for _, g := range cand[w] {
			if owner[g] < 0 {
				owner[g], matched[w] = w, true
				break
			}
		}
	}
	seen = make([]bool, len(got))
	for w := range want {
		if matched[w] || len(cand[w]) == 0 {
			continue
		}
		clear(seen)
		try(w)
	}
	gotUsed, wantUsed = make([]bool, len(got)), make([]bool, len(want))
	for g, w := range owner {
		if w >= 0 {
			gotUsed[g], wantUsed[w] = true, true
		}
	}
	return gotUsed, wantUsed
}

// matches reports whether got is what want describes.
func matches(got, want audit.Finding) bool {
	if got.Kind != want.Kind || got.Rule != want.Rule || got.Subject.Compare(want.Subject) != 0 ||
		got.Severity != want.Severity || got.Status != want.Status {
		return false
	}
	if want.ID != "" && got.ID != want.ID {
		return false
	}
	if want.Message != "" && got.Message != want.Message {
		return false
	}
	if len(want.Evidence) > 0 && !sameEvidence(got.Evidence, want.Evidence) {
		return false
	}
	return true
}

// sameEvidence compares evidence by label and value, ignoring order and
// paths.
func sameEvidence(a, b []audit.Evidence) bool {
	key := func(ev []audit.Evidence) []audit.Evidence {
		out := make([]audit.Evidence, len(ev))
		for i, e := range ev {
			out[i] = audit.Evidence{Label: e.Label, Value: e.Value}
		}
		slices.SortFunc(out, audit.Evidence.Compare)
		return out
	}
	return slices.EqualFunc(key(a), key(b), func(x, y audit.Evidence) bool { return x.Label == y.Label && x.Value == y.Value })
}
