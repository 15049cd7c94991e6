package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/safetext"
	"github.com/sodkit/sodkit/raci"
)

// ownersReport is the JSON form of "sodkit owners".
type ownersReport struct {
	EvaluatedAt time.Time        `json:"evaluated_at"`
	Owners      []raci.Ownership `json:"owners"`
}

func (e env) owners(args []string) int {
	fs := flag.NewFlagSet("owners", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs, "text or json")
	gapsOnly := fs.Bool("gaps", false, "list only the entitlements and identities that have gaps")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: sodkit owners [flags] FILE...\n       sodkit owners --demo [flags]\n\nPrints, for each entitlement and each non-human identity, who is accountable\n(its effective RACI matrix, its owners) and what is unowned or unassigned.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	files, code, ok := e.parseArgs(fs, args)
	if !ok {
		return code
	}
	if c.format != "text" && c.format != "json" {
		return e.usageError(fs, "unknown --format %q (want text or json)", c.format)
	}
	if err := c.checkInputs(files); err != nil {
		return e.usageError(fs, "%v", err)
	}
	b, at, ok := e.load(c, files)
	if !ok {
		return exitError
	}
	all := raci.Owners(b.Index, b.RACI, at)
	shown := make([]raci.Ownership, 0, len(all))
	for _, o := range all {
		if !*gapsOnly || len(o.Gaps) > 0 {
			shown = append(shown, o)
		}
	}
	var err error
	if c.format == "json" {
		err = writeJSON(e.stdout, ownersReport{EvaluatedAt: at.UTC(), Owners: shown})
	} else {
		err = writeOwnersText(e.stdout, b.Index, all, shown, at)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit: writing: %v\n", err)
		return exitError
	}
	return exitOK
}

// writeOwnersText renders the shown subjects for people, after a summary
// line counting all of them. Every ID and message from the input goes
// through safetext, so none can drive the terminal or start a line of its
// own.
func writeOwnersText(w io.Writer, x *entitlement.Index, all, shown []raci.Ownership, at time.Time) error {
	bw := bufio.NewWriter(w)
	count := map[string][2]int{} // subject type → total, with gaps
	for _, o := range all {
		n := count[o.Subject.Type]
		n[0]++
		if len(o.Gaps) > 0 {
			n[1]++
		}
		count[o.Subject.Type] = n
	}
	fmt.Fprintf(bw, "ownership at %s: %d entitlement(s), %d with gaps; %d non-human identit(ies), %d with gaps\n",
		at.UTC().Format(time.RFC3339), count["entitlement"][0], count["entitlement"][1], count["identity"][0], count["identity"][1])
	for _, o := range shown {
		fmt.Fprintf(bw, "\n%s %s%s\n", safetext.Escape(o.Subject.Type), safetext.Escape(o.Subject.ID), ownersDetail(x, o))
		for _, ow := range o.Owners {
			fmt.Fprintf(bw, "  %-18s %s (%s%s, %s)\n", "owner", safetext.Escape(ow.ID), namePrefix(ow.Name), safetext.Escape(ow.Kind), safetext.Escape(ow.Status))
		}
		if o.Subject.Type == "identity" && len(o.Owners) == 0 {
			fmt.Fprintf(bw, "  %-18s none\n", "owner")
		}
		for _, r := range o.Rows {
			fmt.Fprintf(bw, "  %-18s %s\n", r.Activity, ownersRow(r.Assignment))
		}
		if len(o.Gaps) == 0 {
			fmt.Fprintf(bw, "  no gaps\n")
		}
		for _, g := range o.Gaps {
			fmt.Fprintf(bw, "  GAP %s %s: %s\n", strings.ToUpper(g.Severity.String()), safetext.Escape(string(g.Kind)), safetext.Escape(g.Message))
		}
	}
	return bw.Flush()
}

// ownersDetail describes the subject briefly, after its name when it has
// one: an entitlement's risk and privilege, an identity's kind and status,
// as " (Name; risk high)".
func ownersDetail(x *entitlement.Index, o raci.Ownership) string {
	name := namePrefix(o.Subject.Name)
	switch o.Subject.Type {
	case "entitlement":
		ent, ok := x.Entitlement(o.Subject.ID)
		if !ok {
			break
		}
		risk := ent.Risk.String()
		if risk == "" {
			risk = "risk unassessed"
		} else {
			risk = "risk " + risk
		}
		if ent.Privileged {
			risk += ", privileged"
		}
		return " (" + name + risk + ")"
	case "identity":
		if id, ok := x.Identity(o.Subject.ID); ok {
			return fmt.Sprintf(" (%s%s, %s)", name, id.Kind, id.Status)
		}
	}
	if o.Subject.Name != "" {
		return " (" + safetext.Escape(o.Subject.Name) + ")"
	}
	return ""
}

// namePrefix returns a name, escaped, and "; " to put before further
// detail in parentheses, or "" for no name.
func namePrefix(name string) string {
	if name == "" {
		return ""
	}
	return safetext.Escape(name) + "; "
}

// ownersRow renders one assignment as "A iam · R desk · C sec · I audit",
// with "A -" and "R -" when nobody holds them.
func ownersRow(a raci.Assignment) string {
	parts := []string{"A " + ownersRefs(a.Accountable), "R " + ownersRefs(a.Responsible)}
	if len(a.Consulted) > 0 {
		parts = append(parts, "C "+ownersRefs(a.Consulted))
	}
	if len(a.Informed) > 0 {
		parts = append(parts, "I "+ownersRefs(a.Informed))
	}
	return strings.Join(parts, " · ")
}

// ownersRefs joins party IDs, each escaped, or returns "-" for none.
func ownersRefs(refs []string) string {
	if len(refs) == 0 {
		return "-"
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = safetext.Escape(r)
	}
	return strings.Join(out, ", ")
}
