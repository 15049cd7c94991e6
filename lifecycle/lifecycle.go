package lifecycle

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/evidence"
	"github.com/sodkit/sodkit/internal/memo"
)

var (
	ac2     = audit.Ref(audit.SP80053, "AC-2")
	ac2_2   = audit.Ref(audit.SP80053, "AC-2(2)")
	ac2_3   = audit.Ref(audit.SP80053, "AC-2(3)")
	ac5     = audit.Ref(audit.SP80053, "AC-5")
	ac6     = audit.Ref(audit.SP80053, "AC-6")
	ps4     = audit.Ref(audit.SP80053, "PS-4")
	au3     = audit.Ref(audit.SP80053, "AU-3")
	prAA05  = audit.Ref(audit.CSF, "PR.AA-05")
	nhi1    = audit.Ref(audit.NHI, "NHI1:2025")
	gvPO01  = audit.Ref(audit.CSF, "GV.PO-01")
	deCM03  = audit.Ref(audit.CSF, "DE.CM-03")
	idAM08  = audit.Ref(audit.CSF, "ID.AM-08")
	rfc3339 = time.RFC3339Nano
)

// Check runs every lifecycle check over the indexed inventory at time at
// and returns the findings in report order (see audit.Finding.Compare).
//
// Grant checks look at grants that are live at at: state active, not
// revoked, and not expired by at (a grant expiring exactly at at is over).
// Drift checks compare each identity's latest observation of each
// entitlement, seen at or before at, with the grants in effect when it was
// seen; observations after at are ignored. Look-alike IDs
// (KindLookalikeID) are linted among the identities, the entitlements and
// the roles. Check is a pure function of its arguments and safe for
// concurrent use.
func Check(x *entitlement.Index, at time.Time) []audit.Finding {
	k := NewChecker(x, at)
	var out []audit.Finding
	for _, id := range x.Inventory().Identities {
		out = append(out, k.Identity(x.Holder(id))...)
	}
	return audit.Sort(append(out, k.Finish()...))
}

// Checker runs the lifecycle checks one identity at a time, for
// inventories streamed from files too large to hold whole. Its index holds
// the catalogue, every identity (their grants may be left out: Identity
// brings them) and the observations. Identity checks one identity's grants
// and the observations of its accounts; Finish reports the observations of
// accounts no identity explained, and the look-alike IDs, which NewChecker
// finds in the index. Check is exactly NewChecker, Identity for each
// identity of the index, then Finish.
//
// A Checker is safe for concurrent use; call Finish once, after every
// Identity call has returned.
type Checker struct {
	x   *entitlement.Index
	at  time.Time
	mu  sync.Mutex
	obs map[string][]seenAt // identity → latest sighting of each entitlement, by entitlement

	lookalikes []audit.Finding // until Finish hands them out

	targets [2]memo.Table[string, *targetFacts] // per grant target: entitlements, then roles, by ID
}

// seenAt is the latest sighting of one entitlement on one account.
type seenAt struct {
	entitlement string
	at          time.Time
}

// NewChecker returns a Checker over x evaluating at at: it takes the latest
// observation, at or before at, of each entitlement on each account, and
// finds the look-alike IDs among the identities, entitlements and roles of
// x, folding each ID once.
func NewChecker(x *entitlement.Index, at time.Time) *Checker {
	type key struct{ identity, entitlement string }
	latest := map[key]time.Time{}
	for _, o := range x.Inventory().Observations {
		if o.SeenAt.After(at) {
			continue
		}
		k := key{o.Identity, o.Entitlement}
		if t, ok := latest[k]; !ok || o.SeenAt.After(t) {
			latest[k] = o.SeenAt
		}
	}
	obs := map[string][]seenAt{}
	for k, t := range latest {
		obs[k.identity] = append(obs[k.identity], seenAt{k.entitlement, t})
	}
	for _, list := range obs {
		slices.SortFunc(list, func(a, b seenAt) int { return cmp.Compare(a.entitlement, b.entitlement) })
	}
	return &Checker{x: x, at: at, obs: obs, lookalikes: lookalikes(x)}
}

// Identity returns the findings about one identity: its live grants'
// records, access it holds while not active, and drift on its accounts.
func (k *Checker) Identity(h *entitlement.Holder) []audit.Finding {
	id := h.Identity
	out := k.grantFindings(h)
	out = append(out, inactiveHolder(k.x, h, k.at)...)
	k.mu.Lock()
	seen := k.obs[id.ID]
	delete(k.obs, id.ID)
	k.mu.Unlock()
	for _, s := range seen {
		if f, ok := observed(k.x, h, id.ID, s.entitlement, s.at); ok {
			out = append(out, f)
		}
	}
	return audit.Sort(out)
}

