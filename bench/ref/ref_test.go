package ref_test

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/sod"

	"github.com/sodkit/sodkit/bench/ref"
)

// detectRef converts inv and c to the reference format, loads, compiles
// and detects at each time, and returns identity → sorted rule IDs per
// time.
func detectRef(t testing.TB, inv *entitlement.Inventory, c sod.Config, times []time.Time) []map[string][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := ref.Write(&buf, inv, c); err != nil {
		t.Fatal(err)
	}
	w, err := ref.Load("world", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if w.Identities() != len(inv.Identities) {
		t.Fatalf("loaded %d identities, wrote %d", w.Identities(), len(inv.Identities))
	}
	e := ref.Compile(w)
	var out []map[string][]string
	for _, at := range times {
		vs, err := e.Detect(at)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, groupRef(w, e, vs))
	}
	return out
}

func groupRef(w *ref.World, e *ref.Engine, vs []ref.Violation) map[string][]string {
	m := map[string][]string{}
	for i, v := range vs {
		if i > 0 && (vs[i-1].Identity > v.Identity || vs[i-1].Identity == v.Identity && vs[i-1].Rule >= v.Rule) {
			panic(fmt.Sprintf("violations out of order at %d: %v then %v", i, vs[i-1], v))
		}
		id := w.IdentityID(int(v.Identity))
		m[id] = append(m[id], e.RuleID(v.Rule))
	}
	for k := range m {
		slices.Sort(m[k])
	}
	return m
}

// detectSodkit returns sodkit's violations per time, in the same shape.
func detectSodkit(t testing.TB, inv *entitlement.Inventory, c sod.Config, times []time.Time) []map[string][]string {
	t.Helper()
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		t.Fatal(err)
	}
	e, err := sod.Compile(x, c)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string][]string
	for _, at := range times {
		m := map[string][]string{}
		for _, v := range e.Detect(at) {
			if v.Scope != "" {
				t.Fatalf("scoped violation %+v: the reference implements identity-wide rules only", v)
			}
			m[v.Identity] = append(m[v.Identity], v.Rule)
		}
		for k := range m {
			slices.Sort(m[k])
			m[k] = slices.Compact(m[k])
		}
		out = append(out, m)
	}
	return out
}

// diff describes how two identity → rules maps differ, or returns "".
func diff(want, got map[string][]string) string {
	var b strings.Builder
	keys := slices.Sorted(maps.Keys(want))
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	n := 0
	for _, k := range keys {
		if !slices.Equal(want[k], got[k]) {
			if n++; n <= 10 {
				fmt.Fprintf(&b, "  %s: sodkit %v, reference %v\n", k, want[k], got[k])
			}
		}
	}
	if n > 10 {
		fmt.Fprintf(&b, "  and %d more identities\n", n-10)
	}
	return b.String()
}

// boundaries returns instants where the answer changes: the starts and
// ends of grants and activations of the first identities, so the
// half-open windows are checked at their edges.
func boundaries(inv *entitlement.Inventory, n int) []time.Time {
	var out []time.Time
	for _, id := range inv.Identities {
		for _, g := range id.Grants {
			if g.State != entitlement.GrantActive {
				continue
			}
			if g.Eligible {
				for _, a := range g.Activations {
					out = append(out, a.Start, a.End)
				}
			}
			out = append(out, g.StartTime(), g.Expires)
		}
	}
	out = slices.DeleteFunc(out, time.Time.IsZero)
	// A spread of them, deterministic.
	var picked []time.Time
	for i := 0; i < len(out) && len(picked) < n; i += max(1, len(out)/n) {
		picked = append(picked, out[i])
	}
	return picked
}

