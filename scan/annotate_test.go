package scan_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/scan"
	"github.com/sodkit/sodkit/sod"
)

// bare returns copies of fs without what Annotate adds: locations, owners
// and names.
func bare(fs []audit.Finding) []audit.Finding {
	out := make([]audit.Finding, len(fs))
	for i, f := range fs {
		f.Location, f.Owner, f.Subject.Name = audit.Location{}, "", ""
		ev := make([]audit.Evidence, len(f.Evidence))
		for j, e := range f.Evidence {
			if e.Path != nil {
				path := make([]audit.Step, len(e.Path))
				for k, st := range e.Path {
					path[k] = audit.Step{Type: st.Type, ID: st.ID}
				}
				e.Path = path
			}
			ev[j] = e
		}
		if f.Evidence == nil {
			ev = nil
		}
		f.Evidence = ev
		out[i] = f
	}
	return out
}

// TestAnnotateAsRun: the findings of a scan, stripped of what scan adds,
// get it back from Annotate exactly: one rule for what a scan and any
// other source of findings add.
func TestAnnotateAsRun(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	r, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)
	got := bare(r.Findings)
	require.NotEqual(t, r.Findings, got, "the demo's findings carry locations, owners and names")
	scan.Annotate(b, got)
	require.Empty(t, cmp.Diff(r.Findings, got), "Annotate adds what Run adds")
}

// TestAnnotateWhatIf: the findings of a what-if decision read as a scan's
// do, including those about a proposed grant the bundle does not hold.
func TestAnnotateWhatIf(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	e, err := sod.Compile(b.Index, b.SoD)
	require.NoError(t, err)
	d, err := e.Decide(sod.Change{Identity: "alice", Grants: []entitlement.Grant{{Entitlement: "erp:payment.release", State: entitlement.GrantActive}}}, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.NotEmpty(t, d.Findings)
	scan.Annotate(b, d.Findings)
	for _, f := range d.Findings {
		require.Equal(t, "fiona", f.Owner, "%s %s: alice's manager owns what her access adds", f.Kind, f.Subject)
		if f.Subject.Type == "identity" {
			require.Equal(t, "Alice Brandt", f.Subject.Name)
			require.False(t, f.Location.IsZero(), "placed at alice's record")
		}
	}
}