// Note records that an identity's findings are reported elsewhere — by
// another shard of a scan split by identity — so that Finish does not
// report its observations as unexplained. It returns nothing and is safe
// for concurrent use.
func (k *Checker) Note(h *entitlement.Holder) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.obs, h.Identity.ID)
}

// Finish returns the drift findings about accounts that no identity
// passed to Identity explains, and the look-alike ID findings, in report
// order. Each is returned once: a second Finish returns none.
func (k *Checker) Finish() []audit.Finding {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := k.lookalikes
	k.lookalikes = nil
	for identity, seen := range k.obs {
		var id *entitlement.Holder
		if i, ok := k.x.Identity(identity); ok {
			id = k.x.Holder(i)
		}
		for _, s := range seen {
			if f, ok := observed(k.x, id, identity, s.entitlement, s.at); ok {
				out = append(out, f)
			}
		}
	}
	clear(k.obs)
	return audit.Sort(out)
}

// live reports whether a grant still stands at at: active, not revoked and
// not past its expiry. Unlike InEffect, a grant that has not started yet is
// live: its record already promises the access.
func live(g entitlement.Grant, at time.Time) bool {
	return g.State == entitlement.GrantActive && g.Revoked.At.IsZero() &&
		(g.Expires.IsZero() || at.Before(g.Expires))
}

func grantSubject(g entitlement.Grant) audit.Subject { return audit.Subject{Type: "grant", ID: g.ID} }

func target(g entitlement.Grant) audit.Evidence {
	typ, id := g.Target()
	return audit.Evidence{Label: typ, Value: id}
}

func holder(id entitlement.Identity) audit.Evidence {
	return audit.Evidence{Label: "identity", Value: fmt.Sprintf("%s (%s)", id.ID, id.Kind)}
}

// targetFacts is what the grant checks need to know of what a grant's
// target confers, the same for every grant of it: enough to decide whether
// a grant has a finding, before its paths are asked for evidence.
type targetFacts struct {
	privileged bool          // it confers a privileged entitlement
	limit      time.Duration // the strictest maximum duration of what it confers; 0 for none
	limitBy    string        // the entitlement that sets limit
	escalates  bool          // it confers an entitlement that needs escalation (see escalation)
}

// facts returns the facts of the target of grant gi of the holder.
func (k *Checker) facts(h *entitlement.Holder, gi int) *targetFacts {
	typ, id := h.Identity.Grants[gi].Target()
	tab := &k.targets[0]
	if typ == "role" {
		tab = &k.targets[1]
	}
	return tab.Get(id, func() *targetFacts {
		t := &targetFacts{}
		for _, eid := range h.ConferredIDs(gi) {
			e, _ := k.x.Entitlement(eid)
			t.privileged = t.privileged || e.Privileged
			if e.MaxDuration > 0 && (t.limit == 0 || e.MaxDuration < t.limit) {
				t.limit, t.limitBy = e.MaxDuration, e.ID
			}
			t.escalates = t.escalates || needsEscalation(e)
		}
		return t
	})
}

func (k *Checker) grantFindings(h *entitlement.Holder) []audit.Finding {
	var out []audit.Finding
	id := h.Identity
	for gi, g := range id.Grants {
		if !live(g, k.at) {
			continue
		}
		t := k.facts(h, gi)
		out = append(out, timeBound(k.x, h, gi, t, k.at)...)
		if t.escalates && g.Source == entitlement.SourceStandard && len(g.Approvals) == 0 {
			out = append(out, escalation(k.x, id, g, h.Conferred(gi))...)
		}
		out = append(out, recordGaps(id, g)...)
	}
	for i := range out {
		out[i].Identity = id.ID // each is about one of its grants
	}
	return out
}

