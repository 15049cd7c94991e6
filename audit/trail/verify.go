package trail

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"

	"github.com/sodkit/sodkit/audit"
)

// State is the outcome of verifying a log.
//
// The zero State is Unverified: a Verification nobody filled in never
// says a log is intact.
type State uint8

// The states Verify reports. Every state but Intact and TornTail
// means the log or its checkpoints were tampered with (or damaged).
const (
	// Unverified: no verification took place.
	Unverified State = iota
	// Intact: every entry follows the one before, and the log matches
	// every checkpoint.
	Intact
	// TornTail: the log is intact except for an incomplete last line,
	// the trace of an append interrupted by a crash. That append was never
	// acknowledged; Repair removes it.
	TornTail
	// Altered: an entry's bytes changed, an entry does not commit to
	// the one before it, or an entry is malformed although its hash
	// matches (its decision names a member twice, names an unknown field,
	// or is invalid).
	Altered
	// Inserted: an entry (or a line that is not an entry) was inserted.
	Inserted
	// Removed: entries are missing from the middle of the log.
	Removed
	// Reordered: entries appear out of order.
	Reordered
	// CutOff: the log ends before a checkpoint's size: entries were
	// cut off (truncation or rollback).
	CutOff
	// Diverged: the chain is consistent but does not reach the head a
	// checkpoint signed: entries after the last matching checkpoint were
	// rewritten and re-chained.
	Diverged
	// BadCheckpoint: a checkpoint's signature does not verify, or two
	// checkpoints of the same size disagree.
	BadCheckpoint
)

var stateNames = [...]string{
	Unverified: "unverified", Intact: "intact", TornTail: "torn-tail",
	Altered: "altered", Inserted: "inserted", Removed: "removed",
	Reordered: "reordered", CutOff: "cut-off", Diverged: "diverged",
	BadCheckpoint: "bad-checkpoint",
}

// String returns the state's name: "intact", "torn-tail", "altered", …
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("logstate(%d)", uint8(s))
}

