package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// cliIn runs the command with stdin as its standard input and a fixed
// clock, and returns its exit code and output.
func cliIn(now time.Time, stdin string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := env{stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr, now: clock(now)}.run(args)
	return code, stdout.String(), stderr.String()
}

// oneLine requires that errOut is exactly one line.
func oneLine(t *testing.T, errOut, reason string) {
	t.Helper()
	require.True(t, strings.HasSuffix(errOut, "\n") && strings.Count(errOut, "\n") == 1, "%s: one line on standard error, got:\n%s", reason, errOut)
}

// plainBundle is a small bundle with one identity and its grant.
const plainBundle = `{"format": "sodkit.bundle/v1", "as_of": "2026-11-01T09:00:00Z",
"parties": [{"id": "iam"}],
"entitlements": [{"id": "erp:x"}],
"identities": [{"id": "ann", "kind": "human", "status": "active", "grants": [{"id": "g-1", "entitlement": "erp:x", "state": "active"}]}]}
`

// TestDemoNeedsAsking: the commands that read bundles no longer fall back
// to the demo when given no input. The issue's case: "sodkit check
// $EMPTYVAR --format json > baseline.json" saved a report of the demo as
// a baseline. Now each exits 2 with one line naming --demo, and writes
// nothing on standard output.
func TestDemoNeedsAsking(t *testing.T) {
	dir := t.TempDir()
	plain := writeFile(t, dir, "plain.json", plainBundle)
	tests := []struct {
		name   string
		args   []string
		stderr string
		reason string
	}{
		{"check", []string{"check", "--format", "json"}, "sodkit check: " + errNoInput.Error(), "an empty variable where the files were"},
		{"explain", []string{"explain", "alice"}, "sodkit explain: " + errNoInput.Error(), "the identity is not a file"},
		{"owners", []string{"owners", "--gaps"}, "sodkit owners: " + errNoInput.Error(), "owners too"},
		{"whatif", []string{"whatif", "--identity", "alice", "--grant", "erp:payment.release"}, "sodkit whatif: " + errNoInput.Error(), "whatif too"},
		{"options only", []string{"check", "--at", "2026-06-01T00:00:00Z", "--fail-on", "high"}, "no input", "options name no input"},
		{"demo and files", []string{"check", "--demo", plain}, "--demo runs on the embedded demo organisation: give it without FILEs and exports, or drop it",
			"the demo and a file: which one was meant is not guessed"},
		{"demo and exports", []string{"explain", "ann", "--demo", "--rules", plain}, "--demo runs on the embedded demo", "--rules is an input too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, tt.args...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out, "%s: nothing on standard output, so nothing is saved as a report", tt.reason)
			require.Contains(t, errOut, tt.stderr, tt.reason)
			oneLine(t, errOut, tt.reason)
		})
	}
	code, out, errOut := cli(wallA, "check", "--demo", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, `"name": "demo:inventory.json"`, "--demo runs on the demo")
	code, _, errOut = cli(wallA, "check", plain)
	require.Equal(t, exitOK, code, errOut)
}

// TestVersionFlag: --version is the version command.
func TestVersionFlag(t *testing.T) {
	_, want, _ := cli(wallA, "version")
	require.Contains(t, want, audit.Version)
	for _, arg := range []string{"--version", "-version"} {
		code, out, errOut := cli(wallA, arg)
		require.Equal(t, exitOK, code, arg)
		require.Equal(t, want, out, arg)
		require.Empty(t, errOut, arg)
	}
}

// TestHelpOnStdout: help a user asks for goes to standard output, exit 0,
// for every command and subcommand.
func TestHelpOnStdout(t *testing.T) {
	for _, cmd := range [][]string{
		{"check"}, {"merge"}, {"explain"}, {"owners"}, {"whatif"}, {"diff"}, {"kinds"},
		{"log", "append"}, {"log", "verify"}, {"log", "checkpoint"}, {"log", "repair"},
	} {
		for _, h := range []string{"-h", "--help"} {
			name := strings.Join(cmd, " ") + " " + h
			t.Run(name, func(t *testing.T) {
				code, out, errOut := cli(wallA, append(cmd, h)...)
				require.Equal(t, exitOK, code, name)
				require.Contains(t, out, "Usage", "the usage, on standard output")
				require.Contains(t, out, "-format", "with the flags")
				require.Empty(t, errOut, "nothing on standard error")
			})
		}
	}
}

