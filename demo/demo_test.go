package demo_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/lifecycle"
)

func TestLoad(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err, "the embedded demo is a valid bundle")
	require.Equal(t, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), b.AsOf, "the demo is evaluated at its export time")
	require.NotEmpty(t, b.Inventory.Identities)
	require.NotNil(t, b.Index)

	kinds := map[string]int{}
	for _, id := range b.Inventory.Identities {
		kinds[id.Kind.String()]++
	}
	for _, k := range []string{"human", "service_account", "api_key", "token", "workload_identity", "ai_agent"} {
		require.Positive(t, kinds[k], "the demo has a %s", k)
	}
}

func TestSources(t *testing.T) {
	srcs := demo.Sources()
	require.NotEmpty(t, srcs)
	require.Equal(t, demo.Prefix+"inventory.json", srcs[0].Name, "the inventory comes first")
	for i, s := range srcs {
		require.True(t, strings.HasPrefix(s.Name, demo.Prefix))
		if i > 1 {
			require.Less(t, srcs[i-1].Name, s.Name, "the other files in name order")
		}
		data, err := io.ReadAll(s.Reader)
		require.NoError(t, err)
		require.Contains(t, string(data), `"format": "sodkit.bundle/v1"`)
	}
	// Each call returns fresh readers.
	again := demo.Sources()
	data, err := io.ReadAll(again[0].Reader)
	require.NoError(t, err)
	require.NotEmpty(t, data)
}

// TestLifecycleFindings checks that the demo shows every lifecycle finding
// kind, so the CLI's demo report exercises each.
func TestLifecycleFindings(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	fs := lifecycle.Check(b.Index, b.AsOf)
	kinds := map[audit.Kind]bool{}
	for _, f := range fs {
		kinds[f.Kind] = true
	}
	for _, k := range []audit.Kind{lifecycle.KindRevokedStillPresent, lifecycle.KindUnexplainedAccess, lifecycle.KindNoExpiry,
		lifecycle.KindOverMaxDuration, lifecycle.KindEscalationSkipped, lifecycle.KindMissingReason, lifecycle.KindMissingPolicyBasis,
		lifecycle.KindInactiveHolder, lifecycle.KindLookalikeID} {
		require.True(t, kinds[k], "the demo shows %s", k)
	}
	// The demo's findings do not depend on the wall clock: they are a
	// function of the bundle and its as_of.
	require.Equal(t, fs, lifecycle.Check(b.Index, b.AsOf))
}
