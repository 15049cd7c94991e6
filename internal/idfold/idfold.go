package idfold

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

//go:generate go -C ../../tools run ./idfoldgen -o ../internal/idfold/tables.go

// Key returns the fold key of s (see the package documentation).
func Key(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return string(AppendKey(nil, s))
		}
	}
	return s // already folded: ASCII without capitals
}

// AppendKey appends the fold key of s to dst and returns the extended
// buffer, so a caller folding many IDs can reuse one buffer.
func AppendKey(dst []byte, s string) []byte {
	start := len(dst)
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	if ascii {
		return dst
	}
	// Fold rune by rune, then put each run of combining marks in
	// canonical order.
	dst = dst[:start]
	var buf [4]rune
	for _, r := range s {
		if c, ok := confusable(r); ok {
			dst = append(dst, byte(unicode.ToLower(c)))
			continue
		}
		m := fold(r, buf[:0])
		mapped := len(m) != 1 || m[0] != unicode.ToLower(r) // decomposed, not just a case change
		for _, q := range m {
			if Ignorable(q) {
				continue
			}
			if c, ok := confusable(q); ok && mapped {
				q = unicode.ToLower(c)
			}
			dst = utf8.AppendRune(dst, q)
		}
	}
	reorder(dst[start:])
	return dst
}

// fold appends the runes of r's table mapping to buf: its entry in the
// generated table, the algorithmic decomposition of a Hangul syllable, or r
// itself.
func fold(r rune, buf []rune) []rune {
	if r >= hangulBase && r < hangulBase+hangulCount {
		i := r - hangulBase
		buf = append(buf, jamoL+i/(jamoV*jamoT), jamoVBase+i%(jamoV*jamoT)/jamoT)
		if t := i % jamoT; t != 0 {
			buf = append(buf, jamoTBase+t)
		}
		return buf
	}
	if m, ok := Mapping(r); ok {
		for _, q := range m {
			buf = append(buf, q)
		}
		return buf
	}
	return append(buf, r)
}

// Hangul syllable decomposition (Unicode §3.12).
const (
	hangulBase  = 0xAC00
	jamoL       = 0x1100
	jamoVBase   = 0x1161
	jamoTBase   = 0x11A7
	jamoV       = 21
	jamoT       = 28
	hangulCount = 19 * jamoV * jamoT
)

// Mapping returns r's entry in the fold table: its full compatibility
// decomposition after full case folding, and true; or "", false when r
// maps to itself. Hangul syllables, which decompose algorithmically, are
// not in the table. Mapping is exported for the tests that check the table
// against golang.org/x/text.
func Mapping(r rune) (string, bool) {
	i, ok := slices.BinarySearch(foldRunes[:], uint32(r))
	if !ok {
		return "", false
	}
	lo := uint16(0)
	if i > 0 {
		lo = foldEnds[i-1]
	}
	return foldData[lo:foldEnds[i]], true
}

// CombiningClass returns the canonical combining class of r (0 for a
// starter).
func CombiningClass(r rune) uint8 {
	i, _ := slices.BinarySearch(combiningClasses[:], uint32(r)<<8)
	if i < len(combiningClasses) && combiningClasses[i]>>8 == uint32(r) {
		return uint8(combiningClasses[i])
	}
	return 0
}

// reorder puts each run of non-starters of the UTF-8 text b in canonical
// order: stably sorted by combining class (Unicode §3.11).
func reorder(b []byte) {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r < 0x300 || CombiningClass(r) == 0 {
			i += n
			continue
		}
		// A run of non-starters starts at i.
		j := i
		var marks []rune
		for j < len(b) {
			m, k := utf8.DecodeRune(b[j:])
			if m < 0x300 || CombiningClass(m) == 0 {
				break
			}
			marks = append(marks, m)
			j += k
		}
		if len(marks) > 1 {
			slices.SortStableFunc(marks, func(x, y rune) int { return int(CombiningClass(x)) - int(CombiningClass(y)) })
			k := i
			for _, m := range marks {
				k += utf8.EncodeRune(b[k:], m)
			}
		}
		i = j
	}
}

// Ignorable reports whether r is a default-ignorable code point
// (Default_Ignorable_Code_Point, Unicode 15.0): invisible in normal
// rendering, so it cannot tell two identifiers apart.
func Ignorable(r rune) bool {
	return r >= 0xAD && unicode.Is(ignorable, r)
}

// ignorable is Default_Ignorable_Code_Point of Unicode 15.0
// (DerivedCoreProperties.txt).
var ignorable = &unicode.RangeTable{
	R16: []unicode.Range16{
		{0x00AD, 0x00AD, 1}, {0x034F, 0x034F, 1}, {0x061C, 0x061C, 1}, {0x115F, 0x1160, 1},
		{0x17B4, 0x17B5, 1}, {0x180B, 0x180F, 1}, {0x200B, 0x200F, 1}, {0x202A, 0x202E, 1},
		{0x2060, 0x206F, 1}, {0x3164, 0x3164, 1}, {0xFE00, 0xFE0F, 1}, {0xFEFF, 0xFEFF, 1},
		{0xFFA0, 0xFFA0, 1}, {0xFFF0, 0xFFF8, 1},
	},
	R32: []unicode.Range32{
		{0x1BCA0, 0x1BCA3, 1}, {0x1D173, 0x1D17A, 1}, {0xE0000, 0xE0FFF, 1},
	},
}

// Confusable returns the Latin letter that the Cyrillic or Greek letter r
// looks like, and true; or 0, false when r is not in the map (see the
// package documentation).
func Confusable(r rune) (rune, bool) { return confusable(r) }

func confusable(r rune) (rune, bool) {
	if r < 0x37F || r > 0x51D {
		return 0, false
	}
	c, ok := confusables[r]
	return c, ok
}

// confusables maps Cyrillic and Greek letters to the Latin letters they
// look like, from UTS #39's confusables.txt (see the package
// documentation).
var confusables = map[rune]rune{
	// Cyrillic capitals.
	'А': 'A', 'В': 'B', 'Е': 'E', 'Ѕ': 'S', 'І': 'I', 'Ј': 'J', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O',
	'Р': 'P', 'С': 'C', 'Т': 'T', 'У': 'Y', 'Х': 'X', 'Ѵ': 'V', 'Ү': 'Y', 'Ԍ': 'G', 'Ԝ': 'W',
	// Cyrillic small letters.
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ј': 'j',
	'ѡ': 'w', 'ѵ': 'v', 'ү': 'y', 'һ': 'h', 'ҽ': 'e', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w',
	// Greek capitals.
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
	'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'ϒ': 'Y', 'Ϝ': 'F', 'Ϲ': 'C', 'Ϻ': 'M', 'Ϳ': 'J',
	// Greek small letters.
	'α': 'a', 'γ': 'y', 'ι': 'i', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'υ': 'u', 'ϱ': 'p', 'ϲ': 'c', 'ϳ': 'j',
}
