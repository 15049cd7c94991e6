package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/sodkit/sodkit/entitlement"
)

// AsOf is the export time of every generated inventory, the natural
// evaluation time for checks on it. Every time in the inventory is before
// it, except the start of a few grants that have not begun yet.
var AsOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// epoch is the earliest time in a generated inventory.
var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Config describes the inventory to generate. The zero Config generates a
// small organisation of 1,000 identities with seed 0; any zero field takes
// its default.
type Config struct {
	// Seed selects the organisation; equal seeds and sizes give equal
	// inventories.
	Seed uint64
	// Identities is the number of identities (default 1,000; at least 10).
	Identities int
	// MeanGrants is the average number of grants per identity (default
	// 15). Each identity holds between 5 and 2*MeanGrants grants.
	MeanGrants int
	// Systems is the number of target systems (default 4 plus one per
	// 25,000 identities, at most 40).
	Systems int
	// EntitlementsPerSystem is the average catalogue size of a system
	// (default 300).
	EntitlementsPerSystem int
	// Roles is the number of roles (default one per 50 identities, between
	// 20 and 4,000).
	Roles int
	// Governed generates an organisation that follows its own policies
	// except for a small, documented defect rate (see "Governed mode" in
	// the package documentation). The zero value generates the default
	// organisation, full of defects on purpose.
	Governed bool
}

func (c Config) withDefaults() Config {
	if c.Identities <= 0 {
		c.Identities = 1000
	}
	c.Identities = max(c.Identities, 10)
	if c.MeanGrants <= 0 {
		c.MeanGrants = 15
	}
	c.MeanGrants = max(c.MeanGrants, 5)
	if c.Systems <= 0 {
		c.Systems = min(4+c.Identities/25000, 40)
	}
	if c.EntitlementsPerSystem <= 0 {
		c.EntitlementsPerSystem = 300
	}
	if c.Roles <= 0 {
		c.Roles = min(max(c.Identities/50, 20), 4000)
	}
	return c
}

// Generate returns the inventory described by c. It is valid: NewIndex
// accepts it.
func Generate(c Config) *entitlement.Inventory {
	return newGenerator(c).generate()
}

// generate returns the whole inventory.
func (g *generator) generate() *entitlement.Inventory {
	inv := &entitlement.Inventory{
		Parties:      g.parties,
		Entitlements: g.ents,
		Roles:        g.roles,
		Identities:   make([]entitlement.Identity, g.c.Identities),
	}
	for i := range inv.Identities {
		inv.Identities[i] = g.identity(i)
	}
	for i := range inv.Identities {
		obs, use := g.observe(i, inv.Identities[i])
		inv.Observations = append(inv.Observations, obs...)
		inv.Usage = append(inv.Usage, use...)
	}
	return inv
}

var systemNames = []string{"erp", "crm", "hr", "bank", "idp", "k8s", "github", "vault", "jira", "wiki",
	"dwh", "billing", "payroll", "aws", "gcp", "azure", "sap", "salesforce", "slack", "okta"}

var nonHumanKinds = []struct {
	kind   entitlement.IdentityKind
	prefix string
	weight int
}{
	{entitlement.ServiceAccount, "sa", 40},
	{entitlement.APIKey, "key", 20},
	{entitlement.Token, "tok", 15},
	{entitlement.WorkloadIdentity, "wl", 20},
	{entitlement.AIAgent, "agent", 5},
}

var verbs = []string{"read", "write", "create", "update", "delete", "approve", "release", "admin", "export", "post", "view", "deploy"}
var nouns = []string{"vendor", "invoice", "payment", "ledger", "user", "group", "secret", "repo", "cluster", "ticket",
	"report", "contract", "employee", "salary", "order", "customer", "bucket", "key", "pipeline", "document"}
var reasons = []string{"", "Day-to-day work in the team", "Project access", "On-call rotation", "Nightly batch job",
	"Migration support", "Audit request", "Replacement for a colleague on leave"}
var policyBases = func() []string {
	out := make([]string, 200)
	for i := range out {
		out[i] = "tmpl-" + pad(i, 3)
	}
	return out
}()

var scopes = []string{"cc-1000", "cc-2000", "cc-3000", "eu", "us"}

var environments = []string{"prod", "prod", "staging", "test", "dev"}

