package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/audit/trail"
)

// logRun runs the command line with a fixed clock and returns the exit code
// and both outputs.
func logRun(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	now := func() time.Time { return time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC) }
	code := run(args, &stdout, &stderr, now)
	return code, stdout.String(), stderr.String()
}

// logFixture is a directory with keys and decision records.
type logFixture struct {
	dir, log, cps, priv, pub, hmac, other string
}

func newLogFixture(t *testing.T) logFixture {
	t.Helper()
	dir := t.TempDir()
	f := logFixture{
		dir: dir, log: filepath.Join(dir, "decisions.log"), cps: filepath.Join(dir, "checkpoints.jsonl"),
		priv: filepath.Join(dir, "priv.pem"), pub: filepath.Join(dir, "pub.pem"),
		hmac: filepath.Join(dir, "hmac.key"), other: filepath.Join(dir, "other.pem"),
	}
	writePEM := func(path string, seed byte, public bool) {
		priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
		var block *pem.Block
		if public {
			der, err := x509.MarshalPKIXPublicKey(priv.Public())
			require.NoError(t, err)
			block = &pem.Block{Type: "PUBLIC KEY", Bytes: der}
		} else {
			der, err := x509.MarshalPKCS8PrivateKey(priv)
			require.NoError(t, err)
			block = &pem.Block{Type: "PRIVATE KEY", Bytes: der}
		}
		require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(block), 0o600))
	}
	writePEM(f.priv, 1, false)
	writePEM(f.pub, 1, true)
	writePEM(f.other, 2, true)
	require.NoError(t, os.WriteFile(f.hmac, []byte("0123456789abcdef0123456789abcdef\n"), 0o600))
	return f
}

// record writes decision records (JSON objects, concatenated) to a file.
func (f logFixture) record(t *testing.T, name string, recs ...string) string {
	t.Helper()
	p := filepath.Join(f.dir, name)
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(recs, "\n")), 0o600))
	return p
}

const ruleSet = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func decisionJSON(subject, reason string) string {
	return `{"time":"2026-11-01T10:00:00Z","actor":"carol","action":"approve","subject":"` + subject +
		`","entitlement":"erp:vendor.create","outcome":"completed","reason":"` + reason +
		`","policy_basis":{"rule":"tmpl-ap","rule_set_sha256":"` + ruleSet + `"},"ticket":"CHG-1"}`
}

