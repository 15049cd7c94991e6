// Command sodkit runs sodkit's access-governance checks on bundle files, or
// on an embedded demo organisation when no file is given.
//
// Usage:
//
//	sodkit check [flags] [FILE...]      validate the bundle(s), run every check, print a report
//	sodkit explain [flags] IDENTITY [FILE...]
//	                                    print an identity's effective access, with paths
//	sodkit log append|verify|checkpoint|repair [flags] LOG
//	                                    record access decisions in a tamper-evident log and
//	                                    verify it against signed checkpoints (exit codes: sodkit log -h)
//	sodkit diff [flags] OLD.json NEW.json
//	                                    compare two JSON reports
//	sodkit kinds [--format text|json]   list every kind of finding check can report, with its
//	                                    default severity, title and controls
//	sodkit version                      print the sodkit version
//
// Flags may come before or after the file names. Run "sodkit help" or
// "sodkit check -h" for the flags of each command.
//
// check, explain, owners and whatif also read exports from identity
// providers and target systems, loaded and validated together with the
// bundle files: --scim FILE (SCIM 2.0 ListResponse of Users or Groups),
// --csv FILE with --csv-map MAP.json (a CSV grant export and its column
// mapping), and --rules FILE (a bundle file in JSON or YAML, or an SoD
// ruleset in CSV, by extension or --rules-format), each repeatable.
// check reports how each export was read as import.data-quality findings;
// see docs/importers.md.
//
// Exit codes:
//
//	0  the command ran; with --fail-on, no failing finding reached the threshold
//	1  --fail-on was given and an open or indeterminate finding at or above it
//	   exists (with --baseline: a new or changed one)
//	2  the command could not run: bad usage, unreadable or invalid input
//
// sodkit log uses 1 for a log or checkpoint that fails verification
// (tampering) and 3 for a log that ends with a torn line from an interrupted
// append; see "sodkit log help".
//
// Errors are printed one per line on standard error, each naming the file,
// line, record and field concerned.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/scan"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now))
}

// env is what one invocation may touch: its output streams and its clock.
// Only main passes the wall clock; tests pass a fixed one.
type env struct {
	stdout, stderr io.Writer
	now            func() time.Time
}

const usage = `sodkit checks separation of duties and access governance.

Usage:
  sodkit check [flags] [FILE...]              validate bundles, run every check, print a report
  sodkit explain [flags] IDENTITY [FILE...]   print an identity's effective access with paths
  sodkit owners [flags] [FILE...]             print who is accountable for each entitlement and NHI, and what is unowned
  sodkit whatif [flags] [FILE...]             print only the findings a proposed grant or role change would add
  sodkit log append|verify|checkpoint|repair [flags] LOG
                                              record decisions in a tamper-evident log; verify it against
                                              signed checkpoints (exit codes for cron jobs: sodkit log help)
  sodkit diff [flags] OLD.json NEW.json       compare two JSON reports: new, resolved and changed findings
  sodkit kinds [--format text|json]           list every kind of finding check can report, with its default
                                              severity, title and controls
  sodkit version                              print the version
  sodkit help                                 print this help

With no FILE, commands run on the embedded demo bundle. check, explain, owners
and whatif also read identity-provider and CSV exports with the bundle files:
  --scim FILE (SCIM 2.0 Users/Groups), --csv FILE [--csv-map MAP.json],
  --rules FILE (JSON or YAML bundle file, or CSV SoD ruleset); see docs/importers.md.
Exit codes: 0 ran (nothing reached --fail-on), 1 findings reached --fail-on, 2 could not run.
`