// TestAgreesWithSodkit is the reference's reason to exist: on the
// generated worlds it reports exactly the violations sod.Engine.Detect
// reports, per identity, at the export time and at the edges of grant and
// activation windows.
func TestAgreesWithSodkit(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		cfg    synth.Config
		rules  int
	}{
		{
			name:   "default",
			reason: "the peer's world: expired, revoked, not yet started and just-in-time grants, roles four levels deep",
			cfg:    synth.Config{Seed: 7, Identities: 3000},
			rules:  500,
		},
		{
			name:   "governed",
			reason: "privileged access time-bound or just in time, with activations inside the grants' windows",
			cfg:    synth.Config{Seed: 3, Identities: 1500, Governed: true},
			rules:  300,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := synth.Generate(tt.cfg)
			c := synth.Rules(inv, tt.rules, tt.cfg.Seed)
			times := []time.Time{synth.AsOf, synth.AsOf.AddDate(0, -6, 0), synth.AsOf.AddDate(0, 0, 20)}
			times = append(times, boundaries(inv, 12)...)
			want := detectSodkit(t, inv, c, times)
			got := detectRef(t, inv, c, times)
			for i, at := range times {
				if d := diff(want[i], got[i]); d != "" {
					t.Errorf("at %s, the violations differ:\n%s", at.Format(time.RFC3339Nano), d)
				}
			}
			// The comparison must exercise every kind of rule.
			kinds := coverage(c, want[0])
			for _, k := range []string{"pair", "k-of-n", "roles", "critical", "dynamic"} {
				if kinds[k] == 0 {
					t.Errorf("no violation of a %s rule at %s: the comparison would not cover it", k, times[0])
				}
			}
			t.Logf("%d identities with violations at %s; by kind of rule: %v", len(want[0]), times[0].Format(time.DateOnly), kinds)
		})
	}
}

// coverage counts violations by the kind of rule violated.
func coverage(c sod.Config, vs map[string][]string) map[string]int {
	kind := map[string][]string{}
	for _, r := range c.Rules {
		var ks []string
		switch {
		case r.Need() == 1:
			ks = append(ks, "critical")
		case len(r.Sides[0].Roles) > 0:
			ks = append(ks, "roles")
		case r.Need() < len(r.Sides):
			ks = append(ks, "k-of-n")
		default:
			ks = append(ks, "pair")
		}
		if r.Dynamic {
			ks = append(ks, "dynamic")
		}
		kind[r.ID] = ks
	}
	out := map[string]int{}
	for _, rules := range vs {
		for _, r := range rules {
			for _, k := range kind[r] {
				out[k]++
			}
		}
	}
	return out
}

