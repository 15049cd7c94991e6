package deptest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// documented reports whether the package at short path name must document
// itself and every exported name. The library packages must: everything a
// user imports is read through go doc. So must the machinery under
// internal/ (its test-only helpers included): its exported names are the
// API the library packages are built on, read by whoever changes them, and
// an undocumented zero value there fails open just as easily. Commands,
// example programs (package main), the guides' tests and the separate
// bench/ and tools/ modules export nothing anyone imports.
func documented(name string) bool {
	for _, skip := range []string{"cmd", "examples", "bench", "tools", "docs"} {
		if name == skip || strings.HasPrefix(name, skip+"/") {
			return false
		}
	}
	return true
}

// TestEveryExportedNameDocumented fails, naming the file, the line and the
// identifier, for a documented package (see documented) without a package
// doc comment, and for an exported name go doc shows without a doc
// comment: a top-level type, func or method on an exported type; a const or
// var, which may rely on the doc of its group or on a line comment, as
// go doc shows them; an exported field of an exported struct type (or of a
// struct type nested in one), or a method of an exported interface, which
// may have a doc or a line comment. A directive such as //go:generate is
// not a doc. A doc comment of one name starts with that name, optionally
// after "A", "An" or "The" (STYLE.md; a line comment is a phrase and
// need not).
func TestEveryExportedNameDocumented(t *testing.T) {
	var files, names int
	for _, p := range packages(t) {
		name := short(p.ImportPath)
		if !documented(name) || p.Name == "main" || len(p.GoFiles) == 0 {
			continue
		}
		var pkgDocs []string
		for _, file := range p.GoFiles {
			path := filepath.Join(p.Dir, file)
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("parsing %s: %v", path, err)
			}
			files++
			where := func(pos token.Pos) string {
				return fmt.Sprintf("%s/%s:%d", name, file, fset.Position(pos).Line)
			}
			if hasText(f.Doc) {
				pkgDocs = append(pkgDocs, where(f.Package))
				if want := "Package " + p.Name + " "; !strings.HasPrefix(f.Doc.Text(), want) {
					t.Errorf("%s: package doc of %s does not start with %q", where(f.Package), name, want)
				}
			}
			names += undocumented(f, func(pos token.Pos, ident, what, problem string) {
				t.Errorf("%s: %s %s %s", where(pos), what, ident, problem)
			})
		}
		switch {
		case len(pkgDocs) == 0:
			t.Errorf("%s/%s:1: package %s has no package doc comment (put it in doc.go if it is longer than a few lines)",
				name, p.GoFiles[0], name)
		case len(pkgDocs) > 1:
			t.Errorf("%s: package %s has %d package doc comments, which go doc runs together: %s",
				pkgDocs[1], name, len(pkgDocs), strings.Join(pkgDocs, ", "))
		}
	}
	if files < 50 || names < 300 {
		t.Fatalf("checked only %d exported names in %d files; is the package list complete?", names, files)
	}
	t.Logf("checked %d exported names in %d files", names, files)
}

// A reporter is told of one problem with the doc of an exported name: what
// the name is ("field"), the name as go doc shows it ("Grant.State"), and
// the problem (missing or misnamed).
type reporter func(pos token.Pos, ident, what, problem string)

// The problems a reporter is told of.
const (
	missing  = "has no doc comment"
	misnamed = "has a doc comment that does not start with its name"
)

// undocumented calls report for every exported name of f that go doc shows
// without a doc comment, and returns the number of exported names it
// looked at.
func undocumented(f *ast.File, report reporter) int {
	n := 0
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			ident, what := d.Name.Name, "func"
			if d.Recv != nil {
				recv := receiverType(d.Recv)
				if !ast.IsExported(recv) {
					continue // go doc does not show it
				}
				ident, what = recv+"."+d.Name.Name, "method"
			}
			n++
			if !hasText(d.Doc) {
				report(d.Pos(), ident, what, missing)
			} else if !startsWithName(d.Doc, d.Name.Name) {
				report(d.Pos(), ident, what, misnamed)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					n++
					// go/doc gives a type the doc of its group when it has
					// none of its own.
					if !hasText(s.Doc) && !hasText(d.Doc) {
						report(s.Pos(), s.Name.Name, "type", missing)
					} else if doc := s.Doc; hasText(doc) && !startsWithName(doc, s.Name.Name) ||
						!hasText(doc) && !d.Lparen.IsValid() && !startsWithName(d.Doc, s.Name.Name) {
						report(s.Pos(), s.Name.Name, "type", misnamed)
					}
					n += members(s.Name.Name, s.Type, report)
				case *ast.ValueSpec:
					what := strings.ToLower(d.Tok.String())
					for _, id := range s.Names {
						if !id.IsExported() {
							continue
						}
						n++
						if !hasText(s.Doc) && !hasText(s.Comment) && !hasText(d.Doc) {
							report(id.Pos(), id.Name, what, missing)
						} else if len(s.Names) == 1 && (hasText(s.Doc) && !startsWithName(s.Doc, id.Name) ||
							!hasText(s.Doc) && !d.Lparen.IsValid() && !startsWithName(d.Doc, id.Name)) {
							report(id.Pos(), id.Name, what, misnamed)
						}
					}
				}
			}
		}
	}
	return n
}

