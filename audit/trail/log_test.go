package trail_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/audit/trail"
)

func TestAppendRejectsInvalidDecisions(t *testing.T) {
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	d := decision(0)
	d.Reason = "  "
	_, err := l.Append(d)
	require.ErrorIs(t, err, audit.ErrMissingReason)
	d = decision(0)
	d.PolicyBasis = audit.PolicyBasis{}
	_, err = l.Append(d)
	require.ErrorIs(t, err, audit.ErrMissingPolicyBasis)
	require.Zero(t, buf.Len(), "a rejected decision writes nothing")
	require.Equal(t, trail.Head{}, l.Head())

	// The log still works after a rejected decision.
	e, err := l.Append(decision(1))
	require.NoError(t, err)
	require.Equal(t, uint64(1), e.Seq)
}

func TestAppendReturnsStoredEntry(t *testing.T) {
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	d := decision(0)
	d.Findings = []string{"sk-0123456789abcdef0123"}
	e1, err := l.Append(d)
	require.NoError(t, err)
	d.Findings[0] = "sk-ffffffffffffffffffff"
	e2, err := l.Append(decision(1))
	require.NoError(t, err)
	require.Equal(t, "sk-0123456789abcdef0123", e1.Decision.Findings[0], "the caller's slice is copied")
	require.Equal(t, e1.Hash, e2.Prev)
	require.Equal(t, trail.Head{Size: 2, Hash: e2.Hash}, l.Head())
	require.Equal(t, string(e1.Raw)+"\n"+string(e2.Raw)+"\n", buf.String())
}

func TestAppendStoresUTC(t *testing.T) {
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	d := decision(0)
	d.Time = d.Time.In(time.FixedZone("CEST", 2*3600))
	e, err := l.Append(d)
	require.NoError(t, err)
	require.Contains(t, string(e.Raw), `"time":"2026-10-05T14:30:00Z"`)
}

// syncCounter counts writes and syncs, to check durability.
type syncCounter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	syncs  int
	synced int // writes covered by the last sync
}

func (w *syncCounter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	return w.buf.Write(p)
}

func (w *syncCounter) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.syncs++
	w.synced = w.writes
	return nil
}

// TestConcurrentAppends appends from many goroutines (run with -race): every
// acknowledged entry is in the log exactly once, the chain verifies, and
// each append was synced before it returned.
func TestConcurrentAppends(t *testing.T) {
	const goroutines, each = 16, 40
	w := &syncCounter{}
	l := trail.New(w, trail.Head{})
	var wg sync.WaitGroup
	acked := make([][]trail.Entry, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				e, err := l.Append(decision(g*each + i))
				if err != nil {
					t.Error(err)
					return
				}
				w.mu.Lock()
				if w.synced < int(e.Seq) { // entry N is the N-th write
					t.Errorf("append %d returned before its write was synced", e.Seq)
				}
				w.mu.Unlock()
				acked[g] = append(acked[g], e)
			}
		})
	}
	wg.Wait()
	require.Equal(t, goroutines*each, w.writes, "one write per entry: lines are never split")
	require.Equal(t, w.writes, w.syncs, "every write is synced")

	v := verifyBytes(t, w.buf.Bytes(), trail.Key{}, nil)
	require.Equal(t, trail.Intact, v.State, v.String())
	require.Equal(t, uint64(goroutines*each), v.Head.Size)
	require.Equal(t, l.Head(), v.Head)

	seen := map[uint64]string{}
	for e, err := range trail.Entries(bytes.NewReader(w.buf.Bytes())) {
		require.NoError(t, err)
		seen[e.Seq] = e.Decision.Subject
	}
	for _, es := range acked {
		for _, e := range es {
			require.Equal(t, e.Decision.Subject, seen[e.Seq], "acknowledged entry %d is in the log", e.Seq)
		}
	}
}

type brokenWriter struct {
	failWrite, failSync bool
	buf                 bytes.Buffer
}

func (w *brokenWriter) Write(p []byte) (int, error) {
	if w.failWrite {
		w.buf.Write(p[:len(p)/2])
		return len(p) / 2, errors.New("no space left on device")
	}
	return w.buf.Write(p)
}

func (w *brokenWriter) Sync() error {
	if w.failSync {
		return errors.New("fsync: input/output error")
	}
	return nil
}

func TestFailedWriteBreaksTheLog(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		w      *brokenWriter
	}{
		{name: "write", reason: "a short write leaves an unknown tail", w: &brokenWriter{failWrite: true}},
		{name: "sync", reason: "after a failed fsync nothing written since the last one can be trusted", w: &brokenWriter{failSync: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := trail.New(tc.w, trail.Head{})
			_, err := l.Append(decision(0))
			require.ErrorIs(t, err, trail.ErrBroken, tc.reason)
			require.Equal(t, trail.Head{}, l.Head(), "a failed append is not acknowledged")
			tc.w.failWrite, tc.w.failSync = false, false
			_, err = l.Append(decision(1))
			require.ErrorIs(t, err, trail.ErrBroken, "the log stays broken")
		})
	}
}

