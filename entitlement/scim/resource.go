package scim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/internal/idfold"
	"github.com/sodkit/sodkit/internal/jsonpull"
)

// value is one element of a multi-valued attribute: an entitlement, a
// role, a group of a user, a member of a group.
type value struct {
	value, display, typ, ref string
	line                     int
}

// user is what the reader keeps of a User resource.
type user struct {
	file           string
	line           int
	id, userName   string
	name           string
	status         entitlement.IdentityStatus
	manager        string // the manager's SCIM id
	managerLine    int
	department     string
	departmentLine int
	entitlements   []value
	roles          []value
	groups         []value
	sig            string // the attributes, to tell a repeat from a conflict
}

// group is what the reader keeps of a Group resource, or of a group known
// only from a user's groups attribute (phantom).
type group struct {
	file    string
	line    int
	id      string
	name    string
	members []value
	phantom bool
	sig     string
}

// used reports whether the reader keeps an attribute (lower-cased name).
func used(lk string) bool {
	switch lk {
	case "schemas", "id", "username", "displayname", "active", "entitlements", "roles", "groups", "meta", "members":
		return true
	}
	ext := strings.ToLower(enterpriseURN)
	return lk == ext || strings.HasPrefix(lk, ext+":")
}

// resource is one element of Resources while it is read.
type resource struct {
	f     *file
	index int
	line  int
	obj   node // the attributes the reader keeps
	// members are streamed into values as they are read, since a group
	// may have very many.
	members []value
	notes   []importer.Note // their Record is set once the resource is placed
	repeats []repeat        // member names given twice, at any depth
}

func (x *resource) name() string { return "#" + strconv.Itoa(x.index) }

// note records a note about an attribute of the resource.
func (x *resource) note(line int, attribute string, n node, a importer.Action, detail string) {
	x.notes = append(x.notes, importer.Note{File: x.f.name, Line: line, Attribute: attribute,
		Value: n.json(), Action: a, Detail: detail})
}

// resource reads the i-th element of Resources.
func (f *file) resource(i int) error {
	x := &resource{f: f, index: i, line: f.jr.Pos().Line}
	switch k := f.jr.Peek(); k {
	case jsonpull.Object:
	case jsonpull.Null:
		f.notes = append(f.notes, importer.Note{File: f.name, Line: x.line, Record: f.input(),
			Attribute: "Resources", Value: "null", Action: importer.Ignored, Detail: fmt.Sprintf("resource %s is null; skipped", x.name())})
		return f.jr.Null()
	default:
		v, err := f.sc.read()
		if err != nil {
			f.syntax(err, "resource", x.name())
			return errStop
		}
		f.fail(x.line, "resource", x.name(), "", fmt.Errorf("%w: want a resource object, found %s", ErrFormat, v.json()))
		return nil
	}
	x.obj.kind = jsonpull.Object
	// Paths in the resource's errors start at the resource.
	outer := f.sc.path
	f.sc.path = nil
	f.cur = x
	err := f.sc.object(func(key string) error {
		lk := strings.ToLower(key)
		if !used(lk) {
			return f.sc.skip() // checked for repeated names all the same
		}
		if lk == "members" {
			return x.readMembers(key)
		}
		v, err := f.sc.read()
		x.obj.attrs = append(x.obj.attrs, attr{key: key, val: v})
		return err
	})
	f.cur = nil
	f.sc.path = outer
	if err != nil {
		f.syntax(err, "resource", x.name())
		return errStop
	}
	if len(x.repeats) > 0 {
		// Which of two values the provider meant cannot be told: the
		// resource is not placed, and the file fails.
		typ, id := x.kindName(), x.idOr()
		for _, p := range x.repeats {
			f.fail(p.line, typ, id, p.field, p.err())
		}
	} else {
		switch x.kind() {
		case "User":
			x.user()
		case "Group":
			x.group()
		}
	}
	if f.stopped {
		return errStop
	}
	return nil
}

// readMembers streams a group's members attribute.
func (x *resource) readMembers(key string) error {
	sc := x.f.sc
	switch sc.jr.Peek() {
	case jsonpull.Null:
		return sc.jr.Null()
	case jsonpull.Array:
		bare := false
		return sc.array(func(int) error {
			e, err := sc.read()
			if err != nil {
				return err
			}
			if v, ok := x.element(key, e, &bare); ok {
				x.members = append(x.members, v)
			}
			return nil
		})
	}
	n, err := sc.read()
	if err != nil {
		return err
	}
	x.members = append(x.members, x.values(attr{key: key, val: n})...)
	return nil
}

