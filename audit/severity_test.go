package audit_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

func TestSeverityZeroIsCritical(t *testing.T) {
	var s audit.Severity
	require.Equal(t, audit.Critical, s, "an unset severity must never be ignored by a threshold")
	for _, min := range audit.Severities() {
		require.Truef(t, s.AtLeast(min), "zero severity must be at least %s", min)
	}
}

func TestSeverityOrder(t *testing.T) {
	tests := []struct {
		name   string
		s, min audit.Severity
		want   bool
		reason string
	}{
		{"equal", audit.High, audit.High, true, "a threshold includes its own level"},
		{"more severe", audit.Critical, audit.High, true, "critical is above high"},
		{"less severe", audit.Medium, audit.High, false, "medium is below high"},
		{"info vs low", audit.Info, audit.Low, false, "info is the least severe"},
		{"out of range", audit.Severity(42), audit.Critical, true, "an invalid severity fails closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.s.AtLeast(tt.min), tt.reason)
		})
	}
}

func TestSeverityTextRoundTrip(t *testing.T) {
	var got []audit.Severity
	for _, s := range audit.Severities() {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back audit.Severity
		require.NoError(t, back.UnmarshalText(b))
		got = append(got, back)
	}
	if diff := cmp.Diff(audit.Severities(), got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	sorted := slices.Clone(got)
	slices.SortFunc(sorted, audit.Severity.Compare)
	require.Equal(t, got, sorted, "Severities() lists most severe first, the sort order")
	_, err := audit.ParseSeverity("urgent")
	require.ErrorContains(t, err, `"urgent"`, "the error quotes the bad input")
}

func TestSeverityText(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   audit.Severity
		err    bool
		reason string
	}{
		{"lower", "high", audit.High, false, "names are lower case"},
		{"upper", "CRITICAL", audit.Critical, false, "parsing ignores case"},
		{"mixed", "Info", audit.Info, false, "parsing ignores case"},
		{"unknown", "severe", 0, true, "only the five names"},
		{"empty", "", 0, true, "an empty name is not a severity"},
		{"number", "0", 0, true, "numbers are not names"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := audit.ParseSeverity(tt.in)
			if tt.err {
				require.ErrorContains(t, err, `"`+tt.in+`"`, tt.reason)
				var s audit.Severity = audit.Low
				require.Error(t, s.UnmarshalText([]byte(tt.in)))
				require.Equal(t, audit.Low, s, "a failed decode leaves the value alone")
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, tt.want, got)
		})
	}
	require.Equal(t, "severity(9)", audit.Severity(9).String())
	require.False(t, audit.Severity(9).Valid())
	_, err := audit.Severity(9).MarshalText()
	require.Error(t, err, "an out-of-range severity cannot be written")
	require.Equal(t, -1, audit.Critical.Compare(audit.Info))
	require.Equal(t, 1, audit.Info.Compare(audit.Critical))
	require.Equal(t, 0, audit.Medium.Compare(audit.Medium))
}
