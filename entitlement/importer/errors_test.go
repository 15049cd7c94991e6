package importer_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
)

func TestSyntaxError(t *testing.T) {
	tests := []struct {
		name   string
		err    importer.SyntaxError
		want   string
		reason string
	}{
		{"full", importer.SyntaxError{Format: "JSON", Msg: "unexpected end of input", Column: 7},
			"malformed JSON: unexpected end of input (column 7)", "the wording the importers have always used"},
		{"no column", importer.SyntaxError{Format: "CSV", Msg: "bare quote"},
			"malformed CSV: bare quote", "an unknown column is left out"},
		{"zero", importer.SyntaxError{}, "malformed input", "the zero SyntaxError still says what it is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &tt.err
			require.Equal(t, tt.want, err.Error(), tt.reason)
			wrapped := &entitlement.RecordError{File: "f", Line: 2, Err: err}
			require.ErrorIs(t, wrapped, importer.ErrSyntax, "callers test for ErrSyntax through the record error")
		})
	}
}

func TestJoinErrors(t *testing.T) {
	many := func(n int) []error {
		out := make([]error, n)
		for i := range out {
			out[i] = fmt.Errorf("problem %d", i)
		}
		return out
	}
	tests := []struct {
		name   string
		errs   []error
		want   int
		reason string
	}{
		{"none", nil, 0, "no problem is no error"},
		{"one", many(1), 1, "one problem is one error"},
		{"at the cap", many(importer.MaxErrors), importer.MaxErrors, "the cap itself is not cut"},
		{"past the cap", many(importer.MaxErrors + 5), importer.MaxErrors + 1, "cut at the cap, plus a last error saying reading stopped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]error(nil), tt.errs...)
			err := importer.JoinErrors("g.csv", tt.errs)
			got := entitlement.Errors(err)
			require.Len(t, got, tt.want, tt.reason)
			require.Equal(t, in, tt.errs, "the caller's slice is not modified")
			if len(tt.errs) > importer.MaxErrors {
				require.EqualError(t, got[len(got)-1], "g.csv: stopped after 1000 errors")
				require.Same(t, tt.errs[importer.MaxErrors-1], got[importer.MaxErrors-1], "the first MaxErrors are kept, in order")
			}
		})
	}
	require.NoError(t, importer.JoinErrors("g.csv", nil))
	require.NotErrorIs(t, importer.JoinErrors("g.csv", many(2)), importer.ErrSyntax)
	require.ErrorIs(t, importer.JoinErrors("g.csv", []error{errors.New("x"), &importer.SyntaxError{}}), importer.ErrSyntax)
}
