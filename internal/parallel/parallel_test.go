package parallel_test

import (
	"runtime"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/sodkit/sodkit/internal/parallel"
)

func TestRanges(t *testing.T) {
	for _, tc := range []struct{ n, grain int }{{0, 10}, {1, 10}, {9, 10}, {100, 10}, {1000, 1}, {7, 0}} {
		seen := make([]atomic.Int32, tc.n)
		calls := atomic.Int32{}
		workers := parallel.Ranges(tc.n, tc.grain, func(w, lo, hi int) {
			calls.Add(1)
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		if int(calls.Load()) != workers {
			t.Fatalf("n=%d: %d calls for %d workers", tc.n, calls.Load(), workers)
		}
		if workers > runtime.GOMAXPROCS(0) || (tc.n > 0 && tc.n < max(tc.grain, 1) && workers != 1) {
			t.Fatalf("n=%d grain=%d: %d workers", tc.n, tc.grain, workers)
		}
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Fatalf("n=%d: item %d seen %d times", tc.n, i, seen[i].Load())
			}
		}
	}
}

func TestMapKeepsOrder(t *testing.T) {
	parts := parallel.Map(1000, 10, func(lo, hi int) []int {
		var out []int
		for i := lo; i < hi; i++ {
			out = append(out, i)
		}
		return out
	})
	if got := slices.Concat(parts...); len(got) != 1000 || !slices.IsSorted(got) {
		t.Fatalf("joined in worker order, the ranges cover 0…999 in order: %d items", len(got))
	}
	if len(parallel.Map(0, 10, func(lo, hi int) int { return 1 })) != 0 {
		t.Fatal("nothing to do, no result")
	}
}
