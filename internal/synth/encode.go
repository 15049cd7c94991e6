package synth

import (
	"bufio"
	"encoding"
	"io"
	"time"
	"unicode/utf8"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// bundleFormat is the format tag of the files this package writes
// (bundle.Format; this package does not import bundle, so that any
// package's tests may use it).
const bundleFormat = "sodkit.bundle/v1"

// WriteBundle streams the inventory described by c to w as one bundle
// file, one record per line, without holding the identities in memory. It
// writes exactly the inventory Generate(c) returns, with "as_of" set to
// AsOf.
func WriteBundle(w io.Writer, c Config) error {
	g := newGenerator(c)
	e := newEncoder(w)
	e.header(AsOf)
	e.catalogue(g.parties, g.ents, g.roles)
	e.open("identities")
	for i := range g.c.Identities {
		e.identity(g.identity(i))
	}
	e.close()
	// Observations and usage come from each identity's own random
	// stream, so a second pass regenerates them without storing the
	// identities. Usage records (a few per hundred identities) wait in
	// memory for their section.
	var usage []entitlement.Usage
	e.open("observations")
	for i := range g.c.Identities {
		obs, use := g.observe(i, g.identity(i))
		for _, o := range obs {
			e.observation(o)
		}
		usage = append(usage, use...)
	}
	e.close()
	e.open("usage")
	for _, u := range usage {
		e.usage(u)
	}
	e.close()
	return e.finish()
}

// WriteInventory writes inv to w as one bundle file that bundle.Load reads
// back as an equal inventory, one record per line. A zero asOf omits the
// "as_of" member. Empty strings, zero times, false booleans and unset
// enumerations are omitted, as the format allows. It fails only if w does.
func WriteInventory(w io.Writer, inv *entitlement.Inventory, asOf time.Time) error {
	e := newEncoder(w)
	e.header(asOf)
	e.catalogue(inv.Parties, inv.Entitlements, inv.Roles)
	e.open("identities")
	for _, id := range inv.Identities {
		e.identity(id)
	}
	e.close()
	e.open("observations")
	for _, o := range inv.Observations {
		e.observation(o)
	}
	e.close()
	e.open("usage")
	for _, u := range inv.Usage {
		e.usage(u)
	}
	e.close()
	return e.finish()
}

// encoder writes a bundle file. It builds each record in buf and writes it
// as one line.
type encoder struct {
	w     *bufio.Writer
	buf   []byte
	first bool // no member written yet in the current object
	n     int  // records written in the current section
}

func newEncoder(w io.Writer) *encoder { return &encoder{w: bufio.NewWriterSize(w, 1<<16)} }

func (e *encoder) header(asOf time.Time) {
	e.w.WriteString("{\n  \"format\": \"" + bundleFormat + "\"")
	if !asOf.IsZero() {
		e.w.WriteString(",\n  \"as_of\": \"" + asOf.Format(time.RFC3339Nano) + "\"")
	}
}

func (e *encoder) open(section string) {
	e.w.WriteString(",\n  \"" + section + "\": [")
	e.n = 0
}

func (e *encoder) close() {
	if e.n > 0 {
		e.w.WriteString("\n  ")
	}
	e.w.WriteString("]")
}

func (e *encoder) finish() error {
	e.w.WriteString("\n}\n")
	return e.w.Flush()
}

// record writes the object built in buf as the next element of the
// current section.
func (e *encoder) record() {
	if e.n > 0 {
		e.w.WriteByte(',')
	}
	e.w.WriteString("\n    ")
	e.w.Write(e.buf)
	e.n++
}

func (e *encoder) begin() { e.buf = append(e.buf[:0], '{'); e.first = true }
func (e *encoder) end()   { e.buf = append(e.buf, '}') }

func (e *encoder) key(k string) {
	if !e.first {
		e.buf = append(e.buf, ',')
	}
	e.first = false
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, k...)
	e.buf = append(e.buf, `":`...)
}

func (e *encoder) str(k, v string) {
	if v != "" {
		e.key(k)
		e.buf = appendString(e.buf, v)
	}
}

func (e *encoder) strs(k string, vs []string) {
	if len(vs) == 0 {
		return
	}
	e.key(k)
	e.buf = append(e.buf, '[')
	for i, v := range vs {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendString(e.buf, v)
	}
	e.buf = append(e.buf, ']')
}

func (e *encoder) time(k string, t time.Time) {
	if !t.IsZero() {
		e.str(k, t.Format(time.RFC3339Nano))
	}
}

func (e *encoder) boolean(k string, v bool) {
	if v {
		e.key(k)
		e.buf = append(e.buf, "true"...)
	}
}

func (e *encoder) duration(k string, d time.Duration) {
	if d != 0 {
		e.str(k, audit.FormatDuration(d))
	}
}

