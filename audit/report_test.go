package audit_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// coreReport is a small report with one finding of each status, used by
// the golden files under testdata/report (rewritten with -update).
func coreReport() audit.Report {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	fs := []audit.Finding{
		{Kind: "lifecycle.missing-reason", Severity: audit.Low, Subject: audit.Subject{Type: "grant", ID: "g-7"},
			Message: "grant g-7 to bob records no business reason"},
		base(),
		{Kind: "lifecycle.unexplained-access", Severity: audit.High, Status: audit.Indeterminate,
			Subject: audit.Subject{Type: "account", ID: "temp-7"}, Message: "an account the inventory does not know",
			Evidence: []audit.Evidence{{Label: "entitlement", Value: "erp:vendor.create"}}},
		{Kind: "sod.toxic-combination", Severity: audit.High, Status: audit.Mitigated, Rule: "r-vendor-payment",
			Subject: audit.Subject{Type: "identity", ID: "bob"}, Message: "covered by exception ex-1",
			Evidence: []audit.Evidence{{Label: "exception", Value: "ex-1"}}, Controls: []audit.Control{ac5}},
	}
	for i := range fs {
		fs[i] = fs[i].WithID()
	}
	return audit.NewReport(at, []audit.Input{
		{Name: "people.json", SHA256: strings.Repeat("cd", 32), Bytes: 512},
		{Name: "catalogue.json", SHA256: strings.Repeat("ef", 32), Bytes: 2048},
	}, fs)
}

// goldenReport compares got with testdata/report/name, or rewrites it
// under -update.
func goldenReport(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "report", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create the golden file")
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got); run go test -update if the change is intended:\n%s", path, diff)
	}
}

func TestReportGolden(t *testing.T) {
	r := coreReport()
	var txt, js bytes.Buffer
	require.NoError(t, r.WriteText(&txt))
	require.NoError(t, r.WriteJSON(&js))
	goldenReport(t, "report.txt", txt.Bytes())
	goldenReport(t, "report.json", js.Bytes())

	empty := audit.NewReport(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), nil, nil)
	txt.Reset()
	js.Reset()
	require.NoError(t, empty.WriteText(&txt))
	require.NoError(t, empty.WriteJSON(&js))
	goldenReport(t, "empty.txt", txt.Bytes())
	goldenReport(t, "empty.json", js.Bytes())
}

func TestNewReport(t *testing.T) {
	r := coreReport()
	require.Equal(t, "sodkit", r.Tool)
	require.Equal(t, audit.Version, r.Version)
	require.Equal(t, time.UTC, r.EvaluatedAt.Location(), "stored in UTC")
	require.Equal(t, "catalogue.json", r.Inputs[0].Name, "inputs sorted by name")
	require.Equal(t, audit.Critical, r.Findings[0].Severity, "findings in report order")

	fs := []audit.Finding{base().WithID(), base().WithID()}
	ins := []audit.Input{{Name: "b"}, {Name: "a"}}
	r = audit.NewReport(time.Time{}, ins, fs)
	require.Len(t, r.Findings, 1, "duplicate IDs dropped")
	require.Len(t, fs, 2, "the caller's slice is not shortened")
	require.Equal(t, "b", ins[0].Name, "the caller's inputs are not sorted in place")
}

func TestReportOrderIndependent(t *testing.T) {
	render := func(r audit.Report) string {
		var b bytes.Buffer
		require.NoError(t, r.WriteText(&b))
		require.NoError(t, r.WriteJSON(&b))
		return b.String()
	}
	want := render(coreReport())
	r := coreReport()
	r.Findings[0], r.Findings[3] = r.Findings[3], r.Findings[0]
	r.Inputs[0], r.Inputs[1] = r.Inputs[1], r.Inputs[0]
	require.Equal(t, want, render(r), "writers restore report order")
}

