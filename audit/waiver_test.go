package audit_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

var waiverExpiry = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func TestWaiverInForce(t *testing.T) {
	w := audit.Waiver{ID: "w-1", Kinds: []audit.Kind{"x.a"}, Owner: "pat", Reason: "r", Expires: waiverExpiry}
	tests := []struct {
		name   string
		reason string
		w      audit.Waiver
		at     time.Time
		want   bool
	}{
		{"before", "a waiver applies until it expires", w, waiverExpiry.Add(-time.Nanosecond), true},
		{"at expiry", "half-open, like an exception: at the expiry instant it no longer applies", w, waiverExpiry, false},
		{"after", "an expired waiver applies no more", w, waiverExpiry.Add(time.Hour), false},
		{"other zone", "times compare as instants, whatever their zone", w, waiverExpiry.In(time.FixedZone("CET", 3600)).Add(-time.Second), true},
		{"no expiry", "a waiver without an expiry is never in force: fail closed", audit.Waiver{ID: "w-2", Kinds: []audit.Kind{"x.a"}}, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.w.InForce(tt.at), tt.reason)
		})
	}
}

func TestWaiverMatches(t *testing.T) {
	f := audit.Finding{Kind: "raci.recertification-overdue", Subject: audit.Subject{Type: "grant", ID: "g-1"}}.WithID()
	tests := []struct {
		name   string
		reason string
		w      audit.Waiver
		f      audit.Finding
		want   bool
	}{
		{"by kind", "a kind waiver without a subject names every finding of the kind",
			audit.Waiver{Kinds: []audit.Kind{"sod.toxic-combination", f.Kind}}, f, true},
		{"by kind and subject", "the subject narrows the kinds to one record",
			audit.Waiver{Kinds: []audit.Kind{f.Kind}, Subject: audit.Subject{Type: "grant", ID: "g-1"}}, f, true},
		{"other subject", "a finding about another record is not named",
			audit.Waiver{Kinds: []audit.Kind{f.Kind}, Subject: audit.Subject{Type: "grant", ID: "g-2"}}, f, false},
		{"same ID, other type", "a subject is its type and ID",
			audit.Waiver{Kinds: []audit.Kind{f.Kind}, Subject: audit.Subject{Type: "identity", ID: "g-1"}}, f, false},
		{"other kind", "a kind waiver names only its kinds",
			audit.Waiver{Kinds: []audit.Kind{"raci.no-owner"}}, f, false},
		{"by ID", "a finding waiver names findings by their stable ID",
			audit.Waiver{Findings: []string{"sk-00000000000000000000", f.ID}}, f, true},
		{"other ID", "an ID waiver names only its IDs",
			audit.Waiver{Findings: []string{"sk-00000000000000000000"}}, f, false},
		{"no ID", "a finding without an ID is never named by ID, even by an empty entry",
			audit.Waiver{Findings: []string{""}}, audit.Finding{Kind: "x.a"}, false},
		{"zero waiver", "the zero waiver names nothing", audit.Waiver{}, f, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.w.Matches(tt.f), tt.reason)
		})
	}
}

func TestWaive(t *testing.T) {
	w := audit.Waiver{ID: "w-1", Kinds: []audit.Kind{"x.a"}, Owner: "pat", Reason: "campaign closes in November", Expires: waiverExpiry}
	open := audit.Finding{Kind: "x.a", Severity: audit.High, Subject: audit.Subject{Type: "grant", ID: "g-1"},
		Message: "grant g-1 is overdue", Evidence: make([]audit.Evidence, 1, 4)}.WithID()
	got := w.Waive(open)
	require.Equal(t, open.ID, got.ID, "waiving never changes a finding's ID")
	require.Equal(t, audit.Waived, got.Status)
	require.Equal(t, "grant g-1 is overdue; waived by waiver w-1 until 2026-12-01T00:00:00Z", got.Message)
	require.Equal(t, audit.Evidence{Label: "waived by waiver w-1", Value: "owner pat; expires 2026-12-01T00:00:00Z; reason: campaign closes in November"},
		got.Evidence[len(got.Evidence)-1], "the evidence names the waiver, its owner, expiry and reason")
	require.Equal(t, audit.Open, open.Status, "the finding given is not modified")
	require.Equal(t, audit.Evidence{}, open.Evidence[:cap(open.Evidence)][1], "nor the array behind its evidence")

	indeterminate := open
	indeterminate.Status = audit.Indeterminate
	require.Equal(t, audit.Waived, w.Waive(indeterminate).Status, "an indeterminate finding fails a gate, so it can be waived")

	for _, s := range []audit.Status{audit.Mitigated, audit.Waived} {
		f := open
		f.Status = s
		require.Equal(t, f, w.Waive(f), "a %s finding is accounted for already and stays as it is", s)
	}
}

