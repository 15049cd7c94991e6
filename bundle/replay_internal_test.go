package bundle

import (
	"io"
	"strings"
	"testing"

	"github.com/sodkit/sodkit/entitlement"
)

// TestReplayKeepsOnlyWhatItMust reads files from a reader that cannot seek
// and checks what the replay holds once the first reading is done: nothing
// for a file that opens with its format or is no object, and for a file
// whose format comes later, no more than the reader had read when the
// format was found.
func TestReplayKeepsOnlyWhatItMust(t *testing.T) {
	long := strings.Repeat(" ", 1<<20) // a megabyte of white space after the format
	tests := []struct {
		name    string
		reason  string
		text    string
		maxKept int
	}{
		{name: "format first", reason: "a file that opens with its format is read once",
			text: `{"format": "sodkit.bundle/v1", "parties": []` + long + `}`, maxKept: 0},
		{name: "not an object", reason: "a file that is no bundle is not read again",
			text: `[` + long + `]`, maxKept: 0},
		{name: "format later", reason: "only what was read up to the format is kept",
			text: `{"parties": [], "format": "sodkit.bundle/v1"` + long + `}`, maxKept: 64 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLoader()
			rp := newReplay(Source{Name: "f.json", Reader: struct{ io.Reader }{strings.NewReader(tt.text)}}, l.fpSeed, false)
			d := l.newDecoder(0, "f.json", rp, func(*decoder, entitlement.Identity) error { return nil })
			d.readFile()
			if len(rp.kept) > tt.maxKept {
				t.Fatalf("%s: %d bytes kept, want at most %d", tt.reason, len(rp.kept), tt.maxKept)
			}
		})
	}
}
