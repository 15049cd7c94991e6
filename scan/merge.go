package scan

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
)

// The errors a *MergeError wraps: what is wrong with a set of parts.
var (
	// ErrNotPartial: a part is a whole report, not a shard's.
	ErrNotPartial = errors.New("not a shard's partial report")
	// ErrShardMissing: a shard of the split has no part.
	ErrShardMissing = errors.New("shard missing")
	// ErrShardRepeated: two parts are the same shard.
	ErrShardRepeated = errors.New("shard given twice")
	// ErrPartsDiffer: two parts are not of the same scan — a different
	// split, inputs, evaluation time, release or choice of checks.
	ErrPartsDiffer = errors.New("parts of different scans")
)

// MergeError is one problem Merge finds with its parts. It wraps
// ErrNotPartial, ErrShardMissing, ErrShardRepeated or ErrPartsDiffer.
type MergeError struct {
	// Part is the position of the part at fault among Merge's
	// arguments, or -1 for a problem of the set (a shard no part is, or
	// no part at all).
	Part int
	// Field names the report member at fault, as the JSON report names
	// it: "partial.shard", "inputs", "evaluated_at", "version",
	// "partial.only", …; "" for a missing shard.
	Field string
	// Err says what is wrong; it wraps one of the errors above.
	Err error
	// Against is the position of the part this one was compared with
	// when it differs from it (ErrPartsDiffer: the first partial part),
	// else -1.
	Against int
}

// Error returns "part 2: inputs: parts of different scans: … (compared
// with part 0)", or, for a problem of the set, the problem alone.
func (e *MergeError) Error() string {
	var b strings.Builder
	if e.Part >= 0 {
		fmt.Fprintf(&b, "part %d: ", e.Part)
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Err.Error())
	if e.Against >= 0 {
		fmt.Fprintf(&b, " (compared with part %d)", e.Against)
	}
	return b.String()
}

// Unwrap returns Err.
func (e *MergeError) Unwrap() error { return e.Err }