// TestMistypedFlag: a flag the command does not define is one line on
// standard error, naming the nearest flags when one is close, instead of
// the flag package's message followed by the whole usage.
func TestMistypedFlag(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		want   string
		reason string
	}{
		{"check", []string{"check", "--demo", "--fial-on", "high"},
			"sodkit check: unknown flag --fial-on (did you mean --fail-on?); sodkit check -h lists the flags", "two letters swapped"},
		{"single dash", []string{"check", "-fomat=json", "--demo"},
			"sodkit check: unknown flag --fomat (did you mean --format?); sodkit check -h lists the flags", "either dash, with a value"},
		{"explain", []string{"explain", "--demo", "alice", "--att", "2026-01-01T00:00:00Z"},
			"sodkit explain: unknown flag --att (did you mean --at?); sodkit explain -h lists the flags", "after the positional arguments"},
		{"owners", []string{"owners", "--demo", "--gap"},
			"sodkit owners: unknown flag --gap (did you mean --gaps?); sodkit owners -h lists the flags", "a letter missing"},
		{"whatif", []string{"whatif", "--demo", "--identiy", "alice"},
			"sodkit whatif: unknown flag --identiy (did you mean --identity?); sodkit whatif -h lists the flags", "whatif's own flags"},
		{"merge", []string{"merge", "--fail-onn", "high", "a.json", "b.json"},
			"sodkit merge: unknown flag --fail-onn (did you mean --fail-on?); sodkit merge -h lists the flags", "merge's flags too"},
		{"check shard", []string{"check", "--demo", "--shrad", "0/2"},
			"sodkit check: unknown flag --shrad (did you mean --shard?); sodkit check -h lists the flags", "check's new flags are suggested"},
		{"diff", []string{"diff", "--fail_on", "high", "a.json", "b.json"},
			"sodkit diff: unknown flag --fail_on (did you mean --fail-on?); sodkit diff -h lists the flags", "an underscore for a dash"},
		{"kinds", []string{"kinds", "--formt", "json"},
			"sodkit kinds: unknown flag --formt (did you mean --format?); sodkit kinds -h lists the flags", "kinds too"},
		{"log", []string{"log", "verify", "--no-checkpoint", "x.log"},
			"sodkit log verify: unknown flag --no-checkpoint (did you mean --no-checkpoints?); sodkit log verify -h lists the flags", "and log's subcommands"},
		{"nothing near", []string{"check", "--demo", "--colour"},
			"sodkit check: unknown flag --colour; sodkit check -h lists the flags", "no guess when nothing is close"},
		{"missing value", []string{"check", "--demo", "--format"},
			"sodkit check: flag needs an argument: -format; sodkit check -h lists the flags", "other flag errors are one line too"},
		{"unknown format", []string{"check", "--demo", "--format", "yaml"},
			`sodkit check: unknown --format "yaml" (want text, json, sarif, csv, markdown, oscal or html)`, "a bad value: one line, no usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, tt.args...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out)
			require.Equal(t, tt.want+"\n", errOut, tt.reason)
		})
	}
}

// TestUnknownCommand: one line, with the nearest command.
func TestUnknownCommand(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		want   string
		reason string
	}{
		{"typo", []string{"chekc", "x.json"}, `sodkit: unknown command "chekc" (did you mean "check"?); sodkit help lists the commands`, "swapped letters"},
		{"merge", []string{"merg", "a.json"}, `sodkit: unknown command "merg" (did you mean "merge"?); sodkit help lists the commands`, "a letter missing"},
		{"nothing near", []string{"scan"}, `sodkit: unknown command "scan"; sodkit help lists the commands`, "no guess"},
		{"log", []string{"log", "verfy", "x.log"}, `sodkit log: unknown command "verfy" (did you mean "verify"?); sodkit log help lists the commands`, "log's subcommands too"},
		{"flag first", []string{"--format", "json", "check"}, "sodkit: --format before a command: flags follow the command (sodkit check --help); sodkit help lists the commands",
			"flags belong to a command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, tt.args...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out)
			require.Equal(t, tt.want+"\n", errOut, tt.reason)
		})
	}
}

