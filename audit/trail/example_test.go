package trail_test

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
	"github.com/sodkit/sodkit/audit/trail"
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

// Example walks the main flow of the audit trail: record decisions, sign a
// checkpoint kept apart from the log, and verify the log against it later,
// which catches an edit made with write access to the file.
func Example() {
	var log bytes.Buffer
	l := trail.New(&log, trail.Head{})
	for _, who := range []string{"alice", "bob", "dave"} {
		d := exampleDecision()
		d.Subject = who
		if _, err := l.Append(d); err != nil {
			fmt.Println(err)
			return
		}
	}

	key, _ := trail.Ed25519Key(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	cp, _ := key.Sign(trail.Checkpoint{Origin: "decisions.log", Head: l.Head(), Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})

	v, _ := trail.Verify(bytes.NewReader(log.Bytes()), key.Public(), []trail.Checkpoint{cp})
	fmt.Println(v.State, v.Entries, v.Checkpointed)

	// Someone with write access changes bob's reason.
	edited := bytes.Replace(log.Bytes(), []byte(`"subject":"bob"`), []byte(`"subject":"eve"`), 1)
	v, _ = trail.Verify(bytes.NewReader(edited), key.Public(), []trail.Checkpoint{cp})
	fmt.Println(v.State, "at entry", v.At)
	for _, f := range v.Findings("decisions.log") {
		fmt.Println(f.Kind, f.Severity, f.Controls[0].ID, f.Controls[1].ID, f.Controls[2].ID)
	}
	// Output:
	// intact 3 3
	// altered at entry 2
	// audit.log-tampered critical AU-10 AU-9 AU-9(3)
}

func ExampleNew() {
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	e, _ := l.Append(exampleDecision())
	fmt.Println(e.Seq, e.Prev.IsZero(), l.Head().Size)
	fmt.Println(strings.HasPrefix(buf.String(), `{"seq":1,"prev":"0000`))
	// Output:
	// 1 true 1
	// true
}

func ExampleLog_Append() {
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
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

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "sodkit-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "decisions.log")

	l, err := trail.Open(path) // created, mode 0600
	if err != nil {
		fmt.Println(err)
		return
	}
	l.Append(exampleDecision())
	l.Close()

	l, _ = trail.Open(path) // verified, then continued
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

	a, _ := trail.Open(path)
	defer a.Close()
	b, _ := trail.Open(path)
	defer b.Close()
	for _, l := range []*trail.Log{a, b, a} {
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
	l, _ := trail.Open(path)
	l.Append(exampleDecision())
	l.Append(exampleDecision())
	l.Close()

	v, err := trail.VerifyFile(path, trail.Key{}, nil)
	fmt.Println(v.State, v.Entries, err)
	// Output:
	// intact 2 <nil>
}

func ExampleRepair() {
	dir, _ := os.MkdirTemp("", "sodkit-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "decisions.log")
	l, _ := trail.Open(path)
	l.Append(exampleDecision())
	l.Close()

	// A crash in the middle of the next append leaves half a line.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"seq":2,"prev":"`)
	f.Close()

	_, err := trail.Open(path)
	fmt.Println(errors.Is(err, trail.ErrTornTail))
	removed, _ := trail.Repair(path)
	fmt.Printf("removed %q\n", removed)
	// Output:
	// true
	// removed "{\"seq\":2,\"prev\":\""
}

func ExampleVerify() {
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	for range 4 {
		l.Append(exampleDecision())
	}
	key, _ := trail.HMACKey([]byte("a shared secret of at least 32 bytes"))
	cp, _ := key.Sign(trail.Checkpoint{Head: l.Head(), Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})

	// Cutting off the last entry is invisible to the chain alone, but not
	// to the checkpoint.
	lines := strings.SplitAfter(buf.String(), "\n")
	cut := strings.Join(lines[:3], "")
	v, _ := trail.Verify(strings.NewReader(cut), trail.Key{}, nil)
	fmt.Println(v)
	v, _ = trail.Verify(strings.NewReader(cut), key, []trail.Checkpoint{cp})
	fmt.Println(v)
	// Output:
	// intact: 3 entries, head 8f153097fdaa183d8bfe67e04dc50933e95dd5182445dc315af311a1d14a4548
	// cut-off at entry 4: the log ends after entry 3, but a checkpoint covers 4 entries
}

func ExampleEntries() {
	var buf bytes.Buffer
	l := trail.New(&buf, trail.Head{})
	for _, who := range []string{"alice", "bob"} {
		d := exampleDecision()
		d.Subject = who
		l.Append(d)
	}
	for e, err := range trail.Entries(&buf) {
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
	v := trail.Verification{State: trail.TornTail, Entries: 41, At: 42, Detail: "the last line (17 bytes, no newline) is an interrupted append that was never acknowledged"}
	for _, f := range v.Findings("decisions.log") {
		fmt.Println(f.Kind, f.Severity, f.Subject)
		fmt.Println(f.Remediation)
	}
	// Output:
	// audit.log-torn medium log decisions.log
	// Check why the writer stopped, then remove the torn line with `sodkit log repair`; no acknowledged entry is lost.
}

func ExampleKey_Sign() {
	key, _ := trail.Ed25519Key(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	cp, _ := key.Sign(trail.Checkpoint{Origin: "decisions.log", Head: trail.Head{Size: 7}, Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})
	fmt.Println(cp.Algorithm, cp.KeyID == key.ID(), len(cp.Signature))
	fmt.Println(key.Public().Verify(cp))
	cp.Size = 6
	fmt.Println(errors.Is(key.Public().Verify(cp), trail.ErrBadSignature))
	// Output:
	// ed25519 true 64
	// <nil>
	// true
}

func ExampleHMACKey() {
	key, err := trail.HMACKey([]byte("a shared secret of at least 32 bytes"))
	fmt.Println(key.Algorithm(), key.CanSign(), err)
	_, err = trail.HMACKey([]byte("short"))
	fmt.Println(err)
	// Output:
	// hmac-sha256 true <nil>
	// hmac secret is 5 bytes, want at least 32
}

func ExampleEd25519PublicKey() {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	signer, _ := trail.Ed25519Key(priv)
	verifier, _ := trail.Ed25519PublicKey(priv.Public().(ed25519.PublicKey))
	fmt.Println(signer.ID() == verifier.ID(), verifier.CanSign())
	// Output:
	// true false
}

func ExampleParseKeyPEM() {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	der, _ := x509.MarshalPKIXPublicKey(priv.Public())
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	key, err := trail.ParseKeyPEM(pubPEM)
	fmt.Println(key.Algorithm(), key.CanSign(), err)
	// Output:
	// ed25519 false <nil>
}

func ExampleWriteCheckpoint() {
	key, _ := trail.HMACKey([]byte("a shared secret of at least 32 bytes"))
	var store bytes.Buffer // in practice a file on another machine
	for size := range uint64(2) {
		cp, _ := key.Sign(trail.Checkpoint{Head: trail.Head{Size: size}, Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})
		trail.WriteCheckpoint(&store, cp)
	}
	cps, err := trail.ReadCheckpoints(&store)
	fmt.Println(len(cps), cps[1].Size, err)
	// Output:
	// 2 1 <nil>
}

func ExampleParseHash() {
	h, err := trail.ParseHash(strings.Repeat("ab", 32))
	fmt.Println(h.IsZero(), err)
	_, err = trail.ParseHash("ABAB")
	fmt.Println(err)
	// Output:
	// false <nil>
	// invalid hash "ABAB" (want 64 lower-case hex digits)
}

func ExampleEd25519Key() {
	key, err := trail.Ed25519Key(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	fmt.Println(key.Algorithm(), key.CanSign(), len(key.ID()), err)
	// Output:
	// ed25519 true 16 <nil>
}

func ExampleKey_Verify() {
	key, _ := trail.HMACKey([]byte("a shared secret of at least 32 bytes"))
	cp, _ := key.Sign(trail.Checkpoint{Head: trail.Head{Size: 3}, Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})
	fmt.Println(key.Verify(cp))
	other, _ := trail.HMACKey([]byte("another shared secret, 32 bytes or more"))
	fmt.Println(errors.Is(other.Verify(cp), trail.ErrBadSignature))
	// Output:
	// <nil>
	// true
}

func ExampleReadCheckpoints() {
	key, _ := trail.HMACKey([]byte("a shared secret of at least 32 bytes"))
	var file bytes.Buffer
	cp, _ := key.Sign(trail.Checkpoint{Origin: "decisions.log", Head: trail.Head{Size: 3}, Time: time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)})
	trail.WriteCheckpoint(&file, cp)
	cps, _ := trail.ReadCheckpoints(&file)
	fmt.Println(cps[0].Origin, cps[0].Size, key.Verify(cps[0]))

	// A store that holds no checkpoint is an error, not an empty list that
	// would make Verify check the chain alone.
	_, err := trail.ReadCheckpoints(strings.NewReader(""))
	fmt.Println(errors.Is(err, trail.ErrNoCheckpoints))
	// Output:
	// decisions.log 3 <nil>
	// true
}

func ExampleVerification_Err() {
	v, _ := trail.Verify(strings.NewReader(`{"seq":1,"prev":"`), trail.Key{}, nil)
	err := v.Err()
	fmt.Println(errors.Is(err, trail.ErrTornTail), errors.Is(err, trail.ErrTampered))
	fmt.Println(v.State, v.At, v.Entries)
	// Output:
	// true false
	// torn-tail 1 0
}