func TestSummaryAndFailing(t *testing.T) {
	r := coreReport()
	s := r.Summary()
	require.Equal(t, 4, s.Total)
	require.Equal(t, 3, s.Failing, "open and indeterminate findings fail; mitigated ones do not")
	require.Equal(t, map[audit.Severity]int{audit.Critical: 1, audit.High: 2, audit.Low: 1}, s.BySeverity)
	require.Equal(t, map[audit.Status]int{audit.Open: 2, audit.Mitigated: 1, audit.Indeterminate: 1}, s.ByStatus)
	require.Equal(t, 2, s.ByKind["sod.toxic-combination"])

	tests := []struct {
		min    audit.Severity
		want   int
		reason string
	}{
		{audit.Critical, 1, "only the critical finding"},
		{audit.High, 2, "the indeterminate high finding fails too; the mitigated one does not"},
		{audit.Low, 3, "everything failing"},
		{audit.Info, 3, "info is the lowest threshold"},
	}
	for _, tt := range tests {
		require.Len(t, r.Failing(tt.min), tt.want, "--fail-on %s: %s", tt.min, tt.reason)
	}
}

func TestReadReportRoundTrip(t *testing.T) {
	r := coreReport()
	var b bytes.Buffer
	require.NoError(t, r.WriteJSON(&b))
	back, err := audit.ReadReport(bytes.NewReader(b.Bytes()))
	require.NoError(t, err)
	require.Equal(t, r.Findings, back.Findings)
	require.Equal(t, r.Inputs, back.Inputs)
	require.True(t, r.EvaluatedAt.Equal(back.EvaluatedAt))
	require.Equal(t, r.Version, back.Version)
	var again bytes.Buffer
	require.NoError(t, back.WriteJSON(&again))
	require.Equal(t, b.String(), again.String(), "write, read, write is byte-identical")

	// Reading in one-byte pieces changes nothing.
	_, err = audit.ReadReport(iotest.OneByteReader(bytes.NewReader(b.Bytes())))
	require.NoError(t, err)
}

func TestReadReportNamesAndIdentity(t *testing.T) {
	r := sampleReport()
	var b bytes.Buffer
	require.NoError(t, r.WriteJSON(&b))
	back, err := audit.ReadReport(&b)
	require.NoError(t, err, "a report with names and identities reads back strictly")
	require.Equal(t, r.Findings, back.Findings, "names of subjects and steps, and identities, survive the round trip")
	alice := back.Findings[0]
	require.Equal(t, "Alice Brandt", alice.Subject.Name)
	require.Equal(t, "alice", alice.Identity)
	require.Equal(t, "Create vendors", alice.Evidence[0].Path[2].Name)

	// A report written before findings had names or identities reads
	// with none.
	old, err := os.ReadFile(filepath.Join("testdata", "report", "report.json"))
	require.NoError(t, err)
	require.NotContains(t, string(old), `"identity":`)
	earlier, err := audit.ReadReport(bytes.NewReader(old))
	require.NoError(t, err)
	for _, f := range earlier.Findings {
		require.Empty(t, f.Subject.Name)
		require.Empty(t, f.Identity)
	}
}

