package audit_test

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// writers are the report's renderings, by format.
var writers = map[string]func(audit.Report, io.Writer) error{
	"text": audit.Report.WriteText,
	"text by owner": func(r audit.Report, w io.Writer) error {
		low := audit.Low
		return r.WriteTextWith(w, &audit.TextOptions{GroupBy: audit.GroupByOwner, MinSeverity: &low})
	},
	"json":     audit.Report.WriteJSON,
	"sarif":    audit.Report.WriteSARIF,
	"csv":      audit.Report.WriteCSV,
	"markdown": audit.Report.WriteMarkdown,
	"html":     audit.Report.WriteHTML,
	"oscal":    func(r audit.Report, w io.Writer) error { return r.WriteOSCAL(w, nil) },
}

// cloneReport returns a copy of r that shares no memory with it.
func cloneReport(r audit.Report) audit.Report {
	c := r
	c.Inputs = slices.Clone(r.Inputs)
	c.Findings = slices.Clone(r.Findings)
	for i, f := range c.Findings {
		f.Evidence = slices.Clone(f.Evidence)
		for j, e := range f.Evidence {
			f.Evidence[j].Path = slices.Clone(e.Path)
		}
		f.Controls = slices.Clone(f.Controls)
		c.Findings[i] = f
	}
	c.Figures.ByKind = slices.Clone(r.Figures.ByKind)
	c.Figures.BySeverity = slices.Clone(r.Figures.BySeverity)
	c.Figures.Shares = slices.Clone(r.Figures.Shares)
	for i, s := range c.Figures.Shares {
		c.Figures.Shares[i].Parts = slices.Clone(s.Parts)
	}
	c.Figures.Monthly = slices.Clone(r.Figures.Monthly)
	for i, s := range c.Figures.Monthly {
		c.Figures.Monthly[i].Points = slices.Clone(s.Points)
	}
	c.Kinds = slices.Clone(r.Kinds)
	for i, k := range c.Kinds {
		c.Kinds[i].Controls = slices.Clone(k.Controls)
	}
	return c
}

// sampleKinds describes the kinds of sampleReport, and one it did not find.
func sampleKinds() []audit.KindInfo {
	return []audit.KindInfo{
		{Kind: "sod.toxic-combination", Title: "Toxic combination", Severity: audit.High,
			Controls: []audit.Control{ac5, prAA05}, Remediation: "Remove one side.", Help: "An identity holds k sides of a rule."},
		{Kind: "lifecycle.no-expiry", Title: "Grant without expiry", Severity: audit.Medium,
			Controls: []audit.Control{audit.Ref(audit.SP80053, "AC-2(2)")}, Remediation: "Set an expiry.", Help: "A privileged grant never expires."},
		{Kind: "lifecycle.missing-reason", Title: "Grant without reason", Severity: audit.Low,
			Controls: []audit.Control{audit.Ref(audit.SP80053, "AU-3")}, Remediation: "Record the reason.", Help: "No business reason is recorded."},
		{Kind: "sod.exception-expired", Title: "Exception expired", Severity: audit.Low,
			Controls: []audit.Control{ac5}, Remediation: "Renew or remove.", Help: "An exception's validity has ended."},
	}
}

// scrambled is sampleReport with its kinds, out of order: findings and
// inputs reversed, kinds unsorted, and one finding twice.
func scrambled() audit.Report {
	r := sampleReport()
	r.Kinds = sampleKinds()
	slices.Reverse(r.Findings)
	slices.Reverse(r.Inputs)
	r.Findings = append(r.Findings, r.Findings[2])
	return r
}

// TestWritersArePure renders one report in every format from several
// goroutines at once (run it with -race): every rendering equals a
// single-threaded one, and the report is unchanged, down to what its
// slices point to.
func TestWritersArePure(t *testing.T) {
	ordered := sampleReport()
	ordered.Kinds = sampleKinds()
	ordered.Normalize()
	for _, tc := range []struct {
		name   string
		reason string
		report audit.Report
	}{
		{name: "in order", reason: "a report from NewReport or ReadReport is rendered as it is", report: ordered},
		{name: "out of order", reason: "a report built by hand is rendered as Normalize would order it, from a copy", report: scrambled()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.report
			before := cloneReport(r)
			want := map[string][]byte{}
			for name, write := range writers {
				var b bytes.Buffer
				require.NoError(t, write(cloneReport(r), &b), name)
				want[name] = b.Bytes()
			}
			const rounds = 4
			var wg sync.WaitGroup
			errs := make(chan error, rounds*len(writers))
			for range rounds {
				for name, write := range writers {
					wg.Go(func() {
						var b bytes.Buffer
						if err := write(r, &b); err != nil {
							errs <- fmt.Errorf("%s: %w", name, err)
						} else if !bytes.Equal(b.Bytes(), want[name]) {
							errs <- fmt.Errorf("%s: rendered concurrently, differs from the single-threaded rendering", name)
						}
					})
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if diff := cmp.Diff(before, r); diff != "" {
				t.Errorf("rendering modified the report (%s) (-before +after):\n%s", tc.reason, diff)
			}
		})
	}
}

// TestWritersKeepDuplicates renders a report built by hand with one
// finding twice: each writer shows it once and leaves the caller's slice
// as it was, with no finding zeroed.
func TestWritersKeepDuplicates(t *testing.T) {
	fs := sampleReport().Findings
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			r := audit.Report{Tool: "sodkit", Version: audit.Version, EvaluatedAt: evalTime,
				Findings: []audit.Finding{fs[3], fs[0], fs[3], fs[1]}}
			want := slices.Clone(r.Findings)
			var b bytes.Buffer
			require.NoError(t, write(r, &b))
			require.Equal(t, want, r.Findings, "the writer left the caller's findings as they were")
			for i, f := range r.Findings {
				require.NotEmpty(t, f.ID, "finding %d was zeroed", i)
			}
			norm := r
			norm.Findings = slices.Clone(r.Findings)
			norm.Normalize()
			require.Len(t, norm.Findings, 3, "Normalize drops the second copy")
			var nb bytes.Buffer
			require.NoError(t, write(norm, &nb))
			require.Equal(t, nb.String(), b.String(), "the duplicate is rendered once, as after Normalize")
		})
	}
}
