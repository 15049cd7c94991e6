package audit_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

func TestRef(t *testing.T) {
	tests := []struct {
		name      string
		framework audit.Framework
		id        string
		known     bool
		reason    string
	}{
		{"SP 800-53", audit.SP80053, "AC-5", true, "separation of duties"},
		{"enhancement", audit.SP80053, "AC-6(7)", true, "enhancements are written with parentheses"},
		{"CSF 2.0", audit.CSF, "PR.AA-05", true, "the current CSF ID"},
		{"superseded CSF 1.1", audit.CSF, "PR.AC-4", false, "CSF 1.1 IDs are superseded"},
		{"NHI", audit.NHI, "NHI1:2025", true, "IDs as OWASP publishes them"},
		{"NHI without year", audit.NHI, "NHI1", false, "the year is part of the ID"},
		{"AI RMF", audit.AIRMF, "GOVERN 2.1", true, "AI agents' governance"},
		{"RBAC", audit.RBAC, "SSD", true, "static separation of duty sets"},
		{"wrong framework", audit.CSF, "AC-5", false, "an ID belongs to its framework"},
		{"lower case", audit.SP80053, "ac-5", false, "IDs are exact"},
		{"zero", "", "", false, "the zero Control is not a reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := audit.Control{Framework: tt.framework, ID: tt.id}
			require.Equal(t, tt.known, c.Known(), tt.reason)
			title, ok := c.Title()
			require.Equal(t, tt.known, ok)
			if !tt.known {
				require.Panics(t, func() { audit.Ref(tt.framework, tt.id) }, "a typo in a finding table fails at start-up: %s", tt.reason)
				require.Empty(t, title)
				return
			}
			require.NotEmpty(t, title)
			require.Equal(t, c, audit.Ref(tt.framework, tt.id))
		})
	}
}

// TestCatalogue checks that every control DESIGN.md §4 cites is in the
// catalogue, and that Controls lists the catalogue in order.
func TestCatalogue(t *testing.T) {
	cited := map[audit.Framework][]string{
		audit.SP80053: {"AC-2", "AC-2(2)", "AC-2(3)", "AC-3(2)", "AC-5", "AC-6", "AC-6(5)", "AC-6(7)", "AC-6(9)",
			"AU-6", "CM-5(4)", "IA-5", "PS-4"},
		audit.CSF:   {"PR.AA-05", "GV.RR-02"},
		audit.NHI:   {"NHI1:2025", "NHI5:2025", "NHI7:2025", "NHI8:2025", "NHI9:2025", "NHI10:2025"},
		audit.AIRMF: {"GOVERN 2.1"},
	}
	all := audit.Controls()
	for f, ids := range cited {
		for _, id := range ids {
			require.Contains(t, all, audit.Control{Framework: f, ID: id})
		}
	}
	require.True(t, slices.IsSortedFunc(all, audit.Control.Compare), "sorted by framework, then ID")
	require.Len(t, slices.CompactFunc(slices.Clone(all), func(a, b audit.Control) bool { return a == b }), len(all))
	for _, c := range all {
		require.True(t, c.Known())
	}
	all[0] = audit.Control{}
	require.True(t, audit.Controls()[0].Known(), "callers get a fresh slice")
}

func TestControlString(t *testing.T) {
	require.Equal(t, "NIST SP 800-53 Rev. 5 AC-5", ac5.String())
	require.Equal(t, "OWASP NHI Top 10 2025 NHI1:2025", audit.Ref(audit.NHI, "NHI1:2025").String())
	require.Negative(t, prAA05.Compare(ac5), "frameworks compare first: NIST CSF before NIST SP")
	require.Negative(t, ac5.Compare(ac6))
	require.Zero(t, ac5.Compare(audit.Ref(audit.SP80053, "AC-5")))
}
