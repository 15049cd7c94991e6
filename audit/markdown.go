package audit

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sodkit/sodkit/internal/safetext"
)

// MarkdownLimit is the size, in bytes, that WriteMarkdown keeps a document
// under, so it fits in a pull-request comment (GitHub accepts 65,536
// characters). Findings that do not fit are counted, not listed.
const MarkdownLimit = 60000

// WriteMarkdown renders r as GitHub-flavoured Markdown for a pull-request
// comment: a summary, the figures, a table of findings in report order and,
// folded under <details>, each finding's location ("at FILE:LINE", when
// known), evidence, controls and remediation.
// Text taken from the report is escaped, so input data cannot inject
// formatting, links, HTML or mentions, break a table cell, or carry
// control, bidirectional or line-separator characters (shown as visible
// escapes such as \x1b, as in WriteText). The output stays under
// MarkdownLimit bytes and is stable for equal reports.
func (r Report) WriteMarkdown(w io.Writer) error {
	r = r.ordered()
	fig := r.Figures.withCounts(r.Findings)
	var b bytes.Buffer
	b.WriteString("## sodkit report\n\n")
	fmt.Fprintf(&b, "%s %s, evaluated at %s", mdEscape(r.Tool), mdEscape(r.Version), mdTime(r.EvaluatedAt))
	if len(r.Inputs) > 0 {
		names := make([]string, len(r.Inputs))
		for i, in := range r.Inputs {
			names[i] = mdCode(in.Name)
		}
		fmt.Fprintf(&b, " from %s", strings.Join(names, ", "))
	}
	b.WriteString(".\n\n")
	fmt.Fprintf(&b, "**%s**\n", mdEscape(summaryLine(r)))

	if len(r.Findings) > 0 {
		b.WriteString("\n| severity | findings | failing |\n|---|---:|---:|\n")
		for _, s := range fig.BySeverity {
			fmt.Fprintf(&b, "| %s | %d | %d |\n", s.Severity, s.Count, s.Failing)
		}
		b.WriteString("\n| kind | findings | failing |\n|---|---:|---:|\n")
		for _, k := range fig.ByKind {
			fmt.Fprintf(&b, "| %s | %d | %d |\n", mdCode(string(k.Kind)), k.Count, k.Failing)
		}
	}
	writeMarkdownFigures(&b, fig)

	if len(r.Findings) > 0 {
		b.WriteString("\n### Findings\n\n")
		writeMarkdownFindings(&b, r.Findings)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeMarkdownFigures(b *bytes.Buffer, fig Figures) {
	for _, s := range fig.Shares {
		fmt.Fprintf(b, "\n**%s** (of %d)\n\n| part | count | share |\n|---|---:|---:|\n", mdEscape(s.Name), s.Total())
		for _, p := range s.Parts {
			fmt.Fprintf(b, "| %s | %d | %.1f%% |\n", mdEscape(p.Label), p.Count, s.Percent(p))
		}
	}
	for _, s := range fig.Monthly {
		fmt.Fprintf(b, "\n**%s per month**\n\n| month | count |\n|---|---:|\n", mdEscape(s.Name))
		for _, p := range s.Points {
			fmt.Fprintf(b, "| %s | %d |\n", mdEscape(p.Month), p.Count)
		}
	}
}

// writeMarkdownFindings writes a table of findings, then their details,
// within the size budget.
func writeMarkdownFindings(b *bytes.Buffer, fs []Finding) {
	const reserve = 400 // room for the closing lines
	b.WriteString("| severity | status | kind | subject | finding | ID |\n|---|---|---|---|---|---|\n")
	listed := 0
	for _, f := range fs {
		row := fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", f.Severity, f.Status, mdCode(string(f.Kind)),
			mdEscape(f.Subject.String()), mdEscape(f.Message), mdCode(f.ID))
		if b.Len()+len(row) > MarkdownLimit-reserve {
			break
		}
		b.WriteString(row)
		listed++
	}
	if listed < len(fs) {
		fmt.Fprintf(b, "\n…and %d more %s not listed here (the comment size limit); see the full report.\n",
			len(fs)-listed, plural(len(fs)-listed, "finding", "findings"))
		return
	}
	var details bytes.Buffer
	details.WriteString("\n<details><summary>Evidence, controls and remediation</summary>\n")
	detailed := 0
	for _, f := range fs {
		var d bytes.Buffer
		fmt.Fprintf(&d, "\n#### %s %s %s\n\n", mdCode(f.ID), mdCode(string(f.Kind)), mdEscape(f.Subject.String()))
		if !f.Location.IsZero() {
			fmt.Fprintf(&d, "- at %s\n", mdCode(f.Location.String()))
		}
		if f.Owner != "" {
			fmt.Fprintf(&d, "- owner: %s\n", mdEscape(f.Owner))
		}
		if f.Rule != "" {
			fmt.Fprintf(&d, "- rule: %s\n", mdCode(f.Rule))
		}
		for _, e := range f.Evidence {
			fmt.Fprintf(&d, "- %s\n", mdEscape(e.String()))
		}
		if len(f.Controls) > 0 {
			cs := make([]string, len(f.Controls))
			for i, c := range f.Controls {
				cs[i] = mdEscape(c.String())
			}
			fmt.Fprintf(&d, "- controls: %s\n", strings.Join(cs, "; "))
		}
		if f.Remediation != "" {
			fmt.Fprintf(&d, "- fix: %s\n", mdEscape(f.Remediation))
		}
		if b.Len()+details.Len()+d.Len() > MarkdownLimit-reserve {
			break
		}
		details.Write(d.Bytes())
		detailed++
	}
	if detailed < len(fs) {
		fmt.Fprintf(&details, "\n…details of %d more %s omitted (the comment size limit).\n",
			len(fs)-detailed, plural(len(fs)-detailed, "finding", "findings"))
	}
	details.WriteString("\n</details>\n")
	b.Write(details.Bytes())
}

// WriteMarkdown renders the delta as GitHub-flavoured Markdown for a
// pull-request comment: a count line, then tables of the new, changed and
// resolved findings (unchanged ones are only counted). Text is escaped as in
// Report.WriteMarkdown, and the output stays under MarkdownLimit bytes.
func (d Delta) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("## sodkit: changes since the baseline\n\n")
	fmt.Fprintf(&b, "**%d new**, %d resolved, %d changed, %d unchanged\n",
		len(d.New), len(d.Resolved), len(d.Changed), len(d.Unchanged))
	if len(d.New) > 0 {
		b.WriteString("\n### New\n\n")
		writeMarkdownFindings(&b, d.New)
	}
	if len(d.Changed) > 0 {
		b.WriteString("\n### Changed\n\n| was | now | kind | subject | finding | ID |\n|---|---|---|---|---|---|\n")
		for i, c := range d.Changed {
			row := fmt.Sprintf("| %s, %s | %s, %s | %s | %s | %s | %s |\n", c.Before.Severity, c.Before.Status,
				c.After.Severity, c.After.Status, mdCode(string(c.After.Kind)), mdEscape(c.After.Subject.String()),
				mdEscape(c.After.Message), mdCode(c.After.ID))
			if b.Len()+len(row) > MarkdownLimit-400 {
				fmt.Fprintf(&b, "\n…and %d more changed findings not listed here.\n", len(d.Changed)-i)
				break
			}
			b.WriteString(row)
		}
	}
	if len(d.Resolved) > 0 {
		b.WriteString("\n### Resolved\n\n| severity | kind | subject | ID |\n|---|---|---|---|\n")
		for i, f := range d.Resolved {
			row := fmt.Sprintf("| %s | %s | %s | %s |\n", f.Severity, mdCode(string(f.Kind)), mdEscape(f.Subject.String()), mdCode(f.ID))
			if b.Len()+len(row) > MarkdownLimit-200 {
				fmt.Fprintf(&b, "\n…and %d more resolved findings not listed here.\n", len(d.Resolved)-i)
				break
			}
			b.WriteString(row)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func mdTime(t time.Time) string {
	if t.IsZero() {
		return "an unknown time"
	}
	return t.UTC().Format(time.RFC3339)
}

// mdSpecial holds the characters mdEscape backslash-escapes.
const mdSpecial = "\\`*_[]<>|~&@"

// mdEscape escapes text for a Markdown table cell or list item: control
// characters, bidirectional controls, line separators and invalid UTF-8
// become visible escapes (internal/safetext), so nothing breaks a line or
// a cell; then the characters that start emphasis, code, links, HTML,
// entities, table cells or mentions are backslash-escaped. It returns s
// itself, without allocating, when nothing needs escaping.
func mdEscape(s string) string {
	s = safetext.Escape(s)
	if !strings.ContainsAny(s, mdSpecial) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		// The special characters are ASCII, never part of a multi-byte
		// sequence, so bytes can be copied one at a time.
		if strings.IndexByte(mdSpecial, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// mdCode writes s as an inline code span, its control characters escaped
// as in mdEscape. A value holding a backtick or a pipe, which a code span
// in a table cell cannot hold reliably, is written as escaped text instead.
func mdCode(s string) string {
	if strings.ContainsAny(s, "`|") {
		return mdEscape(s)
	}
	return "`" + safetext.Escape(s) + "`"
}
