// Package hashset is a set of 64-bit hashes, for remembering which of
// millions of IDs have been seen in about 11 to 21 bytes each: open
// addressing with linear probing, kept between 3/8 and 3/4 full. Callers
// hash with hash/maphash and look up the real ID only when a hash repeats,
// so a collision (odds about one in a hundred thousand for ten million
// IDs) costs a lookup, never a wrong answer.
//
// It imports nothing of the module.
package hashset

// Set is a set of 64-bit hashes. The zero Set is empty and ready to use;
// a Set is not safe for concurrent use.
type Set struct {
	slots []uint64
	n     int
}

// Add inserts h and reports whether it was new. Zero marks an empty slot,
// so the hash 0 is stored as 1 (one more possible collision among 2^64).
func (s *Set) Add(h uint64) bool {
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

// Len returns the number of hashes in the set.
func (s *Set) Len() int { return s.n }

func (s *Set) grow() {
	old := s.slots
	size := max(1024, 2*len(old))
	s.slots, s.n = make([]uint64, size), 0
	for _, h := range old {
		if h != 0 {
			s.Add(h)
		}
	}
}
