package sodtest_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/sod"
	"github.com/sodkit/sodkit/sod/sodtest"
)

func TestDiffFindings(t *testing.T) {
	ann := audit.Subject{Type: "identity", ID: "ann"}
	ben := audit.Subject{Type: "identity", ID: "ben"}
	path := []audit.Step{{Type: "grant", ID: "g1"}, {Type: "role", ID: "vendor-admin"}, {Type: "entitlement", ID: "erp:vendor.create"}}
	toxic := audit.Finding{Kind: sod.KindToxicCombination, Rule: "P2P-1", Subject: ann, Message: "ann holds both",
		Evidence: []audit.Evidence{
			{Label: "side Vendors", Value: "entitlement erp:vendor.create", Path: path},
			{Label: "side Payments", Value: "entitlement erp:payment.release"},
		}}.WithID()
	toxicBen := toxic
	toxicBen.Subject, toxicBen.Message = ben, "ben holds both"
	toxicBen = toxicBen.WithID()
	key := func(f audit.Finding) audit.Finding {
		return audit.Finding{Kind: f.Kind, Rule: f.Rule, Subject: f.Subject, Severity: f.Severity, Status: f.Status}
	}
	with := func(f audit.Finding, change func(*audit.Finding)) audit.Finding { change(&f); return f }

	tests := []struct {
		name   string
		reason string
		got    []audit.Finding
		want   []audit.Finding
		diff   []string // the lines of the difference that start with "-" or "+"; nil for a match
	}{
		{name: "nothing", reason: "nil and empty are equal", got: nil, want: []audit.Finding{}},
		{name: "key fields", reason: "a test states only what it cares about",
			got: []audit.Finding{toxic}, want: []audit.Finding{key(toxic)}},
		{name: "subject name", reason: "a name only shows the subject: a finding named by a scan matches one the engine returns unnamed",
			got: []audit.Finding{toxic}, want: []audit.Finding{with(key(toxic), func(f *audit.Finding) { f.Subject.Name = "Ann Example" })}},
		{name: "any order", reason: "the comparison is a multiset comparison",
			got: []audit.Finding{toxic, toxicBen}, want: []audit.Finding{key(toxicBen), key(toxic)}},
		{name: "severity", reason: "the zero severity is critical; a different one is a difference",
			got:  []audit.Finding{with(toxic, func(f *audit.Finding) { f.Severity = audit.High })},
			want: []audit.Finding{key(toxic)},
			diff: []string{"- critical sod.toxic-combination identity ann, rule P2P-1", "+ high sod.toxic-combination identity ann, rule P2P-1"}},
		{name: "status", reason: "a mitigated finding is not the open one the test expects",
			got:  []audit.Finding{with(toxic, func(f *audit.Finding) { f.Status = audit.Mitigated })},
			want: []audit.Finding{key(toxic)},
			diff: []string{"- critical sod.toxic-combination identity ann, rule P2P-1", "+ critical sod.toxic-combination identity ann, rule P2P-1 (mitigated)"}},
		{name: "waived", reason: "a waived finding is not the open one the test expects, and says it is waived",
			got:  []audit.Finding{with(toxic, func(f *audit.Finding) { f.Status = audit.Waived })},
			want: []audit.Finding{key(toxic)},
			diff: []string{"- critical sod.toxic-combination identity ann, rule P2P-1", "+ critical sod.toxic-combination identity ann, rule P2P-1 (waived)"}},
		{name: "missing", reason: "an expected finding nothing matched",
			got: nil, want: []audit.Finding{key(toxic)},
			diff: []string{"- critical sod.toxic-combination identity ann, rule P2P-1"}},
		{name: "unexpected", reason: "an extra finding",
			got: []audit.Finding{toxic, toxicBen}, want: []audit.Finding{key(toxic)},
			diff: []string{"+ critical sod.toxic-combination identity ben, rule P2P-1"}},
		{name: "ID", reason: "a wanted ID must match",
			got: []audit.Finding{toxic}, want: []audit.Finding{with(key(toxic), func(f *audit.Finding) { f.ID = toxicBen.ID })},
			diff: []string{"- critical sod.toxic-combination identity ann, rule P2P-1", "+ critical sod.toxic-combination identity ann, rule P2P-1"}},
		{name: "ID matches", reason: "the finding's own ID",
			got: []audit.Finding{toxic}, want: []audit.Finding{with(key(toxic), func(f *audit.Finding) { f.ID = toxic.ID })}},
		{name: "message", reason: "a wanted message must match exactly",
			got: []audit.Finding{toxic}, want: []audit.Finding{with(key(toxic), func(f *audit.Finding) { f.Message = "ann holds" })},
			diff: []string{"- critical sod.toxic-combination identity ann, rule P2P-1", "+ critical sod.toxic-combination identity ann, rule P2P-1"}},
		{name: "evidence in any order without paths", reason: "paths explain, they do not identify",
			got: []audit.Finding{toxic}, want: []audit.Finding{with(key(toxic), func(f *audit.Finding) {
				f.Evidence = []audit.Evidence{{Label: "side Payments", Value: "entitlement erp:payment.release"},
					{Label: "side Vendors", Value: "entitlement erp:vendor.create"}}
			})}},
		{name: "evidence differs", reason: "a wanted evidence list must match as a whole",
			got: []audit.Finding{toxic}, want: []audit.Finding{with(key(toxic), func(f *audit.Finding) {
				f.Evidence = []audit.Evidence{{Label: "side Vendors", Value: "entitlement erp:vendor.create"}}
			})},
			diff: []string{"- critical sod.toxic-combination identity ann, rule P2P-1", "+ critical sod.toxic-combination identity ann, rule P2P-1"}},
		{name: "one to one", reason: "two expected findings need two returned ones",
			got: []audit.Finding{toxic}, want: []audit.Finding{key(toxic), key(toxic)},
			diff: []string{"- critical sod.toxic-combination identity ann, rule P2P-1"}},
		{name: "loose before strict", reason: "a loose expectation must not take the only match of a stricter one",
			got:  []audit.Finding{toxic, with(toxic, func(f *audit.Finding) { f.Message = "other" })},
			want: []audit.Finding{key(toxic), with(key(toxic), func(f *audit.Finding) { f.Message = "other" })}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotIn, wantIn := slices.Clone(tt.got), slices.Clone(tt.want)
			d := sodtest.DiffFindings(tt.got, tt.want)
			if !cmp.Equal(tt.got, gotIn) || !cmp.Equal(tt.want, wantIn) {
				t.Errorf("%s: DiffFindings modified its input", tt.reason)
			}
			var lines []string
			for l := range strings.Lines(d) {
				l = strings.TrimSuffix(l, "\n")
				if strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "+ ") {
					lines = append(lines, l)
				}
			}
			if diff := cmp.Diff(tt.diff, lines); diff != "" {
				t.Errorf("%s: lines of the difference (-want +got):\n%s\nfull difference:\n%s", tt.reason, diff, d)
			}
			if (d == "") != (tt.diff == nil) {
				t.Errorf("%s: DiffFindings = %q", tt.reason, d)
			}
			tb := new(fakeTB)
			ok := sodtest.AssertFindings(tb, tt.got, tt.want)
			if tb.helpers == 0 || ok != (d == "") || (d == "") != (len(tb.errors) == 0) || (d != "" && tb.errors[0] != d) {
				t.Errorf("%s: AssertFindings returned %v and reported %q (helpers: %d), want the difference %q", tt.reason, ok, tb.errors, tb.helpers, d)
			}
		})
	}
}