func TestClosedAndZeroLog(t *testing.T) {
	var zero trail.Log
	_, err := zero.Append(decision(0))
	require.ErrorIs(t, err, trail.ErrClosed, "the zero Log fails closed")

	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	require.NoError(t, l.Close())
	require.NoError(t, l.Close())
	_, err = l.Append(decision(0))
	require.ErrorIs(t, err, trail.ErrClosed)
}

func TestNewContinuesAChain(t *testing.T) {
	lines, head := buildLog(t, 3)
	buf := bytes.NewBuffer(joinLines(lines))
	l := trail.New(buf, head)
	e, err := l.Append(decision(3))
	require.NoError(t, err)
	require.Equal(t, uint64(4), e.Seq)
	v := verifyBytes(t, buf.Bytes(), trail.Key{}, nil)
	require.Equal(t, trail.Intact, v.State, v.String())
}

func TestOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.log")
	l, err := trail.Open(path)
	require.NoError(t, err)
	for i := range 3 {
		_, err := l.Append(decision(i))
		require.NoError(t, err)
	}
	head := l.Head()
	require.NoError(t, l.Close())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "audit logs are private")

	// Reopening continues the chain.
	l, err = trail.Open(path)
	require.NoError(t, err)
	require.Equal(t, head, l.Head())
	_, err = l.Append(decision(3))
	require.NoError(t, err)

	// A writer that crashed mid-append left a torn line: appends fail,
	// changing nothing, until it is repaired; then the same Log goes on.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("x")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	_, err = l.Append(decision(4))
	require.ErrorIs(t, err, trail.ErrTornTail)
	_, err = trail.Open(path)
	require.ErrorIs(t, err, trail.ErrTornTail)

	removed, err := trail.Repair(path)
	require.NoError(t, err)
	require.Equal(t, "x", string(removed))
	removed, err = trail.Repair(path)
	require.NoError(t, err)
	require.Nil(t, removed, "an intact log needs no repair")

	e, err := l.Append(decision(4))
	require.NoError(t, err, "a torn line does not break the Log for good")
	require.Equal(t, uint64(5), e.Seq)
	require.NoError(t, l.Close())
	l, err = trail.Open(path)
	require.NoError(t, err)
	require.Equal(t, uint64(5), l.Head().Size)
	require.NoError(t, l.Close())
}

// TestLogFileFollowsOtherWriters: two Logs on one file (as two processes
// would have) take turns; each continues the chain after the other's
// entries instead of refusing to append or forking the chain.
func TestLogFileFollowsOtherWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.log")
	a, err := trail.Open(path)
	require.NoError(t, err)
	defer a.Close()
	b, err := trail.Open(path)
	require.NoError(t, err)
	defer b.Close()
	for i, l := range []*trail.Log{a, a, b, a, b, b} {
		e, err := l.Append(decision(i))
		require.NoError(t, err, "append %d", i+1)
		require.Equal(t, uint64(i+1), e.Seq)
		require.Equal(t, trail.Head{Size: e.Seq, Hash: e.Hash}, l.Head())
	}
	require.Equal(t, uint64(4), a.Head().Size, "a learns of b's later entries only at its next append")
	v, err := trail.VerifyFile(path, trail.Key{}, nil)
	require.NoError(t, err)
	require.Equal(t, trail.Intact, v.State, v.String())
	require.Equal(t, uint64(6), v.Head.Size)
}

