// Command sodkit runs sodkit's access-governance checks on bundle files, or
// with --demo on an embedded demo organisation.
//
// Usage:
//
//	sodkit check [flags] FILE...        validate the bundle(s), run every check, print a report
//	sodkit check --demo [flags]         the same, on the embedded demo organisation
//	sodkit check --shard I/N [flags] FILE...
//	                                    check one shard of the identities and write its
//	                                    partial JSON report (docs/scale.md)
//	sodkit merge [flags] PART.json...   merge every shard's partial report into the report
//	                                    one check gives, printed and gated as check does
//	sodkit explain [flags] IDENTITY FILE...
//	                                    print everything known about an identity: access with
//	                                    paths, drift, break-glass sessions, exceptions, ownership
//	                                    and the findings about it
//	sodkit log append|verify|checkpoint|repair [flags] LOG
//	                                    record access decisions in a tamper-evident log and
//	                                    verify it against signed checkpoints (exit codes: sodkit log -h)
//	sodkit diff [flags] OLD.json NEW.json
//	                                    compare two JSON reports
//	sodkit kinds [--format text|json]   list every kind of finding check can report, with its
//	                                    default severity, title and controls
//	sodkit version                      print the sodkit version (also: sodkit --version)
//
// Flags may come before or after the file names. Run "sodkit help" or
// "sodkit check -h" for the flags of each command; help goes to standard
// output, and a mistyped flag or command is one line on standard error,
// with the nearest flag or command when one is close.
//
// check, explain, owners and whatif need their input named: bundle FILEs,
// or exports from identity providers and target systems, loaded and
// validated together with them: --scim FILE (SCIM 2.0 ListResponse of
// Users or Groups), --csv FILE with --csv-map MAP.json (a CSV grant export
// and its column mapping), and --rules FILE (a bundle file in JSON or
// YAML, or an SoD ruleset in CSV, by extension or --rules-format), each
// repeatable; or --demo for the embedded demo organisation. Given
// none of them, they exit 2 rather than run on the demo, so an empty
// variable in a script never yields a report of the demo. A FILE (or
// --scim, --csv, --csv-map, --baseline, or a report of diff) of "-" reads
// standard input, once. check reports how each export was read as
// import.data-quality findings; see docs/importers.md.
//
// check runs every check unless --only or --skip choose packages (sod,
// raci, lifecycle, breakglass, import, waiver) or kinds, and applies the
// bundle's waivers: a waived finding stays in the report, marked waived,
// and does not reach --fail-on (docs/reports.md, "Choosing checks" and
// "Waivers").
//
// check --shard I/N checks only the identities whose ID hashes to shard I
// of N and writes a partial JSON report; sodkit merge refuses parts that
// are not every shard of one check, and prints the merged report with
// check's formats, --baseline and --fail-on (docs/scale.md). check prints
// its progress on standard error when it is a terminal, or with
// --progress; never with --progress=false.
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
	"github.com/sodkit/sodkit/internal/suggest"
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

// env is what one invocation may touch: its standard streams and its
// clock. Only main passes the wall clock; tests pass a fixed one.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
	terminal       bool // stderr is a terminal: check shows its progress
}