// TestSemantics pins the detection rules one case at a time, on a small
// hand-written world: each case is one identity, and both sodkit and the
// reference must report exactly the rules it names.
func TestSemantics(t *testing.T) {
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	hour := time.Hour
	prov := at.Add(-30 * 24 * hour)
	ents := []entitlement.Entitlement{{ID: "s:a"}, {ID: "s:b"}, {ID: "s:c"}, {ID: "s:d"}, {ID: "s:e"}}
	roles := []entitlement.Role{
		{ID: "top", Inherits: []string{"mid"}},
		{ID: "mid", Entitlements: []string{"s:b"}, Inherits: []string{"base"}},
		{ID: "base", Entitlements: []string{"s:a"}},
		{ID: "other", Entitlements: []string{"s:e"}},
	}
	c := sod.Config{
		Duties: []sod.Duty{{ID: "pay", Entitlements: []string{"s:c"}}},
		Rules: []sod.Rule{
			{ID: "pair", Sides: []sod.Side{{Entitlements: []string{"s:a"}}, {Duty: "pay"}}},
			{ID: "dyn", Dynamic: true, Sides: []sod.Side{{Entitlements: []string{"s:a"}}, {Entitlements: []string{"s:c"}}}},
			{ID: "crit", Sides: []sod.Side{{Entitlements: []string{"s:d"}}}},
			{ID: "nist", K: 2, Sides: []sod.Side{{Roles: []string{"base"}}, {Roles: []string{"mid"}}, {Roles: []string{"other"}}}},
			{ID: "overlap", Sides: []sod.Side{{Entitlements: []string{"s:e"}}, {Entitlements: []string{"s:e", "s:b"}}}},
		},
	}
	standing := func(target string) entitlement.Grant {
		g := entitlement.Grant{State: entitlement.GrantActive, Provisioned: entitlement.Event{At: prov}}
		if target == "top" || target == "mid" || target == "base" || target == "other" {
			g.Role = target
		} else {
			g.Entitlement = "s:" + target
		}
		return g
	}
	jit := func(target string, acts ...entitlement.Activation) entitlement.Grant {
		g := standing(target)
		g.Eligible, g.Activations = true, acts
		return g
	}
	with := func(g entitlement.Grant, f func(*entitlement.Grant)) entitlement.Grant { f(&g); return g }
	act := func(from, until time.Duration) entitlement.Activation {
		return entitlement.Activation{Start: at.Add(from), End: at.Add(until)}
	}
	tests := []struct {
		name   string
		reason string
		grants []entitlement.Grant
		want   []string
	}{
		{"nothing", "no grant, no violation", nil, nil},
		{"pair", "two sides held directly; the second side is a duty", []entitlement.Grant{standing("a"), standing("c")}, []string{"dyn", "pair"}},
		{"through roles", "a is held through top → mid → base", []entitlement.Grant{standing("top"), standing("c")}, []string{"dyn", "nist", "pair"}},
		{"role sides inherited", "holding top holds mid and base: two of the NIST set", []entitlement.Grant{standing("top")}, []string{"nist"}},
		{"role side direct only", "base alone is one side of the NIST set", []entitlement.Grant{standing("base")}, nil},
		{"entitlement is not its role", "holding a directly does not hold role base", []entitlement.Grant{standing("a"), standing("b"), standing("e")}, []string{"overlap"}},
		{"one member on two sides", "e is on both sides of overlap", []entitlement.Grant{standing("e")}, []string{"overlap"}},
		{"critical", "one duty by itself", []entitlement.Grant{standing("d")}, []string{"crit"}},
		{"eligible counts for static rules", "an eligible grant never activated counts for pair, not for dyn", []entitlement.Grant{standing("a"), jit("c")}, []string{"pair"}},
		{"activated", "an activation containing at makes it active", []entitlement.Grant{standing("a"), jit("c", act(-hour, hour))}, []string{"dyn", "pair"}},
		{"activation ends at at", "activations are half-open: one ending at at is over", []entitlement.Grant{standing("a"), jit("c", act(-hour, 0), act(-2*hour, -hour))}, []string{"pair"}},
		{"activation ends just after", "one nanosecond left", []entitlement.Grant{standing("a"), jit("c", act(-hour, time.Nanosecond))}, []string{"dyn", "pair"}},
		{"activation starts at at", "a start exactly at at is in force", []entitlement.Grant{standing("a"), jit("c", act(0, hour))}, []string{"dyn", "pair"}},
		{"activation open", "an activation without an end still runs", []entitlement.Grant{standing("a"), with(jit("c"), func(g *entitlement.Grant) {
			g.Activations = []entitlement.Activation{{Start: at.Add(-hour)}}
		})}, []string{"dyn", "pair"}},
		{"activation in the future", "not yet active", []entitlement.Grant{standing("a"), jit("c", act(hour, 2*hour))}, []string{"pair"}},
		{"eligible role", "an eligible role grant counts for static rules through its closure", []entitlement.Grant{jit("top"), standing("c")}, []string{"nist", "pair"}},
		{"expires at at", "windows are half-open: a grant expiring at at is over", []entitlement.Grant{standing("a"), with(standing("c"), func(g *entitlement.Grant) { g.Expires = at })}, nil},
		{"expires just after", "one nanosecond left", []entitlement.Grant{standing("a"), with(standing("c"), func(g *entitlement.Grant) { g.Expires = at.Add(time.Nanosecond) })}, []string{"dyn", "pair"}},
		{"starts at at", "a start exactly at at is in effect", []entitlement.Grant{standing("a"), with(standing("c"), func(g *entitlement.Grant) { g.Start = at })}, []string{"dyn", "pair"}},
		{"starts after at", "not yet in effect", []entitlement.Grant{standing("a"), with(standing("c"), func(g *entitlement.Grant) { g.Start = at.Add(time.Nanosecond) })}, nil},
		{"provisioned after at", "without a start, access begins at provisioning", []entitlement.Grant{standing("a"), with(standing("c"), func(g *entitlement.Grant) {
			g.Provisioned.At = at.Add(hour)
		})}, nil},
		{"start before provisioning", "an explicit start wins over the provisioning time", []entitlement.Grant{standing("a"), with(standing("c"), func(g *entitlement.Grant) {
			g.Provisioned.At, g.Start = at.Add(hour), at.Add(-hour)
		})}, []string{"dyn", "pair"}},
		{"no times", "a grant with no start and no expiry is always in effect", []entitlement.Grant{with(standing("d"), func(g *entitlement.Grant) { g.Provisioned.At = time.Time{} })}, []string{"crit"}},
		{"revoked", "a revoked grant confers nothing, whenever it was revoked", []entitlement.Grant{with(standing("d"), func(g *entitlement.Grant) {
			g.State, g.Revoked.At = entitlement.GrantRevoked, at.Add(hour)
		})}, nil},
		{"expired state", "an expired grant confers nothing even without an expiry time", []entitlement.Grant{with(standing("d"), func(g *entitlement.Grant) { g.State = entitlement.GrantExpired })}, nil},
		{"requested", "requested access is not held", []entitlement.Grant{{Entitlement: "s:d", State: entitlement.GrantRequested}}, nil},
		{"approved", "approved but not provisioned access is not held", []entitlement.Grant{{Entitlement: "s:d", State: entitlement.GrantApproved}}, nil},
	}
	inv := &entitlement.Inventory{Entitlements: ents, Roles: roles}
	for i, tt := range tests {
		id := entitlement.Identity{ID: fmt.Sprintf("id-%02d", i), Kind: entitlement.Human, Status: entitlement.IdentityActive}
		for gi, g := range tt.grants {
			g.ID = fmt.Sprintf("g-%02d-%d", i, gi)
			id.Grants = append(id.Grants, g)
		}
		inv.Identities = append(inv.Identities, id)
	}
	times := []time.Time{at}
	sodkit := detectSodkit(t, inv, c, times)[0]
	reference := detectRef(t, inv, c, times)[0]
	for i, tt := range tests {
		id := inv.Identities[i].ID
		if !slices.Equal(sodkit[id], tt.want) {
			t.Errorf("%s (%s): sodkit %v, want %v", tt.name, tt.reason, sodkit[id], tt.want)
		}
		if !slices.Equal(reference[id], tt.want) {
			t.Errorf("%s (%s): reference %v, want %v", tt.name, tt.reason, reference[id], tt.want)
		}
	}
}

