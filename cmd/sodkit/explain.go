package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/safetext"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (e env) explain(args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs, "text or json")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: sodkit explain [flags] IDENTITY FILE...\n       sodkit explain --demo [flags] IDENTITY\n\nPrints everything IDENTITY holds at the evaluation time, each entitlement and role\nwith the path that explains it (grant → role → … → entitlement).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	pos, code, ok := e.parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		return e.usageError(fs, "missing IDENTITY")
	}
	if c.format != "text" && c.format != "json" {
		return e.usageError(fs, "unknown --format %q (want text or json)", c.format)
	}
	who, files := pos[0], pos[1:]
	if err := c.checkInputs(files); err != nil {
		return e.usageError(fs, "%v", err)
	}
	b, at, ok := e.load(c, files)
	if !ok {
		return exitError
	}
	access, err := b.Index.EffectiveAccess(who, at)
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit explain: %v\n", err)
		return exitError
	}
	id, _ := b.Index.Identity(who)
	if c.format == "json" {
		err = writeJSON(e.stdout, access)
	} else {
		err = writeAccessText(e.stdout, id, access, at)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit: writing: %v\n", err)
		return exitError
	}
	return exitOK
}

// writeAccessText renders what an identity holds for people. Every ID
// from the input goes through safetext, so none can drive the terminal or
// start a line of its own.
func writeAccessText(w io.Writer, id entitlement.Identity, a entitlement.Access, at time.Time) error {
	esc := safetext.Escape
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s (%s, %s", esc(id.ID), id.Kind, id.Status)
	if id.Team != "" {
		fmt.Fprintf(bw, ", team %s", esc(id.Team))
	}
	if owners := id.Owners(); len(owners) > 0 {
		for i, o := range owners {
			owners[i] = esc(o)
		}
		fmt.Fprintf(bw, ", owned by [%s]", strings.Join(owners, " "))
	}
	fmt.Fprintf(bw, ") at %s\n", at.UTC().Format(time.RFC3339))
	section := func(title string, hs []entitlement.Holding) {
		fmt.Fprintf(bw, "\n%s (%d):\n", title, len(hs))
		for _, h := range hs {
			fmt.Fprintf(bw, "  %s\n", esc(h.ID))
			for _, p := range h.Paths {
				fmt.Fprintf(bw, "    %s\n", esc(p.String()))
			}
		}
	}
	section("entitlements", a.Entitlements)
	section("roles", a.Roles)
	var idle []string
	for _, g := range id.Grants {
		if g.InEffect(at) {
			continue
		}
		typ, target := g.Target()
		why := g.State.String()
		switch {
		case g.State == entitlement.GrantActive && !g.Expires.IsZero() && !at.Before(g.Expires):
			why = "expired " + g.Expires.Format(time.RFC3339)
		case g.State == entitlement.GrantActive:
			why = "starts " + g.StartTime().Format(time.RFC3339)
		case !g.Revoked.At.IsZero():
			why = "revoked " + g.Revoked.At.Format(time.RFC3339)
		}
		idle = append(idle, fmt.Sprintf("  %s (%s %s): %s", esc(g.ID), typ, esc(target), why))
	}
	if len(idle) > 0 {
		fmt.Fprintf(bw, "\ngrants not in effect (%d):\n", len(idle))
		for _, s := range idle {
			fmt.Fprintln(bw, s)
		}
	}
	return bw.Flush()
}
