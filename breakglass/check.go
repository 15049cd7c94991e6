package breakglass

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

var (
	ac2_2  = audit.Ref(audit.SP80053, "AC-2(2)")
	ac2_3  = audit.Ref(audit.SP80053, "AC-2(3)")
	ac3_2  = audit.Ref(audit.SP80053, "AC-3(2)")
	ac5    = audit.Ref(audit.SP80053, "AC-5")
	ac6    = audit.Ref(audit.SP80053, "AC-6")
	ac6_9  = audit.Ref(audit.SP80053, "AC-6(9)")
	au2    = audit.Ref(audit.SP80053, "AU-2")
	au3    = audit.Ref(audit.SP80053, "AU-3")
	au6    = audit.Ref(audit.SP80053, "AU-6")
	ia5    = audit.Ref(audit.SP80053, "IA-5")
	gvPO01 = audit.Ref(audit.CSF, "GV.PO-01")
	gvRR02 = audit.Ref(audit.CSF, "GV.RR-02")
	deCM03 = audit.Ref(audit.CSF, "DE.CM-03")
	prAA05 = audit.Ref(audit.CSF, "PR.AA-05")
)

// Check runs every break-glass check over cfg and the inventory indexed by
// x at time at, and returns the findings in report order (see
// audit.Finding.Compare).
//
// Check sees the records as they stood at at: a session that starts after
// at is ignored, and a review, approval or credential rotation recorded
// after at has not happened yet. Times compare as instants, whatever their
// zones; evidence and messages show them in UTC. A session ending exactly
// at at is over at at, and one planned to end exactly at at is past its
// planned end; a review or rotation recorded exactly at its due time is on
// time.
//
// Records that fail validation (see Config.Validate) are never passed: each
// yields a KindInvalidRecord finding with status Indeterminate, and an
// invalid session is left out of the other checks. A nil x is an empty
// inventory. Check is a pure function of its arguments, does not modify
// them and is safe for concurrent use.
func Check(x *entitlement.Index, cfg Config, at time.Time) []audit.Finding {
	k := NewChecker(x, cfg, at)
	if x != nil {
		for _, id := range x.Inventory().Identities {
			k.Identity(x.Holder(id))
		}
	}
	return k.Finish()
}

// Checker runs the break-glass checks over identities streamed one at a
// time, for inventories too large to hold whole. Its index holds the
// catalogue and every identity (their grants may be left out). Identity
// takes note of what the break-glass checks need from one identity's
// grants — an emergency account's standing access, and grants made through
// the break-glass path — and returns no findings: every break-glass
// finding is about sessions or those grants, and Finish returns them all.
// Check is exactly NewChecker, Identity for each identity of the index,
// then Finish.
//
// A Checker is safe for concurrent use; call Finish once, after every
// Identity call has returned.
type Checker struct {
	mu       sync.Mutex
	k        *checker
	cfg      Config
	accounts map[string]*entitlement.Holder // emergency account → its grants
	bgGrants []heldGrant                    // break-glass grants of other identities
}

// heldGrant is grant i of a holder.
type heldGrant struct {
	holder *entitlement.Holder
	i      int
}

// NewChecker returns a Checker over x and cfg evaluating at at. A nil x is
// an empty inventory.
func NewChecker(x *entitlement.Index, cfg Config, at time.Time) *Checker {
	return &Checker{k: prepare(x, cfg, at), cfg: cfg, accounts: map[string]*entitlement.Holder{}}
}

// Identity records what the checks need from one identity. It returns no
// findings; see Finish.
func (c *Checker) Identity(h *entitlement.Holder) []audit.Finding {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := h.Identity
	if _, isAccount := c.k.accounts[id.ID]; isAccount {
		c.accounts[id.ID] = h
		return nil
	}
	for i, g := range id.Grants {
		if g.Source == entitlement.SourceBreakGlass {
			c.bgGrants = append(c.bgGrants, heldGrant{holder: h, i: i})
		}
	}
	return nil
}

// Note records what Finish needs from an identity whose findings are
// reported elsewhere — by another shard of a scan split by identity. Every
// break-glass finding comes from Finish, so it records exactly what
// Identity does: an emergency account's grants, and grants made through
// the break-glass path.
func (c *Checker) Note(h *entitlement.Holder) { c.Identity(h) }