// timeBound reports privileged or just-in-time grants with no expiry, and
// grants longer than the strictest maximum duration among the entitlements
// they confer.
func timeBound(x *entitlement.Index, h *entitlement.Holder, gi int, t *targetFacts, at time.Time) []audit.Finding {
	id, g := h.Identity, h.Identity.Grants[gi]
	limit, limitBy := t.limit, t.limitBy
	jit := g.Eligible || g.Source == entitlement.SourceJustInTime
	if !(g.Expires.IsZero() && (t.privileged || jit)) && limit == 0 {
		return nil // the common case: no finding, no evidence to build
	}
	// The evidence of a finding names the privileged entitlements, each
	// with its path.
	var privileged []audit.Evidence
	if t.privileged {
		for _, c := range h.Conferred(gi) {
			if e, _ := x.Entitlement(c.ID); e.Privileged {
				privileged = append(privileged, audit.Evidence{Label: "privileged entitlement", Value: e.ID, Path: evidence.Path(c.Paths[0])})
			}
		}
	}
	var out []audit.Finding
	if g.Expires.IsZero() && (len(privileged) > 0 || jit) {
		why := "just-in-time"
		if len(privileged) > 0 {
			why = "privileged"
		}
		ev := append([]audit.Evidence{holder(id), target(g), {Label: "expires", Value: "never"}}, privileged...)
		if jit {
			ev = append(ev, audit.Evidence{Label: "just-in-time", Value: "eligible grant"})
		}
		f := kinds.Get(KindNoExpiry).New("", grantSubject(g), fmt.Sprintf("%s grant %s to %s has no expiry", why, g.ID, id.ID), ev...)
		if len(privileged) > 0 {
			f.Severity = audit.High
		}
		out = append(out, f)
	}
	if limit == 0 {
		return out
	}
	over := func(ev []audit.Evidence, what string, d time.Duration) {
		f := kinds.Get(KindOverMaxDuration).New("", grantSubject(g),
			fmt.Sprintf("%s lasts %s, longer than the %s allowed for %s",
				what, audit.FormatDuration(d), audit.FormatDuration(limit), limitBy),
			append(append([]audit.Evidence{holder(id), target(g)}, ev...),
				audit.Evidence{Label: "maximum duration", Value: fmt.Sprintf("%s (%s)", audit.FormatDuration(limit), limitBy)})...)
		if len(privileged) > 0 {
			f.Severity = audit.High
		}
		out = append(out, f)
	}
	if !g.Eligible {
		// A standing grant is bounded by its own start and expiry.
		if d, ok := g.Duration(); ok && d > limit {
			over([]audit.Evidence{
				{Label: "start", Value: g.StartTime().Format(rfc3339)},
				{Label: "expires", Value: g.Expires.Format(rfc3339)},
			}, fmt.Sprintf("grant %s to %s", g.ID, id.ID), d)
		}
		return out
	}
	// An eligible grant's access exists only while activated: each
	// activation must fit the maximum.
	// An activation that has not ended counts up to at.
	for i, a := range g.Activations {
		what := fmt.Sprintf("activation %d of just-in-time grant %s to %s", i, g.ID, id.ID)
		if a.End.IsZero() {
			if a.Start.Before(at) && at.Sub(a.Start) > limit {
				over([]audit.Evidence{{Label: fmt.Sprintf("activation %d", i),
					Value: a.Start.Format(rfc3339) + ", not ended"}}, what+" (still running)", at.Sub(a.Start))
			}
			continue
		}
		if d := a.End.Sub(a.Start); d > limit {
			over([]audit.Evidence{{Label: fmt.Sprintf("activation %d", i),
				Value: a.Start.Format(rfc3339) + " to " + a.End.Format(rfc3339)}}, what, d)
		}
	}
	return out
}

// escalation reports a grant through the pre-approved standard path (source
// standard, no approval recorded) that confers an entitlement which is not
// pre-approved and is privileged or at least high risk (unassessed risk
// counts as high).
func escalation(x *entitlement.Index, id entitlement.Identity, g entitlement.Grant, ents []entitlement.Holding) []audit.Finding {
	if g.Source != entitlement.SourceStandard || len(g.Approvals) > 0 {
		return nil
	}
	var ev []audit.Evidence
	for _, h := range ents {
		e, _ := x.Entitlement(h.ID)
		if !needsEscalation(e) {
			continue
		}
		why := "risk " + riskName(e.Risk)
		if e.Privileged {
			why = "privileged, " + why
		}
		ev = append(ev, audit.Evidence{Label: "not pre-approved", Value: fmt.Sprintf("%s (%s)", e.ID, why), Path: evidence.Path(h.Paths[0])})
	}
	if len(ev) == 0 {
		return nil
	}
	return []audit.Finding{kinds.Get(KindEscalationSkipped).New("", grantSubject(g),
		fmt.Sprintf("grant %s to %s came through the pre-approved standard path with no approval, but confers %d entitlement(s) that need escalation",
			g.ID, id.ID, len(ev)),
		append([]audit.Evidence{holder(id), target(g), {Label: "source", Value: "standard, no approval recorded"}}, ev...)...)}
}

