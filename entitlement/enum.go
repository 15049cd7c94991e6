package entitlement

import (
	"fmt"
	"strings"
)

// names is the text form of a small enumeration whose zero value means
// "unset". It backs String, Parse and the text marshalling of the
// enumerations in this package.
type names[T ~uint8] struct {
	what string   // "identity kind", used in errors
	text []string // text[0] is the unset value's name
}

func (n names[T]) String(v T) string {
	if int(v) < len(n.text) {
		return n.text[v]
	}
	return fmt.Sprintf("%s(%d)", strings.ReplaceAll(n.what, " ", "_"), uint8(v))
}

func (n names[T]) valid(v T) bool { return v != 0 && int(v) < len(n.text) }

// parse accepts any name but the unset one, case-insensitively (ASCII
// letters only); '-' and '_' are interchangeable.
func (n names[T]) parse(s string) (T, error) {
	if v, ok := lookupName(n, s); ok {
		return v, nil
	}
	return 0, n.unknown(s)
}

// unmarshal is parse for the bytes UnmarshalText receives; it allocates
// only for an error.
func (n names[T]) unmarshal(b []byte) (T, error) {
	if v, ok := lookupName(n, b); ok {
		return v, nil
	}
	return 0, n.unknown(string(b))
}

func (n names[T]) unknown(s string) error {
	return fmt.Errorf("%w: unknown %s %q (want %s)", ErrInvalid, n.what, s, strings.Join(n.text[1:], ", "))
}

func lookupName[T ~uint8, S string | []byte](n names[T], s S) (T, bool) {
	for i := 1; i < len(n.text); i++ {
		if sameName(s, n.text[i]) {
			return T(i), true
		}
	}
	return 0, false
}

// sameName compares s with an enumeration name, folding ASCII case and
// treating '-' and '_' alike.
func sameName[S string | []byte](s S, name string) bool {
	if len(s) != len(name) {
		return false
	}
	fold := func(c byte) byte {
		switch {
		case c == '-':
			return '_'
		case 'A' <= c && c <= 'Z':
			return c + 'a' - 'A'
		}
		return c
	}
	for i := range len(name) {
		if fold(s[i]) != fold(name[i]) {
			return false
		}
	}
	return true
}

func (n names[T]) marshal(v T) ([]byte, error) {
	switch {
	case v == 0:
		return nil, fmt.Errorf("%w: an unset %s has no text form", ErrInvalid, n.what)
	case !n.valid(v):
		return nil, fmt.Errorf("%w: %s has no text form", ErrInvalid, n.String(v))
	}
	return []byte(n.text[v]), nil
}
