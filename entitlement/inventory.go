package entitlement

import (
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/sodkit/sodkit/internal/hashset"
	"github.com/sodkit/sodkit/internal/parallel"
)

// Inventory holds everything known about access: the parties, the
// entitlement catalogue, the roles, the identities with their grants, and
// what target systems were observed to hold. It is plain data: build it with
// a literal or load it from a bundle, then call Validate or NewIndex.
//
// The zero Inventory is empty and valid: nobody holds anything.
type Inventory struct {
	Parties      []Party       // teams, queues and groups
	Entitlements []Entitlement // the entitlement catalogue
	Roles        []Role        // roles and their inheritance
	Identities   []Identity    // people and non-human identities, each with its grants
	Observations []Observation // access seen in target systems
	Usage        []Usage       // observed uses of credentials
}

// Validate checks the inventory and returns every problem found, joined
// with errors.Join, each a *RecordError naming the record and the field:
// missing or invalid values, values longer than their limit (MaxIDLength,
// MaxNameLength, MaxTextLength; see ErrTooLong), duplicate IDs, references
// to records that do not exist, role inheritance cycles (naming the cycle),
// and impossible times such as an approval before its request or an expiry
// before its start. It returns nil for a valid inventory.
//
// A record whose ID is too long is named by its position ("identity #3"),
// like a record without one, and an error quotes only the first bytes of an
// over-long value.
//
// Observations and usage records may name unknown identities and
// entitlements (that is drift, reported by checks), but must carry the
// names and a time.
func (inv *Inventory) Validate() error {
	_, err := NewIndex(inv)
	return err
}

// validator collects the problems of one inventory.
type validator struct {
	inv  *Inventory
	x    *Index
	errs []error

	// grantSeen, when set, tracks grant IDs instead of the index's map.
	grantSeen func(id string) (string, bool)

	// known caches identity references (see knownIdentity); nil for a
	// validator that checks only a few grants, where allocating it would
	// cost more than it saves.
	known *[1 << knownBits]string

	// holder is the identity whose grants are being validated, and
	// holderKnown whether the index holds it (see holding).
	holder      string
	holderKnown bool
}

func (v *validator) add(typ, id, parent, field string, err error) {
	v.errs = append(v.errs, &RecordError{Type: typ, ID: id, Parent: parent, Field: field, Err: err})
}

// rec is a short-hand for adding problems of one record.
type rec struct {
	v               *validator
	typ, id, parent string
}

func (r rec) add(field string, err error) { r.v.add(r.typ, r.id, r.parent, field, err) }

// fits reports whether value is at most limit bytes long, and reports the
// problem when it is not.
func (r rec) fits(field, value string, limit int) bool {
	if len(value) <= limit {
		return true
	}
	r.add(field, CheckLength(value, limit))
	return false
}

// idFits is fits with the limit of IDs and references.
func (r rec) idFits(field, value string) bool { return r.fits(field, value, MaxIDLength) }

func (r rec) required(field, value string) bool {
	if value == "" {
		r.add(field, ErrRequired)
		return false
	}
	return true
}

func (r rec) ref(field, kind, id string, ok bool) {
	if id != "" && !ok {
		r.add(field, fmt.Errorf("%w: no %s %q", ErrUnknownRef, kind, id))
	}
}

func (r rec) identityRef(field, id string) {
	if id == "" || !r.idFits(field, id) {
		return
	}
	r.ref(field, "identity", id, r.v.knownIdentity(id))
}

// knownIdentity reports whether id names an identity of the index.
//
// Grants name the same people again and again, and a loaded bundle shares
// a copy of a repeated reference among its repeats (package bundle keeps
// one per decoding goroutine, while it stays in its cache), so a small
// cache keyed by the string's address answers most lookups without
// touching the string's bytes or the large map, which for millions of
// grants means millions of cache misses. Equal address and length mean
// equal strings, since strings are immutable; the cache keeps its strings
// alive, so an address is never reused while it is cached.
func (v *validator) knownIdentity(id string) bool {
	if v.holderKnown && id == v.holder {
		return true
	}
	if v.known == nil {
		_, ok := v.x.identities[id]
		return ok
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(id)))
	slot := &v.known[(uint64(p)*0x9E3779B97F4A7C15)>>(64-knownBits)]
	if len(*slot) == len(id) && unsafe.StringData(*slot) == unsafe.StringData(id) {
		return true
	}
	_, ok := v.x.identities[id]
	if ok {
		*slot = id
	}
	return ok
}

