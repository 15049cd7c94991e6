package trail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/internal/strictjson"
)

// Format names the version of the log's line format. It is part of every
// entry's hash, so a log written in one format never verifies as another.
const Format = "sodkit.log/v1"

// MaxEntryBytes is the longest log line (one entry, without its newline)
// that Append writes and that readers accept.
const MaxEntryBytes = 1 << 20

// Hash is a SHA-256 digest in the log's hash chain. It is written as 64
// lower-case hex digits. The zero Hash is the head of the empty log.
type Hash [sha256.Size]byte

// String returns the hash as 64 lower-case hex digits.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is the zero hash.
func (h Hash) IsZero() bool { return h == Hash{} }

// MarshalText encodes h as 64 lower-case hex digits.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes 64 lower-case hex digits.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// ParseHash parses 64 lower-case hex digits. The error quotes the input.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) || !isLowerHex(s) {
		return Hash{}, fmt.Errorf("invalid hash %q (want 64 lower-case hex digits)", s)
	}
	hex.Decode(h[:], []byte(s))
	return h, nil
}

// Head is the state of a log: the number of entries it holds and the hash
// of the last one. The zero Head is the empty log.
type Head struct {
	// Size is the number of entries in the log.
	Size uint64 `json:"size"`
	// Hash is the hash of the last entry (Entry.Hash), the zero Hash for
	// the empty log.
	Hash Hash `json:"hash"`
}

// String returns "size N, head HASH".
func (h Head) String() string { return fmt.Sprintf("size %d, head %s", h.Size, h.Hash) }

// Entry is one entry of the log: a decision with its place in the chain.
//
// On disk an entry is one line of JSON, written once and never re-encoded:
//
//	{"seq":N,"prev":"PREV","decision":{…},"hash":"HASH"}
//
// Seq counts from 1. PREV is the hash of entry N-1 (the zero hash for entry
// 1). HASH is the SHA-256 of the text "sodkit.log/v1" and a newline followed
// by the line's exact bytes up to, not including, `,"hash":`. Every check
// works on those stored bytes; the decision is decoded only to be read.
type Entry struct {
	// Seq is the entry's position in the log, counting from 1.
	Seq uint64
	// Prev is the hash of entry Seq-1, the zero Hash for entry 1.
	Prev Hash
	// Hash is the entry's own hash, computed over its stored bytes.
	Hash Hash
	// Decision is the decision the entry records, decoded from Raw.
	Decision audit.Decision
	// Raw is the entry's line as stored, without its newline.
	Raw []byte
}

// Errors returned by Log.
var (
	// ErrClosed: Append on a closed log, or on a Log with no writer.
	ErrClosed = errors.New("audit log closed")
	// ErrBroken: an earlier write or sync failed, so what reached the
	// writer is unknown; the log accepts no more appends. Reopen the file
	// (Open verifies it and reports a torn last line).
	ErrBroken = errors.New("audit log broken by an earlier failed write")
	// ErrChanged: the log file changed in a way appends never change
	// it: it shrank, was removed or replaced, the entry this Log knew as
	// its head was rewritten, or what other writers appended since this
	// Log last looked does not follow that head (the error then also wraps
	// ErrTampered). Entries appended by other locked writers are followed,
	// not an error. The Log accepts no more appends.
	ErrChanged = errors.New("audit log file changed other than by appends")
)

