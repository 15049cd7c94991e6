package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// clock returns a fixed clock.
func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

var (
	wallA = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	wallB = time.Date(1999, 12, 31, 23, 59, 59, 0, time.FixedZone("X", -7*3600))
)

// cli runs the command with a fixed clock and returns its exit code and
// output.
func cli(now time.Time, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr, clock(now))
	return code, stdout.String(), stderr.String()
}

// writeFile writes a file under dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

var findingLine = regexp.MustCompile(`(?m)^(CRITICAL|HIGH|MEDIUM|LOW|INFO) (\S+) `)

func TestCheckDemo(t *testing.T) {
	code, out, errOut := cli(wallA, "check", "--demo")
	require.Equal(t, exitOK, code, errOut)
	require.Empty(t, errOut)
	require.True(t, strings.HasPrefix(out, "sodkit "+audit.Version+" report, evaluated at 2026-11-01T09:00:00Z\n"),
		"the demo is evaluated at its as_of, not the wall clock:\n%s", out)
	kinds := map[string]bool{}
	for _, m := range findingLine.FindAllStringSubmatch(out, -1) {
		kinds[m[2]] = true
	}
	require.GreaterOrEqual(t, len(kinds), 2, "the demo shows findings of several kinds: %v", kinds)
	require.Contains(t, kinds, "lifecycle.no-expiry")
	require.Contains(t, kinds, "lifecycle.unexplained-access")

	// Byte-identical across runs and across wall clocks.
	for _, now := range []time.Time{wallA, wallB, time.Now()} {
		code2, out2, _ := cli(now, "check", "--demo")
		require.Equal(t, exitOK, code2)
		require.Equal(t, out, out2, "the demo report does not change with the wall clock (%s)", now)
	}
}

func TestCheckJSON(t *testing.T) {
	code, out, errOut := cli(wallA, "check", "--demo", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	r, err := audit.ReadReport(strings.NewReader(out))
	require.NoError(t, err, "the JSON report reads back")
	require.NotEmpty(t, r.Findings)
	require.Equal(t, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), r.EvaluatedAt)
	require.NotEmpty(t, r.Inputs)
	for _, in := range r.Inputs {
		require.True(t, strings.HasPrefix(in.Name, "demo:"), "inputs name the embedded demo: %s", in.Name)
		require.Len(t, in.SHA256, 64)
	}
	_, out2, _ := cli(wallB, "check", "--format=json", "--demo")
	require.Equal(t, out, out2, "byte-identical across wall clocks")

	_, text, _ := cli(wallA, "check", "--demo")
	require.Len(t, findingLine.FindAllString(text, -1), len(r.Findings), "text and JSON list the same findings")
}

func TestCheckAt(t *testing.T) {
	code, out, errOut := cli(wallA, "check", "--demo", "--at", "2026-06-01T00:00:00Z")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "evaluated at 2026-06-01T00:00:00Z")
	_, again, _ := cli(wallB, "check", "--at", "2026-06-01T00:00:00+00:00", "--demo")
	require.Equal(t, out, again, "the same instant, written another way, and another wall clock")
	_, asOf, _ := cli(wallA, "check", "--demo")
	require.NotEqual(t, out, asOf, "another evaluation time, another report")

	// Flags may come in any order.
	code, out3, _ := cli(wallA, "check", "--format", "json", "--at", "2026-06-01T00:00:00Z", "--demo")
	require.Equal(t, exitOK, code)
	r, err := audit.ReadReport(strings.NewReader(out3))
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), r.EvaluatedAt)

	for _, bad := range []string{"yesterday", "2026-06-01", "2026-06-01T00:00:00"} {
		code, out, errOut := cli(wallA, "check", "--demo", "--at", bad)
		require.Equal(t, exitError, code, "--at %q", bad)
		require.Empty(t, out)
		require.Contains(t, errOut, "--at", "the error names the flag")
		require.Contains(t, errOut, bad, "and quotes the value")
	}
}

func TestCheckNowWithoutAsOf(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "plain.json", `{"format": "sodkit.bundle/v1", "parties": [{"id": "iam"}]}`)
	code, out, errOut := cli(wallA, "check", path)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "evaluated at 2030-01-02T03:04:05Z", "with no as_of and no --at, the clock decides")
}

