package grantcsv_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
)

func rows(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// problem is one error a read must report.
type problem struct {
	is     error
	line   int
	record string
	field  string
}

func problems(t *testing.T, err error) []problem {
	t.Helper()
	sentinels := []error{importer.ErrSyntax, grantcsv.ErrColumn, entitlement.ErrRequired, entitlement.ErrInvalid, entitlement.ErrConflict}
	var out []problem
	for _, e := range entitlement.Errors(err) {
		re, ok := errors.AsType[*entitlement.RecordError](e)
		require.True(t, ok, "every error is a *entitlement.RecordError: %v", e)
		require.Equal(t, "g.csv", re.File, "errors name the file")
		p := problem{line: re.Line, record: re.Record(), field: re.Field}
		for _, s := range sentinels {
			if errors.Is(e, s) {
				require.Nil(t, p.is, "%v wraps two sentinels", e)
				p.is = s
			}
		}
		require.NotNil(t, p.is, "%v wraps no sentinel", e)
		out = append(out, p)
	}
	return out
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name   string
		m      grantcsv.Mapping
		text   string
		want   []problem
		reason string
	}{
		{"empty file", grantcsv.Mapping{}, "",
			[]problem{{grantcsv.ErrColumn, 1, "", ""}}, "a header row is needed"},
		{"no identity column", grantcsv.Mapping{}, rows("user,entitlement", "a,x:y"),
			[]problem{{grantcsv.ErrColumn, 1, "", "identity"}}, "every row needs an identity"},
		{"no target column", grantcsv.Mapping{}, rows("identity,permission", "a,x:y"),
			[]problem{{grantcsv.ErrColumn, 1, "", "entitlement"}}, "every row needs a target"},
		{"mapped column missing", grantcsv.Mapping{Ticket: "Change"}, rows("identity,entitlement", "a,x:y"),
			[]problem{{grantcsv.ErrColumn, 1, "", "Change"}}, "a column the mapping names must be there: the mapping says it is"},
		{"header twice", grantcsv.Mapping{}, rows("identity,entitlement,Identity", "a,x:y,b"),
			[]problem{{grantcsv.ErrColumn, 1, "", "Identity"}}, "two columns with one header: which is meant cannot be told"},
		{"stray quote", grantcsv.Mapping{}, rows("identity,entitlement", "a,x:y", `b,"x:z`),
			[]problem{{importer.ErrSyntax, 3, "", ""}}, "malformed CSV stops the file, naming the line"},
		{"too many cells", grantcsv.Mapping{}, rows("identity,entitlement", "a,x:y,extra"),
			[]problem{{grantcsv.ErrColumn, 2, "grant #0", ""}}, "a cell past the header: a delimiter inside an unquoted value shifted the columns"},
		{"empty identity", grantcsv.Mapping{}, rows("identity,entitlement", "a,x:y", " ,x:y"),
			[]problem{{entitlement.ErrRequired, 3, "grant #1", "identity"}}, "named by row position, since it has no ID"},
		{"both targets", grantcsv.Mapping{}, rows("identity,entitlement,role", "a,x:y,r"),
			[]problem{{entitlement.ErrConflict, 2, "grant #0 of identity a", "role"}}, "a grant targets one entitlement or one role"},
		{"no target", grantcsv.Mapping{}, rows("identity,entitlement,role", "a,,"),
			[]problem{{entitlement.ErrRequired, 2, "grant #0 of identity a", "entitlement"}}, "a row must grant something"},
		{"not system-qualified", grantcsv.Mapping{}, rows("identity,entitlement", "a,F110"),
			[]problem{{entitlement.ErrInvalid, 2, "grant #0 of identity a", "entitlement"}}, "without the mapping's system, F110 names no system"},
		{"bad time", grantcsv.Mapping{Expires: "Valid To"}, rows("identity,entitlement,Valid To", "a,x:y,31.12.2026", "b,x:y,soon"),
			[]problem{{entitlement.ErrInvalid, 2, "grant a/x:y of identity a", "Valid To"}, {entitlement.ErrInvalid, 3, "grant b/x:y of identity b", "Valid To"}},
			"a time that is not RFC 3339 or a date is not guessed (is 01.02 January or February?); every row is reported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := grantcsv.Read("g.csv", strings.NewReader(tt.text), tt.m)
			require.Error(t, err, tt.reason)
			if stops := tt.want[0].line == 1 || tt.want[0].is == importer.ErrSyntax; stops {
				require.Zero(t, im, "a header or syntax error stops the file: no import")
			} else {
				require.Equal(t, "g.csv", im.Name, "problems confined to rows: the import of the other rows comes with them")
			}
			require.Equal(t, tt.want, problems(t, err), "%s\n%v", tt.reason, err)
		})
	}
}

