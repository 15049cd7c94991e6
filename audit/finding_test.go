package audit_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

var (
	ac5    = audit.Ref(audit.SP80053, "AC-5")
	ac6    = audit.Ref(audit.SP80053, "AC-6")
	prAA05 = audit.Ref(audit.CSF, "PR.AA-05")
)

// base is a finding every ID test varies one thing of.
func base() audit.Finding {
	return audit.Finding{
		Kind:    "sod.toxic-combination",
		Rule:    "r-vendor-payment",
		Subject: audit.Subject{Type: "identity", ID: "alice"},
		Message: "alice can create vendors and release payments",
		Evidence: []audit.Evidence{
			{Label: "side 1", Value: "erp:vendor.create", Path: []audit.Step{{Type: "grant", ID: "g-1"}, {Type: "role", ID: "vendor-master"}, {Type: "entitlement", ID: "erp:vendor.create"}}},
			{Label: "side 2", Value: "erp:payment.release", Path: []audit.Step{{Type: "grant", ID: "g-2"}, {Type: "entitlement", ID: "erp:payment.release"}}},
		},
		Controls:    []audit.Control{ac6, ac5},
		Remediation: "Remove one side.",
	}
}

func TestFindingIDChanges(t *testing.T) {
	id := base().WithID().ID
	tests := []struct {
		name   string
		change func(*audit.Finding)
		same   bool
		reason string
	}{
		{"nothing", func(*audit.Finding) {}, true, "the ID is a pure function of its inputs"},
		{"evidence order", func(f *audit.Finding) { slices.Reverse(f.Evidence) }, true, "evidence is sorted before hashing"},
		{"severity", func(f *audit.Finding) { f.Severity = audit.Low }, true, "a re-rated finding keeps its ID"},
		{"status", func(f *audit.Finding) { f.Status = audit.Mitigated }, true, "a mitigated finding keeps its ID"},
		{"message", func(f *audit.Finding) { f.Message = "reworded" }, true, "messages may carry ages and change"},
		{"controls", func(f *audit.Finding) { f.Controls = nil }, true, "control mappings may be revised"},
		{"remediation", func(f *audit.Finding) { f.Remediation = "" }, true, "hints may be revised"},
		{"kind", func(f *audit.Finding) { f.Kind = "sod.critical-access" }, false, "another check, another finding"},
		{"rule", func(f *audit.Finding) { f.Rule = "r-other" }, false, "another rule, another finding"},
		{"subject type", func(f *audit.Finding) { f.Subject.Type = "role" }, false, "a role named alice is not the identity alice"},
		{"subject id", func(f *audit.Finding) { f.Subject.ID = "bob" }, false, "another subject, another finding"},
		{"evidence value", func(f *audit.Finding) { f.Evidence[0].Value = "erp:vendor.update" }, false, "other facts, another finding"},
		{"evidence label", func(f *audit.Finding) { f.Evidence[0].Label = "side 3" }, false, "labels are part of the facts"},
		{"evidence path", func(f *audit.Finding) { f.Evidence[0].Path[1].ID = "ap-clerk" }, true, "paths explain a finding, they do not identify it"},
		{"subject name", func(f *audit.Finding) { f.Subject.Name = "Alice Brandt" }, true, "a name shows the subject, the type and ID identify it"},
		{"step name", func(f *audit.Finding) { f.Evidence[0].Path[1].Name = "Vendor master data" }, true, "names in a path explain, they do not identify"},
		{"identity", func(f *audit.Finding) { f.Identity = "alice" }, true, "the identity a finding is about follows from what it is about"},
		{"evidence path dropped", func(f *audit.Finding) { f.Evidence[1].Path = nil }, true, "paths explain a finding, they do not identify it"},
		{"evidence repeated", func(f *audit.Finding) { f.Evidence = append(f.Evidence, f.Evidence[0]) }, true, "the same fact twice (say, through two paths) is one fact"},
		{"evidence removed", func(f *audit.Finding) { f.Evidence = f.Evidence[:1] }, false, "fewer facts, another finding"},
		{"evidence added", func(f *audit.Finding) { f.Evidence = append(f.Evidence, audit.Evidence{Label: "x"}) }, false, "more facts, another finding"},
		{"boundary shift", func(f *audit.Finding) {
			// "ab"+"c" and "a"+"bc" must not collide: fields are length-prefixed.
			f.Kind, f.Rule = audit.Kind(string(f.Kind)+"r"), strings.TrimPrefix(f.Rule, "r")
		}, false, "moving bytes between fields changes the ID"},
		{"label into value", func(f *audit.Finding) {
			f.Evidence[1].Label, f.Evidence[1].Value = "side 2: erp:payment.release", ""
		}, false, "label and value are hashed apart"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base()
			f.Evidence = slices.Clone(f.Evidence)
			for i := range f.Evidence {
				f.Evidence[i].Path = slices.Clone(f.Evidence[i].Path)
			}
			tt.change(&f)
			got := f.WithID().ID
			if tt.same {
				require.Equal(t, id, got, tt.reason)
			} else {
				require.NotEqual(t, id, got, tt.reason)
			}
		})
	}
}

