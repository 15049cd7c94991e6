package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/demo"
)

// shardParts runs check --shard i/n for every i with args and returns the
// paths of the partial reports it wrote.
func shardParts(t *testing.T, n int, args ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var parts []string
	for i := range n {
		code, out, errOut := cli(wallA, append([]string{"check", "--shard", fmt.Sprintf("%d/%d", i, n)}, args...)...)
		require.Equal(t, exitOK, code, errOut)
		require.Empty(t, errOut)
		require.Contains(t, out, fmt.Sprintf("\"partial\": {\n    \"shard\": %d,\n    \"of\": %d", i, n))
		parts = append(parts, writeFile(t, dir, fmt.Sprintf("part-%d.json", i), out))
	}
	return parts
}

// demoFiles writes the demo's files to a directory, for checks that read
// files (and stream them).
func demoFiles(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, src := range demo.Sources() {
		data, err := io.ReadAll(src.Reader)
		require.NoError(t, err)
		paths = append(paths, writeFile(t, dir, filepath.Base(strings.ReplaceAll(src.Name, ":", "/")), string(data)))
	}
	return paths
}

// TestCheckShardMerge: sodkit merge of the shards of sodkit check prints
// what sodkit check prints, in every format, with --fail-on's exit code
// and a --baseline's delta — on the demo and on files streamed.
func TestCheckShardMerge(t *testing.T) {
	files := demoFiles(t)
	_, base, _ := cli(wallA, "check", "--demo", "--format", "json", "--skip", "breakglass")
	baseline := writeFile(t, t.TempDir(), "baseline.json", base)
	tests := []struct {
		name   string
		reason string
		input  []string
		n      int
	}{
		{name: "demo", reason: "the embedded demo, in memory", input: []string{"--demo"}, n: 3},
		{name: "one shard", reason: "one shard is a split too", input: []string{"--demo"}, n: 1},
		{name: "streamed", reason: "files read in two streaming passes", input: append([]string{"--stream"}, files...), n: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := shardParts(t, tt.n, tt.input...)
			for _, extra := range [][]string{
				{"--format", "text"}, {"--format", "json"}, {"--format", "sarif"}, {"--format", "csv"},
				{"--format", "markdown"}, {"--format", "oscal"}, {"--format", "html"},
				{"--group-by", "kind", "--min-severity", "high"},
				{"--fail-on", "high"}, {"--baseline", baseline, "--format", "json", "--fail-on", "low"},
			} {
				wantCode, want, wantErr := cli(wallA, append(append([]string{"check"}, tt.input...), extra...)...)
				code, got, gotErr := cli(wallA, append(append([]string{"merge"}, extra...), parts...)...)
				require.Equal(t, wantCode, code, "%s %v: %s", tt.reason, extra, gotErr)
				require.Equal(t, wantErr, gotErr, "%s %v", tt.reason, extra)
				require.Equal(t, want, got, "%s %v: merged, the report of one check", tt.reason, extra)
			}
		})
	}
}

// TestCheckShardUsage: what a shard cannot do is a usage error saying
// why, before anything is read.
func TestCheckShardUsage(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		args   []string
		want   string
	}{
		{name: "bad shard", reason: "shards count from 0", args: []string{"--shard", "4/4"},
			want: `sodkit check: --shard: invalid shard: "4/4": the shards of 4 are 0 to 3`},
		{name: "not a shard", reason: "INDEX/COUNT", args: []string{"--shard", "2"},
			want: `sodkit check: --shard: invalid shard: "2" is not INDEX/COUNT, such as 0/4`},
		{name: "text", reason: "a partial report is for sodkit merge, not for people", args: []string{"--shard", "0/2", "--format", "text"},
			want: "sodkit check: --shard writes a partial report, which only --format json carries; give --format text to sodkit merge, which renders the merged report"},
		{name: "sarif", reason: "nor for code scanning", args: []string{"--shard", "0/2", "--format", "sarif"},
			want: "sodkit check: --shard writes a partial report, which only --format json carries; give --format sarif to sodkit merge, which renders the merged report"},
		{name: "baseline", reason: "a part compared with a whole report would resolve every other finding", args: []string{"--shard", "0/2", "--baseline", "old.json"},
			want: "sodkit check: --baseline compares a whole report, and a shard's holds only its identities' findings: give --baseline to sodkit merge"},
		{name: "fail-on", reason: "a part cannot pass a gate the whole fails", args: []string{"--shard", "0/2", "--fail-on", "high"},
			want: "sodkit check: --fail-on gates on a whole report, and a shard's holds only its identities' findings (and none about waivers): give --fail-on to sodkit merge"},
		{name: "text view", reason: "--group-by shapes text only", args: []string{"--shard", "0/2", "--group-by", "kind"},
			want: "sodkit check: --group-by shapes the text report only, not --format json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, append([]string{"check", "--demo"}, tt.args...)...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out)
			require.Equal(t, tt.want+"\n", errOut, tt.reason)
		})
	}
	code, out, _ := cli(wallA, "check", "--demo", "--shard", "1/2", "--format", "json")
	require.Equal(t, exitOK, code, "--format json is what --shard writes anyway")
	require.Contains(t, out, `"partial"`)
}

