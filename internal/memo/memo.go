// Package memo caches values computed from keys, for the lazily filled
// tables of the check engines (a RACI matrix per entitlement, what a
// grant's target confers), so that identities can be checked on several
// goroutines at once.
//
// The package imports nothing of the module.
package memo

import "sync"

// Table caches values computed from keys. The computations must be pure:
// when two goroutines compute one key at once, both get the value stored
// first. The zero Table is empty and ready to use; a Table must not be
// copied after first use.
type Table[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// Get returns the value for k, computing it with compute (outside the lock)
// on first use.
func (t *Table[K, V]) Get(k K, compute func() V) V {
	t.mu.RLock()
	v, ok := t.m[k]
	t.mu.RUnlock()
	if ok {
		return v
	}
	v = compute()
	t.mu.Lock()
	defer t.mu.Unlock()
	if old, ok := t.m[k]; ok {
		return old
	}
	if t.m == nil {
		t.m = map[K]V{}
	}
	t.m[k] = v
	return v
}
