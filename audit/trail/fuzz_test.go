package trail_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit/trail"
)

// Fuzz inputs for the log are short programs that expand to a log: most
// bytes stand for themselves, and the bytes 0xF8 to 0xFF, which never occur
// in UTF-8 text, are tokens that write a valid line, a sequence number, a
// hash or a decision (see expandLog). A valid log of three entries is then
// three bytes, not 1.3 kB.
//
// Why: the fuzzer minimises every input that finds new coverage, removing
// bytes and subsets of bytes (O(n²) executions, up to -fuzzminimizetime,
// 60 s, per input) while that worker fuzzes nothing. With whole logs as
// seeds, every new input was a kilobyte or more, and since removing any
// byte of a line breaks its hash, minimisation ran to its limit: FuzzVerify
// made a few hundred executions in its first seconds and then stalled. With
// tokens the inputs stay tens of bytes long and minimise in milliseconds.
// Every byte string is still reachable (0xFF escapes a literal byte).
const (
	// tokLine, then a byte i: line i%8 of poolLog's 8-entry log, with its
	// newline.
	tokLine = 0xF8
	// tokEntry: the next valid entry, newline included: sequence number
	// (lines so far)+1, the last hash as prev, decision(seq-1). A log
	// built from tokEntry alone equals poolLog's.
	tokEntry = 0xF9
	// tokSeq: (lines so far)+1 in decimal.
	tokSeq = 0xFA
	// tokPrev: the last hash in hex (zeros before any).
	tokPrev = 0xFB
	// tokDecision: a valid decision's JSON; tokOpenDecision: the same
	// without its closing brace, for the fuzzer to add members to.
	tokDecision     = 0xFC
	tokOpenDecision = 0xFD
	// tokSeal: `,"hash":"H"}` with H the hash of the current line so far,
	// as an entry's hash is computed: the fuzzer's own entry, sealed.
	tokSeal = 0xFE
	// tokByte, then a byte b: b itself.
	tokByte = 0xFF
)

// poolLog is the log tokLine copies from.
var poolLog = sync.OnceValue(func() [][]byte {
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	for i := range 8 {
		if _, err := l.Append(decision(i)); err != nil {
			panic(err)
		}
	}
	return splitLines(buf.Bytes())
})

// decisionJSONs holds decision(7)'s JSON, for tokDecision.
var decisionJSONs = sync.OnceValue(func() string {
	var buf bytes.Buffer
	e, err := trail.New(&buf, trail.Head{}).Append(decision(7))
	if err != nil {
		panic(err)
	}
	s := string(e.Raw)
	return s[strings.Index(s, `"decision":`)+len(`"decision":`) : strings.LastIndex(s, `,"hash":"`)]
})

// maxExpanded bounds what expandLog writes, about ten entries: without a
// bound, a few hundred token bytes expand to megabytes (each tokSeal also
// hashes the whole line so far), and the minimiser re-runs such inputs
// thousands of times.
const maxExpanded = 4 << 10

// expandLog expands a fuzz input into the log it stands for (see tokLine),
// up to about maxExpanded bytes.
func expandLog(prog []byte) []byte {
	pool := poolLog()
	var out []byte
	var last trail.Hash
	var lines uint64 // newlines in out
	lineStart := 0   // where the current line begins in out
	seal := func() {
		sum := sha256.Sum256(append([]byte("sodkit.log/v1\n"), out[lineStart:]...))
		last = sum
		out = append(out, `,"hash":"`+hex.EncodeToString(sum[:])+`"}`...)
	}
	for i := 0; i < len(prog) && len(out) < maxExpanded; i++ {
		before := len(out)
		switch c := prog[i]; c {
		case tokLine, tokByte:
			if i+1 == len(prog) {
				out = append(out, c)
				break
			}
			i++
			if c == tokByte {
				out = append(out, prog[i])
				break
			}
			ln := pool[int(prog[i])%len(pool)]
			out = append(out, ln...)
			last, _ = trail.ParseHash(string(ln[len(ln)-67 : len(ln)-3]))
		case tokEntry:
			lineStart = len(out)
			out = fmt.Appendf(out, `{"seq":%d,"prev":"%s","decision":%s`, lines+1, last, mustDecisionJSON(int(lines)))
			seal()
			out = append(out, '\n')
		case tokSeq:
			out = strconv.AppendUint(out, lines+1, 10)
		case tokPrev:
			out = append(out, last.String()...)
		case tokDecision:
			out = append(out, decisionJSONs()...)
		case tokOpenDecision:
			d := decisionJSONs()
			out = append(out, d[:len(d)-1]...)
		case tokSeal:
			seal()
		default:
			out = append(out, c)
		}
		if n := bytes.Count(out[before:], []byte{'\n'}); n > 0 {
			lines += uint64(n)
			lineStart = bytes.LastIndexByte(out, '\n') + 1
		}
	}
	return out
}