func TestLogCommandFlow(t *testing.T) {
	f := newLogFixture(t)
	two := f.record(t, "two.json", decisionJSON("alice", "month-end close"), decisionJSON("bob", "vendor onboarding"))

	code, out, errOut := logRun("log", "append", f.log, two)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "appended entry 1 (hash ")
	require.Contains(t, out, "appended entry 2 (hash ")

	noReason := f.record(t, "bad.json", decisionJSON("dave", "ok"), strings.Replace(decisionJSON("eve", ""), `"reason":"",`, ``, 1))
	code, out, errOut = logRun("log", "append", f.log, noReason)
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, "record 2: decision record: field reason: a decision needs a business reason")
	require.Empty(t, out, "nothing is appended when any record is invalid")

	code, out, errOut = logRun("log", "checkpoint", "--checkpoints", f.cps, "--key", f.priv, f.log)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "checkpoint of decisions.log: size 2, head ")
	require.Contains(t, out, "made 2026-11-02T08:00:00Z, ed25519 key ")

	code, out, errOut = logRun("log", "verify", "--checkpoints", f.cps, "--key", f.pub, f.log)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "intact: 2 entries")
	require.Contains(t, out, "matches the checkpoint at size 2")

	// Grow past the checkpoint; --stamp fills in a missing time.
	late := f.record(t, "late.json", strings.Replace(decisionJSON("fay", "audit sample"), `"time":"2026-11-01T10:00:00Z",`, ``, 1))
	code, _, errOut = logRun("log", "append", f.log, late)
	require.Equal(t, exitError, code, "a record without a time is rejected")
	require.Contains(t, errOut, "field time: required")
	code, _, errOut = logRun("log", "append", "--stamp", f.log, late)
	require.Equal(t, exitOK, code, errOut)
	data, err := os.ReadFile(f.log)
	require.NoError(t, err)
	require.Contains(t, string(data), `"time":"2026-11-02T08:00:00Z"`)
	code, _, _ = logRun("log", "checkpoint", "--checkpoints", f.cps, "--key", f.priv, f.log)
	require.Equal(t, exitOK, code)
	code, out, _ = logRun("log", "verify", "--checkpoints", f.cps, "--key", f.pub, f.log)
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "intact: 3 entries")

	// Someone with write access edits bob's reason.
	good, err := os.ReadFile(f.log)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f.log, bytes.Replace(good, []byte("vendor onboarding"), []byte("vendor offboarding"), 1), 0o600))
	code, out, _ = logRun("log", "verify", "--checkpoints", f.cps, "--key", f.pub, f.log)
	require.Equal(t, exitTampered, code)
	require.Contains(t, out, "altered at entry 2")
	code, _, errOut = logRun("log", "checkpoint", "--checkpoints", f.cps, "--key", f.priv, f.log)
	require.Equal(t, exitTampered, code, "no checkpoint is signed over a tampered log")
	require.Contains(t, errOut, "refusing to sign")
	code, _, _ = logRun("log", "append", f.log, two)
	require.Equal(t, exitTampered, code, "nothing is appended to a tampered log")
	code, _, _ = logRun("log", "repair", f.log)
	require.Equal(t, exitTampered, code, "repair never touches a tampered log")

	code, out, _ = logRun("log", "verify", "--format", "json", "--checkpoints", f.cps, "--key", f.pub, f.log)
	require.Equal(t, exitTampered, code)
	var got struct {
		Verification trail.Verification `json:"verification"`
		Findings     []audit.Finding    `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Equal(t, trail.Altered, got.Verification.State)
	require.Len(t, got.Findings, 1)
	require.Equal(t, trail.KindTampered, got.Findings[0].Kind)
	require.Contains(t, got.Findings[0].Controls, audit.Ref(audit.SP80053, "AU-9(3)"))

	// Cut off the last entry: the chain alone cannot tell, the checkpoint can.
	lines := strings.SplitAfter(string(good), "\n")
	require.NoError(t, os.WriteFile(f.log, []byte(strings.Join(lines[:2], "")), 0o600))
	code, _, _ = logRun("log", "verify", "--no-checkpoints", f.log)
	require.Equal(t, exitOK, code)
	code, out, _ = logRun("log", "verify", "--checkpoints", f.cps, "--key", f.pub, f.log)
	require.Equal(t, exitTampered, code)
	require.Contains(t, out, "cut-off at entry 3")

	// A crash mid-append leaves a torn line: exit 3, then repair.
	require.NoError(t, os.WriteFile(f.log, append(bytes.Clone(good), `{"seq":4,"prev":"ab`...), 0o600))
	code, out, _ = logRun("log", "verify", "--checkpoints", f.cps, "--key", f.pub, f.log)
	require.Equal(t, exitTorn, code)
	require.Contains(t, out, "torn-tail at entry 4")
	code, _, errOut = logRun("log", "append", f.log, two)
	require.Equal(t, exitTorn, code, errOut)
	code, out, _ = logRun("log", "checkpoint", "--checkpoints", filepath.Join(f.dir, "scratch.jsonl"), "--key", f.priv, f.log)
	require.Equal(t, exitOK, code, "a checkpoint signs the complete entries before a torn line")
	require.Contains(t, out, "size 3")
	code, out, _ = logRun("log", "repair", f.log)
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "removed a torn last line of 19 bytes")
	code, out, _ = logRun("log", "repair", f.log)
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "nothing to repair")
	code, _, _ = logRun("log", "verify", "--checkpoints", f.cps, "--key", f.pub, f.log)
	require.Equal(t, exitOK, code)

	// A checkpoint file edited, or checked with another key, is refused.
	code, out, _ = logRun("log", "verify", "--checkpoints", f.cps, "--key", f.other, f.log)
	require.Equal(t, exitTampered, code)
	require.Contains(t, out, "bad-checkpoint")
}

