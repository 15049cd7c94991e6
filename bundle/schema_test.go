package bundle_test

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/raci"
)

// schemaFile is the bundle format's JSON Schema, published for editors and
// export jobs.
const schemaFile = "../docs/bundle.schema.json"

// requireSchemasEnv, when set to 1, turns the skips of the tests that need
// python3 with jsonschema into failures; CI sets it (see audit's schema
// tests, whose validator script these tests share).
const requireSchemasEnv = "SODKIT_REQUIRE_SCHEMAS"

// schemaUnavailable skips the test, or fails it when CI requires schema
// validation.
func schemaUnavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv(requireSchemasEnv) == "1" {
		t.Fatalf("schema validation required ("+requireSchemasEnv+"=1) but unavailable: "+format, args...)
	}
	t.Skipf("skipping schema validation: "+format+" (set "+requireSchemasEnv+"=1 to make this a failure)", args...)
}

// schemaRejects validates each document against docs/bundle.schema.json
// with Python's jsonschema (audit/testdata/validate_schema.py, in one run)
// and returns the names of the documents the schema rejects, sorted, and
// the validator's report. Each document must be JSON.
func schemaRejects(t *testing.T, docs map[string][]byte) ([]string, string) {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		schemaUnavailable(t, "python3 not found")
	}
	tmp := t.TempDir()
	args := []string{filepath.Join("..", "audit", "testdata", "validate_schema.py"), schemaFile}
	paths := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		require.True(t, json.Valid(docs[name]), "%s is not JSON; the schema cannot judge it", name)
		p := filepath.Join(tmp, strings.NewReplacer("/", "_", " ", "_").Replace(name)+".json")
		require.NoError(t, os.WriteFile(p, docs[name], 0o600))
		paths[name] = p
		args = append(args, p)
	}
	out, err := exec.Command(python, args...).CombinedOutput()
	if ee, ok := errors.AsType[*exec.ExitError](err); ok && ee.ExitCode() == 3 {
		schemaUnavailable(t, "%s", strings.TrimSpace(string(out)))
	}
	if _, ok := errors.AsType[*exec.ExitError](err); err != nil && !ok {
		t.Fatalf("running the schema validator: %v", err)
	}
	var rejected []string
	for name, p := range paths {
		if strings.Contains(string(out), p+": ") {
			rejected = append(rejected, name)
		}
	}
	slices.Sort(rejected)
	if err != nil && len(rejected) == 0 {
		t.Fatalf("the schema validator failed:\n%s", out)
	}
	return rejected, string(out)
}

// TestSchemaIsValid checks docs/bundle.schema.json against its
// meta-schema (JSON Schema draft 2020-12).
func TestSchemaIsValid(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		schemaUnavailable(t, "python3 not found")
	}
	const check = `import json, sys
try:
    import jsonschema
except ImportError as e:
    print(e); sys.exit(3)
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema", s["$schema"]
jsonschema.validators.validator_for(s).check_schema(s)
`
	out, err := exec.Command(python, "-c", check, schemaFile).CombinedOutput()
	if ee, ok := errors.AsType[*exec.ExitError](err); ok && ee.ExitCode() == 3 {
		schemaUnavailable(t, "%s", strings.TrimSpace(string(out)))
	}
	require.NoError(t, err, "%s is not a valid draft 2020-12 schema:\n%s", schemaFile, out)
}

