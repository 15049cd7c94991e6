package audit_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// withDuplicate returns a decision's JSON with a second "reason" member
// (encoding/json would keep the last one silently).
func withDuplicate(t *testing.T, d audit.Decision) string {
	t.Helper()
	dj := mustJSON(t, d)
	out := strings.Replace(dj, `"reason":`, `"reason":"approved by the board","reason":`, 1)
	require.NotEqual(t, dj, out)
	return out
}

// TestVerifyRejectsDuplicateKeys: a stored entry whose decision names a
// member twice carries a correct hash (the hash covers the raw bytes) but
// is malformed: verification fails at that entry, saying which key on
// which line. Before, the decoder silently kept the last value.
func TestVerifyRejectsDuplicateKeys(t *testing.T) {
	lines, _ := buildLog(t, 3)
	prev := lineHash(t, lines[0])
	dup, h := specLine(2, prev, withDuplicate(t, decision(1)))
	_, _, dj3 := parts(t, lines[2])
	next, _ := specLine(3, h, dj3)
	data := joinLines([][]byte{lines[0], dup, next})

	v := verifyBytes(t, data, audit.Key{}, nil)
	require.Equal(t, audit.LogAltered, v.State, v.String())
	require.Equal(t, uint64(2), v.At)
	require.Contains(t, v.Detail, `line 2: key "reason": duplicate key`)

	var n int
	var err error
	for _, err = range audit.LogEntries(bytes.NewReader(data)) {
		if err != nil {
			break
		}
		n++
	}
	require.ErrorIs(t, err, audit.ErrTampered)
	require.Equal(t, 1, n, "only the entry before the malformed one is yielded")
}

// TestReadCheckpointsRejectsDuplicateKeys: a checkpoint line naming a
// member twice is an error naming the line and the key.
func TestReadCheckpointsRejectsDuplicateKeys(t *testing.T) {
	key := hmacKey(t)
	lines, _ := buildLog(t, 2)
	var buf bytes.Buffer
	require.NoError(t, audit.WriteCheckpoint(&buf, checkpoint(t, key, lines, 1)))
	require.NoError(t, audit.WriteCheckpoint(&buf, checkpoint(t, key, lines, 2)))
	text := buf.String()
	i := strings.LastIndex(text, `"size":`)
	text = text[:i] + `"size":1,` + text[i:] // checkpoint 2 now says size 1, then 2

	_, err := audit.ReadCheckpoints(strings.NewReader(text))
	require.ErrorIs(t, err, audit.ErrDuplicateKey)
	var je *audit.JSONError
	require.ErrorAs(t, err, &je)
	require.Equal(t, 2, je.Line)
	require.Equal(t, "size", je.Key)
	require.ErrorContains(t, err, `checkpoint 2: line 2: key "size": duplicate key`)
}

func TestReadDecisions(t *testing.T) {
	one := mustJSON(t, decision(1))
	tests := []struct {
		name   string
		reason string
		in     string
		n      int
		errs   []string // every message, in order
		dup    bool     // errors.Is(err, ErrDuplicateKey)
	}{
		{name: "one per line", reason: "JSON lines", in: one + "\n" + mustJSON(t, decision(2)) + "\n", n: 2},
		{name: "pretty-printed", reason: "records may span lines", in: "{\n  \"actor\": \"carol\",\n  \"reason\": \"x\"\n}\n", n: 1},
		{name: "empty", reason: "no record is no error here; the caller decides", in: " \n"},
		{name: "duplicate", reason: "the last value would win silently", dup: true,
			in:   one + "\n" + withDuplicate(t, decision(2)),
			errs: []string{`record 2: line 2: key "reason": duplicate key`}},
		{name: "duplicate on a later line", reason: "the line is the duplicate's, not the record's", dup: true,
			in:   "{\n  \"actor\": \"carol\",\n  \"subject\": \"a\",\n  \"actor\": \"mallory\"\n}",
			errs: []string{`record 1: line 4: key "actor": duplicate key (first at line 2)`}},
		{name: "differs in case", reason: "encoding/json matches field names without regard to case", dup: true,
			in:   `{"actor":"carol","Actor":"mallory"}`,
			errs: []string{`record 1: line 1: key "Actor": duplicate key (same field as "actor")`}},
		{name: "escaped", reason: "an escape spells the same key", dup: true,
			in:   `{"actor":"carol","\u0061ctor":"mallory"}`,
			errs: []string{`record 1: line 1: key "actor": duplicate key`}},
		{name: "nested", reason: "objects inside a record are checked too", dup: true,
			in:   `{"policy_basis":{"rule":"a","rule":"b"}}`,
			errs: []string{`record 1: line 1: key "policy_basis.rule": duplicate key`}},
		{name: "every problem", reason: "all records and all duplicates are reported at once", dup: true,
			in: `{"actor":"a","actor":"b","ticket":"x","ticket":"y"}` + "\n" + `{"approver":"x"}` + "\n" + `{"subject":1}`,
			errs: []string{`record 1: line 1: key "actor": duplicate key`, `record 1: line 1: key "ticket": duplicate key`,
				`record 2: line 2: json: unknown field "approver"`, `record 3: line 3: key "subject": json: cannot unmarshal number`}},
		{name: "many keys", reason: "an object with many keys is indexed, not scanned, and still checked", dup: true,
			in:   manyKeys(40) + "\n",
			errs: []string{`record 1: line 1: key "K5": duplicate key (same field as "k5")`, `record 1: line 1: json: unknown field "k0"`}},
		{name: "empty key", reason: "the empty string is a key too, and the message shows it", dup: true,
			in: `{"":1,"":2}`, errs: []string{`record 1: line 1: key "": duplicate key`, `record 1: line 1: json: unknown field ""`}},
		{name: "not an object", reason: "a record is an object", in: "[1]", errs: []string{`record 1: line 1: not a JSON object`}},
		{name: "null", reason: "null is not a record either", in: "null", errs: []string{`record 1: line 1: not a JSON object`}},
		{name: "syntax", reason: "malformed JSON stops reading, with its line", in: one + "\n{\"actor\":}",
			errs: []string{`record 2: line 2: invalid character '}'`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := audit.ReadDecisions(strings.NewReader(tc.in))
			if len(tc.errs) == 0 {
				require.NoError(t, err, tc.reason)
				require.Len(t, ds, tc.n, tc.reason)
				return
			}
			require.Error(t, err, tc.reason)
			require.Nil(t, ds)
			var msgs []string
			for _, e := range errorsOf(err) {
				msgs = append(msgs, e.Error())
			}
			require.Len(t, msgs, len(tc.errs), "%s: %q", tc.reason, msgs)
			for i, want := range tc.errs {
				require.Contains(t, msgs[i], want, tc.reason)
			}
			require.Equal(t, tc.dup, errors.Is(err, audit.ErrDuplicateKey), tc.reason)
		})
	}
}

