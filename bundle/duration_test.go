package bundle_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
)

const day = 24 * time.Hour

func TestParseDuration(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   time.Duration
		err    string // substring of the error; "" for success
		reason string
	}{
		{"days", "P30D", 30 * day, "", "the common case for recertification intervals"},
		{"hours", "PT8H", 8 * time.Hour, "", "time units follow T"},
		{"days and hours", "P1DT12H", 36 * time.Hour, "", "date and time parts combine"},
		{"weeks", "P2W", 14 * day, "", "a week is seven days"},
		{"weeks and days", "P1W2D", 9 * day, "", "weeks and days combine"},
		{"every unit", "P1W1DT1H1M1S", 8*day + time.Hour + time.Minute + time.Second, "", "all five units in order"},
		{"minutes", "PT90M", 90 * time.Minute, "", "values need not be normalised"},
		{"zero", "PT0S", 0, "", "zero is a valid duration"},
		{"zero days", "P0D", 0, "", "zero in any unit"},
		{"half second", "PT0.5S", 500 * time.Millisecond, "", "fractions of a second"},
		{"fractional day", "P1.5D", 36 * time.Hour, "", "a fraction on a date unit"},
		{"nanosecond", "PT0.000000001S", time.Nanosecond, "", "the smallest duration"},
		{"sub-nanosecond rounds", "PT0.0000000015S", 2 * time.Nanosecond, "", "rounded to the nearest nanosecond, half up"},
		{"exact at large sizes", "P200DT0.000000001S", 200*day + 1, "", "no float rounding: 200 days plus 1ns keeps the 1ns"},
		{"tiny fraction of a week", "P0.0000000001W", 60480 * time.Nanosecond, "", "fractions beyond nine digits still count for big units"},
		{"largest", "PT2562047H47M16.854775807S", math.MaxInt64, "", "the largest time.Duration"},
		{"too long", "PT2562047H47M16.854775808S", 0, "too long", "one nanosecond past the largest"},
		{"far too long", "P1000000000000W", 0, "too long", "overflow of a single unit"},
		{"no P", "30D", 0, `must start with "P"`, "the designator is required"},
		{"lower case", "p30d", 0, `must start with "P"`, "designators are upper case"},
		{"empty", "", 0, `must start with "P"`, "nothing is not a duration"},
		{"only P", "P", 0, "no value", "a duration needs a value"},
		{"only PT", "PT", 0, "no value", "T needs a time value after it"},
		{"trailing T", "P1DT", 0, "no value", "T needs a time value after it"},
		{"years", "P1Y", 0, "years and months", "a year has no fixed length"},
		{"months", "P1M", 0, "years and months", "M before T is months"},
		{"minutes without T", "P5M", 0, "years and months", "5M without T means months"},
		{"hours without T", "P8H", 0, `needs the time designator "T"`, "H is a time unit"},
		{"days after T", "PT1D", 0, `belongs before the time designator`, "D is a date unit"},
		{"out of order", "PT1S1H", 0, "repeated or out of order", "ISO 8601 fixes the order of units"},
		{"repeated unit", "P1D2D", 0, "repeated or out of order", "a unit appears once"},
		{"days before weeks", "P1D1W", 0, "repeated or out of order", "weeks come first"},
		{"T twice", "PT1HT1M", 0, `"T" appears twice`, "one time designator"},
		{"negative", "P-1D", 0, "expected a number", "durations are not negative"},
		{"leading minus", "-P1D", 0, `must start with "P"`, "FormatDuration's negative form is not accepted"},
		{"no number", "PD", 0, "expected a number", "a unit needs a number"},
		{"leading dot", "PT.5S", 0, "non-negative decimal", "a fraction needs a digit before the point"},
		{"trailing dot", "PT5.S", 0, "non-negative decimal", "a fraction needs a digit after the point"},
		{"two dots", "PT1.2.3S", 0, "non-negative decimal", "one decimal point"},
		{"comma", "PT0,5S", 0, "unexpected unit", "only the point is a decimal sign here"},
		{"exponent", "PT1e3S", 0, "unexpected unit", "no exponents"},
		{"space", "P 1D", 0, "expected a number", "no white space"},
		{"unknown unit", "P1X", 0, "unexpected unit", "only W, D, H, M and S"},
		{"go syntax", "720h", 0, `must start with "P"`, "Go's duration syntax is not ISO 8601"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bundle.ParseDuration(tt.in)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err, tt.reason)
				require.ErrorContains(t, err, `"`+tt.in+`"`, "the error quotes the input")
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		name   string
		in     time.Duration
		want   string
		reason string
	}{
		{"zero", 0, "PT0S", "zero needs a unit"},
		{"days", 30 * day, "P30D", "whole days have no time part"},
		{"days and hours", 36 * time.Hour, "P1DT12H", "days, then the time part"},
		{"weeks are days", 14 * day, "P14D", "FormatDuration never writes weeks"},
		{"minutes", 90 * time.Minute, "PT1H30M", "normalised to hours and minutes"},
		{"fraction", 1500 * time.Millisecond, "PT1.5S", "fractional seconds drop trailing zeros"},
		{"nanosecond", time.Nanosecond, "PT0.000000001S", "nine decimal places at most"},
		{"mixed", 200*day + time.Nanosecond, "P200DT0.000000001S", "large and small parts together"},
		{"negative", -time.Hour, "-PT1H", "negative durations are marked, not valid ISO 8601"},
		{"max", math.MaxInt64, "P106751DT23H47M16.854775807S", "the largest duration"},
		{"min", math.MinInt64, "-P106751DT23H47M16.854775808S", "the smallest duration does not overflow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, audit.FormatDuration(tt.in), tt.reason)
		})
	}
}

func TestDurationRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, 1, 999, time.Second, 59*time.Second + 1, time.Hour - 1, day, day + 1,
		365 * day, 100*365*day + 12345678, math.MaxInt64} {
		s := audit.FormatDuration(d)
		got, err := bundle.ParseDuration(s)
		require.NoError(t, err, "FormatDuration(%d) = %q", d, s)
		require.Equal(t, d, got, "round trip through %q", s)
	}
}

// FuzzParseDuration checks that ParseDuration never panics, never returns a
// negative duration, and that whatever it accepts formats to a canonical
// string it reads back to the same value. FormatDuration round-trips every
// non-negative duration.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"P30D", "PT8H", "P1DT12H", "P2W", "PT0.5S", "P1.5D", "PT0S", "P1Y", "PT1S1H",
		"P200DT0.000000001S", "PT2562047H47M16.854775807S", "P0.0000000001W", "-P1D", "PT.5S", "P1W1DT1H1M1S"} {
		f.Add(s, int64(len(s)))
	}
	f.Add("", int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		if d, err := bundle.ParseDuration(s); err == nil {
			require.GreaterOrEqual(t, d, time.Duration(0), "%q", s)
			canon := audit.FormatDuration(d)
			back, err := bundle.ParseDuration(canon)
			require.NoError(t, err, "%q formats as %q", s, canon)
			require.Equal(t, d, back, "%q formats as %q", s, canon)
		} else {
			require.Contains(t, err.Error(), "invalid ISO 8601 duration")
		}
		if n < 0 {
			n = -(n + 1)
		}
		d := time.Duration(n)
		s2 := audit.FormatDuration(d)
		require.True(t, strings.HasPrefix(s2, "P"))
		back, err := bundle.ParseDuration(s2)
		require.NoError(t, err, "FormatDuration(%d) = %q", n, s2)
		require.Equal(t, d, back, "round trip of %d through %q", n, s2)
	})
}
