package bundle

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/jsonpull"
)

// This file maps the "waivers" section (docs/format.md, "Waiver") onto
// audit.Waiver:
//
//	"waivers": [{"id": …, "kinds": [...] or "findings": [...],
//	             "subject": {"type": …, "id": …}, "owner": …,
//	             "reason": …, "expires": …}]
//
// Several files may each add waivers. Records are "waiver". Loading checks
// each record's shape; package scan, which knows the kinds of finding,
// checks the kinds a waiver names and applies it.

func (d *decoder) waiver(w *audit.Waiver) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&w.ID)
				d.rec.id = w.ID
				return err
			case "kinds":
				return list(d, &w.Kinds, func(k *audit.Kind) error {
					var s string
					err := d.ref(&s)
					*k = audit.Kind(s)
					return err
				})
			case "subject":
				return d.waiverSubject(&w.Subject)
			case "findings":
				return d.refs(&w.Findings)
			case "owner":
				return d.ref(&w.Owner)
			case "reason":
				return d.str(&w.Reason)
			case "expires":
				return d.timestamp(&w.Expires)
			}
			return d.unknownHere(key)
		})
	})
}

// waiverSubject reads a waiver's subject. A subject that is present must
// have both its type and its ID: an empty one would silently widen the
// waiver to every subject.
func (d *decoder) waiverSubject(s *audit.Subject) error {
	if d.r.Peek() == jsonpull.Null {
		return d.fatal(d.r.Null())
	}
	isObject := d.r.Peek() == jsonpull.Object
	err := d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "type":
				return d.ref(&s.Type)
			case "id":
				return d.ref(&s.ID)
			}
			return d.unknownHere(key)
		})
	})
	if err == nil && isObject && (s.Type == "" || s.ID == "") {
		d.bad(fmt.Errorf("%w: a subject names a record by its type and id, such as {\"type\": \"grant\", \"id\": \"g-1\"}; omit it to waive every subject", entitlement.ErrRequired))
	}
	return err
}

// validateWaivers checks the waivers' shape and returns every problem,
// each an *entitlement.RecordError of type "waiver": a missing or
// duplicate ID; neither or both of kinds and findings; a kind that is not
// "package.check"; a finding ID that is not "sk-" and 20 hex digits;
// repeated entries; a subject beside findings; and a missing owner,
// reason or expiry.
func validateWaivers(ws []audit.Waiver) error {
	var errs []error
	add := func(id, field string, err error) {
		errs = append(errs, &entitlement.RecordError{Type: "waiver", ID: id, Field: field, Err: err})
	}
	seen := map[string]bool{}
	for i, w := range ws {
		id := w.ID
		if id == "" {
			id = fmt.Sprintf("#%d", i)
			add(id, "id", entitlement.ErrRequired)
		} else if seen[w.ID] {
			add(id, "id", fmt.Errorf("%w: waiver %q defined twice", entitlement.ErrDuplicate, w.ID))
		}
		seen[w.ID] = true
		switch {
		case len(w.Kinds) == 0 && len(w.Findings) == 0:
			add(id, "kinds", fmt.Errorf("%w: a waiver names the kinds or the finding IDs it waives", entitlement.ErrRequired))
		case len(w.Kinds) > 0 && len(w.Findings) > 0:
			add(id, "findings", fmt.Errorf("%w: a waiver names kinds or finding IDs, not both (use two waivers)", entitlement.ErrConflict))
		}
		kinds := map[audit.Kind]bool{}
		for j, k := range w.Kinds {
			field := fmt.Sprintf("kinds[%d]", j)
			pkg, check, ok := strings.Cut(string(k), ".")
			switch {
			case !ok || pkg == "" || check == "":
				add(id, field, fmt.Errorf("%w: %q is not a kind of finding (package.check, such as \"raci.recertification-overdue\")", entitlement.ErrInvalid, k))
			case kinds[k]:
				add(id, field, fmt.Errorf("%w: %q listed twice", entitlement.ErrDuplicate, k))
			}
			kinds[k] = true
		}
		ids := map[string]bool{}
		for j, f := range w.Findings {
			field := fmt.Sprintf("findings[%d]", j)
			switch {
			case !findingID(f):
				add(id, field, fmt.Errorf("%w: %q is not a finding ID (\"sk-\" and 20 hex digits, as reports write it)", entitlement.ErrInvalid, f))
			case ids[f]:
				add(id, field, fmt.Errorf("%w: %q listed twice", entitlement.ErrDuplicate, f))
			}
			ids[f] = true
		}
		if len(w.Findings) > 0 && w.Subject != (audit.Subject{}) {
			add(id, "subject", fmt.Errorf("%w: a finding ID names its subject already; a subject narrows kinds only", entitlement.ErrConflict))
		}
		if w.Owner == "" {
			add(id, "owner", fmt.Errorf("%w: a waiver has an owner who answers for the risk it accepts", entitlement.ErrRequired))
		}
		if strings.TrimSpace(w.Reason) == "" {
			add(id, "reason", fmt.Errorf("%w: a waiver says why the findings may wait", entitlement.ErrRequired))
		}
		if w.Expires.IsZero() {
			add(id, "expires", fmt.Errorf("%w: a waiver expires; one that never did would hide the findings for good", entitlement.ErrRequired))
		}
	}
	return errors.Join(errs...)
}

// findingID reports whether s has the form of a finding ID: "sk-" and 20
// lower-case hex digits (see audit.FindingID).
func findingID(s string) bool {
	hex, ok := strings.CutPrefix(s, "sk-")
	if !ok || len(hex) != 20 {
		return false
	}
	for _, c := range []byte(hex) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
