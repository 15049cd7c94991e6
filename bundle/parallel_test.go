package bundle_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

// loadBoth loads the files in place and in parallel (in batches of items
// identities) and requires the same outcome: the same errors, in the
// same order, or the same inventory and input hashes.
func loadBoth(t *testing.T, items int, files ...[]byte) {
	t.Helper()
	load := func(workers int) (string, error) {
		restore := bundle.SetParallel(workers, items)
		defer restore()
		var srcs []bundle.Source
		for i, f := range files {
			srcs = append(srcs, bundle.Source{Name: fmt.Sprintf("f%d.json", i), Reader: bytes.NewReader(f)})
		}
		b, err := bundle.Load(srcs...)
		if err != nil {
			return "", err
		}
		var out bytes.Buffer
		if werr := synth.WriteInventory(&out, &b.Inventory, b.AsOf); werr != nil {
			return "", werr
		}
		fmt.Fprintf(&out, "\n%v %d", b.Inputs, len(b.SoD.Rules))
		return out.String(), nil
	}
	want, wantErr := load(0)
	got, gotErr := load(3)
	if wantErr != nil {
		require.Error(t, gotErr, "reading in place failed: %v", wantErr)
		require.Equal(t, wantErr.Error(), gotErr.Error(), "the same problems, in the same order")
		return
	}
	require.NoError(t, gotErr)
	require.Equal(t, want, got)
}

// TestLoadParallelMatchesInPlace compares the two ways of reading the
// identities on a generated organisation, intact and with damage in a few
// identities: problems of every kind, a cut-off file, and more problems
// than MaxErrors.
func TestLoadParallelMatchesInPlace(t *testing.T) {
	var gen bytes.Buffer
	require.NoError(t, synth.WriteBundle(&gen, synth.Config{Seed: 3, Identities: 300}))
	data := gen.String()
	damage := []struct{ name, from, to string }{
		{"intact", "", ""},
		{"wrong type", `"kind":"human"`, `"kind":7`},
		{"unknown field", `"status":"active"`, `"status":"active","colour":"red"`},
		{"bad time", `"at":"20`, `"at":"x20`},
		{"dangling reference", `"requested":{"by":"u`, `"requested":{"by":"nobody-u`},
		{"syntax", `"grants":[`, `"grants":[,`},
		{"duplicate member", `"status":"active"`, `"status":"active","status":"active"`},
		{"not an object", ",\n    {\"id\":", ",\n    \"x\", 7,\n    {\"id\":"},
	}
	for _, dm := range damage {
		for _, every := range []int{0, 1, 17, 150} {
			in := data
			if dm.from != "" {
				in = replaceEvery(data, dm.from, dm.to, every)
			}
			for _, items := range []int{1, 3, 1024} {
				t.Run(fmt.Sprintf("%s/every=%d/items=%d", dm.name, every, items), func(t *testing.T) {
					loadBoth(t, items, []byte(in))
				})
			}
		}
	}
	for _, cut := range []int{1, 100, len(data) / 3, len(data) / 2, len(data) - 3} {
		t.Run(fmt.Sprintf("truncated at %d", cut), func(t *testing.T) {
			loadBoth(t, 2, []byte(data[:len(data)-cut]))
		})
	}
	t.Run("two files", func(t *testing.T) {
		var other bytes.Buffer
		require.NoError(t, synth.WriteBundle(&other, synth.Config{Seed: 4, Identities: 50}))
		loadBoth(t, 4, []byte(data), other.Bytes())
	})
}

// replaceEvery replaces the first and then every n-th occurrence of from
// (every one for n = 1; only the first for n = 0).
func replaceEvery(s, from, to string, n int) string {
	var b strings.Builder
	for k := 0; ; k++ {
		i := strings.Index(s, from)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		if k == 0 || n > 0 && k%n == 0 {
			b.WriteString(to)
		} else {
			b.WriteString(from)
		}
		s = s[i+len(from):]
	}
}

