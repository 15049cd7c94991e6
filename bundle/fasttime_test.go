package bundle

import (
	"testing"
	"time"
)

// FuzzFastTime holds the loader's allocation-free time parser to
// time.Parse: whenever it accepts an input, time.Parse accepts it too and
// means the same instant, with the same offset.
func FuzzFastTime(f *testing.F) {
	for _, s := range []string{
		"2026-01-31T09:00:00Z", "2026-01-31T09:00:00.5Z", "2026-01-31T09:00:00.123456789+05:30",
		"2026-02-29T00:00:00Z", "2024-02-29T23:59:59-07:00", "2026-13-01T00:00:00Z", "2026-01-31T24:00:00Z",
		"2026-01-31T09:00:00+00:00", "2026-01-31T09:00:00-00:00", "2026-01-31T09:00:00.Z", "2026-01-31 09:00:00Z",
		"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-04-31T00:00:00Z", "1900-02-29T00:00:00Z",
	} {
		f.Add(s)
	}
	d := &decoder{zones: map[int]*time.Location{}}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := d.fastTime([]byte(s))
		want, err := time.Parse(time.RFC3339Nano, s)
		if !ok {
			return // time.Parse decides
		}
		if err != nil {
			t.Fatalf("fastTime accepted %q, time.Parse refuses it: %v", s, err)
		}
		if !got.Equal(want) || got.Format(time.RFC3339Nano) != want.Format(time.RFC3339Nano) {
			t.Fatalf("%q: fastTime %s, time.Parse %s", s, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
		}
	})
}
