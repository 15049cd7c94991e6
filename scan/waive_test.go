package scan_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/scan"
)

// demoAt is the demo's as_of, the time the waiver tests scan at.
var demoAt = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// demoWith returns the demo's sources without its own waivers, followed by
// a file "w.json" holding waivers, the JSON objects given.
func demoWith(waivers ...string) []bundle.Source {
	srcs := slices.DeleteFunc(demo.Sources(), func(s bundle.Source) bool { return s.Name == demo.Prefix+"waivers.json" })
	if len(waivers) == 0 {
		return srcs
	}
	text := `{"format": "sodkit.bundle/v1", "waivers": [` + "\n" + strings.Join(waivers, ",\n") + "\n]}"
	return append(srcs, bundle.Source{Name: "w.json", Reader: strings.NewReader(text)})
}

// waiverJSON writes one waiver: names is `"kinds": […]` or `"findings": […]`
// (with any subject).
func waiverJSON(id, names, owner string, expires time.Time) string {
	return fmt.Sprintf(`{"id": %q, %s, "owner": %q, "reason": "accepted for the test", "expires": %q}`,
		id, names, owner, expires.Format(time.RFC3339Nano))
}

func scanSources(t *testing.T, opts scan.Options, srcs []bundle.Source) (audit.Report, error) {
	t.Helper()
	b, err := bundle.Load(srcs...)
	require.NoError(t, err)
	return scan.RunWith(b, demoAt, opts)
}

// find returns the findings of kind about subject ("grant g-111").
func find(r audit.Report, kind audit.Kind, subject string) []audit.Finding {
	var out []audit.Finding
	for _, f := range r.Findings {
		if f.Kind == kind && (subject == "" || f.Subject.String() == subject) {
			out = append(out, f)
		}
	}
	return out
}

func one(t *testing.T, r audit.Report, kind audit.Kind, subject string) audit.Finding {
	t.Helper()
	fs := find(r, kind, subject)
	require.Len(t, fs, 1, "%s %s", kind, subject)
	return fs[0]
}

const recert = audit.Kind("raci.recertification-overdue")

