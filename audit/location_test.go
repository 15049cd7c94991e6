package audit_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// ExampleLocation places a finding at the record it is about: the location
// is shown by every format, and leaves the finding's ID alone.
func ExampleLocation() {
	kind := audit.KindInfo{Kind: "lifecycle.no-expiry", Title: "Grant without expiry", Severity: audit.High}
	f := kind.New("", audit.Subject{Type: "grant", ID: "g-111"}, "privileged grant g-111 has no expiry",
		audit.Evidence{Label: "expires", Value: "never"})
	id := f.ID
	f.Location = audit.Location{File: "export/inventory.json", Line: 581}
	fmt.Println(f.Location, f.ID == id)
	fmt.Printf("%q %q\n", audit.Location{File: "export/inventory.json"}, audit.Location{})
	fmt.Println(audit.Location{}.IsZero(), audit.Location{Line: 3}.IsZero())
	// Output:
	// export/inventory.json:581 true
	// "export/inventory.json" ""
	// true true
}

// TestFindingIDIgnoresLocation: where a record was read says where to
// look, not what the problem is; a record that moves to another line, or
// into another file, keeps its findings' IDs.
func TestFindingIDIgnoresLocation(t *testing.T) {
	kind := audit.KindInfo{Kind: "lifecycle.no-expiry", Severity: audit.High}
	f := kind.New("", audit.Subject{Type: "grant", ID: "g-1"}, "no expiry", audit.Evidence{Label: "expires", Value: "never"})
	tests := []struct {
		name   string
		reason string
		at     audit.Location
	}{
		{"unknown", "the baseline: no location", audit.Location{}},
		{"file and line", "the usual case", audit.Location{File: "inventory.json", Line: 573}},
		{"moved", "the record moved down the file", audit.Location{File: "inventory.json", Line: 900}},
		{"other file", "the record moved to another file", audit.Location{File: "export/people.json", Line: 2}},
		{"file only", "an import that kept no line", audit.Location{File: "users.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := f
			g.Location = tt.at
			require.Equal(t, f.ID, g.WithID().ID, tt.reason)
			require.Equal(t, f.ID, audit.FindingID(g.Kind, g.Rule, g.Subject, g.Evidence), tt.reason)
		})
	}
}

// TestLocationInReports: the JSON report carries a known location as an
// optional member and reads it back; an unknown one is left out, so a
// report without locations reads as before. A baseline whose findings sat
// on other lines has them unchanged.
func TestLocationInReports(t *testing.T) {
	r := coreReport()
	r.Findings[0].Location = audit.Location{File: "people.json", Line: 40}
	r.Findings[1].Location = audit.Location{File: "catalogue.json"}
	var b bytes.Buffer
	require.NoError(t, r.WriteJSON(&b))
	require.Contains(t, b.String(), `"location": {
        "file": "people.json",
        "line": 40
      },`)
	require.Contains(t, b.String(), `"location": {
        "file": "catalogue.json"
      },`)
	require.Equal(t, 2, strings.Count(b.String(), `"location"`), "unknown locations are left out")
	back, err := audit.ReadReport(&b)
	require.NoError(t, err)
	require.Equal(t, r.Findings, back.Findings)

	earlier := coreReport() // no locations at all
	d := r.Diff(earlier)
	require.Len(t, d.Unchanged, len(r.Findings), "a location is not a change")
	require.Empty(t, d.Changed)
}

// TestReadReportRejectsBadLocations: a location is checked as strictly as
// the rest of a finding, and every bad one is reported at once.
func TestReadReportRejectsBadLocations(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, coreReport().WriteJSON(&b))
	good := b.String()
	tests := []struct {
		name   string
		reason string
		in     string
		errs   []string
	}{
		{"negative line", "lines count from 1", strings.Replace(good, `"message":`, `"location": {"file": "a.json", "line": -2}, "message":`, 1),
			[]string{"findings[0]: field location.line: -2 is not a line number"}},
		{"line without file", "a line of no file points nowhere", strings.Replace(good, `"message":`, `"location": {"line": 7}, "message":`, 1),
			[]string{"findings[0]: field location.file: missing beside line 7"}},
		{"unknown member", "strict all the way down", strings.Replace(good, `"message":`, `"location": {"file": "a.json", "column": 3}, "message":`, 1),
			[]string{`unknown field "column"`}},
		{"every problem", "all bad locations, and a missing ID, at once",
			replaceID(strings.Replace(good, `"message":`, `"location": {"line": 7}, "message":`, 2)),
			[]string{"findings[0]: field id: missing", "findings[0]: field location.file", "findings[1]: field location.file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := audit.ReadReport(strings.NewReader(tt.in))
			require.Error(t, err, tt.reason)
			for _, want := range tt.errs {
				require.ErrorContains(t, err, want, tt.reason)
			}
		})
	}
}