// Log appends decisions to a tamper-evident, append-only log: a hash chain
// of JSON lines (see Entry). It writes to a file opened with Open or
// to any io.Writer given to New.
//
// Append is safe for concurrent use by several goroutines; entries are
// written one whole line at a time, in the order their appends take the
// log's lock. An Append that returns without error has been written and, if
// the writer has a Sync() error method (an *os.File does), synced: an
// acknowledged decision survives a crash.
//
// Several processes (and several Logs in one process) may append to one
// file opened with Open. Each Append takes an exclusive advisory
// lock on the file (flock on Unix, LockFileEx on Windows), reads and
// verifies whatever other writers appended since this Log last looked,
// continues the chain after it, writes and syncs its entry, and unlocks.
// So appends serialise and never fork the chain, and an Append never
// writes after entries it has not verified. Advisory locks bind only
// writers that take them, on one host: network file systems may not honour
// them (see docs/audit-log.md). On a platform with neither lock,
// Open fails rather than append unlocked.
//
// An Append fails, changing nothing, when the file ends with a torn line
// (ErrTornTail: another writer crashed mid-append; Repair removes
// it). The Log refuses every further append after a failed write or sync
// (ErrBroken) and when the file changed other than by appends
// (ErrChanged). A Log made by New takes no lock: it must be the only
// writer of its io.Writer.
//
// The zero Log has no writer and rejects every append with ErrClosed.
type Log struct {
	mu   sync.Mutex
	w    io.Writer
	file *os.File // the file opened by Open, or nil
	path string   // for a file: its absolute name, to notice a replaced file
	off  int64    // for a file: where the head's line ends
	// headLine is the head entry's line, newline included (nil for the
	// empty log), and headPrev that entry's prev: a file's Append checks
	// the line is still in place before it follows other writers.
	headLine []byte
	headPrev Hash
	head     Head
	err      error // sticky: ErrBroken or ErrChanged
	closed   bool
}

// New returns a log that appends to w, continuing the chain after head
// (the zero Head for a new, empty log). The caller keeps w open and closes
// it; Close on the Log only stops further appends.
//
// Durability is w's: Append calls w.Sync() when w has that method and
// otherwise only w.Write. New takes no lock and does not look at what w
// holds: to share a file with other writers, use Open.
func New(w io.Writer, head Head) *Log {
	return &Log{w: w, head: head}
}

