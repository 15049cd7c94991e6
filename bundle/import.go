package bundle

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/internal/idfold"
)

// LoadWith loads bundle files together with the imports of exports that
// are not bundle files — what entitlement/scim and entitlement/grantcsv
// read, or an importer of your own — and validates the merged whole
// exactly as Load does, so references cross freely: a CSV grant may
// target a role defined in a bundle file, a sod rule may name an
// entitlement read from SCIM, a role defined in a bundle may give a SCIM
// group's role its entitlements. LoadFileSet does the reading too, from
// file names.
//
// The sources are read first, as by Load; then each import, in order, adds
// its Inventory, then its Implied records, then its Grants (see
// importer.Import). Identity IDs match exactly, except those of an import
// with FoldIdentities, which match in any case; each reference so resolved
// is noted among the bundle's Findings. Each import's Notes join the
// bundle's Findings too (importer.Findings), after any findings of the
// imports before it, and its Inputs the bundle's Inputs, after the bundle
// files'. Errors are *entitlement.RecordError values, joined, up to
// MaxErrors; an error about an imported record names the file and line
// its Origins give, else the import's Name. The bundle's AsOf comes from
// the bundle files only.
//
// LoadWith does not modify the imports. The bundle shares their records'
// inner slices (a role's Entitlements, say): do not modify them while the
// bundle is in use. It is for inputs held in memory; Stream does not read
// imports.
func LoadWith(imports []importer.Import, sources ...Source) (*Bundle, error) {
	for i, imp := range imports {
		in := imp.Implied
		if len(in.Identities)+len(in.Observations)+len(in.Usage) > 0 {
			return nil, fmt.Errorf("bundle: import %s: Implied may hold parties, entitlements and roles only", importName(i, imp))
		}
	}
	l := newLoader()
	l.parallel = true
	l.read(sources, func(d *decoder, id entitlement.Identity) error {
		l.b.Inventory.Identities = append(l.b.Inventory.Identities, id)
		return nil
	})
	for _, imp := range imports {
		l.b.Findings = append(l.b.Findings, importer.Findings(imp.Notes)...)
	}
	m := &merger{l: l, imports: imports}
	m.define()
	m.imply()
	if !l.syntax { // a file cut short may lack the identities grants attach to
		m.foldIdentities()
		m.attach()
		m.resolveActors()
	}
	l.b.Findings = append(l.b.Findings, importer.Findings(m.notes)...)
	n := len(l.errs)
	l.validate()
	if len(l.errs) > n {
		m.place(l.errs[n:])
	}
	if err := l.err(); err != nil {
		return nil, err
	}
	return l.b, nil
}

func importName(i int, imp importer.Import) string {
	if imp.Name != "" {
		return imp.Name
	}
	return "import #" + strconv.Itoa(i)
}

// merger adds imports to a loader's bundle.
type merger struct {
	l       *loader
	imports []importer.Import
	ids     [][2]int // per import: the positions of its identities in the inventory, [start, end)

	// folded maps the folded ID of each identity a FoldIdentities import
	// defines to its position in the inventory (the first, if repeated).
	folded map[string]int
	// resolved says where an import read a grant it named by another
	// spelling of its holder, by the grant's record under the holder's ID.
	resolved map[importer.Record]importer.Origin
	attached []attachment
	notes    []importer.Note
}

// attachment is a run of grants an import attached to an identity defined
// elsewhere: grants [from, to) of the identity at position pos.
type attachment struct {
	imp, pos, from, to int
}

// where returns where import i read a record, falling back to the
// import's name.
func (m *merger) where(i int, typ, id, parent string) (string, int) {
	imp := m.imports[i]
	if o := imp.Origins[importer.Record{Type: typ, ID: id, Parent: parent}]; o.File != "" {
		return o.File, o.Line
	}
	return importName(i, imp), 0
}

// recordName names a record as validation does: its ID, or "#N" (position).
func recordName(id string, pos int) string {
	if id == "" {
		return "#" + strconv.Itoa(pos)
	}
	return id
}

// addOrigin records where a top-level record was read, so Load's placing
// of validation errors (duplicates included) finds imported records.
func (m *merger) addOrigin(i int, typ, id string, pos int) {
	name := recordName(id, pos)
	file, line := m.where(i, typ, name, "")
	key := recordKey(typ, name, "")
	m.l.origins[key] = append(m.l.origins[key], origin{file: file, line: line})
}

