package bundle_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
)

// acmeDir copies the acme exports, mapping and rules into a new directory
// and makes it the working directory, so files are named as acmeImports
// names them.
func acmeDir(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for name, from := range map[string]string{
		"users.json":  filepath.Join("..", "entitlement", "scim", "testdata", "acme", "users.json"),
		"groups.json": filepath.Join("..", "entitlement", "scim", "testdata", "acme", "groups.json"),
		"grants.csv":  filepath.Join("..", "entitlement", "grantcsv", "testdata", "acme", "grants.csv"),
		"map.json":    filepath.Join("..", "entitlement", "grantcsv", "testdata", "acme", "map.json"),
		"rules.json":  filepath.Join("testdata", "imports", "rules.json"),
	} {
		data, err := os.ReadFile(from)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	t.Chdir(dir)
}

// acmeSet names the acme files, as sodkit check --scim users.json --scim
// groups.json --scim-system okta --scim-key userName --csv grants.csv
// --csv-map map.json --rules rules.json does.
var acmeSet = bundle.FileSet{
	Bundles:     []string{"rules.json"},
	SCIM:        []string{"users.json", "groups.json"},
	SCIMOptions: scim.Options{System: "okta", Key: scim.KeyUserName},
	CSV:         []string{"grants.csv"},
	CSVMapping:  "map.json",
}

// TestLoadFileSet checks that the composition loads exactly what reading
// each file with its importer and calling LoadWith loads.
func TestLoadFileSet(t *testing.T) {
	imports := acmeImports(t)
	want, err := bundle.LoadWith(imports, acmeRules(t))
	require.NoError(t, err)
	acmeDir(t)

	b, err := bundle.LoadFileSet(acmeSet)
	require.NoError(t, err)
	require.Equal(t, want.Inventory, b.Inventory, "the same records, in the same order")
	require.Equal(t, want.Findings, b.Findings, "the same notes, as findings")
	require.Equal(t, want.Inputs, b.Inputs, "bundle files, then the SCIM exports, then the CSV exports")
	require.Equal(t, want.AsOf, b.AsOf)
	require.Equal(t, want.SoD, b.SoD)
}

// TestLoadFileSetErrors checks that every problem of every file is
// reported at once, naming the file.
func TestLoadFileSetErrors(t *testing.T) {
	acmeDir(t)
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(name, []byte(text), 0o600))
	}
	write("array.json", `[{"id": "u1"}]`)
	write("zed.csv", "identity,entitlement\nzed,sap:F110\n")
	write("quote.csv", "identity,entitlement\nann,\"sap:F110\n")
	write("badmap.json", `{"identiy": "User"}`)
	write("mixed.csv", "identity,entitlement,expires\nann,sap:F110,soon\nzed,sap:F110,\n")
	write("dangling.json", `{"format": "sodkit.bundle/v1", "roles": [{"id": "r", "entitlements": ["sap:NOPE"]}]}`)

	tests := []struct {
		name   string
		set    bundle.FileSet
		want   []string
		reason string
	}{
		{"nothing", bundle.FileSet{},
			[]string{"bundle: the file set names no file to load"},
			"the zero FileSet loads nothing, and says so rather than returning an empty bundle"},
		{"options without files", bundle.FileSet{Bundles: []string{"rules.json"}, SCIMName: "idp", CSVMapping: "map.json"},
			[]string{"bundle: the file set has SCIM options but no SCIM file", "bundle: the file set has a CSV mapping but no CSV file"},
			"options for files that are not there are a mistake, reported together"},
		{"unreadable files", bundle.FileSet{Bundles: []string{"rules.json", "nope.json"}, SCIM: []string{"users.json", "gone.json"}, CSV: []string{"none.csv"}},
			[]string{"open gone.json: no such file or directory", "open none.csv: no such file or directory", "open nope.json: no such file or directory"},
			"every file that cannot be opened is named, whatever its kind"},
		{"bad exports", bundle.FileSet{Bundles: []string{"rules.json", "nope.json"}, SCIM: []string{"array.json"}, CSV: []string{"quote.csv", "zed.csv"}},
			[]string{
				"array.json:1: not a SCIM ListResponse: the file holds an array, not a ListResponse object",
				"quote.csv:2: malformed CSV: extraneous or missing \" in quoted-field (column 15)",
				"open nope.json: no such file or directory",
			},
			"the problems of every export, and of the bundle files that cannot be opened; the exports that read go unloaded"},
		{"bad mapping", bundle.FileSet{SCIM: []string{"array.json"}, CSV: []string{"grants.csv"}, CSVMapping: "badmap.json"},
			[]string{
				"array.json:1: not a SCIM ListResponse: the file holds an array, not a ListResponse object",
				`badmap.json:1: mapping: field identiy: invalid column mapping: unknown field "identiy" (did you mean "identity"?)`,
			},
			"a mapping that cannot be read stops the CSV exports it maps, not the others"},
		{"bad system", bundle.FileSet{SCIM: []string{"users.json"}, SCIMOptions: scim.Options{System: "a:b"}},
			[]string{`scim: system "a:b" must not contain ':', '/' or surrounding spaces`},
			"options the reader cannot use"},
		{"rows and references", bundle.FileSet{Bundles: []string{"rules.json", "dangling.json"}, CSV: []string{"mixed.csv"}},
			[]string{
				`mixed.csv:2: grant ann/sap:F110 of identity ann: field expires: invalid value: "soon" is not a time (want RFC 3339, such as 2026-01-31T09:00:00Z, or a date, such as 2026-01-31) (column 3)`,
				`mixed.csv:3: grant zed/sap:F110 of identity zed: unknown reference: no input defines identity "zed"`,
				`dangling.json:1: role r: field entitlements[0]: unknown reference: no entitlement "sap:NOPE"`,
			},
			"a row that cannot be read does not hide the references of the other rows, nor the bundle files' problems: all at once"},
		{"unknown identity", bundle.FileSet{Bundles: []string{"rules.json"}, CSV: []string{"zed.csv"}},
			[]string{`zed.csv:2: grant zed/sap:F110 of identity zed: unknown reference: no input defines identity "zed"`},
			"a problem found when everything is validated together names the row it came from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := bundle.LoadFileSet(tt.set)
			require.Nil(t, b)
			var got []string
			for _, e := range entitlement.Errors(err) {
				got = append(got, e.Error())
			}
			require.Equal(t, tt.want, got, tt.reason)
		})
	}

	_, err := bundle.LoadFileSet(bundle.FileSet{CSV: []string{"quote.csv"}})
	require.ErrorIs(t, err, importer.ErrSyntax, "malformed CSV is a syntax error")
	_, err = bundle.LoadFileSet(bundle.FileSet{SCIM: []string{"gone.json"}})
	require.ErrorIs(t, err, os.ErrNotExist)
}

