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
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

// raciInventory is the inventory the "raci" section tests refer to.
const raciInventory = `{
  "format": "sodkit.bundle/v1",
  "as_of": "2026-11-01T09:00:00Z",
  "parties": [
    {"id": "iam", "function": "identity_governance"},
    {"id": "ops", "function": "it_operations"}
  ],
  "entitlements": [
    {"id": "erp:x", "policy_owner": "iam", "fulfiller": "ops"},
    {"id": "k8s:deploy", "policy_owner": "iam", "fulfiller": "ops"}
  ],
  "identities": [
    {"id": "ines", "kind": "human", "status": "active", "team": "iam"},
    {"id": "hugo", "kind": "human", "status": "active", "team": "ops"},
    {"id": "svc", "kind": "service_account", "status": "active", "owner": "hugo"}
  ]
}`

// raciFile wraps a "raci" section value in a bundle file.
func raciFile(section string) string {
	return `{"format": "sodkit.bundle/v1", "raci": ` + section + `}`
}

func raciLoad(files ...string) (*bundle.Bundle, error) {
	srcs := []bundle.Source{{Name: "inventory.json", Reader: strings.NewReader(raciInventory)}}
	for i, f := range files {
		srcs = append(srcs, bundle.Source{Name: fmt.Sprintf("raci%d.json", i+1), Reader: strings.NewReader(f)})
	}
	return bundle.Load(srcs...)
}

const raciValid = `{
  "policy": {
    "max_credential_age": "P30D",
    "dormant_after": "P60D",
    "recertify_every": "P180D",
    "privileged_recertify_every": "P30D",
    "recertification_owners": ["identity_governance"],
    "certifiers": ["identity_governance", "business"]
  },
  "matrix": {
    "define_policy": {"accountable": ["iam"], "responsible": ["iam"], "consulted": ["hugo"], "informed": ["ops"]},
    "revoke": {"accountable": ["ops"], "responsible": ["hugo"]}
  },
  "overrides": [
    {"system": "k8s", "matrix": {"revoke": {"accountable": ["iam"], "responsible": ["ops"]}}},
    {"entitlement": "erp:x", "matrix": {"provision": {"accountable": ["ops"], "responsible": ["ops"]}}}
  ]
}`

func TestLoadRACI(t *testing.T) {
	b, err := raciLoad(raciFile(raciValid))
	require.NoError(t, err)
	day := 24 * time.Hour
	want := raci.Config{
		Policy: raci.Policy{
			MaxCredentialAge: 30 * day, DormantAfter: 60 * day, RecertifyEvery: 180 * day, PrivilegedRecertifyEvery: 30 * day,
			RecertificationOwners: []entitlement.PartyFunction{entitlement.IdentityGovernance},
			Certifiers:            []entitlement.PartyFunction{entitlement.IdentityGovernance, entitlement.Business},
		},
		Matrix: raci.Matrix{
			raci.DefinePolicy: {Accountable: []string{"iam"}, Responsible: []string{"iam"}, Consulted: []string{"hugo"}, Informed: []string{"ops"}},
			raci.Revoke:       {Accountable: []string{"ops"}, Responsible: []string{"hugo"}},
		},
		Overrides: []raci.Override{
			{System: "k8s", Matrix: raci.Matrix{raci.Revoke: {Accountable: []string{"iam"}, Responsible: []string{"ops"}}}},
			{Entitlement: "erp:x", Matrix: raci.Matrix{raci.Provision: {Accountable: []string{"ops"}, Responsible: []string{"ops"}}}},
		},
	}
	if diff := cmp.Diff(want, b.RACI); diff != "" {
		t.Errorf("the section decodes into raci.Config (-want +got):\n%s", diff)
	}
	require.NoError(t, b.RACI.Validate(b.Index), "a loaded config is valid")
}

