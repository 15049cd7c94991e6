package raci_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/kindtest"
	"github.com/sodkit/sodkit/raci"
)

func TestFixtureIsClean(t *testing.T) {
	fs := check(t, nil)
	require.Empty(t, summary(fs), "every other test breaks one thing of this fixture, so it must be clean")
}

func TestZeroConfigFailsClosed(t *testing.T) {
	inv, _ := fixture()
	fs := raci.Check(index(t, inv), raci.Config{}, at)
	require.NoError(t, invariants(fs))
	var got []string
	for _, f := range fs {
		if f.Subject == (audit.Subject{Type: "matrix", ID: "global"}) {
			got = append(got, string(f.Kind)+" "+f.Evidence[0].Value)
		}
	}
	var want []string
	for _, a := range raci.Activities() {
		want = append(want, "raci.no-accountable "+a.String(), "raci.no-responsible "+a.String())
	}
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("a zero config assigns nothing, so every activity lacks an accountable and a responsible party (-want +got):\n%s", diff)
	}
}

func TestNilIndexIsEmpty(t *testing.T) {
	fs := raci.Check(nil, raci.Config{}, at)
	require.NoError(t, invariants(fs))
	require.Len(t, fs, 2*len(raci.Activities()), "a nil index is an empty inventory; only the empty matrix is reported")
	require.Empty(t, raci.CheckRules(nil, nil))
	require.Empty(t, raci.Owners(nil, raci.Config{}, at))
}

func TestCheckIsDeterministic(t *testing.T) {
	inv, c := fixture()
	// Break several things at once so there is something to order.
	identity(inv, "svc-1").Owner = ""
	c.Matrix[raci.Revoke] = raci.Assignment{Accountable: []string{"ops", "iam"}}
	grant(inv, "g-1").Approvals = nil
	x := index(t, inv)
	first := raci.Check(x, c, at)
	require.NotEmpty(t, first)
	for range 20 {
		require.Equal(t, first, raci.Check(x, c, at), "map order must never leak into the result")
	}
}

func TestFindingIDsDoNotDependOnTime(t *testing.T) {
	inv, c := fixture()
	grant(inv, "g-1").Certified = entitlement.Event{By: "fiona", At: ago(200 * day)}
	identity(inv, "svc-1").Credential.Created = ago(400 * day)
	x := index(t, inv)
	ids := func(fs []audit.Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.ID)
		}
		slices.Sort(out)
		return out
	}
	now := raci.Check(x, c, at)
	later := raci.Check(x, c, at.Add(3*day))
	require.NotEmpty(t, now)
	require.Equal(t, ids(now), ids(later), "the same problems three days later keep their IDs, so reports diff cleanly")
}

func TestKinds(t *testing.T) {
	ks := raci.Kinds()
	require.NoError(t, kindtest.Table("raci.", ks), "every kind has a title, known controls, a remediation and help; sorted, no duplicates")
	for _, k := range ks {
		require.Regexp(t, `^raci\.[a-z]+(-[a-z]+)*$`, string(k.Kind), "kinds are package.check-name")
	}
	ks[0].Controls[0] = audit.Control{}
	require.NoError(t, kindtest.Table("raci.", raci.Kinds()), "Kinds returns a copy: a caller's changes do not reach the table")
}

func TestCheckConcurrent(t *testing.T) {
	inv, c := fixture()
	identity(inv, "svc-1").Owner = ""
	grant(inv, "g-1").Approvals = nil
	x := index(t, inv)
	want := raci.Check(x, c, at)
	done := make(chan []audit.Finding)
	for range 8 {
		go func() { done <- raci.Check(x, c, at) }()
	}
	for range 8 {
		require.Equal(t, want, <-done, "Check shares no mutable state between calls")
	}
}
