package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sodkit/sodkit/internal/idfold"
)

// TestTablesAreCurrent checks that internal/idfold/tables.go is what the
// generator writes now: regenerate with go generate in internal/idfold.
func TestTablesAreCurrent(t *testing.T) {
	want, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../internal/idfold/tables.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("internal/idfold/tables.go is stale: run go generate ./internal/idfold")
	}
}

// TestEveryRune checks idfold's lookups against golang.org/x/text for
// every rune: the fold table (Hangul syllables included, which idfold
// decomposes in code) and the canonical combining classes.
func TestEveryRune(t *testing.T) {
	bad := 0
	for r := rune(0); r <= unicode.MaxRune && bad < 20; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		want := Fold(r)
		got, ok := idfold.Mapping(r)
		if !ok {
			got = string(r)
		}
		if r >= hangulFirst && r <= hangulLast {
			got = idfold.Key(string(r)) // decomposed in code; Hangul jamo fold to themselves
		}
		if got != want {
			t.Errorf("fold of %U = %+q, x/text gives %+q", r, got, want)
			bad++
		}
		if c, want := idfold.CombiningClass(r), CombiningClass(r); c != want {
			t.Errorf("combining class of %U = %d, x/text gives %d", r, c, want)
			bad++
		}
	}
}

// TestKeyAgainstXText checks idfold.Key on random strings against a key
// built with golang.org/x/text: the per-rune folds concatenated, then
// normalised (NFKD), which puts the combining marks in canonical order.
// The strings avoid the runes idfold's own choices touch (confusables and
// default-ignorable code points), which its own tests cover; they draw
// heavily on combining marks, so runs of marks of many classes get
// reordered.
func TestKeyAgainstXText(t *testing.T) {
	var pool, marks []rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) || idfold.Ignorable(r) {
			continue
		}
		f := Fold(r)
		if strings.ContainsFunc(f, func(q rune) bool { _, c := idfold.Confusable(q); return c || idfold.Ignorable(q) }) {
			continue
		}
		if _, c := idfold.Confusable(r); c {
			continue
		}
		if CombiningClass(r) != 0 {
			marks = append(marks, r)
		}
		if f != string(r) || CombiningClass(r) != 0 || r < 0x80 {
			pool = append(pool, r) // the interesting runes
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		var b strings.Builder
		for range rng.IntN(8) + 1 {
			if rng.IntN(2) == 0 {
				b.WriteRune(marks[rng.IntN(len(marks))])
			} else {
				b.WriteRune(pool[rng.IntN(len(pool))])
			}
		}
		s := b.String()
		var ref strings.Builder
		for _, r := range s {
			ref.WriteString(Fold(r))
		}
		want := norm.NFKD.String(ref.String())
		if got := idfold.Key(s); got != want {
			t.Fatalf("Key(%+q) = %+q, x/text gives %+q", s, got, want)
		}
	}
}
