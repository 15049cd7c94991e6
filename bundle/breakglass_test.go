package bundle_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
)

// bgInventory is the inventory the break-glass section refers into: two
// people, a security team, a firefighter account and two entitlements.
const bgInventory = `{
  "format": "sodkit.bundle/v1",
  "as_of": "2026-11-01T09:00:00Z",
  "parties": [{"id": "sec", "function": "security"}],
  "entitlements": [
    {"id": "db:read"},
    {"id": "erp:payment.release", "privileged": true, "risk": "critical"}
  ],
  "identities": [
    {"id": "pat", "kind": "human", "status": "active"},
    {"id": "sam", "kind": "human", "status": "active", "team": "sec"},
    {"id": "ff-erp", "kind": "service_account", "status": "active", "owner": "sam",
     "grants": [{"id": "g-ff", "entitlement": "erp:payment.release", "state": "active", "source": "break_glass"}]}
  ]
}`

const bgSection = `{
  "format": "sodkit.bundle/v1",
  "breakglass": {
    "policy": {
      "max_length": "PT2H",
      "review_within": "P2D",
      "rotate_within": "PT12H",
      "reason_optional": false,
      "ticket_optional": true,
      "approval_required": ["erp:payment.release"],
      "rotation_exempt": [],
      "controllers": ["sec"],
      "habit_window": "P14D",
      "max_per_identity": 2,
      "max_per_entitlement": 4
    },
    "accounts": [
      {"id": "ff-erp", "description": "ERP firefighter", "owner": "sam", "controllers": ["sec"]}
    ],
    "sessions": [
      {
        "id": "bg-1",
        "identity": "pat",
        "account": "ff-erp",
        "entitlements": ["db:read"],
        "reason_code": "incident",
        "justification": "payment run stuck",
        "ticket": "INC-1",
        "requested": {"by": "pat", "at": "2026-10-30T22:00:00+01:00"},
        "approved": {"by": "sam", "at": "2026-10-30T22:05:00+01:00"},
        "start": "2026-10-30T22:10:00+01:00",
        "planned_end": "2026-10-30T23:10:00+01:00",
        "end": "2026-10-30T22:55:00+01:00",
        "controllers": ["sam"],
        "review": {"reviewer": "sam", "at": "2026-10-31T09:00:00+01:00", "outcome": "approved", "comments": "ok"},
        "credentials_rotated": "2026-10-30T23:30:00+01:00"
      },
      {"id": "bg-2", "identity": "pat", "entitlements": ["db:read"], "start": "2026-10-31T10:00:00Z", "end": null}
    ]
  }
}`

func loadStrings(files ...string) (*bundle.Bundle, error) {
	srcs := make([]bundle.Source, len(files))
	for i, f := range files {
		srcs[i] = bundle.Source{Name: fmt.Sprintf("f%d.json", i), Reader: strings.NewReader(f)}
	}
	return bundle.Load(srcs...)
}

func TestLoadBreakGlass(t *testing.T) {
	b, err := loadStrings(bgInventory, bgSection)
	require.NoError(t, err)
	cet := time.FixedZone("", 3600)
	at := func(s string, loc *time.Location) time.Time {
		tm, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
		require.NoError(t, err)
		return tm
	}
	want := breakglass.Config{
		Policy: breakglass.Policy{
			MaxLength: 2 * time.Hour, ReviewWithin: 48 * time.Hour, RotateWithin: 12 * time.Hour,
			TicketOptional: true, ApprovalRequired: []string{"erp:payment.release"}, Controllers: []string{"sec"},
			HabitWindow: 14 * 24 * time.Hour, MaxPerIdentity: 2, MaxPerEntitlement: 4,
		},
		Accounts: []breakglass.Account{{ID: "ff-erp", Description: "ERP firefighter", Owner: "sam", Controllers: []string{"sec"}}},
		Sessions: []breakglass.Session{
			{
				ID: "bg-1", Identity: "pat", Account: "ff-erp", Entitlements: []string{"db:read"},
				ReasonCode: "incident", Justification: "payment run stuck", Ticket: "INC-1",
				Requested:   entitlement.Event{By: "pat", At: at("2026-10-30T22:00", cet)},
				Approved:    entitlement.Event{By: "sam", At: at("2026-10-30T22:05", cet)},
				Start:       at("2026-10-30T22:10", cet),
				PlannedEnd:  at("2026-10-30T23:10", cet),
				End:         at("2026-10-30T22:55", cet),
				Controllers: []string{"sam"},
				Review: breakglass.Review{Reviewer: "sam", At: at("2026-10-31T09:00", cet),
					Outcome: breakglass.ReviewApproved, Comments: "ok"},
				CredentialsRotated: at("2026-10-30T23:30", cet),
			},
			{ID: "bg-2", Identity: "pat", Entitlements: []string{"db:read"}, Start: at("2026-10-31T10:00", time.UTC)},
		},
	}
	// Compare instants, and check the zone was kept separately.
	if diff := cmp.Diff(want, b.BreakGlass, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Fatalf("decoded section (-want +got):\n%s", diff)
	}
	_, off := b.BreakGlass.Sessions[0].Start.Zone()
	require.Equal(t, 3600, off, "times keep their zone")

	fs := breakglass.Check(b.Index, b.BreakGlass, b.AsOf)
	require.True(t, slices.IsSortedFunc(fs, audit.Finding.Compare))
	for _, f := range fs {
		require.NotEqual(t, breakglass.KindInvalidRecord, f.Kind, "a loaded section is valid")
	}
}