// waivedReport holds an open, a mitigated and a waived finding, all citing
// AC-5, and one waived finding alone under AC-6.
func waivedReport() audit.Report {
	ac5, ac6 := audit.Ref(audit.SP80053, "AC-5"), audit.Ref(audit.SP80053, "AC-6")
	w := audit.Waiver{ID: "w-1", Kinds: []audit.Kind{"x.waived"}, Owner: "pat", Reason: "accepted until the migration", Expires: waiverExpiry}
	fs := []audit.Finding{
		{Kind: "x.open", Severity: audit.High, Subject: audit.Subject{Type: "identity", ID: "a"}, Controls: []audit.Control{ac5}},
		{Kind: "x.mitigated", Severity: audit.High, Status: audit.Mitigated, Subject: audit.Subject{Type: "identity", ID: "b"}, Controls: []audit.Control{ac5}},
		{Kind: "x.waived", Severity: audit.High, Subject: audit.Subject{Type: "identity", ID: "c"}, Message: "c is waived", Controls: []audit.Control{ac5}},
		{Kind: "x.waived", Severity: audit.Critical, Subject: audit.Subject{Type: "identity", ID: "d"}, Message: "d is waived", Controls: []audit.Control{ac6}},
	}
	for i := range fs {
		fs[i] = fs[i].WithID()
		if w.Matches(fs[i]) {
			fs[i] = w.Waive(fs[i])
		}
	}
	return audit.NewReport(evalTime, []audit.Input{{Name: "b.json", SHA256: strings.Repeat("0", 64)}}, fs)
}