// TestReadHeaderRepeats: a header given twice is never read silently. A
// column a field reads is an error (which one is meant cannot be told);
// one no field reads is noted, though nothing is read from it.
func TestReadHeaderRepeats(t *testing.T) {
	tests := []struct {
		name   string
		m      grantcsv.Mapping
		header string
		errs   []problem
		notes  []string
		reason string
	}{
		{"read column", grantcsv.Mapping{}, "identity,entitlement,Expires,expires ", []problem{{grantcsv.ErrColumn, 1, "", "expires "}}, nil,
			"headers match case- and space-insensitively: two expiry columns, and which one holds the expiry cannot be told"},
		{"mapped column", grantcsv.Mapping{Expires: "Valid To"}, "identity,entitlement,Valid To,valid_to", []problem{{grantcsv.ErrColumn, 1, "", "valid_to"}}, nil,
			"the same for a mapped header, spelt with '_' for ' '"},
		{"unread column", grantcsv.Mapping{}, "identity,entitlement,Comment,comment", nil, []string{`1 comment="comment" ignored`},
			"no field reads Comment: nothing is guessed, but the repeat is noted"},
		{"blank headers", grantcsv.Mapping{}, "identity,entitlement,,", nil, nil,
			"trailing delimiters make blank headers, which name nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := grantcsv.Read("g.csv", strings.NewReader(rows(tt.header, "a,x:y,,")), tt.m)
			if tt.errs != nil {
				require.Zero(t, im)
				require.Equal(t, tt.errs, problems(t, err), "%s\n%v", tt.reason, err)
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, tt.notes, noted(im.Notes), tt.reason)
		})
	}
}

func TestReadBadMapping(t *testing.T) {
	_, err := grantcsv.Read("g.csv", strings.NewReader("identity,entitlement\n"), grantcsv.Mapping{Delimiter: "ab"})
	require.ErrorIs(t, err, grantcsv.ErrMapping)
}

func TestReadReaderError(t *testing.T) {
	_, err := grantcsv.Read("g.csv", iotest.ErrReader(errors.New("disk on fire")), grantcsv.Mapping{})
	require.ErrorContains(t, err, "disk on fire")
}

func TestReadManyErrorsStop(t *testing.T) {
	ls := []string{"identity,entitlement"}
	for range importer.MaxErrors + 10 {
		ls = append(ls, "a,nosystem")
	}
	_, err := grantcsv.Read("g.csv", strings.NewReader(rows(ls...)), grantcsv.Mapping{})
	errs := entitlement.Errors(err)
	require.Len(t, errs, importer.MaxErrors+1)
	require.ErrorContains(t, errs[len(errs)-1], "stopped after")
}

// noted renders notes compactly: "line attribute=value action".
func noted(notes []importer.Note) []string {
	var out []string
	for _, n := range notes {
		s := fmt.Sprintf("%d %s", n.Line, n.Attribute)
		if n.Value != "" {
			s += "=" + n.Value
		}
		out = append(out, s+" "+n.Action.String())
	}
	return out
}

