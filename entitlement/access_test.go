package entitlement_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

// diamond is an inventory whose role graph has a diamond and a longer
// detour:
//
//	top → left  → bottom → erp:x
//	top → right → bottom
//	top → zed → mid → bottom   (longer)
//	right also holds erp:y directly; top holds erp:y too.
func diamond() *entitlement.Inventory {
	return &entitlement.Inventory{
		Entitlements: []entitlement.Entitlement{{ID: "erp:x"}, {ID: "erp:y"}, {ID: "erp:z"}},
		Roles: []entitlement.Role{
			// Listed out of order, and juniors listed out of order, to
			// show that paths do not depend on input order.
			{ID: "top", Inherits: []string{"zed", "right", "left"}, Entitlements: []string{"erp:y"}},
			{ID: "right", Inherits: []string{"bottom"}, Entitlements: []string{"erp:y"}},
			{ID: "left", Inherits: []string{"bottom"}},
			{ID: "bottom", Entitlements: []string{"erp:x"}},
			{ID: "zed", Inherits: []string{"mid"}},
			{ID: "mid", Inherits: []string{"bottom"}, Entitlements: []string{"erp:z"}},
		},
		Identities: []entitlement.Identity{{ID: "u", Kind: entitlement.Human, Status: entitlement.IdentityActive}},
	}
}

func index(t *testing.T, inv *entitlement.Inventory) *entitlement.Index {
	t.Helper()
	x, err := entitlement.NewIndex(inv)
	require.NoError(t, err)
	return x
}

// paths renders each holding as "id: path; path".
func paths(hs []entitlement.Holding) []string {
	var out []string
	for _, h := range hs {
		s := h.ID + ":"
		for i, p := range h.Paths {
			if i > 0 {
				s += ";"
			}
			s += " " + p.String()
		}
		out = append(out, s)
	}
	return out
}

func active(id, target string) entitlement.Grant {
	g := entitlement.Grant{ID: id, State: entitlement.GrantActive}
	if strings.HasPrefix(target, "erp:") {
		g.Entitlement = target
	} else {
		g.Role = target
	}
	return g
}

func TestExpandRoleGraph(t *testing.T) {
	x := index(t, diamond())
	a, err := x.Expand([]entitlement.Grant{active("g-1", "top")}, t0)
	require.NoError(t, err)
	if diff := cmp.Diff([]string{
		"erp:x: grant g-1 → role top → role left → role bottom → entitlement erp:x",
		"erp:y: grant g-1 → role top → entitlement erp:y",
		"erp:z: grant g-1 → role top → role zed → role mid → entitlement erp:z",
	}, paths(a.Entitlements)); diff != "" {
		t.Errorf("entitlements: the shortest chain, and among equals the first by role IDs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{
		"bottom: grant g-1 → role top → role left → role bottom",
		"left: grant g-1 → role top → role left",
		"mid: grant g-1 → role top → role zed → role mid",
		"right: grant g-1 → role top → role right",
		"top: grant g-1 → role top",
		"zed: grant g-1 → role top → role zed",
	}, paths(a.Roles)); diff != "" {
		t.Errorf("roles, each reached once, sorted by ID (-want +got):\n%s", diff)
	}
}

func TestExpandDoesNotDependOnInputOrder(t *testing.T) {
	want, err := index(t, diamond()).Expand([]entitlement.Grant{active("g-1", "top"), active("g-2", "right")}, t0)
	require.NoError(t, err)
	for i := range 10 {
		inv := diamond()
		// Rotate every list a different way.
		rot := func(s []string) {
			if len(s) > 0 {
				k := i % len(s)
				copy(s, append(s[k:], s[:k]...))
			}
		}
		for j := range inv.Roles {
			rot(inv.Roles[j].Inherits)
			rot(inv.Roles[j].Entitlements)
		}
		k := i % len(inv.Roles)
		inv.Roles = append(inv.Roles[k:], inv.Roles[:k]...)
		got, err := index(t, inv).Expand([]entitlement.Grant{active("g-2", "right"), active("g-1", "top")}, t0)
		require.NoError(t, err)
		require.Equal(t, paths(want.Entitlements), paths(got.Entitlements), "rotation %d", i)
		require.Equal(t, paths(want.Roles), paths(got.Roles), "rotation %d", i)
	}
}

