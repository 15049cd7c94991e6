package trail_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/audit/trail"
	"github.com/sodkit/sodkit/internal/kindtest"
)

// maxChain is the longest chain the tamper matrix builds.
const maxChain = 64

// tamper is one modification of a log and what Verify must say about it.
type tamper struct {
	name   string
	data   []byte
	cps    []trail.Checkpoint
	states []trail.State // any of these
	at     []uint64      // any of these
}

// tampers returns every modification of an n-entry log the matrix checks,
// each against a checkpoint of the full log (and, for rewrites, against a
// checkpoint at every size).
func tampers(t testing.TB, n int) []tamper {
	lines, _ := buildLog(t, n)
	key := hmacKey(t)
	end := []trail.Checkpoint{checkpoint(t, key, lines, n)}
	every := make([]trail.Checkpoint, 0, n+1)
	for s := 0; s <= n; s++ {
		every = append(every, checkpoint(t, key, lines, s))
	}
	var out []tamper
	add := func(name string, ls [][]byte, cps []trail.Checkpoint, states []trail.State, at ...uint64) {
		out = append(out, tamper{name: name, data: joinLines(ls), cps: cps, states: states, at: at})
	}
	st := func(s ...trail.State) []trail.State { return s }
	with := func(i int, l []byte) [][]byte {
		c := slices.Clone(lines)
		c[i] = l
		return c
	}

	for i := range n { // entry seq i+1
		seq := uint64(i + 1)
		// An edit in place, hash left alone: the entry's bytes no longer
		// match its hash.
		edited := bytes.Replace(lines[i], []byte("quarter-end"), []byte("quarter-End"), 1)
		add(fmt.Sprintf("edit entry %d", seq), with(i, edited), end, st(trail.Altered), seq)
		// An edit with the entry's own hash recomputed: the next entry (or
		// the checkpoint, for the last) no longer follows.
		s, prev, dj := parts(t, lines[i])
		rehashed, _ := specLine(s, prev, strings.Replace(dj, "quarter-end", "quarter-End", 1))
		if i < n-1 {
			add(fmt.Sprintf("edit+rehash entry %d", seq), with(i, rehashed), end, st(trail.Altered), seq)
		} else {
			add(fmt.Sprintf("edit+rehash last entry %d", seq), with(i, rehashed), end, st(trail.Diverged), rangeTo(seq)...)
			add(fmt.Sprintf("edit+rehash last entry %d, every checkpoint", seq), with(i, rehashed), every, st(trail.Diverged), seq)
		}
		// An edit and the whole chain after it recomputed: only a checkpoint
		// can tell.
		rewritten := rechain(t, with(i, rehashed), i)
		add(fmt.Sprintf("rewrite from entry %d", seq), rewritten, end, st(trail.Diverged), rangeTo(seq)...)
		add(fmt.Sprintf("rewrite from entry %d, every checkpoint", seq), rewritten, every, st(trail.Diverged), seq)

		// Deletion.
		del := slices.Delete(slices.Clone(lines), i, i+1)
		if i < n-1 {
			add(fmt.Sprintf("delete entry %d", seq), del, end, st(trail.Removed), seq)
		} else {
			add(fmt.Sprintf("delete last entry %d", seq), del, end, st(trail.CutOff), seq)
		}

		// Adjacent swap of entries i+1 and i+2.
		if i < n-1 {
			sw := slices.Clone(lines)
			sw[i], sw[i+1] = sw[i+1], sw[i]
			add(fmt.Sprintf("swap entries %d and %d", seq, seq+1), sw, end, st(trail.Reordered), seq)
		}

		// Truncation at the entry boundary before entry i+1, and inside the
		// entry (a torn line, the shape of a crash, still cut off against
		// the checkpoint).
		add(fmt.Sprintf("truncate before entry %d", seq), lines[:i], end, st(trail.CutOff), seq)
		for _, cut := range []int{1, len(lines[i]) / 2, len(lines[i]) - 1} {
			torn := append(slices.Clone(lines[:i]), lines[i][:cut])
			add(fmt.Sprintf("truncate inside entry %d at byte %d", seq, cut), torn, end, st(trail.CutOff), seq)
		}
	}

	// Insertions before entry i+1 (position i+1 in the file).
	for i := range n {
		pos := uint64(i + 1)
		insert := func(name string, l []byte, at ...uint64) {
			ins := slices.Insert(slices.Clone(lines), i, l)
			add(fmt.Sprintf("insert %s before entry %d", name, pos), ins, end, st(trail.Inserted, trail.Reordered), at...)
		}
		var prev trail.Hash
		if i > 0 {
			prev = lineHash(t, lines[i-1])
			insert("a copy of the previous entry", lines[i-1], pos)
		}
		// A byte-identical copy of the entry that follows: either copy may
		// be called the inserted one.
		insert("a copy of the next entry", lines[i], pos, pos+1)
		if i > 1 {
			insert("a copy of entry 1", lines[0], pos)
		}
		forged, _ := specLine(pos, prev, mustJSON(t, decision(1000+i)))
		insert("a forged entry that links", forged, pos)
		badLink, _ := specLine(pos, lineHash(t, lines[i]), mustJSON(t, decision(2000+i)))
		insert("a forged entry that does not link", badLink, pos)
		insert("a line that is not an entry", []byte("{\"note\":\"hello\"}\n"), pos)
		insert("an empty line", []byte("\n"), pos)
	}
	// A line appended after the last entry that is not an entry.
	add("append a line that is not an entry", append(slices.Clone(lines), []byte("garbage\n")), end,
		st(trail.Altered), uint64(n+1))
	return out
}

