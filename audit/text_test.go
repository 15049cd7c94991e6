package audit_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// textReport is sampleReport with owners on some findings, the kinds it
// could report, and one more finding for alice, so that every grouping
// has a group of several findings and a group without a key.
func textReport() audit.Report {
	r := sampleReport()
	r.Kinds = sampleKinds()
	owners := map[string]string{"alice": "fiona", "bob": "fiona", "g-9": "platform-eng", "bg-3": "security-ops"}
	fs := r.Findings
	for i, f := range fs {
		fs[i].Owner = owners[f.Subject.ID]
	}
	fs = append(fs, audit.Finding{
		Kind: "lifecycle.no-expiry", Severity: audit.Medium, Subject: audit.Subject{Type: "identity", ID: "alice"},
		Message: "alice's access never expires.", Owner: "fiona",
	}.WithID())
	out := audit.NewReport(r.EvaluatedAt, r.Inputs, fs)
	out.Figures, out.Kinds = r.Figures, r.Kinds
	return out
}

// goldenText compares got with testdata/text/name, or rewrites it under
// -update.
func goldenText(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "text", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./audit -run TestTextOptions -update")
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from its golden file (-want +got; run with -update if intended):\n%s", name, diff)
	}
}

func TestTextOptions(t *testing.T) {
	r := textReport()
	high, info := audit.High, audit.Info
	tests := []struct {
		name    string
		reason  string
		opts    *audit.TextOptions
		headers []string // the group headers, in order
		listed  int
	}{
		{"none.txt", "nil options: the summary, then every finding in report order", nil, nil, 7},
		{"zero.txt", "the zero options are nil's", &audit.TextOptions{}, nil, 7},
		{"owner.txt", "most severe group first; the findings with no owner are a group of their own",
			&audit.TextOptions{GroupBy: audit.GroupByOwner}, []string{"owner fiona", "owner platform-eng", "no owner", "owner security-ops"}, 7},
		{"identity.txt", "findings about an identity by identity; the others together; of two high groups, the larger first",
			&audit.TextOptions{GroupBy: audit.GroupByIdentity}, []string{"identity alice", "not about one identity", "identity bob", "identity svc-<script>alert(1)</script>"}, 7},
		{"kind.txt", "kinds with the title the report describes, where it does",
			&audit.TextOptions{GroupBy: audit.GroupByKind}, []string{"kind sod.toxic-combination (Toxic combination)", "kind lifecycle.no-expiry (Grant without expiry)", "kind raci.unowned-nhi", "kind breakglass.review-late", "kind lifecycle.missing-reason (Grant without reason)"}, 7},
		{"owner-high.txt", "groups with nothing at or above high are left out, the others say what they do not list",
			&audit.TextOptions{GroupBy: audit.GroupByOwner, MinSeverity: &high}, []string{"owner fiona", "owner platform-eng"}, 3},
		{"high.txt", "ungrouped, only the findings at or above high", &audit.TextOptions{MinSeverity: &high}, nil, 3},
		{"info.txt", "the least severity lists everything and says nothing is hidden", &audit.TextOptions{MinSeverity: &info}, nil, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, r.WriteTextWith(&b, tt.opts))
			out := b.String()
			goldenText(t, tt.name, b.Bytes())
			require.Len(t, findingLines(out, ""), tt.listed, tt.reason)
			var headers []string
			for line := range strings.Lines(out) {
				if h, ok := strings.CutPrefix(line, "== "); ok {
					title, _, _ := strings.Cut(h, ": ")
					headers = append(headers, title)
				}
			}
			require.Equal(t, tt.headers, headers, tt.reason)
			// The summary counts every finding, whatever is listed.
			require.Contains(t, out, "7 findings (1 critical, 2 high, 2 medium, 1 low, 1 info)", tt.reason)
			require.Contains(t, out, "top owners: fiona 3, platform-eng 1, security-ops 1 (of 3 owners; 2 findings without an owner)", tt.reason)
			hidden := 7 - tt.listed
			if hidden > 0 {
				require.Contains(t, out, "not listed below: 4 findings below high (counted above)", tt.reason)
			} else {
				require.NotContains(t, out, "not listed", tt.reason)
			}
		})
	}
}

