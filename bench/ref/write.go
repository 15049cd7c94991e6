package ref

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

// Header is the first line of every world file, without its newline.
const Header = "sodkit-ref/1"

// ErrUnsupported marks input the reference does not implement, such as a
// scoped rule, or cannot represent, such as a time outside the range of
// Unix nanoseconds or an ID holding a tab. Test with errors.Is.
var ErrUnsupported = errors.New("not supported by the reference")

// Write writes inv's entitlements, roles and identities with their grants,
// and c's rules, to w in the reference format (see the package
// documentation), converting what detection needs: each grant's window
// from its start, expiry and revocation, just-in-time eligibility with the
// activations, and each rule's need and sides, duties resolved.
//
// inv should be valid (entitlement.NewIndex accepts it) and c is validated
// (sod.Config.Validate). Write refuses, with an error wrapping
// ErrUnsupported and naming the record, a rule that is not identity-wide,
// an ID that is empty or holds a tab or newline, a grant naming both or
// neither of an entitlement and a role, and a time that Unix nanoseconds
// cannot hold (before 1678 or after 2262). It reports every such problem,
// joined, and then writes nothing.
func Write(w io.Writer, inv *entitlement.Inventory, c sod.Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := check(inv, c); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	e := encoder{w: bw}
	e.line(Header)
	for _, x := range inv.Entitlements {
		e.line("e\t" + x.ID)
	}
	for _, r := range inv.Roles {
		e.buf = append(e.buf[:0], "r\t"...)
		e.buf = append(e.buf, r.ID...)
		e.buf = appendList(e.buf, r.Entitlements)
		e.buf = appendList(e.buf, r.Inherits)
		e.flush()
	}
	duties := map[string]sod.Duty{}
	for _, d := range c.Duties {
		duties[d.ID] = d
	}
	for _, r := range c.Rules {
		kind := "static"
		if r.Dynamic {
			kind = "dynamic"
		}
		e.line(fmt.Sprintf("k\t%s\t%d\t%s\t%d", r.ID, r.Need(), kind, len(r.Sides)))
		for _, s := range r.Sides {
			ents, roles := s.Entitlements, s.Roles
			if s.Duty != "" {
				ents, roles = duties[s.Duty].Entitlements, duties[s.Duty].Roles
			}
			e.buf = append(e.buf[:0], 's')
			e.buf = appendList(e.buf, ents)
			e.buf = appendList(e.buf, roles)
			e.flush()
		}
	}
	for i := range inv.Identities {
		id := &inv.Identities[i]
		e.line("i\t" + id.ID)
		for gi := range id.Grants {
			e.grant(&id.Grants[gi])
		}
	}
	return bw.Flush()
}

// encoder builds each line in buf.
type encoder struct {
	w   *bufio.Writer
	buf []byte
}

func (e *encoder) line(s string) {
	e.w.WriteString(s)
	e.w.WriteByte('\n')
}

func (e *encoder) flush() {
	e.buf = append(e.buf, '\n')
	e.w.Write(e.buf)
}

func appendList(b []byte, ids []string) []byte {
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(len(ids)), 10)
	for _, id := range ids {
		b = append(b, '\t')
		b = append(b, id...)
	}
	return b
}

var stateCodes = map[entitlement.GrantState]byte{
	entitlement.GrantActive:    'a',
	entitlement.GrantRequested: 'q',
	entitlement.GrantApproved:  'p',
	entitlement.GrantRevoked:   'r',
	entitlement.GrantExpired:   'x',
}

func (e *encoder) grant(g *entitlement.Grant) {
	b := append(e.buf[:0], "g\t"...)
	if g.Role != "" {
		b = append(b, "r\t"...)
		b = append(b, g.Role...)
	} else {
		b = append(b, "e\t"...)
		b = append(b, g.Entitlement...)
	}
	b = append(b, '\t', stateCodes[g.State])
	if g.Eligible {
		b = append(b, "\tjit"...)
	} else {
		b = append(b, "\tstanding"...)
	}
	from, until := effective(g)
	b = appendTime(b, from)
	b = appendTime(b, until)
	if !g.Eligible {
		b = append(b, "\t0"...)
	} else {
		b = append(b, '\t')
		b = strconv.AppendInt(b, int64(len(g.Activations)), 10)
		for _, a := range g.Activations {
			b = appendTime(b, a.Start)
			b = appendTime(b, a.End)
		}
	}
	e.buf = b
	e.flush()
}