const usage = `sodkit checks separation of duties and access governance.

Usage:
  sodkit check [flags] FILE...                validate bundles, run every check, print a report
  sodkit check --shard I/N [flags] FILE...    check one shard of the identities; write its partial JSON report
  sodkit merge [flags] PART.json...           merge every shard's partial report and print the report
  sodkit explain [flags] IDENTITY FILE...     print everything known about an identity: access with paths,
                                              drift, break-glass sessions, exceptions, ownership, findings
  sodkit owners [flags] FILE...               print who is accountable for each entitlement and NHI, and what is unowned
  sodkit whatif [flags] FILE...               print only the findings a proposed grant or role change would add
  sodkit log append|verify|checkpoint|repair [flags] LOG
                                              record decisions in a tamper-evident log; verify it against
                                              signed checkpoints (exit codes for cron jobs: sodkit log help)
  sodkit diff [flags] OLD.json NEW.json       compare two JSON reports: new, resolved and changed findings
  sodkit kinds [--format text|json]           list every kind of finding check can report, with its default
                                              severity, title and controls
  sodkit version                              print the version (also: sodkit --version)
  sodkit help                                 print this help

check, explain, owners and whatif read bundle FILEs, and identity-provider
and CSV exports with them:
  --scim FILE (SCIM 2.0 Users/Groups), --csv FILE [--csv-map MAP.json],
  --rules FILE (JSON or YAML bundle file, or CSV SoD ruleset); see docs/importers.md.
Give --demo instead to run on the embedded demo organisation; with no input
and no --demo they exit 2. A file named - is standard input (once).
check --only and --skip choose checks by package (sod, raci, ...) or kind; the
bundle's waivers mark findings waived, which no --fail-on counts.
check --format is text (the default; --group-by and --min-severity shape it),
json, sarif, csv, markdown, oscal or html (a review page to open offline).
check --shard splits a large scan over machines (docs/scale.md); --progress
shows how far check is on standard error (by default on a terminal).
"sodkit COMMAND -h" prints a command's flags.
Exit codes: 0 ran (nothing reached --fail-on), 1 findings reached --fail-on, 2 could not run.
`

// commands are the commands run dispatches, for the did-you-mean of an
// unknown one.
var commands = []string{"check", "merge", "explain", "log", "diff", "owners", "whatif", "kinds", "version", "help"}

func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	return env{stdin: os.Stdin, stdout: stdout, stderr: stderr, now: now, terminal: isTerminal(stderr)}.run(args)
}

// run runs the command args names.
func (e env) run(args []string) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	switch args[0] {
	case "check":
		return e.check(args[1:])
	case "merge":
		return e.merge(args[1:])
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
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "sodkit %s (bundle format %s, report format %s)\n", audit.Version, bundle.Format, audit.ReportFormat)
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "sodkit: %s before a command: flags follow the command (sodkit check --help); sodkit help lists the commands\n", args[0])
		return exitError
	}
	fmt.Fprintf(stderr, "sodkit: unknown command %q%s; sodkit help lists the commands\n", args[0], suggest.Hint(args[0], commands))
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
// should stop with code, exitOK after -h (fs.Usage prints the help on
// standard output) or exitError after a bad flag (one line on standard
// error: the problem, with the nearest flag for an unknown one). fs.Usage
// must write to fs.Output().
func (e env) parseArgs(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	help := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	pos, err := parse(fs, args)
	fs.Usage = help
	fs.SetOutput(e.stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(e.stdout)
		fs.Usage()
		fs.SetOutput(e.stderr)
		return nil, exitOK, false
	case err != nil:
		fmt.Fprintf(e.stderr, "sodkit %s: %s\n", fs.Name(), flagProblem(fs, err))
		return nil, exitError, false
	}
	return pos, exitOK, true
}

// flagProblem describes a flag error of fs in one line: an unknown flag
// with the nearest flags fs defines, anything else as the flag package
// words it; both end by naming the help.
func flagProblem(fs *flag.FlagSet, err error) string {
	seeHelp := "; sodkit " + fs.Name() + " -h lists the flags"
	name, unknown := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !unknown {
		return err.Error() + seeHelp
	}
	var defined []string
	fs.VisitAll(func(f *flag.Flag) { defined = append(defined, f.Name) })
	near := suggest.Closest(name, defined)
	for i, n := range near {
		near[i] = "--" + n
	}
	msg := "unknown flag --" + name
	if len(near) > 0 {
		msg += " (did you mean " + suggest.Join(near) + "?)"
	}
	return msg + seeHelp
}

// common holds the flags shared by the commands that load bundles.
type common struct {
	format string
	at     string
	demo   bool
	in     *inputs // --scim, --csv, --rules and their options (inputs.go)
}