func TestReadReportRejects(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, coreReport().WriteJSON(&b))
	good := b.String()
	tests := []struct {
		name   string
		in     string
		err    string
		is     error
		reason string
	}{
		{"unknown top-level field", strings.Replace(good, `"tool":`, `"tools": 1, "tool":`, 1), `unknown field "tools"`, nil,
			"a report from an incompatible release is not misread"},
		{"unknown finding field", strings.Replace(good, `"kind":`, `"weight": 3, "kind":`, 1), `unknown field "weight"`, nil,
			"strict all the way down"},
		{"other format", strings.Replace(good, audit.ReportFormat, "sodkit.report/v2", 1), `"sodkit.report/v2"`, audit.ErrReportFormat,
			"another format version is rejected"},
		{"no format", strings.Replace(good, `"format": "sodkit.report/v1",`, ``, 1), `format ""`, audit.ErrReportFormat,
			"a JSON document that does not say it is a report is not one"},
		{"a bundle", `{"format": "sodkit.bundle/v1"}`, "sodkit.bundle/v1", audit.ErrReportFormat, "a bundle is not a report"},
		{"a whole bundle", `{"format": "sodkit.bundle/v1", "as_of": "2026-11-01T09:00:00Z", "parties": [{"id": "iam"}]}`,
			`not a sodkit report: format "sodkit.bundle/v1" is a sodkit bundle's`, audit.ErrReportFormat,
			"a bundle's members are not reported as unknown fields of a report: it is named as a bundle"},
		{"other format, unknown fields", `{"format": "sodkit.report/v9", "shiny": true}`, `format "sodkit.report/v9", want`, audit.ErrReportFormat,
			"the format is checked before the members, which another version may define"},
		{"bad severity", strings.Replace(good, `"severity": "critical"`, `"severity": "urgent"`, 1), `"urgent"`, nil,
			"severities are names"},
		{"bad status", strings.Replace(good, `"status": "mitigated"`, `"status": "closed"`, 1), `"closed"`, nil,
			"statuses are names"},
		{"missing ID", strings.Replace(good, `"id": "sk-`, `"idx": "sk-`, 1), `unknown field "idx"`, nil, "renamed field"},
		{"empty ID", replaceID(good), "findings[0]: field id: missing", nil, "a finding without an ID cannot be diffed"},
		{"trailing data", good + `{}`, "unexpected data after the report", nil, "one report per file"},
		{"trailing bracket", good + `]`, "unexpected data after the report", nil, "even a stray closing bracket"},
		{"duplicate key", strings.Replace(good, `"tool":`, `"tool": "forged", "tool":`, 1), `line 3: key "tool": duplicate key`, audit.ErrDuplicateKey,
			"encoding/json would keep the last value silently"},
		{"duplicate finding key", strings.Replace(good, `"severity": "critical"`, `"severity": "low", "Severity": "critical"`, 1),
			`key "findings[0].Severity": duplicate key (same field as "severity")`, audit.ErrDuplicateKey,
			"a finding read two ways is refused, whichever value would win"},
		{"truncated", good[:len(good)/2], "reading report", nil, "a cut file is an error"},
		{"empty", "", "reading report", nil, "nothing is not a report"},
		{"not JSON", "sodkit 0.1.0 report", "reading report", nil, "the text rendering is not readable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := audit.ReadReport(strings.NewReader(tt.in))
			require.ErrorContains(t, err, tt.err, tt.reason)
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is, tt.reason)
			}
		})
	}
	// Trailing white space is fine.
	_, err := audit.ReadReport(strings.NewReader(good + "\n\n  "))
	require.NoError(t, err)
}

// TestReadReportKindsDifferingInCase: the summary counts findings in a map
// keyed by kind, whose keys encoding/json matches exactly; two kinds that
// differ only in case are two keys there, not a duplicate, and the report
// reads back.
func TestReadReportKindsDifferingInCase(t *testing.T) {
	r := audit.NewReport(evalTime, nil, []audit.Finding{
		audit.Finding{Kind: "x.check", Subject: audit.Subject{Type: "identity", ID: "a"}}.WithID(),
		audit.Finding{Kind: "x.Check", Subject: audit.Subject{Type: "identity", ID: "a"}}.WithID(),
	})
	var b bytes.Buffer
	require.NoError(t, r.WriteJSON(&b))
	require.Contains(t, b.String(), `"x.Check": 1`)
	back, err := audit.ReadReport(&b)
	require.NoError(t, err)
	require.Equal(t, r.Findings, back.Findings)
}

func replaceID(s string) string {
	i := strings.Index(s, `"id": "sk-`)
	j := i + len(`"id": "`) + len("sk-") + 20
	return s[:i] + `"id": "` + s[j:]
}

