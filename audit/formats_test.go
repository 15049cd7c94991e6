package audit_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/formats")

var evalTime = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// sampleReport is a representative report: every severity and status,
// evidence with paths, several frameworks, text that needs escaping in
// every format, and figures of each shape.
func sampleReport() audit.Report {
	ac5 := audit.Ref(audit.SP80053, "AC-5")
	ac6_5 := audit.Ref(audit.SP80053, "AC-6(5)")
	ac2_2 := audit.Ref(audit.SP80053, "AC-2(2)")
	prAA05 := audit.Ref(audit.CSF, "PR.AA-05")
	nhi7 := audit.Ref(audit.NHI, "NHI7:2025")
	fs := []audit.Finding{
		{
			Kind: "sod.toxic-combination", Severity: audit.Critical, Rule: "r-vendor-payment",
			Subject: audit.Subject{Type: "identity", ID: "alice", Name: "Alice Brandt"}, Identity: "alice",
			Message: "alice can both create vendors and release payments.",
			Evidence: []audit.Evidence{
				{Label: "side vendor-master", Value: "erp:vendor.create", Path: []audit.Step{{Type: "grant", ID: "g-1"}, {Type: "role", ID: "ap-clerk", Name: "Accounts payable | clerk"}, {Type: "entitlement", ID: "erp:vendor.create", Name: "Create vendors"}}},
				{Label: "side payments", Value: "erp:payment.release", Path: []audit.Step{{Type: "grant", ID: "g-2"}, {Type: "entitlement", ID: "erp:payment.release"}}},
			},
			Controls:    []audit.Control{ac5, prAA05},
			Remediation: "Remove one side, or approve a time-bounded exception with a compensating control.",
			Location:    audit.Location{File: "testdata/org bundle.json", Line: 12},
		},
		{
			Kind: "sod.toxic-combination", Severity: audit.High, Status: audit.Mitigated, Rule: "r-vendor-payment",
			Subject: audit.Subject{Type: "identity", ID: "bob"},
			Message: "bob holds both sides; exception ex-7 covers it until 2027-01-31.",
			Evidence: []audit.Evidence{
				{Label: "exception", Value: "ex-7 (expires 2027-01-31T00:00:00Z)"},
			},
			Controls:    []audit.Control{ac5},
			Remediation: "Remove one side, or approve a time-bounded exception with a compensating control.",
		},
		{
			Kind: "lifecycle.no-expiry", Severity: audit.High,
			Subject: audit.Subject{Type: "grant", ID: "g-9"}, Identity: "bob",
			Message:     "Privileged grant g-9 | prod-admin has no expiry.",
			Evidence:    []audit.Evidence{{Label: "expires", Value: "never"}, {Label: "privileged entitlement", Value: "=HYPERLINK(\"http://x\")"}},
			Controls:    []audit.Control{ac2_2, ac6_5},
			Remediation: "Set an expiry no longer than the entitlement's maximum duration.",
			Location:    audit.Location{File: "demo:inventory.json", Line: 40},
		},
		{
			Kind: "raci.unowned-nhi", Severity: audit.Medium, Status: audit.Indeterminate,
			Subject: audit.Subject{Type: "identity", ID: "svc-<script>alert(1)</script>", Name: "Batch \u202e**job**\n=1+1"}, Identity: "svc-<script>alert(1)</script>",
			Message:  "Owner @carol left;\nno new owner *recorded*.",
			Evidence: []audit.Evidence{{Label: "owner", Value: "carol (inactive)"}},
			Controls: []audit.Control{nhi7},
			Location: audit.Location{File: "demo:inventory.json"}, // the line is unknown
		},
		{
			Kind: "breakglass.review-late", Severity: audit.Low,
			Subject:  audit.Subject{Type: "session", ID: "bg-3"},
			Message:  "Emergency session bg-3 was reviewed 9 days after it ended.",
			Evidence: []audit.Evidence{{Label: "ended", Value: "2026-10-01T10:00:00Z"}, {Label: "reviewed", Value: "2026-10-10T10:00:00Z"}},
			Controls: []audit.Control{audit.Ref(audit.SP80053, "AU-6")},
			Location: audit.Location{File: "sessions.json", Line: 7}, // not one of the inputs
		},
		{
			Kind: "lifecycle.missing-reason", Severity: audit.Info,
			Subject: audit.Subject{Type: "grant", ID: "=cmd|' /C calc'!A0"},
			Message: "Grant g-12 records no business reason.",
		},
	}
	for i := range fs {
		fs[i] = fs[i].WithID()
	}
	r := audit.NewReport(evalTime, []audit.Input{
		{Name: "testdata/org bundle.json", SHA256: strings.Repeat("ab", 32), Bytes: 4096},
		{Name: "demo:inventory.json", SHA256: strings.Repeat("01", 32), Bytes: 1234},
	}, fs)
	r.Figures.Shares = []audit.Share{{Name: "active grants by path", Parts: []audit.Part{
		{Label: "standard", Count: 42}, {Label: "exception", Count: 5}, {Label: "emergency", Count: 3},
	}}}
	r.Figures.Monthly = []audit.Series{
		audit.MonthlySeries("exceptions granted", []time.Time{
			time.Date(2026, 8, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC),
		}, evalTime, 4),
		audit.MonthlySeries("emergency sessions opened", []time.Time{
			time.Date(2026, 9, 13, 0, 0, 0, 0, time.UTC),
		}, evalTime, 4),
	}
	return r
}

