package scim

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
)

// The IDs the reader makes.
func groupRole(system, id string) string    { return system + ":group/" + id }
func scimRole(system, value string) string  { return system + ":role/" + value }
func department(system, name string) string { return system + ":department/" + name }
func entitlementID(system, v string) string { return system + ":" + v }
func grantID(identity, target string) string {
	return identity + "/" + target
}

// Import resolves group membership and nesting across every file read and
// returns the records, for bundle.LoadWith to load with bundle files. It
// may be called more than once; it does not change the Reader, and
// reading more files afterwards is allowed.
//
// The import is named after the system (Options.System). Every list in it
// is in a documented, deterministic order; nothing depends on map
// iteration:
//
//   - Inventory holds one identity per user, in the order read, each with
//     its grants sorted by ID: a role grant per group the user is a direct
//     member of, per SCIM role and per SCIM entitlement;
//   - Implied holds the records the exports name but do not define,
//     sorted by ID: a role per group (inheriting the roles of the groups
//     it is a member of), a role per SCIM role value, an entitlement per
//     SCIM entitlement value and a party per enterprise department; a
//     bundle file that defines a record with the same ID gives it its
//     content;
//   - Grants holds the memberships of users the exports do not hold, for
//     identities defined elsewhere (a bundle file): one entry per SCIM id
//     named by a group member, sorted, its Grants sorted by ID. It is used
//     only when no user was read at all; otherwise a member that is not
//     among the users is noted and skipped;
//   - Notes lists every coercion, default and omission, in input order
//     (see importer.Note.Compare);
//   - Origins holds the file and line of every identity, grant, role,
//     entitlement and party made (its first mention, for a record several
//     files name), and Inputs each file read;
//   - FoldIdentities is set when the identities are keyed by userName
//     (KeyUserName), which RFC 7643 §4.1.1 makes case-insensitive, so
//     bundle.LoadWith resolves other inputs' references to them in any
//     case, and rejects another input's identity that differs from one
//     only in case (see docs/importers.md).
//
// Membership is resolved as follows (the package documentation has the
// whole mapping). A user holds a role grant for each group it is a direct
// member of, from the group's members or from the user's groups attribute
// (type "direct" or no type); a group that is a member of another inherits
// its role, so indirect membership is derived through the role graph and
// never granted twice. A user's "indirect" memberships are checked against
// that derivation and granted (with a note) only if it does not explain
// them. Groups that nest in a cycle are noted, the nesting inside the
// cycle is dropped, and a member of any of them is granted every group of
// the cycle, so no access is lost and no loop is followed.
func (r *Reader) Import() importer.Import {
	r.init()
	n := len(r.users)*4 + len(r.groups) // about one origin per record and grant
	b := &builder{r: r, origins: make(importer.Origins, n), usedGrant: make(map[string]bool, n)}
	b.run()
	im := importer.Import{
		Name:      r.system,
		Inputs:    slices.Clone(r.inputs),
		Inventory: entitlement.Inventory{Identities: b.identities},
		Implied:   b.implied(),
		Grants:    b.foreignGrants(),
		Notes:     append(slices.Clone(r.notes), b.notes...),
		Origins:   b.origins,

		FoldIdentities: r.key == KeyUserName,
	}
	slices.SortFunc(im.Notes, importer.Note.Compare)
	return im
}

// builder assembles an Import.
type builder struct {
	r        *Reader
	groups   []group // the Reader's groups, then phantoms
	groupIdx map[string]int
	parents  [][]int // per group: the groups it is a member of
	inherits [][]int // per group: the roles its role inherits (group positions)
	hold     []map[int]importer.Origin
	foreign  map[string]map[int]importer.Origin // SCIM id → groups, for users not read
	nest     nesting

	identities []entitlement.Identity
	parties    map[string]entitlement.Party
	ents       map[string]entitlement.Entitlement
	roles      map[string]entitlement.Role
	notes      []importer.Note
	origins    importer.Origins
	usedGrant  map[string]bool
}

func (b *builder) key(u user) string {
	if b.r.key == KeyUserName {
		return u.userName
	}
	return u.id
}

func (b *builder) identity(u user) audit.Subject {
	return audit.Subject{Type: "identity", ID: b.key(u)}
}

func (b *builder) role(g int) audit.Subject {
	return audit.Subject{Type: "role", ID: groupRole(b.r.system, b.groups[g].id)}
}

func (b *builder) note(file string, line int, rec audit.Subject, attribute, val string, a importer.Action, detail string) {
	b.notes = append(b.notes, importer.Note{File: file, Line: line, Record: rec, Attribute: attribute,
		Value: val, Action: a, Detail: detail})
}

// origin records where a record was first seen.
func (b *builder) origin(typ, id, parent, file string, line int) {
	b.origins.Add(importer.Record{Type: typ, ID: id, Parent: parent}, importer.Origin{File: file, Line: line})
}