// Merge returns the report one scan of the whole bundle gives, from the
// partial reports of every shard of a split scan (RunWith or StreamWith
// with Options.Shard, written with audit.Report.WriteJSON and read back
// with audit.ReadReport, in any order): the findings of every part, the
// findings about the waivers made from the parts' tallies by the code a
// scan uses, the figures summed, and the Kinds the parts' choice of
// checks selects. Its JSON, text, SARIF and every other rendering are
// byte for byte those of the single scan's report.
//
// Merge fails closed, before it merges anything, and reports every
// problem it finds, joined, each a *MergeError naming the part and the
// member: a part that is not partial (ErrNotPartial), a shard missing
// (ErrShardMissing) or given twice (ErrShardRepeated), and parts that are
// not of one scan (ErrPartsDiffer): split into a different number of
// shards, computed from other inputs (names, sizes or SHA-256), at
// another evaluation time, by another release of sodkit than this one, or
// with another choice of checks (Only, Skip), or listing other waivers.
// The parts are not modified.
func Merge(parts ...audit.Report) (audit.Report, error) {
	if len(parts) == 0 {
		return audit.Report{}, &MergeError{Part: -1, Against: -1, Err: fmt.Errorf("%w: no parts to merge", ErrShardMissing)}
	}
	var errs []error
	bad := func(part int, field string, sentinel error, format string, args ...any) *MergeError {
		e := &MergeError{Part: part, Field: field, Against: -1, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
		errs = append(errs, e)
		return e
	}
	first := -1 // the first partial part, which the others must agree with
	for i, p := range parts {
		switch {
		case p.Partial == nil:
			bad(i, "partial", ErrNotPartial, "a whole report (merge the reports of sodkit check --shard)")
		case p.Partial.Of < 1:
			bad(i, "partial.of", ErrNotPartial, "%d is not a number of shards", p.Partial.Of)
		case first < 0:
			first = i
		}
	}
	if first < 0 {
		return audit.Report{}, errors.Join(errs...)
	}
	ref := parts[first]
	if ref.Version != audit.Version {
		bad(first, "version", ErrPartsDiffer, "made by sodkit %s; this is sodkit %s, whose merge may differ", ref.Version, audit.Version)
	}
	byShard := make([]int, ref.Partial.Of) // shard → its part's position + 1
	for i, p := range parts {
		if p.Partial == nil || p.Partial.Of < 1 {
			continue
		}
		if i != first {
			differ := func(field, what string, args ...any) {
				bad(i, field, ErrPartsDiffer, what, args...).Against = first
			}
			if p.Partial.Of != ref.Partial.Of {
				differ("partial.of", "split into %d shards, not %d", p.Partial.Of, ref.Partial.Of)
				continue // its shard is one of another split
			}
			if p.Tool != ref.Tool || p.Version != ref.Version {
				differ("version", "made by %s %s, not %s %s", p.Tool, p.Version, ref.Tool, ref.Version)
			}
			sameTime := p.EvaluatedAt.Equal(ref.EvaluatedAt)
			if !sameTime {
				differ("evaluated_at", "evaluated at %s, not %s", p.EvaluatedAt.UTC().Format(time.RFC3339Nano), ref.EvaluatedAt.UTC().Format(time.RFC3339Nano))
			}
			if !slices.Equal(p.Inputs, ref.Inputs) {
				differ("inputs", "computed from other inputs: %s", inputsDiffer(p.Inputs, ref.Inputs))
			}
			if !slices.Equal(p.Partial.Only, ref.Partial.Only) || !slices.Equal(p.Partial.Skip, ref.Partial.Skip) {
				differ("partial.only", "checks chosen with only %q skip %q, not only %q skip %q",
					p.Partial.Only, p.Partial.Skip, ref.Partial.Only, ref.Partial.Skip)
			}
			if !slices.EqualFunc(p.Partial.Waivers, ref.Partial.Waivers, sameWaiver) {
				differ("partial.waivers", "other waivers")
			}
			if sameTime && !sameShape(p.Figures, ref.Figures) { // another time has other months
				differ("figures", "figures of another shape")
			}
		}
		s := p.Partial.Shard
		switch {
		case s < 0 || s >= len(byShard):
			bad(i, "partial.shard", ErrPartsDiffer, "shard %d is not one of 0 to %d", s, len(byShard)-1)
		case byShard[s] > 0:
			bad(i, "partial.shard", ErrShardRepeated, "shard %d/%d is also part %d", s, len(byShard), byShard[s]-1)
		default:
			byShard[s] = i + 1
		}
	}
	var missing []string
	for s, at := range byShard {
		if at == 0 {
			missing = append(missing, fmt.Sprint(s))
		}
	}
	if len(missing) > 0 {
		errs = append(errs, &MergeError{Part: -1, Against: -1, Err: fmt.Errorf("%w: no part is shard %s of %d", ErrShardMissing, strings.Join(missing, ", "), len(byShard))})
	}
	sel, err := Options{Only: ref.Partial.Only, Skip: ref.Partial.Skip}.selection()
	if err != nil {
		bad(first, "partial.only", ErrPartsDiffer, "a choice of checks this release does not know: %v", err)
	}
	if len(errs) > 0 {
		return audit.Report{}, errors.Join(errs...)
	}

	n := 0
	for _, p := range parts {
		n += len(p.Findings)
	}
	findings := make([]audit.Finding, 0, n)
	tallies := slices.Clone(ref.Partial.Waivers)
	for i := range tallies {
		tallies[i].Matched, tallies[i].Lapsed = 0, 0
	}
	for _, p := range parts {
		findings = append(findings, p.Findings...)
		for i, t := range p.Partial.Waivers {
			tallies[i].Matched += t.Matched
			tallies[i].Lapsed += t.Lapsed
		}
	}
	findings = append(findings, waiverFindings(tallies, ref.EvaluatedAt, sel)...)
	rep := audit.NewReport(ref.EvaluatedAt, ref.Inputs, findings)
	rep.Figures = sumFigures(parts)
	rep.Kinds = sel.kinds
	return rep, nil
}

// inputsDiffer says how the inputs of a part differ from those of
// another, ref: "b.json with sha256 0a1b2c3d4e5f…, not 9f8e7d6c5b4a…;
// also d.json; no c.json".
func inputsDiffer(p, ref []audit.Input) string {
	var out []string
	for _, in := range p {
		i := slices.IndexFunc(ref, func(r audit.Input) bool { return r.Name == in.Name })
		switch {
		case i < 0:
			out = append(out, "also "+in.Name)
		case ref[i].SHA256 != in.SHA256:
			out = append(out, fmt.Sprintf("%s with sha256 %.12s…, not %.12s…", in.Name, in.SHA256, ref[i].SHA256))
		case ref[i] != in:
			out = append(out, fmt.Sprintf("%s of %d bytes, not %d", in.Name, in.Bytes, ref[i].Bytes))
		}
	}
	for _, r := range ref {
		if !slices.ContainsFunc(p, func(in audit.Input) bool { return in.Name == r.Name }) {
			out = append(out, "no "+r.Name)
		}
	}
	if len(out) == 0 {
		return "the same inputs listed otherwise"
	}
	return strings.Join(out, "; ")
}

// sameWaiver reports whether two tallies are of the same waiver, as the
// same directory describes it, whatever they counted.
func sameWaiver(a, b audit.WaiverTally) bool {
	return a.ID == b.ID && slices.Equal(a.Kinds, b.Kinds) && a.Subject == b.Subject && slices.Equal(a.Findings, b.Findings) &&
		a.Owner == b.Owner && a.Expires.Equal(b.Expires) && a.OwnerActive == b.OwnerActive &&
		a.OwnerDescription == b.OwnerDescription && a.Location == b.Location
}

// sameShape reports whether two parts' figures have the same shares (by
// name and labels) and series (by name and months), in the same order,
// so that they can be summed.
func sameShape(a, b audit.Figures) bool {
	return slices.EqualFunc(a.Shares, b.Shares, func(x, y audit.Share) bool {
		return x.Name == y.Name && slices.EqualFunc(x.Parts, y.Parts, func(p, q audit.Part) bool { return p.Label == q.Label })
	}) && slices.EqualFunc(a.Monthly, b.Monthly, func(x, y audit.Series) bool {
		return x.Name == y.Name && slices.EqualFunc(x.Points, y.Points, func(p, q audit.MonthCount) bool { return p.Month == q.Month })
	})
}

// sumFigures adds up the parts' shares and series, which have the same
// shape (sameShape). The finding counts are left to the writers, which
// recompute them.
func sumFigures(parts []audit.Report) audit.Figures {
	var out audit.Figures
	for _, s := range parts[0].Figures.Shares {
		out.Shares = append(out.Shares, audit.Share{Name: s.Name, Parts: make([]audit.Part, len(s.Parts))})
	}
	for _, s := range parts[0].Figures.Monthly {
		out.Monthly = append(out.Monthly, audit.Series{Name: s.Name, Points: make([]audit.MonthCount, len(s.Points))})
	}
	for _, p := range parts {
		for i, s := range p.Figures.Shares {
			for j, part := range s.Parts {
				out.Shares[i].Parts[j].Label = part.Label
				out.Shares[i].Parts[j].Count += part.Count
			}
		}
		for i, s := range p.Figures.Monthly {
			for j, m := range s.Points {
				out.Monthly[i].Points[j].Month = m.Month
				out.Monthly[i].Points[j].Count += m.Count
			}
		}
	}
	return out
}
