package bundle

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// Import is an inventory read by an importer from an input that is not a
// bundle file — a SCIM export (entitlement/scim), a CSV grant export
// (entitlement/grantcsv) or your own — for LoadWith to merge with bundle
// files and validate together.
//
// The zero Import adds nothing.
type Import struct {
	// Name names the import in errors no record of it explains, such as
	// "scim" or the file name; empty means "import #N" (its position).
	Name string
	// Inputs records the files the import read (name, size, SHA-256); they
	// join the bundle's Inputs, after the bundle files.
	Inputs []audit.Input
	// Inventory holds the records the import defines. They merge like a
	// bundle file's: appended after the bundle files' records, in order; an
	// ID defined twice anywhere is a duplicate.
	Inventory entitlement.Inventory
	// Implied holds parties, entitlements and roles the import names but
	// does not own — a SCIM group's role, an entitlement a CSV row grants —
	// so a bundle file can give them content. Where a bundle file or an
	// import's Inventory defines a record with the same ID, the definition
	// is kept and the implied record only adds to it: a role's inherited
	// roles and entitlements, a party's members, and the name when the
	// definition has none. Otherwise the implied record is added; two
	// imports implying one ID merge the same way, the first kept. Implied
	// may hold nothing else.
	Implied entitlement.Inventory
	// Findings are what the import found while reading, such as
	// data-quality notes; they join Bundle.Findings and so every report.
	Findings []audit.Finding
	// Grants holds grants of identities the import does not define: each
	// entry's ID names an identity defined by a bundle file or by an
	// import's Inventory, and its Grants are appended to that identity's
	// (only ID and Grants are read). An identity no input defines is an
	// error (entitlement.ErrUnknownRef) for each of its grants.
	Grants []entitlement.Identity
	// Origin says where the import read a record — typ, id and parent as in
	// entitlement.RecordError — so validation errors name the file and
	// line. It returns "", 0 for a record it does not know; nil means none
	// is known.
	Origin func(typ, id, parent string) (file string, line int)
}

// LoadWith loads bundle files together with imported inventories and
// validates the merged whole exactly as Load does, so references cross
// freely: a CSV grant may target a role defined in a bundle file, a sod
// rule may name an entitlement read from SCIM, a role defined in a bundle
// may give a SCIM group's role its entitlements.
//
// The sources are read first, as by Load; then each import, in order, adds
// its Inventory, then its Implied records, then its Grants (see Import).
// Errors are *entitlement.RecordError values, joined, up to MaxErrors; an
// error about an imported record names the file and line its Origin gives.
// The bundle's AsOf comes from the bundle files only.
//
// LoadWith does not modify the imports. The bundle shares their records'
// inner slices (a role's Entitlements, say): do not modify them while the
// bundle is in use. It is for inputs held in memory; Stream does not read
// imports.
func LoadWith(imports []Import, sources ...Source) (*Bundle, error) {
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
		l.b.Findings = append(l.b.Findings, imp.Findings...)
	}
	m := &merger{l: l, imports: imports}
	m.define()
	m.imply()
	if !l.syntax { // a file cut short may lack the identities grants attach to
		m.attach()
	}
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

func importName(i int, imp Import) string {
	if imp.Name != "" {
		return imp.Name
	}
	return "import #" + strconv.Itoa(i)
}

// merger adds imports to a loader's bundle.
type merger struct {
	l       *loader
	imports []Import
}

// where returns where import i read a record, falling back to the
// import's name.
func (m *merger) where(i int, typ, id, parent string) (string, int) {
	imp := m.imports[i]
	if imp.Origin != nil {
		if file, line := imp.Origin(typ, id, parent); file != "" {
			return file, line
		}
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
		for _, id := range src.Identities {
			pos := len(inv.Identities)
			name := recordName(id.ID, pos)
			file, line := m.where(i, "identity", name, "")
			o := origin{file: file, line: line, pos: int32(pos), grants: make([]int32, len(id.Grants))}
			for k, g := range id.Grants {
				_, gl := m.where(i, "grant", recordName(g.ID, k), "identity "+name)
				o.grants[k] = int32(gl)
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

// attach appends the imports' grants to the identities they name.
func (m *merger) attach() {
	l := m.l
	ids := positions(l.b.Inventory.Identities, func(id entitlement.Identity) string { return id.ID })
	for i, imp := range m.imports {
		for _, c := range imp.Grants {
			parent := "identity " + c.ID
			j, ok := ids[c.ID]
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
			id.Grants = append(slices.Clip(id.Grants), c.Grants...)
		}
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
		for _, imp := range m.imports {
			if imp.Origin == nil {
				continue
			}
			if file, line := imp.Origin(re.Type, re.ID, re.Parent); file != "" {
				re.File, re.Line = file, line
				break
			}
		}
	}
}