func (b *builder) run() {
	r := b.r
	b.groups = slices.Clone(r.groups)
	b.groupIdx = maps.Clone(r.groupIdx)
	b.hold = make([]map[int]importer.Origin, len(r.users))
	for i := range b.hold {
		b.hold[i] = map[int]importer.Origin{}
	}
	b.foreign = map[string]map[int]importer.Origin{}
	b.phantoms()
	b.members()
	b.userGroups()
	b.nest = nest(len(b.groups), b.parents, func(i int) string { return b.groups[i].id })
	b.cycles()
	b.expandCycles()
	b.indirect()
	b.build()
	b.totals()
}

// phantoms makes a group of every group a user names that no groups
// export holds, so its membership still counts.
func (b *builder) phantoms() {
	r := b.r
	for _, u := range r.users {
		for _, gv := range u.groups {
			if _, ok := b.groupIdx[gv.value]; ok {
				continue
			}
			name := gv.display
			if name == "" {
				name = gv.value
			}
			b.groupIdx[gv.value] = len(b.groups)
			b.groups = append(b.groups, group{file: u.file, line: gv.line, id: gv.value, name: name, phantom: true})
			if len(r.groups) > 0 {
				b.note(u.file, gv.line, b.identity(u), "groups", strconv.Quote(gv.value), importer.Resolved,
					"the group is not in the groups export; its role is made from this membership")
			}
		}
	}
	b.parents = make([][]int, len(b.groups))
}

// The kinds of group member.
const (
	memberSkip = iota
	memberGroup
	memberUser
	memberForeign
)

// classify says what a group member is: by its type, else by its $ref,
// else by which kind of resource its value names.
func (b *builder) classify(g int, m value) (kind, idx int) {
	r := b.r
	rec := b.role(g)
	file := b.groups[g].file
	skip := func(why string) (int, int) {
		b.note(file, m.line, rec, "members", strconv.Quote(m.value), importer.Ignored, why)
		return memberSkip, 0
	}
	typ := strings.ToLower(m.typ)
	switch typ {
	case "group", "user", "":
	default:
		b.note(file, m.line, rec, "members.type", strconv.Quote(m.typ), importer.Coerced,
			"neither User nor Group; the member is resolved by its value")
		typ = ""
	}
	if typ == "" {
		switch ref := strings.ToLower(m.ref); {
		case strings.Contains(ref, "/groups/"):
			typ = "group"
		case strings.Contains(ref, "/users/"):
			typ = "user"
		}
	}
	gj, isGroup := b.groupIdx[m.value]
	uj, isUser := r.userIdx[m.value]
	switch {
	case typ == "group" || typ == "" && isGroup && !isUser:
		if !isGroup {
			return skip("names no group in the exports; skipped")
		}
		return memberGroup, gj
	case typ == "user" || typ == "" && isUser && !isGroup:
		if isUser {
			return memberUser, uj
		}
		if len(r.users) == 0 {
			return memberForeign, 0
		}
		return skip("names no user in the exports; skipped")
	case isUser && isGroup:
		return skip("names both a user and a group, and has no type; skipped")
	case len(r.users) == 0:
		return memberForeign, 0
	}
	return skip("names no user or group in the exports; skipped")
}

// members reads every group's members into nesting and membership.
func (b *builder) members() {
	seenParent := map[[2]int]bool{}
	for g := range b.groups {
		gr := b.groups[g]
		for _, m := range gr.members {
			kind, j := b.classify(g, m)
			here := importer.Origin{File: gr.file, Line: m.line}
			switch kind {
			case memberGroup:
				if j == g {
					b.note(gr.file, m.line, b.role(g), "members", strconv.Quote(m.value), importer.Ignored,
						"the group lists itself as a member; ignored")
					continue
				}
				if !seenParent[[2]int{j, g}] {
					seenParent[[2]int{j, g}] = true
					b.parents[j] = append(b.parents[j], g)
				}
			case memberUser:
				if _, ok := b.hold[j][g]; !ok {
					b.hold[j][g] = here
				}
			case memberForeign:
				h := b.foreign[m.value]
				if h == nil {
					h = map[int]importer.Origin{}
					b.foreign[m.value] = h
				}
				if _, ok := h[g]; !ok {
					h[g] = here
				}
			}
		}
	}
}

