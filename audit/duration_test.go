package audit_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

func TestFormatDuration(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name   string
		reason string
		d      time.Duration
		want   string
	}{
		{"zero", "no empty string", 0, "PT0S"},
		{"days", "whole days", 90 * day, "P90D"},
		{"days and hours", "no fraction of a day: exact", 2*day + 4*time.Hour, "P2DT4H"},
		{"hours and minutes", "below a day", 7*time.Hour + 30*time.Minute, "PT7H30M"},
		{"seconds", "below a minute", 90 * time.Second, "PT1M30S"},
		{"weeks are days", "never weeks", 14 * day, "P14D"},
		{"fraction", "a fraction of a second is kept, without trailing zeros", 1500 * time.Millisecond, "PT1.5S"},
		{"nanosecond", "leading zeros of the fraction are kept", time.Nanosecond, "PT0.000000001S"},
		{"close days", "289.9 days and 290 days read differently: evidence enters IDs", 290*day - 2*time.Hour - 24*time.Minute, "P289DT21H36M"},
		{"negative", "a leading minus", -3 * time.Hour, "-PT3H"},
		{"smallest", "the magnitude of math.MinInt64 does not overflow", math.MinInt64, "-P106751DT23H47M16.854775808S"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, audit.FormatDuration(tt.d), tt.reason)
		})
	}
}

func ExampleFormatDuration() {
	fmt.Println(audit.FormatDuration(90*24*time.Hour), audit.FormatDuration(52*time.Hour), audit.FormatDuration(4*time.Hour+30*time.Minute))
	// Output: P90D P2DT4H PT4H30M
}
