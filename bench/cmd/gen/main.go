// Command gen writes a generated export, its RACI matrix and a rule set as
// bundle files, for measuring sodkit check on inputs of any size:
//
//	cd bench && go run ./cmd/gen -identities 1000000 -rules 500 -out /tmp/big
//	sodkit check --stream /tmp/big/export.json /tmp/big/raci.json /tmp/big/rules.json
//
// export.json is internal/synth's organisation (streamed, constant memory):
// by default a governed one, which follows its own policies except for a
// small, documented defect rate, as a real export of a reasonably governed
// estate does (about 0.12 findings per identity outside the sod rules);
// with -governed=false, synth's default organisation, full of defects on
// purpose (about 30 per identity), which measures finding construction
// more than the checks. raci.json holds the RACI matrix that goes with the
// organisation (synth.RACI) as a "raci" section; rules.json holds
// synth.Rules over its catalogue as a "sod" section.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/sodkit/sodkit/internal/synth"

	"github.com/sodkit/sodkit/bench/world"
)

func main() {
	identities := flag.Int("identities", 100_000, "number of identities")
	rules := flag.Int("rules", 500, "number of rules")
	seed := flag.Uint64("seed", 1, "generator seed")
	governed := flag.Bool("governed", true, "generate a governed organisation (false: one full of defects)")
	out := flag.String("out", ".", "directory to write export.json, raci.json and rules.json into")
	flag.Parse()
	cfg := synth.Config{Seed: *seed, Identities: *identities, Governed: *governed}
	if err := run(cfg, *rules, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(cfg synth.Config, nRules int, dir string) error {
	return world.WriteBundles(dir, cfg, nRules)
}
