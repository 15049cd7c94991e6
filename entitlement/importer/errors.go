package importer

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrSyntax is wrapped by every error about an input that is not
// well-formed in its format: malformed JSON or CSV, a truncated file. Test
// with errors.Is.
var ErrSyntax = errors.New("malformed input")

// SyntaxError says how an input is not well-formed. It wraps ErrSyntax; an
// importer reports it inside an *entitlement.RecordError that names the
// file and line. The zero SyntaxError reads "malformed input".
type SyntaxError struct {
	// Format names the input's format: "JSON", "CSV".
	Format string
	// Msg says what is wrong, as the parser said it.
	Msg string
	// Column is the 1-based column of the problem on its line; 0 when
	// unknown.
	Column int
}

// Error returns "malformed <Format>: <Msg> (column <Column>)", leaving out
// what is unknown.
func (e *SyntaxError) Error() string {
	s := "malformed input"
	if e.Format != "" {
		s = "malformed " + e.Format
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Column > 0 {
		s += " (column " + strconv.Itoa(e.Column) + ")"
	}
	return s
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// MaxErrors bounds how many problems an importer reports for one file; past
// it, the importer stops reading the file, and the last error says so (see
// JoinErrors).
const MaxErrors = 1000

// JoinErrors joins the problems found in the file called name, as an
// importer returns them: nil for none, else errors.Join of them, cut at
// MaxErrors and then followed by an error saying reading stopped. It does
// not modify errs.
func JoinErrors(name string, errs []error) error {
	if len(errs) > MaxErrors {
		errs = append(errs[:MaxErrors:MaxErrors], fmt.Errorf("%s: stopped after %d errors", name, MaxErrors))
	}
	return errors.Join(errs...)
}
