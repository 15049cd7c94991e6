package trail_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit/trail"
)

// appendChildEnv tells a re-executed test binary to act as one of many
// concurrent appenders: its value is "PATH ID COUNT".
const appendChildEnv = "SODKIT_APPEND_CHILD"

// TestAppendChild is an appender process of TestMultiProcessAppend. It
// waits until its standard input is closed (so that every child starts
// appending at once), opens the log, appends COUNT decisions whose subject
// is "pID-J", and prints "ack SEQ SUBJECT" after each append returns.
func TestAppendChild(t *testing.T) {
	spec := os.Getenv(appendChildEnv)
	if spec == "" {
		t.Skip("runs only as a child of TestMultiProcessAppend")
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	f := strings.Fields(spec)
	id, err := strconv.Atoi(f[1])
	if err != nil {
		fail(err)
	}
	count, err := strconv.Atoi(f[2])
	if err != nil {
		fail(err)
	}
	io.Copy(io.Discard, os.Stdin) // the start gate
	l, err := trail.Open(f[0])
	if err != nil {
		fail(err)
	}
	for j := range count {
		d := decision(id*count + j)
		d.Subject = fmt.Sprintf("p%d-%d", id, j)
		e, err := l.Append(d)
		if err != nil {
			fail(err)
		}
		fmt.Printf("ack %d %s\n", e.Seq, d.Subject) // os.Stdout is unbuffered
	}
	if err := l.Close(); err != nil {
		fail(err)
	}
	os.Exit(0)
}

// TestMultiProcessAppend starts many processes that append to one log file
// at the same moment. Appends from several processes serialise through the
// file lock: the log verifies, its sequence numbers run 1..total with no
// gap or repeat, every acknowledged append is in it at the sequence number
// it was acknowledged with, and a further append still works. Without the
// lock the processes fork the chain (two entries with one sequence number)
// and every later append is refused.
func TestMultiProcessAppend(t *testing.T) {
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no processes")
	}
	procs, each := 50, 3
	if testing.Short() {
		procs = 12
	}
	path := filepath.Join(t.TempDir(), "decisions.log")

	type child struct {
		cmd    *exec.Cmd
		gate   io.WriteCloser
		out    bytes.Buffer
		stderr bytes.Buffer
	}
	children := make([]*child, procs)
	for i := range children {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^TestAppendChild$", "-test.count=1")}
		c.cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d %d", appendChildEnv, path, i, each))
		c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.stderr
		gate, err := c.cmd.StdinPipe()
		require.NoError(t, err)
		c.gate = gate
		require.NoError(t, c.cmd.Start())
		children[i] = c
	}
	for _, c := range children {
		c.gate.Close() // go
	}
	var wg sync.WaitGroup
	errs := make([]error, procs)
	for i, c := range children {
		wg.Go(func() { errs[i] = c.cmd.Wait() })
	}
	wg.Wait()

	acked := map[string]uint64{} // subject → acknowledged sequence number
	for _, c := range children {
		sc := bufio.NewScanner(&c.out)
		for sc.Scan() {
			var seq uint64
			var subject string
			if _, err := fmt.Sscanf(sc.Text(), "ack %d %s", &seq, &subject); err == nil {
				acked[subject] = seq
			}
		}
	}

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	v := verifyBytes(t, data, trail.Key{}, nil)
	require.Equal(t, trail.Intact, v.State, "the chain forked: %s", v)
	for i, c := range children {
		require.NoError(t, errs[i], "appender %d failed: %s", i, c.stderr.String())
	}

	total := uint64(procs * each)
	require.Equal(t, total, v.Head.Size, "every append is in the log once")

	var n uint64
	for e, err := range trail.Entries(bytes.NewReader(data)) {
		require.NoError(t, err)
		n++
		require.Equal(t, n, e.Seq, "sequence numbers run 1..total without gaps or repeats")
		seq, ok := acked[e.Decision.Subject]
		require.True(t, ok, "entry %d (%s) was never acknowledged", e.Seq, e.Decision.Subject)
		require.Equal(t, seq, e.Seq, "%s is stored at the sequence number it was acknowledged with", e.Decision.Subject)
		delete(acked, e.Decision.Subject)
	}
	require.Empty(t, acked, "acknowledged appends missing from the log")
	require.Equal(t, total, n)

	l, err := trail.Open(path)
	require.NoError(t, err)
	e, err := l.Append(decision(int(total)))
	require.NoError(t, err, "the log still accepts appends")
	require.Equal(t, total+1, e.Seq)
	require.NoError(t, l.Close())
}
