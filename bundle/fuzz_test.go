package bundle_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/demo"
	"github.com/sodkit/sodkit/internal/synth"
)

// FuzzLoad loads arbitrary bytes as a bundle file, alone and after a good
// file. Loading must never panic; it returns either a bundle or an error,
// never both; every error is a *entitlement.RecordError that names the
// file it is about; and a bundle that loads writes back (through synth's
// encoder) to a file that loads as the same inventory.
//
// The seed corpus holds the demo's files, the good test bundle, every bad
// bundle of TestBadBundles and a small generated organisation.
func FuzzLoad(f *testing.F) {
	for _, src := range demo.Sources() {
		data, err := io.ReadAll(src.Reader)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(good))
	for _, bb := range badBundles {
		for _, fl := range bb.files {
			f.Add([]byte(fl.text))
		}
	}
	var gen bytes.Buffer
	require.NoError(f, synth.WriteBundle(&gen, synth.Config{Seed: 1, Identities: 10, MeanGrants: 6, Systems: 1, EntitlementsPerSystem: 8, Roles: 4}))
	f.Add(gen.Bytes())

	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := bundle.Load(bundle.Source{Name: "fuzz.json", Reader: bytes.NewReader(data)})
		check(t, b, err, "fuzz.json")
		b, err = bundle.Load(
			bundle.Source{Name: "good.json", Reader: strings.NewReader(good)},
			bundle.Source{Name: "fuzz.json", Reader: bytes.NewReader(data)},
		)
		check(t, b, err, "good.json", "fuzz.json")
	})
}

// check asserts the invariants of one load.
func check(t *testing.T, b *bundle.Bundle, err error, files ...string) {
	t.Helper()
	if err != nil {
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
		return
	}
	require.NotNil(t, b)
	require.NotNil(t, b.Index, "a loaded bundle is validated")
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