func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	e := env{stdout: stdout, stderr: stderr, now: now}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	switch args[0] {
	case "check":
		return e.check(args[1:])
	case "explain":
		return e.explain(args[1:])
	case "log":
		return e.log(args[1:])
	case "diff":
		return e.diff(args[1:])
	case "owners":
		return e.owners(args[1:])
	case "whatif":
		return e.whatif(args[1:])
	case "kinds":
		return e.kinds(args[1:])
	case "version":
		fmt.Fprintf(stdout, "sodkit %s (bundle format %s, report format %s)\n", audit.Version, bundle.Format, audit.ReportFormat)
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "sodkit: unknown command %q\n\n%s", args[0], usage)
	return exitError
}

// parse parses flags that may be interspersed with positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseArgs is parse for a command's run: ok is false when the command
// should stop with code, exitOK after -h (the usage is printed) or
// exitError after a bad flag (the problem and the usage are printed).
func parseArgs(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	pos, err := parse(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, exitOK, false
	case err != nil:
		return nil, exitError, false
	}
	return pos, exitOK, true
}

// common holds the flags shared by the commands that load bundles.
type common struct {
	format string
	at     string
	in     *inputs // --scim, --csv, --rules and their options (inputs.go)
}

func (c *common) register(fs *flag.FlagSet, formats string) {
	fs.StringVar(&c.format, "format", "text", "output format: "+formats)
	fs.StringVar(&c.at, "at", "", "evaluation time, RFC 3339 (default: the bundle's as_of, else now)")
	c.in = registerInputs(fs)
}

// load reads the files, or the demo when there are none, and picks the
// evaluation time.
func (e env) load(c common, files []string) (*bundle.Bundle, time.Time, bool) {
	var b *bundle.Bundle
	var err error
	switch {
	case c.in.active():
		b, err = c.in.load(files)
	case len(files) == 0:
		b, err = demo.Load()
	default:
		b, err = bundle.LoadFiles(files...)
	}
	if err != nil {
		e.printErrors(err)
		return nil, time.Time{}, false
	}
	at, ok := e.givenTime(c)
	if !ok {
		return nil, time.Time{}, false
	}
	if at.IsZero() {
		at = b.AsOf
	}
	if at.IsZero() {
		at = e.now()
	}
	return b, at, true
}

// streamAbove is the input size from which check streams its files.
const streamAbove = 256 << 20

// streamMemory is the Go heap a streaming check holds itself near unless
// told otherwise (--memory, GOMEMLIMIT): a soft limit, at which the
// garbage collector works harder rather than the heap growing. It keeps a
// million identities with 15 million grants under 2 GB of memory.
const streamMemory = 1800 << 20

// setMemoryLimit is debug.SetMemoryLimit; tests record the calls.
var setMemoryLimit = debug.SetMemoryLimit

// holdHeap sets the Go runtime's soft memory limit (0: none) and returns
// a function that restores the previous one.
func holdHeap(limit int64) (restore func()) {
	if limit == 0 {
		limit = math.MaxInt64
	}
	prev := setMemoryLimit(limit)
	return func() { setMemoryLimit(prev) }
}

// parseBytes reads a size such as 1800MiB, 4GiB, 512MB or 1000000 (bytes).
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		scale  int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	num, scale := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, scale = strings.TrimSpace(n), u.scale
			break
		}
	}
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil || v < 0 || v > math.MaxInt64/scale {
		return 0, fmt.Errorf("%q is not a size (such as 1800MiB, 4GiB or 0)", s)
	}
	return v * scale, nil
}

