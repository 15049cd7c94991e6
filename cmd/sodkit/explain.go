package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/evidence"
	"github.com/sodkit/sodkit/internal/safetext"
	"github.com/sodkit/sodkit/lifecycle"
	"github.com/sodkit/sodkit/raci"
	"github.com/sodkit/sodkit/scan"
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
		fmt.Fprint(fs.Output(), `Usage: sodkit explain [flags] IDENTITY FILE...
       sodkit explain --demo [flags] IDENTITY

Prints everything sodkit knows about IDENTITY at the evaluation time: who it
is, each entitlement and role it holds with the path that explains it
(grant → role → … → entitlement), its grants not in effect, the access
target systems showed for it and the drift found there, its break-glass
sessions, the sod exceptions and waivers concerning it, what it owns and who
owns it, and every finding of a full check that is about it.

Flags:
`)
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
	x, err := explainIdentity(b, who, at)
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit explain: %v\n", err)
		return exitError
	}
	if c.format == "json" {
		err = writeJSON(e.stdout, x)
	} else {
		err = x.writeText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sodkit: writing: %v\n", err)
		return exitError
	}
	return exitOK
}

// explanation is everything sodkit knows about one identity at one time:
// the JSON form of "sodkit explain", which writeText renders for people.
// Its identity, at, entitlements and roles members are those of
// entitlement.Access (each holding with a name besides), so a program that
// read the earlier JSON form still reads them.
type explanation struct {
	Identity     string                      `json:"identity"`
	Name         string                      `json:"name,omitempty"`
	Kind         entitlement.IdentityKind    `json:"kind"`
	Status       entitlement.IdentityStatus  `json:"status"`
	Team         *ref                        `json:"team,omitempty"`
	Manager      *ref                        `json:"manager,omitempty"`
	Environment  string                      `json:"environment,omitempty"`
	LastUsed     *time.Time                  `json:"last_used,omitempty"`
	Credential   *credential                 `json:"credential,omitempty"`
	At           time.Time                   `json:"at"`
	Entitlements []holding                   `json:"entitlements"`
	Roles        []holding                   `json:"roles"`
	Idle         []idleGrant                 `json:"grants_not_in_effect"`
	Observed     []observed                  `json:"observed"`
	Drift        []string                    `json:"drift"` // IDs of the drift findings, listed under findings
	Sessions     []session                   `json:"breakglass_sessions"`
	Exceptions   []exception                 `json:"sod_exceptions"`
	Waivers      []waiver                    `json:"waivers"`
	Owners       []raci.Owner                `json:"owners"`
	Owns         []owned                     `json:"owns"`
	MemberOf     []ref                       `json:"member_of"`
	Findings     []audit.Finding             `json:"findings"`
	names        func(typ, id string) string // names records for the text form
}

// ref is a record an explanation names: its ID and its name, if any.
type ref struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// String returns "id (name)", or the ID alone, escaped for a terminal.
func (r ref) String() string { return escaped(r.ID, r.Name) }

// escaped returns "id (name)", or id when name is empty, each escaped.
func escaped(id, name string) string {
	if name == "" {
		return safetext.Escape(id)
	}
	return safetext.Escape(id) + " (" + safetext.Escape(name) + ")"
}

// credential is what is known of the secret behind a non-human identity;
// an unknown time is left out, and so is an unknown expiry.
type credential struct {
	Created *time.Time `json:"created,omitempty"`
	Rotated *time.Time `json:"rotated,omitempty"`
	Expires *time.Time `json:"expires,omitempty"`
}

// holding is an entitlement or role held, with its name and the paths
// that explain it.
type holding struct {
	ID    string             `json:"id"`
	Name  string             `json:"name,omitempty"`
	Paths []entitlement.Path `json:"paths"`
}

// idleGrant is a grant of the identity that confers nothing at the
// evaluation time, and why: "expired", "not started", "revoked", or the
// grant's state.
type idleGrant struct {
	Grant  string     `json:"grant"`
	Type   string     `json:"type"` // "entitlement" or "role"
	Target ref        `json:"target"`
	Reason string     `json:"reason"`
	At     *time.Time `json:"at,omitempty"` // when it expired, was revoked or starts
}