// fill computes what each session conferred, now that the emergency
// accounts' grants are known.
func (c *Checker) fill() {
	for _, s := range c.k.sessions {
		s.ents = c.k.conferredBy(s.Session, c.accounts[s.Account])
	}
}

// Finish returns every break-glass finding, in report order.
func (c *Checker) Finish() []audit.Finding {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fill()
	k := c.k
	out := slices.Clone(k.invalid)
	for _, s := range k.sessions {
		out = append(out, k.session(s)...)
	}
	out = append(out, k.reuse()...)
	out = append(out, k.habitual()...)
	out = append(out, k.grantsWithoutSession(c.bgGrants)...)
	return audit.Sort(out)
}

// checker is one evaluation: the valid sessions that started by at, with
// what each conferred.
type checker struct {
	x        *entitlement.Index
	p        Policy // effective
	at       time.Time
	accounts map[string]Account // first account of each ID
	sessions []*prepared        // valid sessions started at or before at, input order
	invalid  []audit.Finding
	nInvalid int // sessions left out for validation problems
}

// prepared is one session with the entitlements it conferred: those it
// lists plus those its account held at its start, sorted and unique.
type prepared struct {
	Session
	ents []string
}

func prepare(x *entitlement.Index, cfg Config, at time.Time) *checker {
	v := newValidator(x, cfg)
	v.run()
	k := &checker{x: v.x, p: cfg.Policy.WithDefaults(), at: at, accounts: map[string]Account{}}
	for _, a := range cfg.Accounts {
		if _, dup := k.accounts[a.ID]; !dup && a.ID != "" {
			k.accounts[a.ID] = a
		}
	}
	k.invalid = invalidFindings(v.errs, cfg)
	for i, s := range cfg.Sessions {
		if v.badSession[i] {
			k.nInvalid++
			continue
		}
		if s.Start.After(at) {
			continue
		}
		k.sessions = append(k.sessions, &prepared{Session: s})
	}
	return k
}

// conferredBy returns the entitlements a session conferred: those it lists
// and those its account held (through its grants in effect) at its start;
// account is nil when no identity of that ID was seen.
func (k *checker) conferredBy(s Session, account *entitlement.Holder) []string {
	ents := slices.Clone(s.Entitlements)
	if s.Account != "" && account != nil {
		a, _ := account.Access(s.Start)
		for _, h := range a.Entitlements {
			ents = append(ents, h.ID)
		}
	}
	slices.Sort(ents)
	return slices.Compact(ents)
}

// invalidFindings turns validation problems into one Indeterminate finding
// per record, its problems as evidence in input order. A finding about a
// session is about its user, one about an emergency account about that
// account, as cfg records them (the first record of an ID, if several).
func invalidFindings(errs []error, cfg Config) []audit.Finding {
	type key struct{ typ, id string }
	var order []key
	ev := map[key][]audit.Evidence{}
	for _, err := range errs {
		re, ok := err.(*entitlement.RecordError)
		if !ok {
			continue
		}
		k := key{re.Type, re.ID}
		if _, seen := ev[k]; !seen {
			order = append(order, k)
		}
		label := re.Field
		if label == "" {
			label = "record"
		}
		ev[k] = append(ev[k], audit.Evidence{Label: label, Value: re.Err.Error()})
	}
	out := make([]audit.Finding, 0, len(order))
	var users map[key]string // record → the identity it is about, built for the first finding
	for _, k := range order {
		f := kinds.Get(KindInvalidRecord).New("", audit.Subject{Type: k.typ, ID: k.id},
			fmt.Sprintf("break-glass %s %s cannot be checked: %d problem(s)", k.typ, k.id, len(ev[k])), ev[k]...)
		f.Status = audit.Indeterminate
		if users == nil {
			users = make(map[key]string, len(cfg.Sessions)+len(cfg.Accounts))
			for _, s := range slices.Backward(cfg.Sessions) {
				users[key{recSession, s.ID}] = s.Identity
			}
			for _, a := range cfg.Accounts {
				users[key{recAccount, a.ID}] = a.ID // an emergency account is the identity of its ID
			}
		}
		f.Identity = users[k]
		out = append(out, f)
	}
	return out
}

func sessionSubject(s *prepared) audit.Subject { return audit.Subject{Type: "session", ID: s.ID} }

