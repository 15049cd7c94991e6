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

// TestFindingsNameTheirIdentity checks Finding.Identity on the demo's sod
// findings: a toxic combination is about its holder, a duty conflict on a
// grant record about the grant's holder, a finding about an exception
// about the identity it covers (none for a party's exception), a finding
// about a rule or a role about no single identity.
func TestFindingsNameTheirIdentity(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	e, err := sod.Compile(b.Index, b.SoD)
	require.NoError(t, err)
	covers := map[string]string{}
	for _, x := range b.SoD.Exceptions {
		covers[x.ID] = x.Identity
	}
	seen := map[string]bool{}
	for _, f := range e.Check(b.AsOf) {
		want := ""
		switch f.Subject.Type {
		case "identity":
			want = f.Subject.ID
		case "grant":
			_, holder, ok := b.Index.Grant(f.Subject.ID)
			require.True(t, ok)
			want = holder.ID
		case "exception":
			want = covers[f.Subject.ID]
		}
		require.Equal(t, want, f.Identity, "%s %s", f.Kind, f.Subject)
		seen[f.Subject.Type] = true
	}
	for _, typ := range []string{"identity", "grant", "exception", "rule", "role"} {
		require.True(t, seen[typ], "the demo has sod findings about a %s", typ)
	}
}