func TestHashInput(t *testing.T) {
	in, err := audit.HashInput("x.json", strings.NewReader("hello"))
	require.NoError(t, err)
	require.Equal(t, audit.Input{Name: "x.json", SHA256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Bytes: 5}, in)

	h := audit.NewInputHasher("x.json")
	_, _ = h.Write([]byte("hel"))
	_, _ = h.Write([]byte("lo"))
	require.Equal(t, in, h.Input(), "hashing in pieces gives the same record")

	boom := errors.New("boom")
	_, err = audit.HashInput("bad.json", iotest.ErrReader(boom))
	require.ErrorIs(t, err, boom)
	require.ErrorContains(t, err, "bad.json")
}

// forged is text an attacker puts in an input file: it clears the screen,
// returns the cursor and starts a fake finding line, reverses what follows
// (U+202E), hides a NUL and a C1 CSI, and ends in invalid UTF-8. Pipes,
// backticks and stars try to break Markdown.
const forged = "x\x1b[2J\r\nCRITICAL sod.toxic-combination identity ceo  sk-00000000000000000000\n\u202eevil\x00\u009b\u2028|`*\xff"

// hostileReport is a report whose every input-derived string carries
// forged text: IDs, kinds, subjects, messages, rules, evidence, controls,
// remediation, input names, the version and the figures' names.
func hostileReport() audit.Report {
	fs := []audit.Finding{
		{Kind: "sod.toxic-combination", Severity: audit.Critical, Rule: "r-" + forged,
			Subject: audit.Subject{Type: "identity", ID: "mallory" + forged}, Message: "holds both" + forged,
			Evidence:    []audit.Evidence{{Label: "side" + forged, Value: forged, Path: []audit.Step{{Type: "grant", ID: forged}}}},
			Controls:    []audit.Control{{Framework: audit.SP80053, ID: "AC-5" + forged}},
			Remediation: "remove" + forged},
		{Kind: audit.Kind("lifecycle.no-expiry" + forged), Severity: audit.High, Status: audit.Mitigated,
			Subject: audit.Subject{Type: "grant" + forged, ID: "g-1"}, Message: forged},
		{Kind: "lifecycle.missing-reason", Severity: audit.Low, Subject: audit.Subject{Type: "grant", ID: "g-2"},
			Message: "an ordinary finding"},
	}
	for i := range fs {
		fs[i] = fs[i].WithID()
	}
	fs[1].ID = "sk-" + forged // as a report read from a hostile JSON file may carry
	fs[0].Location = audit.Location{File: "org" + forged + ".json", Line: 3}
	fs[1].Location = audit.Location{File: forged}
	fs[0].Owner = "fiona" + forged
	r := audit.NewReport(evalTime, []audit.Input{{Name: "org" + forged + ".json", SHA256: "ab" + forged, Bytes: 1}}, fs)
	r.Version = "0.1.0" + forged
	r.Figures.Shares = []audit.Share{{Name: "grants" + forged, Parts: []audit.Part{{Label: forged, Count: 1}}}}
	r.Figures.Monthly = []audit.Series{{Name: "sessions" + forged, Points: []audit.MonthCount{{Month: forged, Count: 2}}}}
	return r
}

// requireDisplaySafe fails if out holds anything that could drive a
// terminal or reorder text: a control character other than the line feed,
// DEL, a C1 control, a bidirectional control, a line or paragraph
// separator, or invalid UTF-8.
func requireDisplaySafe(t *testing.T, out string) {
	t.Helper()
	require.True(t, utf8.ValidString(out), "output is not valid UTF-8")
	for i, r := range out {
		bad := r < 0x20 && r != '\n' || r == 0x7f || 0x80 <= r && r <= 0x9f ||
			r == 0x061c || r == 0x200e || r == 0x200f || 0x202a <= r && r <= 0x202e ||
			0x2066 <= r && r <= 0x2069 || r == 0x2028 || r == 0x2029
		if bad {
			t.Fatalf("raw %U at byte %d of the output:\n%s", r, i, out)
		}
	}
}

