package main

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
)

// sarifLog is what the location tests read of a SARIF log.
type sarifLog struct {
	Runs []struct {
		Artifacts []struct {
			Location struct {
				URI string `json:"uri"`
			} `json:"location"`
		} `json:"artifacts"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI   string `json:"uri"`
						Index *int   `json:"index"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
				} `json:"logicalLocations"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// recordOf returns where b says the record a finding about subject (typ,
// id) is about was read: the record itself, a system's RACI override.
func recordOf(b *bundle.Bundle, typ, id string) (bundle.Origin, bool) {
	if typ == "system" {
		return b.Origin("raci override", "system "+id)
	}
	return b.Origin(typ, id)
}

// checkSARIFLocations checks that every result of the SARIF log out points
// at the input and line where b read the record its finding is about, and
// that a result about no record points at the first input, without a
// line. It returns how many results point at a line, by subject type and
// file name (its last element).
func checkSARIFLocations(t *testing.T, out string, b *bundle.Bundle) map[string]int {
	t.Helper()
	var log sarifLog
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	names := make([]string, len(b.Inputs))
	for i, in := range b.Inputs {
		names[i] = in.Name
	}
	slices.Sort(names) // the artifacts are the inputs in name order
	require.Len(t, run.Artifacts, len(names))
	for i, a := range run.Artifacts {
		require.Equal(t, path.Base(filepath.ToSlash(names[i])), path.Base(a.Location.URI), "artifact %d is input %s", i, names[i])
	}
	require.NotEmpty(t, run.Results)

	placed := map[string]int{}
	for i, res := range run.Results {
		require.Len(t, res.Locations, 1)
		loc := res.Locations[0]
		require.Len(t, loc.LogicalLocations, 1)
		typ, id, ok := strings.Cut(loc.LogicalLocations[0].FullyQualifiedName, "/")
		require.True(t, ok)
		p := loc.PhysicalLocation
		require.NotNil(t, p, "result %d (%s %s %s) has a file", i, res.RuleID, typ, id)
		require.NotNil(t, p.ArtifactLocation.Index, "result %d points into an input", i)
		idx := *p.ArtifactLocation.Index
		require.Equal(t, run.Artifacts[idx].Location.URI, p.ArtifactLocation.URI, "result %d: the index is the artifact of its URI", i)

		want, known := recordOf(b, typ, id)
		if !known {
			require.Zero(t, idx, "result %d (%s %s %s): no record, so the first input", i, res.RuleID, typ, id)
			require.Nil(t, p.Region, "result %d (%s %s %s): and no line", i, res.RuleID, typ, id)
			continue
		}
		require.Equal(t, want.File, names[idx], "result %d (%s %s %s) points at the record's input", i, res.RuleID, typ, id)
		require.NotNil(t, p.Region, "result %d (%s %s %s) has a line", i, res.RuleID, typ, id)
		require.Equal(t, want.Line, p.Region.StartLine, "result %d (%s %s %s) points at the record's line", i, res.RuleID, typ, id)
		placed[typ+" "+strings.TrimPrefix(path.Base(filepath.ToSlash(want.File)), demo.Prefix)]++
	}
	return placed
}

// TestSARIFPointsAtRecords: the demo is four files; SARIF puts each
// finding at the file and line of the record it is about — identities and
// grants in whichever file defines them (mostly inventory.json; each file
// adds a few), sod rules and exceptions in sod.json, sessions in
// breakglass.json —, with the line bundle.Origin gives, instead of every
// finding on the first file.
// The same holds through the streaming path, over the demo's files.
func TestSARIFPointsAtRecords(t *testing.T) {
	wantPlaced := func(t *testing.T, placed map[string]int) {
		t.Helper()
		for _, k := range []string{
			"identity inventory.json", "grant inventory.json", "grant sod.json", "grant raci.json", "grant breakglass.json",
			"rule sod.json", "exception sod.json", "session breakglass.json", "entitlement inventory.json",
			"role inventory.json", "system raci.json",
		} {
			require.Positive(t, placed[k], "some finding about a %s points at its line", k)
		}
		for k := range placed {
			typ, file, _ := strings.Cut(k, " ")
			switch typ {
			case "rule", "exception":
				require.Equal(t, "sod.json", file, k)
			case "session":
				require.Equal(t, "breakglass.json", file, k)
			}
		}
	}

	t.Run("embedded", func(t *testing.T) {
		b, err := demo.Load()
		require.NoError(t, err)
		code, out, errOut := cli(wallA, "check", "--demo", "--format", "sarif")
		require.Equal(t, exitOK, code, errOut)
		require.Contains(t, out, `"uri": "./demo:inventory.json"`, "the demo's names are relative references")
		wantPlaced(t, checkSARIFLocations(t, out, b))
	})

	// The demo's files in a directory, named as a CI job names them:
	// relative to the repository root.
	t.Chdir(t.TempDir())
	require.NoError(t, os.Mkdir("export", 0o755))
	var files []string
	for _, src := range demo.Sources() {
		name := filepath.Join("export", strings.TrimPrefix(src.Name, demo.Prefix))
		f, err := os.Create(name)
		require.NoError(t, err)
		_, err = f.ReadFrom(src.Reader)
		require.NoError(t, err)
		require.NoError(t, f.Close())
		files = append(files, name)
	}
	b, err := bundle.LoadFiles(files...)
	require.NoError(t, err)
	code, inMemory, errOut := cli(wallA, append([]string{"check", "--format", "sarif"}, files...)...)
	require.Equal(t, exitOK, code, errOut)

	t.Run("files", func(t *testing.T) {
		require.Contains(t, inMemory, `"uri": "export/inventory.json"`)
		wantPlaced(t, checkSARIFLocations(t, inMemory, b))
	})
	t.Run("streamed", func(t *testing.T) {
		code, streamed, errOut := cli(wallA, append([]string{"check", "--format", "sarif", "--stream"}, files...)...)
		require.Equal(t, exitOK, code, errOut)
		wantPlaced(t, checkSARIFLocations(t, streamed, b))
		require.Equal(t, inMemory, streamed, "streaming places every finding as reading in memory does")
	})
}
