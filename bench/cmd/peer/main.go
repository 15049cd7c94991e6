// Command peer measures sodkit's sod engine against Open Policy Agent on the
// same generated inventory and rules, checks that both report the same
// violations, and prints the ratios.
//
//	cd bench && go run ./cmd/peer -identities 100000 -rules 500
//
// Both engines run in the same process on the same machine, one after the
// other, on all cores; the ratio is what to quote (absolute figures vary
// with the machine's load). OPA can be run on a sample of the identities
// (-opa-sample) when evaluating all of them would take too long; the
// violations are then compared on that sample and OPA's throughput is
// measured on it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/sod"

	"github.com/sodkit/sodkit/bench/peer"
)

func main() {
	identities := flag.Int("identities", 100_000, "number of generated identities")
	rules := flag.Int("rules", 500, "number of generated rules")
	seed := flag.Uint64("seed", 1, "generator seed")
	runs := flag.Int("runs", 5, "sodkit runs to take the median of")
	sample := flag.Int("opa-sample", 0, "evaluate OPA on every n-th identity only (0: all)")
	whatif := flag.Int("whatif", 10_000, "what-if calls to time (0: skip)")
	flag.Parse()
	if err := run(*identities, *rules, *seed, *runs, *sample, *whatif); err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
}

func run(n, nRules int, seed uint64, runs, sample, whatifs int) error {
	ctx := context.Background()
	fmt.Printf("generating %d identities, %d rules (seed %d) on %d cores\n", n, nRules, seed, runtime.GOMAXPROCS(0))
	start := time.Now()
	inv := synth.Generate(synth.Config{Seed: seed, Identities: n})
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		return err
	}
	p := synth.Rules(inv, nRules, seed)
	grants := 0
	for _, id := range inv.Identities {
		grants += len(id.Grants)
	}
	fmt.Printf("  %d grants, %d entitlements, %d roles, generated and indexed in %s\n",
		grants, len(inv.Entitlements), len(inv.Roles), time.Since(start).Round(time.Millisecond))
	at := synth.AsOf

	start = time.Now()
	e, err := sod.Compile(x, p)
	if err != nil {
		return err
	}
	fmt.Printf("sodkit compile: %s\n", time.Since(start).Round(time.Millisecond))

	var detectTimes []time.Duration
	var violations []sod.Violation
	for range max(runs, 1) {
		start = time.Now()
		violations = e.Detect(at)
		detectTimes = append(detectTimes, time.Since(start))
	}
	detect := median(detectTimes)
	start = time.Now()
	findings := 0 // the violations among a full check's findings, explained
	for _, f := range e.Check(at) {
		if f.Kind == sod.KindToxicCombination || f.Kind == sod.KindCriticalAccess {
			findings++
		}
	}
	explained := time.Since(start)
	sodRate := float64(n) / detect.Seconds()
	fmt.Printf("sodkit Detect:     %d violations, median %s of %d runs = %.0f identities/s\n",
		len(violations), detect.Round(time.Microsecond), len(detectTimes), sodRate)
	fmt.Printf("sodkit Check:      %d violation findings with evidence and paths (and the rest of the check) in %s = %.0f identities/s\n",
		findings, explained.Round(time.Millisecond), float64(n)/explained.Seconds())

	o, err := peer.Prepare(ctx, x, p)
	if err != nil {
		return err
	}
	subset := inv.Identities
	if sample > 1 {
		subset = nil
		for i := 0; i < len(inv.Identities); i += sample {
			subset = append(subset, inv.Identities[i])
		}
	}
	res, err := o.EvalAll(ctx, subset, at)
	if err != nil {
		return err
	}
	opaRate := float64(len(subset)) / res.Elapsed.Seconds()
	fmt.Printf("OPA:               %d identities in %s = %.0f identities/s\n", len(subset), res.Elapsed.Round(time.Millisecond), opaRate)

	// Same violations on the identities OPA evaluated.
	got := peer.Group(violations)
	agree := 0
	for _, id := range subset {
		if !slices.Equal(got[id.ID], res.Violations[id.ID]) {
			return fmt.Errorf("violations differ for %s: sodkit %v, OPA %v", id.ID, got[id.ID], res.Violations[id.ID])
		}
		if len(got[id.ID]) > 0 {
			agree++
		}
	}
	fmt.Printf("same violations:   yes, on %d identities (%d with violations)\n", len(subset), agree)
	fmt.Printf("ratio:             sodkit Detect is %.0f× OPA; with full evidence %.0f× OPA\n",
		sodRate/opaRate, (float64(n)/explained.Seconds())/opaRate)

	if whatifs > 0 {
		for _, named := range []bool{false, true} {
			lat, added := timeWhatIf(e, inv, p, whatifs, at, named)
			what := "any entitlement of the catalogue"
			if named {
				what = "an entitlement a rule names"
			}
			fmt.Printf("what-if, one grant of %s, %d rules: median %s, p99 %s over %d calls (%.1f%% added findings)\n",
				what, nRules, lat[len(lat)/2], lat[len(lat)*99/100], len(lat), 100*float64(added)/float64(len(lat)))
		}
	}
	return nil
}

// timeWhatIf times single-grant what-if calls for a spread of identities,
// each proposing a random entitlement of the catalogue or, with named, the
// first entitlement of a rule's first side, and returns the sorted
// latencies and how many calls added findings.
func timeWhatIf(e *sod.Engine, inv *entitlement.Inventory, p sod.Config, calls int, at time.Time, named bool) ([]time.Duration, int) {
	var lat []time.Duration
	added := 0
	for i := range calls {
		id := inv.Identities[(i*7919)%len(inv.Identities)]
		target := inv.Entitlements[(i*104729)%len(inv.Entitlements)].ID
		if named {
			r := p.Rules[i%len(p.Rules)]
			if len(r.Sides[0].Entitlements) == 0 {
				continue
			}
			target = r.Sides[0].Entitlements[0]
		}
		c := sod.Change{Identity: id.ID, Grants: []entitlement.Grant{{
			ID: "proposed", Entitlement: target, State: entitlement.GrantActive}}}
		start := time.Now()
		fs, err := e.WhatIf(c, at)
		lat = append(lat, time.Since(start))
		if err != nil {
			panic(err)
		}
		if len(fs) > 0 {
			added++
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat, added
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
