package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/scan"
)

// merge merges the partial reports of every shard of a split check (check
// --shard) into the report one check gives, and prints and gates it as
// check does, through the same code (deliver).
func (e env) merge(args []string) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "output format: "+formatList(reportFormats))
	failOn := fs.String("fail-on", "", "exit 1 if an open or indeterminate finding at or above this severity exists (critical, high, medium, low, info)")
	baseline := fs.String("baseline", "", "an earlier JSON report: print what is new, resolved and changed since it (text, json, markdown; other formats still print the full report)")
	view := registerTextView(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: sodkit merge [flags] PART.json...

Merges the partial reports of every shard of a split check (sodkit check
--shard I/N, for I from 0 to N-1) into the report one sodkit check of the
same input gives, and prints it as check does: the same formats, the same
--baseline delta and --fail-on gate. The parts may come in any order; one
may be -, standard input. Parts that are not every shard of one check
(a shard missing or twice, other inputs, evaluation time, release or
--only/--skip) are refused, each problem named. See docs/scale.md.

Exit codes: 0 merged (nothing reached --fail-on), 1 findings reached
--fail-on, 2 could not run.

Flags:
`)
		fs.PrintDefaults()
	}
	parts, code, ok := e.parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(parts) == 0 {
		return e.usageError(fs, "no parts: give the partial report of every shard (sodkit check --shard I/N > PART.json)")
	}
	if !slices.Contains(reportFormats, *format) {
		return e.usageError(fs, "unknown --format %q (want %s)", *format, formatList(reportFormats))
	}
	threshold, ok := e.failOn(fs, *failOn)
	if !ok {
		return exitError
	}
	stdin := 0
	for _, p := range append(slices.Clone(parts), *baseline) {
		if p == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return e.usageError(fs, "standard input (-) is named %d times; it can be read once", stdin)
	}
	text, err := view.options(fs, *format, *baseline != "")
	if err != nil {
		return e.usageError(fs, "%v", err)
	}
	reports := make([]audit.Report, len(parts))
	failed := false
	for i, path := range parts {
		if reports[i], err = e.readAnyReport(path); err != nil {
			fmt.Fprintf(e.stderr, "sodkit merge: %v\n", err)
			failed = true
		}
	}
	if failed {
		return exitError
	}
	earlier, ok := e.baseline(*baseline)
	if !ok {
		return exitError
	}
	report, err := scan.Merge(reports...)
	if err != nil {
		for _, one := range entitlement.Errors(err) {
			fmt.Fprintf(e.stderr, "sodkit merge: %s\n", mergeProblem(one, parts))
		}
		return exitError
	}
	return e.deliver(report, earlier, *format, text, *failOn != "", threshold)
}

// mergeProblem words one problem of scan.Merge with the parts' file
// names: "b.json: evaluated_at: parts of different scans: … (compared with
// a.json)".
func mergeProblem(err error, files []string) string {
	me, ok := errors.AsType[*scan.MergeError](err)
	if !ok {
		return err.Error()
	}
	var b strings.Builder
	if me.Part >= 0 && me.Part < len(files) {
		b.WriteString(files[me.Part] + ": ")
	}
	if me.Field != "" {
		b.WriteString(me.Field + ": ")
	}
	b.WriteString(me.Err.Error())
	if me.Against >= 0 && me.Against < len(files) {
		fmt.Fprintf(&b, " (compared with %s)", files[me.Against])
	}
	return b.String()
}
