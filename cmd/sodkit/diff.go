package main

import (
	"flag"
	"fmt"
	"os"
	"slices"

	"github.com/sodkit/sodkit/audit"
)

// diff compares two JSON reports written by "sodkit check --format json".
func (e env) diff(args []string) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "output format: "+formatList(deltaFormats))
	failOn := fs.String("fail-on", "", "exit 1 if a new or changed open or indeterminate finding at or above this severity exists (critical, high, medium, low, info)")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, `Usage: sodkit diff [flags] OLD.json NEW.json

Compares two JSON reports (sodkit check --format json) by finding ID and
prints what is new, resolved and changed in NEW since OLD.

Exit codes: 0 compared (nothing new reached --fail-on), 1 a new or changed
failing finding reached --fail-on, 2 could not run.

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
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
	var reports [2]audit.Report
	for i, path := range pos {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "sodkit diff: %v\n", err)
			return exitError
		}
		reports[i], err = audit.ReadReport(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(e.stderr, "sodkit diff: %s: %v\n", path, err)
			return exitError
		}
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