// who is the evidence every session finding starts with: the user, the
// account and the start.
func who(s *prepared) []audit.Evidence {
	ev := []audit.Evidence{{Label: "identity", Value: s.Identity}}
	if s.Account != "" {
		ev = append(ev, audit.Evidence{Label: "account", Value: s.Account})
	}
	return append(ev, audit.Evidence{Label: "start", Value: stamp(s.Start)})
}

func stampOr(t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return stamp(t)
}

// session runs the checks of one session.
func (k *checker) session(s *prepared) []audit.Finding {
	var out []audit.Finding
	add := func(f audit.Finding) { out = append(out, f) }
	at := k.at
	subj := sessionSubject(s)
	active := s.ActiveAt(at)
	name := fmt.Sprintf("session %s of %s", s.ID, s.Identity)

	// Still active past its planned end, or with none.
	if active && (s.PlannedEnd.IsZero() || !at.Before(s.PlannedEnd)) {
		msg := fmt.Sprintf("%s is still active at %s and has no planned end", name, stamp(at))
		if !s.PlannedEnd.IsZero() {
			msg = fmt.Sprintf("%s is still active at %s, %s after its planned end", name, stamp(at), audit.FormatDuration(at.Sub(s.PlannedEnd)))
		}
		add(kinds.Get(KindActivePastEnd).New("", subj, msg,
			append(who(s), audit.Evidence{Label: "planned end", Value: stampOr(s.PlannedEnd, "none")})...))
	}

	// Longer than allowed, planned or actual.
	limit, limitBy := k.limit(s)
	end, ended := at, s.endedBy(at)
	if ended {
		end = s.End
	}
	length := end.Sub(s.Start)
	planned := time.Duration(0)
	if !s.PlannedEnd.IsZero() {
		planned = s.PlannedEnd.Sub(s.Start)
	}
	if length > limit || planned > limit {
		var msg string
		switch {
		case length > limit && ended:
			msg = fmt.Sprintf("%s lasted %s", name, audit.FormatDuration(length))
		case length > limit:
			msg = fmt.Sprintf("%s has run for %s and is still active", name, audit.FormatDuration(length))
		default:
			msg = fmt.Sprintf("%s was planned to last %s", name, audit.FormatDuration(planned))
		}
		msg += fmt.Sprintf(", longer than the %s allowed by %s", audit.FormatDuration(limit), limitBy)
		add(kinds.Get(KindOverMaxLength).New("", subj, msg, append(who(s),
			audit.Evidence{Label: "planned end", Value: stampOr(s.PlannedEnd, "none")},
			audit.Evidence{Label: "end", Value: stampOr(s.End, "none")},
			audit.Evidence{Label: "maximum length", Value: audit.FormatDuration(limit) + " (" + limitBy + ")"})...))
	}

	// Reason and ticket.
	var missing []string
	if !k.p.ReasonOptional && blank(s.ReasonCode) && blank(s.Justification) {
		missing = append(missing, "reason")
	}
	if !k.p.TicketOptional && blank(s.Ticket) {
		missing = append(missing, "ticket")
	}
	if len(missing) > 0 {
		add(kinds.Get(KindMissingJustification).New("", subj, fmt.Sprintf("%s records no %s", name, strings.Join(missing, " and no ")),
			append(who(s), audit.Evidence{Label: "missing", Value: strings.Join(missing, ", ")})...))
	}

	if f, ok := k.approval(s, subj, name); ok {
		add(f)
	}
	if f, ok := k.rotation(s, subj, name); ok {
		add(f)
	}
	for _, f := range k.review(s, subj, name, active) {
		add(f)
	}
	for i := range out {
		out[i].Identity = s.Identity // the user of the session
	}
	return out
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// limit returns the session's maximum length and what sets it: the policy,
// or the shortest maximum duration among the entitlements it confers.
func (k *checker) limit(s *prepared) (time.Duration, string) {
	limit, by := k.p.MaxLength, "policy"
	for _, id := range s.ents {
		if e, ok := k.x.Entitlement(id); ok && e.MaxDuration > 0 && e.MaxDuration < limit {
			limit, by = e.MaxDuration, "entitlement "+id
		}
	}
	return limit, by
}

// approval reports a session that needed an approval and lacks a valid one.
func (k *checker) approval(s *prepared, subj audit.Subject, name string) (audit.Finding, bool) {
	var needs []string
	for _, id := range s.ents {
		if slices.Contains(k.p.ApprovalRequired, id) {
			needs = append(needs, id)
		}
	}
	if len(needs) == 0 {
		return audit.Finding{}, false
	}
	a := s.Approved
	var problem string
	self := false
	switch {
	case a.By == "" || a.At.IsZero():
		problem = "no approval recorded"
	case a.At.After(s.Start):
		problem = "approved only after the session started"
	case a.By == s.Identity:
		problem, self = "approved by the user", true
	case a.By == s.Requested.By:
		problem, self = "approved by the requester", true
	default:
		return audit.Finding{}, false
	}
	approval := "none"
	if a.By != "" || !a.At.IsZero() {
		approval = "by " + a.By + " at " + stampOr(a.At, "an unrecorded time")
	}
	ev := append(who(s), audit.Evidence{Label: "approval", Value: approval})
	if s.Requested.By != "" {
		ev = append(ev, audit.Evidence{Label: "requested by", Value: s.Requested.By})
	}
	for _, id := range needs {
		ev = append(ev, audit.Evidence{Label: "approval required for", Value: id})
	}
	f := kinds.Get(KindMissingApproval).New("", subj,
		fmt.Sprintf("%s conferred %s, whose emergency use needs approval: %s", name, strings.Join(needs, ", "), problem), ev...)
	if self {
		f = f.Cite(ac5)
	}
	return f, true
}

// rotation reports an ended session whose account's credentials were not
// rotated within the rotation period after its end. A rotation counts when
// it falls in [end, end+RotateWithin], recorded on the session or as the
// account identity's last credential rotation.
func (k *checker) rotation(s *prepared, subj audit.Subject, name string) (audit.Finding, bool) {
	if s.Account == "" || slices.Contains(k.p.RotationExempt, s.Account) || !s.endedBy(k.at) {
		return audit.Finding{}, false
	}
	due := s.End.Add(k.p.RotateWithin)
	if !k.at.After(due) {
		return audit.Finding{}, false
	}
	inTime := func(t time.Time) bool { return !t.IsZero() && !t.Before(s.End) && !t.After(due) }
	if inTime(s.CredentialsRotated) {
		return audit.Finding{}, false
	}
	if id, ok := k.x.Identity(s.Account); ok && inTime(id.Credential.Rotated) {
		return audit.Finding{}, false
	}
	rotated := "not recorded"
	if r := s.CredentialsRotated; !r.IsZero() && !r.After(k.at) {
		rotated = stamp(r)
	}
	return kinds.Get(KindCredentialsNotRotated).New("", subj,
		fmt.Sprintf("the credentials of account %s were not rotated within %s after %s ended", s.Account, audit.FormatDuration(k.p.RotateWithin), name),
		append(who(s),
			audit.Evidence{Label: "end", Value: stamp(s.End)},
			audit.Evidence{Label: "rotation due", Value: stamp(due)},
			audit.Evidence{Label: "credentials rotated", Value: rotated})...), true
}

// controllersOf returns who must review a session, and where that list
// comes from: the session, its account, or the policy.
func (k *checker) controllersOf(s *prepared) ([]string, string) {
	if len(s.Controllers) > 0 {
		return s.Controllers, "session"
	}
	if a, ok := k.accounts[s.Account]; ok && len(a.Controllers) > 0 {
		return a.Controllers, "account " + a.ID
	}
	return k.p.Controllers, "policy"
}

// isController reports whether identity is one of controllers, or a member
// of a party among them.
func (k *checker) isController(controllers []string, identity string) bool {
	for _, c := range controllers {
		if c == identity || k.x.IsMember(c, identity) {
			return true
		}
	}
	return false
}

// review runs the review checks of one session.
func (k *checker) review(s *prepared, subj audit.Subject, name string, active bool) []audit.Finding {
	var out []audit.Finding
	at := k.at
	rv := s.Review
	recorded := rv.recordedBy(at)
	concluded := rv.ConcludedBy(at)
	reviewEv := func() audit.Evidence {
		return audit.Evidence{Label: "review", Value: fmt.Sprintf("%s by %s at %s", rv.Outcome, rv.Reviewer, stamp(rv.At))}
	}

	if recorded && rv.Reviewer == s.Identity {
		out = append(out, kinds.Get(KindSelfReviewed).New("", subj,
			fmt.Sprintf("%s was reviewed by its own user", name), append(who(s), reviewEv())...))
	}
	if recorded {
		controllers, from := k.controllersOf(s)
		if !k.isController(controllers, rv.Reviewer) {
			list := "none named"
			if len(controllers) > 0 {
				list = strings.Join(controllers, ", ") + " (" + from + ")"
			}
			out = append(out, kinds.Get(KindReviewerNotController).New("", subj,
				fmt.Sprintf("%s was reviewed by %s, who is not one of its controllers", name, rv.Reviewer),
				append(who(s), reviewEv(), audit.Evidence{Label: "controllers", Value: list})...))
		}
	}
	if concluded && rv.Outcome == ReviewRejected && active {
		out = append(out, kinds.Get(KindRejectedStillActive).New("", subj,
			fmt.Sprintf("%s was rejected in review at %s but is still active at %s", name, stamp(rv.At), stamp(at)),
			append(who(s), reviewEv(), audit.Evidence{Label: "end", Value: stampOr(s.End, "none")})...))
	}
	if !s.endedBy(at) {
		return out
	}
	due := s.End.Add(k.p.ReviewWithin)
	timing := []audit.Evidence{{Label: "end", Value: stamp(s.End)}, {Label: "review due", Value: stamp(due)}}
	switch {
	case !concluded && at.After(due):
		state := audit.Evidence{Label: "review", Value: "none recorded"}
		if recorded {
			state = reviewEv()
		}
		f := kinds.Get(KindReviewOverdue).New("", subj,
			fmt.Sprintf("%s ended at %s and has no concluded review, %s after its review fell due", name, stamp(s.End), audit.FormatDuration(at.Sub(due))),
			append(append(who(s), timing...), state)...)
		out = append(out, f)
	case concluded && rv.At.After(due):
		out = append(out, kinds.Get(KindReviewedLate).New("", subj,
			fmt.Sprintf("%s was reviewed %s after its review fell due", name, audit.FormatDuration(rv.At.Sub(due))),
			append(append(who(s), timing...), reviewEv())...))
	}
	return out
}

// byStart orders sessions by start, then ID.
func byStart(a, b *prepared) int { return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID)) }

