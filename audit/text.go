package audit

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/internal/safetext"
)

// Grouping says how a text report groups its findings (TextOptions): by
// what a reader acts on.
//
// The zero Grouping is GroupNone: findings in report order, ungrouped.
type Grouping uint8

const (
	// GroupNone lists the findings in report order, without groups.
	GroupNone Grouping = iota
	// GroupByOwner groups the findings by their Owner, the person or
	// party accountable for acting on them; findings with no owner form
	// a group of their own.
	GroupByOwner
	// GroupByIdentity groups the findings by the identity they are about
	// (Finding.Identity): the identity itself, a grant's holder, a
	// session's user. Findings about no single identity form a group of
	// their own.
	GroupByIdentity
	// GroupByKind groups the findings by their Kind.
	GroupByKind
)

var groupingNames = [...]string{GroupNone: "none", GroupByOwner: "owner", GroupByIdentity: "identity", GroupByKind: "kind"}

// String returns "none", "owner", "identity" or "kind".
func (g Grouping) String() string {
	if int(g) < len(groupingNames) {
		return groupingNames[g]
	}
	return fmt.Sprintf("grouping(%d)", uint8(g))
}

// ErrGrouping reports a grouping name ParseGrouping does not know.
var ErrGrouping = errors.New("unknown grouping")

// ParseGrouping parses a grouping name: "none", "owner", "identity" or
// "kind", in any case. An unknown name is an error wrapping ErrGrouping
// that quotes it.
func ParseGrouping(name string) (Grouping, error) {
	for i, n := range groupingNames {
		if strings.EqualFold(name, n) {
			return Grouping(i), nil
		}
	}
	return GroupNone, fmt.Errorf("%w %q (want none, owner, identity or kind)", ErrGrouping, name)
}

// TextOptions shapes a text report (Report.WriteTextWith). They change
// what is listed and in which order, never what is counted: the summary
// always counts every finding and says how many are not listed.
//
// The zero TextOptions, like a nil *TextOptions, lists every finding in
// report order.
type TextOptions struct {
	// GroupBy groups the findings; the zero value lists them in report
	// order.
	GroupBy Grouping
	// MinSeverity, when not nil, lists only the findings at or above
	// *MinSeverity (see Severity.AtLeast); nil lists every finding.
	MinSeverity *Severity
}

// textTop is how many identities and owners the summary names.
const textTop = 5

