package main

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in     string
		want   int64
		err    bool
		reason string
	}{
		{"1800MiB", 1800 << 20, false, "binary megabytes, the default's form"},
		{"4GiB", 4 << 30, false, "binary gigabytes"},
		{"512MB", 512e6, false, "decimal megabytes"},
		{"1000000", 1e6, false, "plain bytes"},
		{"64 KiB", 64 << 10, false, "a space before the unit"},
		{"0", 0, false, "zero means no limit"},
		{"", 0, true, "empty is not a size"},
		{"-1GiB", 0, true, "negative sizes are refused"},
		{"1.5GiB", 0, true, "fractions are refused, not truncated"},
		{"2 gigs", 0, true, "unknown units are refused"},
		{"9999999TiB", 0, true, "overflow is refused"},
	}
	for _, tt := range tests {
		got, err := parseBytes(tt.in)
		if tt.err {
			require.Error(t, err, tt.reason)
			continue
		}
		require.NoError(t, err, tt.reason)
		require.Equal(t, tt.want, got, tt.reason)
	}
	require.Equal(t, "1800MiB", formatBytes(streamMemory))
}

// TestCheckMemoryLimit records the soft memory limits check sets: the
// default while streaming, none when reading in memory, --memory in both
// cases, none by default when GOMEMLIMIT is set; and every one is undone
// when the command returns.
func TestCheckMemoryLimit(t *testing.T) {
	inventory := filepath.Join("..", "..", "demo", "inventory.json")
	tests := []struct {
		name   string
		args   []string
		env    string
		want   []int64 // limits set, then restored
		reason string
	}{
		{"stream default", []string{"--stream", inventory}, "", []int64{streamMemory}, "streaming holds the heap near the default"},
		{"in memory", []string{inventory}, "", nil, "reading in memory sets no limit by default"},
		{"flag", []string{"--memory", "4GiB", inventory}, "", []int64{4 << 30}, "--memory applies when reading in memory too"},
		{"flag while streaming", []string{"--stream", "--memory", "1GiB", inventory}, "", []int64{1 << 30}, "--memory replaces the default"},
		{"no limit", []string{"--stream", "--memory", "0", inventory}, "", []int64{math.MaxInt64}, "0 lifts the limit"},
		{"GOMEMLIMIT", []string{"--stream", inventory}, "900MiB", nil, "the runtime already read GOMEMLIMIT: left alone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tt.env)
			var set []int64
			current := int64(math.MaxInt64)
			old := setMemoryLimit
			setMemoryLimit = func(n int64) int64 {
				set = append(set, n)
				prev := current
				current = n
				return prev
			}
			defer func() { setMemoryLimit = old }()
			code, _, errOut := cli(wallA, append([]string{"check"}, tt.args...)...)
			require.Equal(t, exitOK, code, errOut)
			var want []int64
			for _, n := range tt.want {
				want = append(want, n, math.MaxInt64)
			}
			require.Equal(t, want, set, tt.reason)
			require.Equal(t, int64(math.MaxInt64), current, "the limit is restored")
		})
	}
	code, _, errOut := cli(wallA, "check", "--memory", "lots", inventory)
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, `--memory: "lots" is not a size`)
}

// TestCheckGCPercent: a streaming check collects garbage at streamGC
// unless GOGC is set, reading in memory leaves the collector alone, and
// the setting is undone when the command returns.
func TestCheckGCPercent(t *testing.T) {
	inventory := filepath.Join("..", "..", "demo", "inventory.json")
	tests := []struct {
		name   string
		args   []string
		env    string
		want   []int // percentages set, the last restoring
		reason string
	}{
		{"stream", []string{"--stream", inventory}, "", []int{streamGC, 100}, "streaming collects less often"},
		{"in memory", []string{inventory}, "", nil, "reading in memory leaves GOGC alone"},
		{"GOGC", []string{"--stream", inventory}, "50", nil, "the runtime already read GOGC: left alone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGC", tt.env)
			var set []int
			current := 100
			old := setGCPercent
			setGCPercent = func(n int) int {
				set = append(set, n)
				prev := current
				current = n
				return prev
			}
			defer func() { setGCPercent = old }()
			code, _, errOut := cli(wallA, append([]string{"check"}, tt.args...)...)
			require.Equal(t, exitOK, code, errOut)
			require.Equal(t, tt.want, set, tt.reason)
			require.Equal(t, 100, current, "the setting is restored")
		})
	}
}
