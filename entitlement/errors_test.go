package entitlement_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

func TestRecordErrorText(t *testing.T) {
	inner := fmt.Errorf("%w: no entitlement %q", entitlement.ErrUnknownRef, "erp:x")
	tests := []struct {
		name   string
		e      entitlement.RecordError
		want   string
		reason string
	}{
		{"everything", entitlement.RecordError{File: "a.json", Line: 7, Type: "grant", ID: "g-1", Parent: "identity alice", Field: "entitlement", Err: inner},
			`a.json:7: grant g-1 of identity alice: field entitlement: unknown reference: no entitlement "erp:x"`, "file:line: record: field: problem"},
		{"no line", entitlement.RecordError{File: "a.json", Type: "role", ID: "r", Err: entitlement.ErrCycle},
			"a.json: role r: role inheritance cycle", "an unknown line is left out, and so is an empty field"},
		{"built in Go", entitlement.RecordError{Type: "party", ID: "#2", Field: "id", Err: entitlement.ErrRequired},
			"party #2: field id: required", "no file for records built in Go"},
		{"file only", entitlement.RecordError{File: "a.json", Line: 1, Err: entitlement.ErrInvalid},
			"a.json:1: invalid value", "a problem of the file itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.e.Error(), tt.reason)
			require.Equal(t, tt.e.Err, tt.e.Unwrap())
		})
	}
	e := &entitlement.RecordError{Type: "grant", ID: "g-1", Parent: "identity alice", Err: inner}
	require.Equal(t, "grant g-1 of identity alice", e.Record())
	require.ErrorIs(t, e, entitlement.ErrUnknownRef, "errors.Is sees the sentinel through the record error")
	var wrapped error = fmt.Errorf("loading: %w", e)
	got, ok := errors.AsType[*entitlement.RecordError](wrapped)
	require.True(t, ok)
	require.Same(t, e, got)
}

func TestErrors(t *testing.T) {
	a, b, c := errors.New("a"), errors.New("b"), errors.New("c")
	require.Nil(t, entitlement.Errors(nil))
	require.Equal(t, []error{a}, entitlement.Errors(a))
	require.Equal(t, []error{a, b, c}, entitlement.Errors(errors.Join(a, errors.Join(b, c))), "nested joins are flattened, in order")
	wrapped := fmt.Errorf("ctx: %w", a)
	require.Equal(t, []error{wrapped}, entitlement.Errors(wrapped), "single wrapping is kept as one error")
}