func TestCheckFailOn(t *testing.T) {
	dir := t.TempDir()
	plain := writeFile(t, dir, "plain.json", `{"format": "sodkit.bundle/v1", "parties": [{"id": "iam"}]}`)
	tests := []struct {
		name   string
		args   []string
		want   int
		reason string
	}{
		{"no threshold", []string{"check", "--demo"}, exitOK, "without --fail-on findings do not fail the run"},
		{"critical", []string{"check", "--demo", "--fail-on", "critical"}, exitFindings, "the demo has critical findings"},
		{"info", []string{"check", "--demo", "--fail-on=info"}, exitFindings, "every open finding counts"},
		{"upper case", []string{"check", "--demo", "--fail-on", "HIGH"}, exitFindings, "severities parse in any case"},
		{"below the threshold", []string{"check", "--fail-on", "critical", plain}, exitOK, "a bundle without critical findings passes --fail-on critical"},
		{"unknown severity", []string{"check", "--demo", "--fail-on", "urgent"}, exitError, "a bad threshold is a usage error"},
		{"unknown format", []string{"check", "--demo", "--format", "yaml"}, exitError, "a bad format is a usage error"},
		{"unknown flag", []string{"check", "--demo", "--fial-on", "high"}, exitError, "a misspelt flag is a usage error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := cli(wallA, tt.args...)
			require.Equal(t, tt.want, code, "%s\n%s", tt.reason, errOut)
			switch tt.want {
			case exitFindings:
				require.Regexp(t, `^sodkit: \d+ failing finding\(s\) at or above \w+\n$`, errOut)
			case exitError:
				require.NotEmpty(t, errOut)
				require.NotContains(t, errOut, "goroutine")
			}
		})
	}
}

func TestCheckBaseline(t *testing.T) {
	dir := t.TempDir()
	_, full, _ := cli(wallA, "check", "--demo", "--format", "json")
	baseline := writeFile(t, dir, "baseline.json", full)

	code, out, errOut := cli(wallB, "check", "--demo", "--baseline", baseline)
	require.Equal(t, exitOK, code, errOut)
	require.True(t, strings.HasPrefix(out, "0 new, 0 resolved, 0 changed, "), "nothing changed since the baseline:\n%s", out)

	code, _, errOut = cli(wallA, "check", "--demo", "--baseline", baseline, "--fail-on", "info")
	require.Equal(t, exitOK, code, "with a baseline, only new and changed findings fail: %s", errOut)

	// An earlier baseline: some findings are new since then.
	_, june, _ := cli(wallA, "check", "--demo", "--format", "json", "--at", "2026-06-01T00:00:00Z")
	older := writeFile(t, dir, "june.json", june)
	code, out, _ = cli(wallA, "check", "--demo", "--baseline", older, "--fail-on", "low")
	require.Equal(t, exitFindings, code, "new findings since June fail the run")
	require.Regexp(t, `^\d+ new, \d+ resolved, \d+ changed, \d+ unchanged\n`, out)
	require.Contains(t, out, "\nNEW ")

	code, out, _ = cli(wallA, "check", "--demo", "--baseline", older, "--format", "json")
	require.Equal(t, exitOK, code)
	var delta audit.Delta
	require.NoError(t, json.Unmarshal([]byte(out), &delta), "the delta as JSON")
	require.NotEmpty(t, delta.New)

	for _, bad := range []struct {
		name, content string
	}{
		{"text.json", "sodkit 0.1.0 report"},
		{"bundle.json", `{"format": "sodkit.bundle/v1"}`},
	} {
		path := writeFile(t, dir, bad.name, bad.content)
		code, out, errOut := cli(wallA, "check", "--demo", "--baseline", path)
		require.Equal(t, exitError, code, bad.name)
		require.Empty(t, out)
		require.Contains(t, errOut, path, "the error names the baseline file")
		require.Equal(t, 1, strings.Count(errOut, "\n"), "one line")
	}
	code, _, errOut = cli(wallA, "check", "--demo", "--baseline", filepath.Join(dir, "missing.json"))
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, "missing.json")
}

