package audit_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

func diffFinding(kind audit.Kind, sev audit.Severity, subject string) audit.Finding {
	return audit.Finding{Kind: kind, Severity: sev, Subject: audit.Subject{Type: "identity", ID: subject},
		Message: string(kind) + " for " + subject,
		Evidence: []audit.Evidence{
			{Label: "a", Value: subject + "-1"},
			{Label: "b", Value: subject + "-2", Path: []audit.Step{{Type: "grant", ID: "g-" + subject}}},
		}}.WithID()
}

func diffReport(fs ...audit.Finding) audit.Report {
	return audit.NewReport(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), nil, fs)
}

func subjects(fs []audit.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Subject.ID)
	}
	return out
}

func TestDiff(t *testing.T) {
	kept := diffFinding("x.kept", audit.High, "kept")
	gone := diffFinding("x.gone", audit.Medium, "gone")
	worse := diffFinding("x.worse", audit.Low, "worse")
	mitigated := diffFinding("x.mitigated", audit.High, "mitigated")
	reordered := diffFinding("x.reordered", audit.High, "reordered")
	earlier := diffReport(kept, gone, worse, mitigated, reordered)

	worseNow := worse
	worseNow.Severity = audit.Critical
	mitigatedNow := mitigated
	mitigatedNow.Status = audit.Mitigated
	reorderedNow := reordered
	reorderedNow.Evidence = slices.Clone(reordered.Evidence)
	slices.Reverse(reorderedNow.Evidence)
	fresh := diffFinding("x.new", audit.Info, "fresh")
	later := diffReport(fresh, kept, worseNow, mitigatedNow, reorderedNow)

	d := later.Diff(earlier)
	require.Equal(t, []string{"fresh"}, subjects(d.New), "present only in the later report")
	require.Equal(t, []string{"gone"}, subjects(d.Resolved), "present only in the earlier report")
	require.Len(t, d.Changed, 2, "same ID, different severity or status")
	require.Equal(t, "worse", d.Changed[0].After.Subject.ID, "changes in the later report's order: critical first")
	require.Equal(t, audit.Low, d.Changed[0].Before.Severity)
	require.Equal(t, audit.Critical, d.Changed[0].After.Severity)
	require.Equal(t, audit.Mitigated, d.Changed[1].After.Status)
	require.Equal(t, []string{"kept", "reordered"}, subjects(d.Unchanged), "evidence order is presentation: not a change")
	require.False(t, d.Empty())

	// What CI fails on: new and changed findings at or above the
	// threshold whose status fails.
	require.Equal(t, []string{"worse"}, subjects(d.Failing(audit.High)), "the mitigated change does not fail; the info one is below")
	require.Equal(t, []string{"worse", "fresh"}, subjects(d.Failing(audit.Info)))

	same := earlier.Diff(earlier)
	require.True(t, same.Empty(), "a report diffed with itself is empty")
	require.Len(t, same.Unchanged, 5)

	// A changed message, remediation or controls is a change too; a
	// changed path is one.
	for name, change := range map[string]func(*audit.Finding){
		"message":     func(f *audit.Finding) { f.Message = "reworded" },
		"remediation": func(f *audit.Finding) { f.Remediation = "do this instead" },
		"controls":    func(f *audit.Finding) { f.Controls = []audit.Control{ac5} },
		"path":        func(f *audit.Finding) { f.Evidence[1].Path = []audit.Step{{Type: "grant", ID: "g-other"}} },
	} {
		f := kept
		f.Evidence = slices.Clone(kept.Evidence)
		change(&f)
		require.Equal(t, kept.ID, f.WithID().ID, name)
		d := diffReport(f.WithID()).Diff(diffReport(kept))
		require.Len(t, d.Changed, 1, "%s changes the finding, not its identity", name)
	}

	// Names and the identity a finding is about only show it: a baseline
	// written before findings carried them, or a record renamed since,
	// leaves every finding unchanged.
	for name, change := range map[string]func(*audit.Finding){
		"subject name": func(f *audit.Finding) { f.Subject.Name = "Kept Person" },
		"step name": func(f *audit.Finding) {
			f.Evidence[1].Path = []audit.Step{{Type: "grant", ID: "g-kept", Name: "a name"}}
		},
		"identity": func(f *audit.Finding) { f.Identity = "kept" },
	} {
		f := kept
		f.Evidence = slices.Clone(kept.Evidence)
		change(&f)
		require.Equal(t, kept.ID, f.WithID().ID, name)
		d := diffReport(f).Diff(diffReport(kept))
		require.Empty(t, d.Changed, "%s does not change the finding", name)
		require.Len(t, d.Unchanged, 1, name)
	}
}

func TestDiffDoesNotModify(t *testing.T) {
	earlier := diffReport(diffFinding("x.a", audit.Low, "a"), diffFinding("x.b", audit.High, "b"))
	later := diffReport(diffFinding("x.b", audit.High, "b"))
	// Put the later report out of order on purpose.
	later.Findings = append(later.Findings, diffFinding("x.c", audit.Critical, "c"))
	before := slices.Clone(later.Findings)
	d := later.Diff(earlier)
	require.Equal(t, before, later.Findings, "Diff sorts a copy")
	require.Equal(t, []string{"c"}, subjects(d.New))
	require.Equal(t, []string{"a"}, subjects(d.Resolved))
}

func TestDeltaText(t *testing.T) {
	earlier := coreReport()
	later := coreReport()
	later.Findings = later.Findings[1:] // the critical finding is resolved
	later.Findings[0].Severity = audit.Critical
	later.Findings = append(later.Findings, diffFinding("lifecycle.no-expiry", audit.High, "carol"))
	var b bytes.Buffer
	require.NoError(t, later.Diff(earlier).WriteText(&b))
	goldenReport(t, "delta.txt", b.Bytes())
}

func TestDeltaJSON(t *testing.T) {
	d := diffReport().Diff(diffReport())
	b, err := json.Marshal(d)
	require.NoError(t, err)
	require.JSONEq(t, `{"new": [], "resolved": [], "changed": [], "unchanged": []}`, string(b),
		"empty lists are written as [], not null")
}
