package synth

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

// defectRates are the defect rates of governed mode, in occurrences per
// thousand (see "Governed mode" in the package documentation).
type defectRates struct {
	// grant is how many grants carry one grant defect (drawn from the
	// grant defects, each equally likely; a defect that does not apply to
	// the grant leaves it clean).
	grant int
	// nhi is how many non-human identities carry one identity defect.
	nhi int
	// inactiveKeeps is how many disabled or offboarded people keep one
	// grant in effect: deprovisioning missed it.
	inactiveKeeps int
	// observation is how many observations show drift.
	observation int
}

// governedRates are the rates governed mode applies.
var governedRates = defectRates{grant: 10, nhi: 25, inactiveKeeps: 200, observation: 40}

const day = 24 * time.Hour

// Party positions of the fixed parties (see catalogue).
const (
	partyIAM = iota
	partyITSM
	partyPlatform
	partySecOps
	partyAudit
)

// governance is what governed mode derives from the catalogue once: who
// works where, and what granting each entitlement and role requires.
type governance struct {
	// slots assigns people to parties: person i works in
	// parties[slots[(i/10) % len(slots)]].
	slots    []int
	slotsOf  [][]int // per party position, its slots
	business []int   // positions of the business teams
	partyPos map[string]int
	ents     []target // per entitlement position
	roles    []target // per role position
}

// target is what granting one entitlement or role requires, as the checks
// compute it from the catalogue.
type target struct {
	ents       []int    // the entitlements conferred (the role closure), in ID order
	path       []string // the approval stages: each conferred entitlement's path, in ID order, each stage once
	privileged bool     // confers a privileged entitlement
	sensitive  bool     // confers one that needs escalation: not standard, and privileged or high-risk
	// maxDuration is the strictest maximum duration of what is conferred;
	// zero for none.
	maxDuration time.Duration
	// recertify is the strictest recertification interval of what is
	// conferred, with the raci package's default intervals.
	recertify time.Duration
	fulfiller int // party position of the first entitlement's fulfiller
}

