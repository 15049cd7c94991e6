package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sodkit/sodkit/audit"
)

// noClock fails the test if the job reads the clock: the demo says when
// its data is from.
func noClock(t *testing.T) func() time.Time {
	return func() time.Time {
		t.Error("the job read the wall clock")
		return time.Time{}
	}
}

// scanInto runs the job on the demo with its output in dir and returns
// the exit status, standard output and standard error.
func scanInto(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"-out", dir, "-demo"}, args...), &stdout, &stderr, noClock(t))
	return code, stdout.String(), stderr.String()
}

func readReport(t *testing.T, path string) audit.Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := audit.ReadReport(f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func writeReport(t *testing.T, path string, r audit.Report) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lastWeek runs the job once on the demo and returns its JSON report, the
// baseline of the runs that follow.
func lastWeek(t *testing.T) audit.Report {
	t.Helper()
	dir := t.TempDir()
	if code, _, stderr := scanInto(t, dir); code != exitFindings {
		t.Fatalf("first run: exit %d, want %d (the demo has high findings)\n%s", code, exitFindings, stderr)
	}
	return readReport(t, filepath.Join(dir, "report.json"))
}

func TestFirstRun(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := scanInto(t, dir)
	if code != exitFindings || !strings.Contains(stderr, "new or changed finding(s) at or above high") {
		t.Fatalf("exit %d, stderr %q; want %d: without a baseline every high finding is new", code, stderr, exitFindings)
	}
	r := readReport(t, filepath.Join(dir, "report.json"))
	if len(r.Findings) == 0 || !r.EvaluatedAt.Equal(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("report: %d findings at %s", len(r.Findings), r.EvaluatedAt)
	}
	if first, _, _ := strings.Cut(stdout, "\n"); first != fmt.Sprintf("%d new, 0 resolved, 0 changed, 0 unchanged", len(r.Findings)) {
		t.Errorf("first line %q, want every one of the %d findings new", first, len(r.Findings))
	}

	// The SARIF file is a SARIF 2.1.0 log with one result per finding,
	// each fingerprinted with the finding's stable ID.
	data, err := os.ReadFile(filepath.Join(dir, "report.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				Fingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &sarif); err != nil {
		t.Fatal(err)
	}
	if sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != len(r.Findings) {
		t.Fatalf("SARIF version %q with %d runs, want 2.1.0 with one result per finding (%d)", sarif.Version, len(sarif.Runs), len(r.Findings))
	}
	if got := sarif.Runs[0].Results[0].Fingerprints["sodkitFindingId/v1"]; got != r.Findings[0].ID {
		t.Errorf("first result's fingerprint %q, want the finding ID %q", got, r.Findings[0].ID)
	}
	if _, err := os.Stat(filepath.Join(dir, "changes.md")); err != nil {
		t.Error(err)
	}
}

func TestAgainstLastWeek(t *testing.T) {
	last := lastWeek(t)
	var high, low audit.Finding
	for _, f := range last.Findings {
		if f.Severity == audit.High && f.Status == audit.Open && high.ID == "" {
			high = f
		}
		if f.Severity == audit.Low && low.ID == "" {
			low = f
		}
	}
	without := func(id string) audit.Report {
		r := last
		r.Findings = nil
		for _, f := range last.Findings {
			if f.ID != id {
				r.Findings = append(r.Findings, f)
			}
		}
		return r
	}
	gone := audit.Finding{Kind: "sod.toxic-combination", Severity: audit.Critical, Rule: "R-P2P-01",
		Subject: audit.Subject{Type: "identity", ID: "leaver"}, Message: "fixed since last week"}.WithID()
	withGone := last
	withGone.Findings = append(append([]audit.Finding{}, last.Findings...), gone)

	tests := []struct {
		name     string
		reason   string
		baseline audit.Report
		args     []string
		code     int
		stdout   []string
	}{
		{name: "nothing changed", reason: "the same export gives the same findings, with the same IDs",
			baseline: last, code: exitOK, stdout: []string{"0 new, 0 resolved, 0 changed"}},
		{name: "new high finding", reason: "a high finding that was not there last week fails the job",
			baseline: without(high.ID), code: exitFindings, stdout: []string{"1 new, 0 resolved", "NEW HIGH", high.ID}},
		{name: "new low finding", reason: "below the threshold a new finding is reported, not failed",
			baseline: without(low.ID), code: exitOK, stdout: []string{"1 new, 0 resolved", "NEW LOW", low.ID}},
		{name: "new low finding, strict", reason: "the threshold is a flag",
			baseline: without(low.ID), args: []string{"-fail-on", "low"}, code: exitFindings, stdout: []string{low.ID}},
		{name: "resolved", reason: "a finding fixed since last week is good news, not a failure",
			baseline: withGone, code: exitOK, stdout: []string{"0 new, 1 resolved", "RESOLVED CRITICAL", gone.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "last-week.json")
			writeReport(t, path, tt.baseline)
			code, stdout, stderr := scanInto(t, dir, append([]string{"-baseline", path}, tt.args...)...)
			if code != tt.code {
				t.Errorf("%s: exit %d, want %d\n%s", tt.reason, code, tt.code, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("%s: the output does not say %q:\n%.2000s", tt.reason, s, stdout)
				}
			}
			changes, _ := os.ReadFile(filepath.Join(dir, "changes.md"))
			for _, s := range tt.stdout[1:] {
				if strings.HasPrefix(s, "sk-") && !bytes.Contains(changes, []byte(s)) {
					t.Errorf("%s: changes.md does not name %s", tt.reason, s)
				}
			}
		})
	}
}

func TestCannotRun(t *testing.T) {
	dir := t.TempDir()
	notReport := filepath.Join(dir, "notes.json")
	os.WriteFile(notReport, []byte(`{"format": "something else"}`), 0o644)
	badBundle := filepath.Join(dir, "bad.json")
	os.WriteFile(badBundle, []byte(`{"format": "sodkit.bundle/v1", "roles": [{"id": "r", "inherits": ["r"]}]}`), 0o644)
	tests := []struct {
		name   string
		reason string
		args   []string
		stderr string
	}{
		{name: "bad threshold", reason: "an unknown severity", args: []string{"-demo", "-fail-on", "severe"}, stderr: "-fail-on"},
		{name: "no baseline", reason: "a missing baseline is an error, not an empty week",
			args: []string{"-demo", "-baseline", filepath.Join(dir, "missing.json")}, stderr: "missing.json"},
		{name: "not a report", reason: "a baseline must be a sodkit report", args: []string{"-demo", "-baseline", notReport}, stderr: "not a sodkit report"},
		{name: "bad export", reason: "an invalid bundle is not checked", args: []string{badBundle}, stderr: "bad.json"},
		{name: "bad time", reason: "-at is RFC 3339", args: []string{"-demo", "-at", "monday"}, stderr: "-at"},
		{name: "output under a file", reason: "the reports cannot be written where a file stands",
			args: []string{"-demo", "-out", filepath.Join(notReport, "dir")}, stderr: "not a directory"},
		{name: "unknown flag", reason: "usage errors", args: []string{"-demo", "-verbose"}, stderr: "flag provided but not defined"},
		{name: "no export", reason: "no FILE and no -demo: an empty variable is not a scan of the demo",
			args: []string{"-fail-on", "high"}, stderr: "no export to scan: give bundle FILEs, or -demo"},
		{name: "demo and files", reason: "which one was meant is not guessed", args: []string{"-demo", badBundle}, stderr: "-demo scans the embedded demo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"-out", dir}, tt.args...), &stdout, &stderr, noClock(t))
			if code != exitError || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("%s: exit %d, stderr %q; want %d mentioning %q", tt.reason, code, stderr.String(), exitError, tt.stderr)
			}
		})
	}
}

// TestOutCreatesFolder: -out names a folder the job creates if it does not
// exist, as "-out reports/" in the README suggests.
func TestOutCreatesFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports", "2026-w45")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-demo", "-out", dir + string(filepath.Separator)}, &stdout, &stderr, noClock(t))
	if code != exitFindings {
		t.Fatalf("exit %d, want %d (every finding is new)\n%s", code, exitFindings, stderr.String())
	}
	for _, name := range []string{"report.sarif", "report.json", "changes.md"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("-out %s/: %v", dir, err)
		}
	}
}
