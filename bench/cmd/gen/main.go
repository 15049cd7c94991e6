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
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/sod"
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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "export.json"), func(w io.Writer) error { return synth.WriteBundle(w, cfg) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "raci.json"), func(w io.Writer) error { return synth.WriteRACI(w, synth.RACI(cfg)) }); err != nil {
		return err
	}
	// The rules need only the catalogue.
	inv := synth.Catalogue(cfg)
	p := synth.Rules(inv, nRules, cfg.Seed)
	return writeRules(filepath.Join(dir, "rules.json"), p)
}

// writeFile creates path and writes it with write, buffered.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func writeRules(path string, p sod.Config) error {
	type side struct {
		Name         string   `json:"name,omitempty"`
		Entitlements []string `json:"entitlements,omitempty"`
		Roles        []string `json:"roles,omitempty"`
	}
	type rule struct {
		ID       string `json:"id"`
		Title    string `json:"title,omitempty"`
		Severity string `json:"severity"`
		Sides    []side `json:"sides"`
		K        int    `json:"k,omitempty"`
		Dynamic  bool   `json:"dynamic,omitempty"`
		Owner    string `json:"owner,omitempty"`
	}
	var rs []rule
	for _, r := range p.Rules {
		x := rule{ID: r.ID, Title: r.Title, Severity: r.Severity.String(), K: r.K, Dynamic: r.Dynamic, Owner: r.Owner}
		for _, s := range r.Sides {
			x.Sides = append(x.Sides, side{Name: s.Name, Entitlements: s.Entitlements, Roles: s.Roles})
		}
		rs = append(rs, x)
	}
	doc := map[string]any{"format": bundle.Format, "sod": map[string]any{"rules": rs}}
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	// encoding/json sorts the keys, so "format" comes first, as the bundle
	// format requires.
	return os.WriteFile(path, b, 0o644)
}
