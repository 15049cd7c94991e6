package entitlement_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

// over returns a value one byte over limit.
func over(limit int) string { return strings.Repeat("x", limit+1) }

func TestValidateLengths(t *testing.T) {
	id, name, text := over(entitlement.MaxIDLength), over(entitlement.MaxNameLength), over(entitlement.MaxTextLength)
	grant := func(inv *entitlement.Inventory) *entitlement.Grant { return &inv.Identities[0].Grants[0] }
	tests := []struct {
		name   string
		change func(inv *entitlement.Inventory)
		want   []problem
		reason string
	}{
		{"record IDs", func(inv *entitlement.Inventory) {
			inv.Parties = append(inv.Parties, entitlement.Party{ID: id})
			inv.Entitlements = append(inv.Entitlements, entitlement.Entitlement{ID: "erp:" + id})
			inv.Roles = append(inv.Roles, entitlement.Role{ID: id})
			inv.Identities = append(inv.Identities, entitlement.Identity{ID: id, Kind: entitlement.Human, Status: entitlement.IdentityActive,
				Grants: []entitlement.Grant{{ID: id, Entitlement: "erp:report.view", State: entitlement.GrantActive}}})
		}, []problem{
			{entitlement.ErrTooLong, "party #2", "id"},
			{entitlement.ErrTooLong, "entitlement #3", "id"},
			{entitlement.ErrTooLong, "role #3", "id"},
			{entitlement.ErrTooLong, "identity #3", "id"},
			{entitlement.ErrTooLong, "grant #0 of identity #3", "id"},
		}, "a record whose ID is too long is named by its position, like one without an ID"},
		{"references", func(inv *entitlement.Inventory) {
			inv.Parties[0].Members = []string{id}
			e := &inv.Entitlements[0]
			e.PolicyOwner, e.Fulfiller, e.ApprovalPath[0] = id, id, id
			inv.Roles[1].Owner, inv.Roles[1].Entitlements[0] = id, id
			inv.Roles[2].Inherits[0] = id
			alice := &inv.Identities[0]
			alice.Team, alice.Manager = id, id
			svc := &inv.Identities[2]
			svc.Owner, svc.SecondaryOwner = id, id+"y"
			g := grant(inv)
			g.Role, g.Requested.By, g.Provisioned.By, g.Certified.By = id, id, id, id
			g.Approvals[0].By, g.Approvals[0].Stage = id, id
			svc.Grants[0].Entitlement = id
			inv.Observations[0] = entitlement.Observation{Identity: id, Entitlement: id, SeenAt: t0}
			inv.Usage[0].Identity, inv.Usage[0].Actor = id, id
		}, []problem{
			{entitlement.ErrTooLong, "party iam", "members[0]"},
			{entitlement.ErrTooLong, "entitlement erp:vendor.create", "policy_owner"},
			{entitlement.ErrTooLong, "entitlement erp:vendor.create", "fulfiller"},
			{entitlement.ErrTooLong, "entitlement erp:vendor.create", "approval_path[0]"},
			{entitlement.ErrTooLong, "role clerk", "owner"},
			{entitlement.ErrTooLong, "role clerk", "entitlements[0]"},
			{entitlement.ErrTooLong, "role senior", "inherits[0]"},
			{entitlement.ErrTooLong, "identity alice", "team"},
			{entitlement.ErrTooLong, "identity alice", "manager"},
			{entitlement.ErrTooLong, "identity svc", "owner"},
			{entitlement.ErrTooLong, "identity svc", "secondary_owner"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "role"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "requested.by"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "approvals[0].by"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "approvals[0].stage"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "provisioned.by"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "certified.by"},
			{entitlement.ErrTooLong, "grant g-2 of identity svc", "entitlement"},
			{entitlement.ErrTooLong, "observation #0", "identity"},
			{entitlement.ErrTooLong, "observation #0", "entitlement"},
			{entitlement.ErrTooLong, "usage #0", "identity"},
			{entitlement.ErrTooLong, "usage #0", "actor"},
		}, "a reference too long to be an ID is reported as such, not as a reference to nothing"},
		{"codes", func(inv *entitlement.Inventory) {
			inv.Entitlements[2].System, inv.Entitlements[2].Environment = id, id
			inv.Identities[1].Environment = id
			g := grant(inv)
			g.Scope, g.PolicyBasis = id, id
			inv.Usage[0].Application, inv.Usage[0].Environment = id, id
		}, []problem{
			{entitlement.ErrTooLong, "entitlement erp:report.view", "system"},
			{entitlement.ErrTooLong, "entitlement erp:report.view", "environment"},
			{entitlement.ErrTooLong, "identity bob", "environment"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "scope"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "policy_basis"},
			{entitlement.ErrTooLong, "usage #0", "application"},
			{entitlement.ErrTooLong, "usage #0", "environment"},
		}, "systems, environments, scopes and policy bases are identifiers too"},
		{"names and text", func(inv *entitlement.Inventory) {
			inv.Parties[0].Name = name
			inv.Entitlements[0].Name, inv.Entitlements[0].Description = name, text
			inv.Roles[0].Name, inv.Roles[0].Description = name, text
			inv.Identities[1].Name = name
			g := grant(inv)
			g.Ticket, g.Reason = text, text
		}, []problem{
			{entitlement.ErrTooLong, "party iam", "name"},
			{entitlement.ErrTooLong, "entitlement erp:vendor.create", "name"},
			{entitlement.ErrTooLong, "entitlement erp:vendor.create", "description"},
			{entitlement.ErrTooLong, "role base", "name"},
			{entitlement.ErrTooLong, "role base", "description"},
			{entitlement.ErrTooLong, "identity bob", "name"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "ticket"},
			{entitlement.ErrTooLong, "grant g-1 of identity alice", "reason"},
		}, "display names and free text have limits of their own"},
		{"repeated over-long entries", func(inv *entitlement.Inventory) {
			inv.Roles[0].Entitlements = []string{id, id}
		}, []problem{
			{entitlement.ErrTooLong, "role base", "entitlements[0]"},
			{entitlement.ErrTooLong, "role base", "entitlements[1]"},
		}, "an over-long entry is reported as too long each time, never quoted as a duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := org()
			tt.change(inv)
			err := inv.Validate()
			require.Error(t, err, tt.reason)
			got := problemsOf(t, err)
			want := strs(tt.want)
			slices.Sort(got)
			slices.Sort(want)
			require.Equal(t, want, got, tt.reason)
		})
	}
}