// validDocs returns bundle files that load: the demo's files, as written
// and with sorted keys, the examples of docs/format.md and of the check
// sections' pages, and this package's valid test files.
func validDocs(t *testing.T) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	for _, src := range demo.Sources() {
		data, err := io.ReadAll(src.Reader)
		require.NoError(t, err)
		docs[src.Name] = data
		docs[src.Name+" (sorted keys)"] = sortedKeys(t, data)
	}
	docs["docs/format.md example"] = []byte(docExample(t))
	for _, page := range []string{"sod.md", "raci.md", "breakglass.md"} {
		docs["docs/"+page+" example"] = []byte(firstJSONBlock(t, filepath.Join("..", "docs", page)))
	}
	for name, s := range map[string]string{"good": good, "pairRules": pairRules, "caseRules": caseRules,
		"people": people, "raciInventory": raciInventory, "raciValid": raciFile(raciValid),
		"bgInventory": bgInventory, "bgSection": bgSection} {
		docs["test file "+name] = []byte(s)
	}
	data, err := os.ReadFile(filepath.Join("testdata", "imports", "rules.json"))
	require.NoError(t, err)
	docs["testdata/imports/rules.json"] = data
	return docs
}

// firstJSONBlock returns the first ```json block of a Markdown file.
func firstJSONBlock(t *testing.T, path string) string {
	t.Helper()
	doc, err := os.ReadFile(path)
	require.NoError(t, err)
	_, body, ok := strings.Cut(string(doc), "```json\n")
	require.True(t, ok, "%s has a JSON example", path)
	block, _, ok := strings.Cut(body, "\n```")
	require.True(t, ok)
	return block
}

// TestSchemaAcceptsValidBundles validates the demo (as written and with
// sorted keys), the docs' examples and this package's valid test files.
// The demo's loading is checked here; the examples' and the test files'
// by the tests that use them (some are parts of a bundle, such as a
// section without the inventory it refers to).
func TestSchemaAcceptsValidBundles(t *testing.T) {
	docs := validDocs(t)
	demoFiles := map[bool][]bundle.Source{} // sorted keys → the demo's files
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		if strings.HasPrefix(name, demo.Prefix) {
			sorted := strings.HasSuffix(name, "(sorted keys)")
			demoFiles[sorted] = append(demoFiles[sorted], bundle.Source{Name: name, Reader: strings.NewReader(string(docs[name]))})
		}
	}
	for sorted, srcs := range demoFiles {
		_, err := bundle.Load(srcs...)
		require.NoError(t, err, "the demo loads (sorted keys: %v)", sorted)
	}
	rejected, out := schemaRejects(t, docs)
	require.Empty(t, rejected, "the schema rejects bundle files that load:\n%s", out)
}

// schemaBlind are the bad bundles of TestBadBundles whose problems need
// more than one file's shape to see, with why the schema passes them;
// the schema rejects every other bad bundle that is JSON.
var schemaBlind = map[string]string{
	"role cycle":                       "references and cycles need the whole bundle",
	"dangling reference":               "references need the whole bundle",
	"duplicate ID":                     "unique IDs need the whole bundle",
	"approval before request":          "time order is a rule between values",
	"repeated member name":             "JSON Schema sees a parsed object, which keeps one of two members of one name",
	"repeated section":                 "JSON Schema sees a parsed object, which keeps one of two members of one name",
	"format twice after other members": "JSON Schema sees a parsed object, which keeps one of two members of one name",
}

// TestSchemaRejectsBadBundles validates the bad bundles of TestBadBundles:
// each that is JSON is rejected by the schema too, unless its problems need
// the whole bundle (schemaBlind). Files that are not JSON are rejected by
// any JSON tool before a schema applies.
func TestSchemaRejectsBadBundles(t *testing.T) {
	docs := map[string][]byte{}
	notJSON := 0
	for _, bb := range badBundles {
		for i, f := range bb.files {
			if !json.Valid([]byte(f.text)) {
				notJSON++
				continue
			}
			if len(bb.files) > 1 {
				// A multi-file case's problem may be in any one file: judge
				// the case by whether the schema rejects any of them.
				docs[bb.name+"/"+string(rune('0'+i))] = []byte(f.text)
				continue
			}
			docs[bb.name] = []byte(f.text)
		}
	}
	require.Positive(t, notJSON, "some bad bundles are malformed JSON")
	rejected, out := schemaRejects(t, docs)
	caught := map[string]bool{}
	for _, name := range rejected {
		caseName, _, _ := strings.Cut(name, "/")
		caught[caseName] = true
	}
	judged := map[string]bool{}
	for name := range docs {
		caseName, _, _ := strings.Cut(name, "/")
		judged[caseName] = true
	}
	for name := range judged {
		why, blind := schemaBlind[name]
		switch {
		case blind && caught[name]:
			t.Errorf("%s: the schema now rejects it; drop it from schemaBlind (%s)", name, why)
		case !blind && !caught[name]:
			t.Errorf("%s: the schema accepts a bad bundle whose problem one file shows\n%s", name, out)
		}
	}
	for name := range schemaBlind {
		require.True(t, judged[name], "schemaBlind names %q, which is not a bad bundle of JSON", name)
	}
}