// TestWriteRefuses checks that what the reference does not implement or
// cannot represent is refused, with the record and field named.
func TestWriteRefuses(t *testing.T) {
	base := func() (*entitlement.Inventory, sod.Config) {
		inv := &entitlement.Inventory{
			Entitlements: []entitlement.Entitlement{{ID: "a"}, {ID: "b"}},
			Identities: []entitlement.Identity{{ID: "u1", Grants: []entitlement.Grant{
				{ID: "g1", Entitlement: "a", State: entitlement.GrantActive},
			}}},
		}
		c := sod.Config{Rules: []sod.Rule{{ID: "R1", Sides: []sod.Side{{Entitlements: []string{"a"}}, {Entitlements: []string{"b"}}}}}}
		return inv, c
	}
	tests := []struct {
		name   string
		reason string
		change func(*entitlement.Inventory, *sod.Config)
		want   string // in the error
	}{
		{"scoped rule", "the reference implements identity-wide rules only", func(_ *entitlement.Inventory, c *sod.Config) {
			c.Rules[0].Scope = sod.ScopeSystem
		}, "rule R1: scope: scope system"},
		{"tab in an ID", "tabs separate fields", func(inv *entitlement.Inventory, _ *sod.Config) {
			inv.Identities[0].ID = "u\t1"
		}, `identity u` + "\t" + `1: id: ID "u\t1" holds a tab or newline`},
		{"time out of range", "Unix nanoseconds end in 2262", func(inv *entitlement.Inventory, _ *sod.Config) {
			inv.Identities[0].Grants[0].Expires = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
		}, "identity u1 grant g1: start: time outside the range"},
		{"unset state", "a grant with no state cannot be converted faithfully", func(inv *entitlement.Inventory, _ *sod.Config) {
			inv.Identities[0].Grants[0].State = 0
		}, "identity u1 grant g1: state: unset or unknown state"},
		{"two targets", "a grant names one target", func(inv *entitlement.Inventory, _ *sod.Config) {
			inv.Identities[0].Grants[0].Role = "r"
		}, "identity u1 grant g1: entitlement: a grant names exactly one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, c := base()
			tt.change(inv, &c)
			var buf bytes.Buffer
			err := ref.Write(&buf, inv, c)
			if !errors.Is(err, ref.ErrUnsupported) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write: %v; want an ErrUnsupported naming %q (%s)", err, tt.want, tt.reason)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before refusing", buf.Len())
			}
		})
	}
}