var (
	jan2  = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	jan2h = time.Date(2026, 1, 2, 10, 30, 0, 0, time.UTC)
)

func TestReadCells(t *testing.T) {
	all := grantcsv.Mapping{State: "Status", Source: "Path", Expires: "Valid To", Eligible: "JIT", RevokedAt: "Removed"}
	head := "identity,entitlement,Status,Path,Valid To,JIT,Removed"
	tests := []struct {
		name   string
		m      grantcsv.Mapping
		row    string
		want   entitlement.Grant
		notes  []string
		reason string
	}{
		{"plain", all, "a,x:y,active,standard,2026-01-02T10:30:00Z,false,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive, Source: entitlement.SourceStandard, Expires: jan2h}, nil,
			"the standard forms raise no note"},
		{"date-only expiry", all, "a,x:y,,,2026-01-02,,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive, Expires: jan2.AddDate(0, 0, 1)},
			[]string{`2 Valid To="2026-01-02" coerced`},
			"valid to a date means through that day: the grant expires at the start of the next (it is no longer in effect exactly at Expires), noted on its row and column"},
		{"no zone", all, "a,x:y,,,2026-01-02 10:30:00,,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive, Expires: jan2h}, []string{`2 Valid To="2026-01-02 10:30:00" coerced`},
			"a time without a zone is read as UTC, and noted: the export's zone may differ"},
		{"space for T", all, "a,x:y,,,2026-01-02 11:30:00+01:00,,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive, Expires: jan2h.In(time.FixedZone("", 3600))},
			[]string{`2 Valid To="2026-01-02 11:30:00+01:00" coerced`}, "RFC 3339 with a space is read, noted"},
		{"state in any case", all, "a,x:y,REVOKED,,,,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantRevoked}, nil,
			"state names match case-insensitively"},
		{"state unknown", all, "a,x:y,Locked,,,,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive}, []string{`2 Status="Locked" defaulted`},
			"a state that is neither standard nor mapped counts as active (the access counts), noted"},
		{"state empty, revoked", all, "a,x:y,,,,,2026-01-02",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantRevoked, Revoked: entitlement.Event{At: jan2}}, []string{`2 Status defaulted`},
			"no state but a revocation: revoked, noted (active would contradict it)"},
		{"state unknown, revoked", all, "a,x:y,Gone,,,,2026-01-02",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantRevoked, Revoked: entitlement.Event{At: jan2}}, []string{`2 Status="Gone" defaulted`},
			"an unknown state with a revocation recorded is read as revoked"},
		{"state mapped", grantcsv.Mapping{State: "Status", States: map[string]string{"enabled": "active", "Removed": "revoked"}}, "a,x:y,Enabled",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive}, nil,
			"the mapping's states, matched case-insensitively"},
		{"source unknown", all, "a,x:y,,firefighter,,,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive}, []string{`2 Path="firefighter" defaulted`},
			"an unknown source stays unknown, which no check takes for the pre-approved path"},
		{"source mapped", grantcsv.Mapping{Source: "Path", Sources: map[string]string{"FF": "break-glass"}}, "a,x:y,ff",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive, Source: entitlement.SourceBreakGlass}, nil,
			"the mapping's sources"},
		{"eligible words", all, "a,x:y,,,,X,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive, Eligible: true}, nil,
			"an X in a checkbox column is true"},
		{"eligible unknown", all, "a,x:y,,,,maybe,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive}, []string{`2 JIT="maybe" defaulted`},
			"not a boolean: standing access (eligible grants are counted less by dynamic rules)"},
		{"spaces around keys", grantcsv.Mapping{}, " a ,\tx:y",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive},
			[]string{`2 entitlement="\tx:y" coerced`, `2 identity=" a " coerced`},
			"spaces around an ID break matching: dropped, noted"},
		{"short row", all, "a,x:y,active",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive}, []string{`2 (row)=3 cells defaulted`},
			"missing trailing cells read as empty, noted"},
		{"trailing empty cells", grantcsv.Mapping{}, "a,x:y,,,",
			entitlement.Grant{ID: "a/x:y", Entitlement: "x:y", State: entitlement.GrantActive}, nil,
			"empty cells past the header are harmless"},
		{"system", grantcsv.Mapping{System: "sap"}, "a,F110",
			entitlement.Grant{ID: "a/sap:F110", Entitlement: "sap:F110", State: entitlement.GrantActive}, nil,
			"the mapping's system qualifies bare values"},
		{"system already there", grantcsv.Mapping{System: "sap"}, "a,sap:F110",
			entitlement.Grant{ID: "a/sap:F110", Entitlement: "sap:F110", State: entitlement.GrantActive}, nil,
			"a value that has the system keeps it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := head
			if tt.m.State == "" || tt.m.States != nil || tt.m.Sources != nil {
				h = "identity,entitlement"
				if tt.m.State != "" {
					h += ",Status"
				}
				if tt.m.Source != "" {
					h += ",Path"
				}
			}
			im, err := grantcsv.Read("g.csv", strings.NewReader(rows(h, tt.row)), tt.m)
			require.NoError(t, err, tt.reason)
			require.Len(t, im.Grants, 1)
			require.Equal(t, []entitlement.Grant{tt.want}, im.Grants[0].Grants, tt.reason)
			require.Equal(t, tt.notes, noted(im.Notes), tt.reason)
			for _, n := range im.Notes {
				require.Equal(t, "grant "+tt.want.ID, n.Record.String())
			}
		})
	}
}