// TestStdin: a FILE, an export, a baseline or a report of "-" reads
// standard input, named stdin; it can be read once, and not streamed.
func TestStdin(t *testing.T) {
	dir := t.TempDir()
	csv, err := os.ReadFile(acmeCSV)
	require.NoError(t, err)
	_, report, _ := cli(wallA, "check", "--demo", "--format", "json")
	reportFile := writeFile(t, dir, "report.json", report)

	t.Run("bundle file", func(t *testing.T) {
		code, out, errOut := cliIn(wallA, plainBundle, "check", "--format", "json", "-")
		require.Equal(t, exitOK, code, errOut)
		r, err := audit.ReadReport(strings.NewReader(out))
		require.NoError(t, err)
		require.Equal(t, "stdin", r.Inputs[0].Name, "standard input is named stdin")
		code, out, errOut = cliIn(wallA, plainBundle, "explain", "ann", "-")
		require.Equal(t, exitOK, code, errOut)
		require.Contains(t, out, "grant g-1 → entitlement erp:x")
	})
	t.Run("CSV export", func(t *testing.T) {
		fromFile := acme("check", "--format", "json")
		fromStdin := append([]string(nil), fromFile...)
		for i, a := range fromStdin {
			if a == acmeCSV {
				fromStdin[i] = "-"
			}
		}
		_, want, _ := cli(wallA, fromFile...)
		code, got, errOut := cliIn(wallA, string(csv), fromStdin...)
		require.Equal(t, exitOK, code, errOut)
		// The same findings, the export named stdin (which changes the IDs
		// of the findings about the export itself).
		summary := func(out, csvName string) []string {
			r, err := audit.ReadReport(strings.NewReader(out))
			require.NoError(t, err)
			var s []string
			for _, f := range r.Findings {
				s = append(s, strings.Join([]string{string(f.Kind), strings.ReplaceAll(f.Subject.ID, csvName, "CSV"), strings.ReplaceAll(f.Location.String(), csvName, "CSV")}, " "))
			}
			return s
		}
		require.Equal(t, summary(want, acmeCSV), summary(got, "stdin"), "the same report, the export named stdin")
	})
	t.Run("baseline", func(t *testing.T) {
		code, out, errOut := cliIn(wallA, report, "check", "--demo", "--baseline", "-")
		require.Equal(t, exitOK, code, errOut)
		require.True(t, strings.HasPrefix(out, "0 new, 0 resolved, 0 changed"), out)
	})
	t.Run("diff", func(t *testing.T) {
		code, out, errOut := cliIn(wallA, report, "diff", "-", reportFile)
		require.Equal(t, exitOK, code, errOut)
		require.True(t, strings.HasPrefix(out, "0 new, 0 resolved, 0 changed"), out)
	})
	tests := []struct {
		name   string
		args   []string
		want   string
		reason string
	}{
		{"twice", []string{"check", "-", "--rules", "-"}, "sodkit check: standard input (-) is named 2 times; it can be read once", "standard input can be read once"},
		{"baseline and file", []string{"check", "-", "--baseline", "-"}, "sodkit check: --baseline - and a FILE or export of - both read standard input", "nor by two flags"},
		{"stream", []string{"check", "--stream", "-"}, "sodkit check: --stream reads its input twice, and standard input (-) can be read once: save it to a file, or drop --stream",
			"streaming reads its input twice: refused, not half-read"},
		{"diff both", []string{"diff", "-", "-"}, "sodkit diff: OLD.json and NEW.json are both standard input (-), which can be read once", "diff too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cliIn(wallA, plainBundle, tt.args...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out)
			require.True(t, strings.HasPrefix(errOut, tt.want), "%s:\n%s", tt.reason, errOut)
			oneLine(t, errOut, tt.reason)
		})
	}
}

// TestEmptyAndDirectory: an empty input says it is empty, and a
// directory says it is one, for every kind of input, in one line.
func TestEmptyAndDirectory(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, dir, "empty.json", "")
	export := filepath.Join(dir, "export")
	require.NoError(t, os.Mkdir(export, 0o755))
	_, report, _ := cli(wallA, "check", "--demo", "--format", "json")
	reportFile := writeFile(t, dir, "report.json", report)
	tests := []struct {
		name   string
		args   []string
		stdin  string
		want   string
		reason string
	}{
		{"empty bundle", []string{"check", empty}, "", "sodkit: " + empty + ": empty file: want a sodkit bundle", "not malformed JSON: empty"},
		{"empty stdin", []string{"check", "-"}, "", "sodkit: stdin: empty file: want a sodkit bundle", "an empty pipe"},
		{"empty SCIM export", []string{"check", "--scim", empty}, "", "sodkit: " + empty + ": empty file: want a SCIM ListResponse", "exports too"},
		{"empty baseline", []string{"check", "--demo", "--baseline", empty}, "", "sodkit: --baseline " + empty + ": empty file: want a JSON report (sodkit check --format json)", "a baseline too"},
		{"empty report", []string{"diff", empty, reportFile}, "", "sodkit diff: " + empty + ": empty file: want a JSON report (sodkit check --format json)", "diff too"},
		{"directory", []string{"check", export}, "", "sodkit: " + export + ": is a directory, not a file: give the files in it, such as " + filepath.Join(export, "*.json"), "a directory is named as one"},
		{"directory export", []string{"owners", "--csv", export, "--rules", acmeRules}, "", "sodkit: " + export + ": is a directory, not a file: give the files in it, such as " + filepath.Join(export, "*.json"), "exports too"},
		{"directory report", []string{"diff", reportFile, export}, "", "sodkit diff: " + export + ": is a directory, not a report", "diff too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cliIn(wallA, tt.stdin, tt.args...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out)
			require.Equal(t, tt.want+"\n", errOut, tt.reason)
		})
	}
}

