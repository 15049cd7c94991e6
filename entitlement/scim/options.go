package scim

import (
	"fmt"
	"strings"
)

// DefaultSystem is the system a Reader uses when Options.System is empty.
const DefaultSystem = "scim"

// Options configures a Reader. The zero Options means the defaults: IDs
// prefixed with DefaultSystem, identities keyed by the SCIM "id".
type Options struct {
	// System names the identity provider. It prefixes every ID the reader
	// makes, so two providers read side by side cannot collide:
	// entitlements are "System:value", the roles of groups
	// "System:group/id", the roles of SCIM roles "System:role/value", and
	// the parties of departments "System:department/name". Empty means
	// DefaultSystem. It must not contain ':' or '/'.
	System string
	// Key chooses the SCIM attribute that becomes each identity's ID. The
	// zero Key is KeyID.
	Key Key
}

// Key is the SCIM attribute that identifies a user in the inventory.
//
// The zero Key is KeyID.
type Key uint8

// The keys.
const (
	// KeyID keys identities by the SCIM "id", which the provider assigns
	// and never changes: the safe choice when every input comes from SCIM.
	KeyID Key = iota
	// KeyUserName keys identities by "userName" (often the sign-in e-mail
	// address), to match other inputs, such as a CSV grant export, that
	// name people that way. A user without a userName is then an error.
	KeyUserName
)

var keyNames = [...]string{"id", "userName"}

// String returns "id" or "userName".
func (k Key) String() string {
	if int(k) < len(keyNames) {
		return keyNames[k]
	}
	return fmt.Sprintf("key(%d)", uint8(k))
}

// ParseKey parses "id" or "userName", case-insensitively.
func ParseKey(s string) (Key, error) {
	for i, n := range keyNames {
		if strings.EqualFold(s, n) {
			return Key(i), nil
		}
	}
	return 0, fmt.Errorf("unknown SCIM key %q (want id or userName)", s)
}

// system returns the system prefix, checked.
func (o Options) system() (string, error) {
	s := o.System
	if s == "" {
		s = DefaultSystem
	}
	if strings.ContainsAny(s, ":/") || strings.TrimSpace(s) != s {
		return "", fmt.Errorf("scim: system %q must not contain ':', '/' or surrounding spaces", s)
	}
	if int(o.Key) >= len(keyNames) {
		return "", fmt.Errorf("scim: %s is not a key", o.Key)
	}
	return s, nil
}