func TestFindingIDFormat(t *testing.T) {
	f := base().WithID()
	require.Regexp(t, `^sk-[0-9a-f]{20}$`, f.ID)
	// Pinned: the ID must not change between releases, or every baseline
	// would report every finding as new.
	require.Equal(t, "sk-"+f.ID[3:], audit.FindingID(f.Kind, f.Rule, f.Subject, f.Evidence))
	require.Equal(t, pinnedID, f.ID, "the finding ID scheme changed; baselines would break")
}

// pinnedID is base()'s ID under the v1 scheme.
const pinnedID = "sk-209ad9a2089b56a4994b"

func TestWithIDDoesNotAlias(t *testing.T) {
	f := base()
	controls := f.Controls
	evidence := slices.Clone(f.Evidence)
	g := f.WithID()
	require.Equal(t, []audit.Control{ac6, ac5}, controls, "the caller's controls are not sorted in place")
	require.Equal(t, evidence, g.Evidence, "the evidence order is kept")
	require.Equal(t, []audit.Control{ac5, ac6}, g.Controls, "controls come out sorted")

	f.Controls = []audit.Control{ac5, prAA05, ac5}
	require.Equal(t, []audit.Control{prAA05, ac5}, f.WithID().Controls, "sorted by framework then ID, duplicates dropped")
}

func TestFindingCompare(t *testing.T) {
	mk := func(sev audit.Severity, kind audit.Kind, rule, typ, id string) audit.Finding {
		return audit.Finding{Severity: sev, Kind: kind, Rule: rule, Subject: audit.Subject{Type: typ, ID: id}}.WithID()
	}
	// In report order.
	want := []audit.Finding{
		mk(audit.Critical, "b.kind", "", "identity", "z"),
		mk(audit.High, "a.kind", "", "identity", "a"),
		mk(audit.High, "a.kind", "r1", "grant", "g"),
		mk(audit.High, "a.kind", "r1", "identity", "a"),
		mk(audit.High, "a.kind", "r1", "identity", "b"),
		mk(audit.High, "b.kind", "", "account", "x"),
		mk(audit.Info, "a.kind", "", "identity", "c"),
	}
	for seed := range uint64(20) {
		got := slices.Clone(want)
		rand.New(rand.NewPCG(seed, 0)).Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		require.Equal(t, want, audit.Sort(got), "severity, kind, rule, subject type, subject ID (shuffle %d)", seed)
	}
}