func TestReadEveryColumn(t *testing.T) {
	text := rows(
		"id,identity,role,state,source,eligible,scope,start,expires,requested_by,requested_at,approved_by,approved_at,approval_stage,"+
			"provisioned_by,provisioned_at,revoked_by,revoked_at,certified_by,certified_at,ticket,reason,policy_basis",
		"g-1,alice,ap-clerk,revoked,exception,yes,CC-1000,2026-01-03,2026-06-30,alice,2026-01-01,bob,2026-01-02,finance-managers,"+
			"sam,2026-01-02T12:00:00Z,sam,2026-03-01,carol,2026-02-01,CHG-7,Quarter close,tmpl-ap")
	im, err := grantcsv.Read("g.csv", strings.NewReader(text), grantcsv.Mapping{})
	require.NoError(t, err)
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	require.Equal(t, []entitlement.Identity{{ID: "alice", Grants: []entitlement.Grant{{
		ID: "g-1", Role: "ap-clerk", State: entitlement.GrantRevoked, Source: entitlement.SourceException, Eligible: true,
		Scope: "CC-1000", Start: day(1, 3), Expires: day(7, 1),
		Requested:   entitlement.Event{By: "alice", At: day(1, 1)},
		Approvals:   []entitlement.Approval{{By: "bob", At: day(1, 2), Stage: "finance-managers"}},
		Provisioned: entitlement.Event{By: "sam", At: time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)},
		Revoked:     entitlement.Event{By: "sam", At: day(3, 1)},
		Certified:   entitlement.Event{By: "carol", At: day(2, 1)},
		Ticket:      "CHG-7", Reason: "Quarter close", PolicyBasis: "tmpl-ap",
	}}}}, im.Grants, "the default headers are the bundle format's grant members")
	require.Empty(t, im.Implied.Entitlements, "roles are not implied: some other input must define them")
	require.Equal(t, []string{`2 expires="2026-06-30" coerced`}, noted(im.Notes),
		"the date-only expiry includes its day; the date-only start and event times are the start of theirs, as documented")
}