// TestShardNeedsOneTime: shards of an input without as_of would each read
// the clock; without --at they are refused, with it they merge.
func TestShardNeedsOneTime(t *testing.T) {
	path := writeFile(t, t.TempDir(), "timeless.json", `{"format":"sodkit.bundle/v1","identities":[{"id":"a","kind":"human","status":"active"}]}`)
	for _, stream := range []string{"--stream=false", "--stream"} {
		code, out, errOut := cli(wallA, "check", stream, "--shard", "0/2", path)
		require.Equal(t, exitError, code, stream)
		require.Empty(t, out)
		require.Equal(t, "sodkit: the input declares no as_of, and every shard must evaluate at the same time: give each shard the same --at\n", errOut, stream)
	}
	parts := shardParts(t, 2, "--at", "2026-01-01T00:00:00Z", path)
	code, _, errOut := cli(wallA, append([]string{"merge"}, parts...)...)
	require.Equal(t, exitOK, code, errOut)
}

// TestMergeRefuses: parts that do not make one check are refused, every
// problem on its own line naming the file; a partial report is no
// baseline and no side of a diff.
func TestMergeRefuses(t *testing.T) {
	parts := shardParts(t, 3, "--demo")
	other := shardParts(t, 2, "--demo")
	later := shardParts(t, 3, "--demo", "--at", "2026-12-01T00:00:00Z")
	_, whole, _ := cli(wallA, "check", "--demo", "--format", "json")
	wholePath := writeFile(t, t.TempDir(), "whole.json", whole)
	tests := []struct {
		name   string
		reason string
		args   []string
		want   []string
	}{
		{name: "no parts", reason: "nothing to merge", args: []string{"merge"},
			want: []string{"sodkit merge: no parts: give the partial report of every shard (sodkit check --shard I/N > PART.json)"}},
		{name: "missing", reason: "a missing shard's identities would pass every gate", args: []string{"merge", parts[0], parts[2]},
			want: []string{"sodkit merge: shard missing: no part is shard 1 of 3"}},
		{name: "twice", reason: "one shard twice is another missing", args: []string{"merge", parts[0], parts[1], parts[1]},
			want: []string{"sodkit merge: " + parts[1] + ": partial.shard: shard given twice: shard 1/3 is also part 1", "sodkit merge: shard missing: no part is shard 2 of 3"}},
		{name: "other split", reason: "shard 1 of 2 is not shard 1 of 3", args: []string{"merge", parts[0], other[1], parts[2]},
			want: []string{"sodkit merge: " + other[1] + ": partial.of: parts of different scans: split into 2 shards, not 3 (compared with " + parts[0] + ")",
				"sodkit merge: shard missing: no part is shard 1 of 3"}},
		{name: "other time", reason: "every part evaluates at one time", args: []string{"merge", parts[0], later[1], parts[2]},
			want: []string{"sodkit merge: " + later[1] + ": evaluated_at: parts of different scans: evaluated at 2026-12-01T00:00:00Z, not 2026-11-01T09:00:00Z (compared with " + parts[0] + ")"}},
		{name: "whole", reason: "a whole report already holds its waivers' findings", args: []string{"merge", wholePath},
			want: []string{"sodkit merge: " + wholePath + ": partial: not a shard's partial report: a whole report (merge the reports of sodkit check --shard)"}},
		{name: "stdin twice", reason: "standard input can be read once", args: []string{"merge", "-", "-"},
			want: []string{"sodkit merge: standard input (-) is named 2 times; it can be read once"}},
		{name: "diff", reason: "a part diffed with a whole report would resolve every other finding", args: []string{"diff", wholePath, parts[0]},
			want: []string{"sodkit diff: " + parts[0] + ": the partial report of shard 0/3 (sodkit check --shard): merge every shard's with sodkit merge, and give the merged report"}},
		{name: "baseline", reason: "nor is a part a baseline", args: []string{"check", "--demo", "--baseline", parts[0]},
			want: []string{"sodkit: --baseline " + parts[0] + ": the partial report of shard 0/3 (sodkit check --shard): merge every shard's with sodkit merge, and give the merged report"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, tt.args...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out)
			require.Equal(t, strings.Join(tt.want, "\n")+"\n", errOut, tt.reason)
		})
	}
}