func TestWaivers(t *testing.T) {
	plain, err := scanSources(t, scan.Options{}, demoWith())
	require.NoError(t, err)
	bob := one(t, plain, recert, "grant g-111") // bob's overdue recertification
	tom := one(t, plain, recert, "grant g-131") // tom's
	i := slices.IndexFunc(plain.Findings, func(f audit.Finding) bool { return f.Status == audit.Mitigated })
	require.GreaterOrEqual(t, i, 0, "the demo has a mitigated violation")
	mitigated := plain.Findings[i]
	later := demoAt.Add(30 * 24 * time.Hour)
	bobOnly := `"kinds": ["raci.recertification-overdue"], "subject": {"type": "grant", "id": "g-111"}`

	type want struct {
		waived  []string // subjects of the findings of kind recert now waived
		about   []string // "kind waiver-ID" of the findings about waivers
		by      string   // the waiver that waives bob's finding, if it is waived
		failing int      // how many more findings fail a gate than without waivers (negative: fewer)
	}
	tests := []struct {
		name    string
		reason  string
		waivers []string
		opts    scan.Options
		want    want
	}{
		{name: "by kind and subject", reason: "the subject narrows the kind to bob's grant",
			waivers: []string{waiverJSON("w-1", bobOnly, "fiona", later)},
			want:    want{waived: []string{"grant g-111"}, by: "w-1", failing: -1}},
		{name: "by kind", reason: "a kind waiver without a subject waives every finding of the kind",
			waivers: []string{waiverJSON("w-1", `"kinds": ["raci.recertification-overdue"]`, "fiona", later)},
			want:    want{waived: subjects(find(plain, recert, "")), by: "w-1", failing: -len(find(plain, recert, ""))}},
		{name: "by ID", reason: "a finding waiver waives the findings with those IDs, whatever their kind",
			waivers: []string{waiverJSON("w-1", `"findings": ["`+bob.ID+`", "`+tom.ID+`"]`, "fiona", later)},
			want:    want{waived: []string{"grant g-111", "grant g-131"}, by: "w-1", failing: -2}},
		{name: "one before expiry", reason: "a waiver applies until the instant it expires",
			waivers: []string{waiverJSON("w-1", bobOnly, "fiona", demoAt.Add(time.Nanosecond))},
			want:    want{waived: []string{"grant g-111"}, by: "w-1", failing: -1}},
		{name: "exactly at expiry", reason: "at its expiry a waiver no longer applies: the finding is open, and the waiver is itself a finding",
			waivers: []string{waiverJSON("w-1", bobOnly, "fiona", demoAt)},
			want:    want{about: []string{"waiver.expired w-1 high"}, failing: +1}},
		{name: "long expired", reason: "an expired waiver that names nothing open any more is still reported, low",
			waivers: []string{waiverJSON("w-1", `"kinds": ["raci.no-owner"], "subject": {"type": "rule", "id": "gone"}`, "fiona", demoAt.Add(-time.Hour))},
			want:    want{about: []string{"waiver.expired w-1 low"}, failing: +1}},
		{name: "owner left", reason: "a waiver whose owner is offboarded waives nothing and is a finding",
			waivers: []string{waiverJSON("w-1", bobOnly, "carl", later)},
			want:    want{about: []string{"waiver.unowned w-1 medium"}, failing: +1}},
		{name: "owner not a person", reason: "a service account cannot answer for a risk",
			waivers: []string{waiverJSON("w-1", bobOnly, "svc-erp-sync", later)},
			want:    want{about: []string{"waiver.unowned w-1 medium"}, failing: +1}},
		{name: "owner unknown", reason: "nor can someone the inventory does not know",
			waivers: []string{waiverJSON("w-1", bobOnly, "ghost", later)},
			want:    want{about: []string{"waiver.unowned w-1 medium"}, failing: +1}},
		{name: "owner a party", reason: "a team with an active person in it owns the waiver",
			waivers: []string{waiverJSON("w-1", bobOnly, "finance-managers", later)},
			want:    want{waived: []string{"grant g-111"}, by: "w-1", failing: -1}},
		{name: "unused", reason: "a waiver in force that names no finding is reported, like an orphaned exception",
			waivers: []string{waiverJSON("w-1", `"kinds": ["sod.toxic-combination"], "subject": {"type": "identity", "id": "nina"}`, "fiona", later)},
			want:    want{about: []string{"waiver.unused w-1 low"}, failing: +1}},
		{name: "mitigated stays mitigated", reason: "an exception already covers it; the waiver is used, not unused",
			waivers: []string{waiverJSON("w-1", `"findings": ["`+mitigated.ID+`"]`, "fiona", later)},
			want:    want{}},
		{name: "first waiver wins", reason: "of two waivers in force, the first in input order is named",
			waivers: []string{waiverJSON("w-2", bobOnly, "fiona", later), waiverJSON("w-1", `"findings": ["`+bob.ID+`"]`, "fiona", later)},
			want:    want{waived: []string{"grant g-111"}, by: "w-2", failing: -1}},
		{name: "expired beside one in force", reason: "the one in force waives; the expired one is reported, low, as nothing waits on it",
			waivers: []string{waiverJSON("w-1", bobOnly, "fiona", demoAt), waiverJSON("w-2", bobOnly, "fiona", later)},
			want:    want{waived: []string{"grant g-111"}, by: "w-2", about: []string{"waiver.expired w-1 low"}, failing: 0}},
		{name: "waiver kinds skipped", reason: "skipping the waiver package drops the findings about waivers, never the waiving",
			waivers: []string{waiverJSON("w-1", bobOnly, "fiona", later), waiverJSON("w-2", bobOnly, "fiona", demoAt)},
			opts:    scan.Options{Skip: []string{"waiver"}},
			want:    want{waived: []string{"grant g-111"}, by: "w-1", failing: -1}},
		{name: "kind skipped, not unused", reason: "a waiver of a kind the scan skipped cannot be judged unused",
			waivers: []string{waiverJSON("w-1", `"kinds": ["sod.toxic-combination"]`, "fiona", later)},
			opts:    scan.Options{Skip: []string{"sod"}},
			want:    want{}},
		{name: "ID waiver in a partial scan", reason: "the kind of a missing finding is unknown, so a partial scan does not call it unused",
			waivers: []string{waiverJSON("w-1", `"findings": ["sk-00000000000000000000"]`, "fiona", later)},
			opts:    scan.Options{Skip: []string{"breakglass"}},
			want:    want{}},
		{name: "ID waiver in a full scan", reason: "a full scan sees every finding, so an ID it does not find is unused",
			waivers: []string{waiverJSON("w-1", `"findings": ["sk-00000000000000000000"]`, "fiona", later)},
			want:    want{about: []string{"waiver.unused w-1 low"}, failing: +1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := scanSources(t, tt.opts, demoWith())
			require.NoError(t, err)
			r, err := scanSources(t, tt.opts, demoWith(tt.waivers...))
			require.NoError(t, err, tt.reason)
			require.Equal(t, len(base.Findings)+len(tt.want.about), len(r.Findings), "%s: waivers hide no finding", tt.reason)
			var waived []string
			for _, f := range find(r, recert, "") {
				if f.Status == audit.Waived {
					waived = append(waived, f.Subject.String())
				}
			}
			require.ElementsMatch(t, tt.want.waived, waived, tt.reason)
			var about []string
			for _, f := range r.Findings {
				if f.Subject.Type == "waiver" {
					about = append(about, fmt.Sprintf("%s %s %s", f.Kind, f.Subject.ID, f.Severity))
					require.Equal(t, audit.Location{File: "w.json", Line: 2 + slices.IndexFunc(tt.waivers, func(w string) bool {
						return strings.Contains(w, `"id": "`+f.Subject.ID+`"`)
					})}, f.Location, "a finding about a waiver is placed at its record")
				}
			}
			require.ElementsMatch(t, tt.want.about, about, tt.reason)
			require.Equal(t, len(base.Failing(audit.Info))+tt.want.failing, len(r.Failing(audit.Info)), "%s: gates ignore waived findings", tt.reason)

			got := one(t, r, recert, "grant g-111")
			require.Equal(t, bob.ID, got.ID, "waiving never changes an ID")
			if tt.want.by != "" {
				require.Equal(t, audit.Waived, got.Status)
				require.Equal(t, "waived by waiver "+tt.want.by, got.Evidence[len(got.Evidence)-1].Label, "the waiver is named in the evidence")
				require.Contains(t, got.Message, "waived by waiver "+tt.want.by+" until ")
			} else if slices.ContainsFunc(base.Findings, func(f audit.Finding) bool { return f.ID == bob.ID }) {
				require.Equal(t, audit.Open, got.Status, "%s: not waived, open", tt.reason)
				require.Equal(t, bob.Evidence, got.Evidence)
			}
			j := slices.IndexFunc(r.Findings, func(f audit.Finding) bool { return f.ID == mitigated.ID })
			if j >= 0 { // unless sod was skipped
				require.Equal(t, mitigated, r.Findings[j], "an exception's mitigation is never replaced by a waiver")
			}
		})
	}
}

