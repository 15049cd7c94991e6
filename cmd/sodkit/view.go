package main

import (
	"flag"
	"fmt"

	"github.com/sodkit/sodkit/audit"
)

// defaultGroupBy is how check's text report groups findings unless told
// otherwise: by who must act on them.
const defaultGroupBy = audit.GroupByOwner

// textView holds check's flags that shape the text report: --group-by and
// --min-severity. They change what is listed, never what is found,
// counted or what --fail-on decides.
type textView struct {
	groupBy     string
	minSeverity string
}

func registerTextView(fs *flag.FlagSet) *textView {
	v := &textView{}
	fs.StringVar(&v.groupBy, "group-by", defaultGroupBy.String(), "text report: group findings by owner, identity or kind, or none (report order)")
	fs.StringVar(&v.minSeverity, "min-severity", "", "text report: list only findings at or above this severity (critical, high, medium, low, info); the summary still counts every finding")
	return v
}

// options returns the text report's options, or an error when a flag is
// bad or given where it has no effect: with another format than text
// (every other format carries every finding; the HTML page filters in the
// browser), or with --baseline (the text then shows a delta).
func (v *textView) options(fs *flag.FlagSet, format string, delta bool) (*audit.TextOptions, error) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range []string{"group-by", "min-severity"} {
		switch {
		case !set[name]:
		case format != "text":
			return nil, fmt.Errorf("--%s shapes the text report only, not --format %s", name, format)
		case delta:
			return nil, fmt.Errorf("--%s shapes the full text report, not the delta --baseline prints", name)
		}
	}
	g, err := audit.ParseGrouping(v.groupBy)
	if err != nil {
		return nil, fmt.Errorf("--group-by: %w", err)
	}
	o := &audit.TextOptions{GroupBy: g}
	if v.minSeverity != "" {
		s, err := audit.ParseSeverity(v.minSeverity)
		if err != nil {
			return nil, fmt.Errorf("--min-severity: %w", err)
		}
		o.MinSeverity = &s
	}
	return o, nil
}