// generator holds the catalogue, which every identity refers to.
type generator struct {
	c       Config
	parties []entitlement.Party
	ents    []entitlement.Entitlement
	roles   []entitlement.Role
	// derived lookups for generating grants
	privileged []int   // entitlement positions that are privileged
	roleEnts   [][]int // per role, entitlement positions it holds directly
	roleIndex  map[string]int
	teams      []int // party positions that are teams
	// gov is what governed mode derives from the catalogue, and rates
	// its defect rates; nil and zero by default.
	gov   *governance
	rates defectRates
}

func newGenerator(c Config) *generator {
	g := &generator{c: c.withDefaults()}
	rng := rand.New(rand.NewPCG(g.c.Seed, 1<<62))
	g.catalogue(rng)
	if g.c.Governed {
		g.govern()
	}
	return g
}

func (g *generator) catalogue(rng *rand.Rand) {
	// Parties: governance, operations, security, audit, then business teams.
	g.parties = []entitlement.Party{
		{ID: "iam", Name: "Identity & Access Governance", Function: entitlement.IdentityGovernance},
		{ID: "itsm", Name: "IT Service Desk", Function: entitlement.ITOperations},
		{ID: "platform", Name: "Platform Engineering", Function: entitlement.ITOperations},
		{ID: "secops", Name: "Security Operations", Function: entitlement.Security},
		{ID: "audit", Name: "Internal Audit", Function: entitlement.Audit},
	}
	nTeams := min(max(g.c.Identities/200, 8), 2000)
	for t := range nTeams {
		g.teams = append(g.teams, len(g.parties))
		g.parties = append(g.parties, entitlement.Party{
			ID: fmt.Sprintf("team-%04d", t), Name: fmt.Sprintf("Team %d", t), Function: entitlement.Business,
		})
	}
	g.teams = append(g.teams, 1, 2) // people work in operations too
	// A few parties list extra members (people from other teams).
	for i := range g.parties {
		if rng.IntN(5) == 0 {
			n := 1 + rng.IntN(3)
			seen := map[string]bool{}
			for range n {
				m := g.humanID(g.randomHuman(rng))
				if !seen[m] {
					seen[m] = true
					g.parties[i].Members = append(g.parties[i].Members, m)
				}
			}
		}
	}

	// Entitlements: each system has a catalogue of a few hundred.
	for s := range g.c.Systems {
		sys := systemNames[s%len(systemNames)]
		if s >= len(systemNames) {
			sys = fmt.Sprintf("%s%d", sys, s/len(systemNames))
		}
		n := g.c.EntitlementsPerSystem/2 + rng.IntN(g.c.EntitlementsPerSystem+1)
		for k := range n {
			e := entitlement.Entitlement{
				ID:          fmt.Sprintf("%s:%s.%s.%d", sys, nouns[k%len(nouns)], verbs[(k/len(nouns))%len(verbs)], k),
				Name:        fmt.Sprintf("%s %s in %s", verbs[(k/len(nouns))%len(verbs)], nouns[k%len(nouns)], sys),
				PolicyOwner: "iam",
				Fulfiller:   []string{"itsm", "platform"}[rng.IntN(2)],
			}
			if s%3 == 1 { // some systems act in one environment
				e.Environment = environments[s%len(environments)]
			}
			switch p := rng.IntN(100); {
			case p < 50:
				e.Risk = entitlement.RiskLow
				e.Standard = rng.IntN(10) < 6
			case p < 80:
				e.Risk = entitlement.RiskMedium
			case p < 95:
				e.Risk = entitlement.RiskHigh
			default:
				e.Risk = entitlement.RiskCritical
			}
			if e.Risk >= entitlement.RiskHigh && rng.IntN(2) == 0 || rng.IntN(50) == 0 {
				e.Privileged = true
				e.Standard = false
				e.MaxDuration = time.Duration(1+rng.IntN(90)) * 24 * time.Hour
			}
			if !e.Standard {
				// One or two approval stages, distinct.
				e.ApprovalPath = []string{g.parties[g.teams[rng.IntN(len(g.teams))]].ID}
				if e.Risk >= entitlement.RiskHigh {
					e.ApprovalPath = append(e.ApprovalPath, "iam")
				}
			}
			if rng.IntN(4) != 0 {
				e.RecertifyEvery = []time.Duration{90, 180, 365}[rng.IntN(3)] * 24 * time.Hour
			}
			if e.Privileged {
				g.privileged = append(g.privileged, len(g.ents))
			}
			g.ents = append(g.ents, e)
		}
	}

	// Roles: a DAG in four levels. Level-0 roles hold entitlements only;
	// a level-k role inherits one to three roles of lower levels, so no
	// chain is longer than four roles.
	levels := []int{0}
	for l, share := range []int{40, 30, 20, 10} {
		levels = append(levels, levels[l]+g.c.Roles*share/100)
	}
	levels[4] = g.c.Roles
	g.roleEnts = make([][]int, g.c.Roles)
	g.roleIndex = make(map[string]int, g.c.Roles)
	for l := range 4 {
		for r := levels[l]; r < levels[l+1]; r++ {
			role := entitlement.Role{
				ID:    fmt.Sprintf("role-%d-%04d", l, r),
				Name:  fmt.Sprintf("Role %d (level %d)", r, l),
				Owner: g.parties[g.teams[rng.IntN(len(g.teams))]].ID,
			}
			// Entitlements from one or two systems.
			n := 2 + rng.IntN(10)
			if l > 0 {
				n = rng.IntN(4)
			}
			picked := map[int]bool{}
			for range n {
				e := rng.IntN(len(g.ents))
				if !picked[e] {
					picked[e] = true
					g.roleEnts[r] = append(g.roleEnts[r], e)
					role.Entitlements = append(role.Entitlements, g.ents[e].ID)
				}
			}
			if l > 0 {
				inherited := map[int]bool{}
				for range 1 + rng.IntN(3) {
					j := rng.IntN(levels[l]) // any lower level
					if !inherited[j] {
						inherited[j] = true
						role.Inherits = append(role.Inherits, g.roles[j].ID)
					}
				}
			}
			if len(role.Entitlements) == 0 && len(role.Inherits) == 0 {
				e := rng.IntN(len(g.ents))
				g.roleEnts[r] = append(g.roleEnts[r], e)
				role.Entitlements = []string{g.ents[e].ID}
			}
			g.roleIndex[role.ID] = len(g.roles)
			g.roles = append(g.roles, role)
		}
	}
}

