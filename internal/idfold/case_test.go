package idfold

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCase(t *testing.T) {
	tests := []struct {
		name   string
		a, b   string
		reason string
	}{
		{"ASCII", "Alice@Acme.example", "alice@ACME.EXAMPLE", "ASCII letters fold to one form"},
		{"Kelvin sign", "\u212a", "k", "U+212A folds with k, as strings.EqualFold has it"},
		{"long s", "\u017f", "S", "U+017F folds with s (strings.ToLower leaves it apart)"},
		{"Greek sigma", "ΣΊΣΥΦΟΣ", "σίσυφος", "final and medial sigma fold alike (strings.ToLower leaves ς apart from σ)"},
		{"different", "alice", "alicia", "different names stay different"},
		{"invalid UTF-8", "a\xffb", "A\xfeB", "each invalid byte reads as U+FFFD, as in EqualFold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, strings.EqualFold(tt.a, tt.b), Case(tt.a) == Case(tt.b), tt.reason)
		})
	}
	require.NotEqual(t, Case("alice"), Case("alicia"))
	require.Equal(t, Case("k"), Case("\u212a"))
}

// FuzzCase checks that Case agrees with strings.EqualFold.
func FuzzCase(f *testing.F) {
	f.Add("Alice", "aLICE")
	f.Add("\u212a", "k")
	f.Add("ǅ", "ǆ")
	f.Add("a\xff", "A\xfe")
	f.Fuzz(func(t *testing.T, a, b string) {
		require.Equal(t, strings.EqualFold(a, b), Case(a) == Case(b), "%q %q", a, b)
		require.Equal(t, Case(a), Case(Case(a)), "folding is idempotent")
	})
}
