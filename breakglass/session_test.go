package breakglass_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/breakglass"
)

func TestSessionActiveAt(t *testing.T) {
	s := breakglass.Session{Start: t0, End: t0.Add(time.Hour)}
	tests := []struct {
		name    string
		session breakglass.Session
		at      time.Time
		want    bool
		reason  string
	}{
		{"before the start", s, after(-time.Nanosecond), false, "not yet started"},
		{"at the start", s, after(0), true, "the interval is closed at the start"},
		{"just before the end", s, after(time.Hour - time.Nanosecond), true, "still running"},
		{"at the end", s, after(time.Hour), false, "the interval is open at the end"},
		{"no end", breakglass.Session{Start: t0}, after(1000 * time.Hour), true, "a session without an end is still active"},
		{"zero", breakglass.Session{}, after(0), false, "a session without a start is never active"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.session.ActiveAt(tt.at), tt.reason)
		})
	}
}
