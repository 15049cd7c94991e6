package audit_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// requireSchemasEnv, when set to 1, turns the schema tests' skips (schemas
// or validator missing) into failures. CI sets it.
const requireSchemasEnv = "SODKIT_REQUIRE_SCHEMAS"

// schemasDirEnv overrides where the schemas are (default: ../shared/schemas
// from the project root).
const schemasDirEnv = "SODKIT_SCHEMAS"

// projectRoot returns the directory holding go.mod, above the test's
// working directory.
func projectRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// unavailable skips the test, or fails it when CI requires the schemas.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv(requireSchemasEnv) == "1" {
		t.Fatalf("schema validation required ("+requireSchemasEnv+"=1) but unavailable: "+format, args...)
	}
	t.Skipf("skipping schema validation: "+format+" (set "+requireSchemasEnv+"=1 to make this a failure)", args...)
}

// schemaCheck validates each document against the named schema file in the
// shared schemas directory with Python's jsonschema (and regex, for OSCAL's
// Unicode patterns), via testdata/validate_schema.py, in one run. It
// returns the validator's report and the names of the documents that failed;
// it skips (or, under SODKIT_REQUIRE_SCHEMAS=1, fails) when the schemas or
// the validator are missing.
func schemaCheck(t *testing.T, schema string, docs map[string][]byte) (string, []string) {
	t.Helper()
	root := projectRoot(t)
	dir := os.Getenv(schemasDirEnv)
	if dir == "" {
		dir = filepath.Join(root, "..", "shared", "schemas")
	}
	schemaPath := filepath.Join(dir, schema)
	if _, err := os.Stat(schemaPath); err != nil {
		unavailable(t, "schema %s not found in %s (set %s to its directory)", schema, dir, schemasDirEnv)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		unavailable(t, "python3 not found")
	}
	tmp := t.TempDir()
	args := []string{filepath.Join(root, "audit", "testdata", "validate_schema.py"), schemaPath}
	paths := map[string]string{}
	for name, doc := range docs {
		p := filepath.Join(tmp, name+".json")
		if err := os.WriteFile(p, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		paths[name] = p
		args = append(args, p)
	}
	out, err := exec.Command(python, args...).CombinedOutput()
	if ee, ok := errors.AsType[*exec.ExitError](err); ok && ee.ExitCode() == 3 {
		unavailable(t, "%s", strings.TrimSpace(string(out)))
	}
	if _, ok := errors.AsType[*exec.ExitError](err); err != nil && !ok {
		t.Fatalf("running the schema validator: %v", err)
	}
	var failed []string
	for name, p := range paths {
		if strings.Contains(string(out), p+": ") {
			failed = append(failed, name)
		}
	}
	slices.Sort(failed)
	if err != nil && len(failed) == 0 {
		t.Fatalf("the schema validator failed:\n%s", out)
	}
	return string(out), failed
}

// validateAgainstSchema fails the test unless every document validates.
func validateAgainstSchema(t *testing.T, schema string, docs map[string][]byte) {
	t.Helper()
	if out, failed := schemaCheck(t, schema, docs); len(failed) > 0 {
		t.Fatalf("%v do not validate against %s:\n%s", failed, schema, out)
	}
}

func TestSchemaValidatorCatchesErrors(t *testing.T) {
	const oscalBase = `{"assessment-results":{"uuid":"6ba7b811-9dad-51d1-80b4-00c04fd430c8","metadata":{"title":"t","last-modified":"2026-11-01T09:00:00Z","version":"1","oscal-version":"1.1.3","props":[{"name":"tool","value":"v"}]},"import-ap":{"href":"#x"},"results":[{"uuid":"6ba7b811-9dad-51d1-80b4-00c04fd430c9","title":"r","description":"d","start":"2026-11-01T09:00:00Z","reviewed-controls":{"control-selections":[{}]}}]}}`
	tests := []struct {
		name   string
		reason string
		schema string
		doc    string
		valid  bool
	}{
		{name: "sarif-ok", reason: "the baseline the SARIF mutation starts from", schema: "sarif-schema-2.1.0.json",
			doc: `{"version":"2.1.0","runs":[]}`, valid: true},
		{name: "sarif-version", reason: "SARIF pins its version", schema: "sarif-schema-2.1.0.json",
			doc: `{"version":"3.0","runs":[]}`},
		{name: "oscal-ok", reason: "the baseline the OSCAL mutations start from", schema: "oscal_complete_schema-1.1.3.json",
			doc: oscalBase, valid: true},
		{name: "oscal-uuid-v1", reason: "OSCAL wants version 4 or 5 UUIDs", schema: "oscal_complete_schema-1.1.3.json",
			doc: strings.Replace(oscalBase, "-51d1-", "-11d1-", 1)},
		{name: "oscal-token", reason: "token patterns use \\p{L}: the validator must apply them", schema: "oscal_complete_schema-1.1.3.json",
			doc: strings.Replace(oscalBase, `"name":"tool"`, `"name":"1bad:name"`, 1)},
		{name: "oscal-zone", reason: "date-times must carry a zone", schema: "oscal_complete_schema-1.1.3.json",
			doc: strings.Replace(oscalBase, `"start":"2026-11-01T09:00:00Z"`, `"start":"2026-11-01T09:00:00"`, 1)},
	}
	bySchema := map[string]map[string][]byte{}
	for _, tc := range tests {
		if bySchema[tc.schema] == nil {
			bySchema[tc.schema] = map[string][]byte{}
		}
		bySchema[tc.schema][tc.name] = []byte(tc.doc)
	}
	failed := map[string]bool{}
	var report strings.Builder
	for schema, docs := range bySchema {
		out, names := schemaCheck(t, schema, docs)
		report.WriteString(out)
		for _, n := range names {
			failed[n] = true
		}
	}
	for _, tc := range tests {
		if failed[tc.name] == tc.valid {
			t.Errorf("%s: valid=%v, but the validator said the opposite (%s)\n%s", tc.name, tc.valid, tc.reason, report.String())
		}
	}
}
