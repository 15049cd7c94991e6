package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit/trail"
	"github.com/sodkit/sodkit/internal/decisiontest"
)

// TestDecisionTable runs the decision table every entry point shares
// (internal/decisiontest) through the service's HTTP handler: 200 approved
// for allow, 403 refused for deny and indeterminate, 400 naming the unknown
// ID for a request that cannot be decided; the answer carries exactly the
// findings the library decides on, and every decision reaches the log.
func TestDecisionTable(t *testing.T) {
	for _, c := range decisiontest.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			srv, svc := newTestService(t, trail.New(discard{}, trail.Head{}))
			req := map[string]any{"ticket": decisiontest.GrantID, "identity": c.Identity,
				"requested_by": c.RequestedBy, "approved_by": []string{c.ApprovedBy},
				"reason": "decision table", "template": "tmpl-test"}
			// The request form names a role or an entitlement.
			if _, ok := svc.x.Role(c.Target); ok {
				req["role"] = c.Target
			} else {
				req["entitlement"] = c.Target
			}
			b, err := json.Marshal(req)
			require.NoError(t, err)
			status, resp, raw := post(t, srv, string(b))
			switch c.Want {
			case "error":
				require.Equal(t, http.StatusBadRequest, status, c.Reason)
				require.Contains(t, raw, c.ErrorNames, "the answer names the unknown ID")
				return
			case "allow":
				require.Equal(t, http.StatusOK, status, "%s: %s", c.Reason, raw)
				require.Equal(t, "approved", resp.Decision)
			default:
				require.Equal(t, http.StatusForbidden, status, "%s: %s", c.Reason, raw)
				require.Equal(t, "refused", resp.Decision)
			}
			require.Equal(t, c.Findings, decisiontest.Summary(resp.Findings, false), c.Reason)
			require.NotEmpty(t, resp.Reasons, "the answer explains itself")
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
