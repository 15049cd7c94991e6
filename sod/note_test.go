package sod_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

// TestCheckerNote holds Note to what Finish needs: a Checker told of every
// identity with Note finishes with the findings one that checked them all
// finishes with — the demo's exceptions cover identities and a party's
// members, some expired, one orphaned — and telling it of an identity no
// exception covers, even one that violates a rule, costs no detection (a
// shard is told of every identity it does not check).
func TestCheckerNote(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	e, err := sod.Compile(b.Index, b.SoD)
	require.NoError(t, err)
	covered := func(id string) bool {
		return slices.ContainsFunc(b.SoD.Exceptions, func(x sod.Exception) bool {
			return x.Identity == id || x.Identity == "" && b.Index.IsMember(x.Party, id)
		})
	}
	checked, noted := e.NewChecker(b.AsOf), e.NewChecker(b.AsOf)
	var uncovered *entitlement.Holder // an identity violating a rule no exception covers for it
	for _, id := range b.Index.Inventory().Identities {
		h := b.Index.Holder(id)
		fs := checked.Identity(h)
		noted.Note(h)
		violates := slices.ContainsFunc(fs, func(f audit.Finding) bool { return f.Kind == sod.KindToxicCombination })
		if uncovered == nil && violates && !covered(id.ID) {
			uncovered = h
		}
	}
	want := checked.Finish()
	require.NotEmpty(t, want)
	require.Equal(t, want, noted.Finish(), "Note keeps what the exception findings need")

	require.NotNil(t, uncovered, "the demo has a violation no exception covers")
	allocs := testing.AllocsPerRun(50, func() { noted.Note(uncovered) })
	require.Zero(t, allocs, "%s violates a rule, but no exception covers it: Note need not detect anything", uncovered.Identity.ID)
}