func (c *common) register(fs *flag.FlagSet, formats string) {
	fs.StringVar(&c.format, "format", "text", "output format: "+formats)
	fs.StringVar(&c.at, "at", "", "evaluation time, RFC 3339 (default: the bundle's as_of, else now)")
	fs.BoolVar(&c.demo, "demo", false, "run on the embedded demo organisation, instead of FILEs and exports")
	c.in = registerInputs(fs)
}

// errNoInput is the usage error of a command given no input: it no longer
// falls back to the demo, which made an empty variable in a script (check
// $EXPORT --format json > baseline.json) save a report of the demo.
var errNoInput = errors.New("no input: give bundle FILEs (or --scim, --csv, --rules), or --demo for the embedded demo organisation")

// checkInputs reports what is wrong with the inputs named by files and
// the flags, before anything is read: none at all (errNoInput), the demo
// with files, options without their files, standard input twice.
func (c common) checkInputs(files []string) error {
	given := len(files) > 0 || c.in.active()
	switch {
	case c.demo && given:
		return errors.New("--demo runs on the embedded demo organisation: give it without FILEs and exports, or drop it")
	case !c.demo && !given:
		return errNoInput
	}
	return c.in.check(files)
}

// load reads the files and exports, or the demo with --demo, and picks
// the evaluation time. The inputs must have passed checkInputs.
func (e env) load(c common, files []string) (*bundle.Bundle, time.Time, bool) {
	var b *bundle.Bundle
	var err error
	if c.demo {
		b, err = demo.Load()
	} else {
		b, err = c.in.load(files, e.stdin)
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

// streamGC is the garbage collector's target percentage (GOGC) a
// streaming check runs with unless GOGC is set: a streaming check keeps a
// small live heap (the directory) and allocates much more that dies young
// (each identity's grants and findings), so collecting every 100 % of
// growth spends a tenth of the run in the collector. At 300 % the heap
// stays under a gigabyte at 100,000 identities, and the soft memory limit
// (streamMemory) still bounds it on larger inputs: near the limit the
// collector runs as often as it must.
const streamGC = 300

// setMemoryLimit is debug.SetMemoryLimit and setGCPercent
// debug.SetGCPercent; tests record the calls.
var (
	setMemoryLimit = debug.SetMemoryLimit
	setGCPercent   = debug.SetGCPercent
)

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

// usageError prints a usage problem of the command fs parses, one line
// each (a message of several lines, from errors.Join, is several
// problems), and returns exitError. "sodkit COMMAND -h" prints the flags.
func (e env) usageError(fs *flag.FlagSet, format string, args ...any) int {
	for line := range strings.Lines(fmt.Sprintf(format, args...)) {
		fmt.Fprintf(e.stderr, "sodkit %s: %s\n", fs.Name(), strings.TrimSuffix(line, "\n"))
	}
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
	var only, skip listFlag
	fs.Var(&only, "only", "run only these packages ("+strings.Join(kindPackages(), ", ")+") or kinds (see sodkit kinds), comma-separated (repeatable)")
	fs.Var(&skip, "skip", "skip these packages or kinds, comma-separated (repeatable); a skipped package's check does not run")
	shardArg := fs.String("shard", "", "check only shard I of N of the identities (I/N, such as 0/4; I from 0) and write its partial JSON report, for sodkit merge (docs/scale.md)")
	var showProgress progressFlag
	fs.Var(&showProgress, "progress", "print progress to standard error: identities, MB read, MB/s, time left (default: when standard error is a terminal; --progress=false: never)")
	view := registerTextView(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: sodkit check [flags] FILE...\n       sodkit check --demo [flags]\n       sodkit check --shard I/N [flags] FILE... > PART.json\n\nValidates the bundle files and exports (or, with --demo, the embedded demo\norganisation), runs every check (or those --only and --skip choose), applies\nthe bundle's waivers and prints a report. A FILE of - is standard input.\n\nWith --shard, checks only the identities of one shard and writes its partial\nreport as JSON; sodkit merge turns every shard's into the report one check\ngives (docs/scale.md).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	files, code, ok := e.parseArgs(fs, args)
	if !ok {
		return code
	}
	opts := scan.Options{Only: splitNames(only), Skip: splitNames(skip)}
	if err := opts.Validate(); err != nil {
		for _, one := range entitlement.Errors(err) {
			msg := one.Error()
			if se, ok := errors.AsType[*scan.SelectionError](one); ok {
				msg = "--" + strings.ToLower(se.Field) + strings.TrimPrefix(msg, se.Field)
			} else {
				msg = "--only, --skip: " + msg
			}
			fmt.Fprintf(e.stderr, "sodkit check: %s\n", msg)
		}
		return exitError
	}
	if *shardArg != "" {
		sh, err := scan.ParseShard(*shardArg)
		if err != nil {
			return e.usageError(fs, "--shard: %v", err)
		}
		if msg := shardConflicts(fs, c.format, *baseline, *failOn); msg != "" {
			return e.usageError(fs, "%s", msg)
		}
		opts.Shard, c.format = sh, "json"
	}
	if !slices.Contains(reportFormats, c.format) {
		return e.usageError(fs, "unknown --format %q (want %s)", c.format, formatList(reportFormats))
	}
	threshold, ok := e.failOn(fs, *failOn)
	if !ok {
		return exitError
	}
	if err := c.checkInputs(files); err != nil {
		return e.usageError(fs, "%v", err)
	}
	all := c.in.bundleFiles(files)
	stdin := slices.Contains(all, "-") || c.in.readsStdin()
	switch {
	case *baseline == "-" && stdin:
		return e.usageError(fs, "--baseline - and a FILE or export of - both read standard input, which can be read once")
	case *stream && stdin:
		return e.usageError(fs, "--stream reads its input twice, and standard input (-) can be read once: save it to a file, or drop --stream")
	case *stream && c.in.imports():
		return e.usageError(fs, "--stream cannot read --scim or --csv exports (they are resolved in memory); drop --stream")
	}
	text, err := view.options(fs, c.format, *baseline != "")
	if err != nil {
		return e.usageError(fs, "%v", err)
	}
	earlier, ok := e.baseline(*baseline)
	if !ok {
		return exitError
	}

	if *memory != "" {
		limit, err := parseBytes(*memory)
		if err != nil {
			return e.usageError(fs, "--memory: %v", err)
		}
		defer holdHeap(limit)()
	}

	streaming := len(all) > 0 && !c.in.imports() && !stdin && (*stream || totalSize(all) >= streamAbove)
	var prog *progress
	if showProgress.wanted(e.terminal) {
		if streaming {
			prog = newProgress(e.stderr, e.terminal, e.now, totalSize(all), 2)
		} else {
			prog = newProgress(e.stderr, e.terminal, e.now, 0, 1)
		}
		opts.Progress = prog.identities
	}
	var report audit.Report
	if streaming {
		at, ok := e.givenTime(c)
		if !ok {
			return exitError
		}
		if *memory == "" && os.Getenv("GOMEMLIMIT") == "" {
			defer holdHeap(streamMemory)()
		}
		if os.Getenv("GOGC") == "" {
			prev := setGCPercent(streamGC)
			defer setGCPercent(prev)
		}
		open := c.in.opener(files)
		if prog != nil {
			open = prog.opener(open)
		}
		report, err = scan.StreamWith(open, at, opts)
		if errors.Is(err, scan.ErrNoTime) && opts.Shard.Count > 0 {
			err = errShardTime
		} else if errors.Is(err, scan.ErrNoTime) {
			// No --at and no as_of: evaluate now, as a bundle loaded in
			// memory is (one more read of the directory).
			report, err = scan.StreamWith(open, e.now(), opts)
		}
	} else {
		b, at, ok := e.load(c, files)
		if !ok {
			return exitError
		}
		if opts.Shard.Count > 0 && c.at == "" && b.AsOf.IsZero() {
			err = errShardTime
		} else {
			report, err = scan.RunWith(b, at, opts)
		}
	}
	if prog != nil && err == nil {
		prog.done()
	}
	if err != nil {
		e.printErrors(err)
		return exitError
	}
	return e.deliver(report, earlier, c.format, text, *failOn != "", threshold)
}

// errShardTime is the error of a shard of a bundle that has no as_of,
// given no --at: each shard would read its own clock, and the merge
// refuses parts evaluated at different times.
var errShardTime = errors.New("the input declares no as_of, and every shard must evaluate at the same time: give each shard the same --at")

// shardConflicts returns the usage problem of --shard with the other flags
// check was given, or "". A shard's report is partial: it holds the
// findings of its identities only, and none about waivers, so it is
// neither rendered for people, nor compared, nor gated on; the merge is.
func shardConflicts(fs *flag.FlagSet, format, baseline, failOn string) string {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case set["format"] && format != "json":
		return fmt.Sprintf("--shard writes a partial report, which only --format json carries; give --format %s to sodkit merge, which renders the merged report", format)
	case baseline != "":
		return "--baseline compares a whole report, and a shard's holds only its identities' findings: give --baseline to sodkit merge"
	case failOn != "":
		return "--fail-on gates on a whole report, and a shard's holds only its identities' findings (and none about waivers): give --fail-on to sodkit merge"
	}
	return ""
}

// failOn parses a --fail-on value; the zero threshold when none is given.
// A bad one is a usage error of fs, printed, and ok is false.
func (e env) failOn(fs *flag.FlagSet, value string) (threshold audit.Severity, ok bool) {
	if value == "" {
		return 0, true
	}
	threshold, err := audit.ParseSeverity(value)
	if err != nil {
		e.usageError(fs, "--fail-on: %v", err)
		return 0, false
	}
	return threshold, true
}

// baseline reads the --baseline report, if one is named; a problem is
// printed, and ok is false.
func (e env) baseline(path string) (earlier *audit.Report, ok bool) {
	if path == "" {
		return nil, true
	}
	r, err := e.readReport(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit: --baseline %v\n", err)
		return nil, false
	}
	return &r, true
}

// deliver writes a report, as check and merge print it, and returns the
// exit code: the delta since earlier when there is one, in format (text
// shaped by text), then, when gate is set, exitFindings if a failing
// finding (with earlier: a new or changed one) is at or above threshold.
func (e env) deliver(report audit.Report, earlier *audit.Report, format string, text *audit.TextOptions, gate bool, threshold audit.Severity) int {
	var failing []audit.Finding
	var delta *audit.Delta
	if earlier != nil {
		d := report.Diff(*earlier)
		delta = &d
		failing = d.Failing(threshold)
	} else {
		failing = report.Failing(threshold)
	}
	if err := writeCheckOutput(e.stdout, report, delta, format, text); err != nil {
		fmt.Fprintf(e.stderr, "sodkit: writing the report: %v\n", err)
		return exitError
	}
	if gate && len(failing) > 0 {
		fmt.Fprintf(e.stderr, "sodkit: %d failing finding(s) at or above %s\n", len(failing), threshold)
		return exitFindings
	}
	return exitOK
}

// splitNames splits the values of --only or --skip at commas, trimming
// the spaces around each name.
func splitNames(values []string) []string {
	var out []string
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			out = append(out, strings.TrimSpace(name))
		}
	}
	return out
}

// kindPackages returns the packages --only and --skip accept, sorted: the
// part of each kind a scan can report before its dot.
func kindPackages() []string {
	var out []string
	for _, k := range scan.Kinds() {
		pkg, _, _ := strings.Cut(string(k.Kind), ".")
		if !slices.Contains(out, pkg) {
			out = append(out, pkg)
		}
	}
	return out
}
