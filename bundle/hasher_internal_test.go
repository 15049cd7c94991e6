package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// TestHasher: the SHA-256 and size of what is written are those of the
// bytes, whether the hasher stays in place (small inputs) or moves to its
// goroutine part way (large ones), whatever the sizes of the writes —
// empty, one byte, odd sizes, writes larger than its buffers.
func TestHasher(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	data := make([]byte, asyncHashAbove+3*hashBuffer+12345)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	tests := []struct {
		name  string
		size  int
		write func(int) int // the size of the next write, given the bytes left
	}{
		{"empty", 0, func(int) int { return 0 }},
		{"small, one write", 1000, func(n int) int { return n }},
		{"just below the switch", asyncHashAbove - 1, func(n int) int { return min(n, 65536) }},
		{"exactly the switch", asyncHashAbove, func(n int) int { return min(n, 65536) }},
		{"large, odd writes", len(data), func(n int) int { return min(n, 1+r.IntN(100_000)) }},
		{"large, writes above a buffer", len(data), func(n int) int { return min(n, 3*hashBuffer+7) }},
		{"large, one write", len(data), func(n int) int { return n }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newHasher("f.json")
			in := data[:tt.size]
			for p := in; len(p) > 0; {
				k := tt.write(len(p))
				hs.write(p[:k])
				p = p[k:]
			}
			hs.write(nil)
			got := hs.input()
			sum := sha256.Sum256(in)
			if got.SHA256 != hex.EncodeToString(sum[:]) || got.Bytes != int64(tt.size) || got.Name != "f.json" {
				t.Fatalf("got %+v, want %d bytes with SHA-256 %x", got, tt.size, sum)
			}
		})
	}
}