// render renders r in every format, by file name under testdata/formats.
func render(t *testing.T, r audit.Report) map[string][]byte {
	t.Helper()
	writers := map[string]func(io.Writer) error{
		"report.txt":        r.WriteText,
		"report.json":       r.WriteJSON,
		"report.sarif.json": r.WriteSARIF,
		"report.csv":        r.WriteCSV,
		"report.md":         r.WriteMarkdown,
		"report.html":       r.WriteHTML,
		"report.oscal.json": func(w io.Writer) error { return r.WriteOSCAL(w, nil) },
	}
	out := map[string][]byte{}
	for name, write := range writers {
		var b bytes.Buffer
		require.NoError(t, write(&b), name)
		out[name] = b.Bytes()
	}
	return out
}

// golden compares got with testdata/formats/name, or rewrites the file
// under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "formats", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./audit -run Golden -update")
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from its golden file (-want +got; run with -update if intended):\n%s", name, diff)
	}
}

func TestFormatsGolden(t *testing.T) {
	for name, got := range render(t, sampleReport()) {
		t.Run(name, func(t *testing.T) { golden(t, name, got) })
	}
	var b bytes.Buffer
	later := sampleReport()
	earlier := sampleReport()
	earlier.Findings = earlier.Findings[2:]
	earlier.Findings[0].Severity = audit.Critical
	earlier.Findings = append(earlier.Findings, audit.Finding{Kind: "sod.critical-access", Subject: audit.Subject{Type: "identity", ID: "dave"}, Message: "gone"}.WithID())
	require.NoError(t, later.Diff(earlier).WriteMarkdown(&b))
	golden(t, "delta.md", b.Bytes())
}

func TestFormatsDeterministic(t *testing.T) {
	base := render(t, sampleReport())
	for i := range 5 {
		r := sampleReport()
		// Reverse the findings, inputs and figures: the output must not
		// depend on the order they were given in.
		slices.Reverse(r.Findings)
		slices.Reverse(r.Inputs)
		slices.Reverse(r.Figures.Monthly)
		got := render(t, r)
		for name := range base {
			if !bytes.Equal(base[name], got[name]) {
				t.Fatalf("round %d: %s changed when inputs were reordered", i, name)
			}
		}
	}
}

func TestSARIFSchema(t *testing.T) {
	docs := map[string][]byte{}
	for _, tc := range []struct {
		name   string
		reason string
		report audit.Report
	}{
		{name: "sample", reason: "every severity, status and escaping case", report: sampleReport()},
		{name: "empty", reason: "no findings, no inputs: still a valid log with one run", report: audit.NewReport(evalTime, nil, nil)},
		{name: "kinds", reason: "a rule table from the kinds, found or not, beside rules guessed for kinds not described", report: withKinds(sampleReport())},
		{name: "kinds-only", reason: "no findings, yet a complete rule table", report: withKinds(audit.NewReport(evalTime, nil, nil))},
	} {
		var b bytes.Buffer
		require.NoError(t, tc.report.WriteSARIF(&b), tc.name)
		docs[tc.name] = b.Bytes()
	}
	validateAgainstSchema(t, "sarif-schema-2.1.0.json", docs)
}

