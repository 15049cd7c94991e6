package lifecycle_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/kindtest"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/lifecycle"
)

// lookalikeBundle is a small bundle with look-alike IDs of every kind the
// lint covers, drift and grants of every state, for the fuzzer to mutate.
const lookalikeBundle = `{"format": "sodkit.bundle/v1", "as_of": "2026-11-01T09:00:00Z",
"entitlements": [{"id": "erp:pay", "privileged": true, "max_duration": "P30D"}, {"id": "erp:p\u0430y"}, {"id": "ERP:read", "risk": "high"}],
"roles": [{"id": "payer", "entitlements": ["erp:pay"]}, {"id": "Payer", "inherits": ["payer"]}],
"identities": [
 {"id": "alice", "kind": "human", "status": "active", "grants": [
  {"id": "g-1", "role": "Payer", "state": "active", "source": "standard", "expires": "2026-12-01T00:00:00Z"},
  {"id": "g-2", "entitlement": "erp:p\u0430y", "state": "revoked", "revoked": {"by": "bob", "at": "2026-10-01T00:00:00Z"}}]},
 {"id": "\u0430lice", "kind": "human", "status": "disabled", "grants": [
  {"id": "g-3", "entitlement": "ERP:read", "state": "active", "eligible": true, "activations": [{"start": "2026-10-31T00:00:00Z"}]}]},
 {"id": "bob\u200b", "kind": "service_account", "status": "active", "owner": "bob"},
 {"id": "bob", "kind": "human", "status": "active"}],
"observations": [
 {"identity": "alice", "entitlement": "erp:p\u0430y", "seen_at": "2026-10-30T00:00:00Z"},
 {"identity": "ghost", "entitlement": "erp:pay", "seen_at": "2026-10-30T00:00:00Z"}]}`

// FuzzCheck decodes the fuzzer's bytes as a bundle and, when they load,
// checks the findings at a fuzzed time: no panic; findings in report
// order, with unique, stable IDs, kinds from the kind table and known
// controls; the same findings from a second run; and the same findings
// from the streaming Checker fed one identity at a time over the
// directory (the identities without their grants), as scan.Stream feeds
// it. Its seeds are fuzzSeeds.
//
// Run it as
//
//	go test ./lifecycle -run '^$' -fuzz FuzzCheck -fuzztime 60s
func FuzzCheck(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed.data, seed.shift)
	}
	f.Fuzz(func(t *testing.T, data []byte, shift int64) {
		b, err := bundle.Load(bundle.Source{Name: "fuzz.json", Reader: bytes.NewReader(data)})
		if err != nil {
			return // not a valid bundle: bundle's own fuzz targets cover that
		}
		at := b.AsOf
		if at.IsZero() {
			at = synth.AsOf
		}
		at = at.Add(time.Duration(shift%(200*365*86400)) * time.Second)

		fs := lifecycle.Check(b.Index, at)
		require.True(t, slices.IsSortedFunc(fs, audit.Finding.Compare), "report order")
		seen := map[string]bool{}
		for _, f := range fs {
			require.False(t, seen[f.ID], "duplicate ID %s", f.ID)
			seen[f.ID] = true
			require.Equal(t, f.ID, f.WithID().ID, "the ID is derived from the finding")
			for _, c := range f.Controls {
				require.True(t, c.Known(), "control %s", c)
			}
		}
		require.NoError(t, kindtest.Findings(lifecycle.Kinds(), fs), "every finding comes from the kind table")
		require.Equal(t, fs, lifecycle.Check(b.Index, at), "deterministic")

		dir := b.Inventory
		dir.Identities = slices.Clone(dir.Identities)
		for i := range dir.Identities {
			dir.Identities[i].Grants = nil
		}
		dx, err := entitlement.NewIndex(&dir)
		require.NoError(t, err, "the directory of a valid inventory is valid")
		k := lifecycle.NewChecker(dx, at)
		var streamed []audit.Finding
		for _, id := range b.Inventory.Identities {
			streamed = append(streamed, k.Identity(dx.Holder(id))...)
		}
		streamed = audit.Sort(append(streamed, k.Finish()...))
		require.Equal(t, fs, streamed, "the streamed Checker finds what Check finds")
	})
}

// fuzzSeed is one seed of FuzzCheck.
type fuzzSeed struct {
	data  []byte
	shift int64
}

// fuzzSeeds returns FuzzCheck's seeds: this file's clean organisation, a
// small generated organisation, and lookalikeBundle. They are kept to a
// few kilobytes: the fuzzer minimises every input that finds new code, for
// up to a minute, by running it again and again, so a large seed (the
// demo's 35 KB inventory) leaves it minimising instead of fuzzing.
func fuzzSeeds(tb testing.TB) []fuzzSeed {
	var seeds []fuzzSeed
	var b bytes.Buffer
	require.NoError(tb, synth.WriteInventory(&b, org(), at))
	seeds = append(seeds, fuzzSeed{bytes.Clone(b.Bytes()), 0})
	b.Reset()
	require.NoError(tb, synth.WriteBundle(&b, synth.Config{Seed: 1, Identities: 10, MeanGrants: 3, Systems: 1,
		EntitlementsPerSystem: 8, Roles: 3}))
	seeds = append(seeds, fuzzSeed{bytes.Clone(b.Bytes()), -86400})
	return append(seeds, fuzzSeed{[]byte(lookalikeBundle), 0}, fuzzSeed{[]byte(lookalikeBundle), 86400 * 365})
}

// TestFuzzSeeds checks that every seed loads, so the fuzzer starts from
// bundles that reach the checks, and that the hand-written one shows every
// look-alike group it was written for.
func TestFuzzSeeds(t *testing.T) {
	for i, seed := range fuzzSeeds(t) {
		_, err := bundle.Load(bundle.Source{Name: "seed.json", Reader: bytes.NewReader(seed.data)})
		require.NoError(t, err, "seed %d", i)
	}
	b, err := bundle.Load(bundle.Source{Name: "seed.json", Reader: bytes.NewReader([]byte(lookalikeBundle))})
	require.NoError(t, err)
	var subjects []string
	for _, f := range lifecycle.Check(b.Index, b.AsOf) {
		if f.Kind == lifecycle.KindLookalikeID {
			subjects = append(subjects, f.Subject.String())
		}
	}
	require.Equal(t, []string{"entitlement erp:pay", "identity alice", "identity bob", "role Payer"}, subjects)
}