func TestLoadRACIMerge(t *testing.T) {
	b, err := raciLoad(
		raciFile(`{"matrix": {"revoke": {"accountable": ["ops"]}}, "overrides": [{"system": "k8s", "matrix": {"revoke": {"accountable": ["iam"]}}}]}`),
		raciFile(`{"policy": {"dormant_after": "P7D"}, "matrix": {"provision": {"accountable": ["ops"]}}, "overrides": [{"system": "erp", "matrix": {"revoke": {"accountable": ["iam"]}}}]}`),
	)
	require.NoError(t, err)
	require.Len(t, b.RACI.Matrix, 2, "the rows of both files merge")
	require.Len(t, b.RACI.Overrides, 2, "the overrides of both files are concatenated")
	require.Equal(t, 7*24*time.Hour, b.RACI.Policy.DormantAfter)

	b, err = raciLoad()
	require.NoError(t, err)
	require.Zero(t, b.RACI.Matrix, "without a raci section the config is zero, and the checks fail closed on it")
}

func TestLoadRACIErrors(t *testing.T) {
	type problem struct {
		File, Record, Field string
		Sentinel            error
	}
	tests := []struct {
		name   string
		files  []string
		want   []problem
		reason string
	}{
		{
			name:   "unknown member",
			files:  []string{raciFile(`{"matrix": {}, "owners": []}`)},
			want:   []problem{{"raci1.json", "", "raci.owners", bundle.ErrUnknownField}},
			reason: "the section has policy, matrix and overrides only",
		},
		{
			name:   "unknown activity",
			files:  []string{raciFile(`{"matrix": {"approve": {"accountable": ["iam"]}}}`)},
			want:   []problem{{"raci1.json", "", "raci.matrix.approve", bundle.ErrUnknownField}},
			reason: "matrix members are activity names",
		},
		{
			name:   "activity spelt differently",
			files:  []string{raciFile(`{"matrix": {"Approve-Request": {"accountable": ["iam"]}}}`)},
			want:   []problem{{"raci1.json", "", "raci.matrix.Approve-Request", bundle.ErrUnknownField}},
			reason: "member names are exact, unlike enumeration values",
		},
		{
			name:   "unknown letter",
			files:  []string{raciFile(`{"matrix": {"revoke": {"accountable": ["iam"], "owner": ["iam"]}}}`)},
			want:   []problem{{"raci1.json", "raci matrix revoke", "owner", bundle.ErrUnknownField}},
			reason: "a row has the four RACI letters only",
		},
		{
			name:   "wrong type",
			files:  []string{raciFile(`{"matrix": {"revoke": {"accountable": "iam"}}}`)},
			want:   []problem{{"raci1.json", "raci matrix revoke", "accountable", bundle.ErrType}},
			reason: "a letter holds a list, even of one party",
		},
		{
			name:   "repeated letter",
			files:  []string{raciFile(`{"matrix": {"revoke": {"accountable": ["iam"], "accountable": ["ops"]}}}`)},
			want:   []problem{{"raci1.json", "raci matrix revoke", "accountable", entitlement.ErrDuplicate}},
			reason: "a repeated member would silently override the first",
		},
		{
			name:   "bad duration",
			files:  []string{raciFile(`{"policy": {"max_credential_age": "90 days"}}`)},
			want:   []problem{{"raci1.json", "raci policy", "max_credential_age", bundle.ErrType}},
			reason: "durations are ISO 8601",
		},
		{
			name:   "zero duration",
			files:  []string{raciFile(`{"policy": {"dormant_after": "PT0S"}}`)},
			want:   []problem{{"raci1.json", "raci policy", "dormant_after", entitlement.ErrInvalid}},
			reason: "zero means the default in Go; a file must leave the member out instead",
		},
		{
			name:   "bad function",
			files:  []string{raciFile(`{"policy": {"certifiers": ["managers"]}}`)},
			want:   []problem{{"raci1.json", "raci policy", "certifiers[0]", bundle.ErrType}},
			reason: "functions are the party functions of the inventory",
		},
		{
			name:   "empty function list",
			files:  []string{raciFile(`{"policy": {"recertification_owners": []}}`)},
			want:   []problem{{"raci1.json", "raci policy", "recertification_owners", entitlement.ErrRequired}},
			reason: "an empty list would qualify nobody; leaving it out means the default",
		},
		{
			name:  "unknown party",
			files: []string{raciFile(`{"matrix": {"revoke": {"accountable": ["ghost"], "responsible": ["svc"]}}}`)},
			want: []problem{
				{"raci1.json", "raci matrix revoke", "responsible[0]", entitlement.ErrInvalid},
				{"raci1.json", "raci matrix revoke", "accountable[0]", entitlement.ErrUnknownRef},
			},
			reason: "cells name parties or people, and machines are neither",
		},
		{
			name: "override scopes",
			files: []string{raciFile(`{"overrides": [
				{"entitlement": "erp:nope", "matrix": {"revoke": {"accountable": ["iam"]}}},
				{"system": "crm", "matrix": {"revoke": {"accountable": ["iam"]}}},
				{"system": "erp", "entitlement": "erp:x", "matrix": {"revoke": {"accountable": ["iam"]}}},
				{"system": "erp", "matrix": {"nope": {}}}
			]}`)},
			want: []problem{
				{"raci1.json", "raci override system erp", "matrix.nope", bundle.ErrUnknownField},
				{"raci1.json", "raci override entitlement erp:nope", "entitlement", entitlement.ErrUnknownRef},
				{"raci1.json", "raci override system crm", "system", entitlement.ErrUnknownRef},
				{"raci1.json", "raci override #2", "system", entitlement.ErrConflict},
				{"raci1.json", "raci override system erp", "matrix", entitlement.ErrRequired},
			},
			reason: "an override names one known scope and assigns known activities",
		},
		{
			name: "row in two files",
			files: []string{raciFile(`{"matrix": {"revoke": {"accountable": ["iam"]}}}`),
				raciFile(`{"matrix": {"revoke": {"accountable": ["ops"]}}}`)},
			want:   []problem{{"raci2.json", "", "raci.matrix.revoke", entitlement.ErrDuplicate}},
			reason: "an activity is assigned once across the files",
		},
		{
			name:   "policy in two files",
			files:  []string{raciFile(`{"policy": {"dormant_after": "P7D"}}`), raciFile(`{"policy": {"dormant_after": "P8D"}}`)},
			want:   []problem{{"raci2.json", "", "raci.policy", entitlement.ErrDuplicate}},
			reason: "one file sets the policy",
		},
		{
			name: "override scope in two files",
			files: []string{raciFile(`{"overrides": [{"system": "erp", "matrix": {"revoke": {"accountable": ["iam"]}}}]}`),
				raciFile(`{"overrides": [{"system": "erp", "matrix": {"provision": {"accountable": ["iam"]}}}]}`)},
			want:   []problem{{"raci1.json", "raci override system erp", "", entitlement.ErrDuplicate}},
			reason: "one override per scope (the error points at the first, where the scope was first read)",
		},
	}
	sentinels := []error{bundle.ErrUnknownField, bundle.ErrType, bundle.ErrSyntax, entitlement.ErrDuplicate,
		entitlement.ErrRequired, entitlement.ErrInvalid, entitlement.ErrUnknownRef, entitlement.ErrConflict}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := raciLoad(tt.files...)
			require.Error(t, err, tt.reason)
			var got []problem
			for _, e := range entitlement.Errors(err) {
				var re *entitlement.RecordError
				require.True(t, errors.As(e, &re), "every problem is a *RecordError: %v", e)
				require.Positive(t, re.Line, "every problem has a line: %v", e)
				p := problem{File: re.File, Record: re.Record(), Field: re.Field}
				for _, s := range sentinels {
					if errors.Is(re, s) {
						p.Sentinel = s
						break
					}
				}
				got = append(got, p)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestLoadRACILines(t *testing.T) {
	_, err := raciLoad(raciFile("{\n\"matrix\": {\n\"revoke\": {\"accountable\": [\"iam\"]},\n\"provision\": {\"accountable\": [\"ghost\"]}\n}\n}"))
	var re *entitlement.RecordError
	require.True(t, errors.As(err, &re))
	require.Equal(t, `raci1.json:4: raci matrix provision: field accountable[0]: unknown reference: no party or person "ghost"`, re.Error(),
		"a validation error points at the line of the row that holds the bad reference")
}

func ExampleLoad_raci() {
	b, err := bundle.Load(
		bundle.Source{Name: "inventory.json", Reader: strings.NewReader(raciInventory)},
		bundle.Source{Name: "raci.json", Reader: strings.NewReader(`{
  "format": "sodkit.bundle/v1",
  "raci": {
    "matrix": {
      "define_policy": {"accountable": ["iam"], "responsible": ["iam"]},
      "provision": {"accountable": ["ops"], "responsible": ["ops"]}
    },
    "overrides": [{"entitlement": "erp:x", "matrix": {"provision": {"accountable": ["iam"], "responsible": ["iam"]}}}]
  }
}`)})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := b.RACI.Resolve(b.Index, "erp:x")
	fmt.Println("erp:x provisioned by", m[raci.Provision].Responsible)
	for _, f := range raci.Check(b.Index, b.RACI, b.AsOf) {
		if f.Kind == raci.KindPolicyNotSeparated {
			fmt.Println(f.Kind, f.Subject)
		}
	}
	// Output:
	// erp:x provisioned by [iam]
	// raci.policy-not-separated entitlement erp:x
}

// FuzzLoadRACI loads arbitrary "raci" sections beside a fixed inventory:
// no input may panic the loader; every problem is a *RecordError with a
// line; a section that loads is valid and the checks run on it with
// findings in report order and unique IDs.
func FuzzLoadRACI(f *testing.F) {
	for _, s := range []string{
		raciValid,
		`{}`,
		`{"matrix": {"revoke": {"accountable": ["ops", "ops", ""]}}}`,
		`{"matrix": {"revoke": {"accountable": "iam"}}, "policy": {"certifiers": [1]}}`,
		`{"overrides": [{"system": "erp", "entitlement": "erp:x", "matrix": {"revoke": null}}]}`,
		`{"overrides": [{"matrix": {"recertify": {"accountable": ["svc"]}}}, {"system": "k8s"}]}`,
		`{"policy": {"max_credential_age": "P1000000000D", "recertification_owners": []}}`,
		`{"matrix": {"define_policy": {"accountable": ["iam"]}, "define_policy": {}}}`,
		`{"matrix": null, "overrides": null, "policy": null}`,
		`{"matrix": {"own_nhi": {"informed": ["ines"]}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, section string) {
		b, err := raciLoad(raciFile(section))
		if err != nil {
			for _, e := range entitlement.Errors(err) {
				var re *entitlement.RecordError
				if !errors.As(e, &re) {
					if strings.HasPrefix(e.Error(), "stopped after") {
						continue
					}
					t.Fatalf("not a *RecordError: %v", e)
				}
			}
			return
		}
		if err := b.RACI.Validate(b.Index); err != nil {
			t.Fatalf("a loaded config is invalid: %v", err)
		}
		fs := raci.Check(b.Index, b.RACI, b.AsOf)
		if !slices.IsSortedFunc(fs, audit.Finding.Compare) {
			t.Fatal("findings not in report order")
		}
		seen := map[string]bool{}
		for _, f := range fs {
			if seen[f.ID] {
				t.Fatalf("duplicate finding ID %s", f.ID)
			}
			seen[f.ID] = true
		}
		_ = raci.Owners(b.Index, b.RACI, b.AsOf)
	})
}