// reuse reports sessions opened while an earlier session of the same
// identity had no concluded review. Earlier means an earlier start, or the
// same start and a smaller ID.
func (k *checker) reuse() []audit.Finding {
	groups := map[string][]*prepared{}
	for _, s := range k.sessions {
		groups[s.Identity] = append(groups[s.Identity], s)
	}
	var out []audit.Finding
	for _, id := range sortedKeys(groups) {
		list := groups[id]
		slices.SortFunc(list, byStart)
		for j, s := range list {
			var ev []audit.Evidence
			for _, p := range list[:j] {
				if p.Review.ConcludedBy(s.Start) {
					continue
				}
				state := "still active"
				if p.endedBy(s.Start) {
					state = "ended " + stamp(p.End)
				}
				ev = append(ev, audit.Evidence{Label: "awaiting review",
					Value: fmt.Sprintf("session %s (started %s, %s)", p.ID, stamp(p.Start), state)})
			}
			if len(ev) == 0 {
				continue
			}
			f := kinds.Get(KindReuseBeforeReview).New("", sessionSubject(s),
				fmt.Sprintf("session %s of %s was opened while %d earlier session(s) of the same identity awaited review", s.ID, id, len(ev)),
				append(who(s), ev...)...)
			f.Identity = s.Identity
			out = append(out, f)
		}
	}
	return out
}

