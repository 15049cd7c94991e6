package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

func TestExplainDemo(t *testing.T) {
	code, out, errOut := cli(wallA, "explain", "--demo", "alice")
	require.Equal(t, exitOK, code, errOut)
	require.Empty(t, errOut)
	require.True(t, strings.HasPrefix(out, "alice (Alice Brandt) at 2026-11-01T09:00:00Z\n"+
		"  human, active, team finance-ap (Finance – Accounts Payable), manager fiona (Fiona Okafor)\n"), out)
	require.Contains(t, out, "\nentitlements (6):\n  erp:invoice.post (Post supplier invoices)\n", "each entitlement with its name")
	require.Contains(t, out, "    grant g-101 → role ap-clerk (Accounts payable clerk) → entitlement erp:invoice.post (Post supplier invoices)\n",
		"each entitlement with the path that explains it")
	require.Contains(t, out, "    grant g-101 → role ap-clerk (Accounts payable clerk) → role base-employee (Every employee) → entitlement erp:report.view (View finance reports)\n",
		"through inheritance")
	require.Contains(t, out, "\nroles (3):\n")

	_, again, _ := cli(wallB, "explain", "--demo", "alice")
	require.Equal(t, out, again, "the demo's answer does not change with the wall clock")
}

// TestExplainIsComplete holds explain to what the issue found missing:
// alice holds bank:payment.approve in the target system with no grant
// (critical), and her break-glass session was rejected in review but is
// still active. It shows what target systems showed and the drift, open
// sessions, the exceptions covering her, ownership, and every finding
// about her — exactly those "sodkit check" reports with her identity.
func TestExplainIsComplete(t *testing.T) {
	code, out, errOut := cli(wallA, "explain", "--demo", "alice")
	require.Equal(t, exitOK, code, errOut)
	for _, want := range []struct{ text, reason string }{
		{"\nobserved in target systems (3):\n  bank:payment.approve (Approve outgoing bank payments), last seen 2026-10-31T22:00:00Z\n",
			"what target systems showed"},
		{"  drift: CRITICAL lifecycle.unexplained-access sk-47ddfe5887d891128328: alice holds bank:payment.approve in the target system, but no grant explains it\n",
			"the drift found there"},
		{"\nbreak-glass sessions (1, 1 active):\n  bg-111: ACTIVE, started 2026-11-01T07:00:00Z, planned end 2026-11-01T10:00:00Z, ticket CHG-3355, review: rejected by sam (Sam Adeyemi) at 2026-11-01T08:30:00Z\n",
			"the rejected session still active"},
		{"\nsod exceptions covering it (2):\n  EXC-2026-003, rule R-P2P-02 (Maintain vendors and post invoices), for identity alice: expired,",
			"her own exception"},
		{"  EXC-2025-007, rule R-P2P-03 (Three steps of procure-to-pay), for party finance-ap: in force,",
			"her team's exception"},
		{"\nownership:\n  owns: sod exception EXC-2026-003 as owner\n  member of: finance-ap (Finance – Accounts Payable)\n",
			"what she owns and where she belongs"},
		{"  CRITICAL lifecycle.unexplained-access identity alice (Alice Brandt)  sk-47ddfe5887d891128328\n", "the drift finding"},
		{"  CRITICAL breakglass.rejected-still-active session bg-111  sk-fd363bc3353ea2c4a90a\n", "the session finding"},
		{"  MEDIUM raci.recertification-overdue grant g-101  sk-3ce67b2479837b3420e8\n", "a finding about one of her grants"},
	} {
		require.Contains(t, out, want.text, want.reason)
	}

	// One source of truth: the findings are those of "sodkit check" whose
	// identity is alice, in report order.
	_, js, _ := cli(wallA, "check", "--demo", "--format", "json")
	r, err := audit.ReadReport(strings.NewReader(js))
	require.NoError(t, err)
	var want []string
	for _, f := range r.Findings {
		if f.Identity == "alice" {
			want = append(want, f.ID)
		}
	}
	require.Contains(t, out, fmt.Sprintf("\nfindings about it (%d):\n", len(want)))
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^  (?:CRITICAL|HIGH|MEDIUM|LOW|INFO) .*  (sk-[0-9a-f]+)$`).FindAllStringSubmatch(out, -1) {
		got = append(got, m[1])
	}
	require.Equal(t, want, got, "every finding about alice, in report order, and no other")
	require.Len(t, got, 11)
}

func TestExplainEligibleAndIdle(t *testing.T) {
	_, out, _ := cli(wallA, "explain", "--demo", "pat")
	require.Contains(t, out, "grant g-181 → role sre-oncall (SRE on call) → entitlement k8s:prod.cluster-admin (Production cluster administrator) (eligible)\n",
		"just-in-time access is marked")

	_, out, _ = cli(wallA, "explain", "--demo", "carl")
	require.Contains(t, out, "carl (Carl Jensen) at 2026-11-01T09:00:00Z\n  human, offboarded, team finance-ap (Finance – Accounts Payable)")
	require.Contains(t, out, "entitlements (0):")
	require.Contains(t, out, "grants not in effect (1):\n  g-221: role ap-clerk (Accounts payable clerk), revoked 2026-09-30T17:00:00+02:00\n",
		"revoked grants are listed with when they ended, as recorded")
}

// TestExplainOwnership: a non-human identity names its owners as a list
// people read (the issue found "owned by [pat priya]", a Go slice), and a
// person lists what they own.
func TestExplainOwnership(t *testing.T) {
	_, out, _ := cli(wallA, "explain", "--demo", "svc-erp-sync")
	require.Contains(t, out, "\nownership:\n  owned by: pat (Pat Kowalski; human, active), priya (Priya Raman; human, active)\n  owns: none\n",
		"non-human identities name their owners, with name, kind and status")
	require.NotContains(t, out, "[pat", "never a Go slice")

	_, out, _ = cli(wallA, "explain", "--demo", "pat")
	require.Contains(t, out, "  owns: identity svc-erp-sync (ERP to data warehouse sync) as owner, identity tok-ci-deploy (CI deploy token) as owner\n")

	_, out, _ = cli(wallA, "explain", "--demo", "key-report-export")
	require.Contains(t, out, "  owned by: none\n", "an orphaned non-human identity says so")
}

func TestExplainAt(t *testing.T) {
	code, out, errOut := cli(wallA, "explain", "--demo", "alice", "--at", "2020-01-01T00:00:00Z")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "at 2020-01-01T00:00:00Z")
	require.Contains(t, out, "entitlements (0):", "before the grants began, nothing")
	require.Contains(t, out, "grants not in effect (2):")
	require.Contains(t, out, ", starts ", "grants not yet begun say when they start")
	require.Contains(t, out, "break-glass sessions (0, 0 active):", "a session after the evaluation time has not happened yet")
	require.Contains(t, out, "observed in target systems (0):", "nor has a later sighting")
}

func TestExplainJSON(t *testing.T) {
	code, out, errOut := cli(wallA, "explain", "--demo", "--format", "json", "alice")
	require.Equal(t, exitOK, code, errOut)
	var a entitlement.Access
	require.NoError(t, json.Unmarshal([]byte(out), &a), "the members of the earlier form are still there")
	require.Equal(t, "alice", a.Identity)
	require.Equal(t, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), a.At)
	h, ok := a.Entitlement("erp:invoice.post")
	require.True(t, ok)
	require.Equal(t, "g-101", h.Paths[0].Grant)
	require.Equal(t, []string{"ap-clerk"}, h.Paths[0].Roles())
	require.True(t, h.Paths[0].Active)

	var x struct {
		Name         string `json:"name"`
		Entitlements []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"entitlements"`
		Observed []struct {
			Entitlement struct{ ID, Name string } `json:"entitlement"`
		} `json:"observed"`
		Drift    []string `json:"drift"`
		Sessions []struct {
			ID     string `json:"id"`
			Active bool   `json:"active"`
			Review struct {
				Outcome string `json:"outcome"`
			} `json:"review"`
		} `json:"breakglass_sessions"`
		Exceptions []struct {
			ID      string `json:"id"`
			InForce bool   `json:"in_force"`
		} `json:"sod_exceptions"`
		Owners   []json.RawMessage               `json:"owners"`
		Owns     []struct{ Type, ID, As string } `json:"owns"`
		MemberOf []struct{ ID, Name string }     `json:"member_of"`
		Findings []audit.Finding                 `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &x))
	require.Equal(t, "Alice Brandt", x.Name)
	require.Equal(t, "Post supplier invoices", x.Entitlements[0].Name)
	require.Equal(t, "bank:payment.approve", x.Observed[0].Entitlement.ID)
	require.Equal(t, []string{"sk-47ddfe5887d891128328"}, x.Drift)
	require.Len(t, x.Sessions, 1)
	require.Equal(t, "bg-111", x.Sessions[0].ID)
	require.True(t, x.Sessions[0].Active)
	require.Equal(t, "rejected", x.Sessions[0].Review.Outcome)
	require.Len(t, x.Exceptions, 2)
	require.NotNil(t, x.Owners, "an empty list, not null")
	require.Empty(t, x.Owners)
	require.Equal(t, []struct{ Type, ID, As string }{{"sod exception", "EXC-2026-003", "owner"}}, x.Owns)
	require.Equal(t, []struct{ ID, Name string }{{"finance-ap", "Finance – Accounts Payable"}}, x.MemberOf)
	require.Len(t, x.Findings, 11)
	for _, f := range x.Findings {
		require.Equal(t, "alice", f.Identity)
	}
}

func TestExplainErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
		reason string
	}{
		{"unknown identity", []string{"explain", "--demo", "mallory"}, `sodkit explain: identity mallory: unknown reference: no identity "mallory"`,
			"an identity the bundle does not know"},
		{"no identity", []string{"explain"}, "missing IDENTITY", "the identity is required"},
		{"bad format", []string{"explain", "--format", "sarif", "alice"}, `unknown --format "sarif"`, "text or json"},
		{"bad time", []string{"explain", "--demo", "alice", "--at", "now"}, `--at "now"`, "an RFC 3339 time"},
		{"missing file", []string{"explain", "alice", "/nonexistent/org.json"}, "/nonexistent/org.json", "the file is named"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(wallA, tt.args...)
			require.Equal(t, exitError, code, tt.reason)
			require.Empty(t, out, tt.reason)
			require.Contains(t, errOut, tt.stderr, tt.reason)
			require.NotContains(t, errOut, "goroutine")
		})
	}
}

func TestExplainFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "org.json", `{
  "format": "sodkit.bundle/v1",
  "as_of": "2026-03-01T00:00:00Z",
  "entitlements": [{"id": "erp:x"}],
  "roles": [{"id": "top", "inherits": ["mid"]}, {"id": "mid", "inherits": ["low"]}, {"id": "low", "entitlements": ["erp:x"]}],
  "identities": [{"id": "dana", "kind": "ai_agent", "status": "active", "owner": "erin",
                  "grants": [{"id": "g-1", "role": "top", "state": "active"},
                             {"id": "g-2", "entitlement": "erp:x", "state": "active", "expires": "2026-03-01T00:00:00Z"}]},
                 {"id": "erin", "kind": "human", "status": "active"}]
}`)
	code, out, errOut := cli(wallA, "explain", "dana", path)
	require.Equal(t, exitOK, code, errOut)
	head, _, ok := strings.Cut(out, "\nobserved in target systems (0):\n")
	require.True(t, ok, out)
	require.Equal(t, `dana at 2026-03-01T00:00:00Z
  ai_agent, active

entitlements (1):
  erp:x
    grant g-1 → role top → role mid → role low → entitlement erp:x

roles (3):
  low
    grant g-1 → role top → role mid → role low
  mid
    grant g-1 → role top → role mid
  top
    grant g-1 → role top

grants not in effect (1):
  g-2: entitlement erp:x, expired 2026-03-01T00:00:00Z
`, head, "a grant expiring exactly at the evaluation time contributes nothing; records without names show their IDs alone")
	require.Contains(t, out, "\nownership:\n  owned by: erin (human, active)\n  owns: none\n  member of: none\n")
	require.Contains(t, out, "\nfindings about it (5):\n")
}

// forgedJSON is a JSON string body (without quotes) an attacker puts in an
// ID: it clears the screen, returns the cursor and starts a fake line,
// reverses what follows, hides a NUL and a C1 CSI, adds a line separator,
// and ends in a literal backslash escape that must not read as ESC.
const forgedJSON = `\u001b[2J\r\nCRITICAL forged\u202e\u0000\u009b\u2028\\x1b`

// hostileBundle writes a bundle whose party, entitlement, role, identity
// and grant IDs all end in forgedJSON, and whose names all start with it,
// and returns its path and the non-human identity's ID.
func hostileBundle(t *testing.T) (string, string) {
	t.Helper()
	h := forgedJSON
	path := writeFile(t, t.TempDir(), "org.json", `{
  "format": "sodkit.bundle/v1",
  "as_of": "2026-03-01T00:00:00Z",
  "parties": [{"id": "team`+h+`", "name": "`+h+`Team", "function": "identity_governance"}],
  "entitlements": [{"id": "erp:`+h+`", "name": "`+h+`Ent", "policy_owner": "team`+h+`"}],
  "roles": [{"id": "role`+h+`", "name": "`+h+`Role", "entitlements": ["erp:`+h+`"]}],
  "identities": [
    {"id": "owner`+h+`", "name": "`+h+`Owner", "kind": "human", "status": "active", "team": "team`+h+`"},
    {"id": "svc`+h+`", "name": "`+h+`Svc", "kind": "service_account", "status": "active", "team": "team`+h+`", "owner": "owner`+h+`",
     "grants": [{"id": "g`+h+`", "role": "role`+h+`", "state": "active"},
                {"id": "old`+h+`", "entitlement": "erp:`+h+`", "state": "active", "expires": "2026-01-01T00:00:00Z"}]}
  ]
}`)
	var id string
	require.NoError(t, json.Unmarshal([]byte(`"svc`+h+`"`), &id))
	return path, id
}

// requireDisplaySafe fails if out holds anything that could drive a
// terminal or reorder text: a control character other than the line feed,
// DEL, a C1 control, a bidirectional control, a line or paragraph
// separator, or invalid UTF-8.
func requireDisplaySafe(t *testing.T, out string) {
	t.Helper()
	require.True(t, utf8.ValidString(out), "output is not valid UTF-8")
	for i, r := range out {
		bad := r < 0x20 && r != '\n' || r == 0x7f || 0x80 <= r && r <= 0x9f ||
			r == 0x061c || r == 0x200e || r == 0x200f || 0x202a <= r && r <= 0x202e ||
			0x2066 <= r && r <= 0x2069 || r == 0x2028 || r == 0x2029
		if bad {
			t.Fatalf("raw %U at byte %d of the output:\n%s", r, i, out)
		}
	}
}

// forgedShown is how the forged text reads once escaped.
const forgedShown = `\x1b[2J\r\nCRITICAL forged\u202e\x00\u009b\u2028\\x1b`

func TestExplainEscapesInputText(t *testing.T) {
	path, id := hostileBundle(t)
	code, out, errOut := cli(wallA, "explain", id, path)
	require.Equal(t, exitOK, code, errOut)
	requireDisplaySafe(t, out)
	h := forgedShown
	head, _, ok := strings.Cut(out, "\nobserved in target systems (0):\n")
	require.True(t, ok, out)
	require.Equal(t, "svc"+h+" ("+h+"Svc) at 2026-03-01T00:00:00Z\n  service_account, active, team team"+h+" ("+h+`Team)

entitlements (1):
  erp:`+h+" ("+h+`Ent)
    grant g`+h+` → role role`+h+" ("+h+`Role) → entitlement erp:`+h+" ("+h+`Ent)

