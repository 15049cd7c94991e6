package synth_test

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

func TestGenerateIsValid(t *testing.T) {
	for _, c := range []synth.Config{
		{},
		{Seed: 7, Identities: 10},
		{Seed: 42, Identities: 3000, MeanGrants: 8, Systems: 2, EntitlementsPerSystem: 20, Roles: 25},
	} {
		inv := synth.Generate(c)
		require.NoError(t, inv.Validate(), "config %+v", c)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	encode := func(inv *entitlement.Inventory) []byte {
		var buf bytes.Buffer
		require.NoError(t, synth.WriteInventory(&buf, inv, synth.AsOf))
		return buf.Bytes()
	}
	a := synth.Generate(synth.Config{Seed: 3, Identities: 500})
	b := synth.Generate(synth.Config{Seed: 3, Identities: 500})
	require.True(t, bytes.Equal(encode(a), encode(b)), "the same config generated different inventories")
	c := synth.Generate(synth.Config{Seed: 4, Identities: 500})
	targets := func(inv *entitlement.Inventory) (out []string) {
		for _, g := range inv.Identities[1].Grants {
			_, id := g.Target()
			out = append(out, id)
		}
		return out
	}
	require.NotEqual(t, targets(a), targets(c), "another seed, another organisation")
}

// TestWriteBundleLoadsAsGenerate checks that the bundle WriteBundle streams
// is exactly the inventory Generate returns, which also checks that every
// field survives the bundle format.
func TestWriteBundleLoadsAsGenerate(t *testing.T) {
	for _, c := range []synth.Config{{Seed: 11, Identities: 150}, {Seed: 12, Identities: 3000}} {
		var buf bytes.Buffer
		require.NoError(t, synth.WriteBundle(&buf, c))
		streamed := buf.Bytes()
		b, err := bundle.Load(bundle.Source{Name: "synth.json", Reader: bytes.NewReader(streamed)})
		require.NoError(t, err)
		require.Equal(t, synth.AsOf, b.AsOf)
		want := synth.Generate(c)
		if c.Identities <= 200 {
			// Field by field (go-cmp is thorough but slow on big values).
			if diff := cmp.Diff(want, &b.Inventory, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("loaded bundle differs from Generate (-generate +loaded):\n%s", diff)
			}
		}
		// Byte for byte: writing what was loaded, or what Generate
		// returned, gives the streamed file back.
		for name, inv := range map[string]*entitlement.Inventory{"loaded": &b.Inventory, "generated": want} {
			var again bytes.Buffer
			require.NoError(t, synth.WriteInventory(&again, inv, synth.AsOf))
			require.True(t, bytes.Equal(streamed, again.Bytes()), "WriteInventory of the %s inventory differs from WriteBundle (%d identities)", name, c.Identities)
		}
	}
}

func TestWriteInventoryRoundTrip(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 5, Identities: 60})
	// Times in other zones and with fractions survive too.
	inv.Identities[0].Grants[0].Requested.At = time.Date(2025, 3, 1, 9, 30, 0, 123456789, time.FixedZone("", 5*3600+1800))
	inv.Entitlements[0].MaxDuration = 36*time.Hour + 1500*time.Millisecond
	inv.Identities[1].Name = "Zoë \"Z\" O'Neil \\ tab\t😀"
	var buf bytes.Buffer
	require.NoError(t, synth.WriteInventory(&buf, inv, time.Time{}))
	b, err := bundle.Load(bundle.Source{Name: "inv.json", Reader: &buf})
	require.NoError(t, err)
	require.True(t, b.AsOf.IsZero(), "no as_of written for a zero time")
	if diff := cmp.Diff(inv, &b.Inventory, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("round trip differs (-written +loaded):\n%s", diff)
	}
}

func TestWriteBundleIsDeterministic(t *testing.T) {
	sum := func() [32]byte {
		h := sha256.New()
		require.NoError(t, synth.WriteBundle(h, synth.Config{Seed: 9, Identities: 1000}))
		return [32]byte(h.Sum(nil))
	}
	require.Equal(t, sum(), sum())
}