func TestLogHMACAndStdin(t *testing.T) {
	f := newLogFixture(t)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	_, err = w.WriteString(decisionJSON("alice", "payroll run") + "\n" + decisionJSON("bob", "payroll run"))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	stdin := os.Stdin
	os.Stdin = r
	code, out, errOut := logRun("log", "append", f.log)
	os.Stdin = stdin
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "appended entry 2")

	code, _, errOut = logRun("log", "checkpoint", "--checkpoints", f.cps, "--hmac-key", f.hmac, "--origin", "payroll", f.log)
	require.Equal(t, exitOK, code, errOut)
	code, out, _ = logRun("log", "verify", "--checkpoints", f.cps, "--hmac-key", f.hmac, f.log)
	require.Equal(t, exitOK, code, out)
	code, out, _ = logRun("log", "verify", "--checkpoints", f.cps, "--key", f.pub, f.log)
	require.Equal(t, exitTampered, code, "an HMAC checkpoint does not verify with an Ed25519 key")
	require.Contains(t, out, "bad-checkpoint")
}

func TestLogUsage(t *testing.T) {
	f := newLogFixture(t)
	require.NoError(t, os.WriteFile(f.cps, nil, 0o600))
	tests := []struct {
		name   string
		reason string
		args   []string
		code   int
		errOut string
		out    string
	}{
		{name: "no subcommand", reason: "log needs a subcommand", args: []string{"log"}, code: exitError, errOut: "Exit codes"},
		{name: "help", reason: "the help documents the exit codes for cron jobs", args: []string{"log", "help"}, code: exitOK,
			out: "3  the log ends with a torn line"},
		{name: "flag help", reason: "-h on a subcommand, on standard output", args: []string{"log", "verify", "-h"}, code: exitOK, out: "-no-checkpoints"},
		{name: "unknown subcommand", reason: "", args: []string{"log", "rotate"}, code: exitError, errOut: `unknown command "rotate"`},
		{name: "missing log", reason: "every subcommand takes LOG", args: []string{"log", "verify", "--no-checkpoints"}, code: exitError, errOut: "missing LOG"},
		{name: "two logs", reason: "verify takes one LOG", args: []string{"log", "verify", "--no-checkpoints", "a", "b"}, code: exitError, errOut: "unexpected arguments"},
		{name: "no checkpoints flag", reason: "verifying without checkpoints must be explicit",
			args: []string{"log", "verify", f.log}, code: exitError, errOut: "give --checkpoints FILE"},
		{name: "both keys", reason: "one key at a time",
			args: []string{"log", "checkpoint", "--checkpoints", f.cps, "--key", f.priv, "--hmac-key", f.hmac, f.log}, code: exitError, errOut: "not both"},
		{name: "public key cannot sign", reason: "checkpoint needs a private key",
			args: []string{"log", "checkpoint", "--checkpoints", f.cps, "--key", f.pub, f.log}, code: exitError, errOut: "to sign"},
		{name: "short hmac key", reason: "secrets under 32 bytes are refused",
			args: []string{"log", "verify", "--checkpoints", f.cps, "--hmac-key", f.cps, f.log}, code: exitError, errOut: "at least 32"},
		{name: "missing checkpoint file", reason: "verify needs the file it was told to read",
			args: []string{"log", "verify", "--checkpoints", filepath.Join(f.dir, "nope"), f.log}, code: exitError, errOut: "no such file"},
		{name: "missing log file", reason: "an unreadable log cannot be verified",
			args: []string{"log", "verify", "--no-checkpoints", filepath.Join(f.dir, "nope.log")}, code: exitError, errOut: "no such file"},
		{name: "bad format", reason: "text or json", args: []string{"log", "verify", "--no-checkpoints", "--format", "xml", f.log}, code: exitError, errOut: "unknown --format"},
		{name: "unknown field", reason: "records decode strictly",
			args: []string{"log", "append", f.log, f.record(t, "x.json", `{"time":"2026-11-01T10:00:00Z","approver":"x"}`)}, code: exitError, errOut: `unknown field "approver"`},
		{name: "empty input", reason: "nothing to append is an error",
			args: []string{"log", "append", f.log, f.record(t, "empty.json")}, code: exitError, errOut: "no decision records"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := logRun(tc.args...)
			require.Equal(t, tc.code, code, "%s\nstdout: %s\nstderr: %s", tc.reason, out, errOut)
			require.Contains(t, errOut, tc.errOut, tc.reason)
			require.Contains(t, out, tc.out, tc.reason)
		})
	}
}