// sarifPlaces returns, for each result of a SARIF log, its physical
// location as "uri #index @line" ("-" for none), and the artifacts' URIs.
func sarifPlaces(t *testing.T, r audit.Report) (places, artifacts []string) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.WriteSARIF(&b))
	var doc struct {
		Runs []struct {
			Artifacts []struct {
				Location struct{ URI string } `json:"location"`
			} `json:"artifacts"`
			Results []struct {
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
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	for _, a := range doc.Runs[0].Artifacts {
		artifacts = append(artifacts, a.Location.URI)
	}
	for _, res := range doc.Runs[0].Results {
		require.Len(t, res.Locations, 1)
		p := res.Locations[0].PhysicalLocation
		if p == nil {
			places = append(places, "-")
			continue
		}
		s := p.ArtifactLocation.URI
		if i := p.ArtifactLocation.Index; i != nil {
			s += fmt.Sprintf(" #%d", *i)
			require.Equal(t, artifacts[*i], p.ArtifactLocation.URI, "the index points at the artifact of the same URI")
		}
		if p.Region != nil {
			s += fmt.Sprintf(" @%d", p.Region.StartLine)
		}
		places = append(places, s)
	}
	return places, artifacts
}

// TestSARIFLocations: a result points at the file and line of its
// finding's record, through the run's artifacts; a finding without a
// location keeps pointing at the first input, without a region, since
// code-scanning tools need a file for every result.
func TestSARIFLocations(t *testing.T) {
	inputs := []audit.Input{
		{Name: "export/inventory.json", SHA256: strings.Repeat("0", 64)},
		{Name: "export/sod.json", SHA256: strings.Repeat("1", 64)},
	}
	finding := func(id string, at audit.Location) audit.Finding {
		f := audit.Finding{Kind: "k", Subject: audit.Subject{Type: "identity", ID: id}}.WithID()
		f.Location = at
		return f
	}
	tests := []struct {
		name   string
		reason string
		at     audit.Location
		inputs []audit.Input
		want   string
	}{
		{"file and line", "the usual case: the artifact and a region", audit.Location{File: "export/sod.json", Line: 147}, inputs, "export/sod.json #1 @147"},
		{"file only", "an import that kept no line: the artifact, no region", audit.Location{File: "export/sod.json"}, inputs, "export/sod.json #1"},
		{"unknown", "no record to point at: the first input, no region", audit.Location{}, inputs, "export/inventory.json #0"},
		{"not an input", "a location built by hand may name another file: its URI, no index", audit.Location{File: "other.json", Line: 2}, inputs, "other.json @2"},
		{"no inputs", "nothing to point at", audit.Location{}, nil, "-"},
		{"demo", "the embedded demo's name is a relative reference, not a URI scheme", audit.Location{File: "demo:sod.json", Line: 9},
			[]audit.Input{{Name: "demo:sod.json"}}, "./demo:sod.json #0 @9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := audit.NewReport(evalTime, tt.inputs, []audit.Finding{finding("a", tt.at)})
			places, _ := sarifPlaces(t, r)
			require.Equal(t, []string{tt.want}, places, tt.reason)
		})
	}
}

// TestSARIFArtifactURIs: every input name becomes a relative URI
// reference, read as a path: GitHub code scanning accepts only paths in
// the repository, and rejects a whole upload over one URI scheme it does
// not know.
func TestSARIFArtifactURIs(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		input  string
		want   string
	}{
		{"relative path", "kept as given", "export/inventory.json", "export/inventory.json"},
		{"parent", "kept as given", "../exports/sod.json", "../exports/sod.json"},
		{"space", "percent-encoded", "org bundle.json", "org%20bundle.json"},
		{"fragment and query", "a # or ? is part of the name", "a#b?c.json", "a%23b%3Fc.json"},
		{"demo", "a colon in the first segment would read as a scheme", "demo:inventory.json", "./demo:inventory.json"},
		{"URL-like", "a name that looks like a URL is still a name", "https://example.com/x.json", "./https://example.com/x.json"},
		{"absolute", "an absolute path stays one", "/srv/export/x.json", "/srv/export/x.json"},
		{"two slashes", "would read as an authority", "//server/share/x.json", "/.//server/share/x.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := audit.NewReport(evalTime, []audit.Input{{Name: tt.input}},
				[]audit.Finding{audit.Finding{Kind: "k", Location: audit.Location{File: tt.input, Line: 1}}.WithID()})
			places, artifacts := sarifPlaces(t, r)
			require.Equal(t, []string{tt.want}, artifacts, tt.reason)
			require.Equal(t, []string{tt.want + " #0 @1"}, places, tt.reason)
			u, err := url.Parse(tt.want)
			require.NoError(t, err)
			require.Empty(t, u.Scheme, "a relative reference")
			require.Empty(t, u.Host, "a relative reference")
		})
	}
}

