package idfold

import (
	"unicode"
	"unicode/utf8"
)

// Case returns the case-folded form of s: two strings have the same form
// exactly when strings.EqualFold reports them equal (Unicode simple case
// folding). It is the key for comparisons that ignore case and nothing
// else — SCIM userNames (RFC 7643 §4.1.1: not case-exact) and attribute
// names (§2.1) — where Key is the much wider look-alike key.
//
// Each rune becomes the smallest rune of its simple-folding orbit, so "K",
// "k" and the Kelvin sign (U+212A) fold alike, as EqualFold has them;
// strings.ToLower would leave "s" and "ſ" (U+017F), or "σ" and the final
// "ς", apart.
func Case(s string) string {
	ascii := true
	for i := range len(s) {
		if c := s[i]; c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		// The smallest of an ASCII letter's orbit is its upper case: 'K'
		// (0x4B) is below 'k' and U+212A, 'S' below 's' and U+017F.
		b := []byte(s)
		for i, c := range b {
			if 'a' <= c && c <= 'z' {
				b[i] = c - 'a' + 'A'
			}
		}
		return string(b)
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = utf8.AppendRune(b, smallestFold(r))
	}
	return string(b)
}

// smallestFold returns the smallest rune of r's simple-folding orbit.
func smallestFold(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}