func TestValidateAtTheLimits(t *testing.T) {
	inv := org()
	long := strings.Repeat("x", entitlement.MaxIDLength)
	inv.Identities = append(inv.Identities, entitlement.Identity{ID: long, Kind: entitlement.Human, Status: entitlement.IdentityActive,
		Name: strings.Repeat("n", entitlement.MaxNameLength)})
	inv.Parties[1].Members = append(inv.Parties[1].Members, long)
	inv.Identities[0].Grants[0].Reason = strings.Repeat("r", entitlement.MaxTextLength)
	require.NoError(t, inv.Validate(), "values exactly at their limit are valid")
}

// TestValidateHugeValues is the regression test of issue 13: a 20 MB ID
// was valid, and became a 300 MB report. Now it fails validation quickly,
// with a short message naming the record and the field.
func TestValidateHugeValues(t *testing.T) {
	huge := strings.Repeat("a", 20<<20)
	tests := []struct {
		name   string
		change func(inv *entitlement.Inventory)
		want   string
		reason string
	}{
		{"identity ID", func(inv *entitlement.Inventory) {
			inv.Identities = append(inv.Identities, entitlement.Identity{ID: huge, Kind: entitlement.Human, Status: entitlement.IdentityActive})
		}, "identity #3: field id: ", "the record is named by its position"},
		{"entitlement name", func(inv *entitlement.Inventory) {
			inv.Entitlements[0].Name = huge
		}, "entitlement erp:vendor.create: field name: ", "the record keeps its own ID"},
		{"grant reference", func(inv *entitlement.Inventory) {
			inv.Identities[0].Grants[0].Requested.By = huge
		}, "grant g-1 of identity alice: field requested.by: ", "a reference is never quoted whole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := org()
			tt.change(inv)
			start := time.Now()
			err := inv.Validate()
			require.Error(t, err, "a 20 MB value is not valid")
			require.Less(t, time.Since(start), 5*time.Second, "validation does not linger on a huge value")
			msg := err.Error()
			require.Less(t, len(msg), 1024, "the message quotes only the start of the value")
			require.True(t, strings.HasPrefix(msg, tt.want), "%s: got %.200q", tt.reason, msg)
			require.Contains(t, msg, "20971520 bytes", "the message gives the length")
		})
	}
}

func TestCheckLength(t *testing.T) {
	tests := []struct {
		name   string
		v      string
		limit  int
		want   string // the error, "" for none
		reason string
	}{
		{"within", "abc", 3, "", "a value at its limit fits"},
		{"over", "abcd", 3, `too long: 4 bytes, over the limit of 3 (starts "abcd"…)`, "a short over-long value is quoted whole"},
		{"long", strings.Repeat("x", 100), 10, `too long: 100 bytes, over the limit of 10 (starts "` + strings.Repeat("x", 64) + `"…)`,
			"only the first 64 bytes are quoted"},
		{"rune boundary", "a" + strings.Repeat("é", 50), 10, `too long: 101 bytes, over the limit of 10 (starts "a` + strings.Repeat("é", 31) + `"…)`,
			"the quoted start is cut at a rune boundary, so it is valid UTF-8"},
		{"invisible characters", "bob\u200b" + strings.Repeat("x", 10), 10, `too long: 16 bytes, over the limit of 10 (starts "bob\u200b` + strings.Repeat("x", 10) + `"…)`,
			"invisible characters are quoted as escapes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := entitlement.CheckLength(tt.v, tt.limit)
			require.Equal(t, err, entitlement.CheckLength([]byte(tt.v), tt.limit), "strings and byte slices alike")
			if tt.want == "" {
				require.NoError(t, err, tt.reason)
				return
			}
			require.EqualError(t, err, tt.want, tt.reason)
			require.ErrorIs(t, err, entitlement.ErrTooLong)
			le, ok := errors.AsType[*entitlement.LengthError](err)
			require.True(t, ok)
			require.Equal(t, len(tt.v), le.Len)
			require.Equal(t, tt.limit, le.Limit)
			require.True(t, utf8.ValidString(le.Prefix), tt.reason)
			require.LessOrEqual(t, len(le.Prefix), 64)
		})
	}
}

// TestValidateGrantsLengths checks that a proposal's grants meet the limits
// as NewIndex applies them, and that an over-long holder is neither quoted
// whole nor taken for an unknown identity.
func TestValidateGrantsLengths(t *testing.T) {
	x, err := entitlement.NewIndex(org())
	require.NoError(t, err)
	id := over(entitlement.MaxIDLength)
	err = x.ValidateGrants(id, []entitlement.Grant{{ID: "g-9", Entitlement: id, State: entitlement.GrantActive}})
	require.Equal(t, []string{"identity (too long): field id: too long", "grant g-9 of identity (too long): field entitlement: too long"}, problemsOf(t, err))
	require.Less(t, len(err.Error()), 1024, "the message quotes a prefix, not the value")
}
