package scan_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/scan"
)

// benchIdentities are the sizes of the generated worlds the streamed
// check is measured on; SODKIT_BENCH_IDENTITIES replaces them with one
// size (100000 for the figures in docs/scale.md, which take minutes).
func benchIdentities(b *testing.B) []int {
	if s := os.Getenv("SODKIT_BENCH_IDENTITIES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 10 {
			b.Fatalf("SODKIT_BENCH_IDENTITIES=%q: want a number of identities, at least 10", s)
		}
		return []int{n}
	}
	return []int{2_000, 20_000}
}

// BenchmarkStream runs the streamed check — what `sodkit check` does with
// an input from 256 MiB — over a generated world: an export with its RACI
// matrix, rules, exceptions, break-glass sessions and waivers. It reports
// throughput over the input's bytes (each read twice), identities a second
// and the findings, so a change can be compared with benchstat.
func BenchmarkStream(b *testing.B) {
	for _, n := range benchIdentities(b) {
		b.Run(fmt.Sprintf("identities=%d", n), func(b *testing.B) {
			files := generatedWorld(b, n)
			var size int64
			for _, f := range files {
				st, err := os.Stat(f)
				if err != nil {
					b.Fatal(err)
				}
				size += st.Size()
			}
			b.SetBytes(size)
			b.ReportAllocs()
			findings := 0
			for b.Loop() {
				r, err := scan.Stream(bundle.FileOpener(files...), time.Time{})
				if err != nil {
					b.Fatal(err)
				}
				findings = len(r.Findings)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "identities/s")
			b.ReportMetric(float64(findings), "findings")
		})
	}
}
