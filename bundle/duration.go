package bundle

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration parses an ISO 8601 duration restricted to exact units:
// weeks, days, hours, minutes and seconds ("P30D", "PT8H", "P1DT12H",
// "P2W", "PT0.5S"). A day is 24 hours. Years and months are rejected because
// their length depends on the calendar. The error quotes the input.
func ParseDuration(s string) (time.Duration, error) {
	bad := func(why string) (time.Duration, error) {
		return 0, fmt.Errorf("invalid ISO 8601 duration %q: %s", s, why)
	}
	rest, ok := strings.CutPrefix(s, "P")
	if !ok {
		return bad(`it must start with "P"`)
	}
	if rest == "" || rest == "T" || strings.HasSuffix(rest, "T") {
		return bad("no value")
	}
	var total float64
	inTime := false
	seen := ""
	for len(rest) > 0 {
		if rest[0] == 'T' {
			if inTime {
				return bad(`"T" appears twice`)
			}
			inTime = true
			rest = rest[1:]
			continue
		}
		i := strings.IndexFunc(rest, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i <= 0 {
			return bad("expected a number followed by a unit")
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil || n < 0 {
			return bad("expected a non-negative number")
		}
		unit := rest[i]
		rest = rest[i+1:]
		var d time.Duration
		switch {
		case !inTime && unit == 'W':
			d = 7 * 24 * time.Hour
		case !inTime && unit == 'D':
			d = 24 * time.Hour
		case inTime && unit == 'H':
			d = time.Hour
		case inTime && unit == 'M':
			d = time.Minute
		case inTime && unit == 'S':
			d = time.Second
		case !inTime && (unit == 'Y' || unit == 'M'):
			return bad("years and months have no fixed length; use weeks or days")
		default:
			return bad(fmt.Sprintf("unexpected unit %q", unit))
		}
		key := string(unit)
		if inTime {
			key = "T" + key
		}
		if strings.Contains(seen, key+",") {
			return bad(fmt.Sprintf("unit %q appears twice", unit))
		}
		seen += key + ","
		total += n * float64(d)
		if total > float64(1<<62) {
			return bad("too long")
		}
	}
	return time.Duration(math.Round(total)), nil
}

// FormatDuration writes d as an ISO 8601 duration that ParseDuration reads
// back exactly: days, then hours, minutes and (fractional) seconds, for
// example "P30D" or "P1DT12H". Zero is "PT0S". Negative durations have no ISO
// 8601 form and are written with a leading "-".
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	b.WriteByte('P')
	if days := d / (24 * time.Hour); days > 0 {
		fmt.Fprintf(&b, "%dD", days)
		d -= days * 24 * time.Hour
	}
	if d > 0 {
		b.WriteByte('T')
		if h := d / time.Hour; h > 0 {
			fmt.Fprintf(&b, "%dH", h)
			d -= h * time.Hour
		}
		if m := d / time.Minute; m > 0 {
			fmt.Fprintf(&b, "%dM", m)
			d -= m * time.Minute
		}
		if d > 0 {
			b.WriteString(strconv.FormatFloat(d.Seconds(), 'f', -1, 64))
			b.WriteByte('S')
		}
	}
	return b.String()
}
