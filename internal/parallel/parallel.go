// Package parallel splits work over the cores: the one way sodkit divides a
// list of independent items (identities, mostly) among goroutines, so that
// every parallel loop sizes its workers and cuts its ranges alike.
//
// It imports nothing of the module.
package parallel

import (
	"runtime"
	"sync"
)

// Ranges calls fn(w, lo, hi) for contiguous ranges [lo, hi) covering 0…n,
// each on its own goroutine, and returns when all have returned. It uses at
// most GOMAXPROCS workers, and fewer when there are fewer than grain items
// per worker, so small inputs run on one goroutine. Worker w gets the w-th
// range in order, so callers that keep per-worker results and join them in
// w order get the same result as a sequential loop. It returns the number
// of workers, each of which fn was called for exactly once (zero when n is
// zero).
func Ranges(n, grain int, fn func(w, lo, hi int)) int {
	if n <= 0 {
		return 0
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, n/max(grain, 1)))
	if workers == 1 {
		fn(0, 0, n)
		return 1
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() { fn(w, lo, hi) })
	}
	wg.Wait()
	return workers
}

// Map runs fn over ranges of 0…n as Ranges does and returns each worker's
// result, in worker order.
func Map[T any](n, grain int, fn func(lo, hi int) T) []T {
	out := make([]T, min(runtime.GOMAXPROCS(0), max(1, n)))
	workers := Ranges(n, grain, func(w, lo, hi int) { out[w] = fn(lo, hi) })
	return out[:workers]
}
