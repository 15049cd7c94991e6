package raci_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/raci"
)

func TestMatrixClone(t *testing.T) {
	m := raci.Matrix{raci.Revoke: {Accountable: []string{"ops"}, Responsible: []string{"ops"}}}
	c := m.Clone()
	require.Equal(t, m, c)
	c[raci.Revoke].Accountable[0] = "iam"
	c[raci.Provision] = raci.Assignment{}
	require.Equal(t, "ops", m[raci.Revoke].Accountable[0], "the clone shares no slice with the original")
	require.Len(t, m, 1, "the clone shares no map with the original")
	require.Nil(t, raci.Matrix(nil).Clone(), "the clone of nil is nil")
}

func TestOverrideScope(t *testing.T) {
	tests := []struct {
		name    string
		o       raci.Override
		typ, id string
		reason  string
	}{
		{"entitlement", raci.Override{Entitlement: "erp:x"}, "entitlement", "erp:x", "an entitlement override"},
		{"system", raci.Override{System: "erp"}, "system", "erp", "a system override"},
		{"neither", raci.Override{}, "", "", "no scope: invalid, ignored by the checks"},
		{"both", raci.Override{Entitlement: "erp:x", System: "erp"}, "", "", "two scopes: invalid, ignored by the checks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, id := tt.o.Scope()
			require.Equal(t, [2]string{tt.typ, tt.id}, [2]string{typ, id}, tt.reason)
		})
	}
}
