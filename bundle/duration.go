package bundle

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"
)

// ParseDuration parses an ISO 8601 duration restricted to exact units:
// weeks, days, hours, minutes and seconds ("P30D", "PT8H", "P1DT12H",
// "P2W", "PT0.5S"). A day is 24 hours. Years and months are rejected because
// their length depends on the calendar. Units appear at most once each, in
// the order W, D, then after "T" H, M, S; any of them may carry a decimal
// fraction ("P1.5D"), which is converted exactly and rounded to the nearest
// nanosecond. The result must fit a time.Duration (about 292 years). The
// error quotes the input.
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
	next := 0 // index into isoUnits of the first unit still allowed
	inTime := false
	var total time.Duration
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
		num, unit := rest[:i], rest[i]
		rest = rest[i+1:]
		u := slices.IndexFunc(isoUnits[:], func(x isoUnit) bool { return x.letter == unit && x.time == inTime })
		switch {
		case u >= 0:
		case !inTime && (unit == 'Y' || unit == 'M'):
			return bad("years and months have no fixed length; use weeks or days")
		case !inTime && (unit == 'H' || unit == 'S'):
			return bad(fmt.Sprintf(`unit %q needs the time designator "T" before it`, unit))
		case inTime && (unit == 'W' || unit == 'D'):
			return bad(fmt.Sprintf(`unit %q belongs before the time designator "T"`, unit))
		default:
			return bad(fmt.Sprintf("unexpected unit %q", unit))
		}
		if u < next {
			return bad(fmt.Sprintf("unit %q is repeated or out of order (want W, D, T, H, M, S)", unit))
		}
		next = u + 1
		d, ok, fits := scaleDecimal(num, isoUnits[u].d)
		if !ok {
			return bad("expected a non-negative decimal number such as 8 or 1.5")
		}
		if !fits || d > math.MaxInt64-total {
			return bad("too long for a time.Duration")
		}
		total += d
	}
	return total, nil
}

// isoUnit is one unit of an ISO 8601 duration: its letter, whether it
// follows the time designator "T", and its length.
type isoUnit struct {
	letter byte
	time   bool
	d      time.Duration
}

// isoUnits lists the units ParseDuration accepts, in the order they must
// appear.
var isoUnits = [...]isoUnit{
	{'W', false, 7 * 24 * time.Hour},
	{'D', false, 24 * time.Hour},
	{'H', true, time.Hour},
	{'M', true, time.Minute},
	{'S', true, time.Second},
}

// scaleDecimal returns the decimal number num (digits, optionally a point
// and more digits) times unit, rounded to the nearest nanosecond. ok is
// false if num is malformed, fits false if the result does not fit a
// time.Duration.
func scaleDecimal(num string, unit time.Duration) (d time.Duration, ok, fits bool) {
	r, ok := new(big.Rat).SetString(num)
	if !ok || num[0] == '.' || num[len(num)-1] == '.' || strings.Count(num, ".") > 1 {
		return 0, false, false
	}
	r.Mul(r, new(big.Rat).SetInt64(int64(unit)))
	// Round half up: floor(r + 1/2).
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if !q.IsInt64() {
		return 0, true, false
	}
	return time.Duration(q.Int64()), true, true
}