// isHuman reports whether identity i is a person: three in every ten.
func isHuman(i int) bool { return i%10 < 3 }

// randomHuman returns the position of a random person.
func (g *generator) randomHuman(rng *rand.Rand) int {
	j := rng.IntN(g.c.Identities)
	j -= j % 10
	j += rng.IntN(3)
	if j >= g.c.Identities {
		j = rng.IntN(3)
	}
	return j
}

func (g *generator) humanID(i int) string { return "u" + pad(i, 7) }

// pad formats n in decimal with at least width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) < width {
		s = "0000000000"[:width-len(s)] + s
	}
	return s
}

// rng returns the random stream of one identity (stream 0) or of its
// observations (stream 1).
func (g *generator) rng(i, stream int) *rand.Rand {
	return rand.New(rand.NewPCG(g.c.Seed, uint64(i)<<1|uint64(stream)))
}

// between returns a random time in [a, b), at whole seconds; a if b <= a.
func between(rng *rand.Rand, a, b time.Time) time.Time {
	d := int64(b.Sub(a) / time.Second)
	if d <= 0 {
		return a
	}
	return a.Add(time.Duration(rng.Int64N(d)) * time.Second)
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func hours(rng *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo+rng.IntN(hi-lo+1)) * time.Hour
}

// identity generates identity i with its grants.
func (g *generator) identity(i int) entitlement.Identity {
	if g.gov != nil {
		return g.governedIdentity(i)
	}
	rng := g.rng(i, 0)
	id := entitlement.Identity{Status: entitlement.IdentityActive}
	if isHuman(i) {
		id.ID, id.Kind = g.humanID(i), entitlement.Human
		id.Name = "Person " + strconv.Itoa(i)
		id.Team = g.parties[g.teams[rng.IntN(len(g.teams))]].ID
		switch p := rng.IntN(100); {
		case p < 4:
			id.Status = entitlement.IdentityDisabled
		case p < 10:
			id.Status = entitlement.IdentityOffboarded
		}
		if m := g.randomHuman(rng); m != i && rng.IntN(10) < 6 {
			id.Manager = g.humanID(m)
		}
	} else {
		nonHuman(rng, i, &id)
		id.Team = g.parties[g.teams[rng.IntN(len(g.teams))]].ID
		id.Environment = environments[rng.IntN(len(environments))]
		if rng.IntN(50) == 0 {
			id.Status = entitlement.IdentityDisabled
		}
		if rng.IntN(40) != 0 { // a few are orphaned: no owner at all
			id.Owner = g.humanID(g.randomHuman(rng))
			if rng.IntN(4) == 0 {
				if s := g.humanID(g.randomHuman(rng)); s != id.Owner {
					id.SecondaryOwner = s
				}
			}
		}
		created := between(rng, epoch, AsOf.Add(-30*24*time.Hour))
		id.Credential.Created = created
		if rng.IntN(2) == 0 {
			id.Credential.Rotated = between(rng, created, AsOf)
		}
		if rng.IntN(3) != 0 {
			id.Credential.Expires = created.Add(hours(rng, 24*30, 24*800))
		}
		if rng.IntN(5) != 0 {
			id.LastUsed = between(rng, created, AsOf)
		}
	}

	// Grants: 5 to 2*MeanGrants, averaging about MeanGrants.
	spread := g.c.MeanGrants - 5
	n := 5 + rng.IntN(spread+1) + rng.IntN(spread+1)
	if rng.IntN(10) == 0 {
		n += rng.IntN(6)
	}
	id.Grants = make([]entitlement.Grant, n)
	for k := range id.Grants {
		id.Grants[k] = g.grant(rng, i, k, id)
	}
	return id
}

