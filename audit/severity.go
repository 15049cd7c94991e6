package audit

import (
	"fmt"
	"strings"
)

// Severity ranks how urgent a finding is. Severities are ordered: Critical is
// the most severe and Info the least.
//
// The zero Severity is Critical, so a finding or rule whose severity was never
// set is never quietly ignored by a threshold such as --fail-on high.
type Severity uint8

// The severities, most severe first. Their numeric order is the sort order of
// findings: a smaller value sorts first.
const (
	Critical Severity = iota
	High
	Medium
	Low
	Info
)

var severityNames = [...]string{
	Critical: "critical",
	High:     "high",
	Medium:   "medium",
	Low:      "low",
	Info:     "info",
}

// Severities returns every valid severity, most severe first.
func Severities() []Severity { return []Severity{Critical, High, Medium, Low, Info} }

// String returns the lower-case name of s ("critical", "high", …). An
// out-of-range value prints as "severity(N)".
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", uint8(s))
}

// Valid reports whether s is one of the named severities.
func (s Severity) Valid() bool { return int(s) < len(severityNames) }

// AtLeast reports whether s is as severe as min or more. An out-of-range
// severity counts as at least any threshold (it fails closed).
func (s Severity) AtLeast(min Severity) bool { return !s.Valid() || s <= min }

// Compare orders severities most severe first: it returns -1 if s is more
// severe than t, +1 if less, and 0 if they are equal.
func (s Severity) Compare(t Severity) int {
	switch {
	case s < t:
		return -1
	case s > t:
		return 1
	}
	return 0
}

// ParseSeverity parses a severity name, case-insensitively. The error quotes
// the input.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", name)
}

// MarshalText encodes s as its name. It fails for an out-of-range value.
func (s Severity) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("invalid severity %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a severity name as written by MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