// TestLoadFileSetClosesFiles checks that every file opened is closed,
// whether the load succeeds or fails.
func TestLoadFileSetClosesFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts open files in /proc/self/fd")
	}
	acmeDir(t)
	open := func() int {
		fds, err := os.ReadDir("/proc/self/fd")
		require.NoError(t, err)
		return len(fds)
	}
	bad := acmeSet
	bad.Bundles = []string{"rules.json", "nope.json"}
	for _, set := range []bundle.FileSet{acmeSet, bad, {Bundles: []string{"rules.json", "users.json"}}} {
		before := open()
		_, err := bundle.LoadFileSet(set)
		require.Equal(t, before, open(), "no file left open (error: %v)", err)
	}
}

func TestLoadFilesNamesEveryMissingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "good.json")
	require.NoError(t, os.WriteFile(path, []byte(good), 0o600))
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	_, err := bundle.LoadFiles(a, path, b)
	require.ErrorIs(t, err, os.ErrNotExist)
	require.ErrorContains(t, err, a)
	require.ErrorContains(t, err, b, "every file that cannot be opened is named, not just the first")

	_, _, err = bundle.FileOpener(a, path, b)()
	require.ErrorContains(t, err, a)
	require.ErrorContains(t, err, b, "so does a streamed load's opener")

	_, err = bundle.LoadFiles()
	require.Error(t, err, "no file is not an empty bundle")
}

