package entitlement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

func TestSystemOf(t *testing.T) {
	tests := []struct {
		id, want, reason string
	}{
		{"erp:vendor.create", "erp", "the text before the colon"},
		{"k8s:prod:cluster-admin", "k8s", "the first colon splits"},
		{"vendor.create", "", "no colon, no system"},
		{":x", "", "an empty system"},
		{"", "", "nothing"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, entitlement.SystemOf(tt.id), "%q: %s", tt.id, tt.reason)
	}
	require.Equal(t, "erp", entitlement.Entitlement{ID: "erp:x"}.SystemName(), "from the ID")
	require.Equal(t, "sap-erp", entitlement.Entitlement{ID: "erp:x", System: "sap-erp"}.SystemName(), "System wins when set")
}

func TestRiskAtLeast(t *testing.T) {
	tests := []struct {
		r, min entitlement.Risk
		want   bool
		reason string
	}{
		{entitlement.RiskHigh, entitlement.RiskHigh, true, "a threshold includes its level"},
		{entitlement.RiskCritical, entitlement.RiskHigh, true, "above"},
		{entitlement.RiskMedium, entitlement.RiskHigh, false, "below"},
		{0, entitlement.RiskHigh, true, "unassessed counts as high: it fails closed"},
		{0, entitlement.RiskLow, true, "unassessed is at least low"},
		{0, entitlement.RiskCritical, false, "but not critical"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, tt.r.AtLeast(tt.min), "%q at least %s: %s", tt.r, tt.min, tt.reason)
	}
}
