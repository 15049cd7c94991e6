package lifecycle_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/lifecycle"
)

// lookalikes returns the look-alike findings of inv, each as its subject
// and its evidence.
func lookalikes(t *testing.T, inv *entitlement.Inventory) []string {
	t.Helper()
	out := []string{}
	for _, f := range check(t, inv, at) {
		if f.Kind != lifecycle.KindLookalikeID {
			continue
		}
		s := f.Subject.String() + ":"
		for _, e := range f.Evidence {
			s += " [" + e.String() + "]"
		}
		out = append(out, s)
	}
	return out
}

func TestLookalikeID(t *testing.T) {
	person := func(id string) entitlement.Identity {
		return entitlement.Identity{ID: id, Kind: entitlement.Human, Status: entitlement.IdentityActive}
	}
	tests := []struct {
		name   string
		change func(inv *entitlement.Inventory)
		want   []string
		reason string
	}{
		{"none", func(*entitlement.Inventory) {}, []string{}, "the clean organisation has distinct IDs"},
		{"cyrillic letter", func(inv *entitlement.Inventory) {
			inv.Identities = append(inv.Identities, person("\u0430lice"))
		}, []string{"identity alice: [identity: alice] [identity: <U+0430>lice] [all fold to: alice]"},
			"a Cyrillic а beside a Latin a: the evidence shows the code point"},
		{"zero-width space", func(inv *entitlement.Inventory) {
			inv.Identities = append(inv.Identities, person("bob\u200b"))
		}, []string{"identity bob: [identity: bob] [identity: bob<U+200B>] [all fold to: bob]"},
			"an invisible character does not make an ID distinct"},
		{"decomposed accent", func(inv *entitlement.Inventory) {
			inv.Identities = append(inv.Identities, person("jos\u00e9"), person("jose\u0301"))
		}, []string{"identity jose\u0301: [identity: jose<U+0301>] [identity: jos<U+00E9>] [all fold to: jose<U+0301>]"},
			"é precomposed and e with a combining accent are one name"},
		{"case and fullwidth, three at once", func(inv *entitlement.Inventory) {
			inv.Identities = append(inv.Identities, person("SVC"), person("\uff53vc"))
		}, []string{"identity SVC: [identity: SVC] [identity: svc] [identity: <U+FF53>vc] [all fold to: svc]"},
			"a group is one finding, with every member"},
		{"entitlements and roles", func(inv *entitlement.Inventory) {
			inv.Entitlements = append(inv.Entitlements, entitlement.Entitlement{ID: "erp:\u0440ayment.release"})
			inv.Roles = append(inv.Roles, entitlement.Role{ID: "Payer"})
		}, []string{
			"entitlement erp:payment.release: [entitlement: erp:payment.release] [entitlement: erp:<U+0440>ayment.release] [all fold to: erp:payment.release]",
			"role Payer: [role: Payer] [role: payer] [all fold to: payer]",
		}, "entitlement and role IDs are linted too"},
		{"types do not mix", func(inv *entitlement.Inventory) {
			inv.Roles = append(inv.Roles, entitlement.Role{ID: "Alice"})
		}, []string{}, "an identity and a role may share a look: they never stand in for each other"},
		{"close but distinct", func(inv *entitlement.Inventory) {
			inv.Identities = append(inv.Identities, person("alicia"), person("a1ice"), person("al1ce"))
		}, []string{}, "only the documented foldings count: 1 and l stay apart"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := org()
			tt.change(inv)
			require.Equal(t, tt.want, lookalikes(t, inv), tt.reason)
		})
	}
}

func TestLookalikeFinding(t *testing.T) {
	inv := org()
	inv.Identities = append(inv.Identities, entitlement.Identity{ID: "\u0430lice", Kind: entitlement.Human, Status: entitlement.IdentityActive})
	fs := check(t, inv, at)
	i := slices.IndexFunc(fs, func(f audit.Finding) bool { return f.Kind == lifecycle.KindLookalikeID })
	require.GreaterOrEqual(t, i, 0)
	f := fs[i]
	require.Equal(t, audit.Medium, f.Severity)
	require.Equal(t, []audit.Control{audit.Ref(audit.SP80053, "AC-2"), audit.Ref(audit.SP80053, "IA-4")}, f.Controls)
	require.Equal(t, "2 identity IDs look alike: alice, <U+0430>lice; they differ only in case, invisible characters, "+
		"compatibility forms, the encoding of accents, or Cyrillic or Greek letters that look Latin", f.Message)
	require.Equal(t, f, f.WithID(), "the ID is the finding's stable ID")
	again := check(t, inv, at.AddDate(1, 0, 0))
	require.Contains(t, findingIDs(again), f.ID, "the finding does not depend on the evaluation time")

	// The order of the records does not matter.
	slices.Reverse(inv.Identities)
	require.Contains(t, findingIDs(check(t, inv, at)), f.ID)
}

// TestLookalikeChecker checks that the streaming Checker reports the
// look-alikes in Finish, once, as Check does.
func TestLookalikeChecker(t *testing.T) {
	inv := org()
	inv.Identities = append(inv.Identities,
		entitlement.Identity{ID: "\u0430lice", Kind: entitlement.Human, Status: entitlement.IdentityActive},
		entitlement.Identity{ID: "SVC", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "alice"})
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	want := lifecycle.Check(x, at)

	// The streamed directory holds the identities without their grants.
	dir := *inv
	dir.Identities = slices.Clone(inv.Identities)
	for i := range dir.Identities {
		dir.Identities[i].Grants = nil
	}
	dx, err := entitlement.NewIndex(&dir)
	require.NoError(t, err)
	k := lifecycle.NewChecker(dx, at)
	var got []audit.Finding
	for _, id := range inv.Identities {
		got = append(got, k.Identity(dx.Holder(id))...)
	}
	got = audit.Sort(append(got, k.Finish()...))
	require.Equal(t, findingIDs(want), findingIDs(got))
	n := 0
	for _, f := range got {
		if f.Kind == lifecycle.KindLookalikeID {
			n++
		}
	}
	require.Equal(t, 2, n, "alice and аlice; svc and SVC")
	require.Empty(t, k.Finish(), "a second Finish reports nothing again")
}

func ExampleCheck_lookalike() {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	person := func(id string) entitlement.Identity {
		return entitlement.Identity{ID: id, Kind: entitlement.Human, Status: entitlement.IdentityActive}
	}
	inv := &entitlement.Inventory{Identities: []entitlement.Identity{
		person("alice"), person("\u0430lice"), person("bob"), person("bob\u200b"),
	}}
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range lifecycle.Check(x, at) {
		fmt.Printf("%s %s %s\n", f.Severity, f.Kind, f.Subject)
		for _, e := range f.Evidence {
			fmt.Println("  " + e.String())
		}
	}
	// Output:
	// medium lifecycle.lookalike-id identity alice
	//   identity: alice
	//   identity: <U+0430>lice
	//   all fold to: alice
	// medium lifecycle.lookalike-id identity bob
	//   identity: bob
	//   identity: bob<U+200B>
	//   all fold to: bob
}