// ticking is a clock that moves a second at every reading.
func ticking(start time.Time) func() time.Time {
	var n atomic.Int64
	return func() time.Time { return start.Add(time.Duration(n.Add(1)) * time.Second) }
}

// TestCheckProgress: progress goes to standard error with --progress, or
// on a terminal unless --progress=false, as lines in a log and one
// rewritten line on a terminal; standard output, the report, is the same
// byte for byte.
func TestCheckProgress(t *testing.T) {
	files := demoFiles(t)
	check := func(terminal bool, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, now: ticking(wallA), terminal: terminal}.run(append([]string{"check"}, args...))
		return code, stdout.String(), stderr.String()
	}
	_, want, quiet := check(false, "--demo")
	require.Empty(t, quiet, "no progress in a log unless asked")
	_, wantStream, _ := check(false, append([]string{"--stream"}, files...)...)
	tests := []struct {
		name     string
		reason   string
		terminal bool
		args     []string
		want     string   // standard output
		lines    []string // on standard error, in order
		none     bool     // nothing on standard error
	}{
		{name: "asked", reason: "--progress in a log: a line per step, then what was done", args: []string{"--demo", "--progress"}, want: want,
			lines: []string{" of 29 identities, about ", "s left\n", "sodkit: done: 29 identities in "}},
		{name: "terminal", reason: "on a terminal by default, one line rewritten", terminal: true, args: []string{"--demo"}, want: want,
			lines: []string{"\rsodkit: 1 of 29 identities, about 28s left", "\rsodkit: 2 of 29 identities", "\rsodkit: done: 29 identities in ", "\n"}},
		{name: "refused", reason: "--progress=false silences even a terminal", terminal: true, args: []string{"--demo", "--progress=false"}, want: want, none: true},
		{name: "streamed", reason: "streaming counts the bytes of both passes", args: append([]string{"--stream", "--progress"}, files...), want: wantStream,
			lines: []string{"sodkit: pass 1 of 2, ", " MB read at ", "MB/s, about ", "sodkit: done: 29 identities, "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := check(tt.terminal, tt.args...)
			require.Equal(t, exitOK, code, errOut)
			require.Equal(t, tt.want, out, "%s: the report is unaffected", tt.reason)
			if tt.none {
				require.Empty(t, errOut, tt.reason)
				return
			}
			rest := errOut
			for _, l := range tt.lines {
				i := strings.Index(rest, l)
				require.GreaterOrEqual(t, i, 0, "%s: %q after the lines before, in:\n%s", tt.reason, l, errOut)
				rest = rest[i+len(l):]
			}
			if !tt.terminal {
				require.NotContains(t, errOut, "\r", "a log gets plain lines")
			}
		})
	}
	// With a clock that stands still (a fast run), only the last line.
	code, out, errOut := cli(wallA, "check", "--demo", "--progress", "--format", "json")
	require.Equal(t, exitOK, code)
	require.Equal(t, "sodkit: done: 29 identities in 0s\n", errOut)
	require.NotContains(t, out, "sodkit: done")
}