// members reports the exported fields of a struct type and the methods of
// an interface type, owner being the name they are shown under, and
// descends into struct types nested in a field's type; it returns the
// number of exported members it looked at.
func members(owner string, typ ast.Expr, report reporter) int {
	n := 0
	var list *ast.FieldList
	what := "field"
	switch tt := typ.(type) {
	case *ast.StructType:
		list = tt.Fields
	case *ast.InterfaceType:
		list, what = tt.Methods, "interface method"
	case *ast.StarExpr:
		return members(owner, tt.X, report)
	case *ast.ArrayType:
		return members(owner, tt.Elt, report)
	case *ast.MapType:
		return members(owner, tt.Value, report)
	default:
		return 0
	}
	for _, field := range list.List {
		names := field.Names
		if len(names) == 0 { // an embedded field or interface
			id := embeddedName(field.Type)
			if id == nil || what == "interface method" {
				continue // an embedded interface's methods are documented where it is declared
			}
			names = []*ast.Ident{id}
		}
		for _, id := range names {
			if !id.IsExported() {
				continue
			}
			n++
			if !hasText(field.Doc) && !hasText(field.Comment) {
				report(id.Pos(), owner+"."+id.Name, what, missing)
			} else if len(names) == 1 && hasText(field.Doc) && !startsWithName(field.Doc, id.Name) {
				report(id.Pos(), owner+"."+id.Name, what, misnamed)
			}
			if what == "field" {
				n += members(owner+"."+id.Name, field.Type, report)
			}
		}
	}
	return n
}

// embeddedName returns the identifier an embedded field is known by (T in
// T, *T, pkg.T and T[X]), or nil.
func embeddedName(typ ast.Expr) *ast.Ident {
	switch tt := typ.(type) {
	case *ast.Ident:
		return tt
	case *ast.StarExpr:
		return embeddedName(tt.X)
	case *ast.SelectorExpr:
		return tt.Sel
	case *ast.IndexExpr:
		return embeddedName(tt.X)
	case *ast.IndexListExpr:
		return embeddedName(tt.X)
	}
	return nil
}

// receiverType returns the name of a method's receiver type, without
// pointer or type parameters.
func receiverType(recv *ast.FieldList) string {
	if recv == nil || len(recv.List) == 0 {
		return ""
	}
	if id := embeddedName(recv.List[0].Type); id != nil {
		return id.Name
	}
	return ""
}

// startsWithName reports whether a doc comment starts with name, as
// "Name …", "A Name …", "An Name …" or "The Name …".
func startsWithName(c *ast.CommentGroup, name string) bool {
	words := strings.Fields(c.Text())
	is := func(i int) bool { return len(words) > i && strings.TrimRight(words[i], ",.:;") == name }
	return is(0) || len(words) > 0 && (words[0] == "A" || words[0] == "An" || words[0] == "The") && is(1)
}

// hasText reports whether a comment group holds text go doc shows, not only
// directives.
func hasText(c *ast.CommentGroup) bool {
	return c != nil && strings.TrimSpace(c.Text()) != ""
}

// TestUndocumented checks the checker: what go doc shows must be
// documented, what it does not show need not be, and a doc must start
// with its name.
func TestUndocumented(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		src    string
		want   []string // "what ident: problem", in source order
	}{{
		name:   "documented",
		reason: "every kind of name with the doc go doc shows passes",
		src: `package p
// T is a type.
type T struct {
	// A is a field.
	A int
	B int // B has a line comment
	c int
}
// F is a func.
func F() {}
// M is a method.
func (T) M() {}
// I is an interface.
type I interface {
	// N is a method.
	N()
}
// The values.
const (
	X = 1
	Y = 2
)
var (
	// V is a var.
	V = 1
	W = 2 // W has a line comment
)`,
	}, {
		name:   "missing",
		reason: "each exported name go doc shows without a doc is reported once, at its line",
		src: `package p
type T struct {
	A int
	B struct {
		C int
	}
	Embedded
}
type Embedded struct{}
func F() {}
func (*T) M() {}
type I interface{ N() }
const X = 1
var (
	V = 1
)`,
		want: []string{
			"type T: " + missing, "field T.A: " + missing, "field T.B: " + missing, "field T.B.C: " + missing,
			"field T.Embedded: " + missing, "type Embedded: " + missing, "func F: " + missing, "method T.M: " + missing,
			"type I: " + missing, "interface method I.N: " + missing, "const X: " + missing, "var V: " + missing,
		},
	}, {
		name:   "unexported",
		reason: "go doc shows neither unexported names nor the methods and fields of unexported types",
		src: `package p
type t struct{ A int }
func (t) M() {}
func f() {}
var v = 1
// T is a type.
type T struct{ a int }
func (T) m() {}`,
	}, {
		name:   "group doc",
		reason: "a type or value in a documented group has the group's doc in go doc",
		src: `package p
// The types.
type (
	A int
	B int
)
// The errors.
var (
	ErrA = 1
	ErrB = 2
)`,
	}, {
		name:   "misnamed",
		reason: "a doc of one name starts with the name, optionally after an article; a line comment need not",
		src: `package p
// A T is a type.
type T struct {
	// the field
	A int
	// An is a field named An.
	An int
	B int // the field B
}
// Returns something.
func F() int { return 0 }
// The X constant.
const X = 1`,
		want: []string{"field T.A: " + misnamed, "func F: " + misnamed},
	}, {
		name:   "directive",
		reason: "a directive alone is not a doc",
		src: `package p
//go:noinline
func F() {}`,
		want: []string{"func F: " + missing},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parser.ParseFile(token.NewFileSet(), "p.go", tt.src, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			undocumented(f, func(_ token.Pos, ident, what, problem string) {
				got = append(got, what+" "+ident+": "+problem)
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s\ngot  %q\nwant %q", tt.reason, got, tt.want)
			}
		})
	}
}
