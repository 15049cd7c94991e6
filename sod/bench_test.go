package sod_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/sod"
)

// benchWorld is a generated inventory with its index and a rule set.
type benchWorld struct {
	inv    *entitlement.Inventory
	x      *entitlement.Index
	policy sod.Config
}

var benchWorlds = map[[2]int]*benchWorld{}

func loadWorld(b *testing.B, identities, rules int) *benchWorld {
	b.Helper()
	key := [2]int{identities, rules}
	if w, ok := benchWorlds[key]; ok {
		return w
	}
	inv := synth.Generate(synth.Config{Seed: 1, Identities: identities})
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		b.Fatal(err)
	}
	w := &benchWorld{inv: inv, x: x, policy: synth.Rules(inv, rules, 1)}
	benchWorlds[key] = w
	return w
}

// benchWhole runs one whole-inventory pass of the engine (run returns how
// many results it produced, reported as unit) at each benchmark size, and
// reports identities per second.
func benchWhole(b *testing.B, unit string, run func(*sod.Engine) int) {
	for _, size := range [][2]int{{1_000, 500}, {100_000, 500}} {
		b.Run(fmt.Sprintf("identities=%d/rules=%d", size[0], size[1]), func(b *testing.B) {
			w := loadWorld(b, size[0], size[1])
			e, err := sod.Compile(w.x, w.policy)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var n int
			for b.Loop() {
				n = run(e)
			}
			b.ReportMetric(float64(size[0])*float64(b.N)/b.Elapsed().Seconds(), "identities/s")
			b.ReportMetric(float64(n), unit)
		})
	}
}

// BenchmarkCheck measures a full check of an already-loaded inventory: all
// identities, all rules, on all cores.
func BenchmarkCheck(b *testing.B) {
	benchWhole(b, "findings", func(e *sod.Engine) int { return len(e.Check(synth.AsOf)) })
}

// BenchmarkViolations measures the part of a check a peer policy engine can
// also compute: toxic combinations and critical access for every identity,
// as findings with evidence and paths.
func BenchmarkViolations(b *testing.B) {
	benchWhole(b, "findings", func(e *sod.Engine) int { return len(sod.ViolationFindings(e, synth.AsOf)) })
}

// BenchmarkDetect measures the engine's hot path: every violation of every
// identity, without building findings.
func BenchmarkDetect(b *testing.B) {
	benchWhole(b, "violations", func(e *sod.Engine) int { return len(e.Detect(synth.AsOf)) })
}

// BenchmarkCompile measures compiling 500 rules against a catalogue.
func BenchmarkCompile(b *testing.B) {
	w := loadWorld(b, 100_000, 500)
	for b.Loop() {
		if _, err := sod.Compile(w.x, w.policy); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckIdentity measures one identity through the engine, the
// per-identity cost of a streamed check.
func BenchmarkCheckIdentity(b *testing.B) {
	w := loadWorld(b, 100_000, 500)
	e, _ := sod.Compile(w.x, w.policy)
	ids := w.inv.Identities
	i := 0
	for b.Loop() {
		e.CheckIdentity(ids[i%len(ids)], synth.AsOf)
		i++
	}
}

// BenchmarkWhatIf measures one proposed grant against 2,000 rules: the
// question an approval service asks inside a request handler. Set
// SODKIT_BENCH_IDENTITIES to change the inventory size (default 100,000;
// the cost does not grow with it).
func BenchmarkWhatIf(b *testing.B) {
	n := 100_000
	if s := os.Getenv("SODKIT_BENCH_IDENTITIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	w := loadWorld(b, n, 2000)
	e, err := sod.Compile(w.x, w.policy)
	if err != nil {
		b.Fatal(err)
	}
	// Propose, for a spread of identities, an entitlement some rule names.
	var changes []sod.Change
	for i := 0; i < 1000; i++ {
		id := w.inv.Identities[(i*7919)%len(w.inv.Identities)]
		r := w.policy.Rules[i%len(w.policy.Rules)]
		target := r.Sides[0].Entitlements
		if len(target) == 0 {
			continue
		}
		changes = append(changes, sod.Change{Identity: id.ID, Grants: []entitlement.Grant{{
			ID: "proposed", Entitlement: target[0], State: entitlement.GrantActive}}})
	}
	added := 0
	i := 0
	for b.Loop() {
		fs, err := e.WhatIf(changes[i%len(changes)], synth.AsOf)
		if err != nil {
			b.Fatal(err)
		}
		added += len(fs)
		i++
	}
	b.ReportMetric(float64(added)/float64(b.N), "findings/op")
}