// str reads a single-valued string attribute. It returns false for an
// absent, null or empty value, and for one it cannot use (noted).
func (x *resource) str(attribute string, n node) (string, bool) {
	switch n.kind {
	case jsonpull.String:
		return n.text, n.text != ""
	case jsonpull.Number:
		x.note(n.line, attribute, n, importer.Coerced, "a number read as a string")
		return n.text, true
	case jsonpull.Bool:
		x.note(n.line, attribute, n, importer.Coerced, "a boolean read as a string")
		return n.text, true
	case jsonpull.Object, jsonpull.Array:
		x.note(n.line, attribute, n, importer.Ignored, "not a string; ignored")
	}
	return "", false
}

// values reads a multi-valued attribute: an array of objects with a
// "value". A lone object, string or number is read as a one-element list;
// bare strings as {"value": …}.
func (x *resource) values(a attr) []value {
	n := a.val
	switch n.kind {
	case jsonpull.Invalid, jsonpull.Null:
		return nil // RFC 7643 §2.5: null and absent are the same
	case jsonpull.Array:
	case jsonpull.Object, jsonpull.String, jsonpull.Number:
		if n.kind == jsonpull.Object || n.text != "" {
			x.note(n.line, a.key, n, importer.Coerced, "a single value read as a one-element list")
		}
		n = node{kind: jsonpull.Array, line: n.line, elems: []node{n}}
	default:
		x.note(n.line, a.key, n, importer.Ignored, "not a list; ignored")
		return nil
	}
	var out []value
	bare := a.val.kind == jsonpull.String || a.val.kind == jsonpull.Number // noted above
	for _, e := range n.elems {
		if v, ok := x.element(a.key, e, &bare); ok {
			out = append(out, v)
		}
	}
	return out
}

// element reads one element of a multi-valued attribute. bare is set once
// a bare value has been noted for the attribute, so it is noted once.
func (x *resource) element(key string, e node, bare *bool) (value, bool) {
	switch e.kind {
	case jsonpull.Object:
		v := value{line: e.line}
		sub := func(name string, dst *string) {
			if a, ok := e.get(name); ok {
				*dst, _ = x.str(key+"."+a.key, a.val)
			}
		}
		sub("value", &v.value)
		sub("display", &v.display)
		sub("type", &v.typ)
		sub("$ref", &v.ref)
		if v.value == "" {
			x.note(e.line, key, e, importer.Ignored, "an element without a value; skipped")
			return value{}, false
		}
		return v, true
	case jsonpull.String, jsonpull.Number:
		if e.text == "" {
			x.note(e.line, key, e, importer.Ignored, "an empty value; skipped")
			return value{}, false
		}
		if !*bare {
			*bare = true
			x.note(e.line, key, e, importer.Coerced, `plain values read as {"value": …}`)
		}
		return value{value: e.text, line: e.line}, true
	}
	x.note(e.line, key, e, importer.Ignored, "not an object with a value; skipped")
	return value{}, false
}

// kind says whether the resource is a User or a Group, from its schemas
// or, failing that, its meta.resourceType. It returns "" for a resource
// to skip (noted) or one it cannot place (an error).
func (x *resource) kind() string {
	sch, hasSch := x.obj.get("schemas")
	isUser, isGroup := false, false
	if hasSch && !sch.val.absent() {
		switch sch.val.kind {
		case jsonpull.String:
			x.note(sch.val.line, sch.key, sch.val, importer.Coerced, "a single URN read as a one-element list")
		case jsonpull.Array:
		default:
			x.note(sch.val.line, sch.key, sch.val, importer.Ignored, "not a list of URNs; ignored")
		}
		for _, u := range stringsOf(sch.val) {
			isUser = isUser || strings.EqualFold(u, userURN)
			isGroup = isGroup || strings.EqualFold(u, groupURN)
		}
	}
	switch {
	case isUser && isGroup:
		x.f.fail(sch.val.line, "resource", x.name(), sch.key, fmt.Errorf("%w: the schemas name both the User and the Group schema", ErrFormat))
		return ""
	case isUser:
		return "User"
	case isGroup:
		return "Group"
	}
	if m, ok := x.obj.get("meta"); ok && m.val.kind == jsonpull.Object {
		if rt, ok := m.val.get("resourceType"); ok && rt.val.kind == jsonpull.String {
			for _, t := range []string{"User", "Group"} {
				if strings.EqualFold(rt.val.text, t) {
					x.note(rt.val.line, m.key+"."+rt.key, rt.val, importer.Coerced,
						"the schemas do not name the core "+t+" schema; the resource type is taken from meta.resourceType")
					return t
				}
			}
		}
	}
	if hasSch && len(stringsOf(sch.val)) > 0 {
		x.f.notes = append(x.f.notes, importer.Note{File: x.f.name, Line: x.line,
			Record:    audit.Subject{Type: "resource", ID: x.idOr()},
			Attribute: sch.key, Value: sch.val.jsonList(), Action: importer.Ignored,
			Detail: "neither a User nor a Group; skipped"})
		return ""
	}
	x.f.fail(x.line, "resource", x.idOr(), "schemas", fmt.Errorf("%w: no schemas and no meta.resourceType: cannot tell a User from a Group", ErrFormat))
	return ""
}