// TestSchemaAgreesWithLoader runs small files through the schema and the
// loader: each is valid by both or invalid by both.
func TestSchemaAgreesWithLoader(t *testing.T) {
	const f = `"format": "sodkit.bundle/v1"`
	// waiver is a file with one waiver: what it waives, and the rest
	// valid.
	waiver := func(what string) string {
		return `{` + f + `, "entitlements": [{"id": "erp:x"}], "waivers": [{"id": "W", ` + what +
			`, "owner": "fiona", "reason": "audited next week", "expires": "2027-01-01T00:00:00Z"}]}`
	}
	tests := []struct {
		name   string
		reason string
		doc    string
		valid  bool
	}{
		{name: "minimal", reason: "a format alone is a bundle", doc: `{` + f + `}`, valid: true},
		{name: "format last", reason: "members may come in any order",
			doc: `{"as_of": "2026-11-01T09:00:00+01:00", "entitlements": [{"id": "erp:x"}], ` + f + `}`, valid: true},
		{name: "null members", reason: "null means absent, for every optional member",
			doc: `{` + f + `, "as_of": null, "parties": [{"id": "iam", "name": null, "function": null, "members": null}], "sod": null}`, valid: true},
		{name: "every duration unit", reason: "W, D, T, H, M, S with fractions",
			doc: `{` + f + `, "entitlements": [{"id": "erp:x", "max_duration": "P1.5W2DT3H4M5.25S", "recertify_every": "PT0S"}]}`, valid: true},
		{name: "sod rule", reason: "a rule over an inline side and a duty",
			doc: `{` + f + `, "sod": {"duties": [{"id": "d", "roles": ["r"]}], "rules": [{"id": "R", "k": 1, "scope": "system", "sides": [{"duty": "d"}, {"entitlements": ["erp:x"]}]}]}}`, valid: true},
		{name: "no format", reason: "the format is required", doc: `{"parties": []}`},
		{name: "other format", reason: "only v1 is read", doc: `{"format": "sodkit.bundle/v2"}`},
		{name: "unknown top-level member", reason: "additional properties are errors", doc: `{` + f + `, "extra": []}`},
		{name: "unknown nested member", reason: "additional properties are errors at any depth",
			doc: `{` + f + `, "identities": [{"id": "a", "kind": "human", "status": "active", "grants": [{"id": "g", "entitlement": "erp:x", "state": "active", "aproved": {}}]}]}`},
		{name: "wrong type", reason: "a boolean member holding a string", doc: `{` + f + `, "entitlements": [{"id": "erp:x", "privileged": "yes"}]}`},
		{name: "bad enumeration", reason: "an identity kind not in the list", doc: `{` + f + `, "identities": [{"id": "a", "kind": "robot", "status": "active"}]}`},
		{name: "time without zone", reason: "times carry a zone", doc: `{` + f + `, "as_of": "2026-11-01T09:00:00"}`},
		{name: "date alone", reason: "a date is not a time", doc: `{` + f + `, "as_of": "2026-11-01"}`},
		{name: "duration in years", reason: "years have no fixed length", doc: `{` + f + `, "entitlements": [{"id": "erp:x", "max_duration": "P1Y"}]}`},
		{name: "duration out of order", reason: "units in the order W, D, T, H, M, S", doc: `{` + f + `, "entitlements": [{"id": "erp:x", "max_duration": "PT1S1H"}]}`},
		{name: "empty duration", reason: "a duration has a value", doc: `{` + f + `, "entitlements": [{"id": "erp:x", "max_duration": "PT"}]}`},
		{name: "unqualified entitlement", reason: "entitlement IDs are system:name", doc: `{` + f + `, "entitlements": [{"id": "vendor.create"}]}`},
		{name: "missing ID", reason: "records need their ID", doc: `{` + f + `, "roles": [{"name": "Clerk"}]}`},
		{name: "missing state", reason: "a grant has a state", doc: `{` + f + `, "entitlements": [{"id": "erp:x"}], "identities": [{"id": "a", "kind": "human", "status": "active", "grants": [{"id": "g", "entitlement": "erp:x"}]}]}`},
		{name: "grant of both", reason: "a grant targets an entitlement or a role, not both",
			doc: `{` + f + `, "entitlements": [{"id": "erp:x"}], "roles": [{"id": "r"}], "identities": [{"id": "a", "kind": "human", "status": "active", "grants": [{"id": "g", "entitlement": "erp:x", "role": "r", "state": "active"}]}]}`},
		{name: "k zero", reason: "k is at least 1", doc: `{` + f + `, "sod": {"rules": [{"id": "R", "k": 0, "sides": [{"entitlements": ["erp:x"]}]}]}}`},
		{name: "side with duty and members", reason: "a side names a duty or lists members",
			doc: `{` + f + `, "sod": {"duties": [{"id": "d", "roles": ["r"]}], "rules": [{"id": "R", "sides": [{"duty": "d", "roles": ["r"]}]}]}}`},
		{name: "zero raci duration", reason: "a zero policy duration is rejected, not read as the default",
			doc: `{` + f + `, "raci": {"policy": {"dormant_after": "P0D"}}}`},
		{name: "unknown activity", reason: "matrix rows are the activities", doc: `{` + f + `, "raci": {"matrix": {"approve": {}}}}`},
		{name: "waiver by kind", reason: "kinds narrowed to a subject",
			doc: waiver(`"kinds": ["raci.no-owner"], "subject": {"type": "entitlement", "id": "erp:x"}`), valid: true},
		{name: "waiver by finding", reason: "finding IDs as reports print them",
			doc: waiver(`"findings": ["sk-0123456789abcdef0123"]`), valid: true},
		{name: "waiver of both", reason: "kinds or finding IDs, not both",
			doc: waiver(`"kinds": ["raci.no-owner"], "findings": ["sk-0123456789abcdef0123"]`)},
		{name: "waiver of nothing", reason: "a waiver names what it waives", doc: waiver(`"kinds": []`)},
		{name: "waiver with a bad finding ID", reason: "sk- and 20 lower-case hex digits",
			doc: waiver(`"findings": ["sk-0123456789ABCDEF0123"]`)},
		{name: "waiver kind without a package", reason: "kinds are package.check", doc: waiver(`"kinds": ["no-owner"]`)},
		{name: "waiver subject without ID", reason: "an empty subject would widen the waiver to every subject",
			doc: waiver(`"kinds": ["raci.no-owner"], "subject": {"type": "entitlement"}`)},
		{name: "waiver subject with findings", reason: "a subject narrows kinds only",
			doc: waiver(`"findings": ["sk-0123456789abcdef0123"], "subject": {"type": "grant", "id": "g-1"}`)},
		{name: "waiver without expiry", reason: "there is no waiver without an expiry",
			doc: `{` + f + `, "waivers": [{"id": "W", "kinds": ["raci.no-owner"], "owner": "fiona", "reason": "later"}]}`},
		{name: "waiver with a blank reason", reason: "a waiver says why",
			doc: `{` + f + `, "waivers": [{"id": "W", "kinds": ["raci.no-owner"], "owner": "fiona", "reason": "  ", "expires": "2027-01-01T00:00:00Z"}]}`},
		{name: "review without outcome", reason: "a review names its reviewer, time and outcome",
			doc: `{` + f + `, "identities": [{"id": "p", "kind": "human", "status": "active"}], "entitlements": [{"id": "erp:x"}], "breakglass": {"sessions": [{"id": "s", "identity": "p", "entitlements": ["erp:x"], "start": "2026-01-01T00:00:00Z", "review": {"reviewer": "p", "at": "2026-01-02T00:00:00Z"}}]}}`},
	}
	docs := map[string][]byte{}
	for _, tt := range tests {
		docs[tt.name] = []byte(tt.doc)
	}
	rejected, out := schemaRejects(t, docs)
	for _, tt := range tests {
		_, err := bundle.Load(bundle.Source{Name: tt.name + ".json", Reader: strings.NewReader(tt.doc)})
		require.Equal(t, tt.valid, err == nil, "%s: the loader says %v (%s)", tt.name, err, tt.reason)
		require.Equal(t, tt.valid, !slices.Contains(rejected, tt.name), "%s: the schema disagrees with the loader (%s)\n%s", tt.name, tt.reason, out)
	}
}