// needsEscalation reports an entitlement that is not pre-approved and is
// privileged or at least high risk (unassessed risk counts as high).
func needsEscalation(e entitlement.Entitlement) bool {
	return !e.Standard && (e.Privileged || e.Risk.AtLeast(entitlement.RiskHigh))
}

func riskName(r entitlement.Risk) string {
	if r == 0 {
		return "unassessed"
	}
	return r.String()
}

// recordGaps reports a live grant without a business reason or a policy
// basis: the decision cannot be explained.
func recordGaps(id entitlement.Identity, g entitlement.Grant) []audit.Finding {
	var out []audit.Finding
	if g.Reason == "" {
		out = append(out, kinds.Get(KindMissingReason).New("", grantSubject(g),
			fmt.Sprintf("grant %s to %s records no business reason", g.ID, id.ID),
			holder(id), target(g)))
	}
	if g.PolicyBasis == "" {
		out = append(out, kinds.Get(KindMissingPolicyBasis).New("", grantSubject(g),
			fmt.Sprintf("grant %s to %s records no policy basis (the rule or template that allowed it)", g.ID, id.ID),
			holder(id), target(g)))
	}
	return out
}

// observed explains one observation of ent on the account of identity,
// held by id (nil when the inventory has no such identity), or returns the
// finding it causes.
func observed(x *entitlement.Index, holder *entitlement.Holder, identity, ent string, seen time.Time) (audit.Finding, bool) {
	seenEv := audit.Evidence{Label: "seen in target system", Value: seen.Format(rfc3339)}
	entEv := audit.Evidence{Label: "entitlement", Value: ent}
	if holder == nil {
		f := kinds.Get(KindUnexplainedAccess).New("", audit.Subject{Type: "account", ID: identity},
			fmt.Sprintf("account %s holds %s in the target system but is not in the inventory", identity, ent),
			entEv, seenEv, audit.Evidence{Label: "identity", Value: "unknown to the inventory"}).Cite(nhi1, idAM08)
		f.Identity = identity // the account, as the target system names it
		f.Remediation = "Find who owns the account: add it to the identity source with an owner, or disable it in the target system."
		return f, true
	}
	id := holder.Identity
	e, entKnown := x.Entitlement(ent)
	sev := audit.High
	if entKnown && (e.Privileged || e.Risk == entitlement.RiskCritical) {
		sev = audit.Critical
	}
	// drift builds a finding about the identity's account, citing DE.CM-03
	// and, for a non-human identity, NHI1.
	drift := func(kind audit.Kind, msg string, ev ...audit.Evidence) audit.Finding {
		f := kinds.Get(kind).New("", audit.Subject{Type: "identity", ID: identity}, msg, ev...).Cite(deCM03)
		if id.Kind.NonHuman() {
			f = f.Cite(nhi1)
		}
		return f
	}
	if !entKnown {
		f := drift(KindUnexplainedAccess, fmt.Sprintf("%s holds %s in the target system, an entitlement the catalogue does not know", identity, ent),
			entEv, seenEv, audit.Evidence{Label: "catalogue", Value: "entitlement unknown"})
		f.Remediation = "Add the entitlement to the catalogue with an owner and approval path, or remove it from the target system."
		return f, true
	}
	held, active := heldAt(holder, ent, seen)
	if active {
		return audit.Finding{}, false // the common case, decided without paths
	}
	if held {
		access, _ := x.Expand(grantsAt(id.Grants, seen), seen)
		h, _ := access.Entitlement(ent)
		// Only just-in-time eligibility, not activated when seen.
		f := drift(KindUnexplainedAccess, fmt.Sprintf("%s holds %s standing in the target system, but only has just-in-time eligibility that was not activated", identity, ent),
			entEv, seenEv, audit.Evidence{Label: "eligible, not activated", Path: evidence.Path(h.Paths[0])}).Cite(ac2_2)
		f.Severity = sev
		f.Remediation = "Remove the standing assignment; the access should exist only while activated."
		return f, true
	}
	// Did a grant that conferred it end before it was seen?
	var ended []audit.Evidence
	for gi, g := range id.Grants {
		end, how := endOf(g, seen)
		if how == "" {
			continue
		}
		for _, h := range holder.Conferred(gi) {
			if h.ID != ent {
				continue
			}
			v := how
			if !end.IsZero() {
				v += " " + end.Format(rfc3339)
			}
			ended = append(ended, audit.Evidence{Label: "grant ended", Value: v, Path: evidence.Path(h.Paths[0])})
		}
	}
	if len(ended) > 0 {
		f := drift(KindRevokedStillPresent, fmt.Sprintf("%s (%s) still holds %s in the target system after its grant ended",
			identity, id.Status, ent),
			append([]audit.Evidence{entEv, seenEv}, ended...)...)
		if id.Status != entitlement.IdentityActive {
			f = f.Cite(ac2_3)
		}
		f.Severity = sev
		return f, true
	}
	f := drift(KindUnexplainedAccess, fmt.Sprintf("%s holds %s in the target system, but no grant explains it", identity, ent),
		entEv, seenEv, audit.Evidence{Label: "grants", Value: "none confers it"})
	f.Severity = sev
	return f, true
}

