package sodtest_test

import (
	"strings"
	"testing"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/sod/sodtest"
)

// findingsFrom turns fuzz bytes into up to 64 findings (DiffFindings is
// for test-sized lists): a few bits per field, so duplicates and
// near-duplicates are common.
func findingsFrom(data []byte) []audit.Finding {
	var out []audit.Finding
	for len(data) >= 3 && len(out) < 64 {
		a, b, c := data[0], data[1], data[2]
		data = data[3:]
		f := audit.Finding{
			Kind:     audit.Kind([]string{"sod.toxic-combination", "sod.duty-conflict"}[a&1]),
			Severity: audit.Severity(a >> 1 & 3),
			Status:   audit.Status(a >> 3 & 1),
			Rule:     []string{"", "R1", "R2"}[int(a>>4)%3],
			Subject:  audit.Subject{Type: "identity", ID: string(rune('a' + b&3))},
			Message:  []string{"", "m", "m\nn", "- x"}[b>>2&3],
		}
		if c&1 == 1 {
			f.Evidence = []audit.Evidence{{Label: "side", Value: string(rune('x' + c>>1&1))}}
		}
		if c&4 == 4 {
			f = f.WithID()
		}
		out = append(out, f)
	}
	return out
}

func countLines(d, prefix string) int {
	n := 0
	for l := range strings.Lines(d) {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// FuzzDiffFindings checks the invariants of the comparison: a list matches
// itself in any order, a difference is symmetric between fully stated
// lists, dropping one returned finding leaves exactly one unmatched wanted
// finding, and nothing panics.
func FuzzDiffFindings(f *testing.F) {
	f.Add([]byte{}, []byte{})
	f.Add([]byte{1, 2, 3, 1, 2, 3}, []byte{1, 2, 3})
	f.Add([]byte{0xff, 0x0f, 0x07, 0x10, 0x20, 0x30}, []byte{0x10, 0x20, 0x30, 0xff, 0x0f, 0x07})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		got, want := findingsFrom(a), findingsFrom(b)
		d := sodtest.DiffFindings(got, want)
		if (d == "") != (countLines(d, "- ")+countLines(d, "+ ") == 0) {
			t.Fatalf("a difference without lines, or lines without a difference:\n%s", d)
		}
		if d := sodtest.DiffFindings(got, got); d != "" {
			t.Fatalf("a list does not match itself:\n%s", d)
		}
		rev := make([]audit.Finding, len(got))
		for i, f := range got {
			rev[len(got)-1-i] = f
		}
		if d := sodtest.DiffFindings(got, rev); d != "" {
			t.Fatalf("order matters:\n%s", d)
		}
		if back := sodtest.DiffFindings(want, got); (back == "") != (d == "") && allStated(got) && allStated(want) {
			t.Fatalf("fully stated lists differ one way only:\n%s\n%s", d, back)
		}
		if len(got) > 0 {
			short := sodtest.DiffFindings(got[1:], got)
			if countLines(short, "- ") != 1 || countLines(short, "+ ") != 0 {
				t.Fatalf("dropping one finding gives:\n%s", short)
			}
		}
	})
}

// allStated reports whether every finding sets ID, message and evidence,
// so that matching is plain equality of what DiffFindings compares.
func allStated(fs []audit.Finding) bool {
	for _, f := range fs {
		if f.ID == "" || f.Message == "" || len(f.Evidence) == 0 {
			return false
		}
	}
	return true
}
