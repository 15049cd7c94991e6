package audit_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
)

// exampleDecision is the decision the examples record.
func exampleDecision() audit.Decision {
	return audit.Decision{
		Time:        time.Date(2026, 10, 5, 14, 30, 0, 0, time.UTC),
		Actor:       "carol",
		Action:      audit.ActionApprove,
		Subject:     "alice",
		Entitlement: "erp:vendor.create",
		Outcome:     audit.OutcomeCompleted,
		Reason:      "covers vendor onboarding during the quarter-end close",
		PolicyBasis: audit.PolicyBasis{Rule: "tmpl-ap-standard", RuleSetSHA256: audit.RuleSetHash([]byte("rules v42"))},
		Ticket:      "CHG-1042",
	}
}

// Example_decisionLog walks the main flow of the audit log: record
// decisions, sign a checkpoint kept apart from the log, and verify the log
// against it later, which catches an edit made with write access to the
// file.
func Example_decisionLog() {
	var log bytes.Buffer
	l := audit.NewLog(&log, audit.Head{})
	for _, who := range []string{"alice", "bob", "dave"} {
		d := exampleDecision()
		d.Subject = who
		if _, err := l.Append(d); err != nil {
			fmt.Println(err)
			return
		}
	}

	key, _ := audit.Ed25519Key(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	cp, _ := key.Sign(audit.Checkpoint{Origin: "decisions.log", Head: l.Head(), Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})

	v, _ := audit.Verify(bytes.NewReader(log.Bytes()), key.Public(), []audit.Checkpoint{cp})
	fmt.Println(v.State, v.Entries, v.Checkpointed)

	// Someone with write access changes bob's reason.
	edited := bytes.Replace(log.Bytes(), []byte(`"subject":"bob"`), []byte(`"subject":"eve"`), 1)
	v, _ = audit.Verify(bytes.NewReader(edited), key.Public(), []audit.Checkpoint{cp})
	fmt.Println(v.State, "at entry", v.At)
	for _, f := range v.Findings("decisions.log") {
		fmt.Println(f.Kind, f.Severity, f.Controls[0].ID, f.Controls[1].ID, f.Controls[2].ID)
	}
	// Output:
	// intact 3 3
	// altered at entry 2
	// audit.log-tampered critical AU-10 AU-9 AU-9(3)
}

func ExampleDecision_Validate() {
	d := exampleDecision()
	d.Reason = ""
	d.PolicyBasis.RuleSetSHA256 = ""
	err := d.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, audit.ErrMissingReason), errors.Is(err, audit.ErrMissingPolicyBasis))
	// Output:
	// decision record: field reason: a decision needs a business reason
	// decision record: field policy_basis.rule_set_sha256: a decision needs a policy basis: the rule or template ID and the SHA-256 of the rule set in force
	// true true
}

func ExampleReadDecisions() {
	records := `{"time":"2026-10-05T14:30:00Z","actor":"carol","action":"approve","subject":"alice",
 "entitlement":"erp:vendor.create","outcome":"completed","reason":"vendor onboarding",
 "policy_basis":{"rule":"tmpl-ap","rule_set_sha256":"` + audit.RuleSetHash([]byte("rules v42")) + `"}}
{"time":"2026-10-05T14:31:00Z","actor":"carol","actor":"mallory"}`
	_, err := audit.ReadDecisions(strings.NewReader(records))
	fmt.Println(err)
	fmt.Println(errors.Is(err, audit.ErrDuplicateKey))
	if je, ok := errors.AsType[*audit.JSONError](err); ok {
		fmt.Println(je.Line, je.Key)
	}

	ds, err := audit.ReadDecisions(strings.NewReader(strings.SplitAfter(records, "}}")[0]))
	fmt.Println(len(ds), ds[0].Subject, err, ds[0].Validate())
	// Output:
	// record 2: line 4: key "actor": duplicate key
	// true
	// 4 actor
	// 1 alice <nil> <nil>
}

func ExampleRuleSetHash() {
	fmt.Println(audit.RuleSetHash([]byte("rules v42")))
	// Output:
	// 39802fbd7cd557205dcea7cd7863cccc96eff613b409f687a4f40f41cee08bcb
}

func ExampleNewLog() {
	var buf bytes.Buffer
	l := audit.NewLog(&buf, audit.Head{})
	e, _ := l.Append(exampleDecision())
	fmt.Println(e.Seq, e.Prev.IsZero(), l.Head().Size)
	fmt.Println(strings.HasPrefix(buf.String(), `{"seq":1,"prev":"0000`))
	// Output:
	// 1 true 1
	// true
}