// grantsAt returns grants as they stood at t. A grant's state is its
// state now; one that is now revoked or expired, but was revoked or ran out
// only after t, was still in force at t and explains access seen then.
func grantsAt(gs []entitlement.Grant, t time.Time) []entitlement.Grant {
	out := slices.Clone(gs)
	for i, g := range out {
		out[i] = grantAt(g, t)
	}
	return out
}

// grantAt returns g as it stood at t: a grant revoked or expired after t
// was still active then.
func grantAt(g entitlement.Grant, t time.Time) entitlement.Grant {
	switch {
	case g.State == entitlement.GrantRevoked && g.Revoked.At.After(t),
		g.State == entitlement.GrantExpired && g.Expires.After(t):
		g.State = entitlement.GrantActive
	}
	return g
}

// heldAt reports whether the holder held ent at t through a grant in effect
// then (as it stood then: grantAt), and whether that access was active
// (standing, or an activated just-in-time grant): what Expand of
// grantsAt(grants, t) at t says of ent, without building its paths.
func heldAt(h *entitlement.Holder, ent string, t time.Time) (held, active bool) {
	for gi, g := range h.Identity.Grants {
		g = grantAt(g, t)
		if !g.InEffect(t) {
			continue
		}
		if _, ok := slices.BinarySearch(h.ConferredIDs(gi), ent); !ok {
			continue
		}
		held = true
		if g.ActiveAt(t) {
			return true, true
		}
	}
	return held, false
}

// endOf returns when and how a grant had ended by seen: "revoked",
// "expired", or "" if it had not (it was never provisioned, or it is still
// running or yet to start).
func endOf(g entitlement.Grant, seen time.Time) (time.Time, string) {
	switch {
	case g.State == entitlement.GrantRevoked || !g.Revoked.At.IsZero():
		if g.Revoked.At.After(seen) {
			return time.Time{}, ""
		}
		return g.Revoked.At, "revoked"
	case g.State == entitlement.GrantExpired:
		if g.Expires.After(seen) {
			return time.Time{}, ""
		}
		return g.Expires, "expired"
	case g.State == entitlement.GrantActive && !g.Expires.IsZero() && !g.Expires.After(seen):
		return g.Expires, "expired"
	}
	return time.Time{}, ""
}

// inactiveHolder reports an identity that is not active (disabled or
// offboarded) but still holds grants in effect at at.
func inactiveHolder(x *entitlement.Index, holder *entitlement.Holder, at time.Time) []audit.Finding {
	id := holder.Identity
	if id.Status == entitlement.IdentityActive {
		return nil
	}
	var ev []audit.Evidence
	privileged := false
	for gi, g := range id.Grants {
		if !g.InEffect(at) {
			continue
		}
		typ, target := g.Target()
		ev = append(ev, audit.Evidence{Label: "grant " + g.ID, Value: typ + " " + target})
		for _, h := range holder.Conferred(gi) {
			if e, _ := x.Entitlement(h.ID); e.Privileged {
				privileged = true
			}
		}
	}
	if len(ev) == 0 {
		return nil
	}
	f := kinds.Get(KindInactiveHolder).New("", audit.Subject{Type: "identity", ID: id.ID},
		fmt.Sprintf("%s is %s but still holds %d grant(s) in effect", id.ID, id.Status, len(ev)),
		append([]audit.Evidence{{Label: "status", Value: id.Status.String()}}, ev...)...)
	if privileged {
		f.Severity = audit.Critical
	}
	if id.Kind.NonHuman() {
		f = f.Cite(nhi1)
	}
	return []audit.Finding{f}
}
