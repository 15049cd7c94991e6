package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/audit/trail"
	"github.com/sodkit/sodkit/internal/suggest"
)

// Exit codes of sodkit log, beside exitOK and exitError. A cron job alerts
// on anything but 0: 1 is a security incident, 3 a crashed writer.
const (
	// exitTampered: the log or its checkpoints fail verification.
	exitTampered = 1
	// exitTorn: the log ends with a torn line from an interrupted append.
	exitTorn = 3
)

const logUsage = `Usage:
  sodkit log append [--stamp] LOG [RECORD.json...]
  sodkit log verify (--checkpoints FILE | --no-checkpoints) [--key PEM | --hmac-key FILE] [--format text|json] LOG
  sodkit log checkpoint --checkpoints FILE (--key PEM | --hmac-key FILE) [--origin NAME] LOG
  sodkit log repair LOG

The decision log is a tamper-evident, append-only file of access decisions
(JSON lines, each committing to the one before by SHA-256). Checkpoints sign
its size and head with Ed25519 (--key: a PEM private key to sign, a private
or public key to verify) or HMAC-SHA256 (--hmac-key: a file of at least 32
secret bytes). Keep the checkpoint file apart from the log.

  append      read decision records (JSON objects, one or more, from the files
              or standard input), validate them all, then append each and
              sync; a record without a business reason or a policy basis is
              rejected. --stamp sets the time of records that have none.
              Appends running at once (on one host) take turns through a
              lock on LOG and continue each other's chain.
  verify      check every entry and every checkpoint; report the first entry
              altered, inserted, removed, reordered or cut off.
  checkpoint  verify the log against the checkpoints so far, then sign its
              current head and append the checkpoint to the file.
  repair      remove a torn last line left by a crash (never an acknowledged
              entry); refuses a log that fails verification.

Exit codes (for cron jobs: alert on anything but 0):
  0  done; the log verified intact
  1  tampering: an entry was altered, inserted, removed, reordered or cut
     off, the log diverged from a checkpoint, a checkpoint is invalid, or
     LOG changed under an append other than by appends
  2  could not run: bad usage, unreadable file, invalid decision record, or
     a --checkpoints FILE to verify against that is missing or holds no
     checkpoint (--no-checkpoints checks the chain alone)
  3  the log ends with a torn line from an interrupted append (run
     "sodkit log repair LOG" after checking why the writer stopped)
`

func (e env) log(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, logUsage)
		return exitError
	}
	switch args[0] {
	case "append":
		return e.logAppend(args[1:])
	case "verify":
		return e.logVerify(args[1:])
	case "checkpoint":
		return e.logCheckpoint(args[1:])
	case "repair":
		return e.logRepair(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, logUsage)
		return exitOK
	}
	subcommands := []string{"append", "verify", "checkpoint", "repair", "help"}
	fmt.Fprintf(e.stderr, "sodkit log: unknown command %q%s; sodkit log help lists the commands\n", args[0], suggest.Hint(args[0], subcommands))
	return exitError
}

// logFlags returns a flag set for a log subcommand whose usage prints the
// log help.
func (e env) logFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("log "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), logUsage+"\nFlags of log "+name+":\n")
		fs.PrintDefaults()
	}
	return fs
}

// parseLog parses a log subcommand's flags and returns its positional
// arguments, or an exit code.
func (e env) parseLog(fs *flag.FlagSet, args []string, min, max int) ([]string, int, bool) {
	pos, code, ok := e.parseArgs(fs, args)
	if !ok {
		return nil, code, false
	}
	if len(pos) < min || (max >= 0 && len(pos) > max) {
		if len(pos) < min {
			return nil, e.usageError(fs, "missing LOG"), false
		}
		return nil, e.usageError(fs, "unexpected arguments %q", pos[max:]), false
	}
	return pos, 0, true
}

// keyFlags are the flags naming a checkpoint key.
type keyFlags struct{ pem, hmac string }

func (k *keyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&k.pem, "key", "", "Ed25519 key in PEM (PKCS #8 private key, or PKIX public key to verify only)")
	fs.StringVar(&k.hmac, "hmac-key", "", "file whose exact bytes (at least 32) are the HMAC-SHA256 secret")
}