func TestLoadBreakGlassErrors(t *testing.T) {
	type problem struct {
		file      string
		line      int
		record    string
		field     string
		sentinel  error
		substring string
	}
	section := func(body string) string {
		return `{"format": "sodkit.bundle/v1",
"breakglass": ` + body + `}`
	}
	tests := []struct {
		name   string
		files  []string
		want   []problem
		reason string
	}{
		{
			name:   "unknown members",
			files:  []string{bgInventory, section(`{"policy": {"max_hours": 3}, "extra": [],` + "\n" + `"sessions": [{"id": "s1", "who": "pat", "identity": "pat", "entitlements": ["db:read"], "controllers": ["sam"], "start": "2026-10-31T09:00:00Z"}]}`)},
			reason: "every member the format does not define is an error, at every level; the file's own level comes last",
			want: []problem{
				{"f1.json", 2, "policy breakglass", "max_hours", bundle.ErrUnknownField, `"max_hours"`},
				{"f1.json", 3, "session s1", "who", bundle.ErrUnknownField, `"who"`},
				{"f1.json", 2, "", "breakglass.extra", bundle.ErrUnknownField, `"extra"`},
			},
		},
		{
			name:  "bad values",
			files: []string{bgInventory, section(`{"policy": {"max_length": "PT0S", "review_within": "3 days", "max_per_identity": 0, "max_per_entitlement": 2.5, "ticket_optional": "yes"}}`)},
			want: []problem{
				{"f1.json", 2, "policy breakglass", "max_length", entitlement.ErrInvalid, `"PT0S"`},
				{"f1.json", 2, "policy breakglass", "review_within", bundle.ErrType, `"3 days"`},
				{"f1.json", 2, "policy breakglass", "max_per_identity", entitlement.ErrInvalid, "at least 1"},
				{"f1.json", 2, "policy breakglass", "max_per_entitlement", bundle.ErrType, "2.5"},
				{"f1.json", 2, "policy breakglass", "ticket_optional", bundle.ErrType, "true or false"},
			},
			reason: "zero is rejected rather than read as the default; wrong types name the field",
		},
		{
			name:  "bad session fields",
			files: []string{bgInventory, section(`{"sessions": [{"id": "s1", "identity": "pat", "entitlements": ["db:read"], "controllers": ["sam"], "start": "yesterday",` + "\n" + `"review": {"reviewer": "sam", "at": "2026-10-31T09:00:00Z", "outcome": "fine"}}]}`)},
			want: []problem{
				{"f1.json", 2, "session s1", "start", bundle.ErrType, `"yesterday"`},
				{"f1.json", 3, "session s1", "review.outcome", bundle.ErrType, `"fine"`},
			},
			reason: "decoding problems name the nested field; validation does not repeat them",
		},
		{
			name:  "dangling references",
			files: []string{bgInventory, section(`{"accounts": [{"id": "ff-x", "owner": "sam", "controllers": ["sec"]}],` + "\n" + `"sessions": [` + "\n" + `{"id": "s1", "identity": "kim", "account": "ff-y", "entitlements": ["db:nope"], "controllers": ["ops"], "start": "2026-10-31T09:00:00Z"}]}`)},
			want: []problem{
				{"f1.json", 2, "account ff-x", "id", entitlement.ErrUnknownRef, `"ff-x"`},
				{"f1.json", 4, "session s1", "identity", entitlement.ErrUnknownRef, `"kim"`},
				{"f1.json", 4, "session s1", "account", entitlement.ErrUnknownRef, `"ff-y"`},
				{"f1.json", 4, "session s1", "entitlements[0]", entitlement.ErrUnknownRef, `"db:nope"`},
				{"f1.json", 4, "session s1", "controllers[0]", entitlement.ErrUnknownRef, `"ops"`},
			},
			reason: "references into the inventory are checked once every file is read, and placed on the record's line",
		},
		{
			name: "across files",
			files: []string{bgInventory,
				section(`{"policy": {}, "sessions": [{"id": "s1", "identity": "pat", "entitlements": ["db:read"], "controllers": ["sec"], "start": "2026-10-31T09:00:00Z"}]}`),
				section(`{"policy": {},` + "\n" + `"sessions": [` + "\n" + `{"id": "s1", "identity": "pat", "entitlements": ["db:read"], "controllers": ["sec"], "start": "2026-10-31T10:00:00Z"}]}`)},
			want: []problem{
				{"f2.json", 2, "", "breakglass.policy", entitlement.ErrDuplicate, "more than one file"},
				{"f2.json", 4, "session s1", "id", entitlement.ErrDuplicate, `"s1"`},
			},
			reason: "only one file may set the policy; session IDs are unique across files",
		},
		{
			name:   "not an object",
			files:  []string{bgInventory, section(`[]`)},
			want:   []problem{{"f1.json", 2, "", "breakglass", bundle.ErrType, "want an object"}},
			reason: "the section is an object",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadStrings(tt.files...)
			require.Error(t, err)
			var got []problem
			for _, e := range entitlement.Errors(err) {
				re, ok := errors.AsType[*entitlement.RecordError](e)
				require.True(t, ok, "%v is a *RecordError", e)
				p := problem{file: re.File, line: re.Line, record: re.Record(), field: re.Field}
				for i, w := range tt.want {
					if w.record == p.record && w.field == p.field {
						p.sentinel, p.substring = w.sentinel, w.substring
						require.ErrorIs(t, re, w.sentinel, "problem %d: %v", i, re)
						require.ErrorContains(t, re, w.substring, "problem %d: the error quotes the input", i)
					}
				}
				got = append(got, p)
			}
			require.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func ExampleLoad_breakglass() {
	b, err := bundle.Load(
		bundle.Source{Name: "inventory.json", Reader: strings.NewReader(bgInventory)},
		bundle.Source{Name: "breakglass.json", Reader: strings.NewReader(bgSection)},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("policy max length:", b.BreakGlass.Policy.MaxLength)
	for _, s := range b.BreakGlass.Sessions {
		fmt.Println("session", s.ID, "of", s.Identity, "started", s.Start.UTC().Format(time.RFC3339))
	}
	for _, f := range breakglass.Check(b.Index, b.BreakGlass, b.AsOf) {
		fmt.Println(f.Severity, f.Kind, f.Subject)
	}
	// Output:
	// policy max length: 2h0m0s
	// session bg-1 of pat started 2026-10-30T21:10:00Z
	// session bg-2 of pat started 2026-10-31T10:00:00Z
	// high breakglass.active-past-end session bg-2
	// medium breakglass.missing-justification session bg-2
	// medium breakglass.over-max-length session bg-2
}

// FuzzLoadBreakGlass loads an arbitrary breakglass file beside a fixed
// inventory. Loading must never panic; every problem must be a RecordError
// naming its file; a bundle that loads must validate, and its checks must
// report no invalid record, in report order with unique IDs.
func FuzzLoadBreakGlass(f *testing.F) {
	f.Add([]byte(bgSection))
	f.Add([]byte(`{"format": "sodkit.bundle/v1", "breakglass": {"sessions": [{"id": "s", "identity": "pat", "account": "ff-erp", "start": "2026-10-31T09:00:00Z"}]}}`))
	f.Add([]byte(`{"format": "sodkit.bundle/v1", "breakglass": {"policy": {"max_per_identity": 1e3}, "accounts": [{}], "sessions": [null, {"review": {}}]}}`))
	f.Add([]byte(`{"format": "sodkit.bundle/v1", "breakglass": null}`))
	f.Add([]byte(`{"format": "sodkit.bundle/v1", "breakglass": {"sessions": [{"id": "s", "identity": "pat", "entitlements": ["db:read"], "controllers": ["sam"], "start": "2026-10-31T09:00:00Z", "planned_end": "2026-10-31T08:00:00Z"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := bundle.Load(
			bundle.Source{Name: "inv.json", Reader: strings.NewReader(bgInventory)},
			bundle.Source{Name: "bg.json", Reader: strings.NewReader(string(data))},
		)
		if err != nil {
			for _, e := range entitlement.Errors(err) {
				if re, ok := errors.AsType[*entitlement.RecordError](e); ok {
					require.NotEmpty(t, re.Error())
					continue
				}
				require.Contains(t, e.Error(), "stopped after", "only the error cap is not a RecordError: %v", e)
			}
			return
		}
		require.NoError(t, b.BreakGlass.Validate(b.Index), "a loaded section is valid")
		for _, at := range []time.Time{b.AsOf, b.AsOf.Add(-90 * 24 * time.Hour), b.AsOf.Add(365 * 24 * time.Hour)} {
			fs := breakglass.Check(b.Index, b.BreakGlass, at)
			require.True(t, slices.IsSortedFunc(fs, audit.Finding.Compare))
			seen := map[string]bool{}
			for _, f := range fs {
				require.False(t, seen[f.ID], "duplicate ID")
				seen[f.ID] = true
				require.NotEqual(t, breakglass.KindInvalidRecord, f.Kind)
			}
		}
	})
}