// grant generates grant k of identity i.
func (g *generator) grant(rng *rand.Rand, i, k int, id entitlement.Identity) entitlement.Grant {
	gr := entitlement.Grant{
		ID:     "g-" + pad(i, 7) + "-" + pad(k, 2),
		Source: entitlement.SourceStandard,
	}
	var privileged bool
	switch p := rng.IntN(100); {
	case p < 30:
		r := rng.IntN(len(g.roles))
		gr.Role = g.roles[r].ID
	case p < 35 && len(g.privileged) > 0:
		e := g.privileged[rng.IntN(len(g.privileged))]
		gr.Entitlement, privileged = g.ents[e].ID, true
	default:
		e := rng.IntN(len(g.ents))
		gr.Entitlement, privileged = g.ents[e].ID, g.ents[e].Privileged
	}
	gr.State = grantState(rng)
	switch p := rng.IntN(100); {
	case p < 3:
		gr.Source = entitlement.SourceException
	case p < 4:
		gr.Source = entitlement.SourceBreakGlass
	case p < 6:
		gr.Source = 0 // unknown
	}

	requester := id.ID
	if !isHuman(i) {
		requester = id.Owner
	}
	if requester == "" || rng.IntN(10) == 0 {
		requester = g.humanID(g.randomHuman(rng))
	}
	req := between(rng, epoch, AsOf.Add(-60*24*time.Hour))
	gr.Requested = entitlement.Event{By: requester, At: req}
	gr.Ticket = "REQ-" + strconv.Itoa(100000+rng.IntN(900000))
	if rng.IntN(5) == 0 { // an org scope, such as a company code
		gr.Scope = scopes[rng.IntN(len(scopes))]
	}
	gr.Reason = reasons[rng.IntN(len(reasons))]
	if rng.IntN(8) != 0 {
		gr.PolicyBasis = policyBases[rng.IntN(len(policyBases))]
	}
	if gr.State == entitlement.GrantRequested {
		return gr
	}
	last := req
	for range rng.IntN(3) {
		last = last.Add(hours(rng, 1, 48))
		stage := ""
		if rng.IntN(2) == 0 {
			stage = g.parties[g.teams[rng.IntN(len(g.teams))]].ID
		}
		gr.Approvals = append(gr.Approvals, entitlement.Approval{By: g.humanID(g.randomHuman(rng)), At: last, Stage: stage})
	}
	if gr.State == entitlement.GrantApproved {
		return gr
	}
	prov := last.Add(hours(rng, 1, 72))
	gr.Provisioned = entitlement.Event{By: g.humanID(g.randomHuman(rng)), At: prov}
	start := prov
	end := AsOf // when the access stopped, for activations
	switch gr.State {
	case entitlement.GrantActive:
		if rng.IntN(20) == 0 {
			// An explicit start, now and then one that has not come yet.
			start = between(rng, prov, AsOf.Add(30*24*time.Hour))
			gr.Start = start
		}
		if (privileged || rng.IntN(3) == 0) && rng.IntN(5) != 0 {
			gr.Expires = start.Add(hours(rng, 24, 24*400))
		}
		if rng.IntN(10) < 4 {
			gr.Certified = entitlement.Event{By: g.humanID(g.randomHuman(rng)), At: between(rng, prov, AsOf)}
		}
	case entitlement.GrantExpired:
		gr.Expires = between(rng, start.Add(24*time.Hour), earliest(AsOf, start.Add(180*24*time.Hour)))
		end = gr.Expires
	case entitlement.GrantRevoked:
		gr.Revoked = entitlement.Event{By: g.humanID(g.randomHuman(rng)), At: between(rng, prov.Add(time.Hour), AsOf)}
		end = gr.Revoked.At
	}
	if !gr.Expires.IsZero() && gr.Expires.Before(end) {
		end = gr.Expires
	}
	if (privileged || gr.Role != "") && rng.IntN(12) == 0 {
		gr.Eligible = true
		gr.Source = entitlement.SourceJustInTime
		at := start
		for range rng.IntN(4) {
			at = between(rng, at, end)
			if !at.Before(end) {
				break
			}
			a := entitlement.Activation{Start: at}
			if rng.IntN(10) != 0 {
				a.End = at.Add(time.Duration(15+rng.IntN(8*60)) * time.Minute)
				at = a.End
			}
			gr.Activations = append(gr.Activations, a)
			if a.End.IsZero() {
				break
			}
		}
	}
	return gr
}