// mustDecisionJSON returns the JSON of decision(i) as a Log stores it:
// poolLog's for the first 8, encoded afresh after.
func mustDecisionJSON(i int) string {
	if pool := poolLog(); i < len(pool) {
		s := string(pool[i])
		return s[strings.Index(s, `"decision":`)+len(`"decision":`) : strings.LastIndex(s, `,"hash":"`)]
	}
	var buf bytes.Buffer
	e, err := trail.New(&buf, trail.Head{}).Append(decision(i))
	if err != nil {
		panic(err)
	}
	s := string(e.Raw)
	return s[strings.Index(s, `"decision":`)+len(`"decision":`) : strings.LastIndex(s, `,"hash":"`)]
}

// TestExpandLog pins the token language the fuzz targets depend on.
func TestExpandLog(t *testing.T) {
	pool := poolLog()
	require.Equal(t, joinLines(pool[:3]), expandLog([]byte{tokEntry, tokEntry, tokEntry}), "tokEntry continues the chain as Append does")
	require.Equal(t, joinLines(pool[:3]), expandLog([]byte{tokLine, 0, tokLine, 1, tokLine, 10}), "tokLine copies line i%8")
	own := expandLog([]byte("{\"seq\":\xfa,\"prev\":\"\xfb\",\"decision\":\xfc\xfe\n"))
	v := verifyBytes(t, own, trail.Key{}, nil)
	require.Equal(t, trail.Intact, v.State, "a line of the fuzzer's own, sealed, is an entry: %s", v)
	require.Equal(t, uint64(1), v.Entries)
	require.NotEqual(t, joinLines(pool[:1]), own, "with a decision of its own")
	dup := expandLog([]byte("\xf9{\"seq\":\xfa,\"prev\":\"\xfb\",\"decision\":\xfd,\"actor\":\"x\"}\xfe\n"))
	v = verifyBytes(t, dup, trail.Key{}, nil)
	require.Equal(t, trail.Altered, v.State, "the fuzzer can write a hash-correct entry with a duplicate key: %s", v)
	require.Contains(t, v.Detail, `line 2: key "actor": duplicate key`)
	require.Equal(t, []byte{tokByte, 'a'}, expandLog([]byte{tokByte, tokByte, 'a'}), "tokByte escapes")
	long := len(expandLog(bytes.Repeat([]byte{tokEntry}, 100)))
	require.True(t, long >= maxExpanded && long < maxExpanded+len(pool[0])+100, "expansion stops once past maxExpanded: %d bytes", long)
	require.Equal(t, []byte{tokLine}, expandLog([]byte{tokLine}), "a token cut short is itself")
	require.Empty(t, expandLog(nil))
}

// fuzzKey is the key the fuzz targets sign with, made once.
var fuzzKey = sync.OnceValue(func() trail.Key {
	k, err := trail.HMACKey(hmacSecret)
	if err != nil {
		panic(err)
	}
	return k
})