// kindName names the resource's type for an error, without noting
// anything: "user" or "group" when its schemas or meta.resourceType say
// which, else "resource".
func (x *resource) kindName() string {
	isUser, isGroup := false, false
	if sch, ok := x.obj.get("schemas"); ok {
		for _, u := range stringsOf(sch.val) {
			isUser = isUser || strings.EqualFold(u, userURN)
			isGroup = isGroup || strings.EqualFold(u, groupURN)
		}
	}
	if !isUser && !isGroup {
		if m, ok := x.obj.get("meta"); ok {
			if rt, ok := m.val.get("resourceType"); ok && rt.val.kind == jsonpull.String {
				isUser = strings.EqualFold(rt.val.text, "User")
				isGroup = strings.EqualFold(rt.val.text, "Group")
			}
		}
	}
	switch {
	case isUser && !isGroup:
		return "user"
	case isGroup && !isUser:
		return "group"
	}
	return "resource"
}

// idOr returns the resource's id if it has a string one, else its
// position.
func (x *resource) idOr() string {
	if a, ok := x.obj.get("id"); ok && (a.val.kind == jsonpull.String || a.val.kind == jsonpull.Number) && a.val.text != "" {
		return a.val.text
	}
	return x.name()
}

// id reads the required id of a user or group, reporting its absence.
func (x *resource) id(typ string) (string, bool) {
	if a, ok := x.obj.get("id"); ok {
		if id, ok := x.str(a.key, a.val); ok {
			return id, true
		}
	}
	x.f.fail(x.line, typ, x.name(), "id", fmt.Errorf("%w: a %s needs an id", entitlement.ErrRequired, typ))
	return "", false
}

// truth maps the forms of a boolean that identity providers send.
var truth = map[string]bool{
	"true": true, "1": true, "yes": true, "y": true, "on": true, "enabled": true, "active": true,
	"false": false, "0": false, "no": false, "n": false, "off": false, "disabled": false, "inactive": false, "suspended": false,
}

// active reads the active attribute into a status.
func (x *resource) active() entitlement.IdentityStatus {
	status := func(b bool) entitlement.IdentityStatus {
		if b {
			return entitlement.IdentityActive
		}
		return entitlement.IdentityDisabled
	}
	a, ok := x.obj.get("active")
	if !ok {
		x.note(x.line, "active", node{}, importer.Defaulted, "absent; read as active (the account can use its access)")
		return entitlement.IdentityActive
	}
	n := a.val
	switch n.kind {
	case jsonpull.Bool:
		return status(n.text == "true")
	case jsonpull.String, jsonpull.Number:
		if b, ok := truth[strings.ToLower(strings.TrimSpace(n.text))]; ok {
			x.note(n.line, a.key, n, importer.Coerced, fmt.Sprintf("read as %t", b))
			return status(b)
		}
	case jsonpull.Null:
		x.note(n.line, a.key, n, importer.Defaulted, "null; read as active (the account can use its access)")
		return entitlement.IdentityActive
	}
	x.note(n.line, a.key, n, importer.Defaulted, "not a boolean; read as active (the account can use its access)")
	return entitlement.IdentityActive
}