// define appends the records the imports define.
func (m *merger) define() {
	inv := &m.l.b.Inventory
	for i, imp := range m.imports {
		m.l.b.Inputs = append(m.l.b.Inputs, imp.Inputs...)
		src := imp.Inventory
		for _, p := range src.Parties {
			m.addOrigin(i, "party", p.ID, len(inv.Parties))
			inv.Parties = append(inv.Parties, p)
		}
		for _, e := range src.Entitlements {
			m.addOrigin(i, "entitlement", e.ID, len(inv.Entitlements))
			inv.Entitlements = append(inv.Entitlements, e)
		}
		for _, r := range src.Roles {
			m.addOrigin(i, "role", r.ID, len(inv.Roles))
			inv.Roles = append(inv.Roles, r)
		}
		m.ids = append(m.ids, [2]int{len(inv.Identities), len(inv.Identities) + len(src.Identities)})
		for _, id := range src.Identities {
			pos := len(inv.Identities)
			name := recordName(id.ID, pos)
			file, line := m.where(i, "identity", name, "")
			o := origin{file: file, line: line, pos: int32(pos), more: make([]Origin, len(id.Grants))}
			for k, g := range id.Grants {
				gf, gl := m.where(i, "grant", recordName(g.ID, k), "identity "+name)
				o.more[k] = Origin{File: gf, Line: gl}
			}
			key := recordKey("identity", name, "")
			m.l.origins[key] = append(m.l.origins[key], o)
			inv.Identities = append(inv.Identities, id)
		}
		for _, ob := range src.Observations {
			m.addOrigin(i, "observation", "", len(inv.Observations))
			inv.Observations = append(inv.Observations, ob)
		}
		for _, u := range src.Usage {
			m.addOrigin(i, "usage", "", len(inv.Usage))
			inv.Usage = append(inv.Usage, u)
		}
	}
}

// positions maps each ID to the position of its first record.
func positions[T any](items []T, id func(T) string) map[string]int {
	m := make(map[string]int, len(items))
	for i, it := range items {
		if s := id(it); s != "" {
			if _, dup := m[s]; !dup {
				m[s] = i
			}
		}
	}
	return m
}

// union returns dst followed by the entries of add it lacks, never
// writing into dst's array.
func union(dst, add []string) []string {
	for _, s := range add {
		if !slices.Contains(dst, s) {
			dst = append(slices.Clip(dst), s)
		}
	}
	return dst
}

// imply merges the implied records into the definitions, or adds them.
func (m *merger) imply() {
	inv := &m.l.b.Inventory
	parties := positions(inv.Parties, func(p entitlement.Party) string { return p.ID })
	ents := positions(inv.Entitlements, func(e entitlement.Entitlement) string { return e.ID })
	roles := positions(inv.Roles, func(r entitlement.Role) string { return r.ID })
	for i, imp := range m.imports {
		for _, p := range imp.Implied.Parties {
			if j, ok := parties[p.ID]; ok && p.ID != "" {
				d := &inv.Parties[j]
				d.Members = union(d.Members, p.Members)
				if d.Name == "" {
					d.Name = p.Name
				}
				continue
			}
			parties[p.ID] = len(inv.Parties)
			m.addOrigin(i, "party", p.ID, len(inv.Parties))
			p.Members = slices.Clone(p.Members)
			inv.Parties = append(inv.Parties, p)
		}
		for _, e := range imp.Implied.Entitlements {
			if j, ok := ents[e.ID]; ok && e.ID != "" {
				if d := &inv.Entitlements[j]; d.Name == "" {
					d.Name = e.Name
				}
				continue
			}
			ents[e.ID] = len(inv.Entitlements)
			m.addOrigin(i, "entitlement", e.ID, len(inv.Entitlements))
			e.ApprovalPath = slices.Clone(e.ApprovalPath)
			inv.Entitlements = append(inv.Entitlements, e)
		}
		for _, r := range imp.Implied.Roles {
			if j, ok := roles[r.ID]; ok && r.ID != "" {
				d := &inv.Roles[j]
				d.Inherits = union(d.Inherits, r.Inherits)
				d.Entitlements = union(d.Entitlements, r.Entitlements)
				if d.Name == "" {
					d.Name = r.Name
				}
				continue
			}
			roles[r.ID] = len(inv.Roles)
			m.addOrigin(i, "role", r.ID, len(inv.Roles))
			r.Inherits, r.Entitlements = slices.Clone(r.Inherits), slices.Clone(r.Entitlements)
			inv.Roles = append(inv.Roles, r)
		}
	}
}