func subjects(fs []audit.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Subject.String()
	}
	return out
}

// TestWaiverKindsChecked checks that a scan refuses waivers naming kinds no
// check reports, placed at the waiver's record, with a suggestion.
func TestWaiverKindsChecked(t *testing.T) {
	later := demoAt.Add(time.Hour)
	_, err := scanSources(t, scan.Options{}, demoWith(
		waiverJSON("w-1", `"kinds": ["raci.recertification-overdu", "raci.no-owner"]`, "fiona", later),
		waiverJSON("w-2", `"kinds": ["waiver.expired"]`, "fiona", later),
		waiverJSON("w-3", `"kinds": ["nothing.like-it"]`, "fiona", later),
	))
	require.Error(t, err)
	var msgs []string
	for _, e := range entitlement.Errors(err) {
		re, ok := errors.AsType[*entitlement.RecordError](e)
		require.True(t, ok, "%v", e)
		msgs = append(msgs, re.Error())
	}
	require.Equal(t, []string{
		`w.json:2: waiver w-1: field kinds[0]: unknown reference: no kind of finding "raci.recertification-overdu" (did you mean "raci.recertification-overdue"?)`,
		`w.json:3: waiver w-2: field kinds[0]: invalid value: waiver.expired is a finding about waivers, which no waiver can waive`,
		`w.json:4: waiver w-3: field kinds[0]: unknown reference: no kind of finding "nothing.like-it"`,
	}, msgs)
	require.ErrorIs(t, err, entitlement.ErrUnknownRef)

	_, err = scan.StreamWith(func() ([]bundle.Source, func(), error) {
		return demoWith(waiverJSON("w-1", `"kinds": ["raci.recertification-overdu"]`, "fiona", later)), func() {}, nil
	}, time.Time{}, scan.Options{})
	require.ErrorContains(t, err, `w.json:2: waiver w-1: field kinds[0]: unknown reference`, "Stream checks them too, before it reads the grants")
}