// userGroups adds the direct memberships users list themselves.
func (b *builder) userGroups() {
	for ui, u := range b.r.users {
		for _, gv := range u.groups {
			g := b.groupIdx[gv.value]
			switch t := strings.ToLower(gv.typ); t {
			case "indirect":
				continue // see indirect
			case "", "direct":
			default:
				b.note(u.file, gv.line, b.identity(u), "groups.type", strconv.Quote(gv.typ), importer.Defaulted,
					"neither direct nor indirect; taken as direct")
			}
			if _, ok := b.hold[ui][g]; ok {
				continue
			}
			if !b.groups[g].phantom {
				b.note(u.file, gv.line, b.identity(u), "groups", strconv.Quote(gv.value), importer.Resolved,
					fmt.Sprintf("a direct membership of %s that the group's members do not list; granted", b.role(g).ID))
			}
			b.hold[ui][g] = importer.Origin{File: u.file, Line: gv.line}
		}
	}
}

// cycles notes each set of groups that nest in a cycle.
func (b *builder) cycles() {
	for _, c := range b.nest.cyclic() {
		first := c[0]
		path := b.nest.cycle(first, b.parents)
		names := make([]string, len(path))
		for i, g := range path {
			names[i] = b.groups[g].id
		}
		gr := b.groups[first]
		b.note(gr.file, gr.line, b.role(first), "members", strings.Join(names, " → "), importer.Resolved,
			fmt.Sprintf("%d groups nest in a cycle; the nesting inside it is dropped, and a member of any of them is granted every one", len(c)))
	}
	b.inherits = make([][]int, len(b.groups))
	for g := range b.groups {
		set := map[int]bool{}
		for _, p := range b.parents[g] {
			switch {
			case b.nest.comp[p] == b.nest.comp[g]:
				// inside a cycle: replaced by grants (expandCycles)
			case b.nest.isCyclic(p):
				for _, q := range b.nest.members(p) {
					set[q] = true
				}
			default:
				set[p] = true
			}
		}
		b.inherits[g] = slices.Sorted(maps.Keys(set))
	}
}

// expandCycles grants a member of a group in a cycle every group of the
// cycle.
func (b *builder) expandCycles() {
	expand := func(h map[int]importer.Origin) {
		for _, g := range slices.Sorted(maps.Keys(h)) {
			if !b.nest.isCyclic(g) {
				continue
			}
			for _, q := range b.nest.members(g) {
				if _, ok := h[q]; !ok {
					h[q] = h[g]
				}
			}
		}
	}
	for _, h := range b.hold {
		expand(h)
	}
	for _, h := range b.foreign {
		expand(h)
	}
}

// indirect checks users' indirect memberships against the nesting, and
// grants (with a note) those it does not explain.
func (b *builder) indirect() {
	for ui, u := range b.r.users {
		var reach map[int]bool
		for _, gv := range u.groups {
			if !strings.EqualFold(gv.typ, "indirect") {
				continue
			}
			if reach == nil {
				reach = b.reach(b.hold[ui])
			}
			g := b.groupIdx[gv.value]
			if reach[g] {
				continue // derived through the nesting: not granted twice
			}
			b.note(u.file, gv.line, b.identity(u), "groups", strconv.Quote(gv.value), importer.Resolved,
				fmt.Sprintf("an indirect membership of %s that the groups' nesting does not explain; granted", b.role(g).ID))
			b.hold[ui][g] = importer.Origin{File: u.file, Line: gv.line}
			reach = nil
		}
	}
}

