package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/scan"
)

// kindsReport is the JSON form of "sodkit kinds".
type kindsReport struct {
	Version string           `json:"version"`
	Kinds   []audit.KindInfo `json:"kinds"`
}

func (e env) kinds(args []string) int {
	fs := flag.NewFlagSet("kinds", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: sodkit kinds [flags]\n\nLists every kind of finding sodkit check can report, sorted by kind, with its\ndefault severity, title and the controls every finding of it cites. A check may\nrate one finding higher or lower, or cite more controls. --format json adds\neach kind's remediation and help.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	pos, code, ok := e.parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return e.usageError(fs, "unexpected argument %q", pos[0])
	}
	if *format != "text" && *format != "json" {
		return e.usageError(fs, "unknown --format %q (want text or json)", *format)
	}
	kinds := scan.Kinds()
	var err error
	if *format == "json" {
		err = writeJSON(e.stdout, kindsReport{Version: audit.Version, Kinds: kinds})
	} else {
		err = writeKindsText(e.stdout, kinds)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit: writing: %v\n", err)
		return exitError
	}
	return exitOK
}

// writeKindsText lists kinds for people: a line with the kind, its default
// severity and title, then the controls it cites.
func writeKindsText(w io.Writer, kinds []audit.KindInfo) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "sodkit %s reports %d kinds of finding; severities are defaults, a check may rate one finding otherwise\n", audit.Version, len(kinds))
	width := 0
	for _, k := range kinds {
		width = max(width, len(k.Kind))
	}
	for _, k := range kinds {
		cited := make([]string, len(k.Controls))
		for i, c := range k.Controls {
			cited[i] = c.String()
		}
		fmt.Fprintf(bw, "\n%-*s  %-8s  %s\n", width, k.Kind, k.Severity, k.Title)
		fmt.Fprintf(bw, "  controls: %s\n", strings.Join(cited, "; "))
	}
	return bw.Flush()
}