// habitual reports identities and entitlements used through the emergency
// path more often in the trailing window than the policy allows.
func (k *checker) habitual() []audit.Finding {
	from := k.at.Add(-k.p.HabitWindow)
	perIdentity := map[string][]*prepared{}
	perEnt := map[string][]*prepared{}
	for _, s := range k.sessions {
		if !s.Start.After(from) {
			continue
		}
		perIdentity[s.Identity] = append(perIdentity[s.Identity], s)
		for _, e := range s.ents {
			perEnt[e] = append(perEnt[e], s)
		}
	}
	var out []audit.Finding
	report := func(typ string, groups map[string][]*prepared, max int) {
		for _, id := range sortedKeys(groups) {
			list := groups[id]
			if len(list) <= max {
				continue
			}
			slices.SortFunc(list, byStart)
			ev := []audit.Evidence{
				{Label: "sessions in window", Value: strconv.Itoa(len(list))},
				{Label: "allowed in window", Value: fmt.Sprintf("%d per %s", max, audit.FormatDuration(k.p.HabitWindow))},
			}
			for _, s := range list {
				ev = append(ev, audit.Evidence{Label: "session", Value: s.ID + " (started " + stamp(s.Start) + ")"})
			}
			f := kinds.Get(KindHabitualUse).New("", audit.Subject{Type: typ, ID: id},
				fmt.Sprintf("%s %s went through the emergency path %d times in the %s up to %s, more than the %d allowed: the exception path is becoming the normal path",
					typ, id, len(list), audit.FormatDuration(k.p.HabitWindow), stamp(k.at), max), ev...)
			if len(list) > 2*max {
				f.Severity = audit.High
			}
			out = append(out, f)
		}
	}
	report("identity", perIdentity, k.p.MaxPerIdentity)
	report("entitlement", perEnt, k.p.MaxPerEntitlement)
	return out
}