func TestSubjectName(t *testing.T) {
	tests := []struct {
		name    string
		subject audit.Subject
		want    string
		reason  string
	}{
		{"no name", audit.Subject{Type: "identity", ID: "alice"}, "identity alice", "type and ID, as ever"},
		{"name", audit.Subject{Type: "identity", ID: "alice", Name: "Alice Brandt"}, "identity alice (Alice Brandt)", "the name follows the ID, which still decides"},
		{"name is the ID", audit.Subject{Type: "role", ID: "auditors", Name: "auditors"}, "role auditors", "a name that repeats the ID adds nothing"},
		{"GUID", audit.Subject{Type: "role", ID: "entra:group/5a8b0c1d", Name: "Bank Payment Approvers"},
			"role entra:group/5a8b0c1d (Bank Payment Approvers)", "an imported group's ID is opaque; its name says what it is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.subject.String(), tt.reason)
			unnamed := audit.Subject{Type: tt.subject.Type, ID: tt.subject.ID}
			require.Zero(t, tt.subject.Compare(unnamed), "names take no part in the order")
		})
	}
	require.Equal(t, "grant g-1 → role ap-clerk (Accounts payable clerk) → entitlement erp:x",
		audit.PathString([]audit.Step{{Type: "grant", ID: "g-1"}, {Type: "role", ID: "ap-clerk", Name: "Accounts payable clerk"}, {Type: "entitlement", ID: "erp:x", Name: "erp:x"}}),
		"a step shows its name when it has one other than its ID")
	a := audit.Evidence{Label: "side", Path: []audit.Step{{Type: "role", ID: "r", Name: "R"}}}
	b := audit.Evidence{Label: "side", Path: []audit.Step{{Type: "role", ID: "r"}}}
	require.Zero(t, a.Compare(b), "evidence compares path steps by type and ID")
}

func TestSortDropsDuplicateIDs(t *testing.T) {
	a := base().WithID()
	b := a
	b.Message = "the same finding, reported twice"
	c := audit.Finding{Kind: "x.y", Subject: audit.Subject{Type: "identity", ID: "bob"}} // no ID
	d := c
	got := audit.Sort([]audit.Finding{a, c, b, d})
	require.Len(t, got, 3, "one of the two findings with the same ID is dropped; findings without an ID are all kept")
	require.Equal(t, 1, countID(got, a.ID))
}

func countID(fs []audit.Finding, id string) int {
	n := 0
	for _, f := range fs {
		if f.ID == id {
			n++
		}
	}
	return n
}

func TestEvidenceString(t *testing.T) {
	tests := []struct {
		name   string
		e      audit.Evidence
		want   string
		reason string
	}{
		{"label only", audit.Evidence{Label: "expires"}, "expires", "a bare label"},
		{"label and value", audit.Evidence{Label: "expires", Value: "never"}, "expires: never", "label: value"},
		{"with path", audit.Evidence{Label: "side", Value: "erp:x", Path: []audit.Step{{Type: "grant", ID: "g-1"}, {Type: "entitlement", ID: "erp:x"}}},
			"side: erp:x via grant g-1 → entitlement erp:x", "the path follows 'via'"},
		{"label and path", audit.Evidence{Label: "eligible", Path: []audit.Step{{Type: "grant", ID: "g-1"}}}, "eligible via grant g-1", "no value"},
		{"path only", audit.Evidence{Path: []audit.Step{{Type: "grant", ID: "g-1"}}}, "grant g-1", "no label, no 'via'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.e.String(), tt.reason)
		})
	}
}

func TestStatus(t *testing.T) {
	var zero audit.Status
	require.Equal(t, audit.Open, zero, "an unset status is open")
	require.True(t, zero.Failing(), "an unset status fails a gate")
	require.False(t, audit.Mitigated.Failing())
	require.True(t, audit.Indeterminate.Failing(), "a check that could not be evaluated fails closed")
	require.False(t, audit.Waived.Failing(), "a waived finding does not fail a gate while its waiver holds")
	require.Equal(t, "waived", audit.Waived.String())
	require.True(t, audit.Status(9).Failing(), "an unknown status fails closed")
	require.Equal(t, "status(9)", audit.Status(9).String())
	for _, s := range []audit.Status{audit.Open, audit.Mitigated, audit.Indeterminate, audit.Waived} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back audit.Status
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, s, back)
	}
	_, err := audit.Status(9).MarshalText()
	require.Error(t, err)
	var s audit.Status
	require.ErrorContains(t, s.UnmarshalText([]byte("closed")), `"closed"`)
}