// observe generates what target systems showed of identity i: mostly the
// access its grants explain, sometimes access left behind by revoked or
// expired grants, access nobody granted, and accounts or entitlements the
// inventory does not know. Non-human identities get usage records.
func (g *generator) observe(i int, id entitlement.Identity) ([]entitlement.Observation, []entitlement.Usage) {
	if g.gov != nil {
		return g.governedObserve(i, id)
	}
	rng := g.rng(i, 1)
	var obs []entitlement.Observation
	if rng.IntN(10) < 3 {
		for range 1 + rng.IntN(2) {
			gr := id.Grants[rng.IntN(len(id.Grants))]
			ent := gr.Entitlement
			if gr.Role != "" {
				r := g.roleIndex[gr.Role]
				if len(g.roleEnts[r]) == 0 {
					continue
				}
				ent = g.ents[g.roleEnts[r][rng.IntN(len(g.roleEnts[r]))]].ID
			}
			who := id.ID
			switch p := rng.IntN(100); {
			case p < 2:
				ent = fmt.Sprintf("%s:legacy.%d", systemNames[rng.IntN(len(systemNames))], rng.IntN(100))
			case p < 4:
				who = fmt.Sprintf("ghost-%07d", i)
			case p < 8:
				ent = g.ents[rng.IntN(len(g.ents))].ID
			}
			obs = append(obs, entitlement.Observation{Identity: who, Entitlement: ent, SeenAt: AsOf.Add(-hours(rng, 1, 72))})
		}
	}
	var use []entitlement.Usage
	if id.Kind.NonHuman() && rng.IntN(10) == 0 {
		for range 1 + rng.IntN(3) {
			u := entitlement.Usage{
				Identity:    id.ID,
				At:          AsOf.Add(-hours(rng, 1, 24*30)),
				Application: fmt.Sprintf("app-%03d", rng.IntN(300)),
				Environment: environments[rng.IntN(len(environments))],
			}
			if rng.IntN(50) == 0 {
				u.Actor = g.humanID(g.randomHuman(rng))
			}
			use = append(use, u)
		}
	}
	return obs, use
}

// Catalogue returns only the catalogue of the inventory c describes: its
// parties, entitlements and roles, the same as Generate's, without any
// identity. It is cheap at any size, and enough to generate rules with.
func Catalogue(c Config) *entitlement.Inventory {
	g := newGenerator(c)
	return &entitlement.Inventory{Parties: g.parties, Entitlements: g.ents, Roles: g.roles}
}

// grantState draws a grant's state: mostly active, some revoked or
// expired, a few still requested or approved.
func grantState(rng *rand.Rand) entitlement.GrantState {
	switch p := rng.IntN(100); {
	case p < 84:
		return entitlement.GrantActive
	case p < 91:
		return entitlement.GrantRevoked
	case p < 96:
		return entitlement.GrantExpired
	case p < 98:
		return entitlement.GrantRequested
	}
	return entitlement.GrantApproved
}

// nonHuman draws the kind of non-human identity i by the kinds' weights
// and names it.
func nonHuman(rng *rand.Rand, i int, id *entitlement.Identity) {
	w := rng.IntN(100)
	k := 0
	for ; w >= nonHumanKinds[k].weight; k++ {
		w -= nonHumanKinds[k].weight
	}
	id.Kind = nonHumanKinds[k].kind
	id.ID = nonHumanKinds[k].prefix + "-" + pad(i, 7)
	id.Name = id.Kind.String() + " " + strconv.Itoa(i)
}
