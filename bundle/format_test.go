package bundle_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
)

// formatDoc is the format reference this package implements.
const formatDoc = "../docs/format.md"

// docExample returns the complete example of docs/format.md: the JSON
// block after the marker comment.
func docExample(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile(formatDoc)
	require.NoError(t, err)
	s := string(doc)
	i := strings.Index(s, "<!-- complete example: loaded by bundle/format_test.go -->")
	require.GreaterOrEqual(t, i, 0, "the example's marker is in %s", formatDoc)
	start := strings.Index(s[i:], "```json\n")
	require.GreaterOrEqual(t, start, 0)
	body := s[i+start+len("```json\n"):]
	end := strings.Index(body, "\n```")
	require.GreaterOrEqual(t, end, 0)
	return body[:end+1]
}

// TestFormatDocExample loads the complete example of docs/format.md, so the
// reference never shows a bundle that does not load.
func TestFormatDocExample(t *testing.T) {
	b, err := bundle.Load(bundle.Source{Name: "docs/format.md", Reader: strings.NewReader(docExample(t))})
	require.NoError(t, err, "the complete example of docs/format.md must load")

	// What the prose under the example says.
	a, err := b.Index.EffectiveAccess("alice", b.AsOf)
	require.NoError(t, err)
	var got []string
	for _, h := range a.Entitlements {
		for _, p := range h.Paths {
			got = append(got, p.String())
		}
	}
	require.Equal(t, []string{
		"grant g-2 → entitlement erp:payment.release (eligible, activated)",
		"grant g-1 → role ap-clerk → role base-employee → entitlement erp:report.view",
		"grant g-1 → role ap-clerk → entitlement erp:vendor.create",
	}, got)
}

// docTables returns, per "## Heading" of docs/format.md, the member names
// of the table under it (the backquoted first cell of each row).
func docTables(t *testing.T) map[string][]string {
	t.Helper()
	doc, err := os.ReadFile(formatDoc)
	require.NoError(t, err)
	out := map[string][]string{}
	heading := ""
	row := regexp.MustCompile("^\\| `([a-z_]+)` \\|")
	for _, line := range strings.Split(string(doc), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			heading = h
			continue
		}
		if m := row.FindStringSubmatch(line); m != nil {
			out[heading] = append(out[heading], m[1])
		}
	}
	return out
}

// decoderMembers returns, per decoder method of the named files, the member
// names its switch accepts (the string constants of its case clauses).
func decoderMembers(t *testing.T, files ...string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil {
				continue
			}
			// Nested decoders written inline (an activation inside a
			// grant) are collected with their method.
			ast.Inspect(fn, func(n ast.Node) bool {
				cc, ok := n.(*ast.CaseClause)
				if !ok {
					return true
				}
				for _, e := range cc.List {
					if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
						s, err := strconv.Unquote(bl.Value)
						require.NoError(t, err)
						out[fn.Name.Name] = append(out[fn.Name.Name], s)
					}
				}
				return true
			})
		}
	}
	return out
}

// TestFormatDocCoversDecoder checks that docs/format.md documents every
// member the decoder accepts, record by record, and every top-level
// section, and that the complete example uses every documented member.
func TestFormatDocCoversDecoder(t *testing.T) {
	tables := docTables(t)
	members := decoderMembers(t, "records.go", "sections.go", "bundle.go", "waiver.go")
	records := map[string]string{ // decoder method → heading of its table
		"party": "Party", "entitlement": "Entitlement", "role": "Role", "identity": "Identity",
		"credential": "Credential", "grant": "Grant", "event": "Event", "approval": "Approval",
		"activation": "Activation", "observation": "Observation", "usage": "Usage",
		"waiver": "Waiver", "waiverSubject": "Waiver subject",
	}
	for method, heading := range records {
		require.NotEmpty(t, members[method], "decoder method %s not found in records.go; update this test", method)
		for _, m := range members[method] {
			require.Contains(t, tables[heading], m, "member %q of %s is not in the table under %q in %s", m, method, "## "+heading, formatDoc)
		}
		for _, m := range tables[heading] {
			require.Contains(t, members[method], m, "%s documents member %q of %s, which the decoder does not accept", formatDoc, m, heading)
		}
	}
	top := append(slices.Clone(members["sectionReader"]), members["readFile"]...)
	require.Contains(t, top, "identities")
	for _, s := range top {
		require.Contains(t, tables["File structure"], s, "top-level member %q is not in the table under ## File structure", s)
	}

	// The example uses every member of every record table.
	example := docExample(t)
	for _, heading := range records {
		for _, m := range tables[heading] {
			require.Contains(t, example, `"`+m+`":`, "the complete example does not use member %q (%s)", m, heading)
		}
	}
	for _, s := range tables["File structure"] {
		require.Contains(t, example, `"`+s+`":`, "the complete example does not use section %q", s)
	}
}

// TestCheckSectionDocs checks that each member the check sections' decoders
// accept is documented in the section's own page (docs/sod.md, docs/raci.md,
// docs/breakglass.md), which docs/format.md links to.
func TestCheckSectionDocs(t *testing.T) {
	for file, page := range map[string]string{"sod.go": "sod.md", "raci.go": "raci.md", "breakglass.go": "breakglass.md"} {
		if _, err := os.Stat(file); err != nil {
			continue // the check package has no section yet
		}
		doc, err := os.ReadFile(filepath.Join("..", "docs", page))
		require.NoError(t, err, "%s decodes a section documented in docs/%s", file, page)
		var missing []string
		for method, ms := range decoderMembers(t, file) {
			for _, m := range ms {
				// Documented as `m` in prose or tables, or as "m" in JSON.
				if !strings.Contains(string(doc), "`"+m+"`") && !strings.Contains(string(doc), `"`+m+`"`) {
					missing = append(missing, method+"."+m)
				}
			}
		}
		slices.Sort(missing)
		require.Empty(t, missing, "members decoded by %s but not documented in docs/%s", file, page)
	}
}
