package entitlement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

func TestIdentityOwners(t *testing.T) {
	require.Nil(t, entitlement.Identity{}.Owners(), "no owners")
	require.Equal(t, []string{"alice"}, entitlement.Identity{Owner: "alice"}.Owners())
	require.Equal(t, []string{"alice", "bob"}, entitlement.Identity{Owner: "alice", SecondaryOwner: "bob"}.Owners(), "primary first")
	require.Equal(t, []string{"bob"}, entitlement.Identity{SecondaryOwner: "bob"}.Owners(), "empty owners are skipped")
}

func TestNonHuman(t *testing.T) {
	tests := []struct {
		kind   entitlement.IdentityKind
		want   bool
		reason string
	}{
		{entitlement.Human, false, "a person"},
		{entitlement.ServiceAccount, true, "machine identities are non-human"},
		{entitlement.APIKey, true, "keys too"},
		{entitlement.Token, true, "tokens too"},
		{entitlement.WorkloadIdentity, true, "workloads too"},
		{entitlement.AIAgent, true, "AI agents are non-human identities"},
		{0, false, "the unset kind is neither (validation rejects it)"},
		{99, false, "an invalid kind is neither"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, tt.kind.NonHuman(), "%s: %s", tt.kind, tt.reason)
	}
}