// Open opens the log file name for appending, creating it (mode
// 0600) if it does not exist. It reads and verifies the whole chain first
// and fails if the log is not intact: an error wrapping ErrTornTail when the
// last line was cut short by a crash (see Repair), or ErrTampered for
// anything else. Like VerifyFile, it verifies the file up to the end of the
// last append completed when it opens it, so another writer's append in
// progress is not mistaken for a torn line. Close the Log to close the
// file.
//
// It fails with an error wrapping errors.ErrUnsupported on a platform
// that offers no file lock.
func Open(name string) (*Log, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	l := &Log{w: f, file: f, path: abs}
	v, err := verifyLocked(f, Key{}, nil, func(e Entry) {
		l.off += int64(len(e.Raw)) + 1
		l.head, l.headLine, l.headPrev = Head{Size: e.Seq, Hash: e.Hash}, e.Raw, e.Prev
	})
	if err == nil {
		err = v.Err()
	}
	if err == nil {
		err = syncDir(name)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if l.headLine != nil {
		l.headLine = append(l.headLine[:len(l.headLine):len(l.headLine)], '\n')
	}
	return l, nil
}

// syncDir makes a newly created file's directory entry durable.
func syncDir(name string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be synced there; NTFS journals them
	}
	d, err := os.Open(filepath.Dir(name))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Head returns the log's current head: the number of entries and the hash
// of the last one acknowledged so far (or, for a file, followed: written by
// another writer and verified by the last Append).
func (l *Log) Head() Head {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.head
}

// Append validates d, writes it as the next entry and syncs it. It returns
// the entry as stored. An invalid decision is rejected with the errors of
// audit.Decision.Validate and leaves the log unchanged. d.Time is stored in UTC.
//
// For a file, Append first takes the file's lock and follows the entries
// other writers appended (see Log); it blocks while another writer holds
// the lock.
func (l *Log) Append(d audit.Decision) (Entry, error) {
	if err := d.Validate(); err != nil {
		return Entry{}, err
	}
	d.Time = d.Time.UTC()
	d.Findings = slices.Clone(d.Findings)
	dj, err := marshalDecision(d)
	if err != nil {
		return Entry{}, err
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed || l.w == nil:
		return Entry{}, ErrClosed
	case l.err != nil:
		return Entry{}, l.err
	}
	if l.file != nil {
		if err := lockFile(l.file, true); err != nil {
			return Entry{}, err
		}
		defer func() {
			if uerr := unlockFile(l.file); uerr != nil && l.err == nil {
				// The entry, if written, is durable; but the lock may be
				// held still. Closing the file releases it.
				l.err = fmt.Errorf("%w: unlocking: %v", ErrBroken, uerr)
				l.file.Close()
			}
		}()
		if err := l.follow(); err != nil {
			return Entry{}, err
		}
	}
	e := Entry{Seq: l.head.Size + 1, Prev: l.head.Hash, Decision: d}
	line, hash := encodeEntry(e.Seq, e.Prev, dj)
	if len(line)-1 > MaxEntryBytes {
		return Entry{}, fmt.Errorf("decision record: %d bytes encoded, more than the %d a log entry may hold", len(line)-1, MaxEntryBytes)
	}
	e.Raw, e.Hash = line[:len(line)-1:len(line)-1], hash
	n, err := l.w.Write(line)
	if err == nil && n != len(line) {
		err = io.ErrShortWrite
	}
	if err == nil {
		if s, ok := l.w.(interface{ Sync() error }); ok {
			err = s.Sync()
		}
	}
	if err != nil {
		l.err = fmt.Errorf("%w: %v", ErrBroken, err)
		return Entry{}, l.err
	}
	l.off += int64(len(line))
	l.head, l.headLine, l.headPrev = Head{Size: e.Seq, Hash: e.Hash}, line, e.Prev
	return e, nil
}

// follow brings a file's Log up to date, under the file's lock: it checks
// that the file is still the one opened and that the head's line is still
// in place, then verifies and adopts the entries other writers appended
// after it. A torn line fails the append; anything else that is not an
// append breaks the Log with ErrChanged.
func (l *Log) follow() error {
	changed := func(format string, args ...any) error {
		l.err = fmt.Errorf("%w: %s: "+format, append([]any{ErrChanged, l.file.Name()}, args...)...)
		return l.err
	}
	fi, err := l.file.Stat()
	if err != nil {
		return err
	}
	if cur, err := os.Stat(l.path); err != nil || !os.SameFile(fi, cur) {
		return changed("the file was removed or replaced since it was opened")
	}
	size := fi.Size()
	if size < l.off {
		return changed("the file shrank from %d to %d bytes", l.off, size)
	}
	if n := int64(len(l.headLine)); n > 0 {
		got := make([]byte, n)
		if _, err := l.file.ReadAt(got, l.off-n); err != nil {
			return err
		}
		if !bytes.Equal(got, l.headLine) {
			return changed("entry %d, the last this Log wrote or read, was rewritten", l.head.Size)
		}
	}
	if size == l.off {
		return nil
	}
	c := &chain{lr: newLineReader(io.NewSectionReader(l.file, l.off, size-l.off)), n: l.head.Size, h1: l.head.Hash, h0: l.headPrev}
	v, err := c.run(func(e Entry) bool {
		l.off += int64(len(e.Raw)) + 1
		l.head, l.headLine, l.headPrev = Head{Size: e.Seq, Hash: e.Hash}, append(e.Raw[:len(e.Raw):len(e.Raw)], '\n'), e.Prev
		return true
	})
	switch {
	case err != nil:
		return err
	case v.State == Intact:
		return nil
	case v.State == TornTail:
		return fmt.Errorf("%s: %w", l.file.Name(), v.Err())
	}
	return changed("what other writers appended does not follow entry %d: %w", v.Head.Size, v.Err())
}

// Close stops further appends and, for a log opened with Open,
// closes the file. Closing twice is harmless.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	if l.file != nil {
		return l.file.Close()
	}
	return nil
}