// knownBits sizes the validator's cache of known identity references.
const knownBits = 14

func (r rec) partyRef(field, id string) {
	if !r.idFits(field, id) {
		return
	}
	_, ok := r.v.x.parties[id]
	r.ref(field, "party", id, ok)
}

// noDuplicates reports entries of list that repeat an earlier one. Entries
// too long to be IDs are left out: they are reported as such.
func (r rec) noDuplicates(field string, list []string) {
	seen := make(map[string]bool, len(list))
	for i, s := range list {
		if len(s) > MaxIDLength {
			continue
		}
		if seen[s] {
			r.add(fmt.Sprintf("%s[%d]", field, i), fmt.Errorf("%w: %q listed twice", ErrDuplicate, s))
		}
		seen[s] = true
	}
}

// before reports an error when both times are set and later is before
// earlier.
func (r rec) before(field string, earlier time.Time, earlierName string, later time.Time, laterName string) {
	if earlier.IsZero() || later.IsZero() || !later.Before(earlier) {
		return
	}
	r.add(field, fmt.Errorf("%w: %s (%s) is before %s (%s)", ErrTimeOrder,
		laterName, later.Format(time.RFC3339Nano), earlierName, earlier.Format(time.RFC3339Nano)))
}

// indexIDs records the position of every ID in the map m and reports
// missing, over-long and duplicate IDs.
func indexIDs[T any](v *validator, typ string, items []T, id func(T) string) map[string]int32 {
	m := make(map[string]int32, len(items))
	for i, it := range items {
		s := id(it)
		if s == "" {
			v.add(typ, fmt.Sprintf("#%d", i), "", "id", ErrRequired)
			continue
		}
		if len(s) > MaxIDLength {
			v.add(typ, fmt.Sprintf("#%d", i), "", "id", CheckLength(s, MaxIDLength))
			continue
		}
		if j, dup := m[s]; dup {
			v.add(typ, s, "", "id", fmt.Errorf("%w: %s %q also at position %d", ErrDuplicate, typ, s, j))
			continue
		}
		m[s] = int32(i)
	}
	return m
}

func (v *validator) run() {
	inv := v.inv
	x := v.x
	x.parties = indexIDs(v, "party", inv.Parties, func(p Party) string { return p.ID })
	x.entitlements = indexIDs(v, "entitlement", inv.Entitlements, func(e Entitlement) string { return e.ID })
	x.roles = indexIDs(v, "role", inv.Roles, func(r Role) string { return r.ID })
	x.identities = indexIDs(v, "identity", inv.Identities, func(id Identity) string { return id.ID })

	for i, p := range inv.Parties {
		v.party(i, p)
	}
	for i, e := range inv.Entitlements {
		v.entitlement(i, e)
	}
	for i, r := range inv.Roles {
		v.role(i, r)
	}
	v.cycles()
	v.identities()
	v.duplicateGrants()
	for i, o := range inv.Observations {
		v.observation(i, o)
	}
	for i, u := range inv.Usage {
		v.usage(i, u)
	}
}

// recordName returns id, or "#i" (the record's position) when id is empty
// or too long to be an ID: the name RecordError and the bundle loader use
// for a record without a usable ID.
func recordName(i int, id string) string {
	if id == "" || len(id) > MaxIDLength {
		return fmt.Sprintf("#%d", i)
	}
	return id
}

func (v *validator) party(i int, p Party) {
	r := rec{v: v, typ: "party", id: recordName(i, p.ID)}
	r.fits("name", p.Name, MaxNameLength)
	if p.Function != 0 && !p.Function.Valid() {
		r.add("function", fmt.Errorf("%w: %s", ErrInvalid, p.Function))
	}
	for i, m := range p.Members {
		if r.required(fmt.Sprintf("members[%d]", i), m) {
			r.identityRef(fmt.Sprintf("members[%d]", i), m)
		}
	}
	r.noDuplicates("members", p.Members)
}

