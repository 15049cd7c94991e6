// Package suggest finds the names nearest to a mistyped one, for the "did
// you mean" of an error message: a member name a file format does not
// define, a flag or a command the CLI does not know, a check name.
//
// Names are compared by edit distance, ignoring case: the number of runes
// to insert, delete or substitute, or of adjacent pairs to swap, to turn
// one into the other. A name is suggested only when it is close for the
// length of the word typed (see Closest), so a hint is a likely typo and
// never a guess from nothing.
//
// The package imports nothing of the module, so any package may use it.
package suggest

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// MaxNames is how many names Closest returns at most, and Hint quotes.
const MaxNames = 3

// Closest returns the candidates nearest to word: those at the smallest
// Distance from it, if that distance is small enough to be a typo —
// at most 1 for a word of 3 to 5 runes, 2 for 6 to 9 and 3 for longer
// words, and below the length of the candidate; a word of 1 or 2 runes
// matches only a candidate that differs from it in case alone.
//
// The result is sorted, holds no duplicates and at most MaxNames names,
// and is nil when no candidate is close enough. A candidate equal to word
// is not suggested (it would not be mistyped).
func Closest(word string, candidates []string) []string {
	limit := maxEdits(runeCount(word))
	best := limit + 1
	var out []string
	for _, c := range candidates {
		if c == word || c == "" {
			continue
		}
		d := Distance(word, c)
		if d > limit || d >= runeCount(c) && d > 0 {
			continue
		}
		switch {
		case d < best:
			best, out = d, append(out[:0], c)
		case d == best && !slices.Contains(out, c):
			out = append(out, c)
		}
	}
	slices.Sort(out)
	if len(out) > MaxNames {
		out = out[:MaxNames]
	}
	return out
}

// Hint returns the suggestion for word among candidates as the end of an
// error message — ` (did you mean "privileged"?)`, or `"a" or "b"` for a
// tie — with each name quoted as Go quotes strings; "" when Closest finds
// none.
func Hint(word string, candidates []string) string {
	names := Closest(word, candidates)
	if len(names) == 0 {
		return ""
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return " (did you mean " + Join(quoted) + "?)"
}

// Join joins names for a sentence: "a", "a or b", "a, b or c".
func Join(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Distance returns the edit distance between a and b, ignoring case: the
// fewest rune insertions, deletions, substitutions and swaps of adjacent
// runes that turn one into the other, no rune being edited twice (the
// optimal string alignment distance). It is symmetric, zero exactly when
// a and b differ at most in case, and at most the length of the longer.
func Distance(a, b string) int {
	x, y := fold(a), fold(b)
	// Three rows of the dynamic programme: two back, one back, current.
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

// maxEdits is the largest distance that still reads as a typo of a word of
// n runes.
func maxEdits(n int) int {
	switch {
	case n <= 2:
		return 0
	case n <= 5:
		return 1
	case n <= 9:
		return 2
	}
	return 3
}

// fold returns s's runes in lower case.
func fold(s string) []rune {
	r := []rune(s)
	for i, c := range r {
		r[i] = unicode.ToLower(c)
	}
	return r
}

func runeCount(s string) int { return len([]rune(s)) }