// marshalDecision encodes d as compact JSON without HTML escaping.
func marshalDecision(d audit.Decision) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("decision record: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// encodeEntry returns the entry's line, newline included, and its hash.
func encodeEntry(seq uint64, prev Hash, decision []byte) ([]byte, Hash) {
	line := make([]byte, 0, len(decision)+220)
	line = append(line, `{"seq":`...)
	line = strconv.AppendUint(line, seq, 10)
	line = append(line, `,"prev":"`...)
	line = hex.AppendEncode(line, prev[:])
	line = append(line, `","decision":`...)
	line = append(line, decision...)
	h := entryHash(line)
	line = append(line, `,"hash":"`...)
	line = hex.AppendEncode(line, h[:])
	line = append(line, `"}`...)
	return append(line, '\n'), h
}

// entryHash hashes the body of an entry line (everything before `,"hash":`).
func entryHash(body []byte) Hash {
	h := sha256.New()
	h.Write([]byte(Format + "\n"))
	h.Write(body)
	var out Hash
	h.Sum(out[:0])
	return out
}

const (
	linePrefix   = `{"seq":`
	prevField    = `,"prev":"`
	decisionKey  = `","decision":`
	hashField    = `,"hash":"`
	lineSuffix   = `"}`
	hashHexLen   = 2 * sha256.Size
	suffixLength = len(hashField) + hashHexLen + len(lineSuffix)
)

// parseEntry parses one stored line (without its newline), line number n
// of the log: the framing must be exactly what encodeEntry writes, the
// stored hash must match the line's bytes, and the decision must decode
// strictly (no unknown field, no duplicate key) and be valid.
func parseEntry(line []byte, n uint64) (Entry, error) {
	if len(line) < len(linePrefix)+1+len(prevField)+hashHexLen+len(decisionKey)+2+suffixLength {
		return Entry{}, errors.New("line too short to be a log entry")
	}
	body, suffix := line[:len(line)-suffixLength], line[len(line)-suffixLength:]
	if !bytes.HasPrefix(suffix, []byte(hashField)) || !bytes.HasSuffix(suffix, []byte(lineSuffix)) {
		return Entry{}, errors.New(`line does not end with the entry's "hash" field`)
	}
	stored, err := ParseHash(string(suffix[len(hashField) : len(hashField)+hashHexLen]))
	if err != nil {
		return Entry{}, fmt.Errorf("field hash: %w", err)
	}
	if entryHash(body) != stored {
		return Entry{}, errors.New("the line's bytes do not match its hash")
	}
	rest, ok := bytes.CutPrefix(body, []byte(linePrefix))
	if !ok {
		return Entry{}, errors.New(`line does not open with its "seq" member`)
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i == 0 || rest[0] == '0' {
		return Entry{}, errors.New("field seq: not a positive integer")
	}
	seq, err := strconv.ParseUint(string(rest[:i]), 10, 64)
	if err != nil {
		return Entry{}, fmt.Errorf("field seq: %w", err)
	}
	rest, ok = bytes.CutPrefix(rest[i:], []byte(prevField))
	if !ok || len(rest) < hashHexLen {
		return Entry{}, errors.New("field prev: missing")
	}
	prev, err := ParseHash(string(rest[:hashHexLen]))
	if err != nil {
		return Entry{}, fmt.Errorf("field prev: %w", err)
	}
	dj, ok := bytes.CutPrefix(rest[hashHexLen:], []byte(decisionKey))
	if !ok {
		return Entry{}, errors.New("field decision: missing")
	}
	d, err := decodeDecision(dj, int(min(n, math.MaxInt)))
	if err != nil {
		return Entry{}, fmt.Errorf("field decision: %w", err)
	}
	return Entry{Seq: seq, Prev: prev, Hash: stored, Decision: d, Raw: line}, nil
}

// decodeDecision decodes one stored decision, on line line of the log,
// strictly (see internal/strictjson), and validates it.
func decodeDecision(b []byte, line int) (audit.Decision, error) {
	var d audit.Decision
	if ps := strictjson.Decode(b, line, &d); ps != nil {
		return audit.Decision{}, errors.Join(jsonErrors("", ps...)...)
	}
	if err := d.Validate(); err != nil {
		return audit.Decision{}, err
	}
	return d, nil
}

// isLowerHex reports whether s holds only lower-case hex digits.
func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// jsonErrors returns each problem as an *audit.JSONError, wrapped after
// prefix (when not empty) so errors.Is and errors.As still see it.
func jsonErrors(prefix string, ps ...strictjson.Problem) []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = &audit.JSONError{Line: p.Line, Key: p.Key, Err: p.Err}
		if prefix != "" {
			errs[i] = fmt.Errorf("%s%w", prefix, errs[i])
		}
	}
	return errs
}