func (v *validator) entitlement(i int, e Entitlement) {
	r := rec{v: v, typ: "entitlement", id: recordName(i, e.ID)}
	r.idFits("system", e.System)
	r.fits("name", e.Name, MaxNameLength)
	r.fits("description", e.Description, MaxTextLength)
	r.idFits("environment", e.Environment)
	if e.ID != "" && len(e.ID) <= MaxIDLength && len(e.System) <= MaxIDLength {
		sys, name, ok := strings.Cut(e.ID, ":")
		switch {
		case !ok || sys == "" || name == "":
			r.add("id", fmt.Errorf("%w: %q is not system-qualified (want \"system:name\")", ErrInvalid, e.ID))
		case e.System != "" && e.System != sys:
			r.add("system", fmt.Errorf("%w: system %q does not match the ID's prefix %q", ErrConflict, e.System, sys))
		}
	}
	if e.Risk != 0 && !e.Risk.Valid() {
		r.add("risk", fmt.Errorf("%w: %s", ErrInvalid, e.Risk))
	}
	r.partyRef("policy_owner", e.PolicyOwner)
	r.partyRef("fulfiller", e.Fulfiller)
	for i, p := range e.ApprovalPath {
		f := fmt.Sprintf("approval_path[%d]", i)
		if r.required(f, p) {
			r.partyRef(f, p)
		}
	}
	r.noDuplicates("approval_path", e.ApprovalPath)
	if e.MaxDuration < 0 {
		r.add("max_duration", fmt.Errorf("%w: negative duration %s", ErrInvalid, e.MaxDuration))
	}
	if e.RecertifyEvery < 0 {
		r.add("recertify_every", fmt.Errorf("%w: negative duration %s", ErrInvalid, e.RecertifyEvery))
	}
}

func (v *validator) role(i int, ro Role) {
	r := rec{v: v, typ: "role", id: recordName(i, ro.ID)}
	r.fits("name", ro.Name, MaxNameLength)
	r.fits("description", ro.Description, MaxTextLength)
	r.partyRef("owner", ro.Owner)
	for i, e := range ro.Entitlements {
		f := fmt.Sprintf("entitlements[%d]", i)
		if r.required(f, e) && r.idFits(f, e) {
			_, ok := v.x.entitlements[e]
			r.ref(f, "entitlement", e, ok)
		}
	}
	r.noDuplicates("entitlements", ro.Entitlements)
	for i, j := range ro.Inherits {
		f := fmt.Sprintf("inherits[%d]", i)
		if r.required(f, j) && r.idFits(f, j) {
			_, ok := v.x.roles[j]
			r.ref(f, "role", j, ok)
		}
	}
	r.noDuplicates("inherits", ro.Inherits)
}

