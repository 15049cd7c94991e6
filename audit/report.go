package audit

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/internal/safetext"
	"github.com/sodkit/sodkit/internal/strictjson"
)

// Version is the sodkit release that produces reports. Reports record it so a
// reader can tell which checks and finding IDs to expect.
const Version = "0.1.0"

// ReportFormat is the value of the "format" member of a JSON report. A reader
// rejects any other value.
const ReportFormat = "sodkit.report/v1"

// Input identifies one input a report was computed from: a name (usually a
// file path) and the SHA-256 of its exact bytes.
type Input struct {
	// Name names the input, usually its file path as the caller gave it;
	// a finding's Location names its input the same way.
	Name string `json:"name"`
	// SHA256 is the SHA-256 of the input's exact bytes, 64 lower-case hex
	// digits.
	SHA256 string `json:"sha256"`
	// Bytes is the input's size, in bytes.
	Bytes int64 `json:"bytes"`
}

// HashInput reads r to its end and returns its Input record. Callers that
// already read the input can use an InputHasher instead.
func HashInput(name string, r io.Reader) (Input, error) {
	h := NewInputHasher(name)
	if _, err := io.Copy(h, r); err != nil {
		return Input{}, fmt.Errorf("hashing %s: %w", name, err)
	}
	return h.Input(), nil
}

// InputHasher is an io.Writer that hashes what passes through it, for use
// with io.TeeReader while an input streams into a loader.
type InputHasher struct {
	name string
	h    hash.Hash
	n    int64
}

// NewInputHasher returns a hasher for the input called name.
func NewInputHasher(name string) *InputHasher {
	return &InputHasher{name: name, h: sha256.New()}
}

// Write hashes p. It never fails.
func (h *InputHasher) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	return h.h.Write(p)
}

// Input returns the record for everything written so far.
func (h *InputHasher) Input() Input {
	return Input{Name: h.name, SHA256: hex.EncodeToString(h.h.Sum(nil)), Bytes: h.n}
}

// Report is the outcome of one evaluation: the findings, when they were
// evaluated, what they were computed from, and which sodkit computed them.
//
// A report is in order when its findings are in report order (see
// Finding.Compare) with no finding ID twice, its inputs are sorted by name
// and its kinds by kind. NewReport and ReadReport return reports in order;
// Normalize restores the order after a caller builds or changes one by hand.
//
// The writers (WriteText, WriteTextWith, WriteJSON, WriteSARIF, WriteCSV,
// WriteMarkdown, WriteOSCAL, WriteHTML) never modify the report or anything
// it points to, so one report may be rendered from several goroutines at
// once. They render a report that is out of order as Normalize would put
// it, from a copy.
type Report struct {
	// Tool is the program that computed the report; NewReport sets
	// "sodkit".
	Tool string `json:"tool"`
	// Version is the release of Tool that computed it; NewReport sets
	// Version, the package constant.
	Version string `json:"version"`
	// EvaluatedAt is the evaluation time the checks ran at, not when the
	// report was written; NewReport stores it in UTC.
	EvaluatedAt time.Time `json:"evaluated_at"`
	// Inputs are the inputs the findings were computed from, sorted by
	// name in a report in order.
	Inputs []Input `json:"inputs"`
	// Findings are the findings, in report order with no ID twice in a
	// report in order.
	Findings []Finding `json:"findings"`
	// Figures are the governance figures. Writers recompute the finding
	// counts from Findings; callers fill Shares and Monthly.
	Figures Figures `json:"figures"`
	// Kinds describes every kind of finding the evaluation could report,
	// found or not, such as scan.Kinds for a scan. WriteSARIF renders them
	// as its rule table. Kinds are not part of the JSON report: WriteJSON
	// leaves them out and a report read back with ReadReport has none, so
	// its SARIF describes only the kinds of the findings present.
	Kinds []KindInfo `json:"-"`
	// Partial, when not nil, marks the report as one shard of a scan
	// split by identity, to be merged with the others (see Partial); nil
	// for a whole report. The writers other than WriteJSON leave it out.
	Partial *Partial `json:"partial,omitempty"`
}

