package trail_test

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit/trail"
)

// crashChildEnv tells a re-executed test binary to act as a log writer:
// its value is "MODE PATH" (MODE file or slow).
const crashChildEnv = "SODKIT_CRASH_CHILD"

// TestCrashChild is the writer process of TestCrashMidAppend: it appends
// decisions until it is killed, printing "ack SEQ HASH" after each append
// returns. In mode slow it writes each line in small pieces, so a kill
// often lands in the middle of one.
func TestCrashChild(t *testing.T) {
	spec := os.Getenv(crashChildEnv)
	if spec == "" {
		t.Skip("runs only as the child of TestCrashMidAppend")
	}
	mode, path, _ := strings.Cut(spec, " ")
	l, err := trail.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	if mode == "slow" {
		head := l.Head()
		l.Close()
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		l = trail.New(&slowFile{f: f}, head)
	}
	for i := int(l.Head().Size); ; i++ {
		e, err := l.Append(decision(i))
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stdout, "ack %d %s\n", e.Seq, e.Hash) // os.Stdout is unbuffered
	}
}

// slowFile writes in 24-byte pieces with a pause between them, then syncs.
type slowFile struct{ f *os.File }

func (s *slowFile) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(24, len(p))
		m, err := s.f.Write(p[:k])
		n += m
		if err != nil {
			return n, err
		}
		p = p[k:]
		time.Sleep(50 * time.Microsecond)
	}
	return n, nil
}

func (s *slowFile) Sync() error { return s.f.Sync() }

// TestCrashMidAppend kills a writer process at random moments, over and
// over on the same file, and checks after each kill that the log verifies
// (intact, or torn only in its last line), that every append the writer
// acknowledged is in it with the acknowledged hash, and that a checkpoint
// of every acknowledged head still matches. Torn lines are repaired before
// the next writer starts.
func TestCrashMidAppend(t *testing.T) {
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no processes to kill")
	}
	path := t.TempDir() + "/decisions.log"
	key := hmacKey(t)
	var cps []trail.Checkpoint
	rng := rand.New(rand.NewPCG(1, 2))
	torn := 0
	for round := range 16 {
		mode := "file"
		if round%2 == 1 {
			mode = "slow"
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+mode+" "+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())

		// Let it acknowledge a random number of appends, then kill it while
		// it is in the middle of the next ones.
		acks := map[uint64]string{}
		var last uint64
		sc := bufio.NewScanner(out)
		target := 3 + rng.IntN(20)
		for len(acks) < target && sc.Scan() {
			var seq uint64
			var h string
			if _, err := fmt.Sscanf(sc.Text(), "ack %d %s", &seq, &h); err == nil {
				acks[seq], last = h, seq
			}
		}
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		require.NoError(t, cmd.Process.Kill())
		rest, _ := io.ReadAll(out) // acks printed before the kill landed
		for line := range strings.Lines(string(rest)) {
			var seq uint64
			var h string
			if _, err := fmt.Sscanf(line, "ack %d %s", &seq, &h); err == nil {
				acks[seq], last = h, seq
			}
		}
		cmd.Wait()
		require.NotZero(t, last, "round %d: the writer acknowledged nothing", round)

		// Every acknowledged entry is there, with its hash.
		f, err := os.Open(path)
		require.NoError(t, err)
		found := map[uint64]string{}
		var n uint64
		var tail error
		for e, err := range trail.Entries(f) {
			if err != nil {
				tail = err
				break
			}
			found[e.Seq] = e.Hash.String()
			n = e.Seq
		}
		f.Close()
		if tail != nil {
			require.ErrorIs(t, tail, trail.ErrTornTail, "round %d: a crash leaves at most a torn last line", round)
		}
		require.GreaterOrEqual(t, n, last, "round %d: acknowledged entry %d lost", round, last)
		for seq, h := range acks {
			require.Equal(t, h, found[seq], "round %d: acknowledged entry %d", round, seq)
		}

		// A checkpoint of the last acknowledged head, with all earlier ones,
		// still matches.
		h, err := trail.ParseHash(acks[last])
		require.NoError(t, err)
		cps = append(cps, mustSign(t, key, trail.Checkpoint{Head: trail.Head{Size: last, Hash: h}, Time: decisionTime}))
		f, err = os.Open(path)
		require.NoError(t, err)
		v, err := trail.Verify(f, key, cps)
		f.Close()
		require.NoError(t, err)
		switch v.State {
		case trail.Intact:
		case trail.TornTail:
			torn++
			removed, err := trail.Repair(path)
			require.NoError(t, err)
			require.NotEmpty(t, removed)
		default:
			t.Fatalf("round %d: after a crash the log is %s", round, v)
		}
		require.GreaterOrEqual(t, v.Checkpointed, last, "round %d: the latest checkpoint matched", round)
	}
	t.Logf("16 kills, %d left a torn last line", torn)
	require.NotZero(t, torn, "no kill landed mid-line: the torn-line path was not exercised")
}