// cycles reports every elementary cycle reached by a depth-first walk of
// the inheritance graph, once each, named from its smallest role ID.
func (v *validator) cycles() {
	roles := v.inv.Roles
	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, len(roles))
	var stack []int32
	reported := map[string]bool{}
	var visit func(i int32)
	visit = func(i int32) {
		color[i] = grey
		stack = append(stack, i)
		for _, j := range roles[i].Inherits {
			k, ok := v.x.roles[j]
			if !ok {
				continue
			}
			switch color[k] {
			case white:
				visit(k)
			case grey:
				start := slices.Index(stack, k)
				cyc := make([]string, 0, len(stack)-start+1)
				for _, s := range stack[start:] {
					cyc = append(cyc, roles[s].ID)
				}
				// Rotate so the cycle starts at its smallest ID.
				m := 0
				for n := range cyc {
					if cyc[n] < cyc[m] {
						m = n
					}
				}
				cyc = append(cyc[m:], cyc[:m]...)
				key := strings.Join(cyc, "\x00")
				if !reported[key] {
					reported[key] = true
					cyc = append(cyc, cyc[0])
					v.add("role", cyc[0], "", "inherits",
						fmt.Errorf("%w: %s", ErrCycle, strings.Join(cyc, " → ")))
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
	}
	for i := range roles {
		if color[i] == white && roles[i].ID != "" {
			if k, ok := v.x.roles[roles[i].ID]; ok && int(k) == i {
				visit(k)
			}
		}
	}
}

func (v *validator) identity(pos int32, id Identity) {
	r := rec{v: v, typ: "identity", id: recordName(int(pos), id.ID)}
	r.fits("name", id.Name, MaxNameLength)
	r.idFits("environment", id.Environment)
	if !id.Kind.Valid() {
		if id.Kind == 0 {
			r.add("kind", ErrRequired)
		} else {
			r.add("kind", fmt.Errorf("%w: %s", ErrInvalid, id.Kind))
		}
	}
	if !id.Status.Valid() {
		if id.Status == 0 {
			r.add("status", ErrRequired)
		} else {
			r.add("status", fmt.Errorf("%w: %s", ErrInvalid, id.Status))
		}
	}
	r.partyRef("team", id.Team)
	r.identityRef("manager", id.Manager)
	if id.Manager != "" && id.Manager == id.ID {
		r.add("manager", fmt.Errorf("%w: an identity cannot be its own manager", ErrInvalid))
	}
	for _, o := range []struct{ field, id string }{{"owner", id.Owner}, {"secondary_owner", id.SecondaryOwner}} {
		if o.id == "" {
			continue
		}
		if id.Kind == Human {
			r.add(o.field, fmt.Errorf("%w: only non-human identities have owners", ErrConflict))
			continue
		}
		r.identityRef(o.field, o.id)
		if o.id == id.ID {
			r.add(o.field, fmt.Errorf("%w: an identity cannot own itself", ErrInvalid))
		}
	}
	if id.Owner == "" && id.SecondaryOwner != "" {
		r.add("owner", fmt.Errorf("%w: a secondary owner is set without a primary owner", ErrRequired))
	}
	if id.Owner != "" && id.Owner == id.SecondaryOwner {
		r.add("secondary_owner", fmt.Errorf("%w: the same as the primary owner", ErrDuplicate))
	}
	c := id.Credential
	r.before("credential.rotated", c.Created, "credential.created", c.Rotated, "credential.rotated")
	r.before("credential.expires", c.Created, "credential.created", c.Expires, "credential.expires")

	parent := "identity " + r.id
	known := false
	if len(id.ID) <= MaxIDLength { // a longer one is reported, never looked up
		_, known = v.x.identities[id.ID]
	}
	v.holding(id.ID, known)
	for gi, g := range id.Grants {
		v.grant(parent, pos, int32(gi), g)
	}
	v.holding("", false)
}

// holding sets the identity whose grants are being validated, and whether
// the index holds it: it requests most of them itself, so its own ID is
// answered without a lookup.
func (v *validator) holding(id string, known bool) {
	v.holder, v.holderKnown = id, known
}

func (v *validator) grant(parent string, ipos, gpos int32, g Grant) {
	r := rec{v: v, typ: "grant", id: g.ID, parent: parent}
	switch {
	case g.ID == "":
		r.id = fmt.Sprintf("#%d", gpos)
		r.add("id", ErrRequired)
	case len(g.ID) > MaxIDLength:
		r.id = fmt.Sprintf("#%d", gpos)
		r.add("id", CheckLength(g.ID, MaxIDLength))
	default:
		if other, dup := v.seenGrant(g.ID, ipos, gpos); dup {
			r.add("id", fmt.Errorf("%w: grant %q also held by %s", ErrDuplicate, g.ID, other))
		}
	}
	r.idFits("scope", g.Scope)
	r.idFits("policy_basis", g.PolicyBasis)
	r.fits("ticket", g.Ticket, MaxTextLength)
	r.fits("reason", g.Reason, MaxTextLength)
	switch {
	case g.Entitlement != "" && g.Role != "":
		r.add("role", fmt.Errorf("%w: a grant targets an entitlement or a role, not both", ErrConflict))
	case g.Entitlement == "" && g.Role == "":
		r.add("entitlement", fmt.Errorf("%w: a grant needs an entitlement or a role", ErrRequired))
	case g.Entitlement != "":
		if r.idFits("entitlement", g.Entitlement) {
			_, ok := v.x.entitlements[g.Entitlement]
			r.ref("entitlement", "entitlement", g.Entitlement, ok)
		}
	default:
		if r.idFits("role", g.Role) {
			_, ok := v.x.roles[g.Role]
			r.ref("role", "role", g.Role, ok)
		}
	}
	if !g.State.Valid() {
		if g.State == 0 {
			r.add("state", ErrRequired)
		} else {
			r.add("state", fmt.Errorf("%w: %s", ErrInvalid, g.State))
		}
	}
	if g.Source != 0 && !g.Source.Valid() {
		r.add("source", fmt.Errorf("%w: %s", ErrInvalid, g.Source))
	}

	// Actors must be known identities.
	r.identityRef("requested.by", g.Requested.By)
	for i, a := range g.Approvals {
		r.identityRef(approvalField(i, approvalBy), a.By)
		r.partyRef(approvalField(i, approvalStage), a.Stage)
		if a.By == "" {
			r.add(approvalField(i, approvalBy), ErrRequired)
		}
	}
	r.identityRef("provisioned.by", g.Provisioned.By)
	r.identityRef("revoked.by", g.Revoked.By)
	r.identityRef("certified.by", g.Certified.By)

	// Lifecycle order: request ≤ approvals ≤ provisioning ≤ revocation.
	req := g.Requested.At
	lastApproval := time.Time{}
	for i, a := range g.Approvals {
		r.before(approvalField(i, approvalAt), req, "the request", a.At, "approval")
		if a.At.After(lastApproval) {
			lastApproval = a.At
		}
	}
	r.before("provisioned.at", req, "the request", g.Provisioned.At, "provisioning")
	r.before("provisioned.at", lastApproval, "the last approval", g.Provisioned.At, "provisioning")
	r.before("revoked.at", req, "the request", g.Revoked.At, "revocation")
	r.before("revoked.at", g.Provisioned.At, "provisioning", g.Revoked.At, "revocation")
	r.before("certified.at", g.Provisioned.At, "provisioning", g.Certified.At, "certification")
	if start := g.StartTime(); !start.IsZero() && !g.Expires.IsZero() && !g.Expires.After(start) {
		r.add("expires", fmt.Errorf("%w: expiry (%s) is not after the start (%s)", ErrTimeOrder,
			g.Expires.Format(time.RFC3339Nano), start.Format(time.RFC3339Nano)))
	}

	// State consistency.
	switch g.State {
	case GrantRequested:
		if len(g.Approvals) > 0 {
			r.add("approvals", fmt.Errorf("%w: state requested but approvals are recorded", ErrConflict))
		}
		fallthrough
	case GrantApproved:
		if !g.Provisioned.IsZero() {
			r.add("provisioned", fmt.Errorf("%w: state %s but provisioning is recorded", ErrConflict, g.State))
		}
		fallthrough
	case GrantActive, GrantExpired:
		if !g.Revoked.IsZero() {
			r.add("revoked", fmt.Errorf("%w: state %s but a revocation is recorded", ErrConflict, g.State))
		}
	}

	// Activations belong to eligible grants and are well formed.
	if len(g.Activations) > 0 && !g.Eligible {
		r.add("activations", fmt.Errorf("%w: activations recorded on a grant that is not eligible (just-in-time)", ErrConflict))
	}
	for i, a := range g.Activations {
		f := fmt.Sprintf("activations[%d]", i)
		if a.Start.IsZero() {
			r.add(f+".start", ErrRequired)
			continue
		}
		if !a.End.IsZero() && !a.End.After(a.Start) {
			r.add(f+".end", fmt.Errorf("%w: end (%s) is not after start (%s)", ErrTimeOrder,
				a.End.Format(time.RFC3339Nano), a.Start.Format(time.RFC3339Nano)))
		}
		r.before(f+".start", g.StartTime(), "the grant's start", a.Start, "activation")
	}
}

func (v *validator) observation(i int, o Observation) {
	r := rec{v: v, typ: "observation", id: fmt.Sprintf("#%d", i)}
	r.required("identity", o.Identity)
	r.required("entitlement", o.Entitlement)
	r.idFits("identity", o.Identity)
	r.idFits("entitlement", o.Entitlement)
	if o.SeenAt.IsZero() {
		r.add("seen_at", ErrRequired)
	}
}

func (v *validator) usage(i int, u Usage) {
	r := rec{v: v, typ: "usage", id: fmt.Sprintf("#%d", i)}
	r.required("identity", u.Identity)
	for _, f := range [...]struct{ name, value string }{
		{"identity", u.Identity}, {"application", u.Application}, {"environment", u.Environment}, {"actor", u.Actor},
	} {
		r.idFits(f.name, f.value)
	}
	if u.At.IsZero() {
		r.add("at", ErrRequired)
	}
}

// seenGrant reports whether a grant ID was seen before, naming the earlier
// holder, for a proposal (see ValidateGrants). NewIndex checks
// grant IDs in one pass after the identities instead (duplicateGrants).
func (v *validator) seenGrant(id string, ipos, gpos int32) (string, bool) {
	if v.grantSeen != nil {
		return v.grantSeen(id)
	}
	return "", false
}

// identities validates the identities and their grants, on all cores:
// each worker validates a contiguous range, and their problems are joined
// in input order. Identities only read the index built so far.
func (v *validator) identities() {
	ids := v.inv.Identities
	parts := parallel.Map(len(ids), 2048, func(lo, hi int) []error {
		part := &validator{inv: v.inv, x: v.x}
		if hi-lo >= 1<<10 { // the cache pays for itself over many grants
			part.known = new([1 << knownBits]string)
		}
		for i := lo; i < hi; i++ {
			part.identity(int32(i), ids[i])
		}
		return part.errs
	})
	for _, p := range parts {
		v.errs = append(v.errs, p...)
	}
}

// duplicateGrants reports grant IDs used twice, in input order, from a set
// of their hashes; the holder of the earlier one is looked up only for a
// duplicate (or a hash collision, which the lookup tells apart).
func (v *validator) duplicateGrants() {
	seed := maphash.MakeSeed()
	var seen hashset.Set
	for i, id := range v.inv.Identities {
		for gi, g := range id.Grants {
			if g.ID == "" || len(g.ID) > MaxIDLength || seen.Add(maphash.String(seed, g.ID)) {
				continue
			}
			if prev := v.earlierHolder(g.ID, i, gi); prev != "" {
				v.add("grant", g.ID, "identity "+recordName(i, id.ID), "id",
					fmt.Errorf("%w: grant %q also held by identity %q", ErrDuplicate, g.ID, prev))
			}
		}
	}
}

// earlierHolder returns the identity holding a grant with ID id before
// grant gi of identity i, or "" if none does.
func (v *validator) earlierHolder(id string, i, gi int) string {
	ids := v.inv.Identities
	for k := 0; k <= i; k++ {
		end := len(ids[k].Grants)
		if k == i {
			end = gi
		}
		for _, g := range ids[k].Grants[:end] {
			if g.ID == id {
				return recordName(k, ids[k].ID)
			}
		}
	}
	return ""
}

// err returns the collected problems joined, or nil.
func (v *validator) err() error { return errors.Join(v.errs...) }

// approvalLeaves are the fields of an approval that validation names.
var approvalLeaves = [...]string{approvalBy: "by", approvalStage: "stage", approvalAt: "at"}

const (
	approvalBy = iota
	approvalStage
	approvalAt
)

// approvalFields holds the field names of the first approvals of a grant,
// so validating the common case formats no string.
var approvalFields = func() (f [4][len(approvalLeaves)]string) {
	for i := range f {
		for leaf, name := range approvalLeaves {
			f[i][leaf] = fmt.Sprintf("approvals[%d].%s", i, name)
		}
	}
	return f
}()

// approvalField names field leaf (approvalBy, …) of approval i of a grant.
func approvalField(i, leaf int) string {
	if i < len(approvalFields) {
		return approvalFields[i][leaf]
	}
	return fmt.Sprintf("approvals[%d].%s", i, approvalLeaves[leaf])
}