// streamBoth streams the files in place and in parallel (in batches of
// items identities) and requires the same outcome: the same errors, in the
// same order, or the same identities, grants and origins handed to the
// visitor, in the same order.
func streamBoth(t *testing.T, items int, files ...[]byte) {
	t.Helper()
	stream := func(workers int) (string, error) {
		restore := bundle.SetParallel(workers, items)
		defer restore()
		var v where
		b, err := bundle.Stream(bytesOpener(files...), &v)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%v\n%d identities in the directory\n%s", b.Inputs, len(b.Inventory.Identities), v.out.String()), nil
	}
	want, wantErr := stream(0)
	got, gotErr := stream(3)
	if wantErr != nil {
		require.Error(t, gotErr, "streaming in place failed: %v", wantErr)
		require.Equal(t, wantErr.Error(), gotErr.Error(), "the same problems, in the same order")
	} else {
		require.NoError(t, gotErr)
		require.Equal(t, want, got)
	}

	// One question, one answer: a stream fails where a load fails, and
	// visits the identities a load holds, grants included.
	loaded, loadErr := bundle.Load(byteSources(files...)...)
	if loadErr != nil {
		require.Error(t, wantErr, "the load failed (%v), the stream did not", loadErr)
		return
	}
	require.NoError(t, wantErr, "the load succeeded, the stream did not")
	var ids []entitlement.Identity
	restore := bundle.SetParallel(3, items)
	defer restore()
	_, err := bundle.Stream(bytesOpener(files...), visitFunc(func(id entitlement.Identity) { ids = append(ids, id) }))
	require.NoError(t, err)
	require.Equal(t, len(loaded.Inventory.Identities), len(ids))
	for i, id := range loaded.Inventory.Identities {
		require.Equal(t, fmt.Sprintf("%+v", id), fmt.Sprintf("%+v", ids[i]), "identity %d", i)
	}
}

// byteSources returns sources over files, named f0.json, f1.json, ….
func byteSources(files ...[]byte) []bundle.Source {
	var srcs []bundle.Source
	for i, f := range files {
		srcs = append(srcs, bundle.Source{Name: fmt.Sprintf("f%d.json", i), Reader: bytes.NewReader(f)})
	}
	return srcs
}

// bytesOpener is a Stream opener over files, with fresh readers for each
// pass.
func bytesOpener(files ...[]byte) bundle.Opener {
	return func() ([]bundle.Source, func(), error) { return byteSources(files...), func() {}, nil }
}

// visitFunc is a Stream visitor that hands each identity to a function.
type visitFunc func(entitlement.Identity)

func (visitFunc) Begin(*bundle.Bundle) error { return nil }
func (f visitFunc) Identity(id entitlement.Identity, _ bundle.IdentityOrigin) error {
	f(id)
	return nil
}

// where records what a Stream visitor receives, origins included.
type where struct{ out strings.Builder }

func (w *where) Begin(*bundle.Bundle) error { return nil }
func (w *where) Identity(id entitlement.Identity, o bundle.IdentityOrigin) error {
	fmt.Fprintf(&w.out, "%+v\n%+v\n", id, o)
	return nil
}

// TestStreamParallelMatchesInPlace: Stream's second pass decodes the
// identities on all cores; what the visitor receives, and every problem
// and where it is placed (grant problems, found only on the second pass,
// by the line of the grant), is what reading in place gives.
func TestStreamParallelMatchesInPlace(t *testing.T) {
	var gen bytes.Buffer
	require.NoError(t, synth.WriteBundle(&gen, synth.Config{Seed: 3, Identities: 300}))
	data := gen.String()
	require.Contains(t, data, `"grants":[{"id":"`, "the damage below finds its targets")
	damage := []struct{ name, from, to string }{
		{"intact", "", ""},
		{"wrong type", `"kind":"human"`, `"kind":7`},
		{"unknown field", `"status":"active"`, `"status":"active","colour":"red"`},
		{"bad time", `"at":"20`, `"at":"x20`},
		{"dangling reference", `"requested":{"by":"u`, `"requested":{"by":"nobody-u`},
		{"grant without ID", `"grants":[{"id":"`, `"grants":[{"ref":"`},
		{"grant of nothing", `"entitlement":"`, `"entitlement":"nothing-`},
		{"syntax in grants", `"grants":[`, `"grants":[,`},
	}
	for _, dm := range damage {
		for _, every := range []int{0, 17} {
			in := data
			if dm.from != "" {
				in = replaceEvery(data, dm.from, dm.to, every)
			}
			for _, items := range []int{1, 7} {
				t.Run(fmt.Sprintf("%s/every=%d/items=%d", dm.name, every, items), func(t *testing.T) {
					streamBoth(t, items, []byte(in))
				})
			}
		}
	}
	t.Run("two files", func(t *testing.T) {
		var other bytes.Buffer
		require.NoError(t, synth.WriteBundle(&other, synth.Config{Seed: 4, Identities: 50}))
		streamBoth(t, 4, []byte(data), other.Bytes())
	})
}