// manyKeys returns an object with keys k0…k(n-1), then K5 again.
func manyKeys(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, "%q:%d,", fmt.Sprintf("k%d", i), i)
	}
	b.WriteString(`"K5":0}`)
	return b.String()
}

// errorsOf flattens errors joined with errors.Join.
func errorsOf(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// FuzzReadDecisions feeds arbitrary bytes to ReadDecisions, the strict
// reader of decision records; the input is expanded as FuzzVerify's is
// (see tokLine), so a whole valid record is the one byte tokDecision and
// inputs stay short enough to minimise quickly. Invariants: no panic;
// every problem is a *JSONError whose line lies within the input, and a
// duplicate names its key; when it accepts the input, encoding/json's own
// lenient reading means the same decisions (strictness refuses input, it
// never changes what input says); and what it returns reads back the same.
func FuzzReadDecisions(f *testing.F) {
	f.Add([]byte{tokDecision})
	f.Add([]byte{tokDecision, '\n', tokDecision, '\n'})
	f.Add([]byte("{\n  \"actor\": \"carol\",\n  \"ticket\": \"x\"\n}\n{}"))
	f.Add([]byte("\xfd,\"Actor\":\"mallory\"}"))
	f.Add([]byte(`{"actor":"carol","\u0061ctor":"mallory"}`))
	f.Add([]byte(`{"policy_basis":{"rule":"a","rule":"b"},"findings":["x",{"a":1,"a":2}]}`))
	f.Add([]byte(`{"approver":"x"} [1] null {"actor":`))
	f.Fuzz(func(t *testing.T, prog []byte) {
		data := expandLog(prog)
		ds, err := audit.ReadDecisions(bytes.NewReader(data))
		if err != nil {
			if ds != nil {
				t.Fatalf("decisions returned with an error: %v", err)
			}
			lines := bytes.Count(data, []byte{'\n'}) + 1
			for _, e := range errorsOf(err) {
				je, ok := errors.AsType[*audit.JSONError](e)
				if !ok {
					t.Fatalf("%v is not a *JSONError", e)
				}
				if je.Line < 1 || je.Line > lines {
					t.Fatalf("%v: line %d outside the input's %d lines", e, je.Line, lines)
				}
				if errors.Is(e, audit.ErrDuplicateKey) && !strings.Contains(e.Error(), "key "+strconv.Quote(je.Key)+": ") {
					t.Fatalf("%v: a duplicate key without its name", e)
				}
			}
			return
		}
		var lenient []audit.Decision
		dec := json.NewDecoder(bytes.NewReader(data))
		for {
			var d audit.Decision
			err := dec.Decode(&d)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("ReadDecisions accepted what encoding/json refuses: %v", err)
			}
			lenient = append(lenient, d)
		}
		got, err := json.Marshal(append([]audit.Decision{}, ds...))
		if err != nil {
			return // a time json cannot write; nothing to compare
		}
		want, _ := json.Marshal(append([]audit.Decision{}, lenient...))
		if !bytes.Equal(got, want) {
			t.Fatalf("strict and lenient readings differ:\n%s\n%s", got, want)
		}
		var buf bytes.Buffer
		for _, d := range ds {
			b, _ := json.Marshal(d)
			buf.Write(append(b, '\n'))
		}
		back, err := audit.ReadDecisions(&buf)
		if err != nil {
			t.Fatalf("decisions do not read back: %v", err)
		}
		if again, _ := json.Marshal(append([]audit.Decision{}, back...)); !bytes.Equal(again, got) {
			t.Fatalf("decisions read back differently:\n%s\n%s", again, got)
		}
	})
}