// TestInputOptionsNeedTheirFiles: an option for an export that was not
// given is an error, whatever else is given; it used to be ignored when
// only bundle FILEs were given.
func TestInputOptionsNeedTheirFiles(t *testing.T) {
	dir := t.TempDir()
	plain := writeFile(t, dir, "plain.json", plainBundle)
	tests := []struct {
		name   string
		args   []string
		want   string
		reason string
	}{
		{"csv-map with a FILE", []string{"check", "--csv-map", acmeMap, plain}, "sodkit check: --csv-map needs --csv", "the mapping would be ignored"},
		{"csv-map with the demo", []string{"owners", "--demo", "--csv-map", acmeMap}, "sodkit owners: --csv-map needs --csv", "with the demo too"},
		{"csv-map with rules", []string{"check", "--csv-map", acmeMap, "--rules", acmeRules}, "sodkit check: --csv-map needs --csv", "with --rules"},
		{"scim-key with a FILE", []string{"explain", "ann", "--scim-key", "userName", plain}, "sodkit explain: --scim-key and --scim-system need --scim", "SCIM options too"},
		{"both", []string{"check", "--scim-system", "okta", "--csv-map", acmeMap, plain},
			"sodkit check: --scim-key and --scim-system need --scim\nsodkit check: --csv-map needs --csv", "every problem, one line each"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, tt.args...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out)
			require.Equal(t, tt.want+"\n", errOut, tt.reason)
		})
	}
}

// TestDiffGivenBundle: a bundle given where a report belongs is named as
// a bundle, with where reports come from, not reported as a report with
// unknown members.
func TestDiffGivenBundle(t *testing.T) {
	dir := t.TempDir()
	_, report, _ := cli(wallA, "check", "--demo", "--format", "json")
	reportFile := writeFile(t, dir, "report.json", report)
	inventory := filepath.Join("..", "..", "demo", "inventory.json")
	want := inventory + `: not a sodkit report: format "sodkit.bundle/v1" is a sodkit bundle's (an input of sodkit check), want "sodkit.report/v1"; reports are written by sodkit check --format json`
	code, out, errOut := cli(wallA, "diff", inventory, reportFile)
	require.Equal(t, exitError, code)
	require.Empty(t, out)
	require.Equal(t, "sodkit diff: "+want+"\n", errOut)
	code, _, errOut = cli(wallA, "check", "--demo", "--baseline", inventory)
	require.Equal(t, exitError, code)
	require.Equal(t, "sodkit: --baseline "+want+"\n", errOut, "a bundle as a baseline: the same")
	code, _, errOut = cli(wallA, "diff", reportFile, inventory, filepath.Join(dir, "third.json"))
	require.Equal(t, exitError, code)
	oneLine(t, errOut, "three arguments: one line")
}

// TestCSVErrors: a semicolon-delimited export read as comma-delimited
// gets a hint; a row that cannot be read and a row naming no one are
// reported in the same run.
func TestCSVErrors(t *testing.T) {
	dir := t.TempDir()
	semi := writeFile(t, dir, "semi.csv", "identity;entitlement\ncarol@acme.example;sap:F110\n")
	mixed := writeFile(t, dir, "mixed.csv", "identity,entitlement,expires\ncarol@acme.example,sap:F110,soon\nzed,sap:F110,\n")
	scim := []string{"--scim", acmeUsers, "--scim", acmeGroups, "--scim-system", "okta", "--scim-key", "userName", "--rules", acmeRules}
	tests := []struct {
		name   string
		csv    string
		want   []string
		reason string
	}{
		{"semicolons", semi, []string{
			`sodkit: ` + semi + `:1: field identity: column mismatch: no "identity" column: every row needs an identity; the header is one column, "identity;entitlement": if the file is delimited by ";", set "delimiter": ";" in the column mapping`,
		}, "the header read as one column says why"},
		{"rows and references", mixed, []string{
			`sodkit: ` + mixed + `:2: grant carol@acme.example/sap:F110 of identity carol@acme.example: field expires: invalid value: "soon" is not a time`,
			`sodkit: ` + mixed + `:3: grant zed/sap:F110 of identity zed: unknown reference: no input defines identity "zed"`,
		}, "a row's own problem and another row's reference, in one run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, append([]string{"check", "--csv", tt.csv}, scim...)...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out)
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			require.Len(t, lines, len(tt.want), "%s:\n%s", tt.reason, errOut)
			for i, w := range tt.want {
				require.True(t, strings.HasPrefix(lines[i], w), "%s: line %d:\n%s\nwant prefix\n%s", tt.reason, i+1, lines[i], w)
			}
		})
	}
}