// NewReport returns a report of findings evaluated at at from inputs, in
// order (see Report). It copies both slices, sorts the findings into report
// order and drops duplicate IDs; at is stored in UTC.
func NewReport(at time.Time, inputs []Input, findings []Finding) Report {
	r := Report{
		Tool:        "sodkit",
		Version:     Version,
		EvaluatedAt: at.UTC(),
		Inputs:      slices.Clone(inputs),
		Findings:    slices.Clone(findings),
	}
	r.Normalize()
	return r
}

// Normalize puts the report in order (see Report): it sorts the findings
// into report order and drops any finding whose ID appeared earlier in that
// order, sorts the inputs by name and the kinds by kind, dropping repeated
// kinds. It sorts the report's slices in place, so a caller that shares
// them with other code should copy them first.
func (r *Report) Normalize() {
	r.Findings = Sort(r.Findings)
	slices.SortFunc(r.Inputs, compareInputs)
	slices.SortStableFunc(r.Kinds, KindInfo.Compare)
	r.Kinds = slices.CompactFunc(r.Kinds, func(a, b KindInfo) bool { return a.Kind == b.Kind })
}

func compareInputs(a, b Input) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.SHA256, b.SHA256))
}

// inOrder reports whether r is in order (see Report).
func (r Report) inOrder() bool {
	if !slices.IsSortedFunc(r.Findings, Finding.Compare) || !slices.IsSortedFunc(r.Inputs, compareInputs) {
		return false
	}
	for i := 1; i < len(r.Kinds); i++ {
		if r.Kinds[i-1].Kind >= r.Kinds[i].Kind {
			return false
		}
	}
	seen := make(map[string]struct{}, len(r.Findings))
	for _, f := range r.Findings {
		if f.ID == "" {
			continue
		}
		if _, dup := seen[f.ID]; dup {
			return false
		}
		seen[f.ID] = struct{}{}
	}
	return true
}

// ordered returns r in order for a writer: r itself when it is in order
// already, else a copy of r with copies of its slices, normalized. r and
// what it points to are never modified.
func (r Report) ordered() Report {
	if r.inOrder() {
		return r
	}
	r.Findings = slices.Clone(r.Findings)
	r.Inputs = slices.Clone(r.Inputs)
	r.Kinds = slices.Clone(r.Kinds)
	r.Normalize()
	return r
}

// Summary counts a report's findings.
type Summary struct {
	// Total is the number of findings.
	Total int `json:"total"`
	// Failing is the number of findings that are open or indeterminate
	// (not mitigated, not waived).
	Failing int `json:"failing"`
	// BySeverity counts findings per severity; a severity with no finding
	// has no entry.
	BySeverity map[Severity]int `json:"by_severity"`
	// ByStatus counts findings per status; a status with no finding has
	// no entry.
	ByStatus map[Status]int `json:"by_status"`
	// ByKind counts findings per kind; a kind with no finding has no
	// entry.
	ByKind map[Kind]int `json:"by_kind"`
}

// Summary counts the report's findings by severity, status and kind. Failing
// counts findings whose status fails a gate (open or indeterminate).
func (r Report) Summary() Summary {
	s := Summary{
		BySeverity: map[Severity]int{},
		ByStatus:   map[Status]int{},
		ByKind:     map[Kind]int{},
	}
	for _, f := range r.Findings {
		s.Total++
		if f.Status.Failing() {
			s.Failing++
		}
		s.BySeverity[f.Severity]++
		s.ByStatus[f.Status]++
		s.ByKind[f.Kind]++
	}
	return s
}

// Failing returns the findings at or above min whose status fails a gate,
// in report order: what a CI job fails on, when len(r.Failing(min)) > 0.
// The result is nil when nothing fails, and a new slice otherwise.
//
// A finding fails when it is open or indeterminate (a check that could not
// be evaluated is not a pass); a mitigated one does not (Status.Failing).
// min is inclusive: Failing(High) returns critical and high findings, and
// Failing(Info) every failing finding. The zero Severity is Critical, so a
// threshold never set returns only critical findings, never "nothing";
// parse one from a flag or file with ParseSeverity. A finding whose
// severity is out of range counts as at or above any threshold.
//
// Failing gates on the whole report. To fail only on what is new or
// changed since an earlier report (a baseline), use r.Diff(earlier) and
// Delta.Failing.
func (r Report) Failing(min Severity) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Status.Failing() && f.Severity.AtLeast(min) {
			out = append(out, f)
		}
	}
	return out
}

