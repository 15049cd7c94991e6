package sod_test

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/kindtest"
	"github.com/sodkit/sodkit/sod"
)

// FuzzEngine drives the engine with random worlds and asserts its
// invariants: findings sorted with unique IDs and built from the kind
// table, CheckIdentity agreeing with Check, an exception never adding an
// unmitigated violation, and WhatIf agreeing with a full re-check.
func FuzzEngine(f *testing.F) {
	for _, s := range []uint64{0, 1, 6, 19, 42, 1234, 99999} {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], s)
		f.Add(b[:])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b [8]byte
		copy(b[:], data)
		w := randomWorld(binary.LittleEndian.Uint64(b[:]))
		x, err := entitlement.NewIndex(&w.inv)
		if err != nil {
			t.Fatalf("generator made an invalid inventory: %v", err)
		}
		e, err := sod.Compile(x, w.policy)
		if err != nil {
			t.Fatalf("Compile: %v", err)
		}
		all := e.Check(t0)
		if !slices.IsSortedFunc(all, audit.Finding.Compare) {
			t.Fatal("Check output not sorted")
		}
		seen := map[string]bool{}
		for _, f := range all {
			if seen[f.ID] {
				t.Fatalf("duplicate finding ID %s", f.ID)
			}
			seen[f.ID] = true
		}
		// Every finding is built from the kind table.
		if err := kindtest.Findings(sod.Kinds(), slices.Concat(all, e.Lint())); err != nil {
			t.Fatal(err)
		}
		// CheckIdentity finds the same violations as Check.
		for _, id := range w.inv.Identities {
			for _, f := range e.CheckIdentity(id, t0) {
				if !seen[f.ID] {
					t.Fatalf("CheckIdentity(%s) found %s (%s), Check did not", id.ID, f.ID, f.Kind)
				}
			}
		}
		// Detect finds exactly the violations Check explains.
		var detected, explained []string
		for _, v := range e.Detect(t0) {
			detected = append(detected, v.Identity+"|"+v.Rule+"|"+v.Scope)
		}
		for _, f := range all {
			if isViolation(f) {
				explained = append(explained, f.Subject.ID+"|"+f.Rule+"|"+scopeOf(f))
			}
		}
		slices.Sort(detected)
		slices.Sort(explained)
		if !slices.Equal(detected, explained) {
			t.Fatalf("Detect %v\nCheck  %v", detected, explained)
		}
		// Exceptions never add an unmitigated violation.
		noExc := w.policy
		noExc.Exceptions = nil
		e0, err := sod.Compile(x, noExc)
		if err != nil {
			t.Fatal(err)
		}
		open0 := map[string]bool{}
		for _, f := range e0.Check(t0) {
			if isViolation(f) && f.Status.Failing() {
				open0[f.ID] = true
			}
		}
		for _, f := range all {
			if isViolation(f) && f.Status.Failing() && !open0[f.ID] {
				t.Fatalf("an exception added the unmitigated finding %s", f.ID)
			}
		}
		if err := agrees(x, w.policy, w.change, t0); err != nil {
			t.Fatal(err)
		}
	})
}

func isViolation(f audit.Finding) bool {
	return f.Kind == sod.KindToxicCombination || f.Kind == sod.KindCriticalAccess
}

// scopeOf returns the scope value in a violation finding's evidence.
func scopeOf(f audit.Finding) string {
	for _, e := range f.Evidence {
		if strings.HasPrefix(e.Label, "scope ") {
			return e.Value
		}
	}
	return ""
}
