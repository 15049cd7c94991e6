package ref_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/sod"

	"github.com/sodkit/sodkit/bench/ref"
	"github.com/sodkit/sodkit/bench/world"
)

// The benchmarks compare sodkit with the reference on one generated world,
// written once per process into a temporary directory (not timed): the
// organisation bench/cmd/peer generates (synth's default, seed 1) with
// synth.Rules over its catalogue. Its size comes from the environment:
//
//	SODKIT_BENCH_IDENTITIES  identities (default 10000)
//	SODKIT_BENCH_RULES       rules (default 500)
//	SODKIT_BENCH_SEED        generator seed (default 1)
//
// Each benchmark has a sub-benchmark per implementation, impl=sodkit and
// impl=ref, for benchstat -col /impl.

// refFile is the name of the world in the reference format.
const refFile = "world.ref"

// files is the generated world on disk.
type files struct {
	dir                 string
	identities, rules   int
	bundleSize, refSize int64
}

func (f *files) path(name string) string { return filepath.Join(f.dir, name) }

var (
	worldOnce sync.Once
	worldDir  string // removed by TestMain
	theWorld  *files
	worldErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if worldDir != "" {
		os.RemoveAll(worldDir)
	}
	os.Exit(code)
}

// envInt reads a positive integer from the environment.
func envInt(name string, def int) (int, error) {
	s := os.Getenv(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s=%q: want a positive integer", name, s)
	}
	return n, nil
}

// setup returns the world, writing it on first use.
func setup(b *testing.B) *files {
	worldOnce.Do(func() { theWorld, worldErr = writeWorld() })
	if worldErr != nil {
		b.Fatal(worldErr)
	}
	return theWorld
}

func writeWorld() (*files, error) {
	n, err := envInt("SODKIT_BENCH_IDENTITIES", 10_000)
	if err != nil {
		return nil, err
	}
	nRules, err := envInt("SODKIT_BENCH_RULES", 500)
	if err != nil {
		return nil, err
	}
	seed, err := envInt("SODKIT_BENCH_SEED", 1)
	if err != nil {
		return nil, err
	}
	worldDir, err = os.MkdirTemp("", "sodkit-ref-bench-")
	if err != nil {
		return nil, err
	}
	f := &files{dir: worldDir, identities: n, rules: nRules}
	cfg := synth.Config{Seed: uint64(seed), Identities: n}
	if err := world.WriteBundles(f.dir, cfg, nRules); err != nil {
		return nil, err
	}
	inv := synth.Generate(cfg)
	c := world.Rules(cfg, nRules)
	if err := world.WriteFile(f.path(refFile), func(w io.Writer) error { return ref.Write(w, inv, c) }); err != nil {
		return nil, err
	}
	for _, name := range []string{world.ExportFile, world.RulesFile, refFile} {
		st, err := os.Stat(f.path(name))
		if err != nil {
			return nil, err
		}
		if name == refFile {
			f.refSize = st.Size()
		} else {
			f.bundleSize += st.Size()
		}
	}
	// Configuration lines of the benchmark format, which benchstat keeps
	// with the results that follow.
	fmt.Printf("identities: %d\nrules: %d\nseed: %d\nsodkit-bytes: %d\nref-bytes: %d\n", n, nRules, seed, f.bundleSize, f.refSize)
	return f, nil
}

// What each implementation does at each step. The sodkit steps are the
// public entry points: bundle.LoadFileSet of the export and the rules
// files, sod.Compile, sod.Engine.Detect.

func loadSodkit(b *testing.B, f *files) *bundle.Bundle {
	bd, err := bundle.LoadFileSet(bundle.FileSet{Bundles: []string{f.path(world.ExportFile)}, Rules: []string{f.path(world.RulesFile)}})
	if err != nil {
		b.Fatal(err)
	}
	return bd
}

func compileSodkit(b *testing.B, bd *bundle.Bundle) *sod.Engine {
	e, err := sod.Compile(bd.Index, bd.SoD)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

func loadRef(b *testing.B, f *files) *ref.World {
	w, err := ref.LoadFile(f.path(refFile))
	if err != nil {
		b.Fatal(err)
	}
	return w
}

func detectRefAt(b *testing.B, e *ref.Engine) []ref.Violation {
	vs, err := e.Detect(synth.AsOf)
	if err != nil {
		b.Fatal(err)
	}
	return vs
}

// liveHeap returns the bytes of live heap objects after a full
// collection.
func liveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// reportLive reports, as live-MB, the heap that keep holds: the live heap
// now, with keep alive, less base.
func reportLive(b *testing.B, base uint64, keep any) {
	live := liveHeap()
	runtime.KeepAlive(keep)
	b.ReportMetric(float64(int64(live)-int64(base))/1e6, "live-MB")
}

// BenchmarkLoad loads the world from disk, each implementation in its own
// format, and reports the throughput over that format's bytes (MB/s), the
// allocation (B/op) and the heap the loaded world keeps (live-MB).
func BenchmarkLoad(b *testing.B) {
	f := setup(b)
	b.Run("impl=sodkit", func(b *testing.B) {
		b.SetBytes(f.bundleSize)
		b.ReportAllocs()
		base := liveHeap()
		var bd *bundle.Bundle
		for b.Loop() {
			bd = loadSodkit(b, f)
		}
		reportLive(b, base, bd)
	})
	b.Run("impl=ref", func(b *testing.B) {
		b.SetBytes(f.refSize)
		b.ReportAllocs()
		base := liveHeap()
		var w *ref.World
		for b.Loop() {
			w = loadRef(b, f)
		}
		reportLive(b, base, w)
	})
}

// BenchmarkCompile prepares the loaded world for detection: sod.Compile,
// ref.Compile.
func BenchmarkCompile(b *testing.B) {
	f := setup(b)
	b.Run("impl=sodkit", func(b *testing.B) {
		bd := loadSodkit(b, f)
		b.ReportAllocs()
		for b.Loop() {
			compileSodkit(b, bd)
		}
	})
	b.Run("impl=ref", func(b *testing.B) {
		w := loadRef(b, f)
		b.ReportAllocs()
		for b.Loop() {
			ref.Compile(w)
		}
	})
}

// BenchmarkDetect detects every violation of the world at synth.AsOf, and
// reports how many (the same for both).
func BenchmarkDetect(b *testing.B) {
	f := setup(b)
	b.Run("impl=sodkit", func(b *testing.B) {
		e := compileSodkit(b, loadSodkit(b, f))
		b.ReportAllocs()
		var n int
		for b.Loop() {
			n = len(e.Detect(synth.AsOf))
		}
		b.ReportMetric(float64(n), "violations")
	})
	b.Run("impl=ref", func(b *testing.B) {
		e := ref.Compile(loadRef(b, f))
		b.ReportAllocs()
		var n int
		for b.Loop() {
			n = len(detectRefAt(b, e))
		}
		b.ReportMetric(float64(n), "violations")
	})
}

// BenchmarkEndToEnd loads the world from disk, compiles it and detects
// every violation at synth.AsOf.
func BenchmarkEndToEnd(b *testing.B) {
	f := setup(b)
	b.Run("impl=sodkit", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			n = len(compileSodkit(b, loadSodkit(b, f)).Detect(synth.AsOf))
		}
		b.ReportMetric(float64(n), "violations")
	})
	b.Run("impl=ref", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			n = len(detectRefAt(b, ref.Compile(loadRef(b, f))))
		}
		b.ReportMetric(float64(n), "violations")
	})
}