// TestLogFileChanged: a change to the file that no append makes breaks
// the Log (ErrChanged) rather than being written after; growth that
// does not verify also wraps ErrTampered.
func TestLogFileChanged(t *testing.T) {
	lines, _ := buildLog(t, 4)
	tests := []struct {
		name     string
		reason   string
		change   func(t *testing.T, path string)
		tampered bool // the error also wraps ErrTampered
		unix     bool // needs a file system that removes or replaces open files
	}{
		{name: "shrank", reason: "entries acknowledged to this Log were cut off",
			change: func(t *testing.T, path string) { require.NoError(t, os.Truncate(path, int64(len(lines[0])))) }},
		{name: "head rewritten", reason: "the last entry this Log knows changed, at the same size",
			change: func(t *testing.T, path string) {
				data, err := os.ReadFile(path)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(path, bytes.Replace(data, []byte("batch 1"), []byte("batch 7"), 1), 0o600))
			}},
		{name: "cut and regrown", reason: "the head was replaced by other bytes and the file grew again",
			change: func(t *testing.T, path string) {
				require.NoError(t, os.WriteFile(path, joinLines([][]byte{lines[0], lines[2], lines[2], lines[2]}), 0o600))
			}},
		{name: "garbage appended", reason: "a complete line that is not an entry is not an append to follow", tampered: true,
			change: func(t *testing.T, path string) { appendTo(t, path, "{}\n") }},
		{name: "fork appended", reason: "a second entry 2 after entry 2 forks the chain", tampered: true,
			change: func(t *testing.T, path string) {
				_, prev, _ := parts(t, lines[1])
				fork, _ := specLine(2, prev, mustJSON(t, decision(9)))
				appendTo(t, path, string(fork))
			}},
		{name: "entry skipped", reason: "growth must continue the chain", tampered: true,
			change: func(t *testing.T, path string) { appendTo(t, path, string(lines[3])) }},
		{name: "removed", reason: "appends to a removed file would be lost", unix: true,
			change: func(t *testing.T, path string) { require.NoError(t, os.Remove(path)) }},
		{name: "replaced", reason: "the name now holds another file", unix: true,
			change: func(t *testing.T, path string) {
				other := path + ".new"
				require.NoError(t, os.WriteFile(other, joinLines(lines[:2]), 0o600))
				require.NoError(t, os.Rename(other, path))
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.unix && runtime.GOOS == "windows" {
				t.Skip("open files cannot be removed or replaced")
			}
			path := filepath.Join(t.TempDir(), "decisions.log")
			l, err := trail.Open(path)
			require.NoError(t, err)
			defer l.Close()
			for i := range 2 {
				_, err := l.Append(decision(i))
				require.NoError(t, err)
			}
			tc.change(t, path)
			before, _ := os.ReadFile(path)
			_, err = l.Append(decision(2))
			require.ErrorIs(t, err, trail.ErrChanged, tc.reason)
			if tc.tampered {
				require.ErrorIs(t, err, trail.ErrTampered, tc.reason)
			}
			_, err = l.Append(decision(2))
			require.ErrorIs(t, err, trail.ErrChanged, "the Log stays refused")
			after, _ := os.ReadFile(path)
			require.Equal(t, before, after, "nothing is written after a change")
		})
	}
}

// TestLockSerialisesWriters: while another writer holds the file's lock,
// Append and Repair wait for it, and VerifyFile does not read an
// append in progress as a torn line.
func TestLockSerialisesWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.log")
	l, err := trail.Open(path)
	require.NoError(t, err)
	defer l.Close()
	_, err = l.Append(decision(0))
	require.NoError(t, err)

	// Another writer, mid-append: it holds the lock and has written half
	// of its line.
	lines, _ := buildLog(t, 2)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, trail.LockFile(f, true))
	_, err = f.Write(lines[1][:40])
	require.NoError(t, err)

	appended := make(chan error, 1)
	go func() { _, err := l.Append(decision(2)); appended <- err }()
	verified := make(chan trail.Verification, 1)
	go func() { v, _ := trail.VerifyFile(path, trail.Key{}, nil); verified <- v }()
	repaired := make(chan error, 1)
	go func() { _, err := trail.Repair(path); repaired <- err }()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-appended:
		t.Fatalf("Append did not wait for the lock: %v", err)
	case v := <-verified:
		t.Fatalf("VerifyFile read an append in progress: %s", v)
	case err := <-repaired:
		t.Fatalf("Repair did not wait for the lock: %v", err)
	default:
	}

	_, err = f.Write(lines[1][40:])
	require.NoError(t, err)
	require.NoError(t, trail.UnlockFile(f))
	require.NoError(t, <-appended, "the append follows the other writer's entry")
	require.NoError(t, <-repaired, "nothing torn to repair")
	v := <-verified
	require.Contains(t, []trail.State{trail.Intact}, v.State, v.String())
	require.GreaterOrEqual(t, v.Head.Size, uint64(2))
	require.Equal(t, uint64(3), l.Head().Size)
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = f.WriteString(s)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

func TestOpenRefusesTamperedLogs(t *testing.T) {
	lines, _ := buildLog(t, 4)
	lines[1] = mutate(lines[1])
	path := filepath.Join(t.TempDir(), "decisions.log")
	require.NoError(t, os.WriteFile(path, joinLines(lines), 0o600))
	_, err := trail.Open(path)
	require.ErrorIs(t, err, trail.ErrTampered)
	_, err = trail.Repair(path)
	require.ErrorIs(t, err, trail.ErrTampered, "repair never touches a tampered log")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, joinLines(lines), data)
}

func TestHashText(t *testing.T) {
	_, h := specLine(1, trail.Hash{}, mustJSON(t, decision(0)))
	b, err := h.MarshalText()
	require.NoError(t, err)
	var back trail.Hash
	require.NoError(t, back.UnmarshalText(b))
	require.Equal(t, h, back)
	for _, bad := range []string{"", "abc", string(b[:63]) + "G", string(bytes.ToUpper(b))} {
		_, err := trail.ParseHash(bad)
		require.Error(t, err, "%q", bad)
	}
	require.True(t, trail.Hash{}.IsZero())
}
