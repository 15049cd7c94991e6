package scan_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/scan"
)

func demoOpener() ([]bundle.Source, func(), error) { return demo.Sources(), func() {}, nil }

// TestStreamMatchesRun holds the streamed scan to the in-memory one: the
// same report, byte for byte, on the demo and on a generated export, with
// and without a choice of checks — findings placed at the same records,
// every one about an identity or a grant placed, waivers applied alike.
func TestStreamMatchesRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "export.json")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, synth.WriteBundle(f, synth.Config{Seed: 3, Identities: 3000}))
	require.NoError(t, f.Close())

	tests := []struct {
		name   string
		reason string
		open   bundle.Opener
		opts   scan.Options
	}{
		{"demo", "every check package has findings in the demo, and it has waivers", demoOpener, scan.Options{}},
		{"demo selected", "a choice of checks is applied alike", demoOpener, scan.Options{Skip: []string{"raci", "sod.duty-conflict"}}},
		{"generated", "thousands of identities, drift, expired and just-in-time grants", bundle.FileOpener(path), scan.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs, done, err := tt.open()
			require.NoError(t, err)
			b, err := bundle.Load(srcs...)
			done()
			require.NoError(t, err)
			want, err := scan.RunWith(b, b.AsOf, tt.opts)
			require.NoError(t, err)
			require.NotEmpty(t, want.Findings)

			got, err := scan.StreamWith(tt.open, time.Time{}, tt.opts)
			require.NoError(t, err)
			for _, f := range got.Findings {
				if f.Subject.Type == "identity" || f.Subject.Type == "grant" {
					require.Positive(t, f.Location.Line, "%s %s %s: streamed, still placed at its record", tt.name, f.Kind, f.Subject)
				}
			}
			var wj, gj bytes.Buffer
			require.NoError(t, want.WriteJSON(&wj))
			require.NoError(t, got.WriteJSON(&gj))
			if wj.String() != gj.String() {
				// Name the first difference; a diff of whole reports is too slow.
				d := want.Diff(got)
				t.Fatalf("%s: streamed report differs: %d findings only in Run, %d only in Stream, %d changed; figures equal: %v\nfirst only in Run: %+v\nfirst only in Stream: %+v",
					tt.reason, len(d.New), len(d.Resolved), len(d.Changed), fmt.Sprint(want.Figures) == fmt.Sprint(got.Figures), first(d.New), first(d.Resolved))
			}
		})
	}
}

func TestStreamReportsGrantProblems(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"format":"sodkit.bundle/v1","as_of":"2026-01-01T00:00:00Z",
"identities":[
 {"id":"a","kind":"human","status":"active","grants":[{"id":"g1","role":"nope","state":"active"}]},
 {"id":"b","kind":"human","status":"active","grants":[
   {"id":"g1","entitlement":"x:y","state":"active"}]}
],
"entitlements":[{"id":"x:y"}]}`), 0o600))
	_, err := scan.Stream(bundle.FileOpener(path), time.Time{})
	require.Error(t, err)
	msg := err.Error()
	require.Contains(t, msg, `bad.json:3: grant g1 of identity a: field role: unknown reference: no role "nope"`)
	require.Contains(t, msg, `bad.json:5: grant g1 of identity b: field id: duplicate`)
}

func TestScanNeedsATime(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "timeless.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"format":"sodkit.bundle/v1"}`), 0o600))
	_, err := scan.Stream(bundle.FileOpener(path), time.Time{})
	require.ErrorIs(t, err, scan.ErrNoTime, "fail closed rather than read the wall clock")
	b, err := bundle.LoadFiles(path)
	require.NoError(t, err)
	_, err = scan.Run(b, time.Time{})
	require.ErrorIs(t, err, scan.ErrNoTime, "Run too: a zero time would put every grant out of effect")
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r, err := scan.Stream(bundle.FileOpener(path), at)
	require.NoError(t, err)
	require.Equal(t, at, r.EvaluatedAt, "an explicit time is used as given")
}

func first(fs []audit.Finding) any {
	if len(fs) == 0 {
		return nil
	}
	return fs[0]
}
