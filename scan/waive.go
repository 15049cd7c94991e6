package scan

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/suggest"
	"github.com/sodkit/sodkit/raci"
)

// The finding kinds scan reports itself: problems with the bundle's
// waivers (see audit.Waiver). Kinds lists them with the check packages'.
const (
	// KindWaiverExpired: a waiver at or past its expiry. It applies no
	// more, so the findings it named need action again.
	KindWaiverExpired audit.Kind = "waiver.expired"
	// KindWaiverUnowned: a waiver in force whose owner is not an active
	// person, nor a party with an active person in it. Nobody answers for
	// the risk it accepts, so it applies to nothing.
	KindWaiverUnowned audit.Kind = "waiver.unowned"
	// KindWaiverUnused: a waiver in force that names no finding of the
	// scan: what it accepted is gone, or it names the wrong thing.
	KindWaiverUnused audit.Kind = "waiver.unused"
)

var (
	gvRR01 = audit.Ref(audit.CSF, "GV.RR-01")
	gvRR02 = audit.Ref(audit.CSF, "GV.RR-02")
	gvOV01 = audit.Ref(audit.CSF, "GV.OV-01")
)

// waiverKinds is the table of the kinds scan reports about waivers.
var waiverKinds = audit.KindTable{
	{
		Kind: KindWaiverExpired, Title: "Waiver expired", Severity: audit.Low,
		Controls:    []audit.Control{gvOV01, gvRR02},
		Remediation: "Fix the findings the waiver named and remove it, or renew it with a new expiry if the risk is still accepted.",
		Help: "A waiver at or past its expiry applies no more: the findings it named are open again. " +
			"High while any of them needs action.",
	},
	{
		Kind: KindWaiverUnowned, Title: "Waiver without an active owner", Severity: audit.Medium,
		Controls:    []audit.Control{gvRR01, gvRR02},
		Remediation: "Give the waiver an owner who can answer for it (an active person, or a party with an active member), or remove it.",
		Help: "A waiver in force whose owner has left, is disabled, is not a person, or does not exist. " +
			"Nobody answers for the risk it accepts, so it waives nothing until someone owns it.",
	},
	{
		Kind: KindWaiverUnused, Title: "Unused waiver", Severity: audit.Low,
		Controls:    []audit.Control{gvOV01},
		Remediation: "Remove the waiver: what it accepted no longer occurs. Or correct the kinds, subject or finding IDs it names.",
		Help: "A waiver in force that names no finding of the scan. Reported only when the scan ran every kind " +
			"the waiver names, since a finding of a skipped kind cannot be seen.",
	},
}

// checkWaivers checks that every kind a waiver names is one a scan can
// report, and not a kind about waivers. Each problem is an
// *entitlement.RecordError placed at the waiver's record, with the
// closest kind as a suggestion: the loader cannot check kinds, since only
// scan knows them.
func checkWaivers(b *bundle.Bundle) error {
	all := Kinds()
	var errs []error
	for i, w := range b.Waivers {
		id := w.ID
		if id == "" {
			id = fmt.Sprintf("#%d", i)
		}
		where, _ := b.Origin("waiver", w.ID)
		for j, k := range w.Kinds {
			var err error
			switch {
			case kindPackage(k) == "waiver":
				err = fmt.Errorf("%w: %s is a finding about waivers, which no waiver can waive", entitlement.ErrInvalid, k)
			case !slices.ContainsFunc(all, func(info audit.KindInfo) bool { return info.Kind == k }):
				err = fmt.Errorf("%w: no kind of finding %q%s", entitlement.ErrUnknownRef, k, suggest.Hint(string(k), kindNames(all)))
			default:
				continue
			}
			errs = append(errs, &entitlement.RecordError{File: where.File, Line: where.Line, Type: "waiver", ID: id,
				Field: fmt.Sprintf("kinds[%d]", j), Err: err})
		}
	}
	return errors.Join(errs...)
}

func kindNames(kinds []audit.KindInfo) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k.Kind)
	}
	return out
}

// waive applies the waivers of b to the findings fs at at, in place, and
// returns, for each waiver in input order, what the findings about it
// need (waiverFindings): whether its owner can answer for it, how many
// findings of fs it names and how many of those still need action, and
// where it was read (where). A finding is waived by the first waiver, in
// input order, that names it, is in force and has an active owner
// (raci.ActiveOwner); a finding that does not fail a gate is left as it
// is. Every outcome depends only on the finding, the waivers and at, so it
// does not matter in which order the checks gave the findings, nor
// whether they were split between shards: the tallies of the parts of fs
// add up to those of fs.
func waive(b *bundle.Bundle, fs []audit.Finding, at time.Time, where *locator) []audit.WaiverTally {
	ws := b.Waivers
	if len(ws) == 0 {
		return nil
	}
	ts := make([]audit.WaiverTally, len(ws))
	applies := make([]bool, len(ws))
	byKind := map[audit.Kind][]int{}
	byID := map[string][]int{}
	for i, w := range ws {
		owned := raci.ActiveOwner(b.Index, w.Owner)
		ts[i] = audit.WaiverTally{ID: w.ID, Kinds: w.Kinds, Subject: w.Subject, Findings: w.Findings, Owner: w.Owner, Expires: w.Expires,
			OwnerActive: owned, OwnerDescription: describeOwner(b.Index, w.Owner), Location: where.record(audit.Subject{Type: "waiver", ID: w.ID})}
		applies[i] = owned && w.InForce(at)
		for _, k := range w.Kinds {
			byKind[k] = append(byKind[k], i)
		}
		for _, id := range w.Findings {
			byID[id] = append(byID[id], i)
		}
	}
	var named []int
	for n := range fs {
		f := &fs[n]
		named = append(named[:0], byID[f.ID]...)
		for _, i := range byKind[f.Kind] {
			if ws[i].Matches(*f) && !slices.Contains(named, i) {
				named = append(named, i)
			}
		}
		if len(named) == 0 {
			continue
		}
		slices.Sort(named) // input order
		by := -1           // the waiver that waives f
		for _, i := range named {
			ts[i].Matched++
			if by < 0 && applies[i] {
				by = i
			}
		}
		switch {
		case !f.Status.Failing():
		case by >= 0:
			*f = ws[by].Waive(*f)
		default:
			for _, i := range named {
				ts[i].Lapsed++ // it needs action, as the waiver does not apply
			}
		}
	}
	return ts
}

