// Command governance-scan is an example weekly governance job: it loads an
// export from the identity systems (sodkit bundle files, or with -demo the
// embedded demo organisation), runs every sodkit check, writes the report
// as SARIF for code scanning and as JSON for next week's run, writes what
// changed since last week's JSON report, and exits non-zero when a finding
// at or above a severity is new or changed.
//
// Usage:
//
//	governance-scan [-baseline LAST-WEEK.json] [-out DIR] [-fail-on high] [-at TIME] FILE...
//	governance-scan -demo [flags]
//
// It writes DIR/report.sarif, DIR/report.json and DIR/changes.md,
// creating DIR if it does not exist, and prints the changes to standard
// output. Given no FILE and no -demo it exits 2: an empty variable in a
// scheduler's command line must not yield a scan of the demo.
//
// Exit status: 0 when no open or indeterminate finding at or above
// -fail-on is new or changed since the baseline (without a baseline: exists
// at all), 1 when one is, 2 when the job could not run.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/scan"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now))
}

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// run is the whole job. now is consulted only when neither -at nor the
// export says when the data is from.
func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	fs := flag.NewFlagSet("governance-scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	baseline := fs.String("baseline", "", "last week's JSON report (DIR/report.json of the last run); changes are reported against it")
	out := fs.String("out", ".", "directory to write report.sarif, report.json and changes.md to")
	failOn := fs.String("fail-on", "high", "exit 1 when an open or indeterminate finding at or above this severity is new or changed")
	atFlag := fs.String("at", "", "evaluation time, RFC 3339 (default: the export's as_of, else now)")
	demoFlag := fs.Bool("demo", false, "scan the embedded demo organisation instead of FILEs")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "governance-scan:", err)
		return exitError
	}
	threshold, err := audit.ParseSeverity(*failOn)
	if err != nil {
		return fail(fmt.Errorf("-fail-on: %w", err))
	}
	switch {
	case *demoFlag && fs.NArg() > 0:
		return fail(errors.New("-demo scans the embedded demo organisation: give it without FILEs, or drop it"))
	case !*demoFlag && fs.NArg() == 0:
		return fail(errors.New("no export to scan: give bundle FILEs, or -demo for the embedded demo organisation"))
	}

	// Last week's report, if there is one: an empty report otherwise, so
	// every finding counts as new.
	var earlier audit.Report
	if *baseline != "" {
		f, err := os.Open(*baseline)
		if err != nil {
			return fail(err)
		}
		earlier, err = audit.ReadReport(f)
		f.Close()
		if err != nil {
			return fail(fmt.Errorf("%s: %w", *baseline, err))
		}
	}

	// This week's export, checked at the time it describes.
	var b *bundle.Bundle
	if *demoFlag {
		b, err = demo.Load()
	} else {
		b, err = bundle.LoadFiles(fs.Args()...)
	}
	if err != nil {
		return fail(err)
	}
	at := b.AsOf
	if *atFlag != "" {
		if at, err = time.Parse(time.RFC3339, *atFlag); err != nil {
			return fail(fmt.Errorf("-at: %w", err))
		}
	} else if at.IsZero() {
		at = now()
	}
	report, err := scan.Run(b, at)
	if err != nil {
		return fail(err)
	}
	delta := report.Diff(earlier)

	// SARIF for code scanning, JSON for next week, Markdown for people.
	for _, o := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"report.sarif", report.WriteSARIF},
		{"report.json", report.WriteJSON},
		{"changes.md", delta.WriteMarkdown},
	} {
		if err := writeFile(filepath.Join(*out, o.name), o.write); err != nil {
			return fail(err)
		}
	}
	if err := delta.WriteText(stdout); err != nil {
		return fail(err)
	}

	if failing := delta.Failing(threshold); len(failing) > 0 {
		fmt.Fprintf(stderr, "governance-scan: %d new or changed finding(s) at or above %s\n", len(failing), threshold)
		return exitFindings
	}
	return exitOK
}

// writeFile writes a whole file, or nothing: the output goes to a
// temporary file renamed into place, so a failed run never leaves next
// week's baseline half written. It creates the file's directory (-out)
// if it does not exist.
func writeFile(name string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
