package entitlement

import (
	"fmt"
	"unicode/utf8"
)

// The longest values validation accepts, in bytes of UTF-8. Every string of
// a record falls under one of them, so a report, an error or an index built
// from valid records grows with the number of records, never with the size
// of one hostile value.
const (
	// MaxIDLength bounds identifiers: record IDs, the references a record
	// makes to others (owners, teams, members, approvers, grant targets),
	// and the short codes records carry (systems, environments, scopes,
	// policy bases, applications). 2048 bytes holds the longest AWS ARN
	// (2048 characters, all ASCII) and any URL-shaped ID in common use.
	MaxIDLength = 2048
	// MaxNameLength bounds display names and titles.
	MaxNameLength = 1024
	// MaxTextLength bounds free text: descriptions, business reasons,
	// justifications, review comments and ticket references. 64 KiB holds
	// pages of prose; anything longer is an attachment, not a reason.
	MaxTextLength = 64 << 10
)

// lengthPrefix is how much of an over-long value a LengthError keeps.
const lengthPrefix = 64

// LengthError is a value longer than its limit. It keeps only the first
// bytes of the value, so an error about a 20 MB ID stays a line long, and
// it wraps ErrTooLong.
type LengthError struct {
	// Len is the value's length in bytes.
	Len int
	// Limit is the limit it exceeds, in bytes.
	Limit int
	// Prefix is the start of the value: at most 64 bytes, cut at a rune
	// boundary.
	Prefix string
}

// Error returns "too long: N bytes, over the limit of L (starts "…"…)".
func (e *LengthError) Error() string {
	return fmt.Sprintf("%v: %d bytes, over the limit of %d (starts %q…)", ErrTooLong, e.Len, e.Limit, e.Prefix)
}

// Unwrap returns ErrTooLong.
func (e *LengthError) Unwrap() error { return ErrTooLong }

// CheckLength returns a *LengthError when v is longer than limit bytes,
// and nil otherwise. It reads at most the first 64 bytes of an over-long
// v, so it costs the same for a 20 MB value as for a short one.
func CheckLength[S ~string | ~[]byte](v S, limit int) error {
	if len(v) <= limit {
		return nil
	}
	n := min(len(v), lengthPrefix)
	// Back off to a rune boundary, at most UTFMax-1 bytes.
	for k := n; k > 0 && k > n-utf8.UTFMax; k-- {
		if k == len(v) || utf8.RuneStart(v[k]) {
			n = k
			break
		}
	}
	return &LengthError{Len: len(v), Limit: limit, Prefix: string(v[:n])}
}
