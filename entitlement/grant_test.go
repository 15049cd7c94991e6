package entitlement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

func TestGrantTarget(t *testing.T) {
	tests := []struct {
		name    string
		g       entitlement.Grant
		typ, id string
		reason  string
	}{
		{"entitlement", entitlement.Grant{Entitlement: "erp:x"}, "entitlement", "erp:x", "a direct grant"},
		{"role", entitlement.Grant{Role: "clerk"}, "role", "clerk", "a role grant"},
		{"both", entitlement.Grant{Entitlement: "erp:x", Role: "clerk"}, "role", "clerk", "an invalid grant reports its role"},
		{"neither", entitlement.Grant{}, "", "", "nothing to report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, id := tt.g.Target()
			require.Equal(t, tt.typ, typ, tt.reason)
			require.Equal(t, tt.id, id, tt.reason)
		})
	}
}

func TestGrantTimes(t *testing.T) {
	prov := t0.Add(time.Hour)
	tests := []struct {
		name     string
		g        entitlement.Grant
		start    time.Time
		duration time.Duration
		bounded  bool
		reason   string
	}{
		{"nothing recorded", entitlement.Grant{}, time.Time{}, 0, false, "no start: begun before any time of interest"},
		{"provisioned", entitlement.Grant{Provisioned: entitlement.Event{At: prov}}, prov, 0, false, "provisioning starts the access; no expiry, no length"},
		{"explicit start", entitlement.Grant{Provisioned: entitlement.Event{At: prov}, Start: t0}, t0, 0, false, "Start wins over provisioning"},
		{"bounded", entitlement.Grant{Provisioned: entitlement.Event{At: prov}, Expires: prov.Add(30 * day)}, prov, 30 * day, true, "expiry minus start"},
		{"expiry without start", entitlement.Grant{Expires: t0}, time.Time{}, 0, false, "an unknown start gives no length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.start, tt.g.StartTime(), tt.reason)
			d, ok := tt.g.Duration()
			require.Equal(t, tt.bounded, ok, tt.reason)
			require.Equal(t, tt.duration, d, tt.reason)
		})
	}
}

func TestActivationContains(t *testing.T) {
	a := entitlement.Activation{Start: t0, End: t0.Add(time.Hour)}
	require.False(t, a.Contains(t0.Add(-time.Nanosecond)))
	require.True(t, a.Contains(t0), "from its start")
	require.True(t, a.Contains(t0.Add(time.Hour-time.Nanosecond)))
	require.False(t, a.Contains(t0.Add(time.Hour)), "until, not including, its end")
	open := entitlement.Activation{Start: t0}
	require.True(t, open.Contains(t0.Add(1000*day)), "an activation without an end has not ended")
}

func TestEventIsZero(t *testing.T) {
	require.True(t, entitlement.Event{}.IsZero())
	require.False(t, entitlement.Event{By: "bob"}.IsZero(), "an actor without a time is recorded")
	require.False(t, entitlement.Event{At: t0}.IsZero(), "a time without an actor is recorded")
}
