package audit

import "strconv"

// Location is where the record a finding is about was read: the input's
// name, as in the report's Inputs, and the line on which the record
// starts. It tells a reader, or a code-scanning tool, where to look; it is
// not part of what the finding is, so it takes no part in the finding's
// ID (see FindingID), its report order (Finding.Compare) or whether a
// finding changed since a baseline (Report.Diff): a record that moves
// within its file keeps its findings.
//
// The zero Location is unknown. A Location with a File and Line 0 names
// the input but not the line; one with no File is unknown, whatever its
// Line.
type Location struct {
	// File names the input, as Input.Name does.
	File string `json:"file"`
	// Line is the 1-based line of File on which the record starts; 0 when
	// unknown.
	Line int `json:"line,omitempty"`
}

// IsZero reports whether l is unknown: it names no file.
func (l Location) IsZero() bool { return l.File == "" }

// String returns "file:line", "file" when the line is unknown, or "" when
// l is unknown.
func (l Location) String() string {
	switch {
	case l.IsZero():
		return ""
	case l.Line > 0:
		return l.File + ":" + strconv.Itoa(l.Line)
	}
	return l.File
}