func TestExpandSeveralPaths(t *testing.T) {
	x := index(t, diamond())
	a, err := x.Expand([]entitlement.Grant{active("g-2", "erp:y"), active("g-1", "top"), active("g-3", "right")}, t0)
	require.NoError(t, err)
	h, ok := a.Entitlement("erp:y")
	require.True(t, ok)
	require.Equal(t, []string{
		"grant g-1 → role top → entitlement erp:y",
		"grant g-2 → entitlement erp:y",
		"grant g-3 → role right → entitlement erp:y",
	}, pathStrings(h.Paths), "one path per grant, sorted by grant")
	_, ok = a.Entitlement("erp:nope")
	require.False(t, ok)
	r, ok := a.Role("bottom")
	require.True(t, ok)
	require.Len(t, r.Paths, 2, "bottom through g-1 and through g-3")
}

func pathStrings(ps []entitlement.Path) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// TestInEffectBoundaries checks which grants contribute at a time, and that
// the interval of a grant is half-open: [start, expiry).
func TestInEffectBoundaries(t *testing.T) {
	start := t0
	end := t0.Add(10 * day)
	tests := []struct {
		name   string
		grant  entitlement.Grant
		at     time.Time
		want   bool
		reason string
	}{
		{"standing", entitlement.Grant{State: entitlement.GrantActive}, t0, true, "no start, no expiry: always"},
		{"at start", entitlement.Grant{State: entitlement.GrantActive, Start: start}, start, true, "a grant that starts exactly at at contributes"},
		{"just before start", entitlement.Grant{State: entitlement.GrantActive, Start: start}, start.Add(-time.Nanosecond), false, "not yet started"},
		{"provisioning is the start", entitlement.Grant{State: entitlement.GrantActive, Provisioned: entitlement.Event{At: start}}, start.Add(-time.Nanosecond), false, "with no Start, access begins at provisioning"},
		{"explicit start wins", entitlement.Grant{State: entitlement.GrantActive, Provisioned: entitlement.Event{At: end}, Start: start}, start, true, "Start overrides the provisioning time"},
		{"just before expiry", entitlement.Grant{State: entitlement.GrantActive, Expires: end}, end.Add(-time.Nanosecond), true, "still in effect"},
		{"at expiry", entitlement.Grant{State: entitlement.GrantActive, Expires: end}, end, false, "a grant that expires exactly at at contributes nothing"},
		{"after expiry", entitlement.Grant{State: entitlement.GrantActive, Expires: end}, end.Add(day), false, "expired"},
		{"revoked state", entitlement.Grant{State: entitlement.GrantRevoked}, t0, false, "a revoked grant contributes nothing"},
		{"expired state", entitlement.Grant{State: entitlement.GrantExpired, Expires: end}, t0, false, "the recorded state is believed"},
		{"requested", entitlement.Grant{State: entitlement.GrantRequested}, t0, false, "not granted yet"},
		{"approved", entitlement.Grant{State: entitlement.GrantApproved}, t0, false, "not provisioned yet"},
		{"unset state", entitlement.Grant{}, t0, false, "the zero grant confers nothing"},
		{"revocation time reached", entitlement.Grant{State: entitlement.GrantActive, Revoked: entitlement.Event{At: start}}, start, false, "a revocation time is honoured even with a stale state"},
		{"revocation time ahead", entitlement.Grant{State: entitlement.GrantActive, Revoked: entitlement.Event{At: end}}, start, true, "revoked later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.grant.InEffect(tt.at), tt.reason)
			tt.grant.ID, tt.grant.Entitlement = "g", "erp:x"
			a, err := index(t, diamond()).Expand([]entitlement.Grant{tt.grant}, tt.at)
			require.NoError(t, err)
			require.Equal(t, tt.want, len(a.Entitlements) == 1, "Expand agrees with InEffect: %s", tt.reason)
		})
	}
}

