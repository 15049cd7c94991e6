// Package safetext renders strings taken from input data for people: for a
// terminal, a pager, a log viewer or a Markdown page. It replaces every
// character that could change how the rest of the output is displayed or
// read with a visible escape, so an identity ID cannot clear the screen,
// forge a line of a report or reorder the text around it.
//
// It is for human-readable text only. Machine formats (JSON, SARIF, OSCAL)
// carry the data unchanged and rely on their own encoders; CSV relies on its
// quoting.
//
// # Scheme
//
// Escape writes these as escapes, and passes every other character through:
//
//   - line feed, carriage return and tab as \n, \r and \t;
//   - the other C0 controls (U+0000–U+001F) and DEL (U+007F) as \xHH,
//     for example \x1b for ESC and \x00 for NUL;
//   - the C1 controls (U+0080–U+009F) as \uHHHH, for example \u009b;
//   - the Unicode bidirectional controls ("Trojan Source": U+061C,
//     U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the line and
//     paragraph separators (U+2028, U+2029) as \uHHHH, for example \u202e;
//   - each byte that is not part of valid UTF-8 as \xHH with HH ≥ 80, for
//     example \xff.
//
// Hex digits are lower-case. \xHH with HH < 80 is always the control
// character U+00HH, \xHH with HH ≥ 80 always a raw invalid byte, and
// \uHHHH always a code point, so no two inputs render alike.
//
// A backslash stays as it is (C:\data\org.json reads as typed) unless what
// follows it could be read as part of an escape: another backslash, one of
// the letters x, u, n, r or t, a character that is itself escaped, or the
// end of the string. Then it is doubled. So a literal "\x1b" in the input
// renders as \\x1b, distinct from the escaped ESC, and a rendering can be
// read back unambiguously: \\ is a backslash, \n \r \t \xHH \uHHHH are the
// escapes above, and any other backslash stands for itself.
//
// The output is valid UTF-8 and holds none of the characters above.
package safetext

import "unicode/utf8"

// asciiSafe marks the bytes that pass through unchanged on their own: the
// ASCII characters but the C0 controls, DEL and the backslash (which
// depends on what follows it). Bytes of multi-byte sequences are false.
var asciiSafe = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// escaped reports whether the code point r is written as an escape.
func escaped(r rune) bool {
	switch {
	case r < 0x80:
		return r < 0x20 || r == 0x7f
	case r <= 0x9f: // C1 controls
		return true
	case r < 0x061c:
		return false
	}
	switch r {
	case 0x061c, 0x200e, 0x200f, 0x2028, 0x2029:
		return true
	}
	return 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069
}

// unsafeAt reports whether the character starting at s[i] is escaped (or
// starts an invalid sequence), and its width in bytes.
func unsafeAt(s string, i int) (bool, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return !asciiSafe[c] && c != '\\', 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && n == 1 {
		return true, 1
	}
	return escaped(r), n
}

// doubleBackslash reports whether the backslash at s[i] must be doubled:
// when it ends the string or what follows could continue an escape.
func doubleBackslash(s string, i int) bool {
	i++
	if i == len(s) {
		return true
	}
	switch s[i] {
	case '\\', 'x', 'u', 'n', 'r', 't':
		return true
	}
	u, _ := unsafeAt(s, i)
	return u
}

// plain8 reports whether the eight bytes of s all pass through on their
// own: none is non-ASCII, a C0 control, DEL or a backslash. It tests them
// in one word (zero-byte tests may report a false positive, never a false
// negative; the byte loop settles any doubt).
func plain8(s string) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	zero := func(v uint64) uint64 { return (v - lo) &^ v & hi }
	return (w&hi | (w-0x20*lo)&^w&hi | zero(w^0x7f*lo) | zero(w^'\\'*lo)) == 0
}

// firstUnsafe returns the index of the first byte of s that Escape must
// change, or -1 when s is already safe.
func firstUnsafe(s string) int {
	i := 0
	for {
		// The common case: a run of plain ASCII, eight bytes at a time.
		for i+8 <= len(s) && plain8(s[i:i+8]) {
			i += 8
		}
		for i < len(s) && asciiSafe[s[i]] {
			i++
		}
		if i == len(s) {
			return -1
		}
		if s[i] == '\\' {
			if doubleBackslash(s, i) {
				return i
			}
			i++
			continue
		}
		u, n := unsafeAt(s, i)
		if u {
			return i
		}
		i += n
	}
}

// IsSafe reports whether s renders as itself, that is, whether Escape(s)
// == s. It does not allocate.
func IsSafe(s string) bool { return firstUnsafe(s) < 0 }

// Escape returns s with the characters described in the package
// documentation replaced by visible escapes. When s needs no escape it
// returns s itself, without allocating, so callers can pass every string
// through it at no cost in the common case.
func Escape(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	// Short strings are built on the stack and copied once.
	var buf [256]byte
	b := append(buf[:0], s[:i]...)
	return string(appendFrom(b, s, i))
}

// Append appends the escaped form of s to dst and returns the extended
// slice, as Escape would render it.
func Append(dst []byte, s string) []byte {
	i := firstUnsafe(s)
	if i < 0 {
		return append(dst, s...)
	}
	dst = append(dst, s[:i]...)
	return appendFrom(dst, s, i)
}

// appendFrom appends the escaped form of s[i:] to b.
func appendFrom(b []byte, s string, i int) []byte {
	for i < len(s) {
		c := s[i]
		if asciiSafe[c] {
			b = append(b, c)
			i++
			continue
		}
		if c == '\\' {
			b = append(b, '\\')
			if doubleBackslash(s, i) {
				b = append(b, '\\')
			}
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		case escaped(r):
			b = append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}