// TestLogVerifyNeedsItsCheckpoints: a checkpoint file given with
// --checkpoints that is empty, missing or unreadable fails verify (exit 2,
// naming the file); before, an empty one let a rewritten log through with
// exit 0, checked by the chain alone.
func TestLogVerifyNeedsItsCheckpoints(t *testing.T) {
	f := newLogFixture(t)
	two := f.record(t, "two.json", decisionJSON("alice", "month-end close"), decisionJSON("bob", "vendor onboarding"))
	code, _, errOut := logRun("log", "append", f.log, two)
	require.Equal(t, exitOK, code, errOut)
	code, _, errOut = logRun("log", "checkpoint", "--checkpoints", f.cps, "--key", f.priv, f.log)
	require.Equal(t, exitOK, code, errOut)
	// The log is cut back to one entry: only the checkpoint can tell.
	data, err := os.ReadFile(f.log)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f.log, []byte(strings.SplitAfter(string(data), "\n")[0]), 0o600))
	code, out, _ := logRun("log", "verify", "--checkpoints", f.cps, "--key", f.pub, f.log)
	require.Equal(t, exitTampered, code, out)

	empty := filepath.Join(f.dir, "empty.jsonl")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	blank := filepath.Join(f.dir, "blank.jsonl")
	require.NoError(t, os.WriteFile(blank, []byte("\n \n"), 0o600))
	tests := []struct {
		name   string
		reason string
		cps    string
		errOut string
	}{
		{name: "empty", reason: "a wiped store must not pass a rewritten log", cps: empty, errOut: "holds no checkpoint"},
		{name: "blank lines", reason: "whitespace is no checkpoint either", cps: blank, errOut: "holds no checkpoint"},
		{name: "missing", reason: "the file named must exist", cps: filepath.Join(f.dir, "nope.jsonl"), errOut: "no such file"},
		{name: "unreadable", reason: "a directory cannot be read as checkpoints", cps: f.dir, errOut: "is a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := logRun("log", "verify", "--checkpoints", tc.cps, "--key", f.pub, f.log)
			require.Equal(t, exitError, code, "%s\nstdout: %s\nstderr: %s", tc.reason, out, errOut)
			require.Contains(t, errOut, tc.cps, "the message names the file")
			require.Contains(t, errOut, tc.errOut, tc.reason)
		})
	}

	// checkpoint starts a store that is missing or empty (noting it).
	code, _, errOut = logRun("log", "checkpoint", "--checkpoints", empty, "--key", f.priv, f.log)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, errOut, "holds no checkpoint yet")
	code, out, errOut = logRun("log", "verify", "--checkpoints", empty, "--key", f.pub, f.log)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "intact: 1 entries")
}

// TestLogAppendRejectsDuplicateKeys: a decision record that names a member
// twice is refused, naming the file, record, line and key, and nothing is
// appended. Before, encoding/json kept the last value silently.
func TestLogAppendRejectsDuplicateKeys(t *testing.T) {
	f := newLogFixture(t)
	rec := f.record(t, "dup.json", decisionJSON("alice", "ok"),
		strings.Replace(decisionJSON("bob", "ok"), `"subject":"bob",`, "\n  \"subject\":\"bob\",\n  \"subject\":\"mallory\",", 1))
	code, out, errOut := logRun("log", "append", f.log, rec)
	require.Equal(t, exitError, code, errOut)
	require.Empty(t, out)
	require.Contains(t, errOut, rec+`: record 2: line 4: key "subject": duplicate key (first at line 3)`)
	_, err := os.Stat(f.log)
	require.ErrorIs(t, err, os.ErrNotExist, "nothing is appended, nor the log created")
}
