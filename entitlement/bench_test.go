package entitlement_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

// benchSizes are the inventory sizes of the benchmarks, in identities.
var benchSizes = []int{1_000, 100_000}

var benchInventories = map[int]*entitlement.Inventory{}

func benchInventory(n int) *entitlement.Inventory {
	if inv, ok := benchInventories[n]; ok {
		return inv
	}
	inv := synth.Generate(synth.Config{Seed: 1, Identities: n})
	benchInventories[n] = inv
	return inv
}

func grantCount(inv *entitlement.Inventory) int {
	n := 0
	for _, id := range inv.Identities {
		n += len(id.Grants)
	}
	return n
}

// perGrant reports the time and the bytes allocated per grant, given how
// many grants one operation handles.
func perGrant(b *testing.B, grants int, before runtime.MemStats) {
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	ops := float64(b.N) * float64(grants)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/ops, "ns/grant")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/ops, "B/grant")
}

// BenchmarkEffectiveAccess expands the effective access of every identity
// of a generated inventory (about 15 grants each, roles up to four levels
// deep) once per operation.
func BenchmarkEffectiveAccess(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("identities=%d", n), func(b *testing.B) {
			inv := benchInventory(n)
			x, err := entitlement.NewIndex(inv)
			if err != nil {
				b.Fatal(err)
			}
			grants := grantCount(inv)
			b.ReportAllocs()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				for _, id := range inv.Identities {
					if _, err := x.EffectiveAccess(id.ID, synth.AsOf); err != nil {
						b.Fatal(err)
					}
				}
			}
			perGrant(b, grants, before)
		})
	}
}

// BenchmarkNewIndex validates a generated inventory and builds its index
// (lookups and role closure).
func BenchmarkNewIndex(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("identities=%d", n), func(b *testing.B) {
			inv := benchInventory(n)
			grants := grantCount(inv)
			b.ReportAllocs()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if _, err := entitlement.NewIndex(inv); err != nil {
					b.Fatal(err)
				}
			}
			perGrant(b, grants, before)
		})
	}
}

// BenchmarkHolder asks of every identity what a scan's checks ask: its
// access at one time, and what each of its grants confers.
func BenchmarkHolder(b *testing.B) {
	inv := benchInventory(1_000)
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		b.Fatal(err)
	}
	at := synth.AsOf
	b.ReportAllocs()
	for b.Loop() {
		for _, id := range inv.Identities {
			h := x.Holder(id)
			if _, err := h.Access(at); err != nil {
				b.Fatal(err)
			}
			for i := range id.Grants {
				h.Conferred(i)
				h.Conferred(i)
			}
		}
	}
}
