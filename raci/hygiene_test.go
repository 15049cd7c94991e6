package raci_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

// privilegedGrant gives svc-1 a properly approved grant of erp:pay.release
// provisioned at the given time and recertified yesterday, and drops its
// usage records.
func privilegedGrant(provisioned time.Time) func(*entitlement.Inventory) {
	return func(inv *entitlement.Inventory) {
		id := identity(inv, "svc-1")
		id.Grants = append(id.Grants, entitlement.Grant{ID: "g-4", Entitlement: "erp:pay.release", State: entitlement.GrantActive,
			Approvals:   []entitlement.Approval{{By: "fiona", Stage: "biz"}, {By: "ines", Stage: "iam"}},
			Provisioned: entitlement.Event{By: "hugo", At: provisioned}, Expires: at.Add(30 * day),
			Certified: entitlement.Event{By: "ines", At: ago(day)}})
		inv.Usage = nil
	}
}

func TestHygieneChecks(t *testing.T) {
	svc := func(f func(*entitlement.Identity)) func(*entitlement.Inventory, *raci.Config) {
		return func(inv *entitlement.Inventory, _ *raci.Config) { f(identity(inv, "svc-1")) }
	}
	use := func(u entitlement.Usage) func(*entitlement.Inventory, *raci.Config) {
		return func(inv *entitlement.Inventory, _ *raci.Config) {
			if u.Identity == "" {
				u.Identity = "svc-1"
			}
			if u.At.IsZero() {
				u.At = ago(2 * day)
			}
			inv.Usage = append(inv.Usage, u)
		}
	}
	both := func(fs ...func(*entitlement.Inventory, *raci.Config)) func(*entitlement.Inventory, *raci.Config) {
		return func(inv *entitlement.Inventory, c *raci.Config) {
			for _, f := range fs {
				f(inv, c)
			}
		}
	}
	tests := []struct {
		name   string
		mutate func(*entitlement.Inventory, *raci.Config)
		want   []string
		reason string
	}{
		{
			name:   "credential too old",
			mutate: svc(func(id *entitlement.Identity) { id.Credential.Created = ago(100 * day) }),
			want:   []string{"raci.credential-too-old identity svc-1"},
			reason: "OWASP NHI7: a secret past the 90-day default maximum",
		},
		{
			name: "rotation restarts the age",
			mutate: svc(func(id *entitlement.Identity) {
				id.Credential.Created, id.Credential.Rotated = ago(400*day), ago(10*day)
			}),
			want:   nil,
			reason: "age counts from the last rotation",
		},
		{
			name:   "exactly the maximum age",
			mutate: svc(func(id *entitlement.Identity) { id.Credential.Created = ago(90 * day) }),
			want:   nil,
			reason: "a secret is too old only once its age exceeds the maximum",
		},
		{
			name:   "age unknown",
			mutate: svc(func(id *entitlement.Identity) { id.Credential.Created = time.Time{} }),
			want:   []string{"raci.credential-too-old identity svc-1"},
			reason: "an undated secret fails closed, at medium severity",
		},
		{
			name:   "policy maximum",
			mutate: func(_ *entitlement.Inventory, c *raci.Config) { c.Policy.MaxCredentialAge = 10 * day },
			want:   []string{"raci.credential-too-old identity svc-1"},
			reason: "the policy sets the maximum age",
		},
		{
			name:   "no expiry",
			mutate: svc(func(id *entitlement.Identity) { id.Credential.Expires = time.Time{} }),
			want:   []string{"raci.credential-no-expiry identity svc-1"},
			reason: "OWASP NHI7: a secret that never expires",
		},
		{
			name: "disabled identity's credential",
			mutate: svc(func(id *entitlement.Identity) {
				id.Status, id.Credential = entitlement.IdentityDisabled, entitlement.Credential{Created: ago(400 * day)}
			}),
			want:   nil,
			reason: "the credential checks look at identities that can authenticate",
		},
		{
			name:   "used in a second environment",
			mutate: use(entitlement.Usage{Environment: "test", Application: "billing"}),
			want:   []string{"raci.environment-reuse identity svc-1"},
			reason: "OWASP NHI8: one identity in test and production",
		},
		{
			name: "declared and used environments differ",
			mutate: svc(func(id *entitlement.Identity) {
				id.Environment = "test"
			}),
			want:   []string{"raci.environment-reuse identity svc-1"},
			reason: "a test identity used in production counts",
		},
		{
			name:   "usage after the evaluation time",
			mutate: use(entitlement.Usage{Environment: "test", At: at.Add(time.Hour)}),
			want:   nil,
			reason: "usage records dated after the evaluation time have not happened yet",
		},
		{
			name:   "used by a second application",
			mutate: use(entitlement.Usage{Environment: "prod", Application: "reporting"}),
			want:   []string{"raci.application-reuse identity svc-1"},
			reason: "OWASP NHI9: one identity shared by two applications",
		},
		{
			name:   "used by a person",
			mutate: use(entitlement.Usage{Environment: "prod", Application: "billing", Actor: "alice"}),
			want:   []string{"raci.human-use identity svc-1"},
			reason: "OWASP NHI10: a person behind a machine identity, even its owner",
		},
		{
			name:   "used by an unknown actor",
			mutate: use(entitlement.Usage{Actor: "mallory"}),
			want:   []string{"raci.human-use identity svc-1"},
			reason: "an actor the inventory does not know fails closed as a person",
		},
		{
			name:   "actor is the identity itself",
			mutate: use(entitlement.Usage{Actor: "svc-1"}),
			want:   nil,
			reason: "an identity acting as itself is not human use",
		},
		{
			name: "a person's usage",
			mutate: both(use(entitlement.Usage{Identity: "alice", Environment: "test", Application: "a"}),
				use(entitlement.Usage{Identity: "alice", Environment: "prod", Application: "b"})),
			want:   nil,
			reason: "people work in several environments and applications; the reuse checks are about machine identities",
		},
		{
			name: "dormant with privileged access",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				privilegedGrant(ago(200 * day))(inv)
				identity(inv, "svc-1").LastUsed = ago(100 * day)
			},
			want:   []string{"raci.dormant-privileged identity svc-1"},
			reason: "unused for 100 days and still able to release payments",
		},
		{
			name: "dormant exactly at the threshold",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				privilegedGrant(ago(200 * day))(inv)
				identity(inv, "svc-1").LastUsed = ago(90 * day)
			},
			want:   []string{"raci.dormant-privileged identity svc-1"},
			reason: "dormancy starts when the last use is DormantAfter old",
		},
		{
			name: "a recent usage record keeps it awake",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				privilegedGrant(ago(200 * day))(inv)
				identity(inv, "svc-1").LastUsed = ago(100 * day)
				inv.Usage = []entitlement.Usage{{Identity: "svc-1", At: ago(day)}}
			},
			want:   nil,
			reason: "the last use is the later of last_used and the usage records",
		},
		{
			name: "never used, privileged for long",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				privilegedGrant(ago(100 * day))(inv)
				identity(inv, "svc-1").LastUsed = time.Time{}
			},
			want:   []string{"raci.dormant-privileged identity svc-1"},
			reason: "no use recorded in the 100 days since the privileged access began",
		},
		{
			name: "never used, privileged recently",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				privilegedGrant(ago(10 * day))(inv)
				identity(inv, "svc-1").LastUsed = time.Time{}
			},
			want:   nil,
			reason: "a new identity is not dormant yet",
		},
		{
			name: "never used, privileged since a time not recorded",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				privilegedGrant(time.Time{})(inv)
				identity(inv, "svc-1").LastUsed = time.Time{}
			},
			want:   []string{"raci.dormant-privileged identity svc-1"},
			reason: "with nothing to date it by, it fails closed",
		},
		{
			name: "dormant without privileged access",
			mutate: func(inv *entitlement.Inventory, _ *raci.Config) {
				identity(inv, "svc-1").LastUsed = ago(300 * day)
				inv.Usage = nil
			},
			want:   nil,
			reason: "dormant ordinary access is for recertification to clean up",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summary(check(t, tt.mutate))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestCredentialSeverity(t *testing.T) {
	tests := []struct {
		name    string
		created time.Time
		want    audit.Severity
		reason  string
	}{
		{"known age", ago(100 * day), audit.High, "a secret known to be too old is high"},
		{"unknown age", time.Time{}, audit.Medium, "an undated secret is medium: it may be fine"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := check(t, func(inv *entitlement.Inventory, _ *raci.Config) {
				identity(inv, "svc-1").Credential.Created = tt.created
			})
			require.Len(t, fs, 1)
			require.Equal(t, tt.want, fs[0].Severity, tt.reason)
		})
	}
}
