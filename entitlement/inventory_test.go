package entitlement_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

// day is a convenient unit; t0 is the start of the test calendar.
const day = 24 * time.Hour

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// org returns a small valid inventory the validation cases vary: two
// parties, three entitlements, a role hierarchy, two people and a service
// account owned by one of them.
func org() *entitlement.Inventory {
	return &entitlement.Inventory{
		Parties: []entitlement.Party{
			{ID: "iam", Function: entitlement.IdentityGovernance},
			{ID: "ap", Function: entitlement.Business, Members: []string{"bob"}},
		},
		Entitlements: []entitlement.Entitlement{
			{ID: "erp:vendor.create", Risk: entitlement.RiskHigh, PolicyOwner: "iam", ApprovalPath: []string{"ap", "iam"}},
			{ID: "erp:payment.release", Risk: entitlement.RiskCritical, Privileged: true, MaxDuration: 30 * day},
			{ID: "erp:report.view", System: "erp", Risk: entitlement.RiskLow, Standard: true},
		},
		Roles: []entitlement.Role{
			{ID: "base", Entitlements: []string{"erp:report.view"}},
			{ID: "clerk", Owner: "ap", Entitlements: []string{"erp:vendor.create"}, Inherits: []string{"base"}},
			{ID: "senior", Inherits: []string{"clerk"}, Entitlements: []string{"erp:payment.release"}},
		},
		Identities: []entitlement.Identity{
			{ID: "alice", Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: "ap", Manager: "bob",
				Grants: []entitlement.Grant{{
					ID: "g-1", Role: "clerk", State: entitlement.GrantActive, Source: entitlement.SourceStandard,
					Requested:   entitlement.Event{By: "alice", At: t0},
					Approvals:   []entitlement.Approval{{By: "bob", At: t0.Add(time.Hour), Stage: "ap"}},
					Provisioned: entitlement.Event{By: "bob", At: t0.Add(2 * time.Hour)},
					Certified:   entitlement.Event{By: "bob", At: t0.Add(90 * day)},
					Expires:     t0.Add(365 * day),
				}}},
			{ID: "bob", Kind: entitlement.Human, Status: entitlement.IdentityActive},
			{ID: "svc", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "alice", SecondaryOwner: "bob",
				Credential: entitlement.Credential{Created: t0, Rotated: t0.Add(30 * day), Expires: t0.Add(365 * day)},
				Grants: []entitlement.Grant{{
					ID: "g-2", Entitlement: "erp:payment.release", State: entitlement.GrantActive, Eligible: true,
					Source:      entitlement.SourceJustInTime,
					Provisioned: entitlement.Event{By: "bob", At: t0},
					Activations: []entitlement.Activation{{Start: t0.Add(day), End: t0.Add(day + time.Hour)}},
					Expires:     t0.Add(30 * day),
				}}},
		},
		Observations: []entitlement.Observation{{Identity: "ghost", Entitlement: "erp:unknown", SeenAt: t0}},
		Usage:        []entitlement.Usage{{Identity: "svc", At: t0, Application: "batch", Environment: "prod"}},
	}
}

// problem is one RecordError a validation must report.
type problem struct {
	is     error
	record string // RecordError.Record()
	field  string
}

func (p problem) String() string { return fmt.Sprintf("%s: field %s: %v", p.record, p.field, p.is) }

var sentinels = []error{entitlement.ErrRequired, entitlement.ErrInvalid, entitlement.ErrDuplicate,
	entitlement.ErrUnknownRef, entitlement.ErrCycle, entitlement.ErrTimeOrder, entitlement.ErrConflict,
	entitlement.ErrTooLong}

// problemsOf flattens a validation error, checking that each part is a
// *RecordError wrapping exactly one sentinel.
func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	for _, e := range entitlement.Errors(err) {
		re, ok := errors.AsType[*entitlement.RecordError](e)
		require.True(t, ok, "%v is a *RecordError", e)
		p := problem{record: re.Record(), field: re.Field}
		for _, s := range sentinels {
			if errors.Is(e, s) {
				require.Nil(t, p.is, "%v wraps two sentinels", e)
				p.is = s
			}
		}
		require.NotNil(t, p.is, "%v wraps a sentinel", e)
		require.Empty(t, re.File, "records built in Go have no file")
		out = append(out, p.String())
	}
	return out
}