// TestLoadRejects checks that Load reports malformed worlds with the line
// and field, every problem at once.
func TestLoadRejects(t *testing.T) {
	const head = ref.Header + "\ne\ta\ne\tb\nr\tR\t1\ta\t0\n"
	tests := []struct {
		name   string
		reason string
		data   string
		want   []string // in the error, each with its sentinel's text
		is     error
	}{
		{"no header", "the format is versioned", "e\ta\n", []string{"world:1: header: malformed"}, ref.ErrSyntax},
		{"unknown target", "every reference resolves", head + "i\tu1\ng\te\tzz\ta\tstanding\t-\t-\t0\n", []string{`world:6: identity u1: target: unknown reference: entitlement "zz"`}, ref.ErrUnknown},
		{"duplicate entitlement", "IDs are unique", ref.Header + "\ne\ta\ne\ta\n", []string{"world:3: entitlement a: id: duplicate ID"}, ref.ErrDuplicate},
		{"duplicate identity", "IDs are unique", head + "i\tu1\ni\tu2\ni\tu1\n", []string{"world:7: identity u1: id: duplicate ID"}, ref.ErrDuplicate},
		{"cycle", "role inheritance is a DAG", ref.Header + "\nr\tX\t0\t1\tY\nr\tY\t0\t1\tX\n", []string{"role inheritance cycle"}, ref.ErrCycle},
		{"too few sides", "a rule declares its sides", head + "k\tK\t2\tstatic\t2\ns\t1\ta\t0\ni\tu\n", []string{"world:5: rule K: sides: malformed: 2 sides declared, 1 follow"}, ref.ErrSyntax},
		{"need above sides", "need is 1 to the number of sides", head + "k\tK\t3\tstatic\t2\ns\t1\ta\t0\ns\t1\tb\t0\n", []string{"world:5: rule K: need: malformed"}, ref.ErrSyntax},
		{"activations on a standing grant", "only just-in-time grants are activated", head + "i\tu1\ng\te\ta\ta\tstanding\t-\t-\t1\t5\t-\n", []string{"world:6: identity u1: activations: malformed"}, ref.ErrSyntax},
		{"bad time", "times are integers", head + "i\tu1\ng\te\ta\ta\tstanding\t1.5\t-\t0\n", []string{`world:6: identity u1: from: malformed: time "1.5"`}, ref.ErrSyntax},
		{"out of order", "sections come in order", head + "i\tu1\ne\tc\n", []string{`world:6: kind: malformed: 'e' line in the identities section`}, ref.ErrSyntax},
		{"every problem", "all problems at once, in line order", head + "i\tu1\ng\te\tzz\ta\tstanding\t-\t-\t0\ng\tr\tQ\ta\tstanding\t-\t-\t0\n",
			[]string{`world:6: identity u1: target: unknown reference: entitlement "zz"`, `world:7: identity u1: target: unknown reference: role "Q"`}, ref.ErrUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ref.Load("world", []byte(tt.data))
			if err == nil {
				t.Fatalf("Load accepted it (%s): %d identities", tt.reason, w.Identities())
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("Load: %v; want errors.Is %v", err, tt.is)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Load: %v\nwant it to say %q (%s)", err, s, tt.reason)
				}
			}
			var re *ref.Error
			if !errors.As(err, &re) {
				t.Errorf("Load: %T, want *ref.Error values", err)
			}
		})
	}
}

// TestDetectRefusesTime checks that a time Unix nanoseconds cannot hold is
// refused rather than compared wrongly.
func TestDetectRefusesTime(t *testing.T) {
	w, err := ref.Load("w", []byte(ref.Header+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	e := ref.Compile(w)
	for _, at := range []time.Time{{}, time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if _, err := e.Detect(at); !errors.Is(err, ref.ErrUnsupported) {
			t.Errorf("Detect(%s): %v, want ErrUnsupported", at, err)
		}
	}
	if vs, err := e.Detect(synth.AsOf); err != nil || len(vs) != 0 {
		t.Errorf("Detect on an empty world: %v, %v", vs, err)
	}
}