// WriteJSON writes r as one indented JSON document (format
// "sodkit.report/v1"), findings in report order. The output is byte-for-byte
// stable for equal reports: maps are written with sorted keys.
func (r Report) WriteJSON(w io.Writer) error {
	r = r.ordered()
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Inputs == nil {
		r.Inputs = []Input{}
	}
	r.Figures = r.Figures.withCounts(r.Findings)
	// Written member by member, findings one at a time, so a report of a
	// million findings streams instead of being built and re-indented in
	// memory; the bytes are those of json.Encoder with a two-space indent.
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	put := func(name string, v any, last bool) error {
		buf.Reset()
		enc.SetIndent("  ", "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
		fmt.Fprintf(bw, "  %q: ", name)
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		if !last {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		return nil
	}
	bw.WriteString("{\n")
	for _, m := range []struct {
		name string
		v    any
	}{{"format", ReportFormat}, {"tool", r.Tool}, {"version", r.Version}, {"evaluated_at", r.EvaluatedAt}, {"inputs", r.Inputs}} {
		if err := put(m.name, m.v, false); err != nil {
			return err
		}
	}
	if r.Partial != nil {
		if err := put("partial", r.Partial, false); err != nil {
			return err
		}
	}
	if len(r.Findings) == 0 {
		bw.WriteString("  \"findings\": [],\n")
	} else {
		bw.WriteString("  \"findings\": [\n")
		enc.SetIndent("    ", "  ")
		for i, f := range r.Findings {
			buf.Reset()
			if err := enc.Encode(f); err != nil {
				return err
			}
			bw.WriteString("    ")
			bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			if i < len(r.Findings)-1 {
				bw.WriteString(",")
			}
			bw.WriteString("\n")
		}
		bw.WriteString("  ],\n")
	}
	if err := put("figures", r.Figures, false); err != nil {
		return err
	}
	if err := put("summary", r.Summary(), true); err != nil {
		return err
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// ErrReportFormat reports a JSON report that is not a sodkit report of a
// supported format version.
var ErrReportFormat = errors.New("not a sodkit report")

// ReadReport decodes a JSON report written by WriteJSON and returns it in
// order (see Report), without kinds (the JSON report does not carry them).
// A JSON object whose "format" is not ReportFormat, or that has none, is
// not a report (ErrReportFormat; a sodkit bundle is named as one), whatever
// else it holds. It reads strictly: unknown fields are errors, so a report from an
// incompatible release is not misread, and so is a key named twice in one
// object (ErrDuplicateKey; encoding/json would keep the last value
// silently). Each problem is a *JSONError naming the line and the key,
// after "reading report: "; all are reported, joined. Exactly one JSON
// value may be read, with white space around it. A finding must have an
// ID, and its location, when present, a file beside any line and no
// negative line; a report written before findings had locations reads
// with every location unknown. A partial report (one shard's, see
// Partial) reads with its Partial, whose shard must be one of its Of
// shards and whose waiver counts must be consistent.
func ReadReport(r io.Reader) (Report, error) {
	var in struct {
		Format string `json:"format"`
		Report
		Summary json.RawMessage `json:"summary"`
	}
	const prefix = "reading report: "
	vals, bad, err := strictjson.Split(r)
	switch {
	case err != nil:
		return Report{}, fmt.Errorf("%s%w", prefix, err)
	case len(vals) == 0 && bad != nil:
		return Report{}, errors.Join(jsonErrors(prefix, *bad)...)
	case len(vals) == 0:
		return Report{}, errors.New(prefix + "no JSON value in the input")
	case len(vals) > 1:
		return Report{}, fmt.Errorf("%sline %d: unexpected data after the report", prefix, vals[1].Line)
	case bad != nil:
		return Report{}, fmt.Errorf("%sline %d: unexpected data after the report", prefix, bad.Line)
	}
	// The format first, read leniently: a document of another format,
	// such as a sodkit bundle, is said to be what it is, not reported as
	// a report with unknown members.
	var head struct {
		Format string `json:"format"`
	}
	if json.Unmarshal(vals[0].Raw, &head) == nil && head.Format != ReportFormat {
		if strings.HasPrefix(head.Format, "sodkit.bundle/") {
			return Report{}, fmt.Errorf("%w: format %q is a sodkit bundle's (an input of sodkit check), want %q", ErrReportFormat, head.Format, ReportFormat)
		}
		return Report{}, fmt.Errorf("%w: format %q, want %q", ErrReportFormat, head.Format, ReportFormat)
	}
	// The summary is written for people and recomputed, not read; its
	// by_kind is a map, whose keys are matched exactly.
	if ps := strictjson.Decode(vals[0].Raw, vals[0].Line, &in, "summary.by_kind"); ps != nil {
		return Report{}, errors.Join(jsonErrors(prefix, ps...)...)
	}
	if in.Format != ReportFormat {
		return Report{}, fmt.Errorf("%w: format %q, want %q", ErrReportFormat, in.Format, ReportFormat)
	}
	var errs []error
	for i, f := range in.Findings {
		if f.ID == "" {
			errs = append(errs, fmt.Errorf("%sfindings[%d]: field id: missing", prefix, i))
		}
		switch l := f.Location; {
		case l.Line < 0:
			errs = append(errs, fmt.Errorf("%sfindings[%d]: field location.line: %d is not a line number", prefix, i, l.Line))
		case l.IsZero() && l.Line != 0:
			errs = append(errs, fmt.Errorf("%sfindings[%d]: field location.file: missing beside line %d", prefix, i, l.Line))
		}
	}
	if in.Partial != nil {
		for _, err := range in.Partial.check() {
			errs = append(errs, fmt.Errorf("%s%w", prefix, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Report{}, err
	}
	in.Report.Normalize()
	return in.Report, nil
}

// WriteText renders r for people: a header naming the evaluation time and
// inputs, a summary (counts by severity and kind, the identities and
// owners with most findings, the figures), then each finding in report
// order with its location ("at FILE:LINE", when known), owner, evidence,
// controls and remediation. It is WriteTextWith with no options, which
// can group the findings and list only the more severe ones.
//
// Text taken from the report (IDs, names, messages, evidence, input names)
// is escaped as docs/reports.md describes: control characters, the Unicode
// bidirectional controls, line separators and invalid UTF-8 are shown as
// visible escapes such as \x1b, \n or \u202e, so input data can neither
// drive the terminal nor forge a line of the report.
func (r Report) WriteText(w io.Writer) error { return r.WriteTextWith(w, nil) }

func summaryLine(r Report) string {
	s := r.Summary()
	if s.Total == 0 {
		return "no findings"
	}
	var parts []string
	for _, sev := range Severities() {
		if n := s.BySeverity[sev]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	line := fmt.Sprintf("%d %s (%s)", s.Total, plural(s.Total, "finding", "findings"), strings.Join(parts, ", "))
	if n := s.ByStatus[Mitigated]; n > 0 {
		line += fmt.Sprintf("; %d mitigated by exceptions", n)
	}
	if n := s.ByStatus[Indeterminate]; n > 0 {
		line += fmt.Sprintf("; %d indeterminate", n)
	}
	if n := s.ByStatus[Waived]; n > 0 {
		line += fmt.Sprintf("; %d waived", n)
	}
	return line
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// writeFindingText writes one finding for people, every string taken from
// the finding escaped (see WriteText).
func writeFindingText(b *bytes.Buffer, f Finding) {
	esc := safetext.Escape
	status := ""
	if f.Status != Open {
		status = " [" + f.Status.String() + "]"
	}
	fmt.Fprintf(b, "%s %s %s%s  %s\n", strings.ToUpper(f.Severity.String()), esc(string(f.Kind)), esc(f.Subject.String()), status, esc(f.ID))
	if f.Message != "" {
		fmt.Fprintf(b, "  %s\n", esc(f.Message))
	}
	if !f.Location.IsZero() {
		fmt.Fprintf(b, "  at %s\n", esc(f.Location.String()))
	}
	if f.Owner != "" {
		fmt.Fprintf(b, "  owner: %s\n", esc(f.Owner))
	}
	if f.Rule != "" {
		fmt.Fprintf(b, "  rule: %s\n", esc(f.Rule))
	}
	for _, e := range f.Evidence {
		fmt.Fprintf(b, "  - %s\n", esc(e.String()))
	}
	if len(f.Controls) > 0 {
		ids := make([]string, len(f.Controls))
		for i, c := range f.Controls {
			ids[i] = esc(c.String())
		}
		fmt.Fprintf(b, "  controls: %s\n", strings.Join(ids, "; "))
	}
	if f.Remediation != "" {
		fmt.Fprintf(b, "  fix: %s\n", esc(f.Remediation))
	}
}