// observed is the latest sighting, at or before the evaluation time, of
// one entitlement on the identity's account in a target system.
type observed struct {
	Entitlement ref       `json:"entitlement"`
	SeenAt      time.Time `json:"seen_at"`
}

// session is a break-glass session the identity used, or that used it as
// the emergency account, started by the evaluation time.
type session struct {
	ID         string     `json:"id"`
	User       ref        `json:"user"`
	Account    *ref       `json:"account,omitempty"`
	Start      time.Time  `json:"start"`
	PlannedEnd *time.Time `json:"planned_end,omitempty"`
	End        *time.Time `json:"end,omitempty"` // as of the evaluation time; none while active
	Active     bool       `json:"active"`
	Ticket     string     `json:"ticket,omitempty"`
	Review     *review    `json:"review,omitempty"` // as recorded by the evaluation time
}

// review is a break-glass session's review.
type review struct {
	Outcome  string    `json:"outcome"` // "approved", "rejected", "needs_information" or "" when unset
	Reviewer ref       `json:"reviewer"`
	At       time.Time `json:"at"`
}

// waiver is a waiver of the bundle that concerns the identity: it names a
// finding about it, or is narrowed to it or to one of its grants.
type waiver struct {
	ID       string       `json:"id"`
	Kinds    []audit.Kind `json:"kinds,omitempty"`
	Subject  string       `json:"subject,omitempty"` // "grant g-111"; empty for every subject
	Findings []string     `json:"findings,omitempty"`
	Owner    ref          `json:"owner"`
	Reason   string       `json:"reason"`
	Expires  time.Time    `json:"expires"`
	// State is "in force", "expired" or "unowned" (in force by date, but
	// its owner cannot act, so it waives nothing), at the evaluation time.
	State string `json:"state"`
	// Waives lists the IDs of the findings about the identity it waives
	// at the evaluation time.
	Waives []string `json:"waives"`
}

// exception is an sod exception that covers the identity, itself or
// through a party.
type exception struct {
	ID         string     `json:"id"`
	Rule       ref        `json:"rule"`
	Scope      string     `json:"scope"` // "identity alice" or "party finance-ap"
	ValidFrom  time.Time  `json:"valid_from"`
	ValidUntil *time.Time `json:"valid_until,omitempty"`
	InForce    bool       `json:"in_force"`
	Approver   string     `json:"approver,omitempty"`
	Owner      string     `json:"owner,omitempty"`
}

// owned is a record the identity is named the owner of.
type owned struct {
	Type string `json:"type"` // "identity", "breakglass account" or "sod exception"
	ref
	As string `json:"as"` // "owner", "secondary owner"
}

