package audit

import (
	"strconv"
	"strings"
	"time"
)

// FormatDuration writes d the one way sodkit writes durations — in finding
// messages and evidence, and in bundle files — as an ISO 8601 duration of
// days, hours, minutes and (fractional) seconds, exact and without zero
// units: "P90D", "P1DT12H", "PT4H30M", "PT1.5S"; zero is "PT0S". It is the
// syntax bundle files are written in (bundle.ParseDuration reads it back
// exactly). Because evidence enters finding IDs, a duration is never
// rounded: two durations that differ give different text. Negative
// durations have no ISO 8601 form and are written with a leading "-".
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	var b strings.Builder
	u := uint64(d) // the magnitude, exact even for math.MinInt64
	if d < 0 {
		b.WriteByte('-')
		u = -u
	}
	const (
		second = uint64(time.Second)
		minute = 60 * second
		hour   = 60 * minute
		day    = 24 * hour
	)
	b.WriteByte('P')
	if q := u / day; q > 0 {
		b.WriteString(strconv.FormatUint(q, 10) + "D")
		u %= day
	}
	if u == 0 {
		return b.String()
	}
	b.WriteByte('T')
	if q := u / hour; q > 0 {
		b.WriteString(strconv.FormatUint(q, 10) + "H")
		u %= hour
	}
	if q := u / minute; q > 0 {
		b.WriteString(strconv.FormatUint(q, 10) + "M")
		u %= minute
	}
	if u > 0 {
		b.WriteString(strconv.FormatUint(u/second, 10))
		if frac := u % second; frac > 0 {
			f := strconv.FormatUint(frac+second, 10)[1:] // nine digits, leading zeros kept
			b.WriteString("." + strings.TrimRight(f, "0"))
		}
		b.WriteByte('S')
	}
	return b.String()
}