func strs(ps []problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func TestValidateOrg(t *testing.T) {
	require.NoError(t, org().Validate())
	var zero entitlement.Inventory
	require.NoError(t, zero.Validate(), "the zero inventory is empty and valid")
	x, err := entitlement.NewIndex(nil)
	require.NoError(t, err, "a nil inventory is the empty one")
	_, ok := x.Identity("anyone")
	require.False(t, ok)
}

func TestValidate(t *testing.T) {
	grant := func(inv *entitlement.Inventory) *entitlement.Grant { return &inv.Identities[0].Grants[0] }
	tests := []struct {
		name   string
		change func(inv *entitlement.Inventory)
		want   []problem
		reason string
	}{
		// Duplicates.
		{"duplicate party", func(inv *entitlement.Inventory) {
			inv.Parties = append(inv.Parties, entitlement.Party{ID: "iam"})
		}, []problem{{entitlement.ErrDuplicate, "party iam", "id"}}, "party IDs are unique"},
		{"duplicate entitlement", func(inv *entitlement.Inventory) {
			inv.Entitlements = append(inv.Entitlements, entitlement.Entitlement{ID: "erp:vendor.create"})
		}, []problem{{entitlement.ErrDuplicate, "entitlement erp:vendor.create", "id"}}, "entitlement IDs are unique"},
		{"duplicate role", func(inv *entitlement.Inventory) {
			inv.Roles = append(inv.Roles, entitlement.Role{ID: "base"})
		}, []problem{{entitlement.ErrDuplicate, "role base", "id"}}, "role IDs are unique"},
		{"duplicate identity", func(inv *entitlement.Inventory) {
			inv.Identities = append(inv.Identities, entitlement.Identity{ID: "bob", Kind: entitlement.Human, Status: entitlement.IdentityActive})
		}, []problem{{entitlement.ErrDuplicate, "identity bob", "id"}}, "identity IDs are unique"},
		{"duplicate grant across identities", func(inv *entitlement.Inventory) {
			inv.Identities[1].Grants = []entitlement.Grant{{ID: "g-1", Entitlement: "erp:report.view", State: entitlement.GrantActive}}
		}, []problem{{entitlement.ErrDuplicate, "grant g-1 of identity bob", "id"}}, "grant IDs are unique in the whole inventory"},
		{"repeated list entries", func(inv *entitlement.Inventory) {
			inv.Roles[1].Entitlements = append(inv.Roles[1].Entitlements, "erp:vendor.create")
			inv.Roles[2].Inherits = append(inv.Roles[2].Inherits, "clerk")
			inv.Entitlements[0].ApprovalPath = append(inv.Entitlements[0].ApprovalPath, "ap")
			inv.Parties[1].Members = append(inv.Parties[1].Members, "bob")
		}, []problem{
			{entitlement.ErrDuplicate, "party ap", "members[1]"},
			{entitlement.ErrDuplicate, "entitlement erp:vendor.create", "approval_path[2]"},
			{entitlement.ErrDuplicate, "role clerk", "entitlements[1]"},
			{entitlement.ErrDuplicate, "role senior", "inherits[1]"},
		}, "a list names each entry once"},

		// Missing IDs and required fields.
		{"missing IDs", func(inv *entitlement.Inventory) {
			inv.Parties = append(inv.Parties, entitlement.Party{Members: []string{"nobody"}})
			inv.Entitlements = append(inv.Entitlements, entitlement.Entitlement{PolicyOwner: "nobody"})
			inv.Roles = append(inv.Roles, entitlement.Role{})
			inv.Identities = append(inv.Identities, entitlement.Identity{Kind: entitlement.Human, Status: entitlement.IdentityActive,
				Grants: []entitlement.Grant{{Entitlement: "erp:report.view", State: entitlement.GrantActive}}})
		}, []problem{
			{entitlement.ErrRequired, "party #2", "id"},
			{entitlement.ErrRequired, "entitlement #3", "id"},
			{entitlement.ErrRequired, "role #3", "id"},
			{entitlement.ErrRequired, "identity #3", "id"},
			{entitlement.ErrUnknownRef, "party #2", "members[0]"},
			{entitlement.ErrUnknownRef, "entitlement #3", "policy_owner"},
			{entitlement.ErrRequired, "grant #0 of identity #3", "id"},
		}, "a record without an ID is named by its position"},
		{"unset enumerations", func(inv *entitlement.Inventory) {
			inv.Identities[1].Kind, inv.Identities[1].Status = 0, 0
			grant(inv).State = 0
		}, []problem{
			{entitlement.ErrRequired, "grant g-1 of identity alice", "state"},
			{entitlement.ErrRequired, "identity bob", "kind"},
			{entitlement.ErrRequired, "identity bob", "status"},
		}, "an identity of unknown nature or a grant of unknown state is never guessed"},
		{"out-of-range enumerations", func(inv *entitlement.Inventory) {
			inv.Parties[0].Function = 99
			inv.Entitlements[0].Risk = 99
			inv.Identities[1].Kind, inv.Identities[1].Status = 99, 99
			grant(inv).State, grant(inv).Source = 99, 99
		}, []problem{
			{entitlement.ErrInvalid, "party iam", "function"},
			{entitlement.ErrInvalid, "entitlement erp:vendor.create", "risk"},
			{entitlement.ErrInvalid, "grant g-1 of identity alice", "state"},
			{entitlement.ErrInvalid, "grant g-1 of identity alice", "source"},
			{entitlement.ErrInvalid, "identity bob", "kind"},
			{entitlement.ErrInvalid, "identity bob", "status"},
		}, "values outside an enumeration are invalid"},
		{"grant without a target", func(inv *entitlement.Inventory) {
			grant(inv).Role = ""
		}, []problem{{entitlement.ErrRequired, "grant g-1 of identity alice", "entitlement"}}, "a grant targets something"},
		{"grant with two targets", func(inv *entitlement.Inventory) {
			grant(inv).Entitlement = "erp:report.view"
		}, []problem{{entitlement.ErrConflict, "grant g-1 of identity alice", "role"}}, "a grant targets one thing"},
		{"empty list entries", func(inv *entitlement.Inventory) {
			inv.Roles[0].Entitlements = []string{""}
			inv.Roles[0].Inherits = []string{""}
			inv.Entitlements[2].ApprovalPath = []string{""}
			inv.Parties[0].Members = []string{""}
			grant(inv).Approvals[0].By = ""
		}, []problem{
			{entitlement.ErrRequired, "party iam", "members[0]"},
			{entitlement.ErrRequired, "entitlement erp:report.view", "approval_path[0]"},
			{entitlement.ErrRequired, "role base", "entitlements[0]"},
			{entitlement.ErrRequired, "role base", "inherits[0]"},
			{entitlement.ErrRequired, "grant g-1 of identity alice", "approvals[0].by"},
		}, "an empty reference is missing, not a reference to nothing"},
		{"observation and usage without names or times", func(inv *entitlement.Inventory) {
			inv.Observations = append(inv.Observations, entitlement.Observation{})
			inv.Usage = append(inv.Usage, entitlement.Usage{})
		}, []problem{
			{entitlement.ErrRequired, "observation #1", "identity"},
			{entitlement.ErrRequired, "observation #1", "entitlement"},
			{entitlement.ErrRequired, "observation #1", "seen_at"},
			{entitlement.ErrRequired, "usage #1", "identity"},
			{entitlement.ErrRequired, "usage #1", "at"},
		}, "observations may name unknown records (that is drift) but need names and a time"},

		// Dangling references.
		{"dangling references", func(inv *entitlement.Inventory) {
			inv.Entitlements[0].PolicyOwner = "legal"
			inv.Entitlements[0].Fulfiller = "ops"
			inv.Entitlements[0].ApprovalPath[0] = "cfo"
			inv.Roles[1].Owner = "hr"
			inv.Roles[1].Entitlements[0] = "erp:vendor.delete"
			inv.Roles[2].Inherits[0] = "clark"
			inv.Identities[0].Team = "payables"
			inv.Identities[0].Manager = "carol"
			g := grant(inv)
			g.Role = "clerks"
			g.Requested.By = "mallory"
			g.Approvals[0].By, g.Approvals[0].Stage = "trent", "board"
			g.Provisioned.By = "eve"
			g.Certified.By = "oscar"
			inv.Identities[2].Grants[0].Entitlement = "erp:payment.relase"
		}, []problem{
			{entitlement.ErrUnknownRef, "entitlement erp:vendor.create", "policy_owner"},
			{entitlement.ErrUnknownRef, "entitlement erp:vendor.create", "fulfiller"},
			{entitlement.ErrUnknownRef, "entitlement erp:vendor.create", "approval_path[0]"},
			{entitlement.ErrUnknownRef, "role clerk", "owner"},
			{entitlement.ErrUnknownRef, "role clerk", "entitlements[0]"},
			{entitlement.ErrUnknownRef, "role senior", "inherits[0]"},
			{entitlement.ErrUnknownRef, "identity alice", "team"},
			{entitlement.ErrUnknownRef, "identity alice", "manager"},
			{entitlement.ErrUnknownRef, "grant g-1 of identity alice", "role"},
			{entitlement.ErrUnknownRef, "grant g-1 of identity alice", "requested.by"},
			{entitlement.ErrUnknownRef, "grant g-1 of identity alice", "approvals[0].by"},
			{entitlement.ErrUnknownRef, "grant g-1 of identity alice", "approvals[0].stage"},
			{entitlement.ErrUnknownRef, "grant g-1 of identity alice", "provisioned.by"},
			{entitlement.ErrUnknownRef, "grant g-1 of identity alice", "certified.by"},
			{entitlement.ErrUnknownRef, "grant g-2 of identity svc", "entitlement"},
		}, "every reference must resolve, and each is reported"},
		{"unknown approver after several approvals", func(inv *entitlement.Inventory) {
			g := grant(inv)
			known := g.Approvals[0]
			g.Approvals = []entitlement.Approval{known, known, known, known, known, known}
			g.Approvals[5].By = "mallory"
		}, []problem{
			{entitlement.ErrUnknownRef, "grant g-1 of identity alice", "approvals[5].by"},
		}, "approvals beyond the first few are named by index too"},

		// Role cycles.
		{"self-inheritance", func(inv *entitlement.Inventory) {
			inv.Roles[0].Inherits = []string{"base"}
		}, []problem{{entitlement.ErrCycle, "role base", "inherits"}}, "a role cannot inherit itself"},
		{"three-role cycle", func(inv *entitlement.Inventory) {
			inv.Roles[0].Inherits = []string{"senior"}
		}, []problem{{entitlement.ErrCycle, "role base", "inherits"}}, "base → senior → clerk → base, reported once"},
		{"two cycles", func(inv *entitlement.Inventory) {
			inv.Roles = append(inv.Roles,
				entitlement.Role{ID: "x", Inherits: []string{"y"}},
				entitlement.Role{ID: "y", Inherits: []string{"x", "z"}},
				entitlement.Role{ID: "z", Inherits: []string{"y"}})
		}, []problem{
			{entitlement.ErrCycle, "role x", "inherits"},
			{entitlement.ErrCycle, "role y", "inherits"},
		}, "independent cycles are each reported"},

		// Impossible times.
		{"approval before request", func(inv *entitlement.Inventory) {
			grant(inv).Approvals[0].At = t0.Add(-time.Minute)
		}, []problem{{entitlement.ErrTimeOrder, "grant g-1 of identity alice", "approvals[0].at"}}, "nobody approves what was not asked for"},
		{"provisioning before approval", func(inv *entitlement.Inventory) {
			grant(inv).Provisioned.At = t0.Add(30 * time.Minute)
		}, []problem{{entitlement.ErrTimeOrder, "grant g-1 of identity alice", "provisioned.at"}}, "provisioning follows the last approval"},
		{"provisioning before request", func(inv *entitlement.Inventory) {
			grant(inv).Approvals = nil
			grant(inv).Provisioned.At = t0.Add(-time.Hour)
		}, []problem{{entitlement.ErrTimeOrder, "grant g-1 of identity alice", "provisioned.at"}}, "provisioning follows the request"},
		{"expiry before start", func(inv *entitlement.Inventory) {
			grant(inv).Expires = t0
		}, []problem{{entitlement.ErrTimeOrder, "grant g-1 of identity alice", "expires"}}, "a grant ends after it starts"},
		{"expiry at start", func(inv *entitlement.Inventory) {
			grant(inv).Start = t0.Add(10 * day)
			grant(inv).Expires = t0.Add(10 * day)
		}, []problem{{entitlement.ErrTimeOrder, "grant g-1 of identity alice", "expires"}}, "an empty interval is impossible too"},
		{"revocation before provisioning", func(inv *entitlement.Inventory) {
			g := grant(inv)
			g.State = entitlement.GrantRevoked
			g.Revoked = entitlement.Event{By: "bob", At: t0.Add(90 * time.Minute)}
		}, []problem{{entitlement.ErrTimeOrder, "grant g-1 of identity alice", "revoked.at"}}, "revocation follows provisioning"},
		{"certification before provisioning", func(inv *entitlement.Inventory) {
			grant(inv).Certified.At = t0
		}, []problem{{entitlement.ErrTimeOrder, "grant g-1 of identity alice", "certified.at"}}, "nobody certifies what is not there"},
		{"credential times", func(inv *entitlement.Inventory) {
			c := &inv.Identities[2].Credential
			c.Rotated, c.Expires = t0.Add(-day), t0.Add(-day)
		}, []problem{
			{entitlement.ErrTimeOrder, "identity svc", "credential.rotated"},
			{entitlement.ErrTimeOrder, "identity svc", "credential.expires"},
		}, "a secret is rotated and expires after it is created"},
		{"activation problems", func(inv *entitlement.Inventory) {
			g := &inv.Identities[2].Grants[0]
			g.Activations = []entitlement.Activation{
				{Start: t0.Add(-day)},
				{Start: t0.Add(2 * day), End: t0.Add(2 * day)},
				{End: t0.Add(3 * day)},
			}
		}, []problem{
			{entitlement.ErrTimeOrder, "grant g-2 of identity svc", "activations[0].start"},
			{entitlement.ErrTimeOrder, "grant g-2 of identity svc", "activations[1].end"},
			{entitlement.ErrRequired, "grant g-2 of identity svc", "activations[2].start"},
		}, "activations start after the grant and end after they start"},
		{"negative durations", func(inv *entitlement.Inventory) {
			inv.Entitlements[1].MaxDuration = -day
			inv.Entitlements[1].RecertifyEvery = -day
		}, []problem{
			{entitlement.ErrInvalid, "entitlement erp:payment.release", "max_duration"},
			{entitlement.ErrInvalid, "entitlement erp:payment.release", "recertify_every"},
		}, "durations are not negative"},

		// State conflicts.
		{"requested with approvals", func(inv *entitlement.Inventory) {
			grant(inv).State = entitlement.GrantRequested
		}, []problem{
			{entitlement.ErrConflict, "grant g-1 of identity alice", "approvals"},
			{entitlement.ErrConflict, "grant g-1 of identity alice", "provisioned"},
		}, "a requested grant has no approval or provisioning yet"},
		{"approved but provisioned", func(inv *entitlement.Inventory) {
			grant(inv).State = entitlement.GrantApproved
		}, []problem{{entitlement.ErrConflict, "grant g-1 of identity alice", "provisioned"}}, "an approved grant is not provisioned yet"},
		{"active but revoked", func(inv *entitlement.Inventory) {
			grant(inv).Revoked = entitlement.Event{By: "bob", At: t0.Add(100 * day)}
		}, []problem{{entitlement.ErrConflict, "grant g-1 of identity alice", "revoked"}}, "an active grant records no revocation"},
		{"expired but revoked", func(inv *entitlement.Inventory) {
			grant(inv).State = entitlement.GrantExpired
			grant(inv).Revoked = entitlement.Event{By: "bob"}
		}, []problem{{entitlement.ErrConflict, "grant g-1 of identity alice", "revoked"}}, "an expired grant was not revoked"},
		{"activations on a standing grant", func(inv *entitlement.Inventory) {
			grant(inv).Activations = []entitlement.Activation{{Start: t0.Add(3 * time.Hour)}}
		}, []problem{{entitlement.ErrConflict, "grant g-1 of identity alice", "activations"}}, "only eligible grants are activated"},
		{"entitlement system mismatch", func(inv *entitlement.Inventory) {
			inv.Entitlements[2].System = "crm"
		}, []problem{{entitlement.ErrConflict, "entitlement erp:report.view", "system"}}, "System repeats the ID's prefix"},
		{"entitlement ID not qualified", func(inv *entitlement.Inventory) {
			inv.Entitlements = append(inv.Entitlements, entitlement.Entitlement{ID: "vendor.create"},
				entitlement.Entitlement{ID: ":x"}, entitlement.Entitlement{ID: "erp:"})
		}, []problem{
			{entitlement.ErrInvalid, "entitlement vendor.create", "id"},
			{entitlement.ErrInvalid, "entitlement :x", "id"},
			{entitlement.ErrInvalid, "entitlement erp:", "id"},
		}, "entitlement IDs are system:name"},

		// Owner rules.
		{"human with owner", func(inv *entitlement.Inventory) {
			inv.Identities[1].Owner = "alice"
		}, []problem{{entitlement.ErrConflict, "identity bob", "owner"}}, "people are not owned"},
		{"owner rules of non-human identities", func(inv *entitlement.Inventory) {
			inv.Identities[2].Owner = "svc"
			inv.Identities[2].SecondaryOwner = "svc"
		}, []problem{
			{entitlement.ErrInvalid, "identity svc", "owner"},
			{entitlement.ErrInvalid, "identity svc", "secondary_owner"},
			{entitlement.ErrDuplicate, "identity svc", "secondary_owner"},
		}, "an identity does not own itself, and its two owners differ"},
		{"secondary owner alone", func(inv *entitlement.Inventory) {
			inv.Identities[2].Owner = ""
		}, []problem{{entitlement.ErrRequired, "identity svc", "owner"}}, "a secondary owner needs a primary"},
		{"unknown owner", func(inv *entitlement.Inventory) {
			inv.Identities[2].SecondaryOwner = "carol"
		}, []problem{{entitlement.ErrUnknownRef, "identity svc", "secondary_owner"}}, "owners are identities"},
		{"own manager", func(inv *entitlement.Inventory) {
			inv.Identities[1].Manager = "bob"
		}, []problem{{entitlement.ErrInvalid, "identity bob", "manager"}}, "nobody manages themselves"},

		// Everything at once.
		{"all at once", func(inv *entitlement.Inventory) {
			inv.Parties = append(inv.Parties, entitlement.Party{ID: "ap"})
			inv.Roles[0].Inherits = []string{"senior"}
			grant(inv).Approvals[0].At = t0.Add(-time.Minute)
			inv.Identities[1].Owner = "alice"
			inv.Identities[2].Grants[0].Entitlement = "erp:nope"
		}, []problem{
			{entitlement.ErrDuplicate, "party ap", "id"},
			{entitlement.ErrCycle, "role base", "inherits"},
			{entitlement.ErrTimeOrder, "grant g-1 of identity alice", "approvals[0].at"},
			{entitlement.ErrConflict, "identity bob", "owner"},
			{entitlement.ErrUnknownRef, "grant g-2 of identity svc", "entitlement"},
		}, "validation reports every problem, not the first"},
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

			x, err2 := entitlement.NewIndex(inv)
			require.Nil(t, x, "NewIndex returns no index for an invalid inventory")
			require.Equal(t, err.Error(), err2.Error(), "NewIndex reports what Validate reports")
		})
	}
}

func TestCycleNamesTheCycle(t *testing.T) {
	inv := org()
	inv.Roles[0].Inherits = []string{"senior"}
	err := inv.Validate()
	require.ErrorIs(t, err, entitlement.ErrCycle)
	require.ErrorContains(t, err, "role base: field inherits: role inheritance cycle: base → senior → clerk → base",
		"the cycle is named, starting from its smallest role")
}

func TestTimeOrderQuotesTimes(t *testing.T) {
	inv := org()
	inv.Identities[0].Grants[0].Approvals[0].At = t0.Add(-time.Minute)
	require.EqualError(t, inv.Validate(),
		"grant g-1 of identity alice: field approvals[0].at: impossible time order: approval (2026-01-05T08:59:00Z) is before the request (2026-01-05T09:00:00Z)")
}

func TestValidateDoesNotModify(t *testing.T) {
	inv := org()
	inv.Parties[1].Members = []string{"bob", "alice"}
	_, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	require.Equal(t, []string{"bob", "alice"}, inv.Parties[1].Members, "the caller's slices are not sorted in place")
}
