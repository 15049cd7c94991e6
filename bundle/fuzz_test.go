package bundle_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

// The fuzz targets below must fuzz, not minimise: a fuzzer spends up to a
// minute minimising every input that finds new coverage, trying a number
// of candidates that grows with the square of the input's size, each one a
// run of the target. So the seeds are small files that between them hold
// every section and record kind (the demo's files, tens of kilobytes each,
// made every new input a minute's minimisation), each run loads as few
// files as its invariants need, and large inputs that once found bugs are
// replayed by TestLoadRegressions instead of seeding the fuzzer.

// fuzzSeeds returns the seed files of FuzzLoad and FuzzLoadParallel: the
// good test bundle, every bad bundle of TestBadBundles, small files with a
// sod, a raci and a breakglass section and waivers, and a small generated
// organisation.
func fuzzSeeds(t testing.TB) [][]byte {
	seeds := [][]byte{[]byte(good)}
	for _, bb := range badBundles {
		for _, fl := range bb.files {
			seeds = append(seeds, []byte(fl.text))
		}
	}
	for _, s := range []string{pairRules, caseRules, people, raciInventory, raciFile(raciValid), bgInventory, bgSection, waiverFile} {
		seeds = append(seeds, []byte(s))
	}
	var gen bytes.Buffer
	require.NoError(t, synth.WriteBundle(&gen, synth.Config{Seed: 1, Identities: 3, MeanGrants: 2, Systems: 1, EntitlementsPerSystem: 6, Roles: 4}))
	return append(seeds, gen.Bytes())
}

// FuzzLoad loads arbitrary bytes as a bundle file, alone and after a good
// file. Loading must never panic; it returns either a bundle or an error,
// never both; every error is a *entitlement.RecordError that names the
// file it is about; and a bundle that loads after the good file writes
// back (through synth's encoder) to a file that loads as the same
// inventory.
//
// Load reads identities on all cores by default; FuzzLoadParallel holds
// that to reading them in place, for any input, so this target reads in
// place, which costs less per run.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(fuzzLoad)
}

// fuzzLoad is one run of FuzzLoad.
func fuzzLoad(t *testing.T, data []byte) {
	defer bundle.SetParallel(0, 1)()
	b, err := bundle.Load(bundle.Source{Name: "fuzz.json", Reader: bytes.NewReader(data)})
	checkErr(t, b, err, "fuzz.json")
	if err == nil {
		require.Len(t, b.Inputs, 1)
	}
	if errors.Is(err, bundle.ErrSyntax) {
		// Malformed after the good file too: nothing more to learn, and
		// most candidates the fuzzer tries while minimising are malformed.
		return
	}
	// After the good file, references into it resolve, so more of the
	// input loads; the round trip runs on this, the larger, inventory.
	b, err = bundle.Load(
		bundle.Source{Name: "good.json", Reader: strings.NewReader(good)},
		bundle.Source{Name: "fuzz.json", Reader: bytes.NewReader(data)},
	)
	check(t, b, err, "good.json", "fuzz.json")
}

// checkErr asserts the invariants of a load that failed, or that a load
// that did not fail gave a validated bundle.
func checkErr(t *testing.T, b *bundle.Bundle, err error, files ...string) {
	t.Helper()
	if err == nil {
		require.NotNil(t, b)
		require.NotNil(t, b.Index, "a loaded bundle is validated")
		return
	}
	require.Nil(t, b, "no bundle comes with an error")
	errs := entitlement.Errors(err)
	require.NotEmpty(t, errs)
	require.LessOrEqual(t, len(errs), bundle.MaxErrors+1)
	for i, e := range errs {
		var re *entitlement.RecordError
		if !errors.As(e, &re) {
			require.Equal(t, len(errs)-1, i, "only the last error, saying loading stopped, may be plain: %v", e)
			continue
		}
		require.Contains(t, files, re.File, "%v names one of the files", e)
		require.NotNil(t, re.Err, "%v says what is wrong", e)
	}
}

