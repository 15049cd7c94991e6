package scan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
)

// ownerBundle has one record for each turn of the owner rule: owners who
// can act, owners who left, parties with and without an active member.
const ownerBundle = `{
  "format": "sodkit.bundle/v1",
  "as_of": "2026-11-01T09:00:00Z",
  "parties": [
    {"id": "finance", "function": "business"},
    {"id": "iam", "function": "identity_governance", "members": ["ines"]},
    {"id": "sec", "function": "security", "members": ["sam"]},
    {"id": "gone", "function": "business", "members": ["carl"]},
    {"id": "bots", "function": "it_operations", "members": ["svc-a"]},
    {"id": "empty", "function": "business"}
  ],
  "entitlements": [
    {"id": "erp:x", "policy_owner": "iam", "fulfiller": "iam"},
    {"id": "erp:y", "policy_owner": "gone", "fulfiller": "iam"},
    {"id": "erp:z", "fulfiller": "iam"},
    {"id": "erp:w", "policy_owner": "iam", "fulfiller": "iam"},
    {"id": "erp:v", "fulfiller": "iam"}
  ],
  "roles": [
    {"id": "r-owned", "owner": "iam", "entitlements": ["erp:x"]},
    {"id": "r-gone", "owner": "gone", "entitlements": ["erp:x"]}
  ],
  "identities": [
    {"id": "ines", "kind": "human", "status": "active"},
    {"id": "sam", "kind": "human", "status": "active"},
    {"id": "fiona", "kind": "human", "status": "active", "team": "finance"},
    {"id": "carl", "kind": "human", "status": "offboarded", "team": "finance"},
    {"id": "alice", "kind": "human", "status": "active", "team": "finance", "manager": "fiona",
     "grants": [{"id": "g-1", "entitlement": "erp:x", "state": "active", "source": "standard"}]},
    {"id": "dora", "kind": "human", "status": "active", "team": "finance", "manager": "carl"},
    {"id": "bob", "kind": "human", "status": "active", "team": "empty"},
    {"id": "lone", "kind": "human", "status": "active"},
    {"id": "dan", "kind": "human", "status": "disabled", "team": "gone"},
    {"id": "svc-a", "kind": "service_account", "status": "active", "team": "finance", "owner": "carl", "secondary_owner": "ines"},
    {"id": "svc-b", "kind": "service_account", "status": "active", "team": "finance", "owner": "carl"},
    {"id": "svc-c", "kind": "service_account", "status": "active", "team": "bots", "owner": "svc-a"}
  ],
  "sod": {
    "duties": [{"id": "d1", "entitlements": ["erp:x"]}, {"id": "d2", "entitlements": ["erp:y"]}],
    "rules": [
      {"id": "R-1", "title": "one", "owner": "iam", "sides": [{"duty": "d1"}, {"duty": "d2"}]},
      {"id": "R-2", "title": "two", "owner": "gone", "sides": [{"duty": "d1"}, {"duty": "d2"}]}
    ],
    "exceptions": [
      {"id": "X-1", "rule": "R-1", "identity": "alice", "owner": "fiona", "approver": "ines",
       "approved_at": "2026-10-01T00:00:00Z", "reason": "r", "compensating_control": "c",
       "valid_from": "2026-10-01T00:00:00Z", "valid_until": "2026-12-01T00:00:00Z"}
    ]
  },
  "raci": {
    "overrides": [
      {"entitlement": "erp:w", "matrix": {"define_policy": {"responsible": ["iam"]}}},
      {"entitlement": "erp:v", "matrix": {"define_policy": {"accountable": ["sec"], "responsible": ["iam"]}}}
    ]
  },
  "breakglass": {
    "policy": {"controllers": ["gone", "sec"]},
    "accounts": [{"id": "svc-a", "owner": "ines", "controllers": ["iam"]}],
    "sessions": [
      {"id": "s-own", "identity": "alice", "controllers": ["carl", "sam"], "entitlements": ["erp:x"], "start": "2026-10-30T00:00:00Z"},
      {"id": "s-account", "identity": "alice", "account": "svc-a", "start": "2026-10-30T00:00:00Z"},
      {"id": "s-policy", "identity": "alice", "entitlements": ["erp:x"], "start": "2026-10-30T00:00:00Z"},
      {"id": "s-nobody", "identity": "alice", "controllers": ["carl"], "entitlements": ["erp:x"], "start": "2026-10-30T00:00:00Z"}
    ]
  }
}`

