package sod_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/decisiontest"
	"github.com/sodkit/sodkit/sod"
)

// TestDecideTable runs the decision table that every entry point shares
// (internal/decisiontest) through Engine.Decide, the code they all call.
func TestDecideTable(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	e, err := sod.Compile(b.Index, b.SoD)
	require.NoError(t, err)
	for _, c := range decisiontest.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			d, err := e.Decide(sod.Change{Identity: c.Identity, Grants: []entitlement.Grant{c.Grant(b.Index, b.AsOf)}}, b.AsOf)
			if c.Want == "error" {
				require.ErrorIs(t, err, sod.ErrChange, c.Reason)
				require.Contains(t, err.Error(), `"`+c.ErrorNames+`"`, "the error names what is wrong")
				require.False(t, d.Allowed())
				var re *entitlement.RecordError
				if c.ErrorNames != c.Identity {
					require.True(t, errors.As(err, &re), "a record problem unwraps to the record's error: %v", err)
				}
				return
			}
			require.NoError(t, err, c.Reason)
			require.Equal(t, c.Want, d.Verdict.String(), c.Reason)
			require.Equal(t, c.Findings, decisiontest.Summary(d.Findings, false), c.Reason)
		})
	}
}
