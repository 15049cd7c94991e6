package safetext

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		reason string
	}{
		{"empty", "", "", "nothing to escape"},
		{"plain", "erp:vendor.create", "erp:vendor.create", "ordinary IDs pass through"},
		{"unicode", "Zoë → 名前 ✓", "Zoë → 名前 ✓", "printable non-ASCII text passes through"},
		{"replacement char", "a\uFFFDb", "a\uFFFDb", "a valid U+FFFD is ordinary text"},
		{"newline", "alice\nCRITICAL forged", `alice\nCRITICAL forged`, "a line break cannot start a new report line"},
		{"carriage return", "alice\rCRITICAL", `alice\rCRITICAL`, "a carriage return cannot overwrite the line"},
		{"tab", "a\tb", `a\tb`, "tab is a C0 control"},
		{"escape sequence", "x\x1b[2Jy", `x\x1b[2Jy`, "ESC cannot clear a terminal"},
		{"nul", "a\x00b", `a\x00b`, "NUL is visible"},
		{"other C0", "\x01\x07\x08\x0b\x0c\x1f", `\x01\x07\x08\x0b\x0c\x1f`, "every C0 control is escaped"},
		{"del", "a\x7fb", `a\x7fb`, "DEL is escaped"},
		{"C1", "a\u0085b\u009bc\u0080", `a\u0085b\u009bc\u0080`, "C1 controls (NEL, CSI) are code points, written as \\u"},
		{"bidi override", "admin\u202e3pm.exe", `admin\u202e3pm.exe`, "Trojan Source: RLO is visible"},
		{"bidi all", "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069", `\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069`, "every bidirectional control in the list"},
		{"bidi neighbours", "\u061b\u200d\u2029x\u2065\u206a", "\u061b\u200d\\u2029x\u2065\u206a", "only the listed code points are escaped, not their neighbours"},
		{"separators", "a\u2028b\u2029c", `a\u2028b\u2029c`, "line and paragraph separators break lines in some viewers"},
		{"invalid byte", "a\xffb", `a\xffb`, "an invalid byte is written as \\x with its value"},
		{"truncated rune", "a\xe2\x80", `a\xe2\x80`, "each byte of a truncated sequence is escaped"},
		{"surrogate", "\xed\xa0\x80", `\xed\xa0\x80`, "encoded surrogates are invalid UTF-8"},
		{"windows path", `C:\data\org.json`, `C:\data\org.json`, "a backslash before an ordinary character stays single"},
		{"literal escape", `\x1b`, `\\x1b`, "input that looks like an escape is told apart from one"},
		{"literal escapes", `\n \r \t \u \\`, `\\n \\r \\t \\u \\\\`, "every escape letter and the backslash itself"},
		{"backslash before control", "\\\n", `\\\n`, "a backslash before an escaped character is doubled"},
		{"backslash before invalid", "\\\xff", `\\\xff`, "and before an invalid byte"},
		{"trailing backslash", `dir\`, `dir\\`, "at the end, so text that follows cannot complete an escape"},
		{"backslash before capital", `\X\U\N`, `\X\U\N`, "escapes are lower-case letters only"},
		{"mixed", "ok\\then\x1b[31m\u202eevil\xc3", `ok\\then\x1b[31m\u202eevil\xc3`, "all together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Escape(tt.in)
			if got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q (%s)", tt.in, got, tt.want, tt.reason)
			}
			if IsSafe(tt.in) != (tt.in == tt.want) {
				t.Errorf("IsSafe(%q) = %v, want %v (%s)", tt.in, IsSafe(tt.in), tt.in == tt.want, tt.reason)
			}
			if a := string(Append([]byte("pre:"), tt.in)); a != "pre:"+tt.want {
				t.Errorf("Append(pre:, %q) = %q, want %q", tt.in, a, "pre:"+tt.want)
			}
			if back := unescape(t, got); back != tt.in {
				t.Errorf("unescape(Escape(%q)) = %q (%s)", tt.in, back, tt.reason)
			}
		})
	}
}

// TestEscapeEveryOffset puts each kind of unsafe byte at every offset of a
// longer string, so the word-at-a-time scan is checked at each position.
func TestEscapeEveryOffset(t *testing.T) {
	const plain = "abcdefghijklmnopqrstuvwxyz0123456789"
	for _, bad := range []string{"\x00", "\x1f", " \x7f", `\n`, `\\`, "\xc2\x85", "\xe2\x80\xae", "\xff"} {
		for i := 0; i <= len(plain); i++ {
			s := plain[:i] + bad + plain[i:]
			got := Escape(s)
			if got == s || IsSafe(s) {
				t.Fatalf("Escape(%q) = %q: the unsafe part at offset %d was missed", s, got, i)
			}
			if back := unescape(t, got); back != s {
				t.Fatalf("Escape(%q) = %q reads back as %q", s, got, back)
			}
		}
	}
	for c := 0; c < 0x80; c++ {
		s := plain + string(rune(c)) + plain
		want := c >= 0x20 && c != 0x7f // a backslash before "a" stays single
		if IsSafe(s) != want {
			t.Errorf("IsSafe with byte %#x at offset %d = %v, want %v", c, len(plain), !want, want)
		}
	}
}

// TestEscapeSafeDoesNotAllocate is the fast path: reports render hundreds
// of thousands of IDs, nearly all safe, and must not copy them.
func TestEscapeSafeDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"", "identity svc-erp-sync", `C:\data\org.json`, "Zoë → 名前"} {
		if n := testing.AllocsPerRun(100, func() { _ = Escape(s) }); n != 0 {
			t.Errorf("Escape(%q) allocates %v times; want 0 for a safe string", s, n)
		}
		if Escape(s) != s || !IsSafe(s) {
			t.Errorf("Escape(%q) changed a safe string", s)
		}
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = Append(buf[:0], "identity\x1bx") }); n != 0 {
		t.Errorf("Append into a large enough buffer allocates %v times; want 0", n)
	}
}

// unescape reads a rendering back: \\ is a backslash, \n \r \t \xHH
// \uHHHH are escapes, and any other backslash stands for itself. It fails
// the test on an escape Escape never writes.
func unescape(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		hex := func(n int) uint64 {
			if i+2+n > len(s) {
				t.Fatalf("truncated escape at %d in %q", i, s)
			}
			v, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32)
			if err != nil || strings.ToLower(s[i+2:i+2+n]) != s[i+2:i+2+n] {
				t.Fatalf("bad escape at %d in %q", i, s)
			}
			return v
		}
		switch s[i+1] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'x':
			b.WriteByte(byte(hex(2)))
			i += 2
		case 'u':
			b.WriteRune(rune(hex(4)))
			i += 4
		default:
			b.WriteByte('\\')
			continue
		}
		i++
	}
	return b.String()
}

// FuzzEscape checks the scheme's invariants on any input: the output is
// valid UTF-8 free of every escaped character, reads back to the input,
// is the input exactly when IsSafe says so, and Append agrees with Escape.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "a\nb", "\x1b[2J", `\x1b`, `dir\`, "\\\n", "\u202e", "\xff\xfe", "\u0085", "é\\u00e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Escape(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Escape(%q) = %q is not valid UTF-8", s, got)
		}
		for _, r := range got {
			if escaped(r) {
				t.Fatalf("Escape(%q) = %q still holds %U", s, got, r)
			}
		}
		if back := unescape(t, got); back != s {
			t.Fatalf("Escape(%q) = %q reads back as %q", s, got, back)
		}
		if IsSafe(s) != (got == s) {
			t.Fatalf("IsSafe(%q) = %v but Escape gives %q", s, IsSafe(s), got)
		}
		if a := string(Append(nil, s)); a != got {
			t.Fatalf("Append(nil, %q) = %q, Escape = %q", s, a, got)
		}
	})
}

// BenchmarkEscape shows the fast path: a safe string costs a scan and no
// allocation; an unsafe one costs one allocation.
func BenchmarkEscape(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"safe", "identity svc-payments-batch holds erp:vendor.create via role ap-clerk"},
		{"unsafe", "identity svc-payments-batch\x1b[2J holds erp:vendor.create\nCRITICAL"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Escape(bc.s)
			}
		})
	}
}
