package entitlement

import (
	"errors"
	"hash/maphash"
	"sync"
)

// GrantChecker validates the grants of identities streamed one at a time,
// for inventories too large to hold whole. Its Index holds every identity
// without its grants (the directory of a two-pass read); Check validates
// one identity's grants exactly as NewIndex validates grants held in an
// inventory — targets, actors and stages that resolve, times in order,
// states consistent — and reports a grant ID used by an earlier identity
// passed to Check.
//
// Grant IDs are remembered as 64-bit hashes in an open-addressing table,
// so memory stays at 11 to 21 bytes a grant; two different IDs whose hashes collide (odds about one in
// a hundred thousand for ten million grants) would be reported as a
// duplicate — a false alarm, never a miss.
//
// A GrantChecker is safe for concurrent use.
type GrantChecker struct {
	x    *Index
	seed maphash.Seed
	mu   sync.Mutex
	seen hashSet
}

// NewGrantChecker returns a GrantChecker over the directory x.
func NewGrantChecker(x *Index) *GrantChecker {
	return &GrantChecker{x: x, seed: maphash.MakeSeed()}
}

// Check validates the grants of id, the identity at position pos of the
// stream (its position in the directory), and returns every problem,
// joined; nil if there is none. Problems with the identity's own fields
// are the directory's to report.
func (c *GrantChecker) Check(pos int, id Identity) error {
	v := &validator{inv: c.x.inv, x: c.x}
	v.grantSeen = func(gid string) (string, bool) {
		h := maphash.String(c.seed, gid)
		c.mu.Lock()
		defer c.mu.Unlock()
		if !c.seen.add(h) {
			return "an earlier identity", true
		}
		return "", false
	}
	name := recordName(pos, id.ID)
	for gi, g := range id.Grants {
		v.grant("identity "+name, int32(pos), int32(gi), g)
	}
	return errors.Join(v.errs...)
}

// hashSet is a set of 64-bit hashes: open addressing with linear probing,
// kept between 3/8 and 3/4 full. Zero marks an empty slot, so the hash 0
// is stored as 1 (one more possible collision among 2^64).
type hashSet struct {
	slots []uint64
	n     int
}

// add inserts h and reports whether it was new.
func (s *hashSet) add(h uint64) bool {
	if h == 0 {
		h = 1
	}
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = h
			s.n++
			return true
		case h:
			return false
		}
	}
}

func (s *hashSet) grow() {
	old := s.slots
	size := max(1024, 2*len(old))
	s.slots, s.n = make([]uint64, size), 0
	for _, h := range old {
		if h != 0 {
			s.add(h)
		}
	}
}
