package grantcsv_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
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
		{"state keys in two cases", grantcsv.Mapping{States: map[string]string{"Enabled": "active", "ENABLED": "revoked", "Off": "revoked"}},
			[]string{`states: "ENABLED" and "Enabled" differ only in case`},
			"values match case-insensitively, so which state an \"enabled\" cell has could not be told"},
		{"source keys in two cases", grantcsv.Mapping{Sources: map[string]string{"ff": "break_glass", "FF": "standard"}},
			[]string{`sources: "FF" and "ff" differ only in case`}, "the same for sources"},
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
		{"names in another case", `{"Identity": "User"}`, grantcsv.Mapping{Identity: "User"}, "",
			"member names match case-insensitively, as encoding/json matches them"},
		{"unknown member", "{\n\"identiy\": \"User\"}", grantcsv.Mapping{}, `map.json:2: mapping: field identiy: invalid column mapping: unknown field "identiy" (did you mean "identity"?)`,
			"a misspelt member would silently read the wrong column: an error on its line, with the member meant"},
		{"not JSON", `identity=User`, grantcsv.Mapping{}, "map.json:1: mapping: invalid column mapping: invalid", "JSON only"},
		{"wrong type", "{\n\"states\": [1]}", grantcsv.Mapping{}, "map.json:2: mapping: field states: invalid column mapping", "states is an object"},
		{"two objects", `{} {}`, grantcsv.Mapping{}, "map.json:1: mapping: invalid column mapping: data after", "one mapping per file"},
		{"invalid", `{"states": {"x": "y"}}`, grantcsv.Mapping{}, `map.json: mapping: invalid column mapping: states["x"]`, "a mapping read is checked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := grantcsv.ReadMapping("map.json", strings.NewReader(tt.json))
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

// TestReadMappingRepeats: a member name given twice in a mapping file is
// an error naming the file, line and member, never resolved silently
// (encoding/json keeps the last).
func TestReadMappingRepeats(t *testing.T) {
	tests := []struct {
		name   string
		json   string
		want   []string // "line field"
		reason string
	}{
		{"column twice", "{\"identity\": \"User\",\n \"identity\": \"Login\"}", []string{"2 identity"},
			"which header holds the identity cannot be told"},
		{"column in two cases", "{\"expires\": \"Valid To\",\n\n \"Expires\": \"End\"}", []string{"3 Expires"},
			"encoding/json matches member names case-insensitively: Expires is expires again"},
		{"state twice", "{\"states\": {\n\"Enabled\": \"active\",\n\"Enabled\": \"revoked\"}}", []string{"3 states.Enabled"},
			"one export value mapped to two states: active or revoked cannot be told"},
		{"source in two cases", "{\"sources\": {\"FF\": \"break_glass\", \"ff\": \"standard\"}}", []string{"1 sources.ff"},
			"source values match case-insensitively"},
		{"many", "{\"states\": {\"a\": \"active\", \"a\": \"active\"},\n \"system\": \"sap\", \"system\": \"erp\"}", []string{"1 states.a", "2 system"},
			"every repeat is reported, even one with the same value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := grantcsv.ReadMapping("map.json", strings.NewReader(tt.json))
			require.Error(t, err, tt.reason)
			var got []string
			for _, e := range entitlement.Errors(err) {
				re, ok := errors.AsType[*entitlement.RecordError](e)
				require.True(t, ok, "%v", e)
				require.ErrorIs(t, e, entitlement.ErrDuplicate)
				require.ErrorIs(t, e, grantcsv.ErrMapping)
				require.Equal(t, "map.json", re.File)
				require.Equal(t, "mapping", re.Record())
				got = append(got, fmt.Sprintf("%d %s", re.Line, re.Field))
			}
			require.Equal(t, tt.want, got, tt.reason)
		})
	}
}

// FuzzReadMapping reads arbitrary bytes as a mapping file. Reading never
// panics; every error wraps ErrMapping and names the file; a mapping that
// reads passes Check, and written back as JSON reads as the same mapping.
func FuzzReadMapping(f *testing.F) {
	for _, s := range []string{
		`{"identity": "User Name", "entitlement": "Permission", "system": "sap", "delimiter": ";", "states": {"Enabled": "active", "Removed": "revoked"}}`,
		`{}`, `{"identity": "a", "identity": "b"}`, `{"Expires": "x", "expires": "y"}`,
		`{"states": {"On": "active", "ON": "revoked"}}`, `{"sources": {"FF": "break_glass"}, "role": "-"}`,
		`{"identiy": "x"}`, `{"states": [1]}`, `{} {}`, `[`, `{"delimiter": "\t", "ticket": "  "}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := grantcsv.ReadMapping("map.json", bytes.NewReader(data))
		if err != nil {
			for _, e := range entitlement.Errors(err) {
				require.ErrorIs(t, e, grantcsv.ErrMapping, "%v", e)
				re, ok := errors.AsType[*entitlement.RecordError](e)
				require.True(t, ok, "%T %v", e, e)
				require.Equal(t, "map.json", re.File)
			}
			return
		}
		require.NoError(t, m.Check())
		if len(m.States) == 0 {
			m.States = nil // an empty map and no map mean the same, and write alike
		}
		if len(m.Sources) == 0 {
			m.Sources = nil
		}
		out, err := json.Marshal(m)
		require.NoError(t, err)
		again, err := grantcsv.ReadMapping("again.json", bytes.NewReader(out))
		require.NoError(t, err, "%s", out)
		require.Equal(t, m, again)
	})
}
