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

// parse accepts any name but the unset one, case-insensitively; '-' and '_'
// are interchangeable.
func (n names[T]) parse(s string) (T, error) {
	norm := strings.ReplaceAll(s, "-", "_")
	for i := 1; i < len(n.text); i++ {
		if strings.EqualFold(norm, n.text[i]) {
			return T(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown %s %q (want %s)", ErrInvalid, n.what, s, strings.Join(n.text[1:], ", "))
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