// MarshalText encodes s as its name.
func (s State) MarshalText() ([]byte, error) {
	if int(s) >= len(stateNames) {
		return nil, fmt.Errorf("invalid log state %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a state name.
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if string(b) == n {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("unknown log state %q", b)
}

// Tampered reports whether s means the log or its checkpoints cannot be
// trusted: every state except Intact and TornTail (Unverified
// counts as tampered: it fails closed).
func (s State) Tampered() bool { return s != Intact && s != TornTail }

// Errors wrapped by Verification.Err, Open and Entries.
var (
	// ErrTampered: the log or its checkpoints fail verification.
	ErrTampered = errors.New("audit log fails verification")
	// ErrTornTail: the log ends with an incomplete line from an
	// interrupted append.
	ErrTornTail = errors.New("audit log ends with a torn line")
)

// Verification is what Verify found.
//
// Entries before At are trustworthy; the first untrustworthy entry is At.
// At is 0 when the log is intact, and for BadCheckpoint, which concerns
// the checkpoints rather than one entry.
type Verification struct {
	// State is the outcome. The zero State is Unverified, which counts as
	// tampered.
	State State `json:"state"`
	// Entries counts the entries verified in order from the start, before
	// the first problem.
	Entries uint64 `json:"entries"`
	// Head is the head after those entries: the log's head when it is
	// intact.
	Head Head `json:"head"`
	// Checkpointed is the size of the largest checkpoint the log matched
	// (0 when none did or none was given). Entries after it are protected
	// only by the chain: an entry appended after the last checkpoint by
	// someone who can write the log is not detectable.
	Checkpointed uint64 `json:"checkpointed"`
	// At is the sequence number (position, counting from 1) of the first
	// entry that cannot be trusted.
	At uint64 `json:"at,omitempty"`
	// Detail says what was found, for people.
	Detail string `json:"detail,omitempty"`
}

// OK reports whether the log verified intact.
func (v Verification) OK() bool { return v.State == Intact }

// String describes the outcome on one line.
func (v Verification) String() string {
	switch v.State {
	case Intact:
		s := fmt.Sprintf("intact: %d entries, head %s", v.Head.Size, v.Head.Hash)
		if v.Checkpointed > 0 {
			s += fmt.Sprintf("; matches the checkpoint at size %d", v.Checkpointed)
		}
		return s
	case Unverified:
		return "unverified"
	}
	s := v.State.String()
	if v.At > 0 {
		s += fmt.Sprintf(" at entry %d", v.At)
	}
	if v.Detail != "" {
		s += ": " + v.Detail
	}
	return s
}

// Err returns nil for an intact log, an error wrapping ErrTornTail for a
// torn last line, and one wrapping ErrTampered for every other state.
func (v Verification) Err() error {
	switch v.State {
	case Intact:
		return nil
	case TornTail:
		return fmt.Errorf("%w: %s", ErrTornTail, v)
	}
	return fmt.Errorf("%w: %s", ErrTampered, v)
}

// Verify reads a log to its end and checks it: every line must be a
// well-formed entry whose bytes match its hash, carry the next sequence
// number, and commit to the entry before it; the log must reach the head of
// every checkpoint, each of which must verify with key. It reports the first
// entry that was altered, inserted, removed, reordered or cut off, and tells
// a torn last line (an interrupted append) apart from tampering.
//
// With no checkpoints (nil or empty) only the chain is checked (key may be
// the zero Key): a log cut short at an entry boundary, or rewritten from
// some entry to its end, then looks intact. That is for a caller who asks
// for the chain alone; a checkpoint store that holds nothing is not a
// store the log matched, and ReadCheckpoints reports it as
// ErrNoCheckpoints rather than return an empty list. Checkpoints may be
// given in any order; more of them localise a rewrite more precisely.
//
// Verify streams: memory does not grow with the log. The error is non-nil
// only when the log could not be read, or checkpoints were given with the
// zero Key; tampering is reported in the Verification.
func Verify(log io.Reader, key Key, checkpoints []Checkpoint) (Verification, error) {
	c, v := newChain(log, key, checkpoints)
	if v.State != Unverified {
		return v, nil
	}
	if c == nil {
		return v, ErrNoKey
	}
	return c.run(nil)
}

// Entries returns an iterator over the entries of a log, in order,
// verifying the chain as it reads (as Verify does without checkpoints). It
// stops after yielding a non-nil error: one wrapping ErrTampered or
// ErrTornTail at the first problem, or a read error. Entries yielded before
// an error were verified. It streams.
func Entries(log io.Reader) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		c, _ := newChain(log, Key{}, nil)
		stopped := false
		v, err := c.run(func(e Entry) bool {
			if !yield(e, nil) {
				stopped = true
				return false
			}
			return true
		})
		if stopped {
			return
		}
		if err == nil {
			err = v.Err()
		}
		if err != nil {
			yield(Entry{}, err)
		}
	}
}

// VerifyFile verifies the log file name as Verify does, as it stands when
// VerifyFile opens it: it takes the file's shared lock (see Log) just long
// enough to read the file's size, then verifies that many bytes without
// holding the lock. So an append in progress in another process is neither
// waited for nor mistaken for a torn line, and appenders are not held up
// for as long as the verification takes. Where the platform offers no file
// lock (and so no Log appends), it verifies the whole file.
func VerifyFile(name string, key Key, checkpoints []Checkpoint) (Verification, error) {
	f, err := os.Open(name)
	if err != nil {
		return Verification{}, err
	}
	defer f.Close()
	v, err := verifyLocked(f, key, checkpoints, nil)
	if errors.Is(err, errors.ErrUnsupported) {
		return Verify(f, key, checkpoints)
	}
	if err != nil {
		return v, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

// verifyLocked verifies f up to its size at a moment no locked writer is
// mid-append, calling onEntry (if not nil) for each entry accepted.
func verifyLocked(f *os.File, key Key, checkpoints []Checkpoint, onEntry func(Entry)) (Verification, error) {
	if err := lockFile(f, false); err != nil {
		return Verification{}, err
	}
	fi, err := f.Stat()
	if uerr := unlockFile(f); err == nil {
		err = uerr
	}
	if err != nil {
		return Verification{}, err
	}
	c, v := newChain(io.NewSectionReader(f, 0, fi.Size()), key, checkpoints)
	if v.State != Unverified {
		return v, nil
	}
	if c == nil {
		return v, ErrNoKey
	}
	var each func(Entry) bool
	if onEntry != nil {
		each = func(e Entry) bool { onEntry(e); return true }
	}
	return c.run(each)
}

// Repair removes a torn last line (the trace of an append a crash
// interrupted, which was never acknowledged) from the log file name, syncs
// the file, and returns the bytes it removed. It refuses, with an error
// wrapping ErrTampered, a log whose entries do not verify, and removes
// nothing (returning nil) from a log that is not torn.
//
// It holds the file's exclusive lock (see Log) while it verifies and
// truncates, so it never cuts an append in progress, and it fails with an
// error wrapping errors.ErrUnsupported on a platform that offers no file
// lock.
func Repair(name string) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close() // and so unlock
	if err := lockFile(f, true); err != nil {
		return nil, err
	}
	v, err := Verify(f, Key{}, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	switch v.State {
	case Intact:
		return nil, nil
	case TornTail:
	default:
		return nil, fmt.Errorf("%s: %w", name, v.Err())
	}
	// Find where the last complete entry ends: re-read, counting bytes.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	lr := newLineReader(f)
	for range v.Entries {
		if _, err := lr.next(); err != nil {
			return nil, err
		}
	}
	keep := lr.off
	torn, err := io.ReadAll(io.LimitReader(lr.br, MaxEntryBytes+1))
	if err != nil {
		return nil, err
	}
	if err := f.Truncate(keep); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	return torn, f.Close()
}

// lineReader reads a log's lines, bounded by MaxEntryBytes.
type lineReader struct {
	br  *bufio.Reader
	off int64 // bytes consumed, through the end of the last line returned
}

// rawLine is one line: its bytes without the newline, whether it ended
// with a newline, and whether it was longer than MaxEntryBytes (then b is
// cut short).
type rawLine struct {
	b        []byte
	complete bool
	tooLong  bool
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line, or io.EOF when the input has no more bytes.
func (lr *lineReader) next() (rawLine, error) {
	var ln rawLine
	any := false
	for {
		chunk, err := lr.br.ReadSlice('\n')
		lr.off += int64(len(chunk))
		any = any || len(chunk) > 0
		if len(ln.b)+len(chunk) <= MaxEntryBytes+1 {
			ln.b = append(ln.b, chunk...)
		} else {
			ln.tooLong = true
		}
		switch err {
		case nil:
			ln.complete = true
			if !ln.tooLong {
				ln.b = ln.b[:len(ln.b)-1]
			}
			if len(ln.b) > MaxEntryBytes {
				ln.tooLong = true
			}
			return ln, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if !any {
				return rawLine{}, io.EOF
			}
			return ln, nil
		default:
			return rawLine{}, err
		}
	}
}

// chain is the state of one verification pass.
type chain struct {
	lr      *lineReader
	cps     []Checkpoint // sorted by size, one per size, signatures verified
	ci      int          // next checkpoint to reach
	matched Head         // the largest checkpoint matched so far
	n       uint64       // entries accepted
	h1, h0  Hash         // hashes of entries n and n-1
}

// newChain prepares a verification. It returns a finished Verification
// instead when the checkpoints are bad, and a nil chain when checkpoints
// were given without a key.
func newChain(r io.Reader, key Key, checkpoints []Checkpoint) (*chain, Verification) {
	if len(checkpoints) > 0 && key.alg == "" {
		return nil, Verification{}
	}
	cps := slices.Clone(checkpoints)
	slices.SortStableFunc(cps, func(a, b Checkpoint) int { return cmp.Compare(a.Size, b.Size) })
	for i, cp := range cps {
		if err := key.Verify(cp); err != nil {
			return nil, Verification{State: BadCheckpoint, Detail: err.Error()}
		}
		if i > 0 && cps[i-1].Size == cp.Size && cps[i-1].Hash != cp.Hash {
			return nil, Verification{State: BadCheckpoint,
				Detail: fmt.Sprintf("two checkpoints of size %d name different heads (%s and %s): the log was forked", cp.Size, cps[i-1].Hash, cp.Hash)}
		}
	}
	cps = slices.CompactFunc(cps, func(a, b Checkpoint) bool { return a.Size == b.Size })
	return &chain{lr: newLineReader(r), cps: cps}, Verification{}
}

// result builds a Verification whose first untrusted entry is at (0 for an
// intact log), with head the head of the entries before it.
func (c *chain) result(state State, at uint64, head Head, detail string, args ...any) Verification {
	v := Verification{State: state, Entries: head.Size, Head: head, Checkpointed: c.matched.Size, At: at}
	if len(args) > 0 {
		detail = fmt.Sprintf(detail, args...)
	}
	v.Detail = detail
	return v
}

func (c *chain) heads() (last, beforeLast Head) {
	last = Head{Size: c.n, Hash: c.h1}
	if c.n > 0 {
		beforeLast = Head{Size: c.n - 1, Hash: c.h0}
	}
	return last, beforeLast
}

// peek reads and parses the line after the current one; it returns false
// when there is none or it is not a well-formed entry.
func (c *chain) peek() (Entry, bool) {
	ln, err := c.lr.next()
	if err != nil || !ln.complete || ln.tooLong {
		return Entry{}, false
	}
	e, err := parseEntry(ln.b, 0) // the error, and so its line, is not used
	return e, err == nil
}

// run verifies the log, calling onEntry for each entry accepted; a false
// return stops the pass early (the result is then intact so far).
func (c *chain) run(onEntry func(Entry) bool) (Verification, error) {
	for c.ci < len(c.cps) && c.cps[c.ci].Size == 0 {
		if !c.cps[c.ci].Hash.IsZero() {
			return c.result(Diverged, 1, Head{}, "a checkpoint of size 0 names head %s, not the empty log's", c.cps[c.ci].Hash), nil
		}
		c.ci++
	}
	for {
		ln, err := c.lr.next()
		if err == io.EOF {
			break
		}
		last, beforeLast := c.heads()
		if err != nil {
			return c.result(Unverified, 0, last, "reading entry %d: %v", c.n+1, err), err
		}
		e := c.n + 1
		if !ln.complete {
			if c.ci < len(c.cps) {
				return c.result(CutOff, e, last,
					"the log ends after entry %d with a torn line (%d bytes), but a checkpoint covers %d entries", c.n, len(ln.b), c.cps[c.ci].Size), nil
			}
			return c.result(TornTail, e, last,
				"the last line (%d bytes, no newline) is an interrupted append that was never acknowledged", len(ln.b)), nil
		}
		var p Entry
		if ln.tooLong {
			err = fmt.Errorf("line longer than %d bytes", MaxEntryBytes)
		} else {
			p, err = parseEntry(ln.b, e)
		}
		if err != nil {
			if nx, ok := c.peek(); ok && nx.Seq == e && nx.Prev == c.h1 {
				return c.result(Inserted, e, last, "line %d is not a log entry (%v), and the line after it is entry %d", e, err, e), nil
			}
			return c.result(Altered, e, last, "entry %d: %v", e, err), nil
		}
		switch {
		case p.Seq > e:
			if nx, ok := c.peek(); ok && nx.Seq == e {
				return c.result(Reordered, e, last, "entry %d appears before entry %d", p.Seq, e), nil
			}
			if p.Seq == e+1 {
				return c.result(Removed, e, last, "entry %d is missing: the line after entry %d is entry %d", e, c.n, p.Seq), nil
			}
			return c.result(Removed, e, last, "entries %d to %d are missing: the line after entry %d is entry %d", e, p.Seq-1, c.n, p.Seq), nil
		case p.Seq < e:
			if c.n > 0 && p.Hash == c.h1 {
				return c.result(Inserted, e, last, "line %d repeats entry %d", e, p.Seq), nil
			}
			if p.Seq == c.n && p.Prev == c.h0 {
				return c.result(Inserted, c.n, beforeLast, "lines %d and %d are two different entries %d: one of them was inserted", c.n, e, p.Seq), nil
			}
			return c.result(Inserted, e, last, "line %d holds entry %d, copied or moved from earlier in the log", e, p.Seq), nil
		case p.Prev != c.h1:
			if nx, ok := c.peek(); ok && nx.Seq == e && nx.Prev == c.h1 {
				return c.result(Inserted, e, last, "line %d is a forged entry %d; the line after it is the real one", e, e), nil
			}
			if c.n == 0 {
				return c.result(Altered, 1, Head{}, "entry 1 does not start the chain (its prev is %s)", p.Prev), nil
			}
			return c.result(Altered, c.n, beforeLast,
				"entry %d does not commit to entry %d: entry %d was rewritten (or entry %d forged)", e, c.n, c.n, e), nil
		}
		c.n, c.h0, c.h1 = e, c.h1, p.Hash
		for c.ci < len(c.cps) && c.cps[c.ci].Size == c.n {
			if cp := c.cps[c.ci]; cp.Hash != c.h1 {
				if nx, ok := c.peek(); ok && nx.Seq == c.n && nx.Hash == cp.Hash {
					_, beforeLast := c.heads()
					return c.result(Inserted, c.n, beforeLast,
						"line %d is a forged entry %d; the line after it is the one the checkpoint of size %d signed", c.n, c.n, c.n), nil
				}
				return c.result(Diverged, c.matched.Size+1, c.matched,
					"entries %d to %d do not match the checkpoint of size %d made at %s: they were rewritten",
					c.matched.Size+1, c.n, c.n, cp.Time.UTC().Format("2006-01-02T15:04:05Z07:00")), nil
			}
			c.matched = Head{Size: c.n, Hash: c.h1}
			c.ci++
		}
		if onEntry != nil && !onEntry(p) {
			last, _ := c.heads()
			return c.result(Intact, 0, last, ""), nil
		}
	}
	last, _ := c.heads()
	if c.ci < len(c.cps) {
		return c.result(CutOff, c.n+1, last, "the log ends after entry %d, but a checkpoint covers %d entries", c.n, c.cps[len(c.cps)-1].Size), nil
	}
	return c.result(Intact, 0, last, ""), nil
}

// The finding kinds a log verification reports (see Verification.Findings).
// Their values keep the "audit." prefix they had when the log was part of
// package audit: finding kinds and IDs are stable across releases.
const (
	// KindTampered: the log fails verification (altered, inserted,
	// removed, reordered, cut off, diverged from a checkpoint, or not
	// verified at all).
	KindTampered audit.Kind = "audit.log-tampered"
	// KindTorn: the log ends with a torn line from an interrupted
	// append.
	KindTorn audit.Kind = "audit.log-torn"
	// KindCheckpointInvalid: a checkpoint does not verify, or two disagree.
	KindCheckpointInvalid audit.Kind = "audit.checkpoint-invalid"
)

var (
	au9   = audit.Ref(audit.SP80053, "AU-9")
	au9_3 = audit.Ref(audit.SP80053, "AU-9(3)")
	au10  = audit.Ref(audit.SP80053, "AU-10")
)

// kinds is the table of the finding kinds a verification reports.
var kinds = audit.KindTable{
	{Kind: KindTampered, Title: "Audit log fails verification", Severity: audit.Critical,
		Controls:    []audit.Control{au9, au9_3, au10},
		Remediation: "Treat the log as evidence of tampering: preserve it and its checkpoints, compare with a backup, and find who could write it.",
		Help:        "An entry of the decision log was altered, inserted, removed or reordered, the log was cut off or diverged from a checkpoint, or it could not be verified at all."},
	{Kind: KindTorn, Title: "Audit log ends with a torn line", Severity: audit.Medium,
		Controls:    []audit.Control{au9, au9_3, au10},
		Remediation: "Check why the writer stopped, then remove the torn line with `sodkit log repair`; no acknowledged entry is lost.",
		Help:        "The last line of the decision log is incomplete: an append was interrupted by a crash. No acknowledged entry is lost, but the log needs repair before the next append."},
	{Kind: KindCheckpointInvalid, Title: "Audit log checkpoint does not verify", Severity: audit.Critical,
		Controls:    []audit.Control{au9, au9_3, au10},
		Remediation: "Treat the checkpoint store as tampered with: restore it from its write-once copy and check who could write it.",
		Help:        "A signed checkpoint of the decision log does not verify with the key, or two checkpoints disagree about the same size."},
}

// Kinds returns every finding kind a verification reports (see
// Verification.Findings), sorted, with its controls sorted. The result is
// the caller's.
func Kinds() []audit.KindInfo { return kinds.All() }

// Findings returns the verification as findings about the log called name:
// none for an intact log, otherwise one finding (kind KindTampered,
// KindTorn or KindCheckpointInvalid) citing AU-9, AU-9(3) and AU-10. A
// torn tail is Medium (a crash, not an attack, but the log needs repair);
// everything else is Critical.
func (v Verification) Findings(name string) []audit.Finding {
	if v.State == Intact {
		return nil
	}
	kind := KindTampered
	msg := fmt.Sprintf("The audit log %s fails verification: %s.", name, v)
	switch v.State {
	case TornTail:
		kind = KindTorn
		msg = fmt.Sprintf("The audit log %s ends with a torn line: an append was interrupted (%s).", name, v.Detail)
	case BadCheckpoint:
		kind = KindCheckpointInvalid
		msg = fmt.Sprintf("A checkpoint of the audit log %s does not verify: %s.", name, v.Detail)
	}
	ev := []audit.Evidence{
		{Label: "state", Value: v.State.String()},
		{Label: "verified entries", Value: fmt.Sprintf("%d (head %s)", v.Head.Size, v.Head.Hash)},
	}
	if v.At > 0 {
		ev = append(ev, audit.Evidence{Label: "first untrusted entry", Value: fmt.Sprint(v.At)})
	}
	if v.Checkpointed > 0 {
		ev = append(ev, audit.Evidence{Label: "last matching checkpoint", Value: fmt.Sprintf("size %d", v.Checkpointed)})
	}
	return []audit.Finding{kinds.Get(kind).New("", audit.Subject{Type: "log", ID: name}, msg, ev...)}
}
