package entitlement

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors wrapped by RecordError. Test for them with errors.Is.
var (
	// ErrRequired: a field that must be set is empty.
	ErrRequired = errors.New("required")
	// ErrInvalid: a field holds a value outside its domain.
	ErrInvalid = errors.New("invalid value")
	// ErrDuplicate: two records share an ID, or a list repeats an entry.
	ErrDuplicate = errors.New("duplicate")
	// ErrUnknownRef: a reference names a record that does not exist.
	ErrUnknownRef = errors.New("unknown reference")
	// ErrCycle: role inheritance loops back on itself.
	ErrCycle = errors.New("role inheritance cycle")
	// ErrTimeOrder: two times of one record are in an impossible order,
	// such as an approval before the request.
	ErrTimeOrder = errors.New("impossible time order")
	// ErrConflict: two fields of one record contradict each other, such
	// as a grant in state active that records a revocation.
	ErrConflict = errors.New("conflicting fields")
	// ErrTooLong: a value is longer than its limit (MaxIDLength,
	// MaxNameLength or MaxTextLength). The error that wraps it is a
	// *LengthError, which quotes only the start of the value.
	ErrTooLong = errors.New("too long")
)

// RecordError is one problem with one record. Validation and loading return
// every RecordError they find, joined with errors.Join, in input order.
type RecordError struct {
	// File names the input the record came from; empty for records built
	// in Go.
	File string
	// Line is the line of File where the record (or, for a decoding
	// problem, the offending value) is; 0 when unknown.
	Line int
	// Type is the record type: "party", "entitlement", "role",
	// "identity", "grant", "observation" or "usage" (other packages add
	// their own).
	Type string
	// ID is the record's ID, or "#N" (zero-based position) for a record
	// that has none or whose ID could not be read.
	ID string
	// Parent names the record that contains this one, for example
	// "identity alice" for one of alice's grants; empty for top-level
	// records.
	Parent string
	// Field is the field within the record, for example "approvals[0].at";
	// empty when the problem concerns the whole record.
	Field string
	// Err says what is wrong. It wraps one of the sentinel errors.
	Err error
}

// Record names the record for people: "grant g-7 of identity alice".
func (e *RecordError) Record() string {
	s := strings.TrimSpace(e.Type + " " + e.ID)
	if e.Parent != "" {
		s += " of " + e.Parent
	}
	return s
}

// Error returns "file:line: record: field name: problem".
func (e *RecordError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	if r := e.Record(); r != "" {
		b.WriteString(r)
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString("field ")
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *RecordError) Unwrap() error { return e.Err }

// Errors flattens err into its RecordErrors and any other errors it joins,
// in order. It returns nil for a nil error.
func Errors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Errors(e)...)
		}
		return out
	}
	return []error{err}
}

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}