func TestOSCALSchema(t *testing.T) {
	docs := map[string][]byte{}
	for _, tc := range []struct {
		name   string
		reason string
		report audit.Report
		opts   *audit.OSCALOptions
	}{
		{name: "sample", reason: "observations, findings in both states, several frameworks", report: sampleReport()},
		{name: "empty", reason: "no findings: reviewed-controls still needs a selection", report: audit.NewReport(evalTime, nil, nil)},
		{name: "reviewed", reason: "explicit reviewed controls give satisfied findings", report: sampleReport(),
			opts: &audit.OSCALOptions{Reviewed: []audit.Control{audit.Ref(audit.SP80053, "AC-3(2)"), audit.Ref(audit.AIRMF, "GOVERN 2.1")}, AssessmentPlan: "https://example.org/plans/iam.json"}},
	} {
		var b bytes.Buffer
		require.NoError(t, tc.report.WriteOSCAL(&b, tc.opts), tc.name)
		docs[tc.name] = b.Bytes()
	}
	validateAgainstSchema(t, "oscal_complete_schema-1.1.3.json", docs)
}

// sarifDoc is the part of a SARIF log the tests inspect.
type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID         string `json:"id"`
					Properties struct {
						SecuritySeverity string   `json:"security-severity"`
						Tags             []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID              string            `json:"ruleId"`
			RuleIndex           int               `json:"ruleIndex"`
			Level               string            `json:"level"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Status string `json:"status"`
			} `json:"suppressions"`
			Properties struct {
				SecuritySeverity string `json:"security-severity"`
			} `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFTracking(t *testing.T) {
	r := sampleReport()
	var b bytes.Buffer
	require.NoError(t, r.WriteSARIF(&b))
	var doc sarifDoc
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.Equal(t, "2.1.0", doc.Version)
	require.Len(t, doc.Runs, 1)
	run := doc.Runs[0]
	rules := run.Tool.Driver.Rules
	require.Len(t, run.Results, len(r.Findings))
	for i, res := range run.Results {
		f := r.Findings[i]
		require.Equal(t, string(f.Kind), res.RuleID, "ruleId is the finding kind")
		require.Equal(t, res.RuleID, rules[res.RuleIndex].ID, "ruleIndex points at the rule")
		require.Equal(t, f.ID, res.PartialFingerprints[audit.SARIFFingerprint])
		require.Regexp(t, `^\d+\.\d$`, res.Properties.SecuritySeverity)
		require.NotEmpty(t, rules[res.RuleIndex].Properties.SecuritySeverity)
		require.Equal(t, f.Status == audit.Mitigated, len(res.Suppressions) == 1, "mitigated findings are suppressed")
	}
	require.True(t, slices.IsSortedFunc(rules, func(a, b struct {
		ID         string `json:"id"`
		Properties struct {
			SecuritySeverity string   `json:"security-severity"`
			Tags             []string `json:"tags"`
		} `json:"properties"`
	}) int {
		return strings.Compare(a.ID, b.ID)
	}), "rules sorted by ID")
	// The rule's severity is its most severe finding's.
	for _, rule := range rules {
		if rule.ID == "sod.toxic-combination" {
			require.Equal(t, "9.5", rule.Properties.SecuritySeverity)
			require.Contains(t, rule.Properties.Tags, "NIST SP 800-53 Rev. 5 AC-5")
		}
	}
}

func TestOSCALDeterministicUUIDs(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, sampleReport().WriteOSCAL(&a, nil))
	require.NoError(t, sampleReport().WriteOSCAL(&b, nil))
	require.Equal(t, a.String(), b.String(), "a re-export is byte-identical")

	uuids := regexp.MustCompile(`"(?:uuid|[a-z-]+-uuid)": "([^"]+)"`).FindAllStringSubmatch(a.String(), -1)
	require.NotEmpty(t, uuids)
	v5 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	defined := map[string]bool{}
	for _, m := range regexp.MustCompile(`"uuid": "([^"]+)"`).FindAllStringSubmatch(a.String(), -1) {
		require.False(t, defined[m[1]], "uuid %s defined twice", m[1])
		defined[m[1]] = true
	}
	for _, m := range uuids {
		require.Regexp(t, v5, m[1])
	}

	// A different report gets a different document UUID; the same finding
	// keeps its subject UUID.
	r := sampleReport()
	r.Findings = r.Findings[1:]
	var c bytes.Buffer
	require.NoError(t, r.WriteOSCAL(&c, nil))
	require.NotEqual(t, docUUID(t, a.Bytes()), docUUID(t, c.Bytes()))
}