// waiverFindings returns the findings about the waivers ts tallies (see
// waive) at at, placed where each was read; none of a kind sel skips. A
// scan makes them from its own tallies; Merge from the sum of its parts',
// through this same code.
func waiverFindings(ts []audit.WaiverTally, at time.Time, sel selection) []audit.Finding {
	var out []audit.Finding
	for _, t := range ts {
		w := t.Waiver()
		subject := audit.Subject{Type: "waiver", ID: w.ID}
		names := audit.Evidence{Label: "names", Value: waiverNames(w)}
		report := func(kind audit.Kind, msg string, ev ...audit.Evidence) *audit.Finding {
			if sel.skipped[kind] {
				return nil
			}
			f := waiverKinds.Get(kind).New("", subject, msg, append([]audit.Evidence{names}, ev...)...)
			if w.Subject.Type == "identity" {
				f.Identity = w.Subject.ID // a waiver about one identity is about it
			}
			f.Location = t.Location
			out = append(out, f)
			return &out[len(out)-1]
		}
		switch {
		case !w.InForce(at):
			until := "none"
			msg := fmt.Sprintf("waiver %s has no expiry, so it never applies", w.ID)
			if !w.Expires.IsZero() {
				until = w.Expires.Format(time.RFC3339Nano)
				msg = fmt.Sprintf("waiver %s expired on %s", w.ID, w.Expires.UTC().Format(time.RFC3339))
			}
			if n := t.Lapsed; n > 0 {
				msg += fmt.Sprintf("; the %d %s it named %s action again", n, plural(n, "finding", "findings"), plural(n, "needs", "need"))
			}
			if f := report(KindWaiverExpired, msg, audit.Evidence{Label: "expires", Value: until},
				audit.Evidence{Label: "owner", Value: w.Owner}); f != nil && t.Lapsed > 0 {
				f.Severity = audit.High
			}
			continue // its owner no longer matters, nor whether it is used
		case !t.OwnerActive:
			msg := fmt.Sprintf("waiver %s is owned by %s, who cannot answer for it: it waives nothing until an active owner takes it over", w.ID, t.OwnerDescription)
			if n := t.Lapsed; n > 0 {
				msg += fmt.Sprintf("; the %d %s it names %s action", n, plural(n, "finding", "findings"), plural(n, "needs", "need"))
			}
			report(KindWaiverUnowned, msg, audit.Evidence{Label: "owner", Value: t.OwnerDescription})
		}
		if t.Matched == 0 && judged(w, sel) {
			report(KindWaiverUnused, fmt.Sprintf("waiver %s names no finding of this scan: what it accepted no longer occurs", w.ID),
				audit.Evidence{Label: "matches", Value: "none"})
		}
	}
	return out
}

// judged reports whether the scan could see every finding w names: every
// kind it names was selected, or, for a waiver by finding ID, whose kinds
// are unknown, every kind was.
func judged(w audit.Waiver, sel selection) bool {
	if len(w.Kinds) == 0 {
		return len(sel.skipped) == 0
	}
	return !slices.ContainsFunc(w.Kinds, func(k audit.Kind) bool { return sel.skipped[k] })
}

// waiverNames says what a waiver names, for evidence: "kinds a, b about
// grant g-1" or "findings sk-…, sk-…".
func waiverNames(w audit.Waiver) string {
	if len(w.Kinds) == 0 {
		return "findings " + strings.Join(w.Findings, ", ")
	}
	ks := make([]string, len(w.Kinds))
	for i, k := range w.Kinds {
		ks[i] = string(k)
	}
	s := plural(len(ks), "kind ", "kinds ") + strings.Join(ks, ", ")
	if w.Subject != (audit.Subject{}) {
		s += " about " + w.Subject.String()
	}
	return s
}

// describeOwner names an owner with what it is: "pat (human, active)",
// "legacy-payments (party)", "ghost (unknown)".
func describeOwner(x *entitlement.Index, ref string) string {
	if ref == "" {
		return "nobody"
	}
	if x != nil {
		if _, ok := x.Party(ref); ok {
			return ref + " (party)"
		}
		if id, ok := x.Identity(ref); ok {
			return fmt.Sprintf("%s (%s, %s)", ref, id.Kind, id.Status)
		}
	}
	return ref + " (unknown)"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