// foldIdentities indexes the identities of FoldIdentities imports by
// their folded IDs, and reports every identity whose ID differs from one
// of them only in case: the same identity, defined twice.
func (m *merger) foldIdentities() {
	inv := m.l.b.Inventory.Identities
	for i, imp := range m.imports {
		if !imp.FoldIdentities {
			continue
		}
		if m.folded == nil {
			m.folded = map[string]int{}
		}
		for p := m.ids[i][0]; p < m.ids[i][1]; p++ {
			if k := idfold.Case(inv[p].ID); inv[p].ID != "" {
				if _, ok := m.folded[k]; !ok {
					m.folded[k] = p
				}
			}
		}
	}
	if m.folded == nil {
		return
	}
	first := map[string]int{} // folded ID → the first identity, of any input, with it
	for p, id := range inv {
		if id.ID == "" {
			continue
		}
		k := idfold.Case(id.ID)
		c, ok := m.folded[k]
		if !ok {
			continue
		}
		q, seen := first[k]
		if !seen {
			first[k] = p
			continue
		}
		if inv[q].ID == id.ID {
			continue // an exact repeat: validation reports it
		}
		file, line := m.identityOrigin(p)
		qFile, qLine := m.identityOrigin(q)
		m.l.errs = append(m.l.errs, &entitlement.RecordError{File: file, Line: line, Type: "identity", ID: id.ID, Field: "id",
			Err: fmt.Errorf("%w: identity %q (%s) differs only in case, and %s's identity IDs are not case-sensitive: one identity defined twice",
				entitlement.ErrDuplicate, inv[q].ID, fileLine(qFile, qLine), importName(m.importOf(c), m.imports[m.importOf(c)]))})
	}
}

// importOf returns the import that defined the identity at position p,
// or -1 for a bundle file's.
func (m *merger) importOf(p int) int {
	for i, r := range m.ids {
		if r[0] <= p && p < r[1] {
			return i
		}
	}
	return -1
}

// identityOrigin returns where the identity at position p was read.
func (m *merger) identityOrigin(p int) (string, int) {
	id := m.l.b.Inventory.Identities[p]
	for _, o := range m.l.origins[recordKey("identity", recordName(id.ID, p), "")] {
		if int(o.pos) == p {
			return o.file, o.line
		}
	}
	return "", 0
}

// fileLine renders a file and line for a message.
func fileLine(file string, line int) string {
	if line > 0 {
		return file + ":" + strconv.Itoa(line)
	}
	return file
}

// caseless returns the identity of a FoldIdentities import that id names
// in another case, if any.
func (m *merger) caseless(id string) (int, bool) {
	if m.folded == nil || id == "" {
		return 0, false
	}
	p, ok := m.folded[idfold.Case(id)]
	return p, ok
}

// resolvedNote notes a reference resolved to a case-insensitive identity.
func (m *merger) resolvedNote(i int, file string, line int, grant, attribute, name, to string) {
	m.notes = append(m.notes, importer.Note{File: file, Line: line, Record: audit.Subject{Type: "grant", ID: grant},
		Attribute: attribute, Value: strconv.Quote(name), Action: importer.Resolved,
		Detail: fmt.Sprintf("names identity %q in another case; %s's identity IDs are not case-sensitive, so it is that identity", to,
			importName(i, m.imports[i]))})
}

// attach appends the imports' grants to the identities they name: the
// identity with that ID, else one of a FoldIdentities import whose ID
// differs only in case (noted).
func (m *merger) attach() {
	l := m.l
	ids := positions(l.b.Inventory.Identities, func(id entitlement.Identity) string { return id.ID })
	for i, imp := range m.imports {
		for _, c := range imp.Grants {
			parent := "identity " + c.ID
			j, ok := ids[c.ID]
			if !ok {
				if p, found := m.caseless(c.ID); found {
					j, ok = p, true
					to := l.b.Inventory.Identities[p].ID
					for k, g := range c.Grants {
						name := recordName(g.ID, k)
						file, line := m.where(i, "grant", name, parent)
						m.resolvedNote(m.importOf(p), file, line, name, "identity", c.ID, to)
						if m.resolved == nil {
							m.resolved = map[importer.Record]importer.Origin{}
						}
						m.resolved[importer.Record{Type: "grant", ID: name, Parent: "identity " + to}] = importer.Origin{File: file, Line: line}
					}
				}
			}
			if !ok || c.ID == "" {
				for k, g := range c.Grants {
					name := recordName(g.ID, k)
					file, line := m.where(i, "grant", name, parent)
					l.errs = append(l.errs, &entitlement.RecordError{File: file, Line: line, Type: "grant", ID: name, Parent: parent,
						Err: fmt.Errorf("%w: no input defines identity %q", entitlement.ErrUnknownRef, c.ID)})
				}
				continue
			}
			id := &l.b.Inventory.Identities[j]
			m.attached = append(m.attached, attachment{imp: i, pos: j, from: len(id.Grants), to: len(id.Grants) + len(c.Grants)})
			id.Grants = append(slices.Clip(id.Grants), c.Grants...)
			m.attachOrigins(i, j, parent, c.Grants)
		}
	}
}