// grantsWithoutSession reports provisioned break-glass grants, started by
// at, that no session explains. A session explains a grant when the grant's
// holder is its identity or its account, their times overlap, and it
// conferred an entitlement the grant confers. Grants held by a registered
// emergency account are its standing content and are not reported.
func (k *checker) grantsWithoutSession(grants []heldGrant) []audit.Finding {
	byHolder := map[string][]*prepared{}
	for _, s := range k.sessions {
		byHolder[s.Identity] = append(byHolder[s.Identity], s)
		if s.Account != "" && s.Account != s.Identity {
			byHolder[s.Account] = append(byHolder[s.Account], s)
		}
	}
	var out []audit.Finding
	for _, hg := range grants {
		id, g := hg.holder.Identity.ID, hg.holder.Identity.Grants[hg.i]
		{
			switch g.State {
			case entitlement.GrantActive, entitlement.GrantRevoked, entitlement.GrantExpired:
			default:
				continue // never provisioned
			}
			start := g.StartTime()
			if !start.IsZero() && start.After(k.at) {
				continue
			}
			ents := grantEntitlements(hg)
			if explained(byHolder[id], start, grantEnd(g), ents) {
				continue
			}
			typ, target := g.Target()
			f := kinds.Get(KindGrantWithoutSession).New("", audit.Subject{Type: "grant", ID: g.ID},
				fmt.Sprintf("break-glass grant %s of %s to %s has no session record explaining it", g.ID, target, id),
				[]audit.Evidence{
					{Label: "identity", Value: id},
					{Label: typ, Value: target},
					{Label: "source", Value: g.Source.String()},
					{Label: "start", Value: stampOr(start, "not recorded")},
					{Label: "end", Value: stampOr(grantEnd(g), "none")},
				}...)
			if !g.InEffect(k.at) {
				f.Severity = audit.Medium
			}
			f.Identity = id // the grant's holder
			out = append(out, f)
		}
	}
	return out
}

// grantEnd returns when a grant's access ended or ends: the earlier of its
// expiry and its revocation, or zero if neither is recorded.
func grantEnd(g entitlement.Grant) time.Time {
	switch {
	case g.Expires.IsZero():
		return g.Revoked.At
	case g.Revoked.At.IsZero() || g.Expires.Before(g.Revoked.At):
		return g.Expires
	}
	return g.Revoked.At
}

// grantEntitlements returns the entitlements a grant confers through its
// target, whatever the time.
func grantEntitlements(hg heldGrant) []string {
	hs := hg.holder.Conferred(hg.i)
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.ID
	}
	return out
}

// explained reports whether one of the holder's sessions overlaps [start,
// end) (a zero start or end is open) and conferred one of ents.
func explained(sessions []*prepared, start, end time.Time, ents []string) bool {
	for _, s := range sessions {
		if !end.IsZero() && !s.Start.Before(end) {
			continue
		}
		if !start.IsZero() && !s.End.IsZero() && !start.Before(s.End) {
			continue
		}
		for _, e := range ents {
			if _, ok := slices.BinarySearch(s.ents, e); ok {
				return true
			}
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
