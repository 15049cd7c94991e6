package raci

import "sync"

// memo caches values computed from keys, for the engine's lazily filled
// tables (effective matrices, approval paths, active references), so that
// identities can be checked on several goroutines at once. The
// computations are pure: when two goroutines compute one key at once, both
// get the value stored first. The zero memo is empty and ready to use.
type memo[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// get returns the value for k, computing it with compute (outside the lock)
// on first use.
func (c *memo[K, V]) get(k K, compute func() V) V {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = compute()
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok {
		return old
	}
	if c.m == nil {
		c.m = map[K]V{}
	}
	c.m[k] = v
	return v
}
