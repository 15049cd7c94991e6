package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
	"github.com/sodkit/sodkit/sod/sodtest"
)

// at is the time the catalogue is checked at. The catalogue's grants carry
// no dates, so any fixed time will do; a fixed one keeps the test the same
// every day.
var at = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// checkCatalogue is the guard: every rule must evaluate against the
// catalogue, and no role or joiner template may hold a toxic
// combination. It takes a sodtest.TB so the same check runs on the real
// catalogue with t and on a broken one with a sodtest.Recorder.
func checkCatalogue(t sodtest.TB, c catalogue) {
	t.Helper()
	x, err := c.index()
	if err != nil {
		t.Errorf("the catalogue does not index: %v", err)
		return
	}
	sodtest.AssertRuleSetValid(t, x, c.SoD)
	sodtest.AssertNoViolations(t, x, c.SoD, at)
}

func TestCatalogue(t *testing.T) {
	checkCatalogue(t, current())
}

// role returns the catalogue's role id, to change it in place.
func role(t *testing.T, c *catalogue, id string) *entitlement.Role {
	t.Helper()
	i := slices.IndexFunc(c.Roles, func(r entitlement.Role) bool { return r.ID == id })
	if i < 0 {
		t.Fatalf("no role %q", id)
	}
	return &c.Roles[i]
}

// jobOf returns the catalogue's joiner template id, to change it in place.
func jobOf(t *testing.T, c *catalogue, id string) *job {
	t.Helper()
	i := slices.IndexFunc(c.Jobs, func(j job) bool { return j.ID == id })
	if i < 0 {
		t.Fatalf("no job %q", id)
	}
	return &c.Jobs[i]
}

// TestToxicChangeIsCaught proves the guard works: each change below makes
// the catalogue toxic, and the guard must fail, naming the rule and the
// path that explains the access.
func TestToxicChangeIsCaught(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		change func(t *testing.T, c *catalogue)
		want   []string // in the failure message
	}{
		{
			name:   "role gains an entitlement",
			reason: "a clerk who posts invoices must not maintain vendors; the supervisor inherits the clerk role, so it breaks too",
			change: func(t *testing.T, c *catalogue) {
				clerk := role(t, c, "ap-clerk")
				clerk.Entitlements = append(clerk.Entitlements, "erp:vendor.update")
			},
			want: []string{
				"sod.intra-role-conflict role ap-clerk, rule R-P2P-02",
				"side Maintain vendor master: entitlement erp:vendor.update via role ap-clerk → entitlement erp:vendor.update",
				"sod.intra-role-conflict role ap-supervisor, rule R-P2P-01",
				"sod.toxic-combination identity job:accounts-payable-clerk, rule R-P2P-02",
				"grant accounts-payable-clerk/ap-clerk → role ap-clerk → entitlement erp:invoice.post",
			},
		},
		{
			name:   "role inherits a role",
			reason: "treasury must not release the payments it approves at the bank",
			change: func(t *testing.T, c *catalogue) {
				treasury := role(t, c, "treasury")
				treasury.Inherits = append(treasury.Inherits, "ap-supervisor")
			},
			want: []string{
				"critical sod.intra-role-conflict role treasury, rule R-PAY-04",
				"via role treasury → role ap-supervisor → entitlement erp:payment.release",
				"sod.toxic-combination identity job:treasurer, rule R-PAY-04",
			},
		},
		{
			name:   "joiner template combines roles",
			reason: "no role is toxic by itself, but a steward who is also a clerk maintains vendors and posts invoices",
			change: func(t *testing.T, c *catalogue) {
				steward := jobOf(t, c, "vendor-data-steward")
				steward.Roles = append(steward.Roles, "ap-clerk")
			},
			want: []string{
				"high sod.toxic-combination identity job:vendor-data-steward, rule R-P2P-02",
				"side Post supplier invoices: entitlement erp:invoice.post via grant vendor-data-steward/ap-clerk → role ap-clerk → entitlement erp:invoice.post",
				"side Maintain vendor master: entitlement erp:vendor.create via grant vendor-data-steward/vendor-maintainer → role vendor-maintainer → entitlement erp:vendor.create",
			},
		},
		{
			name:   "entitlement retired under a rule",
			reason: "a rule that names an entitlement the catalogue no longer has cannot be evaluated, and fails closed",
			change: func(t *testing.T, c *catalogue) {
				c.SoD.Rules = append(c.SoD.Rules, sod.Rule{ID: "R-LEG-10", Title: "Legacy superuser",
					Sides: []sod.Side{{Name: "Superuser", Entitlements: []string{"erp:legacy.superuser"}}}})
			},
			want: []string{"critical sod.indeterminate rule R-LEG-10 (indeterminate)", "entitlement erp:legacy.superuser"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := current()
			tt.change(t, &c)
			rec := new(sodtest.Recorder)
			checkCatalogue(rec, c)
			if !rec.Failed() {
				t.Fatalf("%s: the guard passed a toxic catalogue", tt.reason)
			}
			msg := strings.Join(rec.Messages(), "\n")
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%s: the failure does not say %q:\n%s", tt.reason, w, msg)
				}
			}
		})
	}
}