func docUUID(t *testing.T, b []byte) string {
	var doc struct {
		AR struct {
			UUID string `json:"uuid"`
		} `json:"assessment-results"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	return doc.AR.UUID
}

func TestOSCALFindingStates(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, sampleReport().WriteOSCAL(&b, &audit.OSCALOptions{Reviewed: []audit.Control{
		audit.Ref(audit.SP80053, "AC-5"), audit.Ref(audit.SP80053, "AC-3(2)"), audit.Ref(audit.SP80053, "AC-6(5)"),
	}}))
	var doc struct {
		AR struct {
			Results []struct {
				Findings []struct {
					Target struct {
						TargetID string `json:"target-id"`
						Status   struct {
							State  string `json:"state"`
							Reason string `json:"reason"`
						} `json:"status"`
					} `json:"target"`
					Related []struct {
						UUID string `json:"observation-uuid"`
					} `json:"related-observations"`
				} `json:"findings"`
			} `json:"results"`
		} `json:"assessment-results"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	got := map[string]string{}
	for _, f := range doc.AR.Results[0].Findings {
		got[f.Target.TargetID] = fmt.Sprintf("%s/%s/%d", f.Target.Status.State, f.Target.Status.Reason, len(f.Related))
	}
	want := map[string]string{
		"ac-5":   "not-satisfied/fail/2", // alice open, bob mitigated
		"ac-3.2": "satisfied/pass/0",     // reviewed, nothing found
		"ac-6.5": "not-satisfied/fail/1", // g-9
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("OSCAL findings (-want +got):\n%s", diff)
	}
}

func TestOSCALRejectsOutOfRangeTime(t *testing.T) {
	var b bytes.Buffer
	err := audit.NewReport(time.Time{}, nil, nil).WriteOSCAL(&b, nil)
	require.ErrorContains(t, err, "outside the years OSCAL accepts")
}

func TestCSV(t *testing.T) {
	r := sampleReport()
	var b bytes.Buffer
	require.NoError(t, r.WriteCSV(&b))
	rows, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(r.Findings)+1)
	require.Equal(t, audit.CSVColumns(), rows[0])
	for i, f := range r.Findings {
		require.Equal(t, f.ID, rows[i+1][0])
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" {
				require.NotContains(t, "=+-@", cell[:1], "cell %q would run as a formula", cell)
			}
		}
	}
}

func TestMarkdownEscapesAndFits(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		n      int
	}{
		{name: "few", reason: "everything listed with details", n: 3},
		{name: "many", reason: "past the comment limit: counted, not listed", n: 5000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var fs []audit.Finding
			for i := range tc.n {
				fs = append(fs, audit.Finding{
					Kind: "sod.toxic-combination", Severity: audit.High,
					Subject:  audit.Subject{Type: "identity", ID: fmt.Sprintf("user-%04d", i)},
					Message:  "x | y <b>bold</b> [link](http://evil) @team",
					Evidence: []audit.Evidence{{Label: "why", Value: "`code` *em*"}},
				}.WithID())
			}
			var b bytes.Buffer
			require.NoError(t, audit.NewReport(evalTime, nil, fs).WriteMarkdown(&b))
			out := b.String()
			require.Less(t, len(out), audit.MarkdownLimit)
			for _, bad := range []string{"<b>", "[link](", " @team", "`code`"} {
				require.False(t, strings.Contains(out, bad), "unescaped %q in the Markdown", bad)
			}
			if tc.n > 100 {
				require.True(t, strings.Contains(out, "more findings not listed"), "omitted findings are counted")
			} else {
				require.True(t, strings.Contains(out, "<details>"), "details are listed")
			}
		})
	}
}