// user places a User resource.
func (x *resource) user() {
	f := x.f
	u := user{file: f.name, line: x.line}
	id, ok := x.id("user")
	if !ok {
		return
	}
	u.id = id
	if a, ok := x.obj.get("userName"); ok {
		u.userName, _ = x.str(a.key, a.val)
	}
	if a, ok := x.obj.get("displayName"); ok {
		u.name, _ = x.str(a.key, a.val)
	}
	if u.name == "" {
		u.name = u.userName
	}
	u.status = x.active()
	for _, m := range []struct {
		name string
		dst  *[]value
	}{{"entitlements", &u.entitlements}, {"roles", &u.roles}, {"groups", &u.groups}} {
		if a, ok := x.obj.get(m.name); ok {
			*m.dst = x.dedupe(a.key, x.values(a))
		}
	}
	x.enterprise(&u)
	if len(x.members) > 0 {
		x.note(x.line, "members", node{}, importer.Ignored, "a user has no members; ignored")
	}
	key := u.id
	if f.r.key == KeyUserName {
		if u.userName == "" {
			f.fail(x.line, "user", u.id, "userName", fmt.Errorf("%w: identities are keyed by userName", entitlement.ErrRequired))
			return
		}
		key = u.userName
	}
	u.sig = u.signature()
	x.place(audit.Subject{Type: "identity", ID: key})

	var prev *user
	if j, ok := f.userIdx[u.id]; ok {
		prev = &f.users[j]
	} else if j, ok := f.r.userIdx[u.id]; ok {
		prev = &f.r.users[j]
	}
	if prev != nil {
		if prev.sig == u.sig {
			f.notes = append(f.notes, importer.Note{File: f.name, Line: u.line, Record: audit.Subject{Type: "identity", ID: key},
				Attribute: "id", Value: strconv.Quote(u.id), Action: importer.Ignored,
				Detail: fmt.Sprintf("repeats the user at %s:%d (overlapping pages?); the repeat is skipped", prev.file, prev.line)})
			return
		}
		f.fail(u.line, "user", u.id, "id", fmt.Errorf("%w: user %q also at %s:%d, with different attributes", entitlement.ErrDuplicate, u.id, prev.file, prev.line))
		return
	}
	if f.r.key == KeyUserName {
		k := idfold.Case(u.userName)
		j, ok := f.keyIdx[k]
		other := f.users
		if !ok {
			j, ok = f.r.keyIdx[k]
			other = f.r.users
		}
		if ok {
			f.fail(u.line, "user", u.id, "userName", fmt.Errorf("%w: userName %q also names user %q at %s:%d (userName is not case-sensitive)",
				entitlement.ErrDuplicate, u.userName, other[j].id, other[j].file, other[j].line))
			return
		}
		f.keyIdx[k] = len(f.users)
	}
	f.userIdx[u.id] = len(f.users)
	f.users = append(f.users, u)
	f.notes = append(f.notes, x.notes...)
	f.count("User")
}

// group places a Group resource.
func (x *resource) group() {
	f := x.f
	g := group{file: f.name, line: x.line}
	id, ok := x.id("group")
	if !ok {
		return
	}
	g.id = id
	if a, ok := x.obj.get("displayName"); ok {
		g.name, _ = x.str(a.key, a.val)
	}
	if g.name == "" {
		x.note(x.line, "displayName", node{}, importer.Defaulted, "absent; the group's id names its role")
		g.name = g.id
	}
	g.members = x.members
	g.sig = g.signature()
	role := audit.Subject{Type: "role", ID: groupRole(f.r.system, g.id)}
	x.place(role)

	var prev *group
	if j, ok := f.groupIdx[g.id]; ok {
		prev = &f.groups[j]
	} else if j, ok := f.r.groupIdx[g.id]; ok {
		prev = &f.r.groups[j]
	}
	if prev != nil {
		if prev.sig == g.sig {
			f.notes = append(f.notes, importer.Note{File: f.name, Line: g.line, Record: role,
				Attribute: "id", Value: strconv.Quote(g.id), Action: importer.Ignored,
				Detail: fmt.Sprintf("repeats the group at %s:%d (overlapping pages?); the repeat is skipped", prev.file, prev.line)})
			return
		}
		f.fail(g.line, "group", g.id, "id", fmt.Errorf("%w: group %q also at %s:%d, with different attributes", entitlement.ErrDuplicate, g.id, prev.file, prev.line))
		return
	}
	f.groupIdx[g.id] = len(f.groups)
	f.groups = append(f.groups, g)
	f.notes = append(f.notes, x.notes...)
	f.count("Group")
}

func (f *file) count(typ string) {
	if f.types == nil {
		f.types = map[string]int{}
	}
	f.types[typ]++
}

// place sets the record of the resource's notes.
func (x *resource) place(s audit.Subject) {
	for i := range x.notes {
		x.notes[i].Record = s
	}
}

// dedupe drops repeated values of a multi-valued attribute, noting each.
func (x *resource) dedupe(key string, vs []value) []value {
	seen := map[string]bool{}
	out := vs[:0]
	for _, v := range vs {
		if seen[v.value] {
			x.note(v.line, key, node{kind: jsonpull.String, text: v.value}, importer.Ignored, "listed again; counted once")
			continue
		}
		seen[v.value] = true
		out = append(out, v)
	}
	return out
}