func TestEligible(t *testing.T) {
	g := entitlement.Grant{ID: "jit", Role: "right", State: entitlement.GrantActive, Eligible: true,
		Activations: []entitlement.Activation{
			{Start: t0.Add(day), End: t0.Add(day + time.Hour)},
			{Start: t0.Add(5 * day)}, // still running
		}}
	x := index(t, diamond())
	tests := []struct {
		name   string
		at     time.Time
		active bool
		reason string
	}{
		{"before any activation", t0, false, "eligible, not activated: the path is there, marked inactive"},
		{"activation start", t0.Add(day), true, "an activation is in force from its start"},
		{"during", t0.Add(day + 30*time.Minute), true, "activated"},
		{"activation end", t0.Add(day + time.Hour), false, "[start, end): not at its end"},
		{"open activation", t0.Add(30 * day), true, "an activation without an end is still running"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.active, g.ActiveAt(tt.at), tt.reason)
			require.True(t, g.InEffect(tt.at), "an eligible grant is in effect whether or not activated")
			a, err := x.Expand([]entitlement.Grant{g}, tt.at)
			require.NoError(t, err)
			h, ok := a.Entitlement("erp:x")
			require.True(t, ok, "eligible access is listed")
			require.True(t, h.Paths[0].Eligible)
			require.Equal(t, tt.active, h.Paths[0].Active, tt.reason)
			require.Equal(t, tt.active, h.Active(), tt.reason)
			suffix := " (eligible)"
			if tt.active {
				suffix = " (eligible, activated)"
			}
			require.Equal(t, "grant jit → role right → role bottom → entitlement erp:x"+suffix, h.Paths[0].String())
		})
	}
	// A standing path makes the holding active even while the eligible
	// one is not.
	a, err := x.Expand([]entitlement.Grant{g, active("g-std", "erp:x")}, t0)
	require.NoError(t, err)
	h, _ := a.Entitlement("erp:x")
	require.True(t, h.Active())
	require.Len(t, h.Paths, 2)
}

func TestExpandBadTargets(t *testing.T) {
	x := index(t, diamond())
	grants := []entitlement.Grant{
		active("g-1", "erp:nope"),
		active("g-2", "no-such-role"),
		{ID: "g-3", State: entitlement.GrantActive},
		{State: entitlement.GrantActive, Entitlement: "erp:z", Role: "left"},
		active("g-5", "erp:y"),
		{ID: "g-6", State: entitlement.GrantRevoked, Entitlement: "erp:nope"},
	}
	a, err := x.Expand(grants, t0)
	var got []string
	for _, e := range entitlement.Errors(err) {
		re, ok := errors.AsType[*entitlement.RecordError](e)
		require.True(t, ok)
		got = append(got, re.Record()+" "+re.Field)
	}
	require.Equal(t, []string{"grant g-1 entitlement", "grant g-2 role", "grant g-3 entitlement", "grant #3 role"}, got,
		"each bad grant is reported, named by ID or position; grants not in effect are not looked at")
	require.ErrorIs(t, err, entitlement.ErrUnknownRef)
	require.ErrorIs(t, err, entitlement.ErrRequired)
	require.ErrorIs(t, err, entitlement.ErrConflict)
	require.Equal(t, []string{
		"erp:x: grant  → role left → role bottom → entitlement erp:x",
		"erp:y: grant g-5 → entitlement erp:y",
		"erp:z: grant  → entitlement erp:z",
	}, paths(a.Entitlements), "good grants still count; a grant with two targets counts both (it fails closed)")
}

func TestEffectiveAccess(t *testing.T) {
	x := index(t, org())
	a, err := x.EffectiveAccess("alice", t0.Add(3*time.Hour))
	require.NoError(t, err)
	require.Equal(t, "alice", a.Identity)
	require.Equal(t, t0.Add(3*time.Hour), a.At)
	require.Equal(t, []string{
		"erp:report.view: grant g-1 → role clerk → role base → entitlement erp:report.view",
		"erp:vendor.create: grant g-1 → role clerk → entitlement erp:vendor.create",
	}, paths(a.Entitlements))

	a, err = x.EffectiveAccess("alice", t0)
	require.NoError(t, err)
	require.Empty(t, a.Entitlements, "before provisioning, nothing")

	_, err = x.EffectiveAccess("mallory", t0)
	require.ErrorIs(t, err, entitlement.ErrUnknownRef)
	re, ok := errors.AsType[*entitlement.RecordError](err)
	require.True(t, ok)
	require.Equal(t, "identity mallory", re.Record())
}

