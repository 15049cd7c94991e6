package audit_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/sodkit/sodkit/audit"
)

// FuzzVerify feeds arbitrary bytes to the reader and verifier. Invariants:
// no panic; the verified prefix ends just before the first untrusted entry;
// LogEntries yields exactly the entries Verify accepted and fails exactly
// when Verify does; an intact log re-verifies against a checkpoint of its
// own head.
func FuzzVerify(f *testing.F) {
	lines, _ := buildLog(f, 3)
	good := joinLines(lines)
	f.Add(good)
	f.Add([]byte{})
	f.Add(good[:len(good)-5])
	f.Add(joinLines([][]byte{lines[1], lines[0], lines[2]}))
	f.Add(append(bytes.Clone(good), "\n\n{}\n"...))
	f.Add(bytes.Replace(good, []byte(`"seq":2`), []byte(`"seq":02`), 1))
	key := hmacKey(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := audit.Verify(bytes.NewReader(data), audit.Key{}, nil)
		if err != nil {
			t.Fatalf("Verify on a byte slice returned an error: %v", err)
		}
		if v.State == audit.LogUnverified || v.State == audit.LogBadCheckpoint || v.State == audit.LogDiverged || v.State == audit.LogCutOff {
			t.Fatalf("without checkpoints, state %s is impossible", v.State)
		}
		if v.Head.Size != v.Entries {
			t.Fatalf("head %s does not match %d entries", v.Head, v.Entries)
		}
		if v.State == audit.LogIntact {
			if v.At != 0 {
				t.Fatalf("intact log with At=%d", v.At)
			}
		} else if v.At == 0 || v.Entries != v.At-1 {
			t.Fatalf("%s: entries %d, at %d", v.State, v.Entries, v.At)
		}

		n := uint64(0)
		var iterErr error
		for e, err := range audit.LogEntries(bytes.NewReader(data)) {
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
		// LogEntries stops at the first problem, which Verify may place one
		// entry earlier (a rewritten entry is blamed, not its successor).
		if v.State == audit.LogIntact {
			if iterErr != nil || n != v.Entries {
				t.Fatalf("Verify says intact with %d entries; LogEntries read %d and said %v", v.Entries, n, iterErr)
			}
			cp := mustSign(t, key, audit.Checkpoint{Head: v.Head, Time: decisionTime})
			if v2 := verifyBytes(t, data, key, []audit.Checkpoint{cp}); v2.State != audit.LogIntact {
				t.Fatalf("an intact log fails against its own checkpoint: %s", v2)
			}
		} else {
			if iterErr == nil {
				t.Fatalf("Verify says %s; LogEntries read %d entries without error", v, n)
			}
			if v.State == audit.LogTornTail && !errors.Is(iterErr, audit.ErrTornTail) {
				t.Fatalf("torn tail, but LogEntries said %v", iterErr)
			}
			if n < v.Entries || n > v.Entries+1 {
				t.Fatalf("Verify trusted %d entries, LogEntries yielded %d", v.Entries, n)
			}
		}
	})
}

// FuzzTamper applies a fuzzer-chosen change (overwrite, insert or delete
// bytes at an offset) to a valid log and checks it is detected against a
// checkpoint of the original, unless the change left the bytes equal.
func FuzzTamper(f *testing.F) {
	lines, _ := buildLog(f, 6)
	good := joinLines(lines)
	key := hmacKey(f)
	cps := []audit.Checkpoint{checkpoint(f, key, lines, 6)}
	f.Add(uint16(10), uint8(0), []byte("x"))
	f.Add(uint16(300), uint8(1), []byte("\n"))
	f.Add(uint16(500), uint8(2), []byte("abc"))
	f.Add(uint16(0), uint8(1), lines[2])
	f.Fuzz(func(t *testing.T, off uint16, op uint8, patch []byte) {
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
			if v.State != audit.LogIntact {
				t.Fatalf("unchanged log: %s", v)
			}
			return
		}
		// Appending whole, valid entries after the checkpoint is not
		// tampering the chain can see; anything else must be caught.
		if v.State == audit.LogIntact {
			if !bytes.HasPrefix(mut, good) {
				t.Fatalf("change at %d (op %d, %q) not detected: %s", at, op%3, patch, v)
			}
			return
		}
		if !v.State.Tampered() && v.State != audit.LogTornTail {
			t.Fatalf("unexpected state %s", v)
		}
		if v.State == audit.LogTornTail && !bytes.HasPrefix(mut, good) {
			t.Fatalf("a change inside the checkpointed log reported as a torn tail: %s", v)
		}
	})
}