// TestWaivedInEveryFormat checks that a waived finding is shown as waived
// in every format, never left out, and that gates ignore it.
func TestWaivedInEveryFormat(t *testing.T) {
	r := waivedReport()
	require.Len(t, r.Failing(audit.Info), 1, "only the open finding fails a gate")
	require.Equal(t, 2, r.Summary().ByStatus[audit.Waived])
	require.Equal(t, 1, r.Summary().Failing)
	out := render(t, r)

	text := string(out["report.txt"])
	require.Contains(t, text, "4 findings (1 critical, 3 high); 1 mitigated by exceptions; 2 waived")
	require.Contains(t, text, "CRITICAL x.waived identity d [waived]")
	require.Contains(t, text, "  - waived by waiver w-1: owner pat; expires 2026-12-01T00:00:00Z; reason: accepted until the migration")

	back, err := audit.ReadReport(bytes.NewReader(out["report.json"]))
	require.NoError(t, err, "a report with waived findings reads back")
	require.Equal(t, r.Findings, back.Findings, "status and evidence survive the JSON report")
	require.Contains(t, string(out["report.json"]), `"waived": 2`, "the summary counts them")

	var sarif struct {
		Runs []struct {
			Results []struct {
				Fingerprints map[string]string `json:"partialFingerprints"`
				Suppressions []struct {
					Kind, Status, Justification string
				} `json:"suppressions"`
				Properties struct{ Status string } `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(out["report.sarif.json"], &sarif))
	for i, res := range sarif.Runs[0].Results {
		f := r.Findings[i]
		require.Equal(t, f.ID, res.Fingerprints[audit.SARIFFingerprint])
		require.Equal(t, f.Status.String(), res.Properties.Status)
		if f.Status != audit.Waived {
			continue
		}
		require.Len(t, res.Suppressions, 1, "a waived result carries a suppression, as SARIF marks accepted results")
		s := res.Suppressions[0]
		require.Equal(t, "external", s.Kind)
		require.Equal(t, "accepted", s.Status)
		require.Equal(t, "Waived by waiver w-1: owner pat; expires 2026-12-01T00:00:00Z; reason: accepted until the migration", s.Justification)
	}

	rows, err := csv.NewReader(bytes.NewReader(out["report.csv"])).ReadAll()
	require.NoError(t, err)
	status := slices.Index(rows[0], "status")
	var statuses []string
	for _, row := range rows[1:] {
		statuses = append(statuses, row[status])
	}
	require.Equal(t, []string{"waived", "mitigated", "open", "waived"}, statuses, "CSV rows in report order (critical first, then by kind)")

	md := string(out["report.md"])
	require.Contains(t, md, "| critical | waived | `x.waived` | identity d |")
	require.Contains(t, md, "2 waived")

	oscal := string(out["report.oscal.json"])
	require.Contains(t, oscal, `"name": "status",`)
	require.Contains(t, oscal, `"value": "waived"`)
	require.Equal(t, map[string]string{
		"ac-5": "not-satisfied/fail",  // an open finding beside the mitigated and waived ones
		"ac-6": "not-satisfied/other", // only waived: accepted, not met
	}, oscalStates(t, out["report.oscal.json"]))
	require.Contains(t, oscal, "1 sodkit finding citing NIST SP 800-53 Rev. 5 AC-5 Separation of Duties needs action; 1 more is covered by approved exceptions; 1 more is waived until its waiver expires.")

	validateAgainstSchema(t, "sarif-schema-2.1.0.json", map[string][]byte{"waived": out["report.sarif.json"]})
	validateAgainstSchema(t, "oscal_complete_schema-1.1.3.json", map[string][]byte{"waived": out["report.oscal.json"]})
}

// oscalStates returns each OSCAL finding's target and its "state/reason".
func oscalStates(t *testing.T, doc []byte) map[string]string {
	t.Helper()
	var d struct {
		AR struct {
			Results []struct {
				Findings []struct {
					Target struct {
						TargetID string `json:"target-id"`
						Status   struct{ State, Reason string }
					} `json:"target"`
				} `json:"findings"`
			} `json:"results"`
		} `json:"assessment-results"`
	}
	require.NoError(t, json.Unmarshal(doc, &d))
	out := map[string]string{}
	for _, f := range d.AR.Results[0].Findings {
		out[f.Target.TargetID] = f.Target.Status.State + "/" + f.Target.Status.Reason
	}
	return out
}

// ExampleWaiver_Waive waives a finding by kind and subject: the finding
// keeps its ID, no longer fails a gate, and names the waiver.
func ExampleWaiver_Waive() {
	w := audit.Waiver{
		ID:      "w-recert-bob",
		Kinds:   []audit.Kind{"raci.recertification-overdue"},
		Subject: audit.Subject{Type: "grant", ID: "g-111"},
		Owner:   "fiona",
		Reason:  "reviewed in the Q4 campaign",
		Expires: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
	}
	f := audit.Finding{Kind: "raci.recertification-overdue", Severity: audit.High,
		Subject: audit.Subject{Type: "grant", ID: "g-111"}, Message: "grant g-111 is overdue"}.WithID()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	if w.Matches(f) && w.InForce(at) {
		waived := w.Waive(f)
		fmt.Println(waived.ID == f.ID, waived.Status, waived.Status.Failing())
		fmt.Println(waived.Message)
		fmt.Println(waived.Evidence[len(waived.Evidence)-1])
	}
	// Output:
	// true waived false
	// grant g-111 is overdue; waived by waiver w-recert-bob until 2026-12-01T00:00:00Z
	// waived by waiver w-recert-bob: owner fiona; expires 2026-12-01T00:00:00Z; reason: reviewed in the Q4 campaign
}

// ExampleFinding_WaivedBy tells which waiver waived a finding of a report,
// without reading evidence labels.
func ExampleFinding_WaivedBy() {
	w := audit.Waiver{ID: "W-2026-011", Kinds: []audit.Kind{"raci.recertification-overdue"},
		Owner: "fiona", Reason: "Q4 campaign", Expires: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	f := audit.Finding{Kind: "raci.recertification-overdue", Severity: audit.High,
		Subject: audit.Subject{Type: "grant", ID: "g-111"}}.WithID()
	fmt.Printf("%q\n", f.WaivedBy())
	fmt.Printf("%q\n", w.Waive(f).WaivedBy())
	// Output:
	// ""
	// "W-2026-011"
}
