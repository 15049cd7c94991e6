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
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

func TestDecisionValidate(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		edit   func(*audit.Decision)
		fields []string // the fields reported, in order; none for a valid decision
		is     error
	}{
		{name: "valid", reason: "a complete decision", edit: func(*audit.Decision) {}},
		{name: "role instead of entitlement", reason: "a decision may concern a role",
			edit: func(d *audit.Decision) { d.Entitlement, d.Role = "", "ap-clerk" }},
		{name: "no reason", reason: "the governance rule demands a business reason",
			edit: func(d *audit.Decision) { d.Reason = "" }, fields: []string{"reason"}, is: audit.ErrMissingReason},
		{name: "blank reason", reason: "whitespace is no reason",
			edit: func(d *audit.Decision) { d.Reason = " \t\n" }, fields: []string{"reason"}, is: audit.ErrMissingReason},
		{name: "no policy basis", reason: "the governance rule demands a policy basis",
			edit:   func(d *audit.Decision) { d.PolicyBasis = audit.PolicyBasis{} },
			fields: []string{"policy_basis.rule", "policy_basis.rule_set_sha256"}, is: audit.ErrMissingPolicyBasis},
		{name: "rule without rule-set hash", reason: "the basis names the rule set in force",
			edit: func(d *audit.Decision) { d.PolicyBasis.RuleSetSHA256 = "" }, fields: []string{"policy_basis.rule_set_sha256"}, is: audit.ErrMissingPolicyBasis},
		{name: "bad rule-set hash", reason: "a hash is 64 lower-case hex digits",
			edit: func(d *audit.Decision) { d.PolicyBasis.RuleSetSHA256 = strings.ToUpper(ruleSetHash) }, fields: []string{"policy_basis.rule_set_sha256"}, is: audit.ErrInvalid},
		{name: "zero", reason: "the zero decision reports every missing field at once",
			edit:   func(d *audit.Decision) { *d = audit.Decision{} },
			fields: []string{"time", "actor", "action", "subject", "entitlement", "outcome", "reason", "policy_basis.rule", "policy_basis.rule_set_sha256"}},
		{name: "unknown action and outcome", reason: "only the documented values",
			edit:   func(d *audit.Decision) { d.Action, d.Outcome = "delegate", "maybe" },
			fields: []string{"action", "outcome"}, is: audit.ErrInvalid},
		{name: "entitlement and role", reason: "one access per decision",
			edit: func(d *audit.Decision) { d.Role = "ap-clerk" }, fields: []string{"role"}, is: audit.ErrInvalid},
		{name: "bad findings", reason: "related findings are finding IDs, listed once",
			edit: func(d *audit.Decision) {
				d.Findings = []string{"sk-0123456789abcdef0123", "F-1", "sk-0123456789abcdef0123"}
			},
			fields: []string{"findings[1]", "findings[2]"}, is: audit.ErrInvalid},
		{name: "invalid UTF-8", reason: "text must survive JSON unchanged",
			edit: func(d *audit.Decision) { d.Ticket = "CHG-\xff" }, fields: []string{"ticket"}, is: audit.ErrInvalid},
		{name: "year 10000", reason: "JSON times hold four-digit years",
			edit: func(d *audit.Decision) { d.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, fields: []string{"time"}, is: audit.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := decision(0)
			tc.edit(&d)
			err := d.Validate()
			if len(tc.fields) == 0 {
				require.NoError(t, err, tc.reason)
				return
			}
			require.Error(t, err, tc.reason)
			var got []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				de, ok := errors.AsType[*audit.DecisionError](e)
				require.True(t, ok, "%T", e)
				got = append(got, de.Field)
				require.Contains(t, e.Error(), "decision record: field "+de.Field+": ")
			}
			require.Equal(t, tc.fields, got, tc.reason)
			if tc.is != nil {
				require.ErrorIs(t, err, tc.is, tc.reason)
			}
		})
	}
}

func TestActionsAndOutcomes(t *testing.T) {
	for _, a := range audit.Actions() {
		require.True(t, a.Valid(), a)
	}
	for _, o := range audit.Outcomes() {
		require.True(t, o.Valid(), o)
	}
	require.False(t, audit.Action("").Valid(), "the zero action is invalid")
	require.False(t, audit.Outcome("").Valid(), "the zero outcome is invalid")
}

func TestRuleSetHash(t *testing.T) {
	require.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", audit.RuleSetHash(nil))
}

var (
	decisionTime = time.Date(2026, 10, 5, 14, 30, 0, 0, time.UTC)
	ruleSetHash  = audit.RuleSetHash([]byte(`{"rules":["r-vendor-payment"]}`))
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

// mustJSON returns d as compact JSON, as the decision log stores it (no
// HTML escaping).
func mustJSON(t testing.TB, d audit.Decision) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// withDuplicate returns a decision's JSON with a second "reason" member
// (encoding/json would keep the last one silently).
func withDuplicate(t *testing.T, d audit.Decision) string {
	t.Helper()
	dj := mustJSON(t, d)
	out := strings.Replace(dj, `"reason":`, `"reason":"approved by the board","reason":`, 1)
	require.NotEqual(t, dj, out)
	return out
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

// Fuzz inputs for ReadDecisions are short programs: most bytes stand for
// themselves, and three bytes that never occur in UTF-8 text are tokens
// (the same bytes the decision log's fuzz targets use for them), so a whole
// valid record is one byte and inputs stay short enough to minimise
// quickly.
const (
	// tokDecision: a valid decision's JSON; tokOpenDecision: the same
	// without its closing brace, for the fuzzer to add members to.
	tokDecision     = 0xFC
	tokOpenDecision = 0xFD
	// tokByte, then a byte b: b itself.
	tokByte = 0xFF
)

// expandRecords expands a fuzz input into the records it stands for.
func expandRecords(prog []byte) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(decision(7)); err != nil {
		panic(err)
	}
	d := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	var out []byte
	for i := 0; i < len(prog); i++ {
		switch c := prog[i]; {
		case c == tokDecision:
			out = append(out, d...)
		case c == tokOpenDecision:
			out = append(out, d[:len(d)-1]...)
		case c == tokByte && i+1 < len(prog):
			i++
			out = append(out, prog[i])
		default:
			out = append(out, c)
		}
	}
	return out
}

// FuzzReadDecisions feeds arbitrary bytes to ReadDecisions, the strict
// reader of decision records; the input is expanded by expandRecords. Invariants: no panic;
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
		data := expandRecords(prog)
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