// enum writes an enumeration by its text form, omitting unset or invalid
// values (which have none).
func (e *encoder) enum(k string, v encoding.TextMarshaler) {
	if b, err := v.MarshalText(); err == nil {
		e.str(k, string(b))
	}
}

// object writes a nested object member whose members fn writes; an
// object with no members is omitted.
func (e *encoder) object(k string, fn func()) {
	mark := len(e.buf)
	first := e.first
	e.key(k)
	e.buf = append(e.buf, '{')
	e.first = true
	fn()
	if e.first { // nothing written
		e.buf = e.buf[:mark]
		e.first = first
		return
	}
	e.buf = append(e.buf, '}')
	e.first = false
}

// array writes an array member of n objects, each written by fn.
func (e *encoder) array(k string, n int, fn func(i int)) {
	if n == 0 {
		return
	}
	e.key(k)
	e.buf = append(e.buf, '[')
	for i := range n {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, '{')
		e.first = true
		fn(i)
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, ']')
	e.first = false
}

func (e *encoder) catalogue(parties []entitlement.Party, ents []entitlement.Entitlement, roles []entitlement.Role) {
	e.open("parties")
	for _, p := range parties {
		e.begin()
		e.str("id", p.ID)
		e.str("name", p.Name)
		e.enum("function", p.Function)
		e.strs("members", p.Members)
		e.end()
		e.record()
	}
	e.close()
	e.open("entitlements")
	for _, x := range ents {
		e.begin()
		e.str("id", x.ID)
		e.str("system", x.System)
		e.str("name", x.Name)
		e.str("description", x.Description)
		e.enum("risk", x.Risk)
		e.boolean("privileged", x.Privileged)
		e.str("environment", x.Environment)
		e.str("policy_owner", x.PolicyOwner)
		e.str("fulfiller", x.Fulfiller)
		e.strs("approval_path", x.ApprovalPath)
		e.boolean("standard", x.Standard)
		e.duration("max_duration", x.MaxDuration)
		e.duration("recertify_every", x.RecertifyEvery)
		e.end()
		e.record()
	}
	e.close()
	e.open("roles")
	for _, r := range roles {
		e.begin()
		e.str("id", r.ID)
		e.str("name", r.Name)
		e.str("description", r.Description)
		e.str("owner", r.Owner)
		e.strs("entitlements", r.Entitlements)
		e.strs("inherits", r.Inherits)
		e.end()
		e.record()
	}
	e.close()
}

func (e *encoder) event(k string, ev entitlement.Event) {
	e.object(k, func() {
		e.str("by", ev.By)
		e.time("at", ev.At)
	})
}

func (e *encoder) identity(id entitlement.Identity) {
	e.begin()
	e.str("id", id.ID)
	e.str("name", id.Name)
	e.enum("kind", id.Kind)
	e.enum("status", id.Status)
	e.str("team", id.Team)
	e.str("environment", id.Environment)
	e.str("manager", id.Manager)
	e.str("owner", id.Owner)
	e.str("secondary_owner", id.SecondaryOwner)
	e.object("credential", func() {
		e.time("created", id.Credential.Created)
		e.time("rotated", id.Credential.Rotated)
		e.time("expires", id.Credential.Expires)
	})
	e.time("last_used", id.LastUsed)
	e.array("grants", len(id.Grants), func(i int) {
		g := id.Grants[i]
		e.str("id", g.ID)
		e.str("entitlement", g.Entitlement)
		e.str("role", g.Role)
		e.enum("state", g.State)
		e.boolean("eligible", g.Eligible)
		e.array("activations", len(g.Activations), func(i int) {
			e.time("start", g.Activations[i].Start)
			e.time("end", g.Activations[i].End)
		})
		e.enum("source", g.Source)
		e.event("requested", g.Requested)
		e.array("approvals", len(g.Approvals), func(i int) {
			a := g.Approvals[i]
			e.str("by", a.By)
			e.time("at", a.At)
			e.str("stage", a.Stage)
		})
		e.event("provisioned", g.Provisioned)
		e.event("revoked", g.Revoked)
		e.event("certified", g.Certified)
		e.str("scope", g.Scope)
		e.str("ticket", g.Ticket)
		e.str("reason", g.Reason)
		e.str("policy_basis", g.PolicyBasis)
		e.time("start", g.Start)
		e.time("expires", g.Expires)
	})
	e.end()
	e.record()
}

func (e *encoder) observation(o entitlement.Observation) {
	e.begin()
	e.str("identity", o.Identity)
	e.str("entitlement", o.Entitlement)
	e.time("seen_at", o.SeenAt)
	e.end()
	e.record()
}

func (e *encoder) usage(u entitlement.Usage) {
	e.begin()
	e.str("identity", u.Identity)
	e.time("at", u.At)
	e.str("application", u.Application)
	e.str("environment", u.Environment)
	e.str("actor", u.Actor)
	e.end()
	e.record()
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