// TestFailureMessage pins what a reviewer reads when a change makes a
// joiner template toxic: the rule, the template's identity, and the path
// from each grant through the roles to the entitlements that make it so.
func TestFailureMessage(t *testing.T) {
	c := current()
	steward := jobOf(t, &c, "vendor-data-steward")
	steward.Roles = append(steward.Roles, "ap-clerk")
	rec := new(sodtest.Recorder)
	checkCatalogue(rec, c)
	want := strings.TrimPrefix(`
sodtest.NoViolations at 2026-11-01T00:00:00Z: 1 failing finding
  high sod.toxic-combination identity job:vendor-data-steward, rule R-P2P-02
    job:vendor-data-steward holds 2 of the 2 duties of rule R-P2P-02 (Maintain vendors and post invoices): Maintain vendor master + Post supplier invoices
    side Maintain vendor master: entitlement erp:vendor.create via grant vendor-data-steward/vendor-maintainer → role vendor-maintainer → entitlement erp:vendor.create
    side Maintain vendor master: entitlement erp:vendor.update via grant vendor-data-steward/vendor-maintainer → role vendor-maintainer → entitlement erp:vendor.update
    side Post supplier invoices: entitlement erp:invoice.post via grant vendor-data-steward/ap-clerk → role ap-clerk → entitlement erp:invoice.post
`, "\n")
	if got := strings.Join(rec.Messages(), "\n") + "\n"; got != want {
		t.Errorf("failure message:\n%s\nwant:\n%s", got, want)
	}
}

// TestRun runs the command on the catalogue as it stands and on a broken
// one.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if code := run(&out, current(), at); code != 0 || out.String() != "ok: 5 roles and 4 joiner templates obey 3 rules\n" {
		t.Errorf("run: exit %d, output %q", code, out.String())
	}
	broken := current()
	clerk := role(t, &broken, "ap-clerk")
	clerk.Inherits = append(clerk.Inherits, "ap-supervisor") // a cycle: the supervisor inherits the clerk
	out.Reset()
	if code := run(&out, broken, at); code != 1 || !strings.Contains(out.String(), "cycle") {
		t.Errorf("run on a catalogue with a cycle: exit %d, output %q", code, out.String())
	}
	broken = current()
	clerkJob := jobOf(t, &broken, "accounts-payable-clerk")
	clerkJob.Roles = append(clerkJob.Roles, "vendor-maintainer")
	out.Reset()
	if code := run(&out, broken, at); code != 1 || !strings.Contains(out.String(), "job:accounts-payable-clerk") {
		t.Errorf("run on a toxic catalogue: exit %d, output %q", code, out.String())
	}
}
