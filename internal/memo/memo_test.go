package memo_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/internal/memo"
)

// TestTableConcurrent: goroutines asking for the same keys at once all get
// one value per key, the first stored, and compute each key at most once
// per goroutine that missed it.
func TestTableConcurrent(t *testing.T) {
	var tab memo.Table[int, *int]
	var computed atomic.Int64
	got := make([][]*int, 8)
	var wg sync.WaitGroup
	for g := range got {
		wg.Go(func() {
			for k := range 100 {
				got[g] = append(got[g], tab.Get(k, func() *int { computed.Add(1); v := k * k; return &v }))
			}
		})
	}
	wg.Wait()
	for k := range 100 {
		require.Equal(t, k*k, *got[0][k])
		for g := range got {
			require.Same(t, got[0][k], got[g][k], "every goroutine gets the value stored first")
		}
	}
	require.GreaterOrEqual(t, computed.Load(), int64(100))
	require.LessOrEqual(t, computed.Load(), int64(800))
}

func ExampleTable() {
	var squares memo.Table[int, int]
	calls := 0
	square := func(n int) int { return squares.Get(n, func() int { calls++; return n * n }) }
	fmt.Println(square(3), square(3), square(4), calls)
	// Output: 9 9 16 2
}