// TestReadDateOnlyExpiry: a date-only expiry includes its day. At noon on
// 2026-11-01, a grant valid to 2026-11-01 is still in effect; one valid to
// 2026-10-31 is not. A date-only start still begins at 00:00.
func TestReadDateOnlyExpiry(t *testing.T) {
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, start, expires string
		inEffect             bool
		reason               string
	}{
		{"expires today", "", "2026-11-01", true, "valid to the 1st: in effect all of the 1st"},
		{"expired yesterday", "", "2026-10-31", false, "valid to the 31st: over at midnight"},
		{"expires at a time", "", "2026-11-01T12:00:00Z", false, "a time is exact: a grant is not in effect at its Expires"},
		{"starts today", "2026-11-01", "", true, "a date-only start begins at 00:00"},
		{"starts tomorrow", "2026-11-02", "", false, "not yet"},
		{"one-day grant", "2026-11-01", "2026-11-01", true, "from and to the same day: that whole day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := grantcsv.Read("g.csv", strings.NewReader(rows("identity,entitlement,start,expires", "a,x:y,"+tt.start+","+tt.expires)), grantcsv.Mapping{})
			require.NoError(t, err)
			g := im.Grants[0].Grants[0]
			require.Equal(t, tt.inEffect, g.InEffect(at), "%s: start %v, expires %v", tt.reason, g.Start, g.Expires)
		})
	}
}

func TestReadRows(t *testing.T) {
	text := "\ufeff" + rows(
		"Identity , Entitlement,Requested-By,Comment",
		"alice,erp:a,bob,first",
		"bob,erp:b,,",
		"",
		",,,",
		"alice,erp:a,bob,first",
		"alice,erp:a,carol,renewed",
		"alice,erp:c,,")
	im, err := grantcsv.Read("g.csv", strings.NewReader(text), grantcsv.Mapping{})
	require.NoError(t, err)
	var got []string
	for _, id := range im.Grants {
		for _, g := range id.Grants {
			got = append(got, id.ID+" "+g.ID+" "+g.Requested.By)
		}
	}
	require.Equal(t, []string{
		"alice alice/erp:a bob",
		"alice alice/erp:a#2 carol",
		"alice alice/erp:c ",
		"bob bob/erp:b ",
	}, got, "grants by identity in order of first appearance; a second row of a pair gets #2; an exact repeat is skipped")
	require.Equal(t, []string{`1 (file)=U+FEFF coerced`, `5 (row) ignored`, `6 (row) ignored`}, noted(im.Notes),
		"the BOM, the empty row (a blank line is not a row in CSV) and the exact repeat are noted")
	require.Equal(t, "repeats line 2 exactly; skipped", im.Notes[2].Detail)
	require.Equal(t, []entitlement.Entitlement{{ID: "erp:a"}, {ID: "erp:b"}, {ID: "erp:c"}}, im.Implied.Entitlements,
		"each entitlement the rows name is implied, sorted")

	for _, tc := range []struct {
		typ, id, parent string
		line            int
	}{
		{"grant", "alice/erp:a", "identity alice", 2},
		{"grant", "alice/erp:a#2", "identity alice", 7},
		{"grant", "bob/erp:b", "identity bob", 3},
		{"entitlement", "erp:c", "", 8},
		{"grant", "bob/erp:b", "identity alice", 0},
	} {
		o := im.Origins[importer.Record{Type: tc.typ, ID: tc.id, Parent: tc.parent}]
		file, line := o.File, o.Line
		require.Equal(t, tc.line, line, "%s %s", tc.typ, tc.id)
		if tc.line > 0 {
			require.Equal(t, "g.csv", file)
		} else {
			require.Empty(t, file)
		}
	}
	require.Equal(t, "g.csv", im.Inputs[0].Name)
	require.Equal(t, int64(len(text)), im.Inputs[0].Bytes, "the hash covers every byte, the BOM included")
}

func TestReadDelimiter(t *testing.T) {
	im, err := grantcsv.Read("g.csv", strings.NewReader(rows("identity;entitlement", `a;"x:y;z"`)), grantcsv.Mapping{Delimiter: ";"})
	require.NoError(t, err)
	require.Equal(t, "x:y;z", im.Grants[0].Grants[0].Entitlement, "quoted cells may hold the delimiter")
}