// FuzzVerify feeds logs to the reader and verifier: arbitrary bytes, and
// hash-correct lines the fuzzer arranges or writes itself (see tokLine).
// Invariants: no panic; the verified prefix ends just before the first
// untrusted entry; Entries yields exactly the entries Verify accepted
// and fails exactly when Verify does; an intact log re-verifies against a
// checkpoint of its own head.
func FuzzVerify(f *testing.F) {
	entry := []byte{tokEntry}
	good := bytes.Repeat(entry, 3)
	f.Add(good)
	f.Add([]byte{})
	f.Add(append(bytes.Repeat(entry, 2), `{"seq":3,"prev":"`...))                                                    // torn
	f.Add([]byte{tokLine, 1, tokLine, 0, tokLine, 2})                                                                // reordered
	f.Add(append(bytes.Clone(good), "\n\n{}\n"...))                                                                  // foreign lines
	f.Add(append(bytes.Clone(entry), "{\"seq\":02,\"prev\":\"\xfb\",\"decision\":\xfc\xfe\n"...))                    // seq with a leading zero
	f.Add(append(bytes.Clone(entry), "{\"seq\":\xfa,\"prev\":\"\xfb\",\"decision\":\xfd,\"actor\":\"x\"}\xfe\n"...)) // duplicate key, hash correct
	f.Add([]byte{tokLine, 0, tokLine, 1, tokLine, 1, tokEntry})                                                      // a repeated entry
	f.Fuzz(func(t *testing.T, prog []byte) {
		data := expandLog(prog)
		v, err := trail.Verify(bytes.NewReader(data), trail.Key{}, nil)
		if err != nil {
			t.Fatalf("Verify on a byte slice returned an error: %v", err)
		}
		if v.State == trail.Unverified || v.State == trail.BadCheckpoint || v.State == trail.Diverged || v.State == trail.CutOff {
			t.Fatalf("without checkpoints, state %s is impossible", v.State)
		}
		if v.Head.Size != v.Entries {
			t.Fatalf("head %s does not match %d entries", v.Head, v.Entries)
		}
		if v.State == trail.Intact {
			if v.At != 0 {
				t.Fatalf("intact log with At=%d", v.At)
			}
		} else if v.At == 0 || v.Entries != v.At-1 {
			t.Fatalf("%s: entries %d, at %d", v.State, v.Entries, v.At)
		}

		n := uint64(0)
		var iterErr error
		for e, err := range trail.Entries(bytes.NewReader(data)) {
			if err != nil {
				iterErr = err
				break
			}
			n++
			if e.Seq != n {
				t.Fatalf("entry %d yielded as %d", n, e.Seq)
			}
			if err := e.Decision.Validate(); err != nil {
				t.Fatalf("entry %d yielded with an invalid decision: %v", n, err)
			}
		}
		// Entries stops at the first problem, which Verify may place one
		// entry earlier (a rewritten entry is blamed, not its successor).
		if v.State == trail.Intact {
			if iterErr != nil || n != v.Entries {
				t.Fatalf("Verify says intact with %d entries; Entries read %d and said %v", v.Entries, n, iterErr)
			}
			cp := mustSign(t, fuzzKey(), trail.Checkpoint{Head: v.Head, Time: decisionTime})
			if v2 := verifyBytes(t, data, fuzzKey(), []trail.Checkpoint{cp}); v2.State != trail.Intact {
				t.Fatalf("an intact log fails against its own checkpoint: %s", v2)
			}
		} else {
			if iterErr == nil {
				t.Fatalf("Verify says %s; Entries read %d entries without error", v, n)
			}
			if v.State == trail.TornTail && !errors.Is(iterErr, trail.ErrTornTail) {
				t.Fatalf("torn tail, but Entries said %v", iterErr)
			}
			if n < v.Entries || n > v.Entries+1 {
				t.Fatalf("Verify trusted %d entries, Entries yielded %d", v.Entries, n)
			}
		}
	})
}

// FuzzTamper applies a fuzzer-chosen change (overwrite, insert or delete
// bytes at an offset) to a valid log and checks it is detected against a
// checkpoint of the original, unless the change left the bytes equal. The
// patch is expanded as FuzzVerify's input is (see tokLine), so inserting a
// whole valid line takes two bytes.
func FuzzTamper(f *testing.F) {
	lines, _ := buildLog(f, 6)
	good := joinLines(lines)
	key := hmacKey(f)
	cps := []trail.Checkpoint{checkpoint(f, key, lines, 6)}
	f.Add(uint16(10), uint8(0), []byte("x"))
	f.Add(uint16(300), uint8(1), []byte("\n"))
	f.Add(uint16(500), uint8(2), []byte("abc"))
	f.Add(uint16(0), uint8(1), []byte{tokLine, 2})
	f.Add(uint16(len(lines[0])), uint8(1), []byte{tokLine, 0})
	f.Add(uint16(len(good)), uint8(1), []byte{tokLine, 6})
	f.Fuzz(func(t *testing.T, off uint16, op uint8, prog []byte) {
		patch := expandLog(prog)
		at := int(off) % (len(good) + 1)
		var mut []byte
		switch op % 3 {
		case 0: // overwrite
			mut = bytes.Clone(good)
			copy(mut[at:], patch)
		case 1: // insert
			mut = append(append(bytes.Clone(good[:at]), patch...), good[at:]...)
		default: // delete
			end := min(len(good), at+len(patch))
			mut = append(bytes.Clone(good[:at]), good[end:]...)
		}
		v := verifyBytes(t, mut, key, cps)
		if bytes.Equal(mut, good) {
			if v.State != trail.Intact {
				t.Fatalf("unchanged log: %s", v)
			}
			return
		}
		// Appending whole, valid entries after the checkpoint is not
		// tampering the chain can see; anything else must be caught.
		if v.State == trail.Intact {
			if !bytes.HasPrefix(mut, good) {
				t.Fatalf("change at %d (op %d, %q) not detected: %s", at, op%3, patch, v)
			}
			return
		}
		if !v.State.Tampered() && v.State != trail.TornTail {
			t.Fatalf("unexpected state %s", v)
		}
		if v.State == trail.TornTail && !bytes.HasPrefix(mut, good) {
			t.Fatalf("a change inside the checkpointed log reported as a torn tail: %s", v)
		}
	})
}
