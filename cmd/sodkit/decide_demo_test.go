package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/internal/decisiontest"
)

// TestWhatIfTable runs the decision table every entry point shares
// (internal/decisiontest) through "sodkit whatif" on the demo: exit 0 for
// allow, 1 for deny and indeterminate (the verdict is printed), 2 naming
// the unknown ID for a question that cannot be answered; the JSON report
// carries exactly the findings the library decides on.
func TestWhatIfTable(t *testing.T) {
	for _, c := range decisiontest.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			args := []string{"whatif", "--demo", "--identity", c.Identity, "--grant", c.Target,
				"--requested-by", c.RequestedBy, "--approved-by", c.ApprovedBy}
			code, out, errOut := cli(wallA, args...)
			switch c.Want {
			case "error":
				require.Equal(t, exitError, code, c.Reason)
				require.Contains(t, errOut, `"`+c.ErrorNames+`"`, "the error names the unknown ID")
				require.Empty(t, out, "no report for a question that cannot be answered")
				return
			case "allow":
				require.Equal(t, exitOK, code, "%s\n%s", c.Reason, errOut)
				require.True(t, strings.HasPrefix(out, "decision: allow"), out)
				if len(c.Findings) > 0 {
					require.Contains(t, out, "mitigated by an exception", "an allow with mitigated findings says so")
				}
			default:
				require.Equal(t, exitFindings, code, "%s\n%s", c.Reason, errOut)
				require.True(t, strings.HasPrefix(out, "decision: "+c.Want+"\n"), out)
			}
			code, out, _ = cli(wallA, append(args, "--format", "json")...)
			require.NotEqual(t, exitError, code)
			r, err := audit.ReadReport(strings.NewReader(out))
			require.NoError(t, err)
			require.Equal(t, c.Findings, decisiontest.Summary(r.Findings, false), c.Reason)
		})
	}
}

// TestWhatIfEscapesInputText: the decision's reasons quote finding
// messages, which quote IDs; they must not drive the terminal either.
func TestWhatIfEscapesInputText(t *testing.T) {
	path, id := hostileBundle(t)
	code, out, errOut := cli(wallA, "whatif", "--identity", id, "--grant", "erp:"+forgedJSONValue(t), "--approved-by", id, path)
	require.Equal(t, exitFindings, code, errOut)
	requireDisplaySafe(t, out)
	require.Contains(t, out, "approved their own access")
}

// forgedJSONValue decodes the forged text as a bundle's JSON carries it.
func forgedJSONValue(t *testing.T) string {
	var s string
	require.NoError(t, json.Unmarshal([]byte(`"`+forgedJSON+`"`), &s))
	return s
}

// TestWhatIfUnknownActivation: activating a grant the identity does not
// have is a question that cannot be answered (exit 2 naming it), not "no
// findings".
func TestWhatIfUnknownActivation(t *testing.T) {
	code, out, errOut := cli(wallA, "whatif", "--demo", "--identity", "pat", "--activate", "g-nope")
	require.Equal(t, exitError, code, out)
	require.Contains(t, errOut, `"g-nope"`)
	code, _, errOut = cli(wallA, "whatif", "--demo", "--identity", "pat", "--activate", "g-182")
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, "not eligible", "a standing grant is not activated")
}