func mustJSON(t testing.TB, d audit.Decision) string {
	t.Helper()
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	e, err := l.Append(d)
	if err != nil {
		t.Fatal(err)
	}
	_, _, dj := parts(t, append(e.Raw, '\n'))
	return dj
}

// rangeTo returns 1…n: a rewrite detected only by the final checkpoint may
// be placed anywhere up to where it began.
func rangeTo(n uint64) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

// TestTamperMatrix checks that every single-entry edit, deletion,
// insertion, adjacent swap and truncation of every chain of length 0…64 is
// detected against a checkpoint, and that Verify names the first entry
// affected. With -short, or under the race detector (which slows it tenfold
// and has nothing to find in one goroutine), it covers lengths 0…8 and 64;
// CI runs it in full without -race.
func TestTamperMatrix(t *testing.T) {
	key := hmacKey(t)
	total, detected := 0, 0
	for n := 0; n <= maxChain; n++ {
		if (testing.Short() || raceBuild) && n > 8 && n != maxChain {
			continue
		}
		lines, head := buildLog(t, n)
		intact := verifyBytes(t, joinLines(lines), key, []trail.Checkpoint{checkpoint(t, key, lines, n)})
		require.Equal(t, trail.Intact, intact.State, "n=%d: the untouched log verifies: %s", n, intact)
		require.Equal(t, head, intact.Head)
		require.Equal(t, uint64(n), intact.Checkpointed)

		for _, tc := range tampers(t, n) {
			total++
			v := verifyBytes(t, tc.data, key, tc.cps)
			if v.State.Tampered() {
				detected++
			}
			if !slices.Contains(tc.states, v.State) || !slices.Contains(tc.at, v.At) {
				t.Errorf("n=%d, %s: got %s (state %s, at %d), want state in %v and at in %v",
					n, tc.name, v, v.State, v.At, tc.states, tc.at)
				continue
			}
			if v.Entries != v.At-1 || v.Head.Size != v.Entries {
				t.Errorf("n=%d, %s: entries %d and head %s do not stop just before entry %d", n, tc.name, v.Entries, v.Head, v.At)
			}
		}
	}
	t.Logf("%d of %d modifications detected (%.1f%%)", detected, total, 100*float64(detected)/float64(total))
	require.Equal(t, total, detected, "every modification is detected")
}

// TestEveryByte changes each byte of small logs, and cuts them at each
// byte, and checks that Verify names the entry holding that byte. Under
// -short or the race detector it covers logs of 1 and 2 entries.
func TestEveryByte(t *testing.T) {
	key := hmacKey(t)
	longest := 4
	if testing.Short() || raceBuild {
		longest = 2
	}
	for n := 1; n <= longest; n++ {
		lines, _ := buildLog(t, n)
		data := joinLines(lines)
		cps := []trail.Checkpoint{checkpoint(t, key, lines, n)}
		entryOf := make([]uint64, len(data))
		off := 0
		for i, l := range lines {
			for range l {
				entryOf[off] = uint64(i + 1)
				off++
			}
		}
		for i := range data {
			for _, b := range []byte{data[i] ^ 0x01, data[i] ^ 0x20, '\n', '"'} {
				if b == data[i] {
					continue
				}
				mut := slices.Clone(data)
				mut[i] = b
				v := verifyBytes(t, mut, key, cps)
				if !v.State.Tampered() || v.At != entryOf[i] {
					t.Fatalf("n=%d: byte %d (%q→%q) in entry %d: got %s", n, i, data[i], b, entryOf[i], v)
				}
			}
			// Cut the log just before byte i.
			v := verifyBytes(t, data[:i], key, cps)
			if v.State != trail.CutOff || v.At != entryOf[i] {
				t.Fatalf("n=%d: cut at byte %d (entry %d): got %s", n, i, entryOf[i], v)
			}
		}
	}
}

