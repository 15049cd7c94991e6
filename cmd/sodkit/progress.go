package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/scan"
)

// progressFlag is check's --progress: not given (progress on a terminal
// only), --progress or --progress=true (always), --progress=false
// (never).
type progressFlag struct {
	set, on bool
}

func (f *progressFlag) String() string {
	if f == nil || !f.set {
		return "auto"
	}
	return strconv.FormatBool(f.on)
}

func (f *progressFlag) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%q is not true or false", s)
	}
	f.set, f.on = true, v
	return nil
}

// IsBoolFlag lets --progress stand alone, as --progress=true.
func (f *progressFlag) IsBoolFlag() bool { return true }

// wanted reports whether progress is shown, given whether standard error
// is a terminal.
func (f progressFlag) wanted(tty bool) bool {
	if f.set {
		return f.on
	}
	return tty
}

// isTerminal reports whether w is a terminal (a character device), such
// as standard error when nobody redirected it.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Intervals between progress lines: a terminal's line is rewritten a few
// times a second; a log (CI) gets a new line every few seconds.
const (
	progressTTYEvery = 250 * time.Millisecond
	progressLogEvery = 5 * time.Second
)

// progress shows how far check is, on standard error: identities taken
// in of the total, and, when check streams its files, megabytes read of
// the input (twice: Stream reads it in two passes), the rate, and the
// time left, from the bytes read (or the identities, when the input is
// already in memory). On a terminal it rewrites one line (\r); otherwise
// it prints a line every few seconds. Standard output and the report are
// not touched. The clock is now, so tests drive it; the scan reads no
// clock.
//
// Its methods may be called from several goroutines.
type progress struct {
	w      io.Writer
	tty    bool
	now    func() time.Time
	every  time.Duration
	size   int64 // bytes of input, read once per pass; 0 when unknown
	passes int64 // passes over the input: 2 when streaming

	read atomic.Int64 // bytes read so far, every pass

	mu          sync.Mutex
	start, last time.Time
	ids, total  int // identities taken in, of total
	width       int // of the line on the terminal, to blank it
}

// newProgress returns a progress writing to w, a terminal when tty, for
// passes reads of size bytes of input (0 when the bytes are not counted).
func newProgress(w io.Writer, tty bool, now func() time.Time, size, passes int64) *progress {
	every := progressLogEvery
	if tty {
		every = progressTTYEvery
	}
	t := now()
	return &progress{w: w, tty: tty, now: now, every: every, size: size, passes: passes, start: t, last: t}
}

// identities is scan's Options.Progress.
func (p *progress) identities(s scan.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ids, p.total = s.Identities, s.Total
	p.tick()
}

// opener wraps the sources open returns so that what is read from them
// is counted.
func (p *progress) opener(open bundle.Opener) bundle.Opener {
	return func() ([]bundle.Source, func(), error) {
		srcs, done, err := open()
		for i := range srcs {
			srcs[i].Reader = p.counting(srcs[i].Reader)
		}
		return srcs, done, err
	}
}

// counting returns r, counting the bytes read from it; a reader that can
// seek still can (the loader re-reads the start of a file whose "format"
// comes late).
func (p *progress) counting(r io.Reader) io.Reader {
	c := countingReader{r: r, p: p}
	if s, ok := r.(io.Seeker); ok {
		return countingReadSeeker{c, s}
	}
	return c
}

type countingReader struct {
	r io.Reader
	p *progress
}

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.read.Add(int64(n))
	if c.p.mu.TryLock() { // never wait for a line being printed
		c.p.tick()
		c.p.mu.Unlock()
	}
	return n, err
}

type countingReadSeeker struct {
	countingReader
	s io.Seeker
}

func (c countingReadSeeker) Seek(offset int64, whence int) (int64, error) {
	return c.s.Seek(offset, whence)
}

// tick prints a line if the last is old enough. p.mu is held.
func (p *progress) tick() {
	t := p.now()
	if t.Sub(p.last) < p.every {
		return
	}
	p.last = t
	p.show(p.line(t, false), false)
}

// done prints the last line: what was done, in how long.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.show(p.line(p.now(), true), true)
}

// show writes a line: on a terminal over the one before, ending it only
// when last; elsewhere as a line of its own.
func (p *progress) show(line string, last bool) {
	if !p.tty {
		fmt.Fprintln(p.w, line)
		return
	}
	pad := ""
	if n := p.width - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	p.width = len(line)
	end := ""
	if last {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r%s%s%s", line, pad, end)
}

// line says how far check is at t: "sodkit: 12000 of 100000 identities,
// pass 2 of 2, 512.0 of 1458.0 MB read at 43.2 MB/s, about 22s left",
// or, when finished, "sodkit: done: 100000 identities, 2916.0 MB read in
// 1m8s at 42.9 MB/s".
func (p *progress) line(t time.Time, finished bool) string {
	elapsed := t.Sub(p.start)
	read := p.read.Load()
	var b strings.Builder
	b.WriteString("sodkit: ")
	var parts []string
	switch {
	case finished:
		parts = append(parts, fmt.Sprintf("done: %d identities", p.ids))
	case p.total > 0: // none before the directory is read
		parts = append(parts, fmt.Sprintf("%d of %d identities", p.ids, p.total))
	}
	switch {
	case p.size > 0 && finished:
		parts = append(parts, fmt.Sprintf("%s MB read", mb(read)))
	case p.size > 0:
		pass := min(read/p.size+1, p.passes)
		parts = append(parts, fmt.Sprintf("pass %d of %d", pass, p.passes),
			fmt.Sprintf("%s of %s MB read", mb(read-(pass-1)*p.size), mb(p.size)))
	}
	b.WriteString(strings.Join(parts, ", "))
	if finished {
		fmt.Fprintf(&b, " in %s", elapsed.Round(time.Second))
	}
	if p.size > 0 && elapsed >= time.Second {
		fmt.Fprintf(&b, " at %s MB/s", mb(int64(float64(read)/elapsed.Seconds())))
	}
	if !finished {
		if left, ok := p.left(elapsed, read); ok {
			fmt.Fprintf(&b, ", about %s left", left.Round(time.Second))
		}
	}
	return b.String()
}

// left estimates the time left from the share of the work done: the bytes
// of every pass when they are counted, else the identities.
func (p *progress) left(elapsed time.Duration, read int64) (time.Duration, bool) {
	done, total := float64(p.ids), float64(p.total)
	if p.size > 0 {
		done, total = float64(read), float64(p.size*p.passes)
	}
	if done <= 0 || elapsed <= 0 || done > total {
		return 0, false
	}
	return time.Duration(float64(elapsed) * (total - done) / done), true
}

// mb writes bytes as megabytes (10^6 bytes) with one decimal.
func mb(n int64) string { return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) }
