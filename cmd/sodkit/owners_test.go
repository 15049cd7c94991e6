package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// ownersRun runs the command line with a fixed clock and returns the exit
// code and both outputs.
func ownersRun(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	now := func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }
	code := run(args, &stdout, &stderr, now)
	return code, stdout.String(), stderr.String()
}

func TestOwnersCommand(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
		absent   []string
		reason   string
	}{
		{
			name: "demo text",
			args: []string{"owners", "--demo"},
			code: exitOK,
			contains: []string{
				"ownership at 2026-11-01T09:00:00Z: 18 entitlement(s)",
				"entitlement erp:payment.release (Release payment runs; risk critical, privileged)",
				"  define_policy      A iam-governance · R iam-governance · C security-ops · I internal-audit",
				"identity svc-payments-batch (Nightly payment run; service_account, active)",
				"  owner              carl (Carl Jensen; human, offboarded)",
				"GAP CRITICAL raci.orphaned-nhi",
				"identity key-report-export (Finance report export key; api_key, active)\n  owner              none",
				"no gaps",
			},
			reason: "the demo's evaluation time is its as_of; entitlements and identities are listed by ID and name with their rows, owners and gaps",
		},
		{
			name:     "gaps only",
			args:     []string{"owners", "--demo", "--gaps"},
			code:     exitOK,
			contains: []string{"entitlement erp:gl.read", "GAP MEDIUM raci.no-owner"},
			absent:   []string{"entitlement erp:payment.release (", "no gaps"},
			reason:   "--gaps leaves out what is fully owned",
		},
		{
			name:   "bad format",
			args:   []string{"owners", "--demo", "--format", "yaml"},
			code:   exitError,
			reason: "an unknown format is a usage error",
		},
		{
			name:   "help",
			args:   []string{"owners", "-h"},
			code:   exitOK,
			reason: "help is not an error",
		},
		{
			name:   "missing file",
			args:   []string{"owners", "no-such-file.json"},
			code:   exitError,
			reason: "an unreadable input means the command could not run",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, _ := ownersRun(tt.args...)
			require.Equal(t, tt.code, code, tt.reason)
			for _, s := range tt.contains {
				require.Contains(t, out, s, tt.reason)
			}
			for _, s := range tt.absent {
				require.NotContains(t, out, s, tt.reason)
			}
		})
	}
}

func TestOwnersJSON(t *testing.T) {
	code, out, errOut := ownersRun("owners", "--demo", "--format", "json", "--gaps")
	require.Equal(t, exitOK, code, errOut)
	var got struct {
		EvaluatedAt time.Time `json:"evaluated_at"`
		Owners      []struct {
			Subject struct{ Type, ID string } `json:"subject"`
			Rows    []struct {
				Activity    string   `json:"activity"`
				Accountable []string `json:"accountable"`
			} `json:"rows"`
			Gaps []struct{ Kind, Severity, Message string } `json:"gaps"`
		} `json:"owners"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Equal(t, "2026-11-01T09:00:00Z", got.EvaluatedAt.Format(time.RFC3339))
	require.NotEmpty(t, got.Owners)
	for _, o := range got.Owners {
		require.NotEmpty(t, o.Gaps, "--gaps lists only subjects with gaps")
		require.NotEmpty(t, o.Rows)
	}
	code2, out2, _ := ownersRun("owners", "--demo", "--format", "json", "--gaps")
	require.Equal(t, code, code2)
	require.Equal(t, out, out2, "the output is stable")
}

func TestOwnersOnFiles(t *testing.T) {
	dir := t.TempDir()
	inv := filepath.Join(dir, "inventory.json")
	require.NoError(t, os.WriteFile(inv, []byte(`{
  "format": "sodkit.bundle/v1",
  "parties": [{"id": "iam", "function": "identity_governance"}],
  "entitlements": [{"id": "erp:x", "policy_owner": "iam"}],
  "identities": [{"id": "ines", "kind": "human", "status": "active", "team": "iam"},
                 {"id": "bot", "kind": "ai_agent", "status": "active"}]
}`), 0o600))
	code, out, errOut := ownersRun("owners", inv, "--at", "2026-01-01T00:00:00Z")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "ownership at 2026-01-01T00:00:00Z: 1 entitlement(s), 1 with gaps; 1 non-human identit(ies), 1 with gaps")
	require.Contains(t, out, "GAP HIGH raci.no-accountable: no party is accountable for revoke in entitlement erp:x",
		"without a raci section nothing is assigned, and the listing says so for each entitlement")
	require.Contains(t, out, "raci.orphaned-nhi: ai_agent bot is orphaned: it has no owner")
}

func TestCheckIncludesRACI(t *testing.T) {
	code, out, errOut := ownersRun("check", "--demo", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	for _, k := range []string{"raci.orphaned-nhi", "raci.recertification-overdue", "raci.approver-provisions", "raci.human-use"} {
		require.Contains(t, out, `"kind": "`+k+`"`, "sodkit check reports the raci findings")
	}
}

func TestOwnersEscapesInputText(t *testing.T) {
	path, _ := hostileBundle(t)
	code, out, errOut := ownersRun("owners", path)
	require.Equal(t, exitOK, code, errOut)
	requireDisplaySafe(t, out)
	// The summary, then one unindented line per subject: the entitlement
	// and the service account. No input starts a line of its own.
	var heads []string
	for line := range strings.Lines(out) {
		if line != "\n" && !strings.HasPrefix(line, "  ") {
			heads = append(heads, line)
		}
	}
	h := forgedShown
	require.Len(t, heads, 3, out)
	require.Equal(t, "entitlement erp:"+h+" ("+h+"Ent; risk unassessed)\n", heads[1], "IDs and names are escaped")
	require.Equal(t, "identity svc"+h+" ("+h+"Svc; service_account, active)\n", heads[2])
	require.Contains(t, out, "  owner              owner"+h+" ("+h+"Owner; human, active)\n", "owners are escaped")
	require.Contains(t, out, "define_policy      A team"+h+" · R -", "party IDs in the rows are escaped")
	require.Contains(t, out, "in entitlement erp:"+h+"\n", "gap messages are escaped")
}
