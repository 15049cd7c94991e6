package entitlement

import (
	"errors"
	"fmt"
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
// Grant IDs are remembered as 64-bit hashes, so memory stays at about 16
// bytes a grant; two different IDs whose hashes collide (odds about one in
// a hundred thousand for ten million grants) would be reported as a
// duplicate — a false alarm, never a miss.
//
// A GrantChecker is safe for concurrent use.
type GrantChecker struct {
	x    *Index
	seed maphash.Seed
	mu   sync.Mutex
	seen map[uint64]struct{}
}

// NewGrantChecker returns a GrantChecker over the directory x.
func NewGrantChecker(x *Index) *GrantChecker {
	return &GrantChecker{x: x, seed: maphash.MakeSeed(), seen: map[uint64]struct{}{}}
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
		if _, dup := c.seen[h]; dup {
			return "an earlier identity", true
		}
		c.seen[h] = struct{}{}
		return "", false
	}
	name := id.ID
	if name == "" {
		name = fmt.Sprintf("#%d", pos)
	}
	for gi, g := range id.Grants {
		v.grant("identity "+name, int32(pos), int32(gi), g)
	}
	return errors.Join(v.errs...)
}
