package bundle_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/internal/synth"
)

var bigLoad = flag.Int("bundle.big", 0, "identities of a generated bundle that TestLoadBig streams to a temporary file and loads (for example 1000000); 0 skips it")

// benchSizes are the inventory sizes the benchmarks load, in identities.
var benchSizes = []int{1_000, 100_000}

// generated caches generated bundles by size: generating 100k identities
// takes seconds.
var generated = map[int][]byte{}

func generatedBundle(b testing.TB, identities int) []byte {
	if data, ok := generated[identities]; ok {
		return data
	}
	var buf bytes.Buffer
	require.NoError(b, synth.WriteBundle(&buf, synth.Config{Seed: 1, Identities: identities}))
	generated[identities] = buf.Bytes()
	return buf.Bytes()
}

// BenchmarkLoad loads a generated bundle (about 70 % non-human identities,
// about 15 grants each) and reports throughput (MB/s) and the cost per
// grant.
func BenchmarkLoad(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("identities=%d", n), func(b *testing.B) {
			data := generatedBundle(b, n)
			grants := countGrants(b, data)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if _, err := bundle.Load(bundle.Source{Name: "synth.json", Reader: bytes.NewReader(data)}); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			perLoad := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(perLoad/float64(grants), "ns/grant")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(grants), "B/grant")
			b.ReportMetric(float64(grants)/float64(n), "grants/identity")
		})
	}
}

func countGrants(b testing.TB, data []byte) int {
	bd, err := bundle.Load(bundle.Source{Name: "synth.json", Reader: bytes.NewReader(data)})
	require.NoError(b, err)
	n := 0
	for _, id := range bd.Inventory.Identities {
		n += len(id.Grants)
	}
	return n
}

// TestLoadBig streams a generated bundle of -bundle.big identities to a
// temporary file, loads it, and logs the file size, the time and the heap.
// Measure the process's peak resident memory with /usr/bin/time -v:
//
//	go test -c -o /tmp/bundle.test ./bundle/
//	/usr/bin/time -v /tmp/bundle.test -test.run TestLoadBig -test.v -test.timeout 2h -bundle.big 1000000
func TestLoadBig(t *testing.T) {
	if *bigLoad <= 0 {
		t.Skip("run with -bundle.big N")
	}
	path := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(path)
	require.NoError(t, err)
	start := time.Now()
	require.NoError(t, synth.WriteBundle(f, synth.Config{Seed: 1, Identities: *bigLoad}))
	require.NoError(t, f.Close())
	st, err := os.Stat(path)
	require.NoError(t, err)
	t.Logf("generated %d identities, %.1f MB, in %v", *bigLoad, float64(st.Size())/1e6, time.Since(start).Round(time.Second))

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start = time.Now()
	bd, err := bundle.LoadFiles(path)
	elapsed := time.Since(start)
	require.NoError(t, err)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grants := 0
	for _, id := range bd.Inventory.Identities {
		grants += len(id.Grants)
	}
	runtime.GC()
	var live runtime.MemStats
	runtime.ReadMemStats(&live)
	t.Logf("loaded in %v (%.1f MB/s): %d identities, %d grants; live heap %.1f MB (%.0f B/grant); heap obtained from the OS %.1f MB; allocated %.1f MB (%.0f B/grant)",
		elapsed.Round(time.Millisecond), float64(st.Size())/1e6/elapsed.Seconds(),
		len(bd.Inventory.Identities), grants,
		float64(live.HeapAlloc-before.HeapAlloc)/1e6, float64(live.HeapAlloc-before.HeapAlloc)/float64(grants),
		float64(after.HeapSys)/1e6,
		float64(after.TotalAlloc-before.TotalAlloc)/1e6, float64(after.TotalAlloc-before.TotalAlloc)/float64(grants))
	runtime.KeepAlive(bd)
}
