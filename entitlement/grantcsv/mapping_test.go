package grantcsv_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement/grantcsv"
)

func TestMappingCheck(t *testing.T) {
	tests := []struct {
		name   string
		m      grantcsv.Mapping
		errs   []string // substrings, one per problem
		reason string
	}{
		{"zero", grantcsv.Mapping{}, nil, "the zero Mapping is the defaults"},
		{"renamed", grantcsv.Mapping{Identity: "User Name", Entitlement: "Permission", System: "sap", Delimiter: ";"}, nil, "a typical export"},
		{"tab", grantcsv.Mapping{Delimiter: "\t"}, nil, "tab-separated files"},
		{"two-character delimiter", grantcsv.Mapping{Delimiter: ";;"}, []string{`delimiter ";;"`}, "one character"},
		{"quote delimiter", grantcsv.Mapping{Delimiter: `"`}, []string{`delimiter "\""`}, "a quote cannot separate cells"},
		{"system with a colon", grantcsv.Mapping{System: "sap:prd"}, []string{`system "sap:prd"`}, "the system is the part before the colon"},
		{"bad state", grantcsv.Mapping{States: map[string]string{"Enabled": "on", "Gone": "revoked"}}, []string{`states["Enabled"]`},
			"a state map must name states"},
		{"bad source", grantcsv.Mapping{Sources: map[string]string{"FF": "firefighter"}}, []string{`sources["FF"]`}, "a source map must name sources"},
		{"two columns, one header", grantcsv.Mapping{Identity: "User", RequestedBy: "user"}, []string{"identity and requested_by both read the column"},
			"headers match case-insensitively, so these are one column"},
		{"a default taken", grantcsv.Mapping{Entitlement: "role"}, []string{"entitlement and role both read"},
			"the role column's default header is taken by entitlement"},
		{"a default freed", grantcsv.Mapping{Entitlement: "role", Role: "-"}, nil, `"-" says the export has no role column`},
		{"blank", grantcsv.Mapping{Ticket: "  "}, []string{`ticket: the header "  " is blank`}, "a blank header names nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Check()
			if tt.errs == nil {
				require.NoError(t, err, tt.reason)
				return
			}
			require.ErrorIs(t, err, grantcsv.ErrMapping, tt.reason)
			msg := err.Error()
			require.Len(t, strings.Split(msg, "\n"), len(tt.errs), "%s\n%s", tt.reason, msg)
			for _, want := range tt.errs {
				require.Contains(t, msg, want, tt.reason)
			}
		})
	}
}

func TestReadMapping(t *testing.T) {
	tests := []struct {
		name   string
		json   string
		want   grantcsv.Mapping
		err    string
		reason string
	}{
		{"full", `{"identity": "User", "entitlement": "Perm", "system": "sap", "delimiter": ";", "states": {"On": "active"}}`,
			grantcsv.Mapping{Identity: "User", Entitlement: "Perm", System: "sap", Delimiter: ";", States: map[string]string{"On": "active"}}, "",
			"the JSON names are the defaults' names"},
		{"empty", `{}`, grantcsv.Mapping{}, "", "an empty mapping is the defaults"},
		{"unknown member", `{"identiy": "User"}`, grantcsv.Mapping{}, `unknown field "identiy"`,
			"a misspelt member would silently read the wrong column"},
		{"not JSON", `identity=User`, grantcsv.Mapping{}, "invalid", "JSON only"},
		{"two objects", `{} {}`, grantcsv.Mapping{}, "data after", "one mapping per file"},
		{"invalid", `{"states": {"x": "y"}}`, grantcsv.Mapping{}, `states["x"]`, "a mapping read is checked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := grantcsv.ReadMapping(strings.NewReader(tt.json))
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err, tt.reason)
				require.True(t, errors.Is(err, grantcsv.ErrMapping), tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, tt.want, m, tt.reason)
		})
	}
}