// TestSchemaCoversDecoder checks that the schema defines, record by record,
// exactly the members the loader's decoders accept, and the RACI matrix
// exactly the activities, so the schema cannot fall behind the format.
func TestSchemaCoversDecoder(t *testing.T) {
	data, err := os.ReadFile(schemaFile)
	require.NoError(t, err)
	var schema struct {
		Properties map[string]json.RawMessage
		Defs       map[string]struct {
			Properties           map[string]json.RawMessage
			AdditionalProperties *bool
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(data, &schema))
	members := decoderMembers(t, "records.go", "sections.go", "bundle.go", "sod.go", "raci.go", "breakglass.go", "waiver.go")
	defs := map[string]string{ // decoder method → schema definition
		"party": "party", "entitlement": "entitlement", "role": "role", "identity": "identity",
		"credential": "credential", "grant": "grant", "event": "event", "approval": "approval",
		"activation": "activation", "observation": "observation", "usage": "usage",
		"sodSection": "sod", "sodPolicy": "sodPolicy", "separation": "separation", "duty": "duty",
		"rule": "rule", "side": "side", "exception": "exception", "controls": "control",
		"raciSection": "raci", "raciPolicy": "raciPolicy", "raciRow": "assignment", "raciOverride": "override",
		"breakGlassSection": "breakglass", "breakGlassPolicy": "breakglassPolicy",
		"breakGlassAccount": "account", "breakGlassSession": "session", "breakGlassReview": "review",
		"waiver": "waiver", "waiverSubject": "waiverSubject",
	}
	for method, def := range defs {
		require.NotEmpty(t, members[method], "decoder method %s not found; update this test", method)
		d, ok := schema.Defs[def]
		require.True(t, ok, "the schema has no definition %q", def)
		require.NotNil(t, d.AdditionalProperties, "%s: additionalProperties", def)
		require.False(t, *d.AdditionalProperties, "%s: unknown members are errors", def)
		require.ElementsMatch(t, members[method], slices.Collect(maps.Keys(d.Properties)),
			"the members of %s (decoder %s) and of the schema's %q differ", def, method, def)
	}
	top := append(slices.Clone(members["sectionReader"]), members["readFile"]...)
	require.ElementsMatch(t, top, slices.Collect(maps.Keys(schema.Properties)), "top-level members")
	var activities []string
	for _, a := range raci.Activities() {
		activities = append(activities, a.String())
	}
	require.ElementsMatch(t, activities, slices.Collect(maps.Keys(schema.Defs["matrix"].Properties)), "RACI activities")
}
