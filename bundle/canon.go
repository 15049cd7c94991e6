package bundle

import (
	"hash/maphash"

	"github.com/sodkit/sodkit/entitlement"
)

// canon holds the directory's IDs — identities, entitlements, roles and
// parties — as the directory's own strings, for Stream's second pass: a
// reference read there is handed on as the directory's string for the
// same ID, so it shares memory with the keys of the directory's index,
// and every later lookup or comparison of it (the grant validator, the
// checks) finds equal strings by their pointers instead of comparing
// their bytes. It is an open-addressing table of at most half load, read
// concurrently by the decoders and never written after it is built.
type canon struct {
	seed  maphash.Seed
	slots []string // "" is empty; no ID is empty
}

func newCanon(inv *entitlement.Inventory) *canon {
	n := len(inv.Identities) + len(inv.Entitlements) + len(inv.Roles) + len(inv.Parties)
	size := 16
	for size < 2*n {
		size *= 2
	}
	c := &canon{seed: maphash.MakeSeed(), slots: make([]string, size)}
	for _, id := range inv.Identities {
		c.add(id.ID)
	}
	for _, e := range inv.Entitlements {
		c.add(e.ID)
	}
	for _, r := range inv.Roles {
		c.add(r.ID)
	}
	for _, p := range inv.Parties {
		c.add(p.ID)
	}
	return c
}

func (c *canon) add(s string) {
	if s == "" {
		return
	}
	mask := uint64(len(c.slots) - 1)
	for i := maphash.String(c.seed, s) & mask; ; i = (i + 1) & mask {
		switch c.slots[i] {
		case "":
			c.slots[i] = s
			return
		case s:
			return // an ID two kinds of record share: either string serves
		}
	}
}

// lookup returns the directory's string equal to b, if it has one.
func (c *canon) lookup(b []byte) (string, bool) {
	mask := uint64(len(c.slots) - 1)
	for i := maphash.Bytes(c.seed, b) & mask; ; i = (i + 1) & mask {
		s := c.slots[i]
		if s == "" {
			return "", false
		}
		if s == string(b) {
			return s, true
		}
	}
}