func ExampleLog_Append() {
	var buf bytes.Buffer
	l := audit.NewLog(&buf, audit.Head{})
	first, _ := l.Append(exampleDecision())
	second, _ := l.Append(exampleDecision())
	fmt.Println(second.Seq, second.Prev == first.Hash)

	d := exampleDecision()
	d.Reason = ""
	_, err := l.Append(d)
	fmt.Println(err)
	// Output:
	// 2 true
	// decision record: field reason: a decision needs a business reason
}

func ExampleOpenLogFile() {
	dir, _ := os.MkdirTemp("", "sodkit-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "decisions.log")

	l, err := audit.OpenLogFile(path) // created, mode 0600
	if err != nil {
		fmt.Println(err)
		return
	}
	l.Append(exampleDecision())
	l.Close()

	l, _ = audit.OpenLogFile(path) // verified, then continued
	e, _ := l.Append(exampleDecision())
	l.Close()
	fmt.Println(e.Seq)
	// Output:
	// 2
}

// Two Logs on one file, as two processes would hold: each Append takes the
// file's lock and continues the chain after the other's entries.
func ExampleLog_Append_sharedFile() {
	dir, _ := os.MkdirTemp("", "sodkit-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "decisions.log")

	a, _ := audit.OpenLogFile(path)
	defer a.Close()
	b, _ := audit.OpenLogFile(path)
	defer b.Close()
	for _, l := range []*audit.Log{a, b, a} {
		e, err := l.Append(exampleDecision())
		fmt.Println(e.Seq, err)
	}
	// Output:
	// 1 <nil>
	// 2 <nil>
	// 3 <nil>
}

func ExampleVerifyFile() {
	dir, _ := os.MkdirTemp("", "sodkit-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "decisions.log")
	l, _ := audit.OpenLogFile(path)
	l.Append(exampleDecision())
	l.Append(exampleDecision())
	l.Close()

	v, err := audit.VerifyFile(path, audit.Key{}, nil)
	fmt.Println(v.State, v.Entries, err)
	// Output:
	// intact 2 <nil>
}

func ExampleRepairLogFile() {
	dir, _ := os.MkdirTemp("", "sodkit-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "decisions.log")
	l, _ := audit.OpenLogFile(path)
	l.Append(exampleDecision())
	l.Close()

	// A crash in the middle of the next append leaves half a line.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"seq":2,"prev":"`)
	f.Close()

	_, err := audit.OpenLogFile(path)
	fmt.Println(errors.Is(err, audit.ErrTornTail))
	removed, _ := audit.RepairLogFile(path)
	fmt.Printf("removed %q\n", removed)
	// Output:
	// true
	// removed "{\"seq\":2,\"prev\":\""
}

func ExampleVerify() {
	var buf bytes.Buffer
	l := audit.NewLog(&buf, audit.Head{})
	for range 4 {
		l.Append(exampleDecision())
	}
	key, _ := audit.HMACKey([]byte("a shared secret of at least 32 bytes"))
	cp, _ := key.Sign(audit.Checkpoint{Head: l.Head(), Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})

	// Cutting off the last entry is invisible to the chain alone, but not
	// to the checkpoint.
	lines := strings.SplitAfter(buf.String(), "\n")
	cut := strings.Join(lines[:3], "")
	v, _ := audit.Verify(strings.NewReader(cut), audit.Key{}, nil)
	fmt.Println(v)
	v, _ = audit.Verify(strings.NewReader(cut), key, []audit.Checkpoint{cp})
	fmt.Println(v)
	// Output:
	// intact: 3 entries, head 8f153097fdaa183d8bfe67e04dc50933e95dd5182445dc315af311a1d14a4548
	// cut-off at entry 4: the log ends after entry 3, but a checkpoint covers 4 entries
}

func ExampleLogEntries() {
	var buf bytes.Buffer
	l := audit.NewLog(&buf, audit.Head{})
	for _, who := range []string{"alice", "bob"} {
		d := exampleDecision()
		d.Subject = who
		l.Append(d)
	}
	for e, err := range audit.LogEntries(&buf) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(e.Seq, e.Decision.Action, e.Decision.Subject, e.Decision.Entitlement)
	}
	// Output:
	// 1 approve alice erp:vendor.create
	// 2 approve bob erp:vendor.create
}

func ExampleVerification_Findings() {
	v := audit.Verification{State: audit.LogTornTail, Entries: 41, At: 42, Detail: "the last line (17 bytes, no newline) is an interrupted append that was never acknowledged"}
	for _, f := range v.Findings("decisions.log") {
		fmt.Println(f.Kind, f.Severity, f.Subject)
		fmt.Println(f.Remediation)
	}
	// Output:
	// audit.log-torn medium log decisions.log
	// Check why the writer stopped, then remove the torn line with `sodkit log repair`; no acknowledged entry is lost.
}

func ExampleKey_Sign() {
	key, _ := audit.Ed25519Key(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	cp, _ := key.Sign(audit.Checkpoint{Origin: "decisions.log", Head: audit.Head{Size: 7}, Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})
	fmt.Println(cp.Algorithm, cp.KeyID == key.ID(), len(cp.Signature))
	fmt.Println(key.Public().Verify(cp))
	cp.Size = 6
	fmt.Println(errors.Is(key.Public().Verify(cp), audit.ErrBadSignature))
	// Output:
	// ed25519 true 64
	// <nil>
	// true
}

func ExampleHMACKey() {
	key, err := audit.HMACKey([]byte("a shared secret of at least 32 bytes"))
	fmt.Println(key.Algorithm(), key.CanSign(), err)
	_, err = audit.HMACKey([]byte("short"))
	fmt.Println(err)
	// Output:
	// hmac-sha256 true <nil>
	// hmac secret is 5 bytes, want at least 32
}

func ExampleEd25519PublicKey() {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	signer, _ := audit.Ed25519Key(priv)
	verifier, _ := audit.Ed25519PublicKey(priv.Public().(ed25519.PublicKey))
	fmt.Println(signer.ID() == verifier.ID(), verifier.CanSign())
	// Output:
	// true false
}

func ExampleParseKeyPEM() {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	der, _ := x509.MarshalPKIXPublicKey(priv.Public())
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	key, err := audit.ParseKeyPEM(pubPEM)
	fmt.Println(key.Algorithm(), key.CanSign(), err)
	// Output:
	// ed25519 false <nil>
}

func ExampleWriteCheckpoint() {
	key, _ := audit.HMACKey([]byte("a shared secret of at least 32 bytes"))
	var store bytes.Buffer // in practice a file on another machine
	for size := range uint64(2) {
		cp, _ := key.Sign(audit.Checkpoint{Head: audit.Head{Size: size}, Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})
		audit.WriteCheckpoint(&store, cp)
	}
	cps, err := audit.ReadCheckpoints(&store)
	fmt.Println(len(cps), cps[1].Size, err)
	// Output:
	// 2 1 <nil>
}

func ExampleParseHash() {
	h, err := audit.ParseHash(strings.Repeat("ab", 32))
	fmt.Println(h.IsZero(), err)
	_, err = audit.ParseHash("ABAB")
	fmt.Println(err)
	// Output:
	// false <nil>
	// invalid hash "ABAB" (want 64 lower-case hex digits)
}

func ExampleEd25519Key() {
	key, err := audit.Ed25519Key(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	fmt.Println(key.Algorithm(), key.CanSign(), len(key.ID()), err)
	// Output:
	// ed25519 true 16 <nil>
}

func ExampleKey_Verify() {
	key, _ := audit.HMACKey([]byte("a shared secret of at least 32 bytes"))
	cp, _ := key.Sign(audit.Checkpoint{Head: audit.Head{Size: 3}, Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})
	fmt.Println(key.Verify(cp))
	other, _ := audit.HMACKey([]byte("another shared secret, 32 bytes or more"))
	fmt.Println(errors.Is(other.Verify(cp), audit.ErrBadSignature))
	// Output:
	// <nil>
	// true
}

func ExampleReadCheckpoints() {
	key, _ := audit.HMACKey([]byte("a shared secret of at least 32 bytes"))
	var file bytes.Buffer
	cp, _ := key.Sign(audit.Checkpoint{Origin: "decisions.log", Head: audit.Head{Size: 3}, Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})
	audit.WriteCheckpoint(&file, cp)
	cps, _ := audit.ReadCheckpoints(&file)
	fmt.Println(cps[0].Origin, cps[0].Size, key.Verify(cps[0]))

	// A store that holds no checkpoint is an error, not an empty list that
	// would make Verify check the chain alone.
	_, err := audit.ReadCheckpoints(strings.NewReader(""))
	fmt.Println(errors.Is(err, audit.ErrNoCheckpoints))
	// Output:
	// decisions.log 3 <nil>
	// true
}

func ExampleVerification_Err() {
	v, _ := audit.Verify(strings.NewReader(`{"seq":1,"prev":"`), audit.Key{}, nil)
	err := v.Err()
	fmt.Println(errors.Is(err, audit.ErrTornTail), errors.Is(err, audit.ErrTampered))
	fmt.Println(v.State, v.At, v.Entries)
	// Output:
	// true false
	// torn-tail 1 0
}