func TestOwnerRule(t *testing.T) {
	b, err := bundle.Load(bundle.Source{Name: "owners.json", Reader: strings.NewReader(ownerBundle)})
	require.NoError(t, err)
	o := newOwners(b)
	alice, ok := b.Index.Identity("alice")
	require.True(t, ok)

	tests := []struct {
		name    string
		reason  string
		subject audit.Subject
		want    string
	}{
		{"person's manager", "a person's manager is accountable for their access", audit.Subject{Type: "identity", ID: "alice"}, "fiona"},
		{"manager left", "an offboarded manager cannot act: the person's team can", audit.Subject{Type: "identity", ID: "dora"}, "finance"},
		{"no manager", "a person without a manager: their team", audit.Subject{Type: "identity", ID: "bob"}, "empty"},
		{"team gone", "a team with no active member cannot act", audit.Subject{Type: "identity", ID: "dan"}, ""},
		{"nobody", "a person with neither manager nor team has no owner", audit.Subject{Type: "identity", ID: "lone"}, ""},
		{"owner left", "an NHI whose owner left goes to its secondary owner", audit.Subject{Type: "identity", ID: "svc-a"}, "ines"},
		{"no secondary", "then to its team", audit.Subject{Type: "identity", ID: "svc-b"}, "finance"},
		{"machine owner", "a non-human owner cannot act; the team is a party of machines only", audit.Subject{Type: "identity", ID: "svc-c"}, ""},
		{"unknown identity", "an identity the inventory does not know", audit.Subject{Type: "identity", ID: "ghost"}, ""},
		{"grant after its holder passed", "a grant that was not kept has no holder to ask", audit.Subject{Type: "grant", ID: "g-1"}, ""},
		{"entitlement", "its policy owner", audit.Subject{Type: "entitlement", ID: "erp:x"}, "iam"},
		{"entitlement, owner gone", "a policy owner with no active member", audit.Subject{Type: "entitlement", ID: "erp:y"}, ""},
		{"entitlement, no owner", "no policy owner; the fulfiller is not accountable", audit.Subject{Type: "entitlement", ID: "erp:z"}, ""},
		{"entitlement, override", "a RACI override that replaces the policy row names nobody accountable", audit.Subject{Type: "entitlement", ID: "erp:w"}, ""},
		{"entitlement, override names one", "the accountable party the override names", audit.Subject{Type: "entitlement", ID: "erp:v"}, "sec"},
		{"unknown entitlement", "no record", audit.Subject{Type: "entitlement", ID: "erp:?"}, ""},
		{"role", "its owner", audit.Subject{Type: "role", ID: "r-owned"}, "iam"},
		{"role, owner gone", "an owning party with no active member", audit.Subject{Type: "role", ID: "r-gone"}, ""},
		{"rule", "its owner", audit.Subject{Type: "rule", ID: "R-1"}, "iam"},
		{"rule, owner gone", "a party with no active member", audit.Subject{Type: "rule", ID: "R-2"}, ""},
		{"exception", "its owner", audit.Subject{Type: "exception", ID: "X-1"}, "fiona"},
		{"session controllers", "the first of the session's controllers who can act", audit.Subject{Type: "session", ID: "s-own"}, "sam"},
		{"account controllers", "a session naming none: its account's", audit.Subject{Type: "session", ID: "s-account"}, "iam"},
		{"policy controllers", "a session naming none, with no account: the policy's, first who can act", audit.Subject{Type: "session", ID: "s-policy"}, "sec"},
		{"no controller can act", "then the user's owner", audit.Subject{Type: "session", ID: "s-nobody"}, "fiona"},
		{"unknown session", "no record", audit.Subject{Type: "session", ID: "s-?"}, ""},
		{"party", "a party names no owner", audit.Subject{Type: "party", ID: "iam"}, ""},
		{"system", "a system's RACI names no single owner", audit.Subject{Type: "system", ID: "erp"}, ""},
		{"account", "an account the inventory does not know", audit.Subject{Type: "account", ID: "temp-7"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, o.of(tt.subject), tt.reason)
			fs := []audit.Finding{{Subject: tt.subject}}
			o.finish(fs)
			require.Equal(t, tt.want, fs[0].Owner, "finish follows the same rule: %s", tt.reason)
		})
	}

	t.Run("grant while its holder passes", func(t *testing.T) {
		fs := []audit.Finding{{Subject: audit.Subject{Type: "grant", ID: "g-1"}}, {Subject: audit.Subject{Type: "identity", ID: "svc-a"}}}
		o.identity(fs, alice)
		require.Equal(t, "fiona", fs[0].Owner, "a grant's owner is its holder's")
		require.Equal(t, "ines", fs[1].Owner, "other subjects follow the rule")
	})
	t.Run("kept break-glass grant", func(t *testing.T) {
		k := newOwners(b)
		k.keep(entitlement.Identity{ID: "alice", Grants: []entitlement.Grant{
			{ID: "g-bg", Source: entitlement.SourceBreakGlass},
			{ID: "g-std", Source: entitlement.SourceStandard},
		}})
		fs := []audit.Finding{{Subject: audit.Subject{Type: "grant", ID: "g-bg"}}, {Subject: audit.Subject{Type: "grant", ID: "g-std"}}}
		k.finish(fs)
		require.Equal(t, "fiona", fs[0].Owner, "a break-glass grant Finish reports on keeps its holder")
		require.Empty(t, fs[1].Owner, "other grants are not kept (memory grows with identities, not grants)")
	})
}
