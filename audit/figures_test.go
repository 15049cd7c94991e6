package audit_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

func TestCountFindings(t *testing.T) {
	fs := []audit.Finding{
		{Kind: "b.two", Severity: audit.High},
		{Kind: "a.one", Severity: audit.High, Status: audit.Mitigated},
		{Kind: "b.two", Severity: audit.Info, Status: audit.Indeterminate},
		{Kind: "a.one", Severity: audit.Severity(42)},
	}
	got := audit.CountFindings(fs)
	want := audit.Figures{
		ByKind: []audit.KindCount{{Kind: "a.one", Count: 2, Failing: 1}, {Kind: "b.two", Count: 2, Failing: 2}},
		BySeverity: []audit.SeverityCount{
			{Severity: audit.Critical, Count: 1, Failing: 1}, // the out-of-range severity fails closed
			{Severity: audit.High, Count: 2, Failing: 1},
			{Severity: audit.Medium}, {Severity: audit.Low},
			{Severity: audit.Info, Count: 1, Failing: 1},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CountFindings (-want +got):\n%s", diff)
	}
	empty := audit.CountFindings(nil)
	require.Len(t, empty.BySeverity, 5, "every severity is listed, even with no findings")
	require.Empty(t, empty.ByKind)
}

func TestMonthlySeries(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		reason  string
		times   []time.Time
		through time.Time
		months  int
		want    []audit.MonthCount
	}{
		{name: "window", reason: "fixed window ending at through, quiet months zero, outside ignored",
			times:   []time.Time{day(2026, 1, 5), day(2026, 3, 1), day(2026, 3, 31), day(2025, 1, 1), day(2026, 5, 1)},
			through: day(2026, 4, 10), months: 3,
			want: []audit.MonthCount{{Month: "2026-02"}, {Month: "2026-03", Count: 2}, {Month: "2026-04"}}},
		{name: "year boundary", reason: "months count across years",
			times: []time.Time{day(2025, 12, 31)}, through: day(2026, 1, 1), months: 2,
			want: []audit.MonthCount{{Month: "2025-12", Count: 1}, {Month: "2026-01"}}},
		{name: "span", reason: "months <= 0 spans from the earliest time",
			times: []time.Time{day(2026, 2, 1), day(2025, 11, 30)}, through: day(2026, 2, 2), months: 0,
			want: []audit.MonthCount{{Month: "2025-11", Count: 1}, {Month: "2025-12"}, {Month: "2026-01"}, {Month: "2026-02", Count: 1}}},
		{name: "zones", reason: "months are UTC months",
			times:   []time.Time{time.Date(2026, 3, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600))},
			through: day(2026, 3, 5), months: 2,
			want: []audit.MonthCount{{Month: "2026-02", Count: 1}, {Month: "2026-03"}}},
		{name: "empty", reason: "no times, one month", through: day(2026, 3, 5),
			want: []audit.MonthCount{{Month: "2026-03"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := audit.MonthlySeries("x", tc.times, tc.through, tc.months)
			require.Equal(t, "x", got.Name)
			if diff := cmp.Diff(tc.want, got.Points); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestShare(t *testing.T) {
	s := audit.Share{Name: "active grants by path", Parts: []audit.Part{{Label: "standard", Count: 3}, {Label: "exception", Count: 1}}}
	require.Equal(t, 4, s.Total())
	require.InDelta(t, 75.0, s.Percent(s.Parts[0]), 1e-9)
	require.Zero(t, audit.Share{}.Percent(audit.Part{Count: 3}), "an empty share is 0%, not NaN")
}