// enterprise reads the enterprise extension's manager and department,
// from the extension object or from attributes named by their full URN
// ("urn:…:enterprise:2.0:User:department"). An attribute given in two of
// those forms is given twice: an error, as a repeated member name is.
func (x *resource) enterprise(u *user) {
	type form struct {
		field string
		line  int
	}
	var dept, mgr []form
	if a, ok := x.obj.get(enterpriseURN); ok {
		switch a.val.kind {
		case jsonpull.Object:
			if m, ok := a.val.get("manager"); ok {
				mgr = append(mgr, form{a.key + "." + m.key, m.val.line})
				x.manager(u, "manager", m.val)
			}
			if d, ok := a.val.get("department"); ok {
				dept = append(dept, form{a.key + "." + d.key, d.val.line})
				u.department, _ = x.str("department", d.val)
				u.departmentLine = d.val.line
			}
		case jsonpull.Invalid, jsonpull.Null:
		default:
			x.note(a.val.line, a.key, a.val, importer.Ignored, "the enterprise extension is not an object; ignored")
		}
	}
	prefix := strings.ToLower(enterpriseURN) + ":"
	for _, a := range x.obj.attrs {
		sub, ok := strings.CutPrefix(strings.ToLower(a.key), prefix)
		if !ok {
			continue
		}
		switch sub {
		case "department":
			dept = append(dept, form{a.key, a.val.line})
			if len(dept) > 1 {
				continue
			}
			if d, ok := x.str(a.key, a.val); ok {
				x.note(a.val.line, a.key, a.val, importer.Coerced, "a fully qualified attribute read as the enterprise extension's department")
				u.department, u.departmentLine = d, a.val.line
			}
		case "manager", "manager.value":
			mgr = append(mgr, form{a.key, a.val.line})
			if len(mgr) > 1 {
				continue
			}
			x.note(a.val.line, a.key, a.val, importer.Coerced, "a fully qualified attribute read as the enterprise extension's manager")
			if sub == "manager.value" {
				u.manager, _ = x.str(a.key, a.val)
				u.managerLine = a.val.line
			} else {
				x.manager(u, a.key, a.val)
			}
		}
	}
	for _, forms := range [][]form{mgr, dept} {
		for _, f := range forms[min(1, len(forms)):] {
			x.f.fail(f.line, "user", u.id, f.field, fmt.Errorf("%w: the enterprise extension's attribute is given twice (first as %q, line %d)",
				entitlement.ErrDuplicate, forms[0].field, forms[0].line))
		}
	}
}

// manager reads the manager sub-attribute: an object with a value (the
// manager's SCIM id), or a bare id.
func (x *resource) manager(u *user, key string, n node) {
	switch n.kind {
	case jsonpull.Object:
		if v, ok := n.get("value"); ok {
			u.manager, _ = x.str(key+"."+v.key, v.val)
			u.managerLine = v.val.line
		}
	case jsonpull.String, jsonpull.Number:
		if n.text != "" {
			x.note(n.line, key, n, importer.Coerced, `a bare id read as {"value": …}`)
			u.manager, u.managerLine = n.text, n.line
		}
	case jsonpull.Invalid, jsonpull.Null:
	default:
		x.note(n.line, key, n, importer.Ignored, "not an object with a value; ignored")
	}
}

// signature returns the user's attributes as one string, lines left out.
func (u user) signature() string {
	var b strings.Builder
	put := func(s string) { b.WriteString(strconv.Itoa(len(s))); b.WriteByte(':'); b.WriteString(s) }
	put(u.id)
	put(u.userName)
	put(u.name)
	put(u.status.String())
	put(u.manager)
	put(u.department)
	for _, l := range [][]value{u.entitlements, u.roles, u.groups} {
		b.WriteString(strconv.Itoa(len(l)))
		for _, v := range l {
			put(v.value)
			put(v.display)
			put(v.typ)
		}
	}
	return b.String()
}

// signature returns the group's attributes as one string, lines left out.
func (g group) signature() string {
	var b strings.Builder
	put := func(s string) { b.WriteString(strconv.Itoa(len(s))); b.WriteByte(':'); b.WriteString(s) }
	put(g.id)
	put(g.name)
	b.WriteString(strconv.Itoa(len(g.members)))
	for _, m := range g.members {
		put(m.value)
		put(m.typ)
		put(m.ref)
	}
	return b.String()
}