// effective returns the grant's effective window [from, until): its start
// time, and the earlier of its expiry and revocation; zero for open ends.
func effective(g *entitlement.Grant) (from, until time.Time) {
	from, until = g.StartTime(), g.Expires
	if r := g.Revoked.At; !r.IsZero() && (until.IsZero() || r.Before(until)) {
		until = r
	}
	return from, until
}

// appendTime appends a tab and t as Unix nanoseconds, or "-" when t is
// zero.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '\t')
	if t.IsZero() {
		return append(b, '-')
	}
	return strconv.AppendInt(b, t.UnixNano(), 10)
}

var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// representable reports whether t is zero or within the range of Unix
// nanoseconds.
func representable(t time.Time) bool {
	return t.IsZero() || !t.Before(minTime) && !t.After(maxTime)
}

// check reports everything Write cannot represent or does not implement.
func check(inv *entitlement.Inventory, c sod.Config) error {
	var errs []error
	bad := func(what, field, msg string) {
		errs = append(errs, &Error{Record: what, Field: field, Err: fmt.Errorf("%s: %w", msg, ErrUnsupported)})
	}
	id := func(what, field, v string) {
		switch {
		case v == "":
			bad(what, field, "empty ID")
		case strings.ContainsAny(v, "\t\n"):
			bad(what, field, fmt.Sprintf("ID %q holds a tab or newline", v))
		}
	}
	ids := func(what, field string, vs []string) {
		for _, v := range vs {
			id(what, field, v)
		}
	}
	for _, x := range inv.Entitlements {
		id("entitlement "+x.ID, "id", x.ID)
	}
	for _, r := range inv.Roles {
		what := "role " + r.ID
		id(what, "id", r.ID)
		ids(what, "entitlements", r.Entitlements)
		ids(what, "inherits", r.Inherits)
	}
	for _, d := range c.Duties {
		ids("duty "+d.ID, "entitlements", d.Entitlements)
		ids("duty "+d.ID, "roles", d.Roles)
	}
	for _, r := range c.Rules {
		what := "rule " + r.ID
		id(what, "id", r.ID)
		if r.Scope != sod.ScopeIdentity {
			bad(what, "scope", fmt.Sprintf("scope %s (the reference implements identity-wide rules only)", r.Scope))
		}
		for _, s := range r.Sides {
			ids(what, "entitlements", s.Entitlements)
			ids(what, "roles", s.Roles)
		}
	}
	for i := range inv.Identities {
		x := &inv.Identities[i]
		what := "identity " + x.ID
		id(what, "id", x.ID)
		for gi := range x.Grants {
			g := &x.Grants[gi]
			gw := what + " grant " + g.ID
			switch {
			case (g.Role == "") == (g.Entitlement == ""):
				bad(gw, "entitlement", "a grant names exactly one of an entitlement and a role")
			case g.Role != "":
				id(gw, "role", g.Role)
			default:
				id(gw, "entitlement", g.Entitlement)
			}
			if _, ok := stateCodes[g.State]; !ok {
				bad(gw, "state", "unset or unknown state")
			}
			from, until := effective(g)
			if !representable(from) || !representable(until) {
				bad(gw, "start", "time outside the range of Unix nanoseconds")
			}
			if g.Eligible {
				for _, a := range g.Activations {
					if a.Start.IsZero() || !representable(a.Start) || !representable(a.End) {
						bad(gw, "activations", "activation time missing or outside the range of Unix nanoseconds")
					}
				}
			}
			if len(errs) > 100 {
				return errors.Join(append(errs, errors.New("too many problems; stopped"))...)
			}
		}
	}
	return errors.Join(errs...)
}
