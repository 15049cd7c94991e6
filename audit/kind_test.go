package audit_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// noExpiry is a kind description as a check package's table holds it.
var noExpiry = audit.KindInfo{
	Kind:        "lifecycle.no-expiry",
	Title:       "Grant without expiry",
	Severity:    audit.Medium,
	Controls:    []audit.Control{prAA05, audit.Ref(audit.SP80053, "AC-2(2)"), prAA05},
	Remediation: "Set an expiry on the grant.",
	Help:        "A privileged or just-in-time grant that never expires.",
}

func TestKindInfoNew(t *testing.T) {
	subject := audit.Subject{Type: "grant", ID: "g-1"}
	ev := []audit.Evidence{{Label: "expires", Value: "never"}, {Label: "holder", Value: "bob", Path: []audit.Step{{Type: "grant", ID: "g-1"}}}}
	tests := []struct {
		name   string
		reason string
		info   audit.KindInfo
		rule   string
		want   audit.Finding
	}{
		{
			name: "defaults", reason: "a finding takes its kind's severity, controls (sorted, once each) and remediation",
			info: noExpiry,
			want: audit.Finding{Kind: noExpiry.Kind, Severity: audit.Medium, Subject: subject, Message: "m", Evidence: ev,
				Controls:    []audit.Control{prAA05, audit.Ref(audit.SP80053, "AC-2(2)")},
				Remediation: noExpiry.Remediation},
		},
		{
			name: "rule", reason: "the rule is part of what identifies a finding",
			info: noExpiry, rule: "r-1",
			want: audit.Finding{Kind: noExpiry.Kind, Severity: audit.Medium, Rule: "r-1", Subject: subject, Message: "m", Evidence: ev,
				Controls:    []audit.Control{prAA05, audit.Ref(audit.SP80053, "AC-2(2)")},
				Remediation: noExpiry.Remediation},
		},
		{
			name: "zero", reason: "the zero KindInfo fails closed: severity Critical, no controls",
			want: audit.Finding{Subject: subject, Message: "m", Evidence: ev},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.want.ID = audit.FindingID(tc.want.Kind, tc.want.Rule, tc.want.Subject, tc.want.Evidence)
			got := tc.info.New(tc.rule, subject, "m", ev...)
			require.Equal(t, tc.want, got, tc.reason)
			require.Equal(t, tc.want.WithID(), got, "New agrees with WithID on the same fields")
		})
	}
}

func TestKindInfoNewIdentity(t *testing.T) {
	tests := []struct {
		name    string
		subject audit.Subject
		want    string
		reason  string
	}{
		{"identity", audit.Subject{Type: "identity", ID: "alice"}, "alice", "a finding about an identity is about that identity"},
		{"grant", audit.Subject{Type: "grant", ID: "g-1"}, "", "New cannot know a grant's holder: the check sets it"},
		{"role", audit.Subject{Type: "role", ID: "alice"}, "", "a role named like an identity is not one"},
		{"empty", audit.Subject{}, "", "no subject, no identity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := noExpiry.New("", tt.subject, "m")
			require.Equal(t, tt.want, f.Identity, tt.reason)
			require.Equal(t, audit.FindingID(f.Kind, "", tt.subject, nil), f.ID, "the identity takes no part in the ID")
		})
	}
}

func TestKindInfoNewSharesNoMemory(t *testing.T) {
	info := noExpiry
	info.Controls = slices.Clone(noExpiry.Controls)
	ev := []audit.Evidence{{Label: "expires", Value: "never"}}
	f := info.New("", audit.Subject{Type: "grant", ID: "g-1"}, "m", ev...)
	id := f.ID
	ev[0].Value = "changed"
	info.Controls[0] = audit.Ref(audit.SP80053, "AC-5")
	require.Equal(t, "never", f.Evidence[0].Value, "the finding keeps its own evidence")
	require.NotContains(t, f.Controls, audit.Ref(audit.SP80053, "AC-5"), "the finding keeps its own controls")
	require.Equal(t, id, f.WithID().ID)

	g := f.Cite(ac5)
	g.Controls[0] = audit.Ref(audit.SP80053, "AC-6")
	require.NotContains(t, f.Controls, audit.Ref(audit.SP80053, "AC-6"), "Cite copies: the table's defaults and the original stay as they were")
}

