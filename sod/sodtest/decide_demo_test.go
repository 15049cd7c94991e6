package sodtest_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/internal/decisiontest"
	"github.com/sodkit/sodkit/sod/sodtest"
)

// TestGrantAllowedTable runs the decision table every entry point shares
// (internal/decisiontest) through GrantAllowed: allow passes, deny and
// indeterminate fail with the blocking findings, and a question that
// cannot be answered is an error that is not a *FindingsError.
func TestGrantAllowedTable(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	for _, c := range decisiontest.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			err := sodtest.GrantAllowed(b.Index, b.SoD, c.Identity, c.Grant(b.Index, b.AsOf), b.AsOf)
			var fe *sodtest.FindingsError
			switch c.Want {
			case "allow":
				require.NoError(t, err, c.Reason)
			case "error":
				require.Error(t, err, c.Reason)
				require.False(t, errors.As(err, &fe), "an unanswerable question is not a finding: %v", err)
				require.Contains(t, err.Error(), `"`+c.ErrorNames+`"`)
			default:
				require.True(t, errors.As(err, &fe), "%s: want findings, got %v", c.Reason, err)
				require.Equal(t, c.Failing(), decisiontest.Summary(fe.Findings, true), c.Reason)
			}
		})
	}
}
