package importer_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/internal/kindtest"
)

var bobActive = importer.Note{
	File: "users.json", Line: 34, Record: audit.Subject{Type: "identity", ID: "00u2bob"},
	Attribute: "active", Value: `"False"`, Action: importer.Coerced, Detail: "read as false",
}

func TestActionSeverity(t *testing.T) {
	tests := []struct {
		name   string
		action importer.Action
		want   audit.Severity
		reason string
	}{
		{"coerced", importer.Coerced, audit.Info, "a coercion changes nothing the data says"},
		{"defaulted", importer.Defaulted, audit.Low, "a default replaces what the data did not say"},
		{"ignored", importer.Ignored, audit.Low, "something the input holds is not checked"},
		{"resolved", importer.Resolved, audit.Low, "an inconsistency was resolved one way"},
		{"zero", 0, audit.Low, "an unspecified action fails closed at the higher of the two severities"},
		{"out of range", 42, audit.Low, "an unknown action is not taken as a harmless coercion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.action.Severity(), tt.reason)
			require.NotEmpty(t, tt.action.String())
		})
	}
	require.Equal(t, "action(42)", importer.Action(42).String())
}

func TestNoteString(t *testing.T) {
	tests := []struct {
		name   string
		note   importer.Note
		want   string
		reason string
	}{
		{"full", bobActive, `users.json:34: identity 00u2bob: attribute active = "False": coerced: read as false`,
			"file:line, record, attribute and value, action and detail"},
		{"no line or value", importer.Note{File: "g.json", Record: audit.Subject{Type: "role", ID: "r"}, Attribute: "active", Action: importer.Defaulted},
			"g.json: role r: attribute active: defaulted", "an unknown line and an absent value are left out"},
		{"file only", importer.Note{File: "a.csv", Action: importer.Ignored, Detail: "an empty row"},
			"a.csv: ignored: an empty row", "a note about the file names no record or attribute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.note.String(), tt.reason)
		})
	}
}

func TestNoteFinding(t *testing.T) {
	f := bobActive.Finding()
	require.Equal(t, importer.KindDataQuality, f.Kind)
	require.Equal(t, audit.Info, f.Severity)
	require.Equal(t, audit.Open, f.Status)
	require.Equal(t, audit.Subject{Type: "identity", ID: "00u2bob"}, f.Subject)
	require.Equal(t, `users.json:34: active "False": coerced: read as false`, f.Message)
	require.Equal(t, []audit.Evidence{
		{Label: "file", Value: "users.json"},
		{Label: "record", Value: "identity 00u2bob"},
		{Label: "attribute", Value: "active"},
		{Label: "value", Value: `"False"`},
		{Label: "action", Value: "coerced: read as false"},
	}, f.Evidence)
	require.NotEmpty(t, f.Controls)
	for _, c := range f.Controls {
		require.True(t, c.Known(), "%s is in the control catalogue", c)
	}
	require.Equal(t, f.ID, audit.FindingID(f.Kind, f.Rule, f.Subject, f.Evidence))

	require.Equal(t, audit.Location{File: "users.json", Line: 34}, f.Location, "the finding points at the note's line")

	moved := bobActive
	moved.Line = 99
	require.Equal(t, f.ID, moved.Finding().ID, "the line is not part of the ID: records move within exports")
	require.Equal(t, audit.Location{File: "users.json", Line: 99}, moved.Finding().Location)
	named := bobActive
	named.Record.Name = "Bob Ruiz"
	require.Equal(t, f.ID, named.Finding().ID, "a record's name takes no part in the ID")
	require.Equal(t, "identity 00u2bob (Bob Ruiz)", named.Finding().Subject.String(), "it only shows the subject")
	renamed := bobActive
	renamed.File = "users-2026-11.json"
	require.NotEqual(t, f.ID, renamed.Finding().ID, "the file is evidence, as the note's reader needs it")

	whole := importer.Note{File: "grants.csv", Line: 1, Attribute: "(file)", Action: importer.Coerced, Detail: "byte-order mark skipped"}
	require.Equal(t, audit.Subject{Type: "input", ID: "grants.csv"}, whole.Finding().Subject,
		"a note about no record is about its input")
	require.Equal(t, audit.Location{File: "grants.csv", Line: 1}, whole.Finding().Location, "and points into it")
	require.Equal(t, audit.Location{}, importer.Note{Action: importer.Coerced}.Finding().Location, "a note naming no file has no location")
}