// load reads the key; zero Key and no error when neither flag is set.
func (k keyFlags) load() (trail.Key, error) {
	switch {
	case k.pem != "" && k.hmac != "":
		return trail.Key{}, errors.New("give --key or --hmac-key, not both")
	case k.pem != "":
		data, err := os.ReadFile(k.pem)
		if err != nil {
			return trail.Key{}, err
		}
		key, err := trail.ParseKeyPEM(data)
		if err != nil {
			return trail.Key{}, fmt.Errorf("--key %s: %w", k.pem, err)
		}
		return key, nil
	case k.hmac != "":
		data, err := os.ReadFile(k.hmac)
		if err != nil {
			return trail.Key{}, err
		}
		key, err := trail.HMACKey(data)
		if err != nil {
			return trail.Key{}, fmt.Errorf("--hmac-key %s: %w", k.hmac, err)
		}
		return key, nil
	}
	return trail.Key{}, nil
}

// readCheckpoints reads a checkpoint file. A file that is missing or holds
// no checkpoint is an error naming it (wrapping os.ErrNotExist or
// trail.ErrNoCheckpoints): only checkpoint, which starts a store, accepts
// one.
func readCheckpoints(path string) ([]trail.Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cps, err := trail.ReadCheckpoints(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cps, nil
}

// exitFor maps a verification to the log exit codes.
func exitFor(v trail.Verification) int {
	switch v.State {
	case trail.Intact:
		return exitOK
	case trail.TornTail:
		return exitTorn
	}
	return exitTampered
}

// exitForError maps an error from opening, appending to or repairing a
// log to the log exit codes: a torn line is 3; tampering, or a file
// changed under the writer other than by appends, is 1.
func exitForError(err error) int {
	switch {
	case errors.Is(err, trail.ErrTornTail):
		return exitTorn
	case errors.Is(err, trail.ErrTampered), errors.Is(err, trail.ErrChanged):
		return exitTampered
	}
	return exitError
}

func (e env) logAppend(args []string) int {
	fs := e.logFlags("append")
	stamp := fs.Bool("stamp", false, "set the time of records that have none to now")
	pos, code, ok := e.parseLog(fs, args, 1, -1)
	if !ok {
		return code
	}
	path, sources := pos[0], pos[1:]

	// Read and validate every record before appending any, and report
	// every problem in every source.
	var decisions []audit.Decision
	read := func(name string, r io.Reader) bool {
		ds, err := audit.ReadDecisions(r)
		if err != nil {
			for _, one := range errorList(err) {
				fmt.Fprintf(e.stderr, "sodkit log append: %s: %v\n", name, one)
			}
			return false
		}
		ok := true
		for i, d := range ds {
			if *stamp && d.Time.IsZero() {
				d.Time = e.now()
			}
			if err := d.Validate(); err != nil {
				for _, one := range errorList(err) {
					fmt.Fprintf(e.stderr, "sodkit log append: %s: record %d: %v\n", name, i+1, one)
				}
				ok = false
				continue
			}
			decisions = append(decisions, d)
		}
		return ok
	}
	if len(sources) == 0 {
		sources = []string{"-"}
	}
	readOK := true
	for _, src := range sources {
		if src == "-" {
			readOK = read("standard input", e.stdin) && readOK
			continue
		}
		f, err := os.Open(src)
		if err != nil {
			fmt.Fprintf(e.stderr, "sodkit log append: %v\n", err)
			readOK = false
			continue
		}
		readOK = read(src, f) && readOK
		f.Close()
	}
	if !readOK {
		return exitError
	}
	if len(decisions) == 0 {
		fmt.Fprintln(e.stderr, "sodkit log append: no decision records to append")
		return exitError
	}

	l, err := trail.Open(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit log append: %v\n", err)
		return exitForError(err)
	}
	defer l.Close()
	for i, d := range decisions {
		entry, err := l.Append(d)
		if err != nil {
			fmt.Fprintf(e.stderr, "sodkit log append: record %d of %d not appended: %v\n", i+1, len(decisions), err)
			return exitForError(err)
		}
		fmt.Fprintf(e.stdout, "appended entry %d (hash %s)\n", entry.Seq, entry.Hash)
	}
	if err := l.Close(); err != nil {
		fmt.Fprintf(e.stderr, "sodkit log append: %v\n", err)
		return exitError
	}
	return exitOK
}

func (e env) logVerify(args []string) int {
	fs := e.logFlags("verify")
	var k keyFlags
	k.register(fs)
	cpPath := fs.String("checkpoints", "", "the checkpoint file to verify against")
	noCP := fs.Bool("no-checkpoints", false, "verify the chain alone (cannot detect a log cut short or rewritten to its end)")
	format := fs.String("format", "text", "output format: text or json")
	pos, code, ok := e.parseLog(fs, args, 1, 1)
	if !ok {
		return code
	}
	path := pos[0]
	switch {
	case *format != "text" && *format != "json":
		return e.usageError(fs, "unknown --format %q (want text or json)", *format)
	case *cpPath == "" && !*noCP:
		return e.usageError(fs, "give --checkpoints FILE (or --no-checkpoints to check the chain alone)")
	case *cpPath != "" && *noCP:
		return e.usageError(fs, "give --checkpoints or --no-checkpoints, not both")
	}
	key, err := k.load()
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit log verify: %v\n", err)
		return exitError
	}
	var cps []trail.Checkpoint
	if *cpPath != "" {
		if cps, err = readCheckpoints(*cpPath); err != nil {
			fmt.Fprintf(e.stderr, "sodkit log verify: %v\n", err)
			if errors.Is(err, trail.ErrNoCheckpoints) {
				fmt.Fprintln(e.stderr, "sodkit log verify: nothing to verify the log against; --no-checkpoints checks the chain alone")
			}
			return exitError
		}
		if key.Algorithm() == "" {
			return e.usageError(fs, "give --key or --hmac-key to verify the checkpoints")
		}
	}
	v, err := trail.VerifyFile(path, key, cps)
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit log verify: %s: %v\n", path, err)
		return exitError
	}
	if *format == "json" {
		findings := v.Findings(path)
		if findings == nil {
			findings = []audit.Finding{}
		}
		err = writeJSON(e.stdout, struct {
			Log          string             `json:"log"`
			Verification trail.Verification `json:"verification"`
			Findings     []audit.Finding    `json:"findings"`
			Checkpoints  int                `json:"checkpoints"`
		}{path, v, findings, len(cps)})
	} else {
		_, err = fmt.Fprintf(e.stdout, "%s: %s\n", path, v)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit: writing: %v\n", err)
		return exitError
	}
	return exitFor(v)
}

