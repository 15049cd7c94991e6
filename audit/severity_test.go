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
