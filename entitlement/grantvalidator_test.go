package entitlement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

// TestGrantValidatorAsValidateGrants: one GrantValidator reused over a
// stream of identities reports exactly what ValidateGrants reports for each,
// problems included — what it keeps between calls must never leak a
// verdict from one identity to the next.
func TestGrantValidatorAsValidateGrants(t *testing.T) {
	inv := synth.Generate(synth.Config{Seed: 3, Identities: 400})
	// An index of identities without grants, as a stream's first pass
	// builds, and the grants to validate against it.
	stripped := *inv
	stripped.Identities = make([]entitlement.Identity, len(inv.Identities))
	for i, id := range inv.Identities {
		id.Grants = nil
		stripped.Identities[i] = id
	}
	x, err := entitlement.NewIndex(&stripped)
	require.NoError(t, err)
	gv := x.NewGrantValidator()
	bad := 0
	for i, id := range inv.Identities {
		grants := append([]entitlement.Grant(nil), id.Grants...)
		switch {
		case len(grants) == 0:
		case i%7 == 0: // an unknown approver
			grants[0].Approvals = append([]entitlement.Approval{{By: "nobody"}}, grants[0].Approvals...)
		case i%11 == 0 && len(grants) > 1: // a grant ID twice
			grants[1].ID = grants[0].ID
		case i%13 == 0: // an unknown holder
			id.ID = "ghost-" + id.ID
		}
		want := x.ValidateGrants(id.ID, grants)
		got := gv.Validate(id.ID, grants)
		if want != nil {
			bad++
			require.Error(t, got, "identity %s", id.ID)
			require.Equal(t, want.Error(), got.Error(), "identity %s", id.ID)
			continue
		}
		require.NoError(t, got, "identity %s", id.ID)
	}
	require.Greater(t, bad, 40, "the stream holds identities with problems")
}

// TestGrantValidatorHolderAsRequester: a holder requests most of its own
// grants, which the validator answers without a lookup — but only for a
// holder the index holds. A requester that is an unknown holder is an
// unknown reference like any other.
func TestGrantValidatorHolderAsRequester(t *testing.T) {
	inv := &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{{ID: "erp:x"}},
		Identities:   []entitlement.Identity{{ID: "alice", Kind: entitlement.Human, Status: entitlement.IdentityActive}},
	}
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	grant := func(by string) []entitlement.Grant {
		return []entitlement.Grant{{ID: "g1", Entitlement: "erp:x", State: entitlement.GrantRequested, Requested: entitlement.Event{By: by}}}
	}
	gv := x.NewGrantValidator()
	require.NoError(t, gv.Validate("alice", grant("alice")))
	err = gv.Validate("ghost", grant("ghost"))
	require.Error(t, err)
	var fields []string
	for _, e := range entitlement.Errors(err) {
		var re *entitlement.RecordError
		require.ErrorAs(t, e, &re)
		fields = append(fields, re.Type+"."+re.Field)
	}
	require.Equal(t, []string{"identity.id", "grant.requested.by"}, fields)
	// And the next holder is not answered for by the last one.
	err = gv.Validate("alice", grant("ghost"))
	require.ErrorIs(t, err, entitlement.ErrUnknownRef)
}