func (e env) logCheckpoint(args []string) int {
	fs := e.logFlags("checkpoint")
	var k keyFlags
	k.register(fs)
	cpPath := fs.String("checkpoints", "", "the checkpoint file to append to (created if missing)")
	origin := fs.String("origin", "", "the log's name in the checkpoint (default: the log file's base name)")
	pos, code, ok := e.parseLog(fs, args, 1, 1)
	if !ok {
		return code
	}
	path := pos[0]
	if *cpPath == "" {
		return e.usageError(fs, "missing --checkpoints FILE")
	}
	key, err := k.load()
	if err == nil && !key.CanSign() {
		err = errors.New("give --key with a private key, or --hmac-key, to sign")
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit log checkpoint: %v\n", err)
		return exitError
	}
	cps, err := readCheckpoints(*cpPath)
	switch {
	case errors.Is(err, os.ErrNotExist), errors.Is(err, trail.ErrNoCheckpoints):
		fmt.Fprintf(e.stderr, "sodkit log checkpoint: note: %s holds no checkpoint yet: signing the first\n", *cpPath)
	case err != nil:
		fmt.Fprintf(e.stderr, "sodkit log checkpoint: %v\n", err)
		return exitError
	}
	v, err := trail.VerifyFile(path, key, cps)
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit log checkpoint: %s: %v\n", path, err)
		return exitError
	}
	switch v.State {
	case trail.Intact:
	case trail.TornTail:
		// A crash left a torn line (VerifyFile does not see an append in
		// progress): the complete entries before it are what we sign.
		fmt.Fprintf(e.stderr, "sodkit log checkpoint: note: %s; signing the %d complete entries before it\n", v, v.Entries)
	default:
		fmt.Fprintf(e.stderr, "sodkit log checkpoint: refusing to sign: %s: %s\n", path, v)
		return exitTampered
	}
	name := *origin
	if name == "" {
		name = filepath.Base(path)
	}
	cp, err := key.Sign(trail.Checkpoint{Origin: name, Head: v.Head, Time: e.now()})
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit log checkpoint: %v\n", err)
		return exitError
	}
	f, err := os.OpenFile(*cpPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		err = trail.WriteCheckpoint(f, cp)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit log checkpoint: %v\n", err)
		return exitError
	}
	fmt.Fprintf(e.stdout, "%s\n", cp)
	return exitOK
}

func (e env) logRepair(args []string) int {
	fs := e.logFlags("repair")
	pos, code, ok := e.parseLog(fs, args, 1, 1)
	if !ok {
		return code
	}
	removed, err := trail.Repair(pos[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit log repair: %v\n", err)
		return exitForError(err)
	}
	if removed == nil {
		fmt.Fprintf(e.stdout, "%s: intact, nothing to repair\n", pos[0])
		return exitOK
	}
	fmt.Fprintf(e.stdout, "%s: removed a torn last line of %d bytes: %q\n", pos[0], len(removed), bytes.TrimSpace(removed))
	return exitOK
}

// errorList flattens joined errors.
func errorList(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
