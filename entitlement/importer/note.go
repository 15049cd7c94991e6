package importer

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sodkit/sodkit/audit"
)

// Action says what an importer did about a value it could not take as
// written.
//
// The zero Action is unspecified; its finding is reported at low severity,
// like the actions that change what the data says.
type Action uint8

// The actions.
const (
	// Coerced: a value in a non-standard form was read as the standard
	// value it plainly means: the string "False" as false, a lone object
	// as a one-element list, a number as a string. Reported at info
	// severity: nothing the data says was changed.
	Coerced Action = iota + 1
	// Defaulted: a missing or unusable value was replaced by the
	// importer's documented default, such as an absent "active" read as
	// active. Reported at low severity.
	Defaulted
	// Ignored: a value or record was skipped because it could not be used,
	// such as a group member that names no user or group. Reported at low
	// severity.
	Ignored
	// Resolved: an inconsistency was resolved in the way that keeps every
	// access the input shows, such as a group nesting cycle or a membership
	// listed on only one side. Reported at low severity.
	Resolved
)

var actionNames = [...]string{"unspecified", "coerced", "defaulted", "ignored", "resolved"}

// String returns "coerced", "defaulted", "ignored", "resolved", or
// "unspecified" for the zero Action.
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// Severity returns the severity of the finding for a note with this action:
// Info for Coerced, Low for every other action (the zero one included).
func (a Action) Severity() audit.Severity {
	if a == Coerced {
		return audit.Info
	}
	return audit.Low
}

// MaxValue bounds, in bytes, the Value a finding quotes; longer values are
// cut and end in "…".
const MaxValue = 120

// Note is one thing an importer did to read a record. It is data about the
// input, never an error.
//
// The zero Note names nothing; its finding is about the unnamed input at
// low severity.
type Note struct {
	// File names the input, as given to the importer.
	File string
	// Line is the 1-based line of File where the value is; 0 when unknown.
	Line int
	// Record is the record the note is about, as it appears in the
	// inventory: {"identity", "00u1abc"}, {"role", "okta:group/00g9"},
	// {"grant", "alice/erp:invoice.post"}, or {"input", File} for the file
	// as a whole.
	Record audit.Subject
	// Attribute is the attribute or column concerned, as written in the
	// input ("Active", "roles", "Approved By").
	Attribute string
	// Value is the value found, as written: JSON text for JSON inputs
	// ("\"False\"", "null", "42"), the cell for CSV; empty when the value
	// is absent.
	Value string
	// Action says what the importer did.
	Action Action
	// Detail says it for people: "read as false", "skipped: no such user".
	Detail string
}

// String renders the note on one line:
// `users.json:12: identity u1: attribute active = "False": coerced: read as false`.
func (n Note) String() string {
	var b strings.Builder
	b.WriteString(n.File)
	if n.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(n.Line))
	}
	b.WriteString(": ")
	if n.Record.Type != "" || n.Record.ID != "" {
		b.WriteString(n.Record.String())
		b.WriteString(": ")
	}
	if n.Attribute != "" {
		b.WriteString("attribute ")
		b.WriteString(n.Attribute)
		if n.Value != "" {
			b.WriteString(" = ")
			b.WriteString(clip(n.Value))
		}
		b.WriteString(": ")
	}
	b.WriteString(n.Action.String())
	if n.Detail != "" {
		b.WriteString(": ")
		b.WriteString(n.Detail)
	}
	return b.String()
}

// Compare orders notes by file, line, record, attribute, value, action and
// detail: input order within a file. Importers return their notes in this
// order.
func (n Note) Compare(m Note) int {
	return cmp.Or(
		cmp.Compare(n.File, m.File),
		cmp.Compare(n.Line, m.Line),
		n.Record.Compare(m.Record),
		cmp.Compare(n.Attribute, m.Attribute),
		cmp.Compare(n.Value, m.Value),
		cmp.Compare(n.Action, m.Action),
		cmp.Compare(n.Detail, m.Detail),
	)
}

var (
	ac2     = audit.Ref(audit.SP80053, "AC-2")
	prAA01  = audit.Ref(audit.CSF, "PR.AA-01")
	subject = audit.Subject{Type: "input"}
)

// Finding returns the note as a finding of kind KindDataQuality: severity from its
// action (see Action.Severity), subject its record (or the input, for a
// note about a whole file), and the file, record, attribute, value and
// action as evidence. Its Location is the note's file and line. The line
// is in the message and the location only, so the finding keeps its ID
// when records move within an export; the file name is evidence, so a
// note about a differently named export is a different finding. Values
// longer than MaxValue are cut.
func (n Note) Finding() audit.Finding {
	subj := n.Record
	if subj.Type == "" && subj.ID == "" {
		subj = subject
		subj.ID = n.File
	}
	ev := []audit.Evidence{{Label: "file", Value: n.File}}
	if n.Record.Type != "" || n.Record.ID != "" {
		// Type and ID only: the value takes part in the finding's ID, and
		// a name (Subject.String shows it) must not.
		ev = append(ev, audit.Evidence{Label: "record", Value: n.Record.Type + " " + n.Record.ID})
	}
	if n.Attribute != "" {
		ev = append(ev, audit.Evidence{Label: "attribute", Value: n.Attribute})
	}
	if n.Value != "" {
		ev = append(ev, audit.Evidence{Label: "value", Value: clip(n.Value)})
	}
	action := n.Action.String()
	if n.Detail != "" {
		action += ": " + n.Detail
	}
	ev = append(ev, audit.Evidence{Label: "action", Value: action})

	where := n.File
	if n.Line > 0 {
		where += ":" + strconv.Itoa(n.Line)
	}
	msg := where + ": "
	if n.Attribute != "" {
		msg += n.Attribute
		if n.Value != "" {
			msg += " " + clip(n.Value)
		}
		msg += ": "
	}
	msg += action
	f := kinds.Get(KindDataQuality).New("", subj, msg, ev...)
	f.Severity = n.Action.Severity()
	if n.File != "" {
		f.Location = audit.Location{File: n.File, Line: max(n.Line, 0)}
	}
	return f
}

// Findings returns the findings of notes in report order (see audit.Sort),
// one per distinct finding ID: the same quirk of the same record in the
// same file is reported once. It returns nil for no notes.
func Findings(notes []Note) []audit.Finding {
	if len(notes) == 0 {
		return nil
	}
	out := make([]audit.Finding, len(notes))
	for i, n := range notes {
		out[i] = n.Finding()
	}
	return audit.Sort(out)
}

// clip cuts s to MaxValue bytes on a rune boundary.
func clip(s string) string {
	if len(s) <= MaxValue {
		return s
	}
	cut := MaxValue
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