// TestReadDelimiterHint: a header that reads as one column holding another
// delimiter (a semicolon-delimited export read as comma-delimited) gets a
// hint naming the mapping's delimiter, beside the column it lacks.
func TestReadDelimiterHint(t *testing.T) {
	hint := func(d string) string {
		return fmt.Sprintf(`: if the file is delimited by %q, set "delimiter": %q in the column mapping`, d, d)
	}
	tests := []struct {
		name   string
		m      grantcsv.Mapping
		text   string
		want   string // "" for no hint
		reason string
	}{
		{"semicolon", grantcsv.Mapping{}, rows("identity;entitlement", "ann;sap:F110"),
			`no "identity" column: every row needs an identity; the header is one column, "identity;entitlement"` + hint(";"), "the European spreadsheet export"},
		{"tab", grantcsv.Mapping{}, rows("identity\tentitlement", "ann\tsap:F110"), hint("\t"), "a tab-separated export"},
		{"pipe, mapped columns", grantcsv.Mapping{Identity: "User", Entitlement: "Permission"}, rows("User|Permission", "ann|sap:F110"),
			`the mapping reads identity from a column headed "User", which the header lacks; the header is one column, "User|Permission"` + hint("|"), "the mapping's own headers"},
		{"other columns", grantcsv.Mapping{}, rows("user,entitlement", "ann,sap:F110"), "", "a header of several columns is not misdelimited"},
		{"delimiter already set", grantcsv.Mapping{Delimiter: ";"}, rows("user;entitlement", "ann;sap:F110"), "", "the mapping already reads semicolons"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := grantcsv.Read("g.csv", strings.NewReader(tt.text), tt.m)
			require.ErrorIs(t, err, grantcsv.ErrColumn, tt.reason)
			if tt.want == "" {
				require.NotContains(t, err.Error(), "delimited by", tt.reason)
				return
			}
			require.Contains(t, err.Error(), tt.want, tt.reason)
		})
	}
}

// TestReadPartial: when every problem is confined to rows, Read returns
// the import of the other rows with the error, so that their references
// are checked too (bundle.LoadFileSet); a failed row that names a valid
// entitlement still implies it.
func TestReadPartial(t *testing.T) {
	text := rows("identity,entitlement,expires",
		"ann,sap:F110,2026-12-31",
		"bob,sap:FB60,soon",
		",sap:F110,",
		"cat,sap:SU01,")
	im, err := grantcsv.Read("g.csv", strings.NewReader(text), grantcsv.Mapping{})
	require.Equal(t, []problem{
		{entitlement.ErrInvalid, 3, "grant bob/sap:FB60 of identity bob", "expires"},
		{entitlement.ErrRequired, 4, "grant #2", "identity"},
	}, problems(t, err))
	var got []string
	for _, id := range im.Grants {
		for _, g := range id.Grants {
			got = append(got, g.ID)
		}
	}
	require.Equal(t, []string{"ann/sap:F110", "cat/sap:SU01"}, got, "the rows read without problems, in order")
	var implied []string
	for _, e := range im.Implied.Entitlements {
		implied = append(implied, e.ID)
	}
	require.Equal(t, []string{"sap:F110", "sap:FB60", "sap:SU01"}, implied, "bob's row failed on its expiry; its entitlement is still one the export names")
	require.Len(t, im.Inputs, 1, "the whole file is hashed")

	_, err = grantcsv.Read("g.csv", strings.NewReader(rows("identity,entitlement", "ann,sap:F110", `bob,"sap:F`)), grantcsv.Mapping{})
	require.ErrorIs(t, err, importer.ErrSyntax)
	im, _ = grantcsv.Read("g.csv", strings.NewReader(rows("identity,entitlement", "ann,sap:F110", `bob,"sap:F`)), grantcsv.Mapping{})
	require.Zero(t, im, "a syntax error stops the file: the rows after it are missing, so none is returned")
}
