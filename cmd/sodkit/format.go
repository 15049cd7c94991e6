package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/sodkit/sodkit/audit"
)

// reportFormats are the --format values of check, in the order the help
// lists them.
var reportFormats = []string{"text", "json", "sarif", "csv", "markdown", "oscal", "html"}

// deltaFormats are the formats that can show a delta (check --baseline,
// diff); the others always carry the full report.
var deltaFormats = []string{"text", "json", "markdown"}

// formatList renders a list of formats for help and errors: "a, b or c".
func formatList(fs []string) string {
	switch len(fs) {
	case 0:
		return ""
	case 1:
		return fs[0]
	}
	s := ""
	for i, f := range fs[:len(fs)-1] {
		if i > 0 {
			s += ", "
		}
		s += f
	}
	return s + " or " + fs[len(fs)-1]
}

// writeCheckOutput writes the outcome of check in format: the delta when
// there is one (a --baseline was given) and the format can show it (text,
// json, markdown), otherwise the full report, text shaped by text. SARIF, CSV and OSCAL always
// carry the full report: code-scanning tools track new and fixed findings
// themselves, through the SARIF fingerprints.
func writeCheckOutput(w io.Writer, r audit.Report, delta *audit.Delta, format string, text *audit.TextOptions) error {
	if delta != nil && slices.Contains(deltaFormats, format) {
		return writeDelta(w, *delta, format)
	}
	switch format {
	case "text":
		return r.WriteTextWith(w, text)
	case "json":
		return r.WriteJSON(w)
	case "sarif":
		return r.WriteSARIF(w)
	case "csv":
		return r.WriteCSV(w)
	case "markdown":
		return r.WriteMarkdown(w)
	case "oscal":
		return r.WriteOSCAL(w, nil)
	case "html":
		return r.WriteHTML(w)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, formatList(reportFormats))
}

// writeDelta writes a report delta as text, json or markdown.
func writeDelta(w io.Writer, d audit.Delta, format string) error {
	switch format {
	case "text":
		return d.WriteText(w)
	case "json":
		return writeJSON(w, d)
	case "markdown":
		return d.WriteMarkdown(w)
	}
	return fmt.Errorf("unknown format %q for a report diff (want %s)", format, formatList(deltaFormats))
}