func TestVerifyWithoutCheckpoints(t *testing.T) {
	lines, head := buildLog(t, 5)
	tests := []struct {
		name   string
		reason string
		data   []byte
		state  trail.State
		at     uint64
	}{
		{name: "intact", reason: "the chain alone verifies", data: joinLines(lines), state: trail.Intact},
		{name: "empty", reason: "an empty log is intact", data: nil, state: trail.Intact},
		{name: "torn", reason: "a crash mid-append leaves a torn line, reported as such, not as a shorter log",
			data: append(joinLines(lines[:4]), lines[4][:40]...), state: trail.TornTail, at: 5},
		{name: "torn whole line", reason: "a complete entry without its newline was never acknowledged",
			data: bytes.TrimSuffix(joinLines(lines), []byte("\n")), state: trail.TornTail, at: 5},
		{name: "cut at a boundary", reason: "without a checkpoint a clean truncation is undetectable",
			data: joinLines(lines[:3]), state: trail.Intact},
		{name: "edit", reason: "edits are found by the chain alone",
			data:  joinLines(append(slices.Clone(lines[:2]), append([][]byte{bytes.Replace(lines[2], []byte("batch"), []byte("BATCH"), 1)}, lines[3:]...)...)),
			state: trail.Altered, at: 3},
		{name: "too long", reason: "an over-long line is rejected, not buffered without bound",
			data: append(joinLines(lines[:1]), append(bytes.Repeat([]byte("x"), trail.MaxEntryBytes+10), '\n')...), state: trail.Altered, at: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := verifyBytes(t, tc.data, trail.Key{}, nil)
			require.Equal(t, tc.state, v.State, "%s: %s", tc.reason, v)
			require.Equal(t, tc.at, v.At, tc.reason)
			require.Zero(t, v.Checkpointed)
			if tc.name == "intact" {
				require.Equal(t, head, v.Head)
			}
		})
	}
}

