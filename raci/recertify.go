package raci

import (
	"fmt"
	"slices"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// live reports whether a grant still stands at at: active, not revoked and
// not past its expiry (a grant expiring exactly at at is over).
func live(g entitlement.Grant, at time.Time) bool {
	return g.State == entitlement.GrantActive && g.Revoked.At.IsZero() &&
		(g.Expires.IsZero() || at.Before(g.Expires))
}

// recertification checks a live grant's last certification: its age
// against the strictest interval of what the grant confers
// (raci.recertification-overdue), who made it (raci.self-certified), and
// whether the certifier is Responsible or Accountable for recertify in the
// effective matrix of every entitlement conferred
// (raci.certifier-not-accountable). A certification recorded after at has
// not happened yet at at and is ignored.
func (e *engine) recertification(h *entitlement.Holder, gi int, at time.Time) []audit.Finding {
	id, g := h.Identity, h.Identity.Grants[gi]
	if !live(g, at) {
		return nil
	}
	t := e.target(h, gi)
	ents := t.ents
	if len(ents) == 0 {
		return nil // an unknown target: the inventory is invalid
	}
	interval, intervalBy, priv := t.interval, t.intervalBy, t.priv
	cert := g.Certified
	happened := !cert.IsZero() && (cert.At.IsZero() || !cert.At.After(at))

	// Overdue: measured from the last dated certification, else from the
	// start of the access.
	ref, since := cert.At, "was last certified"
	switch {
	case happened && !cert.At.IsZero():
	case happened:
		ref, since = g.StartTime(), "has only an undated certification; its access began"
	default:
		ref, since = g.StartTime(), "was never certified; its access began"
	}
	due := ref.Add(interval)
	overdue := ref.IsZero() || !at.Before(due)
	certOK := func() bool { return t.certifiedBy(e.x, cert.By) }
	if !overdue && (!happened || cert.By == "" || (cert.By != id.ID && certOK())) {
		return nil // the common case: nothing to report, nothing to format
	}

	var out []audit.Finding
	base := []audit.Evidence{{Label: "activity", Value: Recertify.String()}, identityEvidence(id), targetEvidence(g)}
	refEv := audit.Evidence{Label: "last certified", Value: "never"}
	switch {
	case happened && !cert.At.IsZero():
		refEv.Value = cert.At.Format(rfc3339)
	case happened:
		refEv.Value = "undated"
	}
	if happened && cert.By != "" {
		refEv.Value += " by " + cert.By
	}
	ivEv := audit.Evidence{Label: "recertification interval", Value: fmt.Sprintf("%s (%s)", audit.FormatDuration(interval), intervalBy)}
	var ev []audit.Evidence
	var msg string
	switch {
	case ref.IsZero():
		ev = append(slices.Clone(base), refEv, audit.Evidence{Label: "access began", Value: "not recorded"}, ivEv)
		msg = fmt.Sprintf("grant %s to %s %s at a time not recorded; %s requires recertification every %s",
			g.ID, id.ID, since, intervalBy, audit.FormatDuration(interval))
	case overdue:
		ev = append(slices.Clone(base), refEv, ivEv, audit.Evidence{Label: "due", Value: due.Format(rfc3339)})
		if !(happened && !cert.At.IsZero()) {
			ev = append(ev, audit.Evidence{Label: "access began", Value: ref.Format(rfc3339)})
		}
		msg = fmt.Sprintf("grant %s to %s %s %s ago; %s requires recertification every %s (due %s)",
			g.ID, id.ID, since, audit.FormatDuration(at.Sub(ref)), intervalBy, audit.FormatDuration(interval), due.Format(time.DateOnly))
	}
	if overdue {
		f := kinds.Get(KindRecertificationOverdue).New("", grantSubject(g), msg, ev...)
		if priv {
			f.Severity = audit.High
		}
		out = append(out, f)
	}

	if !happened || cert.By == "" {
		return out
	}
	certEv := audit.Evidence{Label: "certified by", Value: e.describeOwner(cert.By)}
	if cert.By == id.ID {
		out = append(out, kinds.Get(KindSelfCertified).New("", grantSubject(g),
			fmt.Sprintf("grant %s was certified by its own holder, %s", g.ID, id.ID),
			append(slices.Clone(base), certEv, refEv)...))
	}
	var bad []audit.Evidence
	for _, eid := range ents {
		if certOK() {
			break // accountable or responsible for every one
		}
		if e.certifierOK([]string{eid}, cert.By) {
			continue
		}
		ent, _ := e.x.Entitlement(eid)
		row := e.entMatrix(ent)[Recertify]
		bad = append(bad, audit.Evidence{Label: "not accountable for recertifying", Value: fmt.Sprintf("%s (accountable: %s; responsible: %s)",
			eid, joinRefs(row[accountable].refs), joinRefs(row[responsible].refs))})
	}
	if len(bad) > 0 {
		out = append(out, kinds.Get(KindCertifierNotAccountable).New("", grantSubject(g),
			fmt.Sprintf("grant %s to %s was certified by %s, who is neither accountable nor responsible for recertifying %d of the entitlement(s) it confers",
				g.ID, id.ID, cert.By, len(bad)),
			append(append(slices.Clone(base), certEv), bad...)...))
	}
	return out
}

// certifierOK reports whether who is a member of a party (or is a person)
// Responsible or Accountable for recertify in the effective matrix of
// every entitlement in ents.
func (e *engine) certifierOK(ents []string, who string) bool {
	for _, eid := range ents {
		ent, _ := e.x.Entitlement(eid)
		row := e.entMatrix(ent)[Recertify]
		ok := false
		for _, cells := range [][]string{row[accountable].refs, row[responsible].refs} {
			for _, r := range cells {
				if e.includes(r, who) {
					ok = true
					break
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
