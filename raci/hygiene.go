package raci

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/evidence"
)

// usageSummary is what the usage records say about one non-human identity
// up to the evaluation time.
type usageSummary struct {
	envs, apps, actors map[string]bool
	last               time.Time
}

// usage summarises the usage records seen at or before at, per known
// non-human identity. Records of people and of unknown identities are
// ignored.
func (e *engine) usage(at time.Time) map[string]*usageSummary {
	out := map[string]*usageSummary{}
	for _, u := range e.x.Inventory().Usage {
		if u.At.After(at) {
			continue
		}
		id, ok := e.x.Identity(u.Identity)
		if !ok || !id.Kind.NonHuman() {
			continue
		}
		s := out[u.Identity]
		if s == nil {
			s = &usageSummary{envs: map[string]bool{}, apps: map[string]bool{}, actors: map[string]bool{}}
			out[u.Identity] = s
		}
		if u.Environment != "" {
			s.envs[u.Environment] = true
		}
		if u.Application != "" {
			s.apps[u.Application] = true
		}
		if u.Actor != "" && u.Actor != u.Identity {
			if a, ok := e.x.Identity(u.Actor); !ok || !a.Kind.NonHuman() {
				s.actors[u.Actor] = true // a person, or someone unknown: fail closed
			}
		}
		if u.At.After(s.last) {
			s.last = u.At
		}
	}
	return out
}

// hygiene runs the non-human identity hygiene checks on one identity:
// credential age and expiry (OWASP NHI7:2025, active identities only), use
// in several environments (NHI8:2025) or by several applications
// (NHI9:2025), use by a person (NHI10:2025), and dormancy while holding
// privileged access (NHI1:2025).
func (e *engine) hygiene(h *entitlement.Holder, u *usageSummary, at time.Time) []audit.Finding {
	id := h.Identity
	if u == nil {
		u = &usageSummary{}
	}
	subject := audit.Subject{Type: "identity", ID: id.ID}
	var out []audit.Finding

	if id.Status == entitlement.IdentityActive {
		out = append(out, e.credential(id, at)...)
	}

	envs := maps.Clone(u.envs)
	if envs == nil {
		envs = map[string]bool{}
	}
	if id.Environment != "" {
		envs[id.Environment] = true
	}
	if len(envs) > 1 {
		ev := []audit.Evidence{identityEvidence(id)}
		if id.Environment != "" {
			ev = append(ev, audit.Evidence{Label: "declared environment", Value: id.Environment})
		}
		for _, env := range slices.Sorted(maps.Keys(u.envs)) {
			ev = append(ev, audit.Evidence{Label: "used in environment", Value: env})
		}
		out = append(out, kinds.Get(KindEnvironmentReuse).New("", subject,
			fmt.Sprintf("%s %s%s is used across %d environments (%s): a compromise in one reaches the others",
				id.Kind, id.ID, ownedBy(id), len(envs), joinRefs(slices.Sorted(maps.Keys(envs)))),
			ev...))
	}

	if len(u.apps) > 1 {
		ev := []audit.Evidence{identityEvidence(id)}
		apps := slices.Sorted(maps.Keys(u.apps))
		for _, app := range apps {
			ev = append(ev, audit.Evidence{Label: "used by application", Value: app})
		}
		out = append(out, kinds.Get(KindApplicationReuse).New("", subject,
			fmt.Sprintf("%s %s%s is shared by %d applications (%s)", id.Kind, id.ID, ownedBy(id), len(apps), joinRefs(apps)),
			ev...))
	}

	if len(u.actors) > 0 {
		ev := []audit.Evidence{identityEvidence(id)}
		actors := slices.Sorted(maps.Keys(u.actors))
		for _, a := range actors {
			ev = append(ev, audit.Evidence{Label: "used by person", Value: e.describeOwner(a)})
		}
		out = append(out, kinds.Get(KindHumanUse).New("", subject,
			fmt.Sprintf("%s %s%s was used by %s: a person is acting with a machine identity, outside their own accountability", id.Kind, id.ID, ownedBy(id), joinRefs(actors)),
			ev...))
	}

	out = append(out, e.dormant(h, u, at)...)
	return out
}

