package peer_test

import (
	"context"
	"slices"
	"testing"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/sod"

	"github.com/sodkit/sodkit/bench/peer"
)

// TestSameViolations is the peer's reason to exist: OPA and sodkit must
// report the same violations on the same generated data.
func TestSameViolations(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 7, Identities: 2000})
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		t.Fatal(err)
	}
	p := synth.Rules(inv, 200, 7)
	e, err := sod.Compile(x, p)
	if err != nil {
		t.Fatal(err)
	}
	o, err := peer.Prepare(context.Background(), x, p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := o.EvalAll(context.Background(), inv.Identities, synth.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	got := peer.Group(e.Detect(synth.AsOf))
	if len(got) == 0 {
		t.Fatal("no violations at all: the comparison would prove nothing")
	}
	for id, rules := range got {
		if !slices.Equal(rules, res.Violations[id]) {
			t.Fatalf("%s: sodkit %v, OPA %v", id, rules, res.Violations[id])
		}
	}
	for id, rules := range res.Violations {
		if _, ok := got[id]; !ok {
			t.Fatalf("%s: OPA %v, sodkit none", id, rules)
		}
	}
	t.Logf("%d identities with violations agree", len(got))
}