// check asserts the invariants of one load, the round trip included.
func check(t *testing.T, b *bundle.Bundle, err error, files ...string) {
	t.Helper()
	checkErr(t, b, err, files...)
	if err != nil {
		return
	}
	require.Len(t, b.Inputs, len(files))

	// Round trip: what loaded writes back and loads the same.
	var first bytes.Buffer
	require.NoError(t, synth.WriteInventory(&first, &b.Inventory, b.AsOf))
	again, err := bundle.Load(bundle.Source{Name: "again.json", Reader: bytes.NewReader(first.Bytes())})
	require.NoError(t, err, "a loaded inventory written back must load:\n%s", first.String())
	var second bytes.Buffer
	require.NoError(t, synth.WriteInventory(&second, &again.Inventory, again.AsOf))
	require.Equal(t, first.String(), second.String(), "the round trip changed the inventory")
}

// FuzzLoadParallel requires reading identities in parallel to give exactly
// what reading them in place gives, for any input and batch size: alone
// when items is even, after the good file when it is odd.
func FuzzLoadParallel(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, uint8(i))
	}
	f.Fuzz(fuzzLoadParallel)
}

// fuzzLoadParallel is one run of FuzzLoadParallel.
func fuzzLoadParallel(t *testing.T, data []byte, items uint8) {
	n := int(items>>1%8) + 1
	if items&1 == 0 {
		loadBoth(t, n, data)
		return
	}
	loadBoth(t, n, []byte(good), data)
}

// FuzzStreamParallel: Stream's second pass decodes identities on all
// cores; on any input, streaming in parallel (in batches of 1 to 8
// identities) gives what streaming in place gives: the same visits, or
// the same problems in the same order, placed alike. And a stream fails
// where a load fails, and visits what a load holds.
func FuzzStreamParallel(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, uint8(i))
	}
	f.Fuzz(fuzzStreamParallel)
}

// fuzzStreamParallel is one run of FuzzStreamParallel.
func fuzzStreamParallel(t *testing.T, data []byte, items uint8) {
	n := int(items>>1%8) + 1
	if items&1 == 0 {
		streamBoth(t, n, data)
		return
	}
	streamBoth(t, n, []byte(good), data)
}

// FuzzStreamChanged: when the second pass reads other bytes than the
// first, Stream fails with ErrChanged, whatever the new bytes make of the
// identities the first pass found (they are read from where they were).
func FuzzStreamChanged(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, []byte(strings.Replace(string(s), `"id"`, ` "id"`, 1)))
		f.Add(s, []byte(strings.Replace(string(s), `"grants":[`, `"grants":[ `, 1)))
	}
	f.Fuzz(func(t *testing.T, first, second []byte) {
		if bytes.Equal(first, second) {
			return
		}
		restore := bundle.SetParallel(2, 3)
		defer restore()
		pass := 0
		open := func() ([]bundle.Source, func(), error) {
			data := first
			if pass++; pass > 1 {
				data = second
			}
			return []bundle.Source{{Name: "org.json", Reader: bytes.NewReader(data)}}, func() {}, nil
		}
		_, err := bundle.Stream(open, &collect{})
		if pass < 2 {
			return // the first pass failed: the second never ran
		}
		require.ErrorIs(t, err, bundle.ErrChanged)
	})
}

// TestLoadRegressions replays inputs that once found bugs through both
// fuzz targets' runs: large files (mutated demo files) kept out of the
// fuzzers' seed corpus so that they do not slow fuzzing down.
func TestLoadRegressions(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "regress", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		t.Run(filepath.Base(p), func(t *testing.T) {
			fuzzLoad(t, data)
			for _, items := range []uint8{0, 1, 12, 13} {
				fuzzLoadParallel(t, data, items)
				fuzzStreamParallel(t, data, items)
			}
		})
	}
}
