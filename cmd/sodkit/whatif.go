package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/safetext"
	"github.com/sodkit/sodkit/scan"
	"github.com/sodkit/sodkit/sod"
)

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func (e env) whatif(args []string) int {
	fs := flag.NewFlagSet("whatif", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs, "text or json")
	identity := fs.String("identity", "", "the identity that would receive the grants or activate")
	var grants, activate, gains, inherits listFlag
	fs.Var(&grants, "grant", "an entitlement or role the identity would be granted (repeatable)")
	fs.Var(&activate, "activate", "an eligible just-in-time grant ID the identity would activate now (repeatable)")
	fs.Var(&gains, "role-gains", "ROLE=ENTITLEMENT: a role would gain an entitlement (repeatable)")
	fs.Var(&inherits, "role-inherits", "ROLE=JUNIOR: a role would inherit another role (repeatable)")
	requester := fs.String("requested-by", "", "who requests the proposed grants (checked for maker-checker conflicts)")
	approver := fs.String("approved-by", "", "who would approve them (checked for maker-checker conflicts)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: sodkit whatif [flags] FILE...
       sodkit whatif --demo [flags]

Decides whether a proposed change may be made, and prints the decision with
the findings it would add: toxic combinations and critical access (with the
path that explains each), intra-role conflicts of changed roles, and
maker-checker conflicts in the proposed grant records. The decision is the
library's (sod.Engine.Decide): an open finding denies, an indeterminate one
denies too, and findings an exception mitigates do not. Proposed grants are
evaluated as if they were made now.

Exit status: 0 allow (no finding added, or every one mitigated), 1 deny or
indeterminate, 2 error: bad usage, invalid input, or a proposal that names an
identity, entitlement, role, grant or actor the inventory does not know.

Flags:
`)
		fs.PrintDefaults()
	}
	files, code, ok := e.parseArgs(fs, args)
	if !ok {
		return code
	}
	if c.format != "text" && c.format != "json" {
		return e.usageError(fs, "unknown --format %q (want text or json)", c.format)
	}
	if len(grants)+len(activate) > 0 && *identity == "" {
		return e.usageError(fs, "--grant and --activate need --identity")
	}
	if len(grants)+len(activate)+len(gains)+len(inherits) == 0 {
		return e.usageError(fs, "nothing proposed: give --grant, --activate, --role-gains or --role-inherits")
	}
	if (*requester != "" || *approver != "") && len(grants) == 0 {
		return e.usageError(fs, "--requested-by and --approved-by describe proposed grants: give --grant")
	}
	if err := c.checkInputs(files); err != nil {
		return e.usageError(fs, "%v", err)
	}
	b, at, ok := e.load(c, files)
	if !ok {
		return exitError
	}
	change := sod.Change{Identity: *identity, Activations: activate}
	for i, target := range grants {
		// A proposal as a request would record it; the engine evaluates
		// it as if it were made (sod.Change.Grants).
		g := entitlement.Grant{
			ID:     fmt.Sprintf("proposed-%d", i+1),
			Source: entitlement.SourceStandard,
		}
		switch {
		case known(b.Index.Entitlement, target):
			g.Entitlement = target
		case known(b.Index.Role, target):
			g.Role = target
		default:
			fmt.Fprintf(e.stderr, "sodkit whatif: --grant %q: no entitlement or role with that ID\n", target)
			return exitError
		}
		if *requester != "" {
			g.Requested = entitlement.Event{By: *requester, At: at}
		}
		if *approver != "" {
			g.Approvals = []entitlement.Approval{{By: *approver, At: at}}
		}
		change.Grants = append(change.Grants, g)
	}
	for _, kv := range []struct {
		flag string
		list listFlag
		dst  *map[string][]string
	}{{"--role-gains", gains, &change.RoleEntitlements}, {"--role-inherits", inherits, &change.RoleInherits}} {
		for _, s := range kv.list {
			role, item, ok := strings.Cut(s, "=")
			if !ok || role == "" || item == "" {
				return e.usageError(fs, "%s %q: want ROLE=ID", kv.flag, s)
			}
			if *kv.dst == nil {
				*kv.dst = map[string][]string{}
			}
			(*kv.dst)[role] = append((*kv.dst)[role], item)
		}
	}
	engine, err := sod.Compile(b.Index, b.SoD)
	if err != nil {
		e.printErrors(err)
		return exitError
	}
	d, err := engine.Decide(change, at)
	if err != nil {
		e.printErrors(err)
		return exitError
	}
	// The findings read as a check's do: placed, named, owned.
	scan.Annotate(b, d.Findings)
	report := audit.NewReport(at, b.Inputs, d.Findings)
	if c.format == "json" {
		err = report.WriteJSON(e.stdout)
	} else {
		writeDecision(e.stdout, d)
		err = report.WriteText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit: writing: %v\n", err)
		return exitError
	}
	if !d.Allowed() {
		return exitFindings
	}
	return exitOK
}

// writeDecision writes the verdict and its reasons, ahead of the report of
// the findings behind them.
func writeDecision(w io.Writer, d sod.Decision) {
	switch {
	case d.Verdict == sod.Allow && len(d.Findings) > 0:
		fmt.Fprintf(w, "decision: allow: every finding the change would add is mitigated by an exception (%d)\n", len(d.Findings))
	case d.Verdict == sod.Allow:
		fmt.Fprintln(w, "decision: allow: the change adds no finding")
	default:
		fmt.Fprintf(w, "decision: %s\n", d.Verdict)
	}
	if len(d.Findings) > 0 {
		for _, r := range d.Reasons {
			fmt.Fprintf(w, "  - %s\n", safetext.Escape(r))
		}
	}
	fmt.Fprintln(w)
}

func known[T any](lookup func(string) (T, bool), id string) bool {
	_, ok := lookup(id)
	return ok
}
