package bundle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
)

// waiverFile is a small file with a waiver of each shape, a fuzz seed.
const waiverFile = `{"format": "sodkit.bundle/v1", "waivers": [
 {"id": "w-1", "kinds": ["raci.no-owner"], "subject": {"type": "grant", "id": "g-1"}, "owner": "bob", "reason": "r", "expires": "2026-12-01T00:00:00Z"},
 {"id": "w-2", "findings": ["sk-0123456789abcdef0123"], "owner": "ap", "reason": "r", "expires": "2026-12-01T00:00:00Z"}]}`

func TestLoadWaivers(t *testing.T) {
	b, err := load(
		file{"org.json", good},
		file{"waivers.json", lines(
			head,
			`"waivers": [`,
			`  {"id": "w-1", "kinds": ["raci.recertification-overdue", "lifecycle.no-expiry"],`,
			`   "subject": {"type": "grant", "id": "g-1"}, "owner": "bob",`,
			`   "reason": "the Q4 campaign reviews it", "expires": "2026-12-01T00:00:00+01:00"},`,
			`  {"id": "w-2", "findings": ["sk-0123456789abcdef0123"], "subject": null, "owner": "ap",`,
			`   "reason": "accepted", "expires": "2026-11-15T00:00:00Z"}`,
			`]}`,
		)},
		file{"more.json", lines(
			head,
			`"waivers": [{"id": "w-3", "kinds": ["sod.toxic-combination"], "owner": "bob", "reason": "r", "expires": "2027-01-01T00:00:00Z"}]}`,
		)},
	)
	require.NoError(t, err)
	require.Equal(t, []audit.Waiver{
		{ID: "w-1", Kinds: []audit.Kind{"raci.recertification-overdue", "lifecycle.no-expiry"},
			Subject: audit.Subject{Type: "grant", ID: "g-1"}, Owner: "bob", Reason: "the Q4 campaign reviews it",
			Expires: time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("", 3600))},
		{ID: "w-2", Findings: []string{"sk-0123456789abcdef0123"}, Owner: "ap", Reason: "accepted",
			Expires: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)},
		{ID: "w-3", Kinds: []audit.Kind{"sod.toxic-combination"}, Owner: "bob", Reason: "r",
			Expires: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
	}, b.Waivers, "waivers merge across files in input order")
	for _, tt := range []struct {
		id   string
		want bundle.Origin
	}{{"w-1", bundle.Origin{File: "waivers.json", Line: 3}}, {"w-2", bundle.Origin{File: "waivers.json", Line: 6}}, {"w-3", bundle.Origin{File: "more.json", Line: 2}}} {
		o, ok := b.Origin("waiver", tt.id)
		require.True(t, ok, tt.id)
		require.Equal(t, tt.want, o, "a waiver's origin places the findings about it")
	}
}

