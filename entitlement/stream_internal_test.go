package entitlement

import "testing"

func TestHashSet(t *testing.T) {
	var s hashSet
	for i := range uint64(100_000) {
		h := i * 0x9e3779b97f4a7c15
		if !s.add(h) {
			t.Fatalf("%d: new hash reported as seen", i)
		}
	}
	for i := range uint64(100_000) {
		if s.add(i * 0x9e3779b97f4a7c15) {
			t.Fatalf("%d: seen hash reported as new", i)
		}
	}
	if s.n != 100_000 || 4*s.n > 3*len(s.slots) {
		t.Fatalf("%d entries in %d slots: the table must stay at most 3/4 full", s.n, len(s.slots))
	}
	var z hashSet
	if !z.add(0) || z.add(0) || z.add(1) {
		t.Fatal("0 is stored as 1: adding 0 once is new, then 0 and 1 are seen")
	}
}