// reach returns every group a holder of the given groups is a member of,
// directly or through the roles' inheritance.
func (b *builder) reach(held map[int]importer.Origin) map[int]bool {
	seen := map[int]bool{}
	var queue []int
	for g := range held {
		seen[g] = true
		queue = append(queue, g)
	}
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		for _, p := range b.inherits[g] {
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return seen
}

// build makes the identities and the implied records.
func (b *builder) build() {
	r := b.r
	sys := r.system
	b.parties = map[string]entitlement.Party{}
	b.ents = map[string]entitlement.Entitlement{}
	b.roles = map[string]entitlement.Role{}
	for g, gr := range b.groups {
		id := groupRole(sys, gr.id)
		ro := entitlement.Role{ID: id, Name: gr.name}
		for _, p := range b.inherits[g] {
			ro.Inherits = append(ro.Inherits, groupRole(sys, b.groups[p].id))
		}
		slices.Sort(ro.Inherits)
		b.roles[id] = ro
		b.origin("role", id, "", gr.file, gr.line)
	}
	b.identities = make([]entitlement.Identity, 0, len(r.users))
	for ui, u := range r.users {
		key := b.key(u)
		id := entitlement.Identity{ID: key, Name: u.name, Kind: entitlement.Human, Status: u.status}
		b.origin("identity", key, "", u.file, u.line)
		gs := make([]held, 0, len(b.hold[ui])+len(u.roles)+len(u.entitlements))
		for _, g := range slices.Sorted(maps.Keys(b.hold[ui])) {
			gs = append(gs, held{role: groupRole(sys, b.groups[g].id), o: b.hold[ui][g]})
		}
		for _, v := range u.roles {
			role := scimRole(sys, v.value)
			if _, ok := b.roles[role]; !ok {
				b.roles[role] = entitlement.Role{ID: role, Name: cmp.Or(v.display, v.value)}
				b.origin("role", role, "", u.file, v.line)
			}
			gs = append(gs, held{role: role, o: importer.Origin{File: u.file, Line: v.line}})
		}
		for _, v := range u.entitlements {
			ent := entitlementID(sys, v.value)
			if _, ok := b.ents[ent]; !ok {
				b.ents[ent] = entitlement.Entitlement{ID: ent, System: sys, Name: cmp.Or(v.display, v.value)}
				b.origin("entitlement", ent, "", u.file, v.line)
			}
			gs = append(gs, held{ent: ent, o: importer.Origin{File: u.file, Line: v.line}})
		}
		id.Grants = b.grants(key, gs)
		if u.department != "" {
			p := department(sys, u.department)
			id.Team = p
			if _, ok := b.parties[p]; !ok {
				b.parties[p] = entitlement.Party{ID: p, Name: u.department}
				b.origin("party", p, "", u.file, u.departmentLine)
			}
		}
		if u.manager != "" {
			switch j, ok := r.userIdx[u.manager]; {
			case !ok:
				b.note(u.file, u.managerLine, b.identity(u), "manager", strconv.Quote(u.manager), importer.Ignored,
					"names no user in the exports; no manager is set")
			case j == ui:
				b.note(u.file, u.managerLine, b.identity(u), "manager", strconv.Quote(u.manager), importer.Ignored,
					"the user is its own manager; no manager is set")
			default:
				id.Manager = b.key(r.users[j])
			}
		}
		b.identities = append(b.identities, id)
	}
}

// held is a grant to be named — of a role or of an entitlement — and where
// it was read.
type held struct {
	role, ent string
	o         importer.Origin
}

func (h held) target() string { return cmp.Or(h.role, h.ent) }

// grants names an identity's grants "<identity>/<target>" and returns them
// sorted by ID. IDs are unique across the import: in the rare case two
// targets give one name (an entitlement value "group/x" beside the group
// x), the later, in target order, gets "#2".
func (b *builder) grants(who string, gs []held) []entitlement.Grant {
	slices.SortStableFunc(gs, func(x, y held) int {
		return cmp.Or(cmp.Compare(x.target(), y.target()), cmp.Compare(x.role, y.role))
	})
	parent := "identity " + who
	out := make([]entitlement.Grant, 0, len(gs))
	for _, h := range gs {
		target := h.target()
		g := entitlement.Grant{Role: h.role, Entitlement: h.ent, State: entitlement.GrantActive, ID: grantID(who, target)}
		for n := 2; b.usedGrant[g.ID]; n++ {
			g.ID = grantID(who, target) + "#" + strconv.Itoa(n)
		}
		b.usedGrant[g.ID] = true
		b.origin("grant", g.ID, parent, h.o.File, h.o.Line)
		out = append(out, g)
	}
	slices.SortFunc(out, func(x, y entitlement.Grant) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// implied returns the implied records, sorted by ID.
func (b *builder) implied() entitlement.Inventory {
	var inv entitlement.Inventory
	for _, k := range slices.Sorted(maps.Keys(b.parties)) {
		inv.Parties = append(inv.Parties, b.parties[k])
	}
	for _, k := range slices.Sorted(maps.Keys(b.ents)) {
		inv.Entitlements = append(inv.Entitlements, b.ents[k])
	}
	for _, k := range slices.Sorted(maps.Keys(b.roles)) {
		inv.Roles = append(inv.Roles, b.roles[k])
	}
	return inv
}

// foreignGrants returns the memberships of users not read, by SCIM id.
func (b *builder) foreignGrants() []entitlement.Identity {
	var out []entitlement.Identity
	for _, who := range slices.Sorted(maps.Keys(b.foreign)) {
		var gs []held
		for _, g := range slices.Sorted(maps.Keys(b.foreign[who])) {
			gs = append(gs, held{role: groupRole(b.r.system, b.groups[g].id), o: b.foreign[who][g]})
		}
		out = append(out, entitlement.Identity{ID: who, Grants: b.grants(who, gs)})
	}
	return out
}

// totals notes exports that declare more resources than were read.
func (b *builder) totals() {
	r := b.r
	read := map[string]int{"User": len(r.users), "Group": len(r.groups)}
	for _, typ := range slices.Sorted(maps.Keys(r.totals)) {
		t := r.totals[typ]
		if n := read[typ]; t.n > n {
			b.note(t.file, 1, audit.Subject{Type: "input", ID: t.file}, "totalResults", strconv.Itoa(t.n), importer.Ignored,
				fmt.Sprintf("the %s exports hold %d: pages are missing, and what they lack is not checked", strings.ToLower(typ), n))
		}
	}
}