func TestVerifyCheckpoints(t *testing.T) {
	lines, _ := buildLog(t, 6)
	data := joinLines(lines)
	key := hmacKey(t)
	other, err := trail.HMACKey([]byte("another secret, also thirty-two bytes or more"))
	require.NoError(t, err)
	forged := checkpoint(t, key, lines, 4)
	forged.Size = 3
	fork := checkpoint(t, key, lines, 4)
	fork.Hash = lineHash(t, lines[5])
	fork, err = key.Sign(fork)
	require.NoError(t, err)
	nonEmpty, err := key.Sign(trail.Checkpoint{Head: trail.Head{Size: 0, Hash: lineHash(t, lines[0])}, Time: decisionTime})
	require.NoError(t, err)
	rolledBack := joinLines(rechain(t, append(slices.Clone(lines[:3]), mutate(lines[3]), lines[4]), 3))

	tests := []struct {
		name   string
		reason string
		data   []byte
		cps    []trail.Checkpoint
		state  trail.State
		at     uint64
		cped   uint64
	}{
		{name: "all sizes", reason: "checkpoints in any order, all matched",
			cps:   []trail.Checkpoint{checkpoint(t, key, lines, 6), checkpoint(t, key, lines, 2), checkpoint(t, key, lines, 0)},
			state: trail.Intact, cped: 6},
		{name: "grown past the checkpoint", reason: "entries after the last checkpoint are allowed",
			cps: []trail.Checkpoint{checkpoint(t, key, lines, 4)}, state: trail.Intact, cped: 4},
		{name: "duplicate checkpoints", reason: "two equal checkpoints are one",
			cps:   []trail.Checkpoint{checkpoint(t, key, lines, 4), checkpoint(t, key, lines, 4)},
			state: trail.Intact, cped: 4},
		{name: "wrong key", reason: "a checkpoint signed by another key is not trusted",
			cps: []trail.Checkpoint{mustSign(t, other, checkpoint(t, key, lines, 4))}, state: trail.BadCheckpoint},
		{name: "edited checkpoint", reason: "changing a signed field breaks the signature",
			cps: []trail.Checkpoint{forged}, state: trail.BadCheckpoint},
		{name: "fork", reason: "two checkpoints of one size with different heads",
			cps: []trail.Checkpoint{checkpoint(t, key, lines, 4), fork}, state: trail.BadCheckpoint},
		{name: "empty log checkpoint with a head", reason: "size 0 has the zero head",
			cps: []trail.Checkpoint{nonEmpty}, state: trail.Diverged, at: 1},
		{name: "rollback and regrow", reason: "a log rolled back to 3 entries and regrown differs from the checkpoint at 5",
			data: rolledBack, cps: []trail.Checkpoint{checkpoint(t, key, lines, 3), checkpoint(t, key, lines, 5)},
			state: trail.Diverged, at: 4, cped: 3},
		{name: "cut off", reason: "a checkpoint beyond the end", data: joinLines(lines[:5]),
			cps: []trail.Checkpoint{checkpoint(t, key, lines, 2), checkpoint(t, key, lines, 6)}, state: trail.CutOff, at: 6, cped: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.data
			if d == nil {
				d = data
			}
			v := verifyBytes(t, d, key, tc.cps)
			require.Equal(t, tc.state, v.State, "%s: %s", tc.reason, v)
			require.Equal(t, tc.at, v.At, "%s: %s", tc.reason, v)
			require.Equal(t, tc.cped, v.Checkpointed, "%s: %s", tc.reason, v)
		})
	}

	_, err = trail.Verify(bytes.NewReader(data), trail.Key{}, []trail.Checkpoint{checkpoint(t, key, lines, 1)})
	require.ErrorIs(t, err, trail.ErrNoKey, "checkpoints without a key cannot be checked")
}

func mutate(line []byte) []byte { return bytes.Replace(line, []byte("batch"), []byte("Batch"), 1) }

func mustSign(t *testing.T, k trail.Key, cp trail.Checkpoint) trail.Checkpoint {
	t.Helper()
	cp, err := k.Sign(cp)
	require.NoError(t, err)
	return cp
}

// TestStoredBytesNotReencoded shows that verification hashes the bytes as
// stored: an entry whose decision JSON is valid but not in the encoder's
// own form (other key order, spacing, escapes) verifies, and reads back.
func TestStoredBytesNotReencoded(t *testing.T) {
	dj := `{ "reason":"caf\u00e9 <ok>", "time":"2026-10-05T14:30:00+02:00", "actor":"ann", "action":"approve",` +
		` "subject":"bob", "role":"ap-clerk", "outcome":"completed",` +
		` "policy_basis":{"rule_set_sha256":"` + ruleSetHash + `","rule":"tmpl-1"} }`
	line, h := specLine(1, trail.Hash{}, dj)
	v := verifyBytes(t, line, trail.Key{}, nil)
	require.Equal(t, trail.Intact, v.State, v.String())
	require.Equal(t, h, v.Head.Hash)
	var got []trail.Entry
	for e, err := range trail.Entries(bytes.NewReader(line)) {
		require.NoError(t, err)
		got = append(got, e)
	}
	require.Len(t, got, 1)
	require.Equal(t, "café <ok>", got[0].Decision.Reason)
	require.Equal(t, bytes.TrimSuffix(line, []byte("\n")), got[0].Raw)
}

// TestFormatMatchesSpec checks that the writer produces exactly the
// documented format (compared with an independent encoder).
func TestFormatMatchesSpec(t *testing.T) {
	lines, _ := buildLog(t, 3)
	var prev trail.Hash
	for i, l := range lines {
		seq, p, dj := parts(t, l)
		require.Equal(t, uint64(i+1), seq)
		require.Equal(t, prev, p)
		want, h := specLine(seq, prev, dj)
		require.Equal(t, string(want), string(l))
		prev = h
	}
}