// formatBytes writes a size the way parseBytes reads it.
func formatBytes(n int64) string {
	switch {
	case n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return strconv.FormatInt(n, 10)
}

// totalSize returns the summed size of the files (unreadable ones count as
// zero: loading them reports the error).
func totalSize(files []string) int64 {
	var n int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

// givenTime returns the time --at gives, or the zero time when it gives
// none (the bundle's as_of is used, else the wall clock).
func (e env) givenTime(c common) (time.Time, bool) {
	if c.at == "" {
		return time.Time{}, true
	}
	at, err := time.Parse(time.RFC3339Nano, c.at)
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit: --at %q: not an RFC 3339 time with a zone (such as 2026-11-01T09:00:00Z)\n", c.at)
		return time.Time{}, false
	}
	return at, true
}

// printErrors prints each joined error on its own line.
func (e env) printErrors(err error) {
	for _, one := range entitlement.Errors(err) {
		msg := strings.ReplaceAll(one.Error(), "\n", " ")
		fmt.Fprintf(e.stderr, "sodkit: %s\n", msg)
	}
}

func (e env) usageError(fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "sodkit %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitError
}

func (e env) check(args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs, formatList(reportFormats))
	failOn := fs.String("fail-on", "", "exit 1 if an open or indeterminate finding at or above this severity exists (critical, high, medium, low, info)")
	stream := fs.Bool("stream", false, fmt.Sprintf("read the files in two streaming passes, holding no grant in memory (automatic from %d MiB of input)", streamAbove>>20))
	baseline := fs.String("baseline", "", "an earlier JSON report: print what is new, resolved and changed since it (text, json, markdown; other formats still print the full report)")
	memory := fs.String("memory", "", fmt.Sprintf("hold the Go heap near this size, such as 4GiB; 0: no limit (default while streaming: %s, or GOMEMLIMIT when set)", formatBytes(streamMemory)))
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: sodkit check [flags] [FILE...]\n\nValidates the bundle files (or the embedded demo), runs every check and prints a report.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	files, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if !slices.Contains(reportFormats, c.format) {
		return e.usageError(fs, "unknown --format %q (want %s)", c.format, formatList(reportFormats))
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
	var earlier *audit.Report
	if *baseline != "" {
		f, err := os.Open(*baseline)
		if err != nil {
			fmt.Fprintf(e.stderr, "sodkit: --baseline: %v\n", err)
			return exitError
		}
		r, err := audit.ReadReport(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(e.stderr, "sodkit: --baseline %s: %v\n", *baseline, err)
			return exitError
		}
		earlier = &r
	}

	if *memory != "" {
		limit, err := parseBytes(*memory)
		if err != nil {
			return e.usageError(fs, "--memory: %v", err)
		}
		defer holdHeap(limit)()
	}

	var report audit.Report
	if *stream && c.in.imports() {
		return e.usageError(fs, "--stream cannot read --scim or --csv exports (they are resolved in memory); drop --stream")
	}
	if all := c.in.bundleFiles(files); len(all) > 0 && !c.in.imports() && (*stream || totalSize(all) >= streamAbove) {
		at, ok := e.givenTime(c)
		if !ok {
			return exitError
		}
		if *memory == "" && os.Getenv("GOMEMLIMIT") == "" {
			defer holdHeap(streamMemory)()
		}
		report, err = scan.Stream(c.in.opener(files), at)
		if errors.Is(err, scan.ErrNoTime) {
			// No --at and no as_of: evaluate now, as a bundle loaded in
			// memory is (one more read of the directory).
			report, err = scan.Stream(c.in.opener(files), e.now())
		}
	} else {
		b, at, ok := e.load(c, files)
		if !ok {
			return exitError
		}
		report, err = scan.Run(b, at)
	}
	if err != nil {
		e.printErrors(err)
		return exitError
	}

	var failing []audit.Finding
	var delta *audit.Delta
	if earlier != nil {
		d := report.Diff(*earlier)
		delta = &d
		failing = d.Failing(threshold)
	} else {
		failing = report.Failing(threshold)
	}
	if err := writeCheckOutput(e.stdout, report, delta, c.format); err != nil {
		fmt.Fprintf(e.stderr, "sodkit: writing the report: %v\n", err)
		return exitError
	}
	if *failOn != "" && len(failing) > 0 {
		fmt.Fprintf(e.stderr, "sodkit: %d failing finding(s) at or above %s\n", len(failing), threshold)
		return exitFindings
	}
	return exitOK
}