func TestBadWaivers(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		text   string
		want   []problem
	}{
		{
			name:   "no expiry, owner or reason",
			reason: "a waiver is owned, justified and expires: each missing member is named",
			text:   `{"id": "w-1", "kinds": ["raci.no-owner"]}`,
			want: []problem{
				{entitlement.ErrRequired, "w.json", 2, "waiver w-1", "owner"},
				{entitlement.ErrRequired, "w.json", 2, "waiver w-1", "reason"},
				{entitlement.ErrRequired, "w.json", 2, "waiver w-1", "expires"},
			},
		},
		{
			name:   "blank reason",
			reason: "white space says nothing",
			text:   `{"id": "w-1", "kinds": ["raci.no-owner"], "owner": "bob", "reason": "  ", "expires": "2026-12-01T00:00:00Z"}`,
			want:   []problem{{entitlement.ErrRequired, "w.json", 2, "waiver w-1", "reason"}},
		},
		{
			name:   "names nothing",
			reason: "a waiver names kinds or findings",
			text:   `{"id": "w-1", "owner": "bob", "reason": "r", "expires": "2026-12-01T00:00:00Z"}`,
			want:   []problem{{entitlement.ErrRequired, "w.json", 2, "waiver w-1", "kinds"}},
		},
		{
			name:   "kinds and findings",
			reason: "one waiver, one way of naming what it accepts",
			text:   `{"id": "w-1", "kinds": ["raci.no-owner"], "findings": ["sk-0123456789abcdef0123"], "owner": "bob", "reason": "r", "expires": "2026-12-01T00:00:00Z"}`,
			want:   []problem{{entitlement.ErrConflict, "w.json", 2, "waiver w-1", "findings"}},
		},
		{
			name:   "bad kinds",
			reason: "a kind is package.check, listed once (scan checks that it exists)",
			text:   `{"id": "w-1", "kinds": ["raci", "raci.no-owner", "raci.no-owner", ".x"], "owner": "bob", "reason": "r", "expires": "2026-12-01T00:00:00Z"}`,
			want: []problem{
				{entitlement.ErrInvalid, "w.json", 2, "waiver w-1", "kinds[0]"},
				{entitlement.ErrDuplicate, "w.json", 2, "waiver w-1", "kinds[2]"},
				{entitlement.ErrInvalid, "w.json", 2, "waiver w-1", "kinds[3]"},
			},
		},
		{
			name:   "bad finding IDs",
			reason: "a finding ID is sk- and 20 lower-case hex digits, listed once",
			text:   `{"id": "w-1", "findings": ["sk-0123", "SK-0123456789ABCDEF0123", "sk-0123456789abcdef0123", "sk-0123456789abcdef0123"], "owner": "bob", "reason": "r", "expires": "2026-12-01T00:00:00Z"}`,
			want: []problem{
				{entitlement.ErrInvalid, "w.json", 2, "waiver w-1", "findings[0]"},
				{entitlement.ErrInvalid, "w.json", 2, "waiver w-1", "findings[1]"},
				{entitlement.ErrDuplicate, "w.json", 2, "waiver w-1", "findings[3]"},
			},
		},
		{
			name:   "subject beside findings",
			reason: "a finding ID names its subject; a second one could only contradict it",
			text:   `{"id": "w-1", "findings": ["sk-0123456789abcdef0123"], "subject": {"type": "grant", "id": "g-1"}, "owner": "bob", "reason": "r", "expires": "2026-12-01T00:00:00Z"}`,
			want:   []problem{{entitlement.ErrConflict, "w.json", 2, "waiver w-1", "subject"}},
		},
		{
			name:   "empty subject",
			reason: "an empty subject must not silently widen the waiver to every subject",
			text:   `{"id": "w-1", "kinds": ["raci.no-owner"], "subject": {"type": "grant"}, "owner": "bob", "reason": "r", "expires": "2026-12-01T00:00:00Z"}`,
			want:   []problem{{entitlement.ErrRequired, "w.json", 2, "waiver w-1", "subject"}},
		},
		{
			name:   "unknown member",
			reason: "strict like every record; a misspelt expiry is not a waiver without one",
			text:   `{"id": "w-1", "kinds": ["raci.no-owner"], "owner": "bob", "reason": "r", "expiry": "2026-12-01T00:00:00Z"}`,
			want: []problem{
				{bundle.ErrUnknownField, "w.json", 2, "waiver w-1", "expiry"},
				{entitlement.ErrRequired, "w.json", 2, "waiver w-1", "expires"},
			},
		},
		{
			name:   "bad time",
			reason: "a time without a zone is reported once, as a type error",
			text:   `{"id": "w-1", "kinds": ["raci.no-owner"], "owner": "bob", "reason": "r", "expires": "2026-12-01"}`,
			want:   []problem{{bundle.ErrType, "w.json", 2, "waiver w-1", "expires"}},
		},
		{
			name:   "no ID",
			reason: "a waiver without an ID is named by its position",
			text:   `{"kinds": ["raci.no-owner"], "owner": "bob", "reason": "r", "expires": "2026-12-01T00:00:00Z"}`,
			want:   []problem{{entitlement.ErrRequired, "w.json", 2, "waiver #0", "id"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(file{"w.json", lines(head, `"waivers": [`+tt.text+`]}`)})
			require.Error(t, err, tt.reason)
			require.Equal(t, strs(tt.want), strs(problems(t, err)), tt.reason)
		})
	}
}

func TestDuplicateWaiverAcrossFiles(t *testing.T) {
	w := `{"id": "w-1", "kinds": ["raci.no-owner"], "owner": "bob", "reason": "r", "expires": "2026-12-01T00:00:00Z"}`
	_, err := load(
		file{"a.json", lines(head, `"waivers": [`+w+`]}`)},
		file{"b.json", lines(head, `"waivers": [`, w, `]}`)},
	)
	require.Equal(t, []string{problem{entitlement.ErrDuplicate, "b.json", 3, "waiver w-1", "id"}.String()}, strs(problems(t, err)),
		"the second waiver with an ID is the duplicate, in its own file")
}
