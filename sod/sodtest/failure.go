package sodtest

import (
	"strconv"
	"strings"

	"github.com/sodkit/sodkit/audit"
)

// FindingsError is the error a checker returns when findings make its
// check fail. Its message names the check, then shows each finding on a
// headline — severity, kind, subject and rule, and the status when it is
// not open — followed by the finding's message and its evidence, one item a
// line, including the path that explains the access:
//
//	sodtest.NoViolations at 2026-02-01T00:00:00Z: 1 failing finding
//	  critical sod.toxic-combination identity ann, rule P2P-1
//	    ann holds 2 of the 2 duties of rule P2P-1 (…): Maintain vendors + Release payments
//	    side Maintain vendors: entitlement erp:vendor.create via grant g1 → role vendor-admin → entitlement erp:vendor.create
//
// Tell it apart from an error meaning the check could not run with
// errors.As.
type FindingsError struct {
	// Check says what was checked, and at what time.
	Check string
	// Findings are the findings that failed, in report order.
	Findings []audit.Finding
}

// Error renders the check and its failing findings, as described above.
func (e *FindingsError) Error() string {
	var b strings.Builder
	b.WriteString(e.Check)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(len(e.Findings)))
	if len(e.Findings) == 1 {
		b.WriteString(" failing finding")
	} else {
		b.WriteString(" failing findings")
	}
	for _, f := range e.Findings {
		b.WriteString("\n  ")
		b.WriteString(headline(f))
		writeDetail(&b, f, "\n    ")
	}
	return b.String()
}

// failing returns a *FindingsError holding the findings whose status fails
// a gate (open or indeterminate), or nil when there is none.
func failing(check string, fs []audit.Finding) error {
	var bad []audit.Finding
	for _, f := range fs {
		if f.Status.Failing() {
			bad = append(bad, f)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &FindingsError{Check: check, Findings: audit.Sort(bad)}
}

// headline renders a finding on one line: "critical sod.toxic-combination
// identity ann, rule P2P-1", with the status in parentheses, such as
// " (mitigated)", " (indeterminate)" or " (waived)", when it is not open. The rule is left out when it is the subject.
func headline(f audit.Finding) string {
	var b strings.Builder
	b.WriteString(f.Severity.String())
	b.WriteByte(' ')
	b.WriteString(string(f.Kind))
	b.WriteByte(' ')
	b.WriteString(f.Subject.String())
	if f.Rule != "" && f.Subject.Compare(audit.Subject{Type: "rule", ID: f.Rule}) != 0 {
		b.WriteString(", rule ")
		b.WriteString(f.Rule)
	}
	if f.Status != audit.Open {
		b.WriteString(" (")
		b.WriteString(f.Status.String())
		b.WriteByte(')')
	}
	return b.String()
}

// writeDetail writes the finding's message and evidence, each after sep.
// Evidence keeps the finding's order, which is the order its check chose
// to explain it in.
func writeDetail(b *strings.Builder, f audit.Finding, sep string) {
	if f.Message != "" {
		b.WriteString(sep)
		b.WriteString(oneLine(f.Message))
	}
	for _, e := range f.Evidence {
		b.WriteString(sep)
		b.WriteString(oneLine(e.String()))
	}
}

// oneLine keeps a multi-line value from breaking the layout.
func oneLine(s string) string { return newlines.Replace(s) }

var newlines = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