// ExampleLoadFileSet loads a CSV grant export with a bundle file that
// defines the people, as sodkit check --csv grants.csv people.json does.
func ExampleLoadFileSet() {
	dir, err := os.MkdirTemp("", "sodkit-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	people := filepath.Join(dir, "people.json")
	grants := filepath.Join(dir, "grants.csv")
	err = errors.Join(
		os.WriteFile(people, []byte(`{"format": "sodkit.bundle/v1",
		  "entitlements": [{"id": "sap:F110", "risk": "critical"}],
		  "identities": [{"id": "ann", "kind": "human", "status": "active"}]}`), 0o600),
		os.WriteFile(grants, []byte("identity,entitlement,expires\nann,sap:F110,2026-12-31\n"), 0o600))
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := bundle.LoadFileSet(bundle.FileSet{Bundles: []string{people}, CSV: []string{grants}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ann, _ := b.Index.Identity("ann")
	fmt.Println(ann.Grants[0].ID, ann.Grants[0].Expires.Format("2006-01-02T15:04Z"))
	for _, f := range b.Findings {
		fmt.Println(f.Kind, f.Severity, f.Evidence[len(f.Evidence)-1].Value)
	}
	// Output:
	// ann/sap:F110 2027-01-01T00:00Z
	// import.data-quality info coerced: a date alone: in effect through that day, so it expires at the end of the day, 2027-01-01T00:00:00Z
}

// TestLoadFileSetStdin checks that "-" reads FileSet.Stdin, as any kind of
// file, names it "stdin", and may appear only once.
func TestLoadFileSetStdin(t *testing.T) {
	acmeDir(t)
	read := func(name string) string {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		return string(data)
	}
	want, err := bundle.LoadFileSet(acmeSet)
	require.NoError(t, err)
	tests := []struct {
		name   string
		edit   func(set *bundle.FileSet)
		stdin  string
		input  int // the position of stdin in the bundle's Inputs
		reason string
	}{
		{"bundle file", func(s *bundle.FileSet) { s.Bundles = []string{"-"} }, read("rules.json"), 0, "a bundle file from standard input"},
		{"SCIM export", func(s *bundle.FileSet) { s.SCIM = []string{"users.json", "-"} }, read("groups.json"), 2, "one SCIM export from standard input, one from a file"},
		{"CSV export", func(s *bundle.FileSet) { s.CSV = []string{"-"} }, read("grants.csv"), 3, "a CSV export from standard input"},
		{"mapping", func(s *bundle.FileSet) { s.CSVMapping = "-" }, read("map.json"), -1, "the column mapping from standard input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := acmeSet
			set.SCIM = slices.Clone(set.SCIM)
			tt.edit(&set)
			set.Stdin = strings.NewReader(tt.stdin)
			b, err := bundle.LoadFileSet(set)
			require.NoError(t, err, tt.reason)
			require.Equal(t, len(want.Inventory.Identities), len(b.Inventory.Identities), tt.reason)
			require.Equal(t, len(want.Findings), len(b.Findings), tt.reason)
			if tt.input >= 0 {
				require.Equal(t, bundle.StdinName, b.Inputs[tt.input].Name, "standard input is named stdin in the inputs")
				require.Equal(t, want.Inputs[tt.input].SHA256, b.Inputs[tt.input].SHA256, "the same bytes")
			}
		})
	}

	set := acmeSet
	set.Bundles, set.CSV, set.Stdin = []string{"-"}, []string{"-"}, strings.NewReader("")
	_, err = bundle.LoadFileSet(set)
	require.ErrorContains(t, err, "names standard input (-) 2 times; it can be read once")

	_, err = bundle.LoadFileSet(bundle.FileSet{Bundles: []string{"-"}})
	require.ErrorIs(t, err, os.ErrNotExist, "without Stdin, - is a file name like any other")

	_, err = bundle.LoadFileSet(bundle.FileSet{Bundles: []string{"-"}, Stdin: strings.NewReader(`{"format": "sodkit.bundle/v1", "bogus": 1}`)})
	require.EqualError(t, err, `stdin:1: field bogus: unknown field "bogus"`, "errors name stdin")
}

// TestLoadFileSetEmptyAndDirectory checks that an empty file and a
// directory are named as what they are, for every kind of file, rather
// than as malformed input.
func TestLoadFileSetEmptyAndDirectory(t *testing.T) {
	acmeDir(t)
	require.NoError(t, os.WriteFile("empty", nil, 0o600))
	require.NoError(t, os.Mkdir("exports", 0o755))
	tests := []struct {
		name   string
		set    bundle.FileSet
		want   []string
		reason string
	}{
		{"empty files", bundle.FileSet{Bundles: []string{"empty"}, SCIM: []string{"empty"}, CSV: []string{"empty"}},
			[]string{"empty: empty file: want a SCIM ListResponse", "empty: empty file: want a header row and grants", "empty: empty file: want a sodkit bundle"},
			"each says it is empty and what it should hold"},
		{"empty mapping", bundle.FileSet{CSV: []string{"grants.csv"}, CSVMapping: "empty"},
			[]string{"empty: empty file: want a JSON column mapping"}, "the mapping too"},
		{"empty stdin", bundle.FileSet{Bundles: []string{"rules.json", "-"}, Stdin: strings.NewReader("")},
			[]string{"stdin: empty file: want a sodkit bundle"}, "standard input that holds nothing, such as an empty pipe"},
		{"directories", bundle.FileSet{Bundles: []string{"exports"}, SCIM: []string{"exports"}},
			[]string{
				"exports: is a directory, not a file: give the files in it, such as " + filepath.Join("exports", "*.json"),
				"exports: is a directory, not a file: give the files in it, such as " + filepath.Join("exports", "*.json"),
			},
			"a directory is named as one, with what to give instead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bundle.LoadFileSet(tt.set)
			var got []string
			for _, e := range entitlement.Errors(err) {
				got = append(got, e.Error())
			}
			require.Equal(t, tt.want, got, tt.reason)
		})
	}
	_, err := bundle.LoadFiles("empty")
	require.ErrorIs(t, err, bundle.ErrEmpty)
	_, err = bundle.LoadFiles("exports")
	require.ErrorIs(t, err, bundle.ErrDirectory)
	_, _, err = bundle.FileOpener("exports", "empty")()
	require.ErrorIs(t, err, bundle.ErrDirectory, "a streamed load's opener checks too")
	require.ErrorIs(t, err, bundle.ErrEmpty)
}