// WriteTextWith renders r for people, shaped by opts (nil: the zero
// TextOptions):
//
//   - a header naming the evaluation time and the inputs;
//   - a summary of every finding: the one-line count, the counts by
//     severity (with how many fail a gate) and by kind (per package, most
//     frequent first), the identities and the owners with most findings
//     (when any finding has one),
//     the shares, and the monthly series with their non-zero months only;
//     with MinSeverity, how many findings are not listed;
//   - the findings at or above MinSeverity, each with its location, owner
//     (but under an owner's header), rule, evidence, controls and
//     remediation: in report order, or in groups headed "== owner fiona:
//     …" (GroupBy). Groups come most severe
//     first (by their most severe finding, then their number of findings,
//     then their name), findings within a group in report order.
//
// Text taken from the report is escaped as WriteText says. The output is
// stable for equal reports and options.
func (r Report) WriteTextWith(w io.Writer, opts *TextOptions) error {
	var o TextOptions
	if opts != nil {
		o = *opts
	}
	r = r.ordered()
	esc := safetext.Escape
	var b bytes.Buffer
	fmt.Fprintf(&b, "sodkit %s report, evaluated at %s\n", esc(r.Version), r.EvaluatedAt.UTC().Format(time.RFC3339))
	for _, in := range r.Inputs {
		fmt.Fprintf(&b, "input %s (%d bytes, sha256 %s)\n", esc(in.Name), in.Bytes, esc(in.SHA256))
	}
	b.WriteString(summaryLine(r))
	b.WriteString("\n")

	shown := r.Findings
	if o.MinSeverity != nil {
		shown = slices.DeleteFunc(slices.Clone(r.Findings), func(f Finding) bool { return !f.Severity.AtLeast(*o.MinSeverity) })
	}
	if len(r.Findings) > 0 {
		b.WriteString("\n")
		writeTextSummary(&b, r, len(r.Findings)-len(shown), o)
	}
	if o.GroupBy == GroupNone {
		for _, f := range shown {
			b.WriteString("\n")
			writeFindingText(&b, f)
		}
	} else {
		titles := map[Kind]string{}
		for _, k := range r.Kinds {
			titles[k.Kind] = k.Title
		}
		for _, g := range groupFindings(r.Findings, o.GroupBy) {
			var in []Finding
			for _, f := range g.findings {
				if o.MinSeverity == nil || f.Severity.AtLeast(*o.MinSeverity) {
					in = append(in, f)
				}
			}
			if len(in) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n== %s: %s", groupTitle(o.GroupBy, g.key, titles), countLine(g.findings))
			if n := len(g.findings) - len(in); n > 0 {
				fmt.Fprintf(&b, "; %d below %s not listed", n, *o.MinSeverity)
			}
			b.WriteString("\n")
			for _, f := range in {
				if o.GroupBy == GroupByOwner {
					f.Owner = "" // the group's header names it
				}
				b.WriteString("\n")
				writeFindingText(&b, f)
			}
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeTextSummary writes the summary lines of a report with findings;
// hidden findings are below opts.MinSeverity.
func writeTextSummary(b *bytes.Buffer, r Report, hidden int, opts TextOptions) {
	fig := r.Figures.withCounts(r.Findings)
	var parts []string
	for _, s := range fig.BySeverity {
		if s.Count > 0 {
			parts = append(parts, fmt.Sprintf("%s %d (%d failing)", s.Severity, s.Count, s.Failing))
		}
	}
	b.WriteString("by severity: " + strings.Join(parts, ", ") + "\n")

	b.WriteString("by kind:\n")
	for _, p := range kindsByPackage(fig.ByKind) {
		b.WriteString("  " + safetext.Escape(p) + "\n")
	}

	for _, by := range []Grouping{GroupByIdentity, GroupByOwner} {
		if line := topLine(r.Findings, by); line != "" {
			b.WriteString(safetext.Escape(line) + "\n")
		}
	}
	for _, s := range fig.Shares {
		b.WriteString(safetext.Escape(s.Name+": "+s.text()) + "\n")
	}
	for _, s := range fig.Monthly {
		b.WriteString(safetext.Escape(monthlyLine(s)) + "\n")
	}
	if hidden > 0 {
		fmt.Fprintf(b, "not listed below: %d %s below %s (counted above)\n", hidden, plural(hidden, "finding", "findings"), *opts.MinSeverity)
	}
}

// kindsByPackage renders the kind counts one line per package (the part
// of the kind before its first dot), most findings first: "sod 46:
// duty-conflict 12, toxic-combination 12, …".
func kindsByPackage(kinds []KindCount) []string {
	type pkg struct {
		name  string
		total int
		kinds []KindCount
	}
	var pkgs []*pkg
	byName := map[string]*pkg{}
	for _, k := range kinds {
		name, _, _ := strings.Cut(string(k.Kind), ".")
		p := byName[name]
		if p == nil {
			p = &pkg{name: name}
			byName[name] = p
			pkgs = append(pkgs, p)
		}
		p.total += k.Count
		p.kinds = append(p.kinds, k)
	}
	slices.SortFunc(pkgs, func(a, b *pkg) int { return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(a.name, b.name)) })
	out := make([]string, len(pkgs))
	for i, p := range pkgs {
		slices.SortFunc(p.kinds, func(a, b KindCount) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Kind, b.Kind)) })
		parts := make([]string, len(p.kinds))
		for j, k := range p.kinds {
			short, ok := strings.CutPrefix(string(k.Kind), p.name+".")
			if !ok {
				short = string(k.Kind)
			}
			parts[j] = fmt.Sprintf("%s %d", short, k.Count)
		}
		out[i] = fmt.Sprintf("%s %d: %s", p.name, p.total, strings.Join(parts, ", "))
	}
	return out
}

