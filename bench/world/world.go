// Package world writes a generated organisation (internal/synth) as sodkit
// bundle files, for the programs and benchmarks of this module that
// measure sodkit on inputs of any size.
package world

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/sod"
)

// The names of the bundle files WriteBundles writes in its directory.
const (
	ExportFile = "export.json" // the organisation: catalogue, identities with their grants, observations, usage
	RACIFile   = "raci.json"   // the RACI matrix that goes with it, as a "raci" section
	RulesFile  = "rules.json"  // the separation-of-duties rules, as a "sod" section
)

// WriteBundles writes the organisation cfg describes and nRules
// separation-of-duties rules over its catalogue into dir, creating it if
// needed, as three bundle files: ExportFile (streamed, in constant memory:
// synth.WriteBundle), RACIFile (synth.RACI) and RulesFile (Rules). The
// same arguments always write the same bytes.
func WriteBundles(dir string, cfg synth.Config, nRules int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, ExportFile), func(w io.Writer) error { return synth.WriteBundle(w, cfg) }); err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, RACIFile), func(w io.Writer) error { return synth.WriteRACI(w, synth.RACI(cfg)) }); err != nil {
		return err
	}
	return WriteFile(filepath.Join(dir, RulesFile), func(w io.Writer) error { return WriteRules(w, Rules(cfg, nRules)) })
}

// Rules returns the n rules synth.Rules generates over the catalogue of
// the organisation cfg describes, with cfg's seed: the rules WriteBundles
// writes. It needs only the catalogue, so it is cheap at any size.
func Rules(cfg synth.Config, n int) sod.Config {
	return synth.Rules(synth.Catalogue(cfg), n, cfg.Seed)
}

// WriteFile creates path and writes it with write, buffered; it reports
// the first error of writing, flushing or closing.
func WriteFile(path string, write func(io.Writer) error) error {
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

// WriteRules writes p's rules to w as a bundle file holding a "sod"
// section: the fields synth.Rules sets (ID, title, severity, inline sides,
// K, Dynamic, owner). Duties, exceptions, the policy and the other rule
// fields are not written.
func WriteRules(w io.Writer, p sod.Config) error {
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
	_, err = w.Write(b)
	return err
}