// TestCheckBadBundles runs check on each bad bundle of issue 2: it exits 2,
// prints nothing on standard output, and prints one line per problem that
// names the file, line, record and field, never a stack trace.
func TestCheckBadBundles(t *testing.T) {
	const head = `{"format": "sodkit.bundle/v1",` + "\n"
	identity := func(grant string) string {
		return head + `"entitlements": [{"id": "erp:x"}],` + "\n" +
			`"identities": [{"id": "bob", "kind": "human", "status": "active"},` + "\n" +
			`{"id": "alice", "kind": "human", "status": "active", "grants": [` + "\n" + grant + "\n]}]}\n"
	}
	tests := []struct {
		name   string
		file   string
		want   []string // one regexp per line of standard error
		reason string
	}{
		{"duplicate ID", head + `"roles": [{"id": "r"},` + "\n" + `{"id": "r"}]}`,
			[]string{`dup\.json:3: role r: field id: duplicate: role "r" also at position 0`}, "the repeat, on its line"},
		{"dangling reference", identity(`{"id": "g-1", "entitlement": "erp:y", "state": "active"}`),
			[]string{`dangling\.json:5: grant g-1 of identity alice: field entitlement: unknown reference: no entitlement "erp:y"`}, "quotes the bad reference"},
		{"role cycle", head + `"roles": [{"id": "a", "inherits": ["b"]},` + "\n" + `{"id": "b", "inherits": ["a"]}]}`,
			[]string{`cycle\.json:2: role a: field inherits: role inheritance cycle: a → b → a`}, "names the cycle"},
		{"unknown field", identity(`{"id": "g-1", "entitlement": "erp:x", "state": "active", "expiry": "2027-01-01T00:00:00Z"}`),
			[]string{`unknown\.json:5: grant g-1 of identity alice: field expiry: unknown field "expiry" \(did you mean "expires"\?\)`}, "a misspelt member, with the member it may have meant"},
		{"wrong type", head + `"entitlements": [{"id": "erp:x",` + "\n" + `"privileged": 1}]}`,
			[]string{`type\.json:3: entitlement erp:x: field privileged: wrong type: want true or false, found number`}, "names the JSON types"},
		{"truncated file", head + `"entitlements": [{"id": "erp:x",` + "\n" + `"name": "Vend`,
			[]string{`truncated\.json:3: entitlement erp:x: field name: malformed JSON: .*truncated.*`}, "the end of input"},
		{"approval before request", identity(`{"id": "g-1", "entitlement": "erp:x", "state": "active",` +
			`"requested": {"by": "alice", "at": "2026-01-05T09:00:00Z"}, "approvals": [{"by": "bob", "at": "2026-01-04T09:00:00Z"}]}`),
			[]string{`time\.json:5: grant g-1 of identity alice: field approvals\[0\]\.at: impossible time order: approval \(2026-01-04T09:00:00Z\) is before the request \(2026-01-05T09:00:00Z\)`},
			"quotes both times"},
		{"missing format", `{"parties": []}`,
			[]string{`noformat\.json:1: unsupported bundle format: the file has no "format" member; want "sodkit\.bundle/v1" \(is this a sodkit bundle\?\)`}, "says what is expected"},
		{"other format", `{"format": "sodkit.bundle/v2"}`,
			[]string{`v2\.json:1: field format: unsupported bundle format: format "sodkit\.bundle/v2", this release reads "sodkit\.bundle/v1"`}, "names both versions"},
		{"repeated member", head + `"parties": [{"id": "iam",` + "\n" + `"id": "ops"}]}`,
			[]string{`repeat\.json:3: party iam: field id: duplicate: member "id" appears twice in one object`}, "a repeated member name"},
		{"several problems", head + `"roles": [{"id": "a", "inherits": ["a"], "owner": "nobody"}],` + "\n" + `"bogus": true}`,
			[]string{
				`several\.json:3: field bogus: unknown field "bogus"`,
				`several\.json:2: role a: field owner: unknown reference: no party "nobody"`,
				`several\.json:2: role a: field inherits: role inheritance cycle: a → a`,
			}, "every problem, one line each"},
	}
	files := map[string]string{
		"duplicate ID": "dup.json", "dangling reference": "dangling.json", "role cycle": "cycle.json",
		"unknown field": "unknown.json", "wrong type": "type.json", "truncated file": "truncated.json",
		"approval before request": "time.json", "missing format": "noformat.json", "other format": "v2.json",
		"repeated member": "repeat.json", "several problems": "several.json",
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, files[tt.name], tt.file)
			for _, cmd := range [][]string{{"check", path}, {"explain", "alice", path}, {"check", "--format", "json", path}} {
				code, out, errOut := cli(wallA, cmd...)
				require.Equal(t, exitError, code, "%s exits 2: %s", cmd[0], tt.reason)
				require.Empty(t, out, "nothing on standard output")
				lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
				require.Len(t, lines, len(tt.want), "one line per problem:\n%s", errOut)
				for i, re := range tt.want {
					require.Regexp(t, "^sodkit: "+regexp.QuoteMeta(dir+string(filepath.Separator))+re+"$", lines[i], tt.reason)
				}
				for _, bad := range []string{"goroutine", "panic", ".go:"} {
					require.NotContains(t, errOut, bad, "no stack trace")
				}
			}
		})
	}
	code, _, errOut := cli(wallA, "check", filepath.Join(dir, "nope.json"))
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, "nope.json", "an unreadable file is named")
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring
		stderr string // substring
		reason string
	}{
		{"no command", nil, exitError, "", "Usage:", "the usage goes to standard error"},
		{"unknown command", []string{"chekc"}, exitError, "", `unknown command "chekc"`, "quotes the command"},
		{"help", []string{"help"}, exitOK, "Usage:", "", "asked-for help goes to standard output"},
		{"-h", []string{"-h"}, exitOK, "Usage:", "", "the usual spellings of help"},
		{"version", []string{"version"}, exitOK, "sodkit " + audit.Version, "", "the library version and the formats"},
		{"check -h", []string{"check", "-h"}, exitOK, "Usage: sodkit check", "", "a command's own flags, asked for: standard output"},
		{"explain -h", []string{"explain", "-h"}, exitOK, "Usage: sodkit explain", "", "a command's own flags, asked for: standard output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, tt.args...)
			require.Equal(t, tt.code, code, tt.reason)
			require.Contains(t, out, tt.stdout, tt.reason)
			require.Contains(t, errOut, tt.stderr, tt.reason)
		})
	}
	_, out, _ := cli(wallA, "version")
	require.Contains(t, out, "sodkit.bundle/v1")
	require.Contains(t, out, audit.ReportFormat)
}