func TestPath(t *testing.T) {
	x := index(t, diamond())
	a, err := x.Expand([]entitlement.Grant{active("g-1", "top"), active("g-2", "erp:x")}, t0)
	require.NoError(t, err)
	h, _ := a.Entitlement("erp:x")
	p := h.Paths[0]
	require.Equal(t, []string{"top", "left", "bottom"}, p.Roles())
	require.Equal(t, "bottom", p.Via(), "the role that confers it")
	require.Equal(t, "grant g-1 → role top → role left → role bottom → entitlement erp:x", p.String())
	direct := h.Paths[1]
	require.Empty(t, direct.Roles(), "a direct grant has no roles")
	require.Equal(t, "", direct.Via())
	require.Equal(t, "grant g-2 → entitlement erp:x", direct.String())
	r, _ := a.Role("left")
	require.Equal(t, "grant g-1 → role top → role left", r.Paths[0].String(), "a role holding ends at the role")

	// Several grants reaching the same entitlement, sorted.
	b, err := x.Expand([]entitlement.Grant{active("g-2", "erp:x"), active("g-1", "mid"), active("g-1", "top"), active("g-1", "right"), active("g-1", "erp:x")}, t0)
	require.NoError(t, err) // g-1 names several grants here only to sort their paths
	hb, _ := b.Entitlement("erp:x")
	require.Equal(t, []string{
		"grant g-1 → entitlement erp:x",
		"grant g-1 → role mid → role bottom → entitlement erp:x",
		"grant g-1 → role right → role bottom → entitlement erp:x",
		"grant g-1 → role top → role left → role bottom → entitlement erp:x",
		"grant g-2 → entitlement erp:x",
	}, pathStrings(hb.Paths), "by grant, then chain length, then the chain")
}

func TestPathJSON(t *testing.T) {
	x := index(t, diamond())
	a, err := x.Expand([]entitlement.Grant{active("g-1", "top")}, t0)
	require.NoError(t, err)
	h, _ := a.Entitlement("erp:x")
	b, err := json.Marshal(h.Paths[0])
	require.NoError(t, err)
	require.JSONEq(t, `{"grant":"g-1","roles":["top","left","bottom"],"entitlement":"erp:x","active":true}`, string(b))
	var zero entitlement.Path
	b, err = json.Marshal(zero)
	require.NoError(t, err)
	require.JSONEq(t, `{"grant":"","active":false}`, string(b), "the zero Path is a direct path of no grant")
}

// TestDeepHierarchy: a chain of 20,000 roles granted at the top gives one
// holding per role, and each path is rebuilt on demand, so the access is
// linear in the chain's length.
func TestDeepHierarchy(t *testing.T) {
	const n = 20_000
	inv := &entitlement.Inventory{Entitlements: []entitlement.Entitlement{{ID: "erp:x"}}}
	for i := range n {
		r := entitlement.Role{ID: fmt.Sprintf("r%05d", i)}
		if i+1 < n {
			r.Inherits = []string{fmt.Sprintf("r%05d", i+1)}
		} else {
			r.Entitlements = []string{"erp:x"}
		}
		inv.Roles = append(inv.Roles, r)
	}
	inv.Identities = []entitlement.Identity{{ID: "u", Kind: entitlement.Human, Status: entitlement.IdentityActive,
		Grants: []entitlement.Grant{active("g-1", "r00000")}}}
	a, err := index(t, inv).EffectiveAccess("u", t0)
	require.NoError(t, err)
	require.Len(t, a.Roles, n)
	h, ok := a.Entitlement("erp:x")
	require.True(t, ok)
	require.Len(t, h.Paths[0].Roles(), n)
	require.Equal(t, fmt.Sprintf("r%05d", n-1), h.Paths[0].Via())
	mid, _ := a.Role("r10000")
	require.Len(t, mid.Paths[0].Roles(), 10_001)
}

func TestPathJSONRoundTrip(t *testing.T) {
	x := index(t, diamond())
	a, err := x.Expand([]entitlement.Grant{active("g-1", "top"), active("g-2", "erp:x")}, t0)
	require.NoError(t, err)
	b, err := json.Marshal(a)
	require.NoError(t, err)
	var back entitlement.Access
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, paths(a.Entitlements), paths(back.Entitlements), "decoded paths keep their chains")
	require.Equal(t, paths(a.Roles), paths(back.Roles))
	h, _ := back.Entitlement("erp:x")
	require.Equal(t, "bottom", h.Paths[0].Via())
	require.Equal(t, 0, h.Paths[0].Compare(a.Entitlements[0].Paths[0]), "a decoded path compares equal to the one it came from")
}
