package breakglass_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/entitlement"
)

func TestValidate(t *testing.T) {
	x := fixture(t)
	type problem struct {
		typ, id, field string
		err            error
	}
	tests := []struct {
		name   string
		reason string
		cfg    func() breakglass.Config
		want   []problem
	}{
		{
			name:   "valid",
			reason: "the base configuration and a clean session are valid",
			cfg:    func() breakglass.Config { return baseConfig(sess("s1", "alice", 0)) },
		},
		{
			name:   "zero config",
			reason: "no accounts and no sessions is valid",
			cfg:    func() breakglass.Config { return breakglass.Config{} },
		},
		{
			name:   "zero session",
			reason: "a zero session names no ID, identity, access or start",
			cfg:    func() breakglass.Config { return baseConfig(breakglass.Session{}) },
			want: []problem{
				{"session", "#0", "id", entitlement.ErrRequired},
				{"session", "#0", "identity", entitlement.ErrRequired},
				{"session", "#0", "entitlements", entitlement.ErrRequired},
				{"session", "#0", "start", entitlement.ErrRequired},
			},
		},
		{
			name:   "unknown references",
			reason: "identity, account, entitlements, actors, controllers and reviewer must resolve",
			cfg: func() breakglass.Config {
				return baseConfig(sess("s1", "zed", 0, with(func(s *breakglass.Session) {
					s.Account = "ff-nope"
					s.Entitlements = []string{"db:read", "db:nope"}
					s.Requested = entitlement.Event{By: "yves"}
					s.Approved = entitlement.Event{By: "xena", At: t0}
					s.Controllers = []string{"sec", "nobody"}
					s.Review = breakglass.Review{Reviewer: "wim", At: t0.Add(time.Hour), Outcome: breakglass.ReviewApproved}
				})))
			},
			want: []problem{
				{"session", "s1", "identity", entitlement.ErrUnknownRef},
				{"session", "s1", "account", entitlement.ErrUnknownRef},
				{"session", "s1", "entitlements[1]", entitlement.ErrUnknownRef},
				{"session", "s1", "requested.by", entitlement.ErrUnknownRef},
				{"session", "s1", "approved.by", entitlement.ErrUnknownRef},
				{"session", "s1", "controllers[1]", entitlement.ErrUnknownRef},
				{"session", "s1", "review.reviewer", entitlement.ErrUnknownRef},
			},
		},
		{
			name:   "impossible times",
			reason: "ends, approvals, reviews and rotations cannot precede what they follow",
			cfg: func() breakglass.Config {
				return baseConfig(sess("s1", "alice", 0, with(func(s *breakglass.Session) {
					s.PlannedEnd = s.Start
					s.End = s.Start.Add(-time.Nanosecond)
					s.Requested = entitlement.Event{By: "alice", At: t0}
					s.Approved = entitlement.Event{By: "bob", At: t0.Add(-time.Nanosecond)}
					s.Review = breakglass.Review{Reviewer: "bob", At: t0.Add(-time.Nanosecond), Outcome: breakglass.ReviewApproved}
					s.CredentialsRotated = t0.Add(-time.Nanosecond)
				})))
			},
			want: []problem{
				{"session", "s1", "approved.at", entitlement.ErrTimeOrder},
				{"session", "s1", "planned_end", entitlement.ErrTimeOrder},
				{"session", "s1", "end", entitlement.ErrTimeOrder},
				{"session", "s1", "review.at", entitlement.ErrTimeOrder},
				{"session", "s1", "credentials_rotated", entitlement.ErrTimeOrder},
			},
		},
		{
			name:   "incomplete review and approval",
			reason: "a review needs a reviewer, a time and an outcome; an approval a time",
			cfg: func() breakglass.Config {
				return baseConfig(sess("s1", "alice", 0, with(func(s *breakglass.Session) {
					s.Review = breakglass.Review{Comments: "looked fine", Outcome: breakglass.Outcome(9)}
					s.Approved = entitlement.Event{By: "bob"}
				})))
			},
			want: []problem{
				{"session", "s1", "approved.at", entitlement.ErrRequired},
				{"session", "s1", "review.reviewer", entitlement.ErrRequired},
				{"session", "s1", "review.at", entitlement.ErrRequired},
				{"session", "s1", "review.outcome", entitlement.ErrInvalid},
			},
		},
		{
			name:   "duplicates",
			reason: "IDs are unique and lists do not repeat entries",
			cfg: func() breakglass.Config {
				return baseConfig(
					sess("s1", "alice", 0, with(func(s *breakglass.Session) { s.Entitlements = []string{"db:read", "db:read"} })),
					sess("s1", "alice", time.Hour))
			},
			want: []problem{
				{"session", "s1", "entitlements[1]", entitlement.ErrDuplicate},
				{"session", "s1", "id", entitlement.ErrDuplicate},
			},
		},
		{
			name:   "nobody reviews",
			reason: "a session without an account needs controllers from itself or the policy",
			cfg: func() breakglass.Config {
				c := baseConfig(sess("s1", "alice", 0))
				c.Policy.Controllers = nil
				return c
			},
			want: []problem{{"session", "s1", "controllers", entitlement.ErrRequired}},
		},
		{
			name:   "bad accounts",
			reason: "an account is a known identity with an owner and controllers",
			cfg: func() breakglass.Config {
				c := baseConfig()
				c.Accounts = append(c.Accounts,
					breakglass.Account{ID: "ghost", Owner: "ghost"},
					breakglass.Account{ID: "ff-erp", Owner: "bob", Controllers: []string{"sec"}},
					breakglass.Account{})
				return c
			},
			want: []problem{
				{"account", "ghost", "id", entitlement.ErrUnknownRef},
				{"account", "ghost", "owner", entitlement.ErrUnknownRef},
				{"account", "ghost", "owner", entitlement.ErrInvalid},
				{"account", "ghost", "controllers", entitlement.ErrRequired},
				{"account", "ff-erp", "id", entitlement.ErrDuplicate},
				{"account", "#4", "id", entitlement.ErrRequired},
				{"account", "#4", "owner", entitlement.ErrRequired},
				{"account", "#4", "controllers", entitlement.ErrRequired},
			},
		},
		{
			name:   "over-long values",
			reason: "IDs, references and free text are bounded like the inventory's (issue 13); an over-long reference is too long, never unknown or repeated",
			cfg: func() breakglass.Config {
				id := strings.Repeat("x", entitlement.MaxIDLength+1)
				text := strings.Repeat("t", entitlement.MaxTextLength+1)
				c := baseConfig(
					sess(id, "alice", 0),
					sess("s2", id, time.Hour, with(func(s *breakglass.Session) {
						s.Account = id
						s.Entitlements = []string{id, id}
						s.ReasonCode, s.Justification, s.Ticket = id, text, text
						s.Requested = entitlement.Event{By: id}
						s.Controllers = []string{"sec", id}
						s.Review = breakglass.Review{Reviewer: id, At: t0.Add(2 * time.Hour), Outcome: breakglass.ReviewApproved, Comments: text}
					})))
				c.Accounts = append(c.Accounts, breakglass.Account{ID: id, Owner: "bob", Controllers: []string{"sec"}, Description: text})
				c.Policy.ApprovalRequired = []string{id}
				c.Policy.RotationExempt = []string{id}
				c.Policy.Controllers = []string{"sec", id}
				return c
			},
			want: []problem{
				{"account", "#2", "id", entitlement.ErrTooLong},
				{"account", "#2", "description", entitlement.ErrTooLong},
				{"policy", "breakglass", "approval_required[0]", entitlement.ErrTooLong},
				{"policy", "breakglass", "rotation_exempt[0]", entitlement.ErrTooLong},
				{"policy", "breakglass", "controllers[1]", entitlement.ErrTooLong},
				{"session", "#0", "id", entitlement.ErrTooLong},
				{"session", "s2", "identity", entitlement.ErrTooLong},
				{"session", "s2", "reason_code", entitlement.ErrTooLong},
				{"session", "s2", "justification", entitlement.ErrTooLong},
				{"session", "s2", "ticket", entitlement.ErrTooLong},
				{"session", "s2", "account", entitlement.ErrTooLong},
				{"session", "s2", "entitlements[0]", entitlement.ErrTooLong},
				{"session", "s2", "entitlements[1]", entitlement.ErrTooLong},
				{"session", "s2", "requested.by", entitlement.ErrTooLong},
				{"session", "s2", "controllers[1]", entitlement.ErrTooLong},
				{"session", "s2", "review.reviewer", entitlement.ErrTooLong},
				{"session", "s2", "review.comments", entitlement.ErrTooLong},
			},
		},
		{
			name:   "bad policy",
			reason: "negative values and unknown references in the policy",
			cfg: func() breakglass.Config {
				c := baseConfig()
				c.Policy = breakglass.Policy{
					MaxLength: -1, ReviewWithin: -1, RotateWithin: -1, HabitWindow: -1,
					MaxPerIdentity: -1, MaxPerEntitlement: -1,
					ApprovalRequired: []string{"db:nope"},
					RotationExempt:   []string{"ff-erp", "ff-erp", "alice"},
					Controllers:      []string{""},
				}
				return c
			},
			want: []problem{
				{"policy", "breakglass", "max_length", entitlement.ErrInvalid},
				{"policy", "breakglass", "review_within", entitlement.ErrInvalid},
				{"policy", "breakglass", "rotate_within", entitlement.ErrInvalid},
				{"policy", "breakglass", "habit_window", entitlement.ErrInvalid},
				{"policy", "breakglass", "max_per_identity", entitlement.ErrInvalid},
				{"policy", "breakglass", "max_per_entitlement", entitlement.ErrInvalid},
				{"policy", "breakglass", "approval_required[0]", entitlement.ErrUnknownRef},
				{"policy", "breakglass", "rotation_exempt[2]", entitlement.ErrUnknownRef},
				{"policy", "breakglass", "rotation_exempt[1]", entitlement.ErrDuplicate},
				{"policy", "breakglass", "controllers[0]", entitlement.ErrRequired},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg().Validate(x)
			var got []problem
			for _, e := range entitlement.Errors(err) {
				re, ok := errors.AsType[*entitlement.RecordError](e)
				require.True(t, ok, "every problem is a *RecordError: %v", e)
				require.Less(t, len(re.Error()), 256, "an error quotes only the start of a value")
				p := problem{re.Type, re.ID, re.Field, nil}
				for _, s := range []error{entitlement.ErrRequired, entitlement.ErrInvalid, entitlement.ErrDuplicate,
					entitlement.ErrUnknownRef, entitlement.ErrTimeOrder, entitlement.ErrTooLong} {
					if errors.Is(re, s) {
						p.err = s
					}
				}
				require.NotNil(t, p.err, "%v wraps a sentinel", re)
				got = append(got, p)
			}
			require.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestValidateQuotesInput(t *testing.T) {
	err := baseConfig(sess("s1", "zed", 0)).Validate(fixture(t))
	require.ErrorContains(t, err, `session s1: field identity: unknown reference: no identity "zed"`)
}