func TestCite(t *testing.T) {
	f := noExpiry.New("", audit.Subject{Type: "grant", ID: "g-1"}, "m", audit.Evidence{Label: "expires", Value: "never"})
	tests := []struct {
		name   string
		reason string
		cite   []audit.Control
		want   []audit.Control
	}{
		{name: "none", reason: "citing nothing keeps the controls", want: f.Controls},
		{name: "more", reason: "added controls are sorted in", cite: []audit.Control{ac6, ac5},
			want: []audit.Control{prAA05, audit.Ref(audit.SP80053, "AC-2(2)"), ac5, ac6}},
		{name: "again", reason: "a control cited already is cited once", cite: []audit.Control{prAA05, prAA05},
			want: f.Controls},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := f.Cite(tc.cite...)
			require.Equal(t, tc.want, got.Controls, tc.reason)
			require.Equal(t, f.ID, got.ID, "controls never change the ID")
			require.Equal(t, []audit.Control{prAA05, audit.Ref(audit.SP80053, "AC-2(2)")}, f.Controls, "the original is not modified")
		})
	}
}

// ExampleKindInfo_New shows a check's kind table and a finding built from
// it. The check adjusts what its kind does not know (a higher severity
// for privileged access, one more control) without changing the ID.
func ExampleKindInfo_New() {
	kinds := []audit.KindInfo{{
		Kind:        "lifecycle.no-expiry",
		Title:       "Grant without expiry",
		Severity:    audit.Medium,
		Controls:    []audit.Control{audit.Ref(audit.SP80053, "AC-2(2)")},
		Remediation: "Set an expiry on the grant.",
		Help:        "A privileged or just-in-time grant that never expires.",
	}}
	f := kinds[0].New("", audit.Subject{Type: "grant", ID: "g-111"}, "privileged grant g-111 to bob has no expiry",
		audit.Evidence{Label: "expires", Value: "never"})
	id := f.ID
	f.Severity = audit.High
	f = f.Cite(audit.Ref(audit.SP80053, "AC-6"))
	fmt.Println(f.ID, f.Kind, f.Severity, f.Subject)
	fmt.Println(f.Controls)
	fmt.Println(f.Remediation)
	fmt.Println(f.ID == id)
	// Output:
	// sk-6b3e34d0b1c66206fcd2 lifecycle.no-expiry high grant g-111
	// [NIST SP 800-53 Rev. 5 AC-2(2) NIST SP 800-53 Rev. 5 AC-6]
	// Set an expiry on the grant.
	// true
}

// ExampleFinding_Cite adds a rule's own controls to a finding.
func ExampleFinding_Cite() {
	info := audit.KindInfo{Kind: "sod.toxic-combination", Severity: audit.High,
		Controls: []audit.Control{audit.Ref(audit.SP80053, "AC-5")}}
	f := info.New("r-1", audit.Subject{Type: "identity", ID: "alice"}, "alice holds both sides of r-1")
	f = f.Cite(audit.Ref(audit.CSF, "PR.AA-05"), audit.Ref(audit.SP80053, "AC-5"))
	for _, c := range f.Controls {
		fmt.Println(c)
	}
	// Output:
	// NIST CSF 2.0 PR.AA-05
	// NIST SP 800-53 Rev. 5 AC-5
}

func ExampleKindInfo_Compare() {
	kinds := []audit.KindInfo{{Kind: "sod.toxic-combination"}, {Kind: "lifecycle.no-expiry"}, {Kind: "raci.no-owner"}}
	slices.SortFunc(kinds, audit.KindInfo.Compare)
	for _, k := range kinds {
		fmt.Println(k.Kind)
	}
	// Output:
	// lifecycle.no-expiry
	// raci.no-owner
	// sod.toxic-combination
}
