package audit_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// partialReport is coreReport as shard 1 of 3 of a scan that skipped
// raci, with two waivers.
func partialReport() audit.Report {
	r := coreReport()
	r.Partial = &audit.Partial{Shard: 1, Of: 3, Skip: []string{"raci"}, Waivers: []audit.WaiverTally{
		{ID: "W-1", Kinds: []audit.Kind{"sod.toxic-combination"}, Subject: audit.Subject{Type: "identity", ID: "bob"},
			Owner: "fiona", Expires: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), OwnerActive: true,
			OwnerDescription: "fiona (human, active)", Location: audit.Location{File: "w.json", Line: 3}, Matched: 2, Lapsed: 1},
		{ID: "W-2", Findings: []string{"sk-00000000000000000000"}, Owner: "ghost", OwnerDescription: "ghost (unknown)"},
	}}
	return r
}

// TestPartialRoundTrip: a shard's report carries its part and the waiver
// tallies through JSON, and a whole report's bytes do not change at all.
func TestPartialRoundTrip(t *testing.T) {
	var whole, part bytes.Buffer
	require.NoError(t, coreReport().WriteJSON(&whole))
	require.NotContains(t, whole.String(), `"partial"`, "a whole report has no partial member")

	r := partialReport()
	require.NoError(t, r.WriteJSON(&part))
	require.Contains(t, part.String(), "  \"partial\": {\n    \"shard\": 1,\n    \"of\": 3,")
	back, err := audit.ReadReport(&part)
	require.NoError(t, err)
	require.Equal(t, r.Partial, back.Partial)
	require.Equal(t, r.Findings, back.Findings)

	without := back
	without.Partial = nil
	var again bytes.Buffer
	require.NoError(t, without.WriteJSON(&again))
	require.Equal(t, whole.String(), again.String(), "the partial member is the only difference")
}

func TestPartialRejects(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, partialReport().WriteJSON(&b))
	good := b.String()
	tests := []struct {
		name   string
		reason string
		in     string
		err    string
	}{
		{name: "unknown member", reason: "the partial member is read as strictly as the rest",
			in: strings.Replace(good, `"of": 3,`, `"of": 3, "seed": 7,`, 1), err: `unknown field "seed"`},
		{name: "unknown waiver member", reason: "strict all the way down",
			in: strings.Replace(good, `"matched": 2,`, `"matched": 2, "used": true,`, 1), err: `unknown field "used"`},
		{name: "shard out of range", reason: "shard 3 of 3 does not exist",
			in: strings.Replace(good, `"shard": 1,`, `"shard": 3,`, 1), err: "field partial.shard: 3 is not a shard of 3 (0 to 2)"},
		{name: "negative shard", reason: "shards count from 0",
			in: strings.Replace(good, `"shard": 1,`, `"shard": -1,`, 1), err: "field partial.shard: -1 is not a shard of 3"},
		{name: "no shards", reason: "a scan is split into one part at least",
			in: strings.Replace(good, `"of": 3,`, `"of": 0,`, 1), err: "field partial.of: 0 is not a number of shards"},
		{name: "more lapsed than matched", reason: "a lapsed finding is one the waiver named",
			in: strings.Replace(good, `"lapsed": 1`, `"lapsed": 5`, 1), err: "field partial.waivers[0]: waiver W-1: 5 lapsed of 2 matched findings"},
		{name: "waiver without ID", reason: "the merge matches waivers by ID",
			in: strings.Replace(good, `"id": "W-2"`, `"id": ""`, 1), err: "field partial.waivers[1].id: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := audit.ReadReport(strings.NewReader(tt.in))
			require.ErrorContains(t, err, tt.err, tt.reason)
		})
	}
}
