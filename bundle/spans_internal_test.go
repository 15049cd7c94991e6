package bundle

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

// firstPassSpans runs Stream's first pass over files, in place or on
// several goroutines, and returns where it found each identity object.
func firstPassSpans(t *testing.T, parallel bool, files ...string) [][]span {
	t.Helper()
	oldWorkers, oldItems := parallelWorkers, batchItems
	defer func() { parallelWorkers, batchItems = oldWorkers, oldItems }()
	parallelWorkers, batchItems = func() int { return 3 }, 7
	l := newLoader()
	l.skipGrants, l.parallel, l.recordSpans = true, parallel, true
	var srcs []Source
	for i, f := range files {
		srcs = append(srcs, Source{Name: fmt.Sprintf("f%d.json", i), Reader: strings.NewReader(f)})
	}
	l.read(srcs, func(*decoder, entitlement.Identity) error { return nil })
	require.NoError(t, l.err())
	return l.spans
}

// TestFirstPassSpans: the first pass, read in place, records every
// identity object where RawObject finds it on the parallel path — its
// first byte and its length — so the second pass takes every identity
// from its span, whatever the whitespace around and inside the objects.
func TestFirstPassSpans(t *testing.T) {
	var gen bytes.Buffer
	require.NoError(t, synth.WriteBundle(&gen, synth.Config{Seed: 9, Identities: 120}))
	compact := gen.String()
	spaced := strings.NewReplacer(`{"id":`, "{ \n\t\"id\" :", `"grants":[`, "\"grants\" : [\r\n").Replace(compact)
	for name, files := range map[string][]string{
		"generated": {compact},
		"spaced":    {spaced},
		"two files": {compact, "{\"format\":\"sodkit.bundle/v1\",\"identities\":[\n" +
			`{"id":"x1","kind":"human","grants":[{"id":"gx1","entitlement":"e","state":"active","approvals":[{"by":"a}b{"}]}]} ,` +
			"\n\t{ \"id\":\"x2\" , \"kind\":\"human\" }\n]}"},
		"empty identities": {`{"format":"sodkit.bundle/v1","identities":[]}`},
	} {
		t.Run(name, func(t *testing.T) {
			inPlace := firstPassSpans(t, false, files...)
			require.Equal(t, firstPassSpans(t, true, files...), inPlace)
			for i, f := range files {
				for _, s := range inPlace[i] {
					obj := f[s.off : s.off+int64(s.n)]
					require.True(t, strings.HasPrefix(obj, "{") && strings.HasSuffix(obj, "}"), "span %v of file %d: %.40q", s, i, obj)
				}
			}
		})
	}
}