// The full text of a difference: headlines in report order, a wanted
// finding's stated ID, and the returned finding's message and evidence
// with its path.
func TestDiffFindingsText(t *testing.T) {
	ann := audit.Subject{Type: "identity", ID: "ann"}
	got := audit.Finding{Kind: sod.KindToxicCombination, Rule: "P2P-1", Subject: ann, Message: "ann holds\nboth",
		Evidence: []audit.Evidence{{Label: "side Vendors", Value: "entitlement erp:vendor.create",
			Path: []audit.Step{{Type: "grant", ID: "g1"}, {Type: "entitlement", ID: "erp:vendor.create"}}}}}.WithID()
	want := audit.Finding{Kind: sod.KindToxicCombination, Severity: audit.High, Rule: "P2P-1", Subject: ann, ID: "sk-00000000000000000000"}
	const text = `findings differ (-want +got):
+ critical sod.toxic-combination identity ann, rule P2P-1
      ann holds both
      side Vendors: entitlement erp:vendor.create via grant g1 → entitlement erp:vendor.create
- high sod.toxic-combination identity ann, rule P2P-1
      id sk-00000000000000000000`
	if d := sodtest.DiffFindings([]audit.Finding{got}, []audit.Finding{want}); d != text {
		t.Errorf("DiffFindings text (-want +got):\n%s", cmp.Diff(text, d))
	}
}
