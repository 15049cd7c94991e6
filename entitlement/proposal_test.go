package entitlement_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

func TestValidateGrants(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ok := entitlement.Grant{ID: "req-1", Role: "vendor-master", State: entitlement.GrantActive,
		Requested: entitlement.Event{By: "fiona", At: at}}
	with := func(f func(*entitlement.Grant)) entitlement.Grant { g := ok; f(&g); return g }
	tests := []struct {
		name   string
		reason string
		holder string
		grants []entitlement.Grant
		want   []error // sentinels, in order
	}{
		{name: "valid", reason: "a known target and known actors", holder: "alice", grants: []entitlement.Grant{ok}},
		{name: "unknown holder", reason: "a proposal for nobody cannot be evaluated",
			holder: "alicee", grants: []entitlement.Grant{ok}, want: []error{entitlement.ErrUnknownRef}},
		{name: "unknown target", reason: "as NewIndex reports it",
			holder: "alice", grants: []entitlement.Grant{with(func(g *entitlement.Grant) { g.Role = "nope" })}, want: []error{entitlement.ErrUnknownRef}},
		{name: "unknown requester", reason: "actors must be known identities",
			holder: "alice", grants: []entitlement.Grant{with(func(g *entitlement.Grant) { g.Requested.By = "nobody" })}, want: []error{entitlement.ErrUnknownRef}},
		{name: "no ID", reason: "a grant needs an ID",
			holder: "alice", grants: []entitlement.Grant{with(func(g *entitlement.Grant) { g.ID = "" })}, want: []error{entitlement.ErrRequired}},
		{name: "twice in the proposal", reason: "two proposed grants with one ID",
			holder: "alice", grants: []entitlement.Grant{ok, ok}, want: []error{entitlement.ErrDuplicate}},
		{name: "ID of a held grant", reason: "a proposal must not take the ID of a grant the inventory has",
			holder: "alice", grants: []entitlement.Grant{with(func(g *entitlement.Grant) { g.ID = "g-2" })}, want: []error{entitlement.ErrDuplicate}},
		{name: "time order", reason: "approval before the request",
			holder: "alice", grants: []entitlement.Grant{with(func(g *entitlement.Grant) {
				g.Approvals = []entitlement.Approval{{By: "fiona", At: at.Add(-time.Hour)}}
			})}, want: []error{entitlement.ErrTimeOrder}},
		{name: "revocation on an active grant", reason: "state and steps disagree",
			holder: "alice", grants: []entitlement.Grant{with(func(g *entitlement.Grant) { g.Revoked = entitlement.Event{By: "fiona", At: at} })},
			want: []error{entitlement.ErrConflict}},
	}
	x, err := entitlement.NewIndex(exampleInventory())
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := entitlement.Errors(x.ValidateGrants(tt.holder, tt.grants))
			require.Len(t, errs, len(tt.want), "%s: %v", tt.reason, errs)
			for i, w := range tt.want {
				require.ErrorIs(t, errs[i], w, tt.reason)
				var re *entitlement.RecordError
				require.True(t, errors.As(errs[i], &re), "a *RecordError names the record and field")
			}
		})
	}
}