// FuzzReadReport feeds arbitrary bytes to ReadReport, seeded with short
// reports with and without locations (whole reports are too long to
// minimise quickly). Whatever it reads has no location with a negative
// line or a line without a file, a partial member (when present) naming
// one of its shards and counting no more lapsed findings than matched,
// and writes back to a JSON report that reads back to the same bytes.
func FuzzReadReport(f *testing.F) {
	const head = `{"format":"sodkit.report/v1","findings":[`
	for _, findings := range []string{
		`{"id":"sk-1","location":{"file":"a.json","line":3}}`,
		`{"id":"sk-1","location":{"line":3}}`,
		`{"id":"sk-1","location":{"file":"a.json","line":-1}}`,
		`{"id":"sk-1","subject":{"type":"grant","id":"g"},"location":{"file":"a.json"}},{"id":"sk-2","severity":"low"}`,
		`{"id":"sk-1","location":{}}`,
		`{"id":"sk-1","subject":{"type":"identity","id":"a","name":"A"},"identity":"a","evidence":[{"label":"l","path":[{"type":"role","id":"r","name":"R"}]}]}`,
		``,
	} {
		f.Add([]byte(head + findings + `]}`))
	}
	f.Add([]byte(`{"format":"sodkit.report/v1","partial":{"shard":1,"of":2,"skip":["raci"],"waivers":[{"id":"w","kinds":["x.y"],` +
		`"subject":{"type":"identity","id":"a"},"owner":"o","expires":"2026-12-01T00:00:00Z","owner_active":true,` +
		`"owner_description":"o (human, active)","location":{"file":"w.json","line":2},"matched":3,"lapsed":1}]},"findings":[]}`))
	f.Add([]byte(`{"format":"sodkit.report/v1","partial":{"shard":0,"of":1},"findings":[{"id":"sk-1"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := audit.ReadReport(bytes.NewReader(data))
		if err != nil {
			return
		}
		if p := r.Partial; p != nil {
			require.True(t, p.Shard >= 0 && p.Shard < p.Of, "shard %d of %d", p.Shard, p.Of)
			for _, w := range p.Waivers {
				require.True(t, w.ID != "" && w.Lapsed >= 0 && w.Lapsed <= w.Matched, "waiver %+v", w)
			}
		}
		for i, fd := range r.Findings {
			require.GreaterOrEqual(t, fd.Location.Line, 0, "finding %d", i)
			if fd.Location.Line > 0 {
				require.NotEmpty(t, fd.Location.File, "finding %d: a line names its file", i)
			}
		}
		var once, twice bytes.Buffer
		require.NoError(t, r.WriteJSON(&once))
		back, err := audit.ReadReport(bytes.NewReader(once.Bytes()))
		require.NoError(t, err, "a report ReadReport accepted writes back readable:\n%s", once.String())
		require.NoError(t, back.WriteJSON(&twice))
		require.Equal(t, once.String(), twice.String(), "write, read, write is stable")
	})
}
