package bundle

// SetParallel makes Load decode identities with the given number of
// workers (0: in place) in batches of at most items identities, for the
// tests that compare both ways of reading; it returns a function that
// restores the defaults.
func SetParallel(workers, items int) (restore func()) {
	oldWorkers, oldItems := parallelWorkers, batchItems
	parallelWorkers = func() int { return workers }
	batchItems = items
	return func() { parallelWorkers, batchItems = oldWorkers, oldItems }
}