func TestEntries(t *testing.T) {
	lines, _ := buildLog(t, 5)
	tests := []struct {
		name    string
		reason  string
		data    []byte
		entries int
		err     error
	}{
		{name: "intact", reason: "every entry, then no error", data: joinLines(lines), entries: 5},
		{name: "torn", reason: "the entries before a torn line, then ErrTornTail",
			data: append(joinLines(lines[:3]), lines[3][:10]...), entries: 3, err: trail.ErrTornTail},
		{name: "altered", reason: "the entries before the altered one, then ErrTampered",
			data: joinLines(append(slices.Clone(lines[:2]), mutate(lines[2]), lines[3])), entries: 2, err: trail.ErrTampered},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			var last error
			for e, err := range trail.Entries(bytes.NewReader(tc.data)) {
				if err != nil {
					last = err
					continue
				}
				require.Nil(t, last, "no entry after an error")
				n++
				require.Equal(t, uint64(n), e.Seq)
				require.Equal(t, decision(n-1).Reason, e.Decision.Reason)
			}
			require.Equal(t, tc.entries, n, tc.reason)
			if tc.err == nil {
				require.NoError(t, last)
			} else {
				require.ErrorIs(t, last, tc.err, tc.reason)
			}
		})
	}
	// Breaking out early stops the reading.
	n := 0
	for range trail.Entries(bytes.NewReader(joinLines(lines))) {
		n++
		if n == 2 {
			break
		}
	}
	require.Equal(t, 2, n)
}

type failingReader struct{ data []byte }

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errors.New("disk on fire")
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestVerifyReadError(t *testing.T) {
	lines, _ := buildLog(t, 3)
	v, err := trail.Verify(&failingReader{data: joinLines(lines)}, trail.Key{}, nil)
	require.ErrorContains(t, err, "disk on fire")
	require.NotEqual(t, trail.Intact, v.State, "a log that could not be read is not intact")
}

func TestVerificationFindings(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		v      trail.Verification
		kind   audit.Kind
		sev    audit.Severity
	}{
		{name: "intact", reason: "nothing to report", v: trail.Verification{State: trail.Intact}},
		{name: "altered", reason: "tampering is critical", v: trail.Verification{State: trail.Altered, At: 3, Entries: 2},
			kind: trail.KindTampered, sev: audit.Critical},
		{name: "zero", reason: "an unverified log fails closed", v: trail.Verification{}, kind: trail.KindTampered, sev: audit.Critical},
		{name: "torn", reason: "a crash needs repair, not an incident", v: trail.Verification{State: trail.TornTail, At: 4, Entries: 3},
			kind: trail.KindTorn, sev: audit.Medium},
		{name: "bad checkpoint", reason: "the checkpoint store was tampered with", v: trail.Verification{State: trail.BadCheckpoint},
			kind: trail.KindCheckpointInvalid, sev: audit.Critical},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := tc.v.Findings("decisions.log")
			if tc.kind == "" {
				require.Empty(t, fs)
				require.NoError(t, tc.v.Err())
				return
			}
			require.Len(t, fs, 1)
			f := fs[0]
			require.Equal(t, tc.kind, f.Kind, tc.reason)
			require.Equal(t, tc.sev, f.Severity, tc.reason)
			require.Equal(t, audit.Subject{Type: "log", ID: "decisions.log"}, f.Subject)
			require.NotEmpty(t, f.ID)
			require.Contains(t, f.Controls, audit.Ref(audit.SP80053, "AU-9"))
			require.Contains(t, f.Controls, audit.Ref(audit.SP80053, "AU-9(3)"))
			require.Contains(t, f.Controls, audit.Ref(audit.SP80053, "AU-10"))
			require.Error(t, tc.v.Err())
		})
	}
}

func TestStateText(t *testing.T) {
	for s := trail.Unverified; s <= trail.BadCheckpoint; s++ {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back trail.State
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, s, back)
	}
	_, err := trail.State(200).MarshalText()
	require.Error(t, err)
	require.Error(t, new(trail.State).UnmarshalText([]byte("fine")))
	require.True(t, trail.Unverified.Tampered(), "the zero state fails closed")
	require.False(t, trail.TornTail.Tampered())
}

func TestKinds(t *testing.T) {
	require.NoError(t, kindtest.Table("audit.", trail.Kinds()))
	for _, v := range []trail.Verification{{State: trail.Altered, At: 3}, {State: trail.TornTail}, {State: trail.BadCheckpoint}} {
		fs := v.Findings("decisions.log")
		require.Len(t, fs, 1)
		require.NoError(t, kindtest.Findings(trail.Kinds(), fs), "every finding is built from the table")
	}
}
