package trail_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/audit/trail"
)

// Helpers shared by the log tests: decisions, logs built line by line, and
// an independent implementation of the documented line format.

var (
	decisionTime = time.Date(2026, 10, 5, 14, 30, 0, 0, time.UTC)
	ruleSetHash  = audit.RuleSetHash([]byte(`{"rules":["r-vendor-payment"]}`))
	hmacSecret   = []byte("0123456789abcdef0123456789abcdef-test-secret")
)

// decision returns the i-th test decision; each differs from the others.
func decision(i int) audit.Decision {
	actions := audit.Actions()
	return audit.Decision{
		Time:        decisionTime.Add(time.Duration(i) * time.Minute),
		Actor:       fmt.Sprintf("approver-%d", i%7),
		Action:      actions[i%len(actions)],
		Subject:     fmt.Sprintf("user-%03d", i),
		Entitlement: "erp:vendor.create",
		Outcome:     audit.OutcomeCompleted,
		Reason:      fmt.Sprintf("quarter-end vendor onboarding, batch %d", i),
		PolicyBasis: audit.PolicyBasis{Rule: "tmpl-ap-standard", RuleSetSHA256: ruleSetHash},
		Ticket:      fmt.Sprintf("CHG-%05d", 1000+i),
	}
}

// buildLog appends n decisions through a Log and returns the stored lines
// (each ending in a newline) and the log's head.
func buildLog(t testing.TB, n int) ([][]byte, trail.Head) {
	t.Helper()
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	for i := range n {
		if _, err := l.Append(decision(i)); err != nil {
			t.Fatal(err)
		}
	}
	return splitLines(buf.Bytes()), l.Head()
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b)
			break
		}
		out = append(out, b[:i+1])
		b = b[i+1:]
	}
	return out
}

func joinLines(lines [][]byte) []byte { return bytes.Join(lines, nil) }

// specLine encodes an entry exactly as the documentation of trail.Entry
// describes, independently of the package: the body, then its hash.
func specLine(seq uint64, prev trail.Hash, decisionJSON string) ([]byte, trail.Hash) {
	body := fmt.Sprintf(`{"seq":%d,"prev":"%s","decision":%s`, seq, prev, decisionJSON)
	h := sha256.Sum256([]byte("sodkit.log/v1\n" + body))
	return []byte(body + `,"hash":"` + hex.EncodeToString(h[:]) + `"}` + "\n"), h
}

// parts splits a stored line into its seq, prev and decision JSON.
func parts(t testing.TB, line []byte) (uint64, trail.Hash, string) {
	t.Helper()
	s := strings.TrimSuffix(string(line), "\n")
	var seq uint64
	var prevHex string
	if _, err := fmt.Sscanf(s, `{"seq":%d,"prev":"%64s`, &seq, &prevHex); err != nil {
		t.Fatalf("line %q: %v", s, err)
	}
	prev, err := trail.ParseHash(prevHex)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(s, `"decision":`)
	j := strings.LastIndex(s, `,"hash":"`)
	return seq, prev, s[i+len(`"decision":`) : j]
}

// lineHash returns the hash a well-formed line stores.
func lineHash(t testing.TB, line []byte) trail.Hash {
	t.Helper()
	s := strings.TrimSuffix(string(line), "\n")
	h, err := trail.ParseHash(s[len(s)-66 : len(s)-2])
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// rechain rewrites lines from index from on so that each commits to the one
// before: what an attacker who can recompute SHA-256 does after editing.
func rechain(t testing.TB, lines [][]byte, from int) [][]byte {
	t.Helper()
	out := make([][]byte, len(lines))
	copy(out, lines)
	var prev trail.Hash
	if from > 0 {
		prev = lineHash(t, out[from-1])
	}
	for i := from; i < len(out); i++ {
		seq, _, dj := parts(t, out[i])
		out[i], prev = specLine(seq, prev, dj)
	}
	return out
}

func hmacKey(t testing.TB) trail.Key {
	t.Helper()
	k, err := trail.HMACKey(hmacSecret)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// checkpoint signs a checkpoint of the first size lines.
func checkpoint(t testing.TB, key trail.Key, lines [][]byte, size int) trail.Checkpoint {
	t.Helper()
	var h trail.Hash
	if size > 0 {
		h = lineHash(t, lines[size-1])
	}
	cp, err := key.Sign(trail.Checkpoint{Origin: "test.log", Head: trail.Head{Size: uint64(size), Hash: h}, Time: decisionTime})
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func verifyBytes(t testing.TB, data []byte, key trail.Key, cps []trail.Checkpoint) trail.Verification {
	t.Helper()
	v, err := trail.Verify(bytes.NewReader(data), key, cps)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return v
}
