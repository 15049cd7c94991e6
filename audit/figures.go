package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Figures are the governance figures a report carries beside its findings:
// how many findings of each kind and severity, how a population splits
// between paths (active grants through the standard, exception and
// emergency paths), and how often something happened per month (exceptions
// granted, emergency sessions opened): the signal that the exception path
// is becoming the default path.
//
// The finding counts are computed by audit from the findings (see
// CountFindings); report writers recompute them, so they always agree with
// the findings. Shares and Monthly are plain data filled by the caller, so
// any check package can feed them without audit knowing it.
//
// The zero Figures holds no figures.
type Figures struct {
	// ByKind counts findings per kind, sorted by kind.
	ByKind []KindCount `json:"by_kind"`
	// BySeverity counts findings per severity, every severity listed,
	// most severe first.
	BySeverity []SeverityCount `json:"by_severity"`
	// Shares are breakdowns of a population into parts, sorted by name.
	Shares []Share `json:"shares,omitempty"`
	// Monthly are per-month series, sorted by name.
	Monthly []Series `json:"monthly,omitempty"`
}

// KindCount is the number of findings of one kind; Failing counts those
// whose status fails a gate (open or indeterminate).
type KindCount struct {
	// Kind is the kind counted.
	Kind Kind `json:"kind"`
	// Count is the number of findings of the kind.
	Count int `json:"count"`
	// Failing is the number of those that are open or indeterminate.
	Failing int `json:"failing"`
}

// SeverityCount is the number of findings of one severity; Failing counts
// those whose status fails a gate.
type SeverityCount struct {
	// Severity is the severity counted; CountFindings counts a finding of
	// an out-of-range severity as Critical.
	Severity Severity `json:"severity"`
	// Count is the number of findings of the severity.
	Count int `json:"count"`
	// Failing is the number of those that are open or indeterminate.
	Failing int `json:"failing"`
}

// Share splits a population into labelled parts, for example "active grants
// by path" into standard, exception and emergency. Parts keep the order the
// caller gives; Total is their sum.
type Share struct {
	// Name says what population is split, such as "active grants by path".
	Name string `json:"name"`
	// Parts are the parts, in the caller's order.
	Parts []Part `json:"parts"`
}

// Part is one labelled part of a Share.
type Part struct {
	// Label names the part, such as "exception".
	Label string `json:"label"`
	// Count is the number of members of the population in the part.
	Count int `json:"count"`
}

// Total returns the sum of the parts' counts.
func (s Share) Total() int {
	n := 0
	for _, p := range s.Parts {
		n += p.Count
	}
	return n
}

// Percent returns part's share of the total, in percent, or 0 when the
// total is 0.
func (s Share) Percent(p Part) float64 {
	t := s.Total()
	if t == 0 {
		return 0
	}
	return 100 * float64(p.Count) / float64(t)
}

// Series counts events per calendar month (UTC), for example "exceptions
// granted". Points are in month order with no gaps: a month with no events
// has a zero point.
type Series struct {
	// Name says what is counted, such as "exceptions granted".
	Name string `json:"name"`
	// Points are the monthly counts, oldest month first.
	Points []MonthCount `json:"points"`
}

// MonthCount is the number of events in one month, written "2006-01".
type MonthCount struct {
	// Month is the calendar month (UTC), written "2006-01".
	Month string `json:"month"`
	// Count is the number of events in the month.
	Count int `json:"count"`
}

// CountFindings returns the figures computed from findings: counts by kind
// (sorted by kind) and by severity (every severity, most severe first).
// Shares and Monthly are left empty for the caller to fill.
func CountFindings(findings []Finding) Figures {
	bySev := make([]SeverityCount, len(Severities()))
	for i, s := range Severities() {
		bySev[i].Severity = s
	}
	kinds := map[Kind]*KindCount{}
	for _, f := range findings {
		k := kinds[f.Kind]
		if k == nil {
			k = &KindCount{Kind: f.Kind}
			kinds[f.Kind] = k
		}
		k.Count++
		// Out-of-range severities count as critical: they fail closed.
		i := 0
		if f.Severity.Valid() {
			i = int(f.Severity)
		}
		bySev[i].Count++
		if f.Status.Failing() {
			k.Failing++
			bySev[i].Failing++
		}
	}
	byKind := make([]KindCount, 0, len(kinds))
	for _, k := range kinds {
		byKind = append(byKind, *k)
	}
	slices.SortFunc(byKind, func(a, b KindCount) int { return cmp.Compare(a.Kind, b.Kind) })
	return Figures{ByKind: byKind, BySeverity: bySev}
}

// MonthlySeries counts times per UTC calendar month over the months
// months ending with the month of through, oldest first, with zero points
// for quiet months; times outside that window are ignored. With months <= 0
// the window starts at the month of the earliest time (or of through, when
// times is empty).
func MonthlySeries(name string, times []time.Time, through time.Time, months int) Series {
	last := monthStart(through)
	first := last
	if months > 0 {
		first = last.AddDate(0, -(months - 1), 0)
	} else {
		for _, t := range times {
			if m := monthStart(t); m.Before(first) {
				first = m
			}
		}
	}
	idx := map[time.Time]int{}
	s := Series{Name: name}
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		idx[m] = len(s.Points)
		s.Points = append(s.Points, MonthCount{Month: m.Format("2006-01")})
	}
	for _, t := range times {
		if i, ok := idx[monthStart(t)]; ok {
			s.Points[i].Count++
		}
	}
	return s
}

func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// withCounts returns f with its finding counts recomputed from findings and
// its shares and series sorted by name (points by month). f's slices are
// not modified.
func (f Figures) withCounts(findings []Finding) Figures {
	out := CountFindings(findings)
	out.Shares = slices.Clone(f.Shares)
	slices.SortStableFunc(out.Shares, func(a, b Share) int { return cmp.Compare(a.Name, b.Name) })
	out.Monthly = slices.Clone(f.Monthly)
	slices.SortStableFunc(out.Monthly, func(a, b Series) int { return cmp.Compare(a.Name, b.Name) })
	for i, s := range out.Monthly {
		s.Points = slices.Clone(s.Points)
		slices.SortStableFunc(s.Points, func(a, b MonthCount) int { return cmp.Compare(a.Month, b.Month) })
		out.Monthly[i] = s
	}
	return out
}

// lines renders the figures for people, one line each, without the
// severity counts (the summary line has those).
func (f Figures) lines() []string {
	var out []string
	if len(f.ByKind) > 0 {
		parts := make([]string, len(f.ByKind))
		for i, k := range f.ByKind {
			parts[i] = fmt.Sprintf("%s %d", k.Kind, k.Count)
		}
		out = append(out, "findings by kind: "+strings.Join(parts, ", "))
	}
	for _, s := range f.Shares {
		out = append(out, s.Name+": "+s.text())
	}
	for _, s := range f.Monthly {
		parts := make([]string, len(s.Points))
		for i, p := range s.Points {
			parts[i] = fmt.Sprintf("%s %d", p.Month, p.Count)
		}
		out = append(out, s.Name+" per month: "+strings.Join(parts, ", "))
	}
	return out
}

// text renders a share as "standard 40 (80.0%), exception 10 (20.0%) of 50".
func (s Share) text() string {
	parts := make([]string, len(s.Parts))
	for i, p := range s.Parts {
		parts[i] = fmt.Sprintf("%s %d (%.1f%%)", p.Label, p.Count, s.Percent(p))
	}
	return fmt.Sprintf("%s of %d", strings.Join(parts, ", "), s.Total())
}