func TestFindings(t *testing.T) {
	require.Nil(t, importer.Findings(nil))
	other := bobActive
	other.Record.ID = "00u1alice"
	other.Action = importer.Defaulted
	again := bobActive
	again.Line = 40 // the same quirk of the same record, seen twice
	fs := importer.Findings([]importer.Note{bobActive, other, again})
	require.Len(t, fs, 2, "a repeated note is reported once")
	require.Equal(t, audit.Low, fs[0].Severity, "report order: most severe first")
	require.Equal(t, audit.Info, fs[1].Severity)
}

func TestNoteCompare(t *testing.T) {
	a := bobActive
	b := bobActive
	b.Line++
	require.Negative(t, a.Compare(b), "line order within a file")
	c := bobActive
	c.File = "a.json"
	require.Positive(t, a.Compare(c), "files first")
	require.Zero(t, a.Compare(bobActive))
}

func TestValueClipped(t *testing.T) {
	long := strings.Repeat("é", importer.MaxValue) // two bytes each
	n := importer.Note{File: "f", Attribute: "a", Value: long, Action: importer.Ignored}
	f := n.Finding()
	var v string
	for _, e := range f.Evidence {
		if e.Label == "value" {
			v = e.Value
		}
	}
	require.True(t, utf8.ValidString(v), "cut on a rune boundary")
	require.LessOrEqual(t, len(v), importer.MaxValue+len("…"))
	require.True(t, strings.HasSuffix(v, "…"))
	require.Contains(t, n.String(), "…")
}

// FuzzFinding builds findings from arbitrary notes: never a panic, a
// stable ID, a finding built from the kind table, valid UTF-8 values for
// valid input, and evidence that always names the file and the action.
func FuzzFinding(f *testing.F) {
	f.Add("users.json", 3, "identity", "u1", "active", `"False"`, uint8(1), "read as false")
	f.Add("", 0, "", "", "", "", uint8(0), "")
	f.Add("x.csv", -1, "grant", "a/b", "Status", strings.Repeat("ü", 200), uint8(9), "?")
	f.Fuzz(func(t *testing.T, file string, line int, typ, id, attribute, value string, action uint8, detail string) {
		n := importer.Note{File: file, Line: line, Record: audit.Subject{Type: typ, ID: id}, Attribute: attribute,
			Value: value, Action: importer.Action(action), Detail: detail}
		g := n.Finding()
		require.Equal(t, g.ID, n.Finding().ID)
		require.Equal(t, importer.KindDataQuality, g.Kind)
		require.NoError(t, kindtest.Findings(importer.Kinds(), []audit.Finding{g}))
		require.Equal(t, "file", g.Evidence[0].Label)
		require.Equal(t, "action", g.Evidence[len(g.Evidence)-1].Label)
		for _, e := range g.Evidence {
			if e.Label == "value" && utf8.ValidString(value) {
				require.True(t, utf8.ValidString(e.Value))
			}
		}
		_ = n.String()
	})
}

func TestKinds(t *testing.T) {
	kinds := importer.Kinds()
	require.NoError(t, kindtest.Table("import.", kinds))
	require.Len(t, kinds, 1)
	require.Equal(t, importer.KindDataQuality, kinds[0].Kind)
	kinds[0].Controls[0] = audit.Control{}
	require.NoError(t, kindtest.Table("import.", importer.Kinds()), "Kinds returns a copy: a caller's changes do not reach the table")
	require.NoError(t, kindtest.Findings(importer.Kinds(), importer.Findings([]importer.Note{bobActive, {File: "x.csv"}})))
}
