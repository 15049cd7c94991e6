package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
)

// diff compares two JSON reports written by "sodkit check --format json".
func (e env) diff(args []string) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "output format: "+formatList(deltaFormats))
	failOn := fs.String("fail-on", "", "exit 1 if a new or changed open or indeterminate finding at or above this severity exists (critical, high, medium, low, info)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: sodkit diff [flags] OLD.json NEW.json

Compares two JSON reports (sodkit check --format json) by finding ID and
prints what is new, resolved and changed in NEW since OLD. Either may be
-, standard input.

Exit codes: 0 compared (nothing new reached --fail-on), 1 a new or changed
failing finding reached --fail-on, 2 could not run.

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, ok := e.parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return e.usageError(fs, "want two reports, OLD.json and NEW.json; got %d arguments", len(pos))
	}
	if !slices.Contains(deltaFormats, *format) {
		return e.usageError(fs, "unknown --format %q (want %s)", *format, formatList(deltaFormats))
	}
	var (
		threshold audit.Severity
		err       error
	)
	if *failOn != "" {
		if threshold, err = audit.ParseSeverity(*failOn); err != nil {
			return e.usageError(fs, "--fail-on: %v", err)
		}
	}
	if pos[0] == "-" && pos[1] == "-" {
		return e.usageError(fs, "OLD.json and NEW.json are both standard input (-), which can be read once")
	}
	var reports [2]audit.Report
	failed := false
	for i, path := range pos {
		if reports[i], err = e.readReport(path); err != nil {
			fmt.Fprintf(e.stderr, "sodkit diff: %v\n", err)
			failed = true
		}
	}
	if failed {
		return exitError
	}
	delta := reports[1].Diff(reports[0])
	if err := writeDelta(e.stdout, delta, *format); err != nil {
		fmt.Fprintf(e.stderr, "sodkit: writing the diff: %v\n", err)
		return exitError
	}
	if failing := delta.Failing(threshold); *failOn != "" && len(failing) > 0 {
		fmt.Fprintf(e.stderr, "sodkit: %d new or changed failing finding(s) at or above %s\n", len(failing), threshold)
		return exitFindings
	}
	return exitOK
}

// readReport reads the whole JSON report at path ("-": standard input),
// as readAnyReport does, and refuses a shard's partial report: it holds
// only its identities' findings, so comparing it would report every other
// finding resolved.
func (e env) readReport(path string) (audit.Report, error) {
	r, err := e.readAnyReport(path)
	if err == nil && r.Partial != nil {
		name := path
		if path == "-" {
			name = bundle.StdinName
		}
		return audit.Report{}, fmt.Errorf("%s: the partial report of shard %d/%d (sodkit check --shard): merge every shard's with sodkit merge, and give the merged report", name, r.Partial.Shard, r.Partial.Of)
	}
	return r, err
}

// readAnyReport reads the JSON report at path ("-": standard input),
// whole or partial. Its error names the file first and says what is wrong
// in words: a directory, an empty file, a document that is not a report (a
// sodkit bundle given where a report belongs is named as one, with where
// reports come from), or the problems audit.ReadReport finds.
func (e env) readAnyReport(path string) (audit.Report, error) {
	name, r := path, io.Reader(e.stdin)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return audit.Report{}, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return audit.Report{}, fmt.Errorf("%s: is a directory, not a report", path)
		}
		r = f
	} else {
		name = bundle.StdinName
	}
	br := bufio.NewReader(r)
	if _, err := br.Peek(1); err == io.EOF {
		return audit.Report{}, fmt.Errorf("%s: empty file: want a JSON report (sodkit check --format json)", name)
	}
	report, err := audit.ReadReport(br)
	if errors.Is(err, audit.ErrReportFormat) {
		return audit.Report{}, fmt.Errorf("%s: %w; reports are written by sodkit check --format json", name, err)
	}
	if err != nil {
		return audit.Report{}, fmt.Errorf("%s: %w", name, err)
	}
	return report, nil
}