// govern turns the catalogue into a governed one, from a random stream of
// its own so that the default catalogue is untouched: parties list no
// extra members (a party's members are the people whose team it is);
// each system has an owning business team, the first stage of the
// approval path of its entitlements; roles hold entitlements of one
// system and nothing privileged (privileged access is granted directly,
// time-bound or just in time). It then assigns people to parties and
// computes what each grant target requires.
func (g *generator) govern() {
	rng := rand.New(rand.NewPCG(g.c.Seed, 1<<62|1))
	gov := &governance{partyPos: make(map[string]int, len(g.parties))}
	g.gov, g.rates = gov, governedRates
	for i := range g.parties {
		g.parties[i].Members = nil
		gov.partyPos[g.parties[i].ID] = i
	}
	gov.business = g.teams[:len(g.teams)-2] // the last two are itsm and platform

	// Who works where: every business team one slot, the governance and
	// operations parties several, so each party has members at any size.
	nb := len(gov.business)
	weights := []struct{ party, n int }{
		{partyIAM, max(1, nb/8)}, {partyITSM, max(1, nb/10)}, {partyPlatform, max(1, nb/10)},
		{partySecOps, max(1, nb/20)}, {partyAudit, max(1, nb/20)},
	}
	for _, w := range weights {
		for range w.n {
			gov.slots = append(gov.slots, w.party)
		}
	}
	gov.slots = append(gov.slots, gov.business...)
	rng.Shuffle(len(gov.slots), func(a, b int) { gov.slots[a], gov.slots[b] = gov.slots[b], gov.slots[a] })
	gov.slotsOf = make([][]int, len(g.parties))
	for j, p := range gov.slots {
		gov.slotsOf[p] = append(gov.slotsOf[p], j)
	}

	// Systems and their owners.
	owners := map[string]string{}
	plain := map[string][]int{} // non-privileged entitlements per system
	for k := range g.ents {
		e := &g.ents[k]
		sys := e.SystemName()
		o, ok := owners[sys]
		if !ok {
			o = g.parties[gov.business[rng.IntN(nb)]].ID
			owners[sys] = o
		}
		if len(e.ApprovalPath) > 0 {
			e.ApprovalPath[0] = o
		}
		if !e.Privileged {
			plain[sys] = append(plain[sys], k)
		}
	}

	// Roles: one system each, nothing privileged.
	for r := range g.roles {
		ents := g.roleEnts[r]
		if len(ents) == 0 {
			continue
		}
		pool := plain[g.ents[ents[0]].SystemName()]
		var kept []int
		for _, e := range ents {
			if g.ents[e].Privileged || g.ents[e].SystemName() != g.ents[ents[0]].SystemName() {
				if len(pool) == 0 {
					continue
				}
				e = pool[rng.IntN(len(pool))]
			}
			if !slices.Contains(kept, e) {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 && len(g.roles[r].Inherits) == 0 {
			kept = ents[:1] // nothing else to hold: keep it, and the role governs worse
		}
		g.roleEnts[r] = kept
		g.roles[r].Entitlements = make([]string, len(kept))
		for j, e := range kept {
			g.roles[r].Entitlements[j] = g.ents[e].ID
		}
	}

	// What each target requires. Roles inherit only roles before them.
	gov.ents = make([]target, len(g.ents))
	for k := range g.ents {
		gov.ents[k] = g.target([]int{k})
	}
	gov.roles = make([]target, len(g.roles))
	for r, role := range g.roles {
		ents := slices.Clone(g.roleEnts[r])
		for _, in := range role.Inherits {
			ents = append(ents, gov.roles[g.roleIndex[in]].ents...)
		}
		slices.SortFunc(ents, func(a, b int) int { return cmp.Compare(g.ents[a].ID, g.ents[b].ID) })
		gov.roles[r] = g.target(slices.Compact(ents))
	}
}

// target computes what granting the entitlements ents (in ID order)
// requires.
func (g *generator) target(ents []int) target {
	t := target{ents: ents, fulfiller: partyITSM}
	for j, k := range ents {
		e := g.ents[k]
		if j == 0 {
			t.fulfiller = g.gov.partyPos[e.Fulfiller]
		}
		for _, s := range e.ApprovalPath {
			if !slices.Contains(t.path, s) {
				t.path = append(t.path, s)
			}
		}
		t.privileged = t.privileged || e.Privileged
		t.sensitive = t.sensitive || !e.Standard && (e.Privileged || e.Risk.AtLeast(entitlement.RiskHigh))
		if e.MaxDuration > 0 && (t.maxDuration == 0 || e.MaxDuration < t.maxDuration) {
			t.maxDuration = e.MaxDuration
		}
		if d := recertifyEvery(e); t.recertify == 0 || d < t.recertify {
			t.recertify = d
		}
	}
	return t
}

// recertifyEvery is the recertification interval the raci checks apply to
// e under the default policy (the one RACI returns).
func recertifyEvery(e entitlement.Entitlement) time.Duration {
	switch {
	case e.RecertifyEvery > 0:
		return e.RecertifyEvery
	case e.Privileged:
		return raci.DefaultPrivilegedRecertifyEvery
	}
	return raci.DefaultRecertifyEvery
}

// mix hashes (seed, i, salt) into 64 well-mixed bits (SplitMix64's
// finaliser): per-identity facts that other identities need to know, such
// as whether a person is still active, without generating that person.
func mix(seed uint64, i int, salt uint64) uint64 {
	z := seed ^ (uint64(i)+1)*0x9e3779b97f4a7c15 ^ salt*0xd1b54a32d192ed03
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

const (
	saltStatus = iota + 1
	saltDefect
	saltApp
)

// teamOf returns the party position person i works in.
func (g *generator) teamOf(i int) int {
	return g.gov.slots[(i/10)%len(g.gov.slots)]
}

// humanStatus returns person i's status: 4 % disabled, 6 % offboarded.
func (g *generator) humanStatus(i int) entitlement.IdentityStatus {
	switch p := mix(g.c.Seed, i, saltStatus) % 100; {
	case p < 4:
		return entitlement.IdentityDisabled
	case p < 10:
		return entitlement.IdentityOffboarded
	}
	return entitlement.IdentityActive
}

// member returns a random active person working in party p who is none of
// exclude, or "" if a few tries find none (a party with no active
// members, in a very small organisation).
func (g *generator) member(rng *rand.Rand, p int, exclude ...string) string {
	slots := g.gov.slotsOf[p]
	if len(slots) == 0 {
		return ""
	}
	m := len(g.gov.slots)
	groups := (g.c.Identities + 9) / 10 // person i is in group i/10
	for range 32 {
		j := slots[rng.IntN(len(slots))]
		if j >= groups {
			continue
		}
		q := j + rng.IntN((groups-j+m-1)/m)*m
		i := q*10 + rng.IntN(3)
		if i >= g.c.Identities || g.humanStatus(i) != entitlement.IdentityActive {
			continue
		}
		if id := g.humanID(i); !slices.Contains(exclude, id) {
			return id
		}
	}
	return ""
}

// anyone returns a random active person who is none of exclude, or a
// random person if a few tries find none.
func (g *generator) anyone(rng *rand.Rand, exclude ...string) string {
	for range 32 {
		i := g.randomHuman(rng)
		if id := g.humanID(i); g.humanStatus(i) == entitlement.IdentityActive && !slices.Contains(exclude, id) {
			return id
		}
	}
	return g.humanID(g.randomHuman(rng))
}

// memberOr returns a member of party p who is none of exclude, else
// anyone who is none of them.
func (g *generator) memberOr(rng *rand.Rand, p int, exclude ...string) string {
	if m := g.member(rng, p, exclude...); m != "" {
		return m
	}
	return g.anyone(rng, exclude...)
}

// gone returns a random person who is disabled or offboarded, or "" if a
// few tries find none.
func (g *generator) gone(rng *rand.Rand) string {
	for range 64 {
		if i := g.randomHuman(rng); g.humanStatus(i) != entitlement.IdentityActive {
			return g.humanID(i)
		}
	}
	return ""
}

// An identityDefect is the one identity defect an identity carries, if
// any. The non-human identity defects come first, each equally likely.
type identityDefect uint8

const (
	noIdentityDefect         identityDefect = iota
	defectOrphaned                          // no owner, or an owner who left
	defectCredentialOld                     // a secret never rotated, issued long ago
	defectCredentialNoExpiry                // a secret that never expires
	defectEnvironmentReuse                  // used in a second environment
	defectApplicationReuse                  // used by a second application
	defectHumanUse                          // used by a person
	defectDormant                           // unused for months, holding privileged access
	defectDisabledHolds                     // disabled, one grant still in effect
	nNHIDefects              = iota - 1
	defectInactiveHolds      = defectDisabledHolds // a person who left, one grant still in effect
)

// defectOf returns identity i's identity defect.
func (g *generator) defectOf(i int) identityDefect {
	h := mix(g.c.Seed, i, saltDefect)
	if isHuman(i) {
		if g.humanStatus(i) != entitlement.IdentityActive && h%1000 < uint64(g.rates.inactiveKeeps) {
			return defectInactiveHolds
		}
		return noIdentityDefect
	}
	if h%1000 >= uint64(g.rates.nhi) {
		return noIdentityDefect
	}
	return identityDefect(1 + (h>>16)%uint64(nNHIDefects))
}

// governedIdentity generates identity i of a governed organisation.
func (g *generator) governedIdentity(i int) entitlement.Identity {
	rng := g.rng(i, 0)
	defect := g.defectOf(i)
	id := entitlement.Identity{Status: entitlement.IdentityActive}
	requester := ""
	if isHuman(i) {
		id.ID, id.Kind = g.humanID(i), entitlement.Human
		id.Name = "Person " + strconv.Itoa(i)
		id.Team = g.parties[g.teamOf(i)].ID
		id.Status = g.humanStatus(i)
		if rng.IntN(10) < 6 {
			id.Manager = g.member(rng, g.teamOf(i), id.ID)
		}
		requester = id.ID
	} else {
		nonHuman(rng, i, &id)
		team := g.teams[rng.IntN(len(g.teams))]
		id.Team = g.parties[team].ID
		id.Environment = environments[rng.IntN(len(environments))]
		if rng.IntN(50) == 0 || defect == defectDisabledHolds {
			id.Status = entitlement.IdentityDisabled
		}
		switch {
		case defect == defectOrphaned && rng.IntN(2) == 0:
			// no owner at all
		case defect == defectOrphaned:
			id.Owner = g.gone(rng)
		default:
			id.Owner = g.memberOr(rng, team)
			if rng.IntN(4) == 0 {
				id.SecondaryOwner = g.member(rng, team, id.Owner)
			}
		}
		requester = id.Owner
		if requester == "" {
			requester = g.anyone(rng)
		}
		// Secrets rotate within the 90 days the raci policy allows and
		// expire 90 days after rotation; identities are in use.
		c := &id.Credential
		c.Created = between(rng, epoch, AsOf.Add(-120*day))
		c.Rotated = between(rng, AsOf.Add(-80*day), AsOf.Add(-time.Hour))
		c.Expires = c.Rotated.Add(90 * day)
		id.LastUsed = between(rng, AsOf.Add(-30*day), AsOf.Add(-time.Hour))
		switch defect {
		case defectCredentialOld:
			c.Rotated = time.Time{}
		case defectCredentialNoExpiry:
			c.Expires = time.Time{}
		case defectDormant:
			id.LastUsed = between(rng, AsOf.Add(-300*day), AsOf.Add(-100*day))
		}
	}

	spread := g.c.MeanGrants - 5
	n := 5 + rng.IntN(spread+1) + rng.IntN(spread+1)
	if rng.IntN(10) == 0 {
		n += rng.IntN(6)
	}
	id.Grants = make([]entitlement.Grant, n)
	for k := range id.Grants {
		var f force
		if k == 0 {
			f.privileged = defect == defectDormant
			f.active = defect == defectDormant || defect == defectInactiveHolds
		}
		by := requester
		if rng.IntN(10) == 0 { // a manager or colleague asked
			by = cmp.Or(id.Manager, g.memberOr(rng, g.gov.partyPos[id.Team], id.ID))
		}
		id.Grants[k] = g.governedGrant(rng, i, k, &id, by, f)
	}
	return id
}

// force makes a grant carry an identity defect: privileged, and in effect
// whatever its holder's status.
type force struct{ privileged, active bool }

// The grant defects, each equally likely.
const (
	defectNoReason       = iota // no business reason
	defectNoPolicyBasis         // no policy basis
	defectStageMissing          // the last stage's approval missing
	defectOutsidePath           // a stage approved by someone outside its party
	defectOverdue               // recertification overdue
	defectWrongCertifier        // certified by a business team member, not identity governance
	defectSelfCertified         // certified by the holder
	defectNoExpiry              // privileged or just-in-time with no expiry
	defectOverMax               // longer than the maximum duration
	defectDutyConflict          // provisioned by its approver
	defectBreakGlass            // came through the emergency path, with no session
	defectEscalation            // standard path, no approval, needs escalation
	nGrantDefects
)

// governedGrant generates grant k of identity i in a governed organisation,
// requested by requester.
func (g *generator) governedGrant(rng *rand.Rand, i, k int, id *entitlement.Identity, requester string, f force) entitlement.Grant {
	gr := entitlement.Grant{
		ID:     "g-" + pad(i, 7) + "-" + pad(k, 2),
		Source: entitlement.SourceStandard,
	}
	var t *target
	switch p := rng.IntN(100); {
	case (f.privileged || p >= 30 && p < 35) && len(g.privileged) > 0:
		e := g.privileged[rng.IntN(len(g.privileged))]
		gr.Entitlement, t = g.ents[e].ID, &g.gov.ents[e]
	case p < 30:
		r := rng.IntN(len(g.roles))
		gr.Role, t = g.roles[r].ID, &g.gov.roles[r]
	default:
		e := rng.IntN(len(g.ents))
		gr.Entitlement, t = g.ents[e].ID, &g.gov.ents[e]
	}
	gr.State = grantState(rng)
	switch {
	case f.active:
		gr.State = entitlement.GrantActive
	case id.Status != entitlement.IdentityActive && (gr.State == entitlement.GrantActive || gr.State == entitlement.GrantApproved):
		gr.State = entitlement.GrantRevoked // deprovisioned
	}
	if (t.privileged || gr.Role != "") && rng.IntN(12) == 0 && !f.privileged {
		gr.Eligible, gr.Source = true, entitlement.SourceJustInTime
	} else if rng.IntN(50) == 0 {
		gr.Source = entitlement.SourceException
	}
	gr.Ticket = "REQ-" + strconv.Itoa(100000+rng.IntN(900000))
	if rng.IntN(5) == 0 {
		gr.Scope = scopes[rng.IntN(len(scopes))]
	}
	gr.Reason = reasons[1+rng.IntN(len(reasons)-1)]
	gr.PolicyBasis = policyBases[rng.IntN(len(policyBases))]

	// When the grant was (or would be) provisioned. Grants of what has a
	// maximum duration (privileged entitlements), standing or
	// just-in-time, began less than that duration ago.
	limit := t.maxDuration
	var prov time.Time
	switch {
	case gr.State == entitlement.GrantRequested || gr.State == entitlement.GrantApproved:
		prov = between(rng, AsOf.Add(-10*day), AsOf.Add(-time.Hour))
	case gr.State != entitlement.GrantActive:
		prov = between(rng, epoch.Add(30*day), AsOf.Add(-2*day))
	case limit > 0:
		prov = between(rng, AsOf.Add(-limit+2*time.Hour), AsOf.Add(-time.Hour))
	case gr.Eligible:
		prov = between(rng, AsOf.Add(-170*day), AsOf.Add(-2*day))
	default:
		prov = between(rng, epoch.Add(30*day), AsOf.Add(-day))
	}

	// Request and approvals, before provisioning: one approval per stage
	// of the approval path, by a member of the stage's party who is
	// neither the holder, the requester nor another approver.
	at := prov.Add(-hours(rng, 1, 24))
	exclude := []string{id.ID, requester}
	if gr.State != entitlement.GrantRequested && len(t.path) > 0 {
		gr.Approvals = make([]entitlement.Approval, len(t.path))
		for s := len(t.path) - 1; s >= 0; s-- {
			gr.Approvals[s].At = at
			at = at.Add(-hours(rng, 1, 48))
		}
		for s, stage := range t.path {
			by := g.memberOr(rng, g.gov.partyPos[stage], exclude...)
			gr.Approvals[s].By, gr.Approvals[s].Stage = by, stage
			exclude = append(exclude, by)
		}
	}
	gr.Requested = entitlement.Event{By: requester, At: at.Add(-hours(rng, 1, 72))}
	if gr.State == entitlement.GrantRequested || gr.State == entitlement.GrantApproved {
		g.grantDefect(rng, &gr, t, id)
		return gr
	}
	gr.Provisioned = entitlement.Event{By: g.memberOr(rng, t.fulfiller, exclude...), At: prov}

	start, end := prov, AsOf // end: when the access stopped, for activations
	switch gr.State {
	case entitlement.GrantActive:
		switch {
		case limit > 0:
			gr.Expires = between(rng, AsOf.Add(time.Hour), prov.Add(limit))
		case gr.Eligible:
			gr.Expires = between(rng, AsOf.Add(day), prov.Add(180*day))
		case rng.IntN(40) == 0: // not begun yet
			start = between(rng, AsOf.Add(day), AsOf.Add(30*day))
			gr.Start = start
			if rng.IntN(3) == 0 {
				gr.Expires = start.Add(hours(rng, 24*30, 24*400))
			}
		case rng.IntN(3) == 0:
			gr.Expires = between(rng, AsOf.Add(day), AsOf.Add(400*day))
		}
		// Recertified within its interval by identity governance, never
		// by the holder; recent access may not be due yet.
		due := AsOf.Add(-t.recertify + day)
		switch {
		case !start.After(due):
			gr.Certified = entitlement.Event{By: g.memberOr(rng, partyIAM, id.ID), At: between(rng, due, AsOf.Add(-time.Hour))}
		case start.Before(AsOf.Add(-day)) && rng.IntN(3) == 0:
			gr.Certified = entitlement.Event{By: g.memberOr(rng, partyIAM, id.ID), At: between(rng, start.Add(time.Hour), AsOf.Add(-time.Hour))}
		}
	case entitlement.GrantExpired:
		most := 180 * day
		if limit > 0 {
			most = limit
		}
		gr.Expires = between(rng, prov.Add(day), earliest(AsOf.Add(-time.Hour), prov.Add(most)))
		end = gr.Expires
	case entitlement.GrantRevoked:
		gr.Revoked = entitlement.Event{By: g.memberOr(rng, partyITSM, id.ID), At: between(rng, prov.Add(time.Hour), AsOf.Add(-time.Hour))}
		end = gr.Revoked.At
	}
	if !gr.Expires.IsZero() && gr.Expires.Before(end) {
		end = gr.Expires
	}
	if gr.Eligible {
		// Activations within the maximum duration (8 hours at most).
		longest := 8 * time.Hour
		if limit > 0 {
			longest = min(longest, limit)
		}
		at := start
		for range rng.IntN(4) {
			at = between(rng, at, end)
			if !at.Before(end) {
				break
			}
			a := entitlement.Activation{Start: at, End: at.Add(time.Duration(15+rng.IntN(int(longest/time.Minute)-14)) * time.Minute)}
			if a.End.After(end) {
				a.End = end
			}
			gr.Activations = append(gr.Activations, a)
			at = a.End
		}
	}
	g.grantDefect(rng, &gr, t, id)
	return gr
}

// grantDefect gives gr one grant defect, g.rates.grant times in a
// thousand. A defect that does not apply (an approval defect on
// a grant that needs no approval, a recertification defect on a grant
// that is not held) leaves the grant clean.
func (g *generator) grantDefect(rng *rand.Rand, gr *entitlement.Grant, t *target, id *entitlement.Identity) {
	if rng.IntN(1000) >= g.rates.grant {
		return
	}
	live := gr.State == entitlement.GrantActive
	certified := live && !gr.Certified.IsZero()
	switch rng.IntN(nGrantDefects) {
	case defectNoReason:
		gr.Reason = ""
	case defectNoPolicyBasis:
		gr.PolicyBasis = ""
	case defectStageMissing:
		if n := len(gr.Approvals); n > 0 {
			gr.Approvals = gr.Approvals[:n-1]
		}
	case defectOutsidePath:
		if len(gr.Approvals) > 0 {
			a := &gr.Approvals[0]
			other := g.gov.business[rng.IntN(len(g.gov.business))]
			if g.parties[other].ID != a.Stage {
				a.By = g.memberOr(rng, other, id.ID, gr.Requested.By)
			}
		}
	case defectOverdue:
		due := AsOf.Add(-t.recertify)
		if start := gr.StartTime(); live && start.Before(due.Add(-day)) {
			gr.Certified.At = between(rng, start, due.Add(-time.Hour))
			if gr.Certified.By == "" {
				gr.Certified.By = g.memberOr(rng, partyIAM, id.ID)
			}
		}
	case defectWrongCertifier:
		if certified {
			gr.Certified.By = g.memberOr(rng, g.gov.business[rng.IntN(len(g.gov.business))], id.ID)
		}
	case defectSelfCertified:
		if certified && id.Kind == entitlement.Human {
			gr.Certified.By = id.ID
		}
	case defectNoExpiry:
		if live && (t.privileged || gr.Eligible) {
			gr.Expires = time.Time{}
		}
	case defectOverMax:
		switch {
		case !live || t.maxDuration == 0:
		case !gr.Eligible:
			gr.Expires = gr.StartTime().Add(t.maxDuration + hours(rng, 24, 24*30))
		case len(gr.Activations) > 0:
			a := &gr.Activations[len(gr.Activations)-1]
			a.End = a.Start.Add(t.maxDuration + hours(rng, 1, 48))
		}
	case defectDutyConflict:
		if gr.Provisioned.By != "" && len(gr.Approvals) > 0 {
			gr.Provisioned.By = gr.Approvals[0].By
		}
	case defectBreakGlass:
		if live && !gr.Eligible {
			gr.Source = entitlement.SourceBreakGlass
		}
	case defectEscalation:
		if live && t.sensitive && gr.Source == entitlement.SourceStandard {
			gr.Approvals = nil
		}
	}
}

// governedObserve generates what target systems showed of identity i in a
// governed organisation: access its grants in effect explain, with drift
// in g.rates.observation of a thousand observations; and, for non-human
// identities, usage in their one environment by their one application,
// never by a person, except for the usage defects.
func (g *generator) governedObserve(i int, id entitlement.Identity) ([]entitlement.Observation, []entitlement.Usage) {
	rng := g.rng(i, 1)
	var obs []entitlement.Observation
	if rng.IntN(10) < 3 {
		for range 1 + rng.IntN(2) {
			seen := AsOf.Add(-hours(rng, 1, 72))
			if rng.IntN(1000) < g.rates.observation {
				obs = append(obs, g.drift(rng, i, id))
				continue
			}
			gr := id.Grants[rng.IntN(len(id.Grants))]
			if gr.Eligible || !gr.InEffect(seen) {
				continue
			}
			obs = append(obs, entitlement.Observation{Identity: id.ID, Entitlement: g.someEntitlement(rng, gr), SeenAt: seen})
		}
	}
	if !id.Kind.NonHuman() {
		return obs, nil
	}
	defect := g.defectOf(i)
	n := 0
	if rng.IntN(10) == 0 {
		n = 1 + rng.IntN(3)
	}
	switch defect {
	case defectDormant:
		n = 0
	case defectEnvironmentReuse, defectHumanUse:
		n = max(n, 1)
	case defectApplicationReuse:
		n = max(n, 2) // its own application and another
	}
	app := int(mix(g.c.Seed, i, saltApp) % 300)
	use := make([]entitlement.Usage, n)
	for k := range use {
		use[k] = entitlement.Usage{
			Identity:    id.ID,
			At:          AsOf.Add(-hours(rng, 1, 24*30)),
			Application: fmt.Sprintf("app-%03d", app),
			Environment: id.Environment,
		}
	}
	switch defect {
	case defectEnvironmentReuse:
		for _, env := range environments {
			if env != id.Environment {
				use[0].Environment = env
				break
			}
		}
	case defectApplicationReuse:
		use[0].Application = fmt.Sprintf("app-%03d", (app+1+rng.IntN(299))%300)
	case defectHumanUse:
		use[0].Actor = cmp.Or(id.Owner, g.anyone(rng))
	}
	return obs, use
}

// someEntitlement returns an entitlement a grant confers: its own, or one
// of its role's closure.
func (g *generator) someEntitlement(rng *rand.Rand, gr entitlement.Grant) string {
	if gr.Role == "" {
		return gr.Entitlement
	}
	ents := g.gov.roles[g.roleIndex[gr.Role]].ents
	return g.ents[ents[rng.IntN(len(ents))]].ID
}

// drift returns one observation of identity i that its grants do not
// explain: access left behind by a grant that ended, access nobody
// granted, an account the inventory does not know, or an entitlement the
// catalogue does not know.
func (g *generator) drift(rng *rand.Rand, i int, id entitlement.Identity) entitlement.Observation {
	seen := AsOf.Add(-30 * time.Minute)
	o := entitlement.Observation{Identity: id.ID, SeenAt: seen}
	switch rng.IntN(4) {
	case 0:
		for _, gr := range id.Grants {
			if gr.State == entitlement.GrantRevoked || gr.State == entitlement.GrantExpired {
				o.Entitlement = g.someEntitlement(rng, gr)
				return o
			}
		}
		fallthrough
	case 1:
		o.Entitlement = g.ents[rng.IntN(len(g.ents))].ID
	case 2:
		o.Identity = fmt.Sprintf("ghost-%07d", i)
		o.Entitlement = g.ents[rng.IntN(len(g.ents))].ID
	default:
		o.Entitlement = fmt.Sprintf("%s:legacy.%d", systemNames[rng.IntN(len(systemNames))], rng.IntN(100))
	}
	return o
}
