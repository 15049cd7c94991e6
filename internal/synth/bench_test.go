package synth_test

import (
	"io"
	"testing"

	"github.com/sodkit/sodkit/internal/synth"
)

func BenchmarkWriteBundle(b *testing.B) {
	for b.Loop() {
		if err := synth.WriteBundle(io.Discard, synth.Config{Seed: 1, Identities: 10000}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		synth.Generate(synth.Config{Seed: 1, Identities: 10000})
	}
}
