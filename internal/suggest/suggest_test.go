package suggest

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		name   string
		a, b   string
		want   int
		reason string
	}{
		{"equal", "format", "format", 0, "no edit"},
		{"case", "Format", "fORMAT", 0, "case is ignored"},
		{"substitution", "privilaged", "privileged", 1, "one rune replaced"},
		{"swap", "fial-on", "fail-on", 1, "adjacent runes swapped count once"},
		{"insertion", "fomat", "format", 1, "one rune missing"},
		{"two edits", "expiry", "expires", 2, "y→e, then s added"},
		{"empty", "", "abc", 3, "every rune inserted"},
		{"runes not bytes", "größe", "grosse", 3, "ö→o, ß→s and one s added: runes are compared, not the bytes of ö and ß"},
		{"no double edit", "ca", "abc", 3, "optimal string alignment edits no rune twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Distance(tt.a, tt.b), tt.reason)
			require.Equal(t, tt.want, Distance(tt.b, tt.a), "symmetric: "+tt.reason)
		})
	}
}

func TestClosest(t *testing.T) {
	members := []string{"id", "name", "kind", "status", "privileged", "expires", "entitlement", "entitlements", "environment"}
	tests := []struct {
		name   string
		word   string
		want   []string
		reason string
	}{
		{"typo", "privilaged", []string{"privileged"}, "the issue's example"},
		{"case", "Name", []string{"name"}, "differs in case only"},
		{"short word, case only", "ID", []string{"id"}, "two runes: case alone"},
		{"short word, no guess", "ic", nil, "two runes are too few to guess a typo from"},
		{"two edits in a long word", "expiry", []string{"expires"}, "six runes allow two edits"},
		{"too far", "owner", nil, "nothing is near it: no hint rather than a guess"},
		{"tie", "entitlementz", []string{"entitlement", "entitlements"}, "both at one edit, sorted"},
		{"exact", "status", nil, "a valid name is not a typo"},
		{"not shorter than the distance", "xyz", nil, "no candidate of fewer runes than the edits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Closest(tt.word, members), tt.reason)
		})
	}
}

func TestHint(t *testing.T) {
	tests := []struct {
		name       string
		word       string
		candidates []string
		want       string
		reason     string
	}{
		{"one", "privilaged", []string{"privileged", "name"}, ` (did you mean "privileged"?)`, "quoted, in parentheses"},
		{"two", "rolez", []string{"roles", "role"}, ` (did you mean "role" or "roles"?)`, "a tie names both"},
		{"three", "ab", []string{"AB", "Ab", "aB"}, ` (did you mean "AB", "Ab" or "aB"?)`, "a list in words"},
		{"none", "zzzzzz", []string{"name"}, "", "no hint at all"},
		{"quoting", "a\"bc", []string{"a\"bd"}, ` (did you mean "a\"bd"?)`, "quoted as Go quotes strings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Hint(tt.word, tt.candidates), tt.reason)
		})
	}
}

// FuzzClosest checks the invariants: Distance is symmetric, zero for
// strings equal in case, bounded by the longer string; Closest returns
// sorted, distinct candidates, all at one distance within the limit, none
// equal to the word, at most MaxNames.
func FuzzClosest(f *testing.F) {
	f.Add("privilaged", "privileged", "name")
	f.Add("fial-on", "fail-on", "format")
	f.Add("", "a", "")
	f.Add("größe", "grosse", "GRÖSSE")
	f.Fuzz(func(t *testing.T, word, c1, c2 string) {
		if !utf8.ValidString(word) || !utf8.ValidString(c1) || !utf8.ValidString(c2) {
			return
		}
		d := Distance(word, c1)
		if d != Distance(c1, word) {
			t.Fatalf("Distance(%q, %q) is not symmetric", word, c1)
		}
		if d > max(utf8.RuneCountInString(word), utf8.RuneCountInString(c1)) {
			t.Fatalf("Distance(%q, %q) = %d, more than the longer", word, c1, d)
		}
		if Distance(word, word) != 0 {
			t.Fatalf("Distance(%q, itself) != 0", word)
		}
		got := Closest(word, []string{c1, c2, c1})
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) || len(got) > MaxNames {
			t.Fatalf("Closest(%q) = %q: not sorted, distinct and short", word, got)
		}
		for _, g := range got {
			if g == word || (g != c1 && g != c2) {
				t.Fatalf("Closest(%q) = %q: not a candidate, or the word itself", word, got)
			}
			if dg := Distance(word, g); dg > maxEdits(utf8.RuneCountInString(word)) || dg != Distance(word, got[0]) {
				t.Fatalf("Closest(%q) = %q: distances differ or exceed the limit", word, got)
			}
		}
	})
}