// findingLines returns the lines of a text rendering that start a
// finding: those starting with a severity in capitals, after prefix.
func findingLines(out, prefix string) []string {
	var lines []string
	for line := range strings.Lines(out) {
		for _, sev := range audit.Severities() {
			if strings.HasPrefix(line, prefix+strings.ToUpper(sev.String())+" ") {
				lines = append(lines, line)
			}
		}
	}
	return lines
}

func TestWriteTextEscapesInputText(t *testing.T) {
	r := hostileReport()
	high := audit.High
	tests := []struct {
		name   string
		reason string
		opts   *audit.TextOptions
		listed int
	}{
		{"report order", "WriteText's own layout", nil, 3},
		{"by owner", "owners come from the input", &audit.TextOptions{GroupBy: audit.GroupByOwner}, 3},
		{"by identity", "so do identities", &audit.TextOptions{GroupBy: audit.GroupByIdentity}, 3},
		{"by kind", "and kinds", &audit.TextOptions{GroupBy: audit.GroupByKind}, 3},
		{"high and above", "hiding findings hides none of the summary", &audit.TextOptions{GroupBy: audit.GroupByKind, MinSeverity: &high}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, r.WriteTextWith(&b, tt.opts))
			out := b.String()
			requireDisplaySafe(t, out)
			require.Len(t, findingLines(out, ""), tt.listed, "%s: one finding line per listed finding, none forged:\n%s", tt.reason, out)
			// After the header and the summary, every line is blank, a
			// group's header, a finding line or indented under one: no
			// input can start a line of its own.
			_, body, ok := strings.Cut(out, "\n\n")
			require.True(t, ok)
			_, body, ok = strings.Cut(body, "\n\n")
			require.True(t, ok)
			for line := range strings.Lines(body) {
				if line == "\n" || strings.HasPrefix(line, "  ") || len(findingLines(line, "")) == 1 ||
					tt.opts != nil && tt.opts.GroupBy != audit.GroupNone && strings.HasPrefix(line, "== ") {
					continue
				}
				t.Errorf("line %q starts outside a finding", line)
			}
			require.Contains(t, out, `identity malloryx\x1b[2J\r\nCRITICAL sod.toxic-combination identity ceo  sk-00000000000000000000\n\u202eevil\x00\u009b\u2028|`+"`*\\xff  sk-",
				"the forged text is shown, escaped, on the finding's own line")
			require.Contains(t, out, `input orgx\x1b[2J`, "input names are escaped")
			require.Contains(t, out, "\n  at orgx\\x1b[2J", "and so are locations")
			if tt.opts != nil && tt.opts.GroupBy == audit.GroupByOwner {
				require.Contains(t, out, "\n== owner fionax\\x1b[2J", "and owners, in their group's header")
			} else {
				require.Contains(t, out, "\n  owner: fionax\\x1b[2J", "and owners")
			}
			require.Contains(t, out, `top owners: fionax\x1b[2J`, "in the summary too")
			require.Contains(t, out, `sodkit 0.1.0x\x1b[2J`, "the version is escaped")
		})
	}
}

func TestDeltaWriteTextEscapesInputText(t *testing.T) {
	r := hostileReport()
	earlier := hostileReport()
	earlier.Findings = earlier.Findings[:1]
	earlier.Findings[0].Message = "changed" + forged
	var b bytes.Buffer
	d := r.Diff(audit.NewReport(evalTime, nil, append(earlier.Findings, audit.Finding{ID: "sk-gone" + forged, Message: forged})))
	require.NoError(t, d.WriteText(&b))
	out := b.String()
	requireDisplaySafe(t, out)
	require.Len(t, findingLines(out, "NEW "), 2, out)
	require.Len(t, findingLines(out, "RESOLVED "), 1, out)
	require.Equal(t, 1, strings.Count(out, "\nCHANGED (was critical, open) CRITICAL "), out)
	require.Len(t, findingLines(out, ""), 0, "no finding line without its NEW, CHANGED or RESOLVED tag:\n%s", out)
}