// explainIdentity gathers what b says about identity who at at, and the
// findings a full scan of b at at reports about it (audit.Finding's
// Identity): the same findings "sodkit check" reports, not a second
// reading of the records.
func explainIdentity(b *bundle.Bundle, who string, at time.Time) (*explanation, error) {
	access, err := b.Index.EffectiveAccess(who, at)
	if err != nil {
		return nil, err
	}
	report, err := scan.Run(b, at)
	if err != nil {
		return nil, err
	}
	x := b.Index
	id, _ := x.Identity(who)
	name := func(typ, id string) string {
		var n string
		switch typ {
		case "identity":
			v, _ := x.Identity(id)
			n = v.Name
		case "entitlement":
			v, _ := x.Entitlement(id)
			n = v.Name
		case "role":
			v, _ := x.Role(id)
			n = v.Name
		case "party":
			v, _ := x.Party(id)
			n = v.Name
		case "rule":
			for _, r := range b.SoD.Rules {
				if r.ID == id {
					n = r.Title
					break
				}
			}
		}
		if n == id {
			return ""
		}
		return n
	}
	refOf := func(typ, id string) ref { return ref{ID: id, Name: name(typ, id)} }
	optRef := func(typ, id string) *ref {
		if id == "" {
			return nil
		}
		r := refOf(typ, id)
		return &r
	}
	optTime := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}

	e := &explanation{
		Identity: who, Name: name("identity", who), Kind: id.Kind, Status: id.Status,
		Team: optRef("party", id.Team), Manager: optRef("identity", id.Manager), Environment: id.Environment,
		LastUsed: optTime(id.LastUsed), At: at.UTC(),
		Idle: []idleGrant{}, Observed: []observed{}, Drift: []string{}, Sessions: []session{},
		Exceptions: []exception{}, Waivers: []waiver{}, Owners: []raci.Owner{}, Owns: []owned{}, MemberOf: []ref{}, Findings: []audit.Finding{},
		names: name,
	}
	if c := id.Credential; c != (entitlement.Credential{}) {
		e.Credential = &credential{Created: optTime(c.Created), Rotated: optTime(c.Rotated), Expires: optTime(c.Expires)}
	}
	hold := func(typ string, hs []entitlement.Holding) []holding {
		out := make([]holding, len(hs))
		for i, h := range hs {
			out[i] = holding{ID: h.ID, Name: name(typ, h.ID), Paths: h.Paths}
		}
		return out
	}
	e.Entitlements, e.Roles = hold("entitlement", access.Entitlements), hold("role", access.Roles)

	for _, g := range id.Grants {
		if g.InEffect(at) {
			continue
		}
		typ, target := g.Target()
		ig := idleGrant{Grant: g.ID, Type: typ, Target: refOf(typ, target), Reason: g.State.String()}
		switch {
		case g.State == entitlement.GrantActive && !g.Expires.IsZero() && !at.Before(g.Expires):
			ig.Reason, ig.At = "expired", optTime(g.Expires)
		case g.State == entitlement.GrantActive:
			ig.Reason, ig.At = "not started", optTime(g.StartTime())
		case !g.Revoked.At.IsZero():
			ig.Reason, ig.At = "revoked", optTime(g.Revoked.At)
		}
		e.Idle = append(e.Idle, ig)
	}

	// What target systems showed: the latest sighting of each entitlement
	// at or before at.
	seen := map[string]time.Time{}
	for _, o := range b.Inventory.Observations {
		if o.Identity == who && !o.SeenAt.After(at) && o.SeenAt.After(seen[o.Entitlement]) {
			seen[o.Entitlement] = o.SeenAt
		}
	}
	for ent, t := range seen {
		e.Observed = append(e.Observed, observed{Entitlement: refOf("entitlement", ent), SeenAt: t})
	}
	slices.SortFunc(e.Observed, func(a, b observed) int { return cmp.Compare(a.Entitlement.ID, b.Entitlement.ID) })

	for _, s := range b.BreakGlass.Sessions {
		if (s.Identity != who && s.Account != who) || s.Start.IsZero() || s.Start.After(at) {
			continue
		}
		v := session{ID: s.ID, User: refOf("identity", s.Identity), Account: optRef("identity", s.Account),
			Start: s.Start, PlannedEnd: optTime(s.PlannedEnd), Active: s.ActiveAt(at), Ticket: s.Ticket}
		if !s.End.IsZero() && !s.End.After(at) {
			v.End = optTime(s.End)
		}
		if r := s.Review; !r.IsZero() && !r.At.IsZero() && !r.At.After(at) {
			v.Review = &review{Outcome: r.Outcome.String(), Reviewer: refOf("identity", r.Reviewer), At: r.At}
		}
		e.Sessions = append(e.Sessions, v)
	}
	slices.SortStableFunc(e.Sessions, func(a, b session) int { return a.Start.Compare(b.Start) })

	for _, ex := range b.SoD.Exceptions {
		scope := "identity " + ex.Identity
		if ex.Identity == "" {
			scope = "party " + ex.Party
		}
		if ex.Identity != who && (ex.Identity != "" || ex.Party == "" || !x.IsMember(ex.Party, who)) {
			continue
		}
		e.Exceptions = append(e.Exceptions, exception{ID: ex.ID, Rule: refOf("rule", ex.Rule), Scope: scope,
			ValidFrom: ex.ValidFrom, ValidUntil: optTime(ex.ValidUntil), InForce: ex.InForce(at),
			Approver: ex.Approver, Owner: ex.Owner})
	}

	for _, o := range id.Owners() {
		ow := raci.Owner{ID: o, Kind: "unknown", Status: "unknown"}
		if p, ok := x.Identity(o); ok {
			ow.Name, ow.Kind, ow.Status = name("identity", o), p.Kind.String(), p.Status.String()
		}
		e.Owners = append(e.Owners, ow)
	}
	for _, other := range b.Inventory.Identities {
		switch who {
		case other.Owner:
			e.Owns = append(e.Owns, owned{Type: "identity", ref: refOf("identity", other.ID), As: "owner"})
		case other.SecondaryOwner:
			e.Owns = append(e.Owns, owned{Type: "identity", ref: refOf("identity", other.ID), As: "secondary owner"})
		}
	}
	for _, a := range b.BreakGlass.Accounts {
		if a.Owner == who {
			e.Owns = append(e.Owns, owned{Type: "breakglass account", ref: refOf("identity", a.ID), As: "owner"})
		}
	}
	for _, ex := range b.SoD.Exceptions {
		if ex.Owner == who {
			e.Owns = append(e.Owns, owned{Type: "sod exception", ref: ref{ID: ex.ID}, As: "owner"})
		}
	}
	for _, p := range b.Inventory.Parties {
		if x.IsMember(p.ID, who) {
			e.MemberOf = append(e.MemberOf, refOf("party", p.ID))
		}
	}

	for _, f := range report.Findings {
		if f.Identity != who {
			continue
		}
		e.Findings = append(e.Findings, f)
		if f.Kind == lifecycle.KindUnexplainedAccess || f.Kind == lifecycle.KindRevokedStillPresent {
			e.Drift = append(e.Drift, f.ID)
		}
	}

	// The waivers that concern it: narrowed to it or to one of its grants,
	// or naming a finding about it. Which findings each waives is read
	// from the findings themselves (status waived, the waiver in their
	// evidence), as the scan applied them.
	grants := map[string]bool{}
	for _, g := range id.Grants {
		grants[g.ID] = true
	}
	for _, w := range b.Waivers {
		concerns := w.Subject.Type == "identity" && w.Subject.ID == who || w.Subject.Type == "grant" && grants[w.Subject.ID]
		v := waiver{ID: w.ID, Kinds: w.Kinds, Findings: w.Findings, Owner: refOf("identity", w.Owner),
			Reason: w.Reason, Expires: w.Expires, Waives: []string{}}
		if w.Subject != (audit.Subject{}) {
			v.Subject = w.Subject.Type + " " + w.Subject.ID
		}
		if _, ok := x.Identity(w.Owner); !ok {
			v.Owner = refOf("party", w.Owner)
		}
		for _, f := range e.Findings {
			if !w.Matches(f) {
				continue
			}
			concerns = true
			if f.WaivedBy() == w.ID {
				v.Waives = append(v.Waives, f.ID)
			}
		}
		if !concerns {
			continue
		}
		switch {
		case !w.InForce(at):
			v.State = "expired"
		case !raci.ActiveOwner(x, w.Owner):
			v.State = "unowned"
		default:
			v.State = "in force"
		}
		e.Waivers = append(e.Waivers, v)
	}
	for _, w := range b.Waivers {
		if w.Owner == who {
			e.Owns = append(e.Owns, owned{Type: "waiver", ref: ref{ID: w.ID}, As: "owner"})
		}
	}
	return e, nil
}