// TestShape checks that a generated organisation has the advertised shape.
func TestShape(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 1, Identities: 5000})
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)

	var nonHuman, grants, eligible, activated, revoked, expired, roleGrants int
	minG, maxG := 1<<30, 0
	for _, id := range inv.Identities {
		if id.Kind.NonHuman() {
			nonHuman++
		}
		n := len(id.Grants)
		grants += n
		minG, maxG = min(minG, n), max(maxG, n)
		for _, g := range id.Grants {
			switch {
			case g.Eligible:
				eligible++
				if len(g.Activations) > 0 {
					activated++
				}
			}
			switch g.State {
			case entitlement.GrantRevoked:
				revoked++
			case entitlement.GrantExpired:
				expired++
			}
			if g.Role != "" {
				roleGrants++
			}
		}
	}
	share := func(n, of int) float64 { return float64(n) / float64(of) }
	require.InDelta(t, 0.70, share(nonHuman, len(inv.Identities)), 0.01, "about 70 %% non-human identities")
	require.GreaterOrEqual(t, minG, 5, "at least 5 grants each")
	require.LessOrEqual(t, maxG, 30, "at most 30 grants each")
	require.InDelta(t, 15, share(grants, len(inv.Identities)), 0.5, "about 15 grants on average")
	require.Positive(t, eligible, "some just-in-time grants")
	require.Positive(t, activated, "some of them activated")
	require.InDelta(t, 0.07, share(revoked, grants), 0.01, "some revoked grants")
	require.InDelta(t, 0.05, share(expired, grants), 0.01, "some expired grants")
	require.InDelta(t, 0.30, share(roleGrants, grants), 0.02, "about a third of grants are roles")
	require.NotEmpty(t, inv.Observations)
	require.NotEmpty(t, inv.Usage)

	// Systems hold a few hundred entitlements each.
	perSystem := map[string]int{}
	for _, e := range inv.Entitlements {
		perSystem[e.SystemName()]++
	}
	require.Len(t, perSystem, 4)
	for sys, n := range perSystem {
		require.True(t, n >= 150 && n <= 450, "system %s has %d entitlements", sys, n)
	}

	// Role inheritance goes up to four levels deep.
	deepest := 0
	for _, r := range inv.Roles {
		a, err := x.Expand([]entitlement.Grant{{ID: "probe", Role: r.ID, State: entitlement.GrantActive}}, synth.AsOf)
		require.NoError(t, err)
		for _, h := range a.Roles {
			deepest = max(deepest, len(h.Paths[0].Roles()))
		}
	}
	require.Equal(t, 4, deepest, "the longest inheritance chain has four roles")
}

func TestDefaults(t *testing.T) {
	inv := synth.Generate(synth.Config{})
	require.Len(t, inv.Identities, 1000, "the zero Config has 1,000 identities")
	tiny := synth.Generate(synth.Config{Identities: 1})
	require.Len(t, tiny.Identities, 10, "at least 10 identities")
}

// TestMillion streams a one-million-identity bundle; it runs only with
// -synth.million since it takes a while.
func TestMillion(t *testing.T) {
	if !*million {
		t.Skip("run with -synth.million to stream a 1M-identity bundle")
	}
	n, err := countingWrite(synth.Config{Seed: 1, Identities: 1_000_000})
	require.NoError(t, err)
	t.Logf("1M identities: %d bytes", n)
}

func countingWrite(c synth.Config) (int64, error) {
	var cw countWriter
	err := synth.WriteBundle(&cw, c)
	return int64(cw), err
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

func ExampleGenerate() {
	inv := synth.Generate(synth.Config{Seed: 1, Identities: 100})
	fmt.Println(len(inv.Identities), "identities")
	fmt.Println(inv.Identities[0].ID, inv.Identities[0].Kind)
	fmt.Println(inv.Validate() == nil)
	// Output:
	// 100 identities
	// u0000000 human
	// true
}

var million = flag.Bool("synth.million", false, "also stream a 1M-identity bundle")