// FuzzWritersEscapeInputText puts arbitrary text in every input-derived
// field of two findings (names included) and checks what people read: the text report has
// one finding line per finding and nothing that drives a terminal; the
// Markdown tables keep their shape.
// field of two findings and checks what people read: the text report, in
// every grouping, has one finding line per finding and nothing that drives
// a terminal; the Markdown tables keep their shape; the HTML page holds
// only its own elements, every finding twice (the list and the per-owner
// view) and nothing that reorders text.
func FuzzWritersEscapeInputText(f *testing.F) {
	f.Add("alice", "msg", "label", "value")
	f.Add(forged, forged, forged, forged)
	f.Add("a\\", "\\x1b", "`|`", "\u202e\n")
	f.Fuzz(func(t *testing.T, id, msg, label, value string) {
		if len(id)+len(msg)+len(label)+len(value) > 4000 {
			t.Skip("too long for every finding to fit in the Markdown size limit")
		}
		fs := []audit.Finding{
			{Kind: audit.Kind("k" + id), Severity: audit.High, Rule: label, Subject: audit.Subject{Type: "identity", ID: id, Name: msg},
				Message: msg, Evidence: []audit.Evidence{{Label: label, Value: value, Path: []audit.Step{{Type: "role", ID: id, Name: value}}}},
				Remediation: value, Identity: id},
			{Kind: "k", Severity: audit.Low, Subject: audit.Subject{Type: value, ID: label, Name: id}, Message: msg,
				Location: audit.Location{File: value, Line: len(id)}},
		}
		for i := range fs {
			fs[i] = fs[i].WithID()
		}
		fs[1].ID = "sk-" + id
		fs[0].Owner, fs[1].Owner = value, id
		r := audit.NewReport(evalTime, []audit.Input{{Name: msg}}, fs)
		var b bytes.Buffer
		require.NoError(t, r.WriteText(&b))
		requireDisplaySafe(t, b.String())
		require.Len(t, findingLines(b.String(), ""), len(r.Findings), b.String())
		for _, g := range []audit.Grouping{audit.GroupByOwner, audit.GroupByIdentity, audit.GroupByKind} {
			b.Reset()
			require.NoError(t, r.WriteTextWith(&b, &audit.TextOptions{GroupBy: g}))
			requireDisplaySafe(t, b.String())
			require.Len(t, findingLines(b.String(), ""), len(r.Findings), "grouped by %s:\n%s", g, b.String())
		}
		b.Reset()
		require.NoError(t, r.WriteHTML(&b))
		page := b.String()
		requireDisplaySafe(t, page)
		for _, m := range htmlTag.FindAllStringSubmatch(page, -1) {
			require.True(t, htmlTags[strings.ToLower(m[1])], "element <%s> is not the page's own", m[1])
		}
		require.Equal(t, 1, strings.Count(page, "<script"), "only the page's own script")
		require.Equal(t, 2*len(r.Findings), strings.Count(page, `<article class="finding`))
		b.Reset()
		require.NoError(t, r.WriteMarkdown(&b))
		requireDisplaySafe(t, b.String())
		tables := requireTablesIntact(t, b.String())
		require.Equal(t, len(r.Findings), tables[len(tables)-1], "one row per finding")
	})
}

// htmlTag matches the start of an element in an HTML page, and htmlTags
// are the elements WriteHTML writes.
var (
	htmlTag  = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)`)
	htmlTags = map[string]bool{}
)

func init() {
	for _, t := range strings.Fields(`html head meta title style body header h1 h2 h3 h4 p time section div table thead
		tbody tr th td a meter details summary ul li code form label select option span button output main article
		small dl dt dd b footer script`) {
		htmlTags[t] = true
	}
}
