// Package deptest checks the module's dependency rules, the way tailscale's
// tstest/deptest does: no package that ships links test-only code, and
// imports run downwards only (DESIGN.md §3).
package deptest

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/sodkit/sodkit"

// pkg is what go list says about one package.
type pkg struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string // its non-test Go files, relative to Dir
	Imports    []string // direct imports of its non-test files
	Deps       []string // every package its non-test files link, transitively
	Error      *struct{ Err string }
}

// packages lists every package of the module (with "go list -deps"
// semantics: Deps covers what a build links, never test files).
func packages(t *testing.T) []pkg {
	t.Helper()
	touchSources(t)
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list dependencies: %v", err)
	}
	cmd := exec.Command(goCmd, "list", "-e", "-json=ImportPath,Name,Dir,GoFiles,Imports,Deps,Error", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		if p.Error != nil {
			t.Errorf("%s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages of %s", len(pkgs), module)
	}
	return pkgs
}

// touchSources reads the directory tree and stats every Go file and
// go.mod of the module. go list runs in a subprocess, whose reads the test
// cache does not see; these reads make a cached pass invalid as soon as a
// source file changes.
func touchSources(t *testing.T) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".go") || d.Name() == "go.mod") {
			_, err := os.Stat(path)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// short strips the module path for messages.
func short(path string) string { return strings.TrimPrefix(path, module+"/") }

// TestNoTestDependencies fails if any package that ships (libraries and
// commands alike) links the testing package, testify or go-cmp. Those
// belong in _test.go files only; test helpers for other repositories take
// a small TB interface instead (see STYLE.md).
func TestNoTestDependencies(t *testing.T) {
	forbidden := func(dep string) bool {
		return dep == "testing" ||
			dep == "github.com/stretchr/testify" || strings.HasPrefix(dep, "github.com/stretchr/testify/") ||
			dep == "github.com/google/go-cmp" || strings.HasPrefix(dep, "github.com/google/go-cmp/")
	}
	pkgs := packages(t)
	for _, p := range pkgs {
		for _, dep := range p.Deps {
			if forbidden(dep) {
				t.Errorf("%s links %s (test-only code in a shipped package; import chain: %s)",
					short(p.ImportPath), dep, chain(pkgs, p.ImportPath, dep))
			}
		}
	}
}

// standalone are the leaf machinery packages: each imports nothing of the
// module, so that entitlement and audit may use them.
var standalone = []string{"internal/jsonpull", "internal/safetext", "internal/idfold", "internal/rolegraph",
	"internal/hashset", "internal/strictjson", "internal/parallel", "internal/yamljson", "internal/memo"}

// TestImportsRunDownwards checks DESIGN.md §3: entitlement and audit import
// no other package of the module except leaf internal packages (machinery
// under internal/ that itself imports nothing of the module, such as
// the packages in standalone); audit/trail, the decision log, imports
// audit and leaf internal packages only, and audit never imports it; the
// check packages import entitlement, audit and internal machinery, never
// each other, bundle or a command; so do the importers, which may import
// entitlement/importer too; bundle imports the check packages and the
// importers, never scan or a command; the packages in standalone import
// nothing of the module.
func TestImportsRunDownwards(t *testing.T) {
	pkgs := packages(t)
	leaf := leafInternal(pkgs)
	allowed := map[string]func(dep string) bool{
		"entitlement": func(dep string) bool { return leaf[dep] },
		"audit":       func(dep string) bool { return leaf[dep] },
		"audit/trail": func(dep string) bool { return dep == "audit" || leaf[dep] },
	}
	for _, p := range standalone {
		allowed[p] = func(string) bool { return false }
	}
	checkPkg := func(dep string) bool {
		return dep == "entitlement" || dep == "audit" || strings.HasPrefix(dep, "internal/") && dep != "internal/synth"
	}
	checks := []string{"sod", "raci", "breakglass", "lifecycle"}
	for _, p := range checks {
		allowed[p] = checkPkg
	}
	// internal/evidence converts entitlement's paths into audit's steps for
	// the check packages: it sits between the two and below the checks.
	allowed["internal/evidence"] = func(dep string) bool { return dep == "entitlement" || dep == "audit" || leaf[dep] }
	// The importers sit at the check packages' level: entitlement/importer
	// (what they share: the import shape, origins, data-quality notes,
	// which it turns into findings) imports what a check package may;
	// entitlement/scim and entitlement/grantcsv import that and
	// entitlement/importer, never bundle or each other.
	allowed["entitlement/importer"] = checkPkg
	importers := []string{"entitlement/scim", "entitlement/grantcsv"}
	for _, p := range importers {
		allowed[p] = func(dep string) bool { return checkPkg(dep) || dep == "entitlement/importer" }
	}
	// bundle sits above both: it loads the check packages' sections and
	// merges the importers' imports, and never imports scan, a command or
	// the demo.
	allowed["bundle"] = func(dep string) bool {
		return checkPkg(dep) || dep == "entitlement/importer" || slices.Contains(importers, dep) || slices.Contains(checks, dep)
	}
	seen := map[string]bool{}
	for _, p := range pkgs {
		rule, ok := allowed[short(p.ImportPath)]
		if !ok {
			continue
		}
		seen[short(p.ImportPath)] = true
		for _, dep := range p.Deps {
			if !strings.HasPrefix(dep, module+"/") {
				continue
			}
			if !rule(short(dep)) {
				t.Errorf("%s imports %s (imports must run downwards; import chain: %s)",
					short(p.ImportPath), short(dep), chain(pkgs, p.ImportPath, dep))
			}
		}
	}
	for _, must := range append([]string{"entitlement", "audit", "audit/trail",
		"entitlement/importer", "entitlement/scim", "entitlement/grantcsv", "bundle"}, standalone...) {
		if !seen[must] {
			t.Errorf("package %s not found; update this test if it moved", must)
		}
	}
}

// leafInternal returns the module's leaf internal packages, by short path:
// the packages under internal/ with code that links no package of the
// module.
func leafInternal(pkgs []pkg) map[string]bool {
	leaf := map[string]bool{}
	for _, p := range pkgs {
		name := short(p.ImportPath)
		if !strings.HasPrefix(name, "internal/") || len(p.GoFiles) == 0 {
			continue
		}
		if !slices.ContainsFunc(p.Deps, func(dep string) bool { return strings.HasPrefix(dep, module+"/") }) {
			leaf[name] = true
		}
	}
	return leaf
}

// TestStandardLibraryOnly checks that the module's packages depend on the
// standard library and on each other only (DESIGN.md §3); a peer engine to
// compare against lives in its own module under bench/.
func TestStandardLibraryOnly(t *testing.T) {
	for _, p := range packages(t) {
		for _, dep := range p.Deps {
			first, _, _ := strings.Cut(dep, "/")
			if strings.Contains(first, ".") && !strings.HasPrefix(dep, module+"/") {
				t.Errorf("%s links %s, which is not in the standard library", short(p.ImportPath), dep)
			}
		}
	}
}

// chain finds an import path from one package to a dependency, to make a
// failure easy to fix. It walks the module's packages breadth-first; a
// dependency reached through a package outside the module is shown as
// "… →".
func chain(pkgs []pkg, from, to string) string {
	byPath := map[string]pkg{}
	for _, p := range pkgs {
		byPath[p.ImportPath] = p
	}
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, imp := range byPath[cur].Imports {
			if _, seen := prev[imp]; seen {
				continue
			}
			prev[imp] = cur
			if imp == to {
				var path []string
				for at := to; at != ""; at = prev[at] {
					path = append([]string{short(at)}, path...)
				}
				return strings.Join(path, " → ")
			}
			if q, ok := byPath[imp]; ok && slices.Contains(q.Deps, to) {
				queue = append(queue, imp)
			}
		}
	}
	return short(from) + " → … → " + short(to)
}

// TestLibraryReadsNoClock fails if a library package reads the wall clock
// or waits on it: every check takes the evaluation time (or a clock) from
// its caller, so results are deterministic and testable. Only commands
// and example programs (package main) may call time.Now.
func TestLibraryReadsNoClock(t *testing.T) {
	clock := map[string]bool{"Now": true, "Since": true, "Until": true, "Sleep": true,
		"After": true, "AfterFunc": true, "Tick": true, "NewTicker": true, "NewTimer": true}
	checked := 0
	for _, p := range packages(t) {
		if p.Name == "main" {
			continue
		}
		for _, name := range p.GoFiles {
			path := filepath.Join(p.Dir, name)
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("parsing %s: %v", path, err)
			}
			timePkg := ""
			for _, imp := range f.Imports {
				if imp.Path.Value == `"time"` {
					timePkg = "time"
					if imp.Name != nil {
						timePkg = imp.Name.Name
					}
				}
			}
			if timePkg == "" {
				continue
			}
			checked++
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == timePkg && clock[sel.Sel.Name] {
					t.Errorf("%s: library code uses time.%s; take the time or a clock from the caller",
						fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
	if checked < 10 {
		t.Fatalf("only %d library files import time; is the package list complete?", checked)
	}
}
