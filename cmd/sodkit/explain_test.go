package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

func TestExplainDemo(t *testing.T) {
	code, out, errOut := cli(wallA, "explain", "--demo", "alice")
	require.Equal(t, exitOK, code, errOut)
	require.Empty(t, errOut)
	require.True(t, strings.HasPrefix(out, "alice (human, active, team finance-ap) at 2026-11-01T09:00:00Z\n"), out)
	require.Contains(t, out, "\nentitlements (")
	require.Contains(t, out, "    grant g-101 → role ap-clerk → entitlement erp:invoice.post\n", "each entitlement with the path that explains it")
	require.Contains(t, out, "    grant g-101 → role ap-clerk → role base-employee → entitlement erp:report.view\n", "through inheritance")
	require.Contains(t, out, "\nroles (")

	_, again, _ := cli(wallB, "explain", "--demo", "alice")
	require.Equal(t, out, again, "the demo's answer does not change with the wall clock")
}

func TestExplainEligibleAndIdle(t *testing.T) {
	_, out, _ := cli(wallA, "explain", "--demo", "pat")
	require.Contains(t, out, "grant g-181 → role sre-oncall → entitlement k8s:prod.cluster-admin (eligible)\n",
		"just-in-time access is marked")

	_, out, _ = cli(wallA, "explain", "--demo", "carl")
	require.Contains(t, out, "carl (human, offboarded, team finance-ap)")
	require.Contains(t, out, "entitlements (0):")
	require.Contains(t, out, "grants not in effect (1):\n  g-221 (role ap-clerk): revoked 2026-09-30T17:00:00+02:00\n",
		"revoked grants are listed with when they ended, as recorded")

	_, out, _ = cli(wallA, "explain", "--demo", "svc-erp-sync")
	require.Contains(t, out, "owned by [pat priya]", "non-human identities name their owners")
}

func TestExplainAt(t *testing.T) {
	code, out, errOut := cli(wallA, "explain", "--demo", "alice", "--at", "2020-01-01T00:00:00Z")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "at 2020-01-01T00:00:00Z")
	require.Contains(t, out, "entitlements (0):", "before the grants began, nothing")
	require.Contains(t, out, "grants not in effect (2):")
	require.Contains(t, out, ": starts ", "grants not yet begun say when they start")
}

func TestExplainJSON(t *testing.T) {
	code, out, errOut := cli(wallA, "explain", "--demo", "--format", "json", "alice")
	require.Equal(t, exitOK, code, errOut)
	var a entitlement.Access
	require.NoError(t, json.Unmarshal([]byte(out), &a))
	require.Equal(t, "alice", a.Identity)
	require.Equal(t, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), a.At)
	h, ok := a.Entitlement("erp:invoice.post")
	require.True(t, ok)
	require.Equal(t, "g-101", h.Paths[0].Grant)
	require.Equal(t, []string{"ap-clerk"}, h.Paths[0].Roles())
	require.True(t, h.Paths[0].Active)
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
	require.Equal(t, `dana (ai_agent, active, owned by [erin]) at 2026-03-01T00:00:00Z

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
  g-2 (entitlement erp:x): expired 2026-03-01T00:00:00Z
`, out, "a grant expiring exactly at the evaluation time contributes nothing")
}

// forgedJSON is a JSON string body (without quotes) an attacker puts in an
// ID: it clears the screen, returns the cursor and starts a fake line,
// reverses what follows, hides a NUL and a C1 CSI, adds a line separator,
// and ends in a literal backslash escape that must not read as ESC.
const forgedJSON = `\u001b[2J\r\nCRITICAL forged\u202e\u0000\u009b\u2028\\x1b`

// hostileBundle writes a bundle whose party, entitlement, role, identity
// and grant IDs all end in forgedJSON, and returns its path and the
// non-human identity's ID.
func hostileBundle(t *testing.T) (string, string) {
	t.Helper()
	h := forgedJSON
	path := writeFile(t, t.TempDir(), "org.json", `{
  "format": "sodkit.bundle/v1",
  "as_of": "2026-03-01T00:00:00Z",
  "parties": [{"id": "team`+h+`", "function": "identity_governance"}],
  "entitlements": [{"id": "erp:`+h+`", "policy_owner": "team`+h+`"}],
  "roles": [{"id": "role`+h+`", "entitlements": ["erp:`+h+`"]}],
  "identities": [
    {"id": "owner`+h+`", "kind": "human", "status": "active", "team": "team`+h+`"},
    {"id": "svc`+h+`", "kind": "service_account", "status": "active", "team": "team`+h+`", "owner": "owner`+h+`",
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
	require.Equal(t, "svc"+h+" (service_account, active, team team"+h+", owned by [owner"+h+`]) at 2026-03-01T00:00:00Z

entitlements (1):
  erp:`+h+`
    grant g`+h+` → role role`+h+` → entitlement erp:`+h+`

roles (1):
  role`+h+`
    grant g`+h+` → role role`+h+`

grants not in effect (1):
  old`+h+` (entitlement erp:`+h+`): expired 2026-01-01T00:00:00Z
`, out, "every ID is escaped, and the output has exactly its own lines")
}
