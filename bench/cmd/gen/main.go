// Command gen writes a generated export and rule set as bundle files, for
// measuring sodkit check on inputs of any size:
//
//	cd bench && go run ./cmd/gen -identities 1000000 -rules 500 -out /tmp/big
//	sodkit check --stream /tmp/big/export.json /tmp/big/rules.json
//
// export.json is internal/synth's organisation (streamed, constant memory);
// rules.json holds synth.Rules over it as a "sod" section.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
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
	out := flag.String("out", ".", "directory to write export.json and rules.json into")
	flag.Parse()
	if err := run(*identities, *rules, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(n, nRules int, seed uint64, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cfg := synth.Config{Seed: seed, Identities: n}
	f, err := os.Create(filepath.Join(dir, "export.json"))
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := synth.WriteBundle(w, cfg); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// The rules need only the catalogue.
	inv := synth.Catalogue(cfg)
	p := synth.Rules(inv, nRules, seed)
	return writeRules(filepath.Join(dir, "rules.json"), p)
}

func writeRules(path string, p sod.Policy) error {
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