// TestWriteTextIsWriteTextWithNil: WriteText is the default layout.
func TestWriteTextIsWriteTextWithNil(t *testing.T) {
	r := textReport()
	var a, b bytes.Buffer
	require.NoError(t, r.WriteText(&a))
	require.NoError(t, r.WriteTextWith(&b, nil))
	require.Equal(t, a.String(), b.String())
}

func TestTextSummary(t *testing.T) {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	months := func(counts ...int) audit.Series {
		s := audit.Series{Name: "sessions opened"}
		for i, n := range counts {
			s.Points = append(s.Points, audit.MonthCount{Month: time.Date(2026, time.Month(8+i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"), Count: n})
		}
		return s
	}
	one := audit.Finding{Kind: "x.a", Severity: audit.Low, Subject: audit.Subject{Type: "grant", ID: "g"}}.WithID()
	tests := []struct {
		name   string
		reason string
		series audit.Series
		want   string
	}{
		{"quiet months hidden", "only the months with events, and the span they were counted over",
			months(0, 2, 0, 1), "sessions opened per month: 2026-09 2, 2026-11 1 (2026-08 to 2026-11, other months none)"},
		{"all quiet", "a series with no event says so in one line", months(0, 0, 0), "sessions opened per month: none in 2026-08 to 2026-10"},
		{"no quiet month", "nothing to leave out", months(1, 2), "sessions opened per month: 2026-08 1, 2026-09 2"},
		{"one month", "a span of one month", months(0), "sessions opened per month: none in 2026-08"},
		{"no points", "a series the caller left empty", audit.Series{Name: "sessions opened"}, "sessions opened per month: none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := audit.NewReport(at, nil, []audit.Finding{one})
			r.Figures.Monthly = []audit.Series{tt.series}
			var b bytes.Buffer
			require.NoError(t, r.WriteText(&b))
			require.Contains(t, b.String(), "\n"+tt.want+"\n", tt.reason)
			require.NotContains(t, b.String(), "top identities", "no finding is about an identity: no line for them")
			require.NotContains(t, b.String(), "top owners", "nor for owners")
		})
	}

	t.Run("empty", func(t *testing.T) {
		var b bytes.Buffer
		require.NoError(t, audit.NewReport(at, nil, nil).WriteTextWith(&b, &audit.TextOptions{GroupBy: audit.GroupByOwner}))
		require.Equal(t, "sodkit 0.1.0 report, evaluated at 2026-11-01T09:00:00Z\nno findings\n", b.String(),
			"a report without findings has no summary and no groups")
	})
}

func TestParseGrouping(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		in     string
		want   audit.Grouping
		err    bool
	}{
		{"none", "report order", "none", audit.GroupNone, false},
		{"owner", "by owner", "owner", audit.GroupByOwner, false},
		{"identity", "by identity", "identity", audit.GroupByIdentity, false},
		{"kind", "by kind", "kind", audit.GroupByKind, false},
		{"any case", "names parse in any case, as severities do", "Owner", audit.GroupByOwner, false},
		{"unknown", "an unknown name is an error, never a default", "team", audit.GroupNone, true},
		{"empty", "so is an empty one", "", audit.GroupNone, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := audit.ParseGrouping(tt.in)
			if tt.err {
				require.Error(t, err, tt.reason)
				require.True(t, errors.Is(err, audit.ErrGrouping), tt.reason)
				require.Contains(t, err.Error(), `"`+tt.in+`"`, "the error quotes the input")
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, tt.want, g, tt.reason)
			back, err := audit.ParseGrouping(g.String())
			require.NoError(t, err)
			require.Equal(t, g, back, "String and ParseGrouping round-trip")
		})
	}
	require.Equal(t, "grouping(9)", audit.Grouping(9).String(), "an unknown grouping names its number")
}