// writeText renders the explanation for people, a section at a time,
// each with its count. Every string from the input goes through
// safetext, so none can drive the terminal or start a line of its own.
func (e *explanation) writeText(w io.Writer) error {
	esc := safetext.Escape
	stamp := func(t time.Time) string { return t.Format(time.RFC3339) }
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s at %s\n", escaped(e.Identity, e.Name), stamp(e.At))
	about := []string{e.Kind.String(), e.Status.String()}
	if e.Team != nil {
		about = append(about, "team "+e.Team.String())
	}
	if e.Manager != nil {
		about = append(about, "manager "+e.Manager.String())
	}
	if e.Environment != "" {
		about = append(about, "environment "+esc(e.Environment))
	}
	if e.LastUsed != nil {
		about = append(about, "last used "+stamp(*e.LastUsed))
	}
	if c := e.Credential; c != nil {
		cred := []string{}
		for _, t := range []struct {
			what string
			at   *time.Time
		}{{"created", c.Created}, {"rotated", c.Rotated}, {"expires", c.Expires}} {
			if t.at != nil {
				cred = append(cred, t.what+" "+stamp(*t.at))
			}
		}
		if c.Expires == nil {
			cred = append(cred, "no expiry known")
		}
		about = append(about, "credential "+strings.Join(cred, ", "))
	}
	fmt.Fprintf(bw, "  %s\n", strings.Join(about, ", "))

	section := func(title string, n int) { fmt.Fprintf(bw, "\n%s (%d):\n", title, n) }
	path := func(p entitlement.Path) string {
		steps := evidence.Path(p)
		for i := range steps {
			steps[i].Name = e.names(steps[i].Type, steps[i].ID)
		}
		s := audit.PathString(steps)
		switch {
		case p.Eligible && p.Active:
			s += " (eligible, activated)"
		case p.Eligible:
			s += " (eligible)"
		}
		return esc(s)
	}
	holdings := func(title string, hs []holding) {
		section(title, len(hs))
		for _, h := range hs {
			fmt.Fprintf(bw, "  %s\n", escaped(h.ID, h.Name))
			for _, p := range h.Paths {
				fmt.Fprintf(bw, "    %s\n", path(p))
			}
		}
	}
	holdings("entitlements", e.Entitlements)
	holdings("roles", e.Roles)

	section("grants not in effect", len(e.Idle))
	for _, g := range e.Idle {
		why := esc(g.Reason)
		if g.At != nil {
			if g.Reason == "not started" {
				why = "starts"
			}
			why += " " + stamp(*g.At)
		}
		fmt.Fprintf(bw, "  %s: %s %s, %s\n", esc(g.Grant), g.Type, g.Target, why)
	}

	section("observed in target systems", len(e.Observed))
	for _, o := range e.Observed {
		fmt.Fprintf(bw, "  %s, last seen %s\n", o.Entitlement, stamp(o.SeenAt))
	}
	for _, id := range e.Drift {
		i := slices.IndexFunc(e.Findings, func(f audit.Finding) bool { return f.ID == id })
		f := e.Findings[i]
		fmt.Fprintf(bw, "  drift: %s %s %s: %s\n", strings.ToUpper(f.Severity.String()), esc(string(f.Kind)), esc(f.ID), esc(f.Message))
	}

	active := 0
	for _, s := range e.Sessions {
		if s.Active {
			active++
		}
	}
	fmt.Fprintf(bw, "\nbreak-glass sessions (%d, %d active):\n", len(e.Sessions), active)
	for _, s := range e.Sessions {
		var parts []string
		if s.User.ID != e.Identity {
			parts = append(parts, "used by "+s.User.String())
		}
		if s.Account != nil && s.Account.ID != e.Identity {
			parts = append(parts, "account "+s.Account.String())
		}
		state := "ended " + stamp(timeOr(s.End))
		if s.Active {
			state = "ACTIVE"
		}
		parts = append(parts, state, "started "+stamp(s.Start))
		if s.PlannedEnd != nil {
			parts = append(parts, "planned end "+stamp(*s.PlannedEnd))
		}
		if s.Ticket != "" {
			parts = append(parts, "ticket "+esc(s.Ticket))
		}
		rv := "not reviewed"
		if r := s.Review; r != nil {
			rv = fmt.Sprintf("review: %s by %s at %s", cmp.Or(esc(r.Outcome), "no outcome"), r.Reviewer, stamp(r.At))
		}
		parts = append(parts, rv)
		fmt.Fprintf(bw, "  %s: %s\n", esc(s.ID), strings.Join(parts, ", "))
	}

	section("sod exceptions covering it", len(e.Exceptions))
	for _, x := range e.Exceptions {
		until, state := "no end date", "never in force (no end date)"
		if x.ValidUntil != nil {
			until = stamp(*x.ValidUntil)
			switch {
			case x.InForce:
				state = "in force"
			case e.At.Before(x.ValidFrom):
				state = "not yet in force"
			default:
				state = "expired"
			}
		}
		fmt.Fprintf(bw, "  %s, rule %s, for %s: %s, valid %s to %s", esc(x.ID), x.Rule, esc(x.Scope), state, stamp(x.ValidFrom), until)
		if x.Approver != "" {
			fmt.Fprintf(bw, ", approved by %s", escaped(x.Approver, e.names("identity", x.Approver)))
		}
		if x.Owner != "" {
			fmt.Fprintf(bw, ", owner %s", escaped(x.Owner, e.names("identity", x.Owner)))
		}
		fmt.Fprintln(bw)
	}

	section("waivers concerning it", len(e.Waivers))
	for _, v := range e.Waivers {
		var what []string
		for _, k := range v.Kinds {
			what = append(what, esc(string(k)))
		}
		for _, id := range v.Findings {
			what = append(what, esc(id))
		}
		names := "kinds " + strings.Join(what, ", ")
		if len(v.Findings) > 0 {
			names = "findings " + strings.Join(what, ", ")
		}
		if v.Subject != "" {
			names += " about " + esc(v.Subject)
		}
		state := "in force until " + stamp(v.Expires)
		switch v.State {
		case "expired":
			state = "expired at " + stamp(v.Expires)
		case "unowned":
			state = "waives nothing: its owner cannot act (expires " + stamp(v.Expires) + ")"
		}
		fmt.Fprintf(bw, "  %s: %s, owner %s, %s; waives %d finding(s) about it\n    reason: %s\n",
			esc(v.ID), names, v.Owner, state, len(v.Waives), esc(v.Reason))
	}

	fmt.Fprintf(bw, "\nownership:\n")
	if len(e.Owners) > 0 || e.Kind.NonHuman() {
		owners := make([]string, len(e.Owners))
		for i, o := range e.Owners {
			owners[i] = fmt.Sprintf("%s (%s%s, %s)", esc(o.ID), namePrefix(o.Name), esc(o.Kind), esc(o.Status))
		}
		fmt.Fprintf(bw, "  owned by: %s\n", listOrNone(owners))
	}
	owns := make([]string, len(e.Owns))
	for i, o := range e.Owns {
		owns[i] = fmt.Sprintf("%s %s as %s", o.Type, o.ref, o.As)
	}
	fmt.Fprintf(bw, "  owns: %s\n", listOrNone(owns))
	member := make([]string, len(e.MemberOf))
	for i, p := range e.MemberOf {
		member[i] = p.String()
	}
	fmt.Fprintf(bw, "  member of: %s\n", listOrNone(member))

	section("findings about it", len(e.Findings))
	for _, f := range e.Findings {
		status := ""
		if f.Status != audit.Open {
			status = " [" + f.Status.String() + "]"
		}
		fmt.Fprintf(bw, "  %s %s %s%s  %s\n", strings.ToUpper(f.Severity.String()), esc(string(f.Kind)), esc(f.Subject.String()), status, esc(f.ID))
		if f.Message != "" {
			fmt.Fprintf(bw, "    %s\n", esc(f.Message))
		}
		for _, ev := range f.Evidence {
			fmt.Fprintf(bw, "    - %s\n", esc(ev.String()))
		}
	}
	return bw.Flush()
}

// listOrNone joins items with ", ", or returns "none".
func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}

func timeOr(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