// attachOrigins keeps where import i read the grants it appended to the
// identity at position p (named in parent as the import names it), with
// the identity's origin, so Origin and IdentityOrigin place them.
func (m *merger) attachOrigins(i, p int, parent string, grants []entitlement.Grant) {
	id := m.l.b.Inventory.Identities[p]
	os := m.l.origins[recordKey("identity", recordName(id.ID, p), "")]
	for k := range os {
		if int(os[k].pos) != p {
			continue
		}
		for n, g := range grants {
			file, line := m.where(i, "grant", recordName(g.ID, n), parent)
			os[k].more = append(os[k].more, Origin{File: file, Line: line})
		}
		return
	}
}

// resolveActors resolves the actors of imported grants that name an
// identity of a FoldIdentities import in another case, noting each. It
// copies a grant before changing it: the imports are not modified.
func (m *merger) resolveActors() {
	if m.folded == nil {
		return
	}
	exact := positions(m.l.b.Inventory.Identities, func(id entitlement.Identity) string { return id.ID })
	for i := range m.imports {
		for p := m.ids[i][0]; p < m.ids[i][1]; p++ {
			m.resolveGrants(i, p, 0, len(m.l.b.Inventory.Identities[p].Grants), exact)
		}
	}
	for _, a := range m.attached {
		m.resolveGrants(a.imp, a.pos, a.from, a.to, exact)
	}
}

// resolveGrants resolves the actors of grants [from, to) of the identity
// at position p, which import i brought.
func (m *merger) resolveGrants(i, p, from, to int, exact map[string]int) {
	id := &m.l.b.Inventory.Identities[p]
	cloned := false
	for k := from; k < to; k++ {
		g := id.Grants[k]
		changed := false
		resolve := func(field string, by *string) {
			if *by == "" {
				return
			}
			if _, ok := exact[*by]; ok {
				return
			}
			q, ok := m.caseless(*by)
			if !ok {
				return
			}
			to := m.l.b.Inventory.Identities[q].ID
			name := recordName(g.ID, k)
			file, line := m.where(i, "grant", name, "identity "+id.ID)
			if o, ok := m.resolved[importer.Record{Type: "grant", ID: name, Parent: "identity " + id.ID}]; ok {
				file, line = o.File, o.Line
			}
			m.resolvedNote(m.importOf(q), file, line, name, field, *by, to)
			*by = to
			changed = true
		}
		resolve("requested.by", &g.Requested.By)
		if len(g.Approvals) > 0 {
			approvals := slices.Clone(g.Approvals)
			for a := range approvals {
				resolve("approvals["+strconv.Itoa(a)+"].by", &approvals[a].By)
			}
			if changed {
				g.Approvals = approvals
			}
		}
		resolve("provisioned.by", &g.Provisioned.By)
		resolve("revoked.by", &g.Revoked.By)
		resolve("certified.by", &g.Certified.By)
		if !changed {
			continue
		}
		if !cloned {
			id.Grants = slices.Clone(id.Grants) // never write into an import's array
			cloned = true
		}
		id.Grants[k] = g
	}
}

// place names the file and line of validation errors about records only
// an import knows where it read: grants attached to identities defined
// elsewhere, and anything Load's origins do not cover.
func (m *merger) place(errs []error) {
	for _, err := range errs {
		re, ok := errors.AsType[*entitlement.RecordError](err)
		if !ok || re.File != "" || re.Type == "" {
			continue
		}
		rec := importer.Record{Type: re.Type, ID: re.ID, Parent: re.Parent}
		if o, ok := m.resolved[rec]; ok {
			re.File, re.Line = o.File, o.Line
			continue
		}
		for _, imp := range m.imports {
			if o := imp.Origins[rec]; o.File != "" {
				re.File, re.Line = o.File, o.Line
				break
			}
		}
	}
}
