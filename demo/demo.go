// Package demo holds the embedded demo bundle: a small organisation (an ERP
// finance team, a service desk, an IAM team, platform engineers, service
// accounts, API keys, tokens, a workload identity and an AI agent) with
// clean access and with problems for every check to find.
//
// The demo is several bundle files, one per concern (inventory.json holds
// the parties, catalogue, identities and observations; other files add the
// sections each check package reads), loaded together as one bundle. It is
// what the sodkit command checks when given --demo, what the examples run
// on, and a ready-made organisation for trying sodkit from Go: it is public
// so that a copy of an example compiles outside this module. Its findings
// and their IDs may change from release to release; do not build on them.
package demo

import (
	"bytes"
	"embed"
	"io/fs"
	"slices"
	"strings"

	"github.com/sodkit/sodkit/bundle"
)

//go:embed *.json
var files embed.FS

// Prefix starts the name of every demo source, so errors and reports say
// the input was the embedded demo.
const Prefix = "demo:"

// Sources returns the demo's bundle files as load sources, in name order
// with inventory.json first. Each call returns fresh readers.
func Sources() []bundle.Source {
	names, _ := fs.Glob(files, "*.json")
	slices.SortFunc(names, func(a, b string) int {
		switch {
		case a == "inventory.json":
			return -1
		case b == "inventory.json":
			return 1
		}
		return strings.Compare(a, b)
	})
	out := make([]bundle.Source, 0, len(names))
	for _, n := range names {
		data, _ := files.ReadFile(n)
		out = append(out, bundle.Source{Name: Prefix + n, Reader: bytes.NewReader(data)})
	}
	return out
}

// Load loads the demo bundle. It fails only if the embedded files are
// invalid, which the package's tests rule out.
func Load() (*bundle.Bundle, error) { return bundle.Load(Sources()...) }