// topLine names the identities or owners with most findings: "top
// owners: fiona 36, … (of 17 owners; 7 findings without an owner)", or ""
// when no finding has one.
func topLine(fs []Finding, by Grouping) string {
	noun, nouns, none := "identity", "identities", "about no single identity"
	if by == GroupByOwner {
		noun, nouns, none = "owner", "owners", "without an owner"
	}
	var groups []group
	without := 0
	for _, g := range groupFindings(fs, by) {
		if g.key == "" {
			without = len(g.findings)
			continue
		}
		groups = append(groups, g)
	}
	if len(groups) == 0 {
		return ""
	}
	slices.SortStableFunc(groups, func(a, b group) int {
		return cmp.Or(cmp.Compare(len(b.findings), len(a.findings)), cmp.Compare(a.key, b.key))
	})
	parts := make([]string, 0, textTop)
	for _, g := range groups[:min(textTop, len(groups))] {
		parts = append(parts, fmt.Sprintf("%s %d", g.key, len(g.findings)))
	}
	line := fmt.Sprintf("top %s: %s (of %d %s", nouns, strings.Join(parts, ", "), len(groups), plural(len(groups), noun, nouns))
	if without > 0 {
		line += fmt.Sprintf("; %d %s %s", without, plural(without, "finding", "findings"), none)
	}
	return line + ")"
}

// monthlyLine renders a series with its non-zero months only: "sessions
// opened per month: 2026-10 14, 2026-11 2 (2025-12 to 2026-11, other months
// none)".
func monthlyLine(s Series) string {
	var parts []string
	for _, p := range s.Points {
		if p.Count != 0 {
			parts = append(parts, fmt.Sprintf("%s %d", p.Month, p.Count))
		}
	}
	span := ""
	if n := len(s.Points); n > 0 {
		span = s.Points[0].Month
		if n > 1 {
			span += " to " + s.Points[n-1].Month
		}
	}
	switch {
	case len(parts) == 0 && span == "":
		return s.Name + " per month: none"
	case len(parts) == 0:
		return fmt.Sprintf("%s per month: none in %s", s.Name, span)
	case len(parts) == len(s.Points):
		return fmt.Sprintf("%s per month: %s", s.Name, strings.Join(parts, ", "))
	}
	return fmt.Sprintf("%s per month: %s (%s, other months none)", s.Name, strings.Join(parts, ", "), span)
}

// group is the findings that share a key under a grouping, in report
// order.
type group struct {
	key      string
	findings []Finding
}

// groupKey returns f's key under a grouping.
func groupKey(f Finding, by Grouping) string {
	switch by {
	case GroupByOwner:
		return f.Owner
	case GroupByIdentity:
		return f.Identity
	case GroupByKind:
		return string(f.Kind)
	}
	return ""
}

// groupFindings groups findings in report order by key, most severe group
// first: by the group's most severe finding, then its number of findings,
// then its key.
func groupFindings(fs []Finding, by Grouping) []group {
	idx := map[string]int{}
	var gs []group
	for _, f := range fs {
		k := groupKey(f, by)
		i, ok := idx[k]
		if !ok {
			i = len(gs)
			idx[k] = i
			gs = append(gs, group{key: k})
		}
		gs[i].findings = append(gs[i].findings, f)
	}
	slices.SortFunc(gs, func(a, b group) int {
		return cmp.Or(worst(a.findings).Compare(worst(b.findings)),
			cmp.Compare(len(b.findings), len(a.findings)), cmp.Compare(a.key, b.key))
	})
	return gs
}

// worst returns the most severe severity among fs, which are in report
// order (most severe first); out-of-range severities count as Critical.
func worst(fs []Finding) Severity {
	s := Info
	for _, f := range fs {
		if !f.Severity.Valid() {
			return Critical
		}
		s = min(s, f.Severity)
	}
	return s
}

// groupTitle names a group in its header: "owner fiona", "no owner",
// "identity alice", "kind sod.toxic-combination (Toxic combination)".
func groupTitle(by Grouping, key string, titles map[Kind]string) string {
	esc := safetext.Escape
	switch {
	case by == GroupByOwner && key == "":
		return "no owner"
	case by == GroupByIdentity && key == "":
		return "not about one identity"
	case by == GroupByKind && titles[Kind(key)] != "":
		return "kind " + esc(key) + " (" + esc(titles[Kind(key)]) + ")"
	}
	return by.String() + " " + esc(key)
}

// countLine counts a group's findings: "12 findings (2 critical, 10 high),
// 11 failing".
func countLine(fs []Finding) string {
	n := map[Severity]int{}
	failing := 0
	for _, f := range fs {
		s := f.Severity
		if !s.Valid() {
			s = Critical
		}
		n[s]++
		if f.Status.Failing() {
			failing++
		}
	}
	var parts []string
	for _, s := range Severities() {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
	}
	return fmt.Sprintf("%d %s (%s), %d failing", len(fs), plural(len(fs), "finding", "findings"), strings.Join(parts, ", "), failing)
}