// credential checks the secret of an active non-human identity: older than
// the maximum age since its last rotation (or creation), of unknown age, or
// never expiring.
func (e *engine) credential(id entitlement.Identity, at time.Time) []audit.Finding {
	c := id.Credential
	maxAge := e.pol.MaxCredentialAge
	issued, how := c.Rotated, "rotated"
	if issued.IsZero() {
		issued, how = c.Created, "created"
	}
	if !issued.IsZero() && at.Sub(issued) <= maxAge && !c.Expires.IsZero() {
		return nil
	}
	subject := audit.Subject{Type: "identity", ID: id.ID}
	maxEv := audit.Evidence{Label: "maximum credential age", Value: audit.FormatDuration(maxAge)}
	var out []audit.Finding
	switch {
	case issued.IsZero():
		f := kinds.Get(KindCredentialTooOld).New("", subject,
			fmt.Sprintf("the age of the credential of %s%s is unknown: neither its creation nor a rotation is recorded", id.ID, ownedBy(id)),
			identityEvidence(id), audit.Evidence{Label: "credential issued", Value: "not recorded"}, maxEv)
		f.Severity = audit.Medium
		f.Remediation = "Record when the secret was issued, or rotate it now and record the rotation."
		out = append(out, f)
	case at.Sub(issued) > maxAge:
		out = append(out, kinds.Get(KindCredentialTooOld).New("", subject,
			fmt.Sprintf("the credential of %s%s was %s %s ago, longer than the %s allowed",
				id.ID, ownedBy(id), how, audit.FormatDuration(at.Sub(issued)), audit.FormatDuration(maxAge)),
			identityEvidence(id), audit.Evidence{Label: "credential " + how, Value: issued.Format(rfc3339)}, maxEv))
	}
	if c.Expires.IsZero() {
		out = append(out, kinds.Get(KindCredentialNoExpiry).New("", subject,
			fmt.Sprintf("the credential of %s%s never expires", id.ID, ownedBy(id)),
			identityEvidence(id), audit.Evidence{Label: "credential expires", Value: "never"}))
	}
	return out
}

// dormant reports an identity unused for DormantAfter that still holds
// privileged access in effect at at. Its last use is the later of LastUsed
// and its usage records, both taken only when at or before at; with
// neither, the start of its privileged grants stands in, and with no start
// either the identity counts as dormant.
func (e *engine) dormant(h *entitlement.Holder, u *usageSummary, at time.Time) []audit.Finding {
	id := h.Identity
	if !e.holdsPrivileged(h, at) {
		return nil
	}
	last := u.last
	if !id.LastUsed.IsZero() && !id.LastUsed.After(at) && id.LastUsed.After(last) {
		last = id.LastUsed
	}
	if !last.IsZero() && at.Sub(last) < e.pol.DormantAfter {
		return nil // used recently: no need to explain the access
	}
	access, _ := h.Access(at)
	var privEv []audit.Evidence
	var since time.Time
	unknownStart := false
	for _, h := range access.Entitlements {
		ent, _ := e.x.Entitlement(h.ID)
		if !ent.Privileged {
			continue
		}
		p := h.Paths[0]
		privEv = append(privEv, audit.Evidence{Label: "privileged entitlement", Value: h.ID, Path: evidence.Path(p)})
		var g entitlement.Grant
		if i := slices.IndexFunc(id.Grants, func(g entitlement.Grant) bool { return g.ID == p.Grant }); i >= 0 {
			g = id.Grants[i]
		}
		if st := g.StartTime(); st.IsZero() {
			unknownStart = true
		} else if since.IsZero() || st.Before(since) {
			since = st
		}
	}
	if len(privEv) == 0 {
		return nil
	}
	lastEv := audit.Evidence{Label: "last used", Value: "never recorded"}
	var msg string
	switch {
	case !last.IsZero():
		if at.Sub(last) < e.pol.DormantAfter {
			return nil
		}
		lastEv.Value = last.Format(rfc3339)
		msg = fmt.Sprintf("%s %s%s was last used %s ago but still holds %d privileged entitlement(s)", id.Kind, id.ID, ownedBy(id), audit.FormatDuration(at.Sub(last)), len(privEv))
	case !unknownStart && !since.IsZero():
		if at.Sub(since) < e.pol.DormantAfter {
			return nil
		}
		msg = fmt.Sprintf("%s %s%s has no recorded use in the %s since it received privileged access, yet holds %d privileged entitlement(s)",
			id.Kind, id.ID, ownedBy(id), audit.FormatDuration(at.Sub(since)), len(privEv))
	default:
		msg = fmt.Sprintf("%s %s%s has no recorded use and holds %d privileged entitlement(s) since a time not recorded", id.Kind, id.ID, ownedBy(id), len(privEv))
	}
	return []audit.Finding{kinds.Get(KindDormantPrivileged).New("", audit.Subject{Type: "identity", ID: id.ID}, msg,
		append([]audit.Evidence{identityEvidence(id), lastEv, {Label: "dormant after", Value: audit.FormatDuration(e.pol.DormantAfter)}}, privEv...)...)}
}

// ownedBy names an identity's owners for messages, " (owned by pat,
// priya)", or " (no owner)". Owners stay out of the evidence, so a change
// of owner does not change the IDs of hygiene findings.
func ownedBy(id entitlement.Identity) string {
	if owners := id.Owners(); len(owners) > 0 {
		return " (owned by " + joinRefs(owners) + ")"
	}
	return " (no owner)"
}