roles (1):
  role`+h+" ("+h+`Role)
    grant g`+h+` → role role`+h+" ("+h+`Role)

grants not in effect (1):
  old`+h+`: entitlement erp:`+h+" ("+h+`Ent), expired 2026-01-01T00:00:00Z
`, head, "every ID and name is escaped, and the output has exactly its own lines")
	require.Contains(t, out, "\nownership:\n  owned by: owner"+h+" ("+h+"Owner; human, active)\n  owns: none\n  member of: team"+h+" ("+h+"Team)\n")
	require.Contains(t, out, "\n  MEDIUM raci.credential-no-expiry identity svc"+h+" ("+h+"Svc)  sk-", "findings are escaped, names included")
	for line := range strings.Lines(out) {
		require.False(t, strings.HasPrefix(line, "CRITICAL"), "no input starts a line of its own: %q", line)
	}
}

// TestExplainWaivers: explain lists the waivers that concern an identity,
// in force, expired or without an owner who can act, and which findings
// about it each waives, in text and JSON.
func TestExplainWaivers(t *testing.T) {
	tests := []struct {
		identity, want, reason string
		waives                 int
	}{
		{"bob", "  W-2026-011: kinds raci.recertification-overdue about grant g-111, owner fiona (Fiona Okafor), in force until 2026-12-01T00:00:00Z; waives 1 finding(s) about it\n",
			"a waiver narrowed to one of bob's grants, waiving its overdue recertification", 1},
		{"tom", "  W-2026-004: findings sk-bd424b7880f9d8e3081e, owner fiona (Fiona Okafor), expired at 2026-10-15T00:00:00Z; waives 0 finding(s) about it\n",
			"a waiver naming a finding about tom by ID, expired: the finding is open again", 0},
		{"svc-payments-batch", "owner carl (Carl Jensen), waives nothing: its owner cannot act (expires 2027-01-31T00:00:00Z); waives 0 finding(s) about it\n",
			"its owner left: the waiver waives nothing", 0},
	}
	for _, tt := range tests {
		t.Run(tt.identity, func(t *testing.T) {
			code, out, errOut := cli(wallA, "explain", "--demo", tt.identity)
			require.Equal(t, exitOK, code, errOut)
			require.Contains(t, out, "\nwaivers concerning it (1):\n", tt.reason)
			require.Contains(t, out, tt.want, tt.reason)

			_, js, _ := cli(wallA, "explain", "--demo", "--format", "json", tt.identity)
			var doc struct {
				Waivers []struct {
					ID     string   `json:"id"`
					State  string   `json:"state"`
					Waives []string `json:"waives"`
				} `json:"waivers"`
				Findings []audit.Finding `json:"findings"`
			}
			require.NoError(t, json.Unmarshal([]byte(js), &doc))
			require.Len(t, doc.Waivers, 1)
			require.Len(t, doc.Waivers[0].Waives, tt.waives, tt.reason)
			for _, id := range doc.Waivers[0].Waives {
				i := slices.IndexFunc(doc.Findings, func(f audit.Finding) bool { return f.ID == id })
				require.GreaterOrEqual(t, i, 0, "a waived finding is among the findings about it")
				require.Equal(t, doc.Waivers[0].ID, doc.Findings[i].WaivedBy())
			}
		})
	}

	_, out, _ := cli(wallA, "explain", "--demo", "fiona")
	require.Contains(t, out, "waiver W-2026-011 as owner, waiver W-2026-004 as owner", "the owner of a waiver owns it")
}