func TestReportJSONCarriesFigures(t *testing.T) {
	r := sampleReport()
	var b bytes.Buffer
	require.NoError(t, r.WriteJSON(&b))
	back, err := audit.ReadReport(&b)
	require.NoError(t, err)
	require.Equal(t, r.Figures.Shares, back.Figures.Shares)
	require.Len(t, back.Figures.BySeverity, 5)
	var again bytes.Buffer
	require.NoError(t, back.WriteJSON(&again))
	var first bytes.Buffer
	require.NoError(t, r.WriteJSON(&first))
	require.Equal(t, first.String(), again.String(), "a JSON report survives a round trip byte for byte")
}

// TestMachineFormatsKeepInputText shows that escaping is for people only:
// JSON, SARIF and OSCAL carry forged text byte for byte (encoding/json
// escapes it), so programs see the data as it was. Invalid UTF-8 is the
// exception: JSON cannot hold it, and encoding/json writes U+FFFD.
func TestMachineFormatsKeepInputText(t *testing.T) {
	s := strings.TrimSuffix(forged, "\xff") // valid UTF-8, every control kept
	f := audit.Finding{Kind: "sod.toxic-combination", Rule: "r" + s, Subject: audit.Subject{Type: "identity", ID: "m" + s},
		Message: s, Evidence: []audit.Evidence{{Label: "l" + s, Value: s}}, Remediation: "fix" + s}.WithID()
	f.Location = audit.Location{File: "org" + s, Line: 9}
	r := audit.NewReport(evalTime, []audit.Input{{Name: "org" + s, SHA256: strings.Repeat("ab", 32), Bytes: 1}}, []audit.Finding{f})

	var js bytes.Buffer
	require.NoError(t, r.WriteJSON(&js))
	back, err := audit.ReadReport(&js)
	require.NoError(t, err)
	require.Equal(t, r.Findings, back.Findings, "JSON round-trips the findings unchanged")
	require.Equal(t, r.Inputs, back.Inputs, "and the input names")

	var sarif bytes.Buffer
	require.NoError(t, r.WriteSARIF(&sarif))
	var sdoc struct {
		Runs []struct {
			Results []struct {
				Message    struct{ Text string }
				Properties struct {
					Subject, Rule, Remediation string
					Evidence                   []string
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(sarif.Bytes(), &sdoc))
	res := sdoc.Runs[0].Results[0]
	require.Equal(t, s, res.Message.Text, "SARIF carries the message unchanged")
	require.Equal(t, f.Subject.String(), res.Properties.Subject)
	require.Equal(t, f.Rule, res.Properties.Rule)
	require.Equal(t, f.Remediation, res.Properties.Remediation)
	require.Equal(t, []string{f.Evidence[0].String()}, res.Properties.Evidence)

	var oscal bytes.Buffer
	require.NoError(t, r.WriteOSCAL(&oscal, nil))
	var odoc struct {
		AR struct {
			Results []struct {
				Observations []struct {
					Description      string
					Subjects         []struct{ Title string }
					RelevantEvidence []struct{ Description string } `json:"relevant-evidence"`
				}
			}
		} `json:"assessment-results"`
	}
	require.NoError(t, json.Unmarshal(oscal.Bytes(), &odoc))
	obs := odoc.AR.Results[0].Observations[0]
	require.Equal(t, s, obs.Description, "OSCAL carries the message unchanged")
	require.Equal(t, f.Subject.String(), obs.Subjects[0].Title)
	require.Equal(t, f.Evidence[0].String(), obs.RelevantEvidence[0].Description)

	// Invalid UTF-8 cannot be carried by JSON; it becomes U+FFFD rather
	// than invalid output.
	bad := audit.NewReport(evalTime, nil, []audit.Finding{{ID: "sk-1", Kind: "k", Message: "a\xffb"}})
	js.Reset()
	require.NoError(t, bad.WriteJSON(&js))
	require.True(t, utf8.Valid(js.Bytes()))
	back, err = audit.ReadReport(&js)
	require.NoError(t, err)
	require.Equal(t, "a\uFFFDb", back.Findings[0].Message)
}

func withKinds(r audit.Report) audit.Report {
	r.Kinds = sampleKinds()
	return r
}

// sarifRule is a SARIF rule as the rule-table test reads it.
type sarifRule struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	ShortDescription struct {
		Text string `json:"text"`
	} `json:"shortDescription"`
	FullDescription struct {
		Text string `json:"text"`
	} `json:"fullDescription"`
	Help struct {
		Text string `json:"text"`
	} `json:"help"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
	Properties struct {
		SecuritySeverity string   `json:"security-severity"`
		Tags             []string `json:"tags"`
	} `json:"properties"`
}

func TestSARIFRuleTable(t *testing.T) {
	r := withKinds(sampleReport())
	var b bytes.Buffer
	require.NoError(t, r.WriteSARIF(&b))
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []sarifRule `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	rules := doc.Runs[0].Tool.Driver.Rules
	ids := make([]string, len(rules))
	byID := map[string]sarifRule{}
	for i, rule := range rules {
		ids[i] = rule.ID
		byID[rule.ID] = rule
	}
	require.Equal(t, []string{
		"breakglass.review-late", "lifecycle.missing-reason", "lifecycle.no-expiry",
		"raci.unowned-nhi", "sod.exception-expired", "sod.toxic-combination",
	}, ids, "every kind described, found or not, and the kinds found but not described, sorted")
	for _, res := range doc.Runs[0].Results {
		require.Equal(t, res.RuleID, rules[res.RuleIndex].ID, "ruleIndex points at the rule")
	}

	tests := []struct {
		name   string
		reason string
		rule   string
		want   sarifRule
	}{
		{name: "described", reason: "title, help and remediation from the kind; its default severity, not its worst finding's (critical)", rule: "sod.toxic-combination",
			want: rule("sod.toxic-combination", "SodToxicCombination", "Toxic combination",
				"An identity holds k sides of a rule. Controls: NIST CSF 2.0 PR.AA-05 Access permissions, entitlements, and authorizations are defined in a policy, managed, enforced, and reviewed, and incorporate the principles of least privilege and separation of duties; NIST SP 800-53 Rev. 5 AC-5 Separation of Duties.",
				" Remediation: Remove one side.", "error", "8.0", "NIST CSF 2.0 PR.AA-05", "NIST SP 800-53 Rev. 5 AC-5")},
		{name: "not found", reason: "a kind the run could report has its rule even without findings", rule: "sod.exception-expired",
			want: rule("sod.exception-expired", "SodExceptionExpired", "Exception expired",
				"An exception's validity has ended. Controls: NIST SP 800-53 Rev. 5 AC-5 Separation of Duties.",
				" Remediation: Renew or remove.", "note", "3.0", "NIST SP 800-53 Rev. 5 AC-5")},
		{name: "guessed", reason: "a kind not described gets the rule a report without kinds gives it", rule: "raci.unowned-nhi",
			want: rule("raci.unowned-nhi", "RaciUnownedNhi", "raci: unowned nhi",
				"Findings of kind raci.unowned-nhi. Controls: OWASP NHI Top 10 2025 NHI7:2025 Long-Lived Secrets.",
				"", "warning", "5.5", "OWASP NHI Top 10 2025 NHI7:2025")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, byID[tc.rule], tc.reason)
		})
	}

	// Kinds are not part of the JSON report, so a report read back renders
	// the SARIF a report without kinds renders.
	var withK, without bytes.Buffer
	require.NoError(t, r.WriteJSON(&withK))
	require.NoError(t, sampleReport().WriteJSON(&without))
	require.Equal(t, without.String(), withK.String(), "the JSON report does not carry kinds")
	back, err := audit.ReadReport(&withK)
	require.NoError(t, err)
	require.Empty(t, back.Kinds)
}

func rule(id, name, title, full, remediation, level, score string, controls ...string) sarifRule {
	var r sarifRule
	r.ID, r.Name, r.ShortDescription.Text = id, name, title
	r.FullDescription.Text, r.Help.Text = full, full+remediation
	r.DefaultConfiguration.Level = level
	r.Properties.SecuritySeverity = score
	r.Properties.Tags = append([]string{"security", "access-governance"}, controls...)
	return r
}
