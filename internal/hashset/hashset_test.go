package hashset

import "testing"

func TestSet(t *testing.T) {
	var s Set
	for i := range uint64(100_000) {
		h := i * 0x9e3779b97f4a7c15
		if !s.Add(h) {
			t.Fatalf("%d: new hash reported as seen", i)
		}
	}
	for i := range uint64(100_000) {
		if s.Add(i * 0x9e3779b97f4a7c15) {
			t.Fatalf("%d: seen hash reported as new", i)
		}
	}
	if s.Len() != 100_000 || 4*s.n > 3*len(s.slots) {
		t.Fatalf("%d entries in %d slots: the table must stay at most 3/4 full", s.n, len(s.slots))
	}
	var z Set
	if !z.Add(0) || z.Add(0) || z.Add(1) {
		t.Fatal("0 is stored as 1: adding 0 once is new, then 0 and 1 are seen")
	}
}
