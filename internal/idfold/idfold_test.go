package idfold_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/internal/idfold"
)

func TestKey(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		reason string
	}{
		{"ascii", "alice", "alice", "lower-case ASCII is its own key"},
		{"ascii case", "Alice.SMITH", "alice.smith", "case does not tell IDs apart"},
		{"cyrillic small a", "\u0430lice", "alice", "Cyrillic а looks like a"},
		{"cyrillic capital", "\u0410lice", "alice", "Cyrillic А looks like A, which folds to a"},
		{"cyrillic word", "\u0441\u0430\u0440", "cap", "сар is all Cyrillic"},
		{"greek", "\u039fmega-\u03bf", "omega-o", "Greek Ο and ο look like O and o"},
		{"greek nu", "\u039d\u03bd", "nv", "a letter maps as written: Ν looks like N, ν like v"},
		{"cyrillic ghe", "\u0413", "\u0433", "Г is not in the map: it folds to г, which is not either"},
		{"zero-width space", "bob\u200b", "bob", "invisible characters are dropped"},
		{"soft hyphen and joiners", "b\u00adob\u200d\u2060\ufeff", "bob", "format characters are dropped"},
		{"variation selector", "bob\ufe0f", "bob", "variation selectors are dropped"},
		{"decomposed accent", "jose\u0301", "jose\u0301", "a decomposed accent stays decomposed"},
		{"precomposed accent", "jos\u00e9", "jose\u0301", "a precomposed accent decomposes: é and e + U+0301 collide"},
		{"capital accent", "JOS\u00c9", "jose\u0301", "and folds"},
		{"accent order", "a\u0301\u0316", "a\u0316\u0301", "combining marks go in canonical order (220 before 230)"},
		{"accent order kept", "a\u0301\u0300", "a\u0301\u0300", "marks of one class keep their order"},
		{"cyrillic with diaeresis", "\u0451", "e\u0308", "ё decomposes to е and a diaeresis, and е maps to e: like ë"},
		{"fullwidth", "\uff41\uff4c\uff49\uff43\uff45", "alice", "fullwidth letters are compatibility forms"},
		{"ligature", "\ufb01nance", "finance", "ﬁ is f and i"},
		{"sharp s", "stra\u00dfe", "strasse", "full case folding: ß is ss"},
		{"capital sharp s", "STRA\u1e9eE", "strasse", "ẞ too"},
		{"kelvin", "\u212a8s", "k8s", "the Kelvin sign is a K"},
		{"superscript", "x\u00b2", "x2", "a superscript two is a two"},
		{"math letter", "\U0001d41a", "a", "mathematical bold a is an a"},
		{"math alpha", "\U0001d6c2", "a", "mathematical bold alpha is an alpha, which looks like a"},
		{"hangul", "\ud55c", "\u1112\u1161\u11ab", "Hangul syllables decompose"},
		{"cherokee", "\uab70", "\u13a0", "small Cherokee letters fold to the capitals (CaseFolding.txt)"},
		{"dotted capital I", "\u0130", "i\u0307", "İ folds to i and a dot"},
		{"final sigma", "\u03c2", "\u03c3", "ς folds to σ, which is not in the map"},
		{"empty", "", "", "the empty ID folds to itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := idfold.Key(tt.in)
			require.Equal(t, fmt.Sprintf("%+q", tt.want), fmt.Sprintf("%+q", got), tt.reason)
			require.Equal(t, got, string(idfold.AppendKey([]byte("prefix"), tt.in)[len("prefix"):]), "AppendKey appends the same")
			require.Equal(t, got, idfold.Key(got), "folding a key changes nothing")
		})
	}
}

func TestKeyDoesNotAllocateForFoldedASCII(t *testing.T) {
	s := strings.Repeat("svc-erp-sync.", 10)
	require.Zero(t, testing.AllocsPerRun(100, func() { _ = idfold.Key(s) }))
	buf := make([]byte, 0, 512)
	require.Zero(t, testing.AllocsPerRun(100, func() { buf = idfold.AppendKey(buf[:0], "Svc-ERP-Sync") }))
}

// TestIgnorable checks the hand-written Default_Ignorable_Code_Point table
// against its derivation from the standard library's Unicode properties
// (DerivedCoreProperties.txt): Other_Default_Ignorable_Code_Point, format
// characters and variation selectors, less white space, the interlinear
// annotation characters, Egyptian hieroglyph format controls and prepended
// concatenation marks.
func TestIgnorable(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := (unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || unicode.Is(unicode.Cf, r) ||
			unicode.Is(unicode.Variation_Selector, r)) &&
			!unicode.Is(unicode.White_Space, r) && !(0xFFF9 <= r && r <= 0xFFFB) && !(0x13430 <= r && r <= 0x1343F) &&
			!unicode.Is(unicode.Prepended_Concatenation_Mark, r)
		if idfold.Ignorable(r) != want {
			t.Fatalf("Ignorable(%U) = %v, want %v", r, !want, want)
		}
	}
}

// TestConfusables checks the map's shape: Cyrillic or Greek letters to
// ASCII letters of the same case.
func TestConfusables(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		c, ok := idfold.Confusable(r)
		if !ok {
			continue
		}
		n++
		require.True(t, unicode.In(r, unicode.Cyrillic, unicode.Greek), "%U is Cyrillic or Greek", r)
		require.True(t, c < utf8.RuneSelf && unicode.IsLetter(c), "%U maps to an ASCII letter", r)
		require.Equal(t, unicode.IsUpper(r), unicode.IsUpper(c), "%U maps to a letter of its own case", r)
	}
	require.Equal(t, 66, n, "the package documentation lists 66 letters")
}

// TestTable checks invariants of the generated table that hold whatever
// the Unicode version: folds are non-empty, fold to themselves, and are in
// canonical order. (tools/idfoldgen's tests check every rune against
// golang.org/x/text.)
func TestTable(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		m, ok := idfold.Mapping(r)
		if !ok {
			continue
		}
		require.NotEmpty(t, m, "%U", r)
		require.NotEqual(t, string(r), m, "%U: only runes that change are listed", r)
		for _, q := range m {
			_, again := idfold.Mapping(q)
			require.False(t, again, "%U: its fold %+q folds no further", r, m)
		}
	}
	require.Equal(t, uint8(230), idfold.CombiningClass('\u0301'))
	require.Equal(t, uint8(220), idfold.CombiningClass('\u0316'))
	require.Equal(t, uint8(0), idfold.CombiningClass('a'))
	require.Equal(t, uint8(0), idfold.CombiningClass(unicode.MaxRune))
}

func ExampleKey() {
	for _, id := range []string{"alice", "Alice", "\u0430lice", "alice\u200b", "\uff41lice", "bob"} {
		fmt.Printf("%+q → %q\n", id, idfold.Key(id))
	}
	// Output:
	// "alice" → "alice"
	// "Alice" → "alice"
	// "\u0430lice" → "alice"
	// "alice\u200b" → "alice"
	// "\uff41lice" → "alice"
	// "bob" → "bob"
}
