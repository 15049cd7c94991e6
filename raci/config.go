package raci

import (
	"errors"
	"fmt"

	"github.com/sodkit/sodkit/entitlement"
)

// Config is what the checks read beside the inventory: the policy
// thresholds, the global RACI matrix and its overrides. It is plain data:
// build it with a literal or load it from a bundle's "raci" section.
//
// The zero Config assigns nothing and applies the default policy: every
// activity is reported as having no Accountable and no Responsible party.
type Config struct {
	// Policy holds the checks' thresholds; its zero value means the
	// documented defaults.
	Policy Policy
	// Matrix is the global RACI matrix: the rows every entitlement has
	// unless an override or its catalogue fields replace them. A nil
	// Matrix assigns no activity at the global scope.
	Matrix Matrix
	// Overrides replace rows of the global matrix for one system or one
	// entitlement, at most one override per scope.
	Overrides []Override
}

// Record types and IDs of the problems Validate reports, matching how the
// bundle loader names the records of the "raci" section.
const (
	recordPolicy   = "raci"          // ID "policy"
	recordRow      = "raci matrix"   // ID: the activity
	recordOverride = "raci override" // ID: "entitlement E", "system S" or "#N"
)

// overrideName names the i-th override in errors: its scope, or "#i" when
// it has none or its scope is too long to be an ID.
func overrideName(i int, o Override) string {
	if typ, id := o.Scope(); typ != "" && len(id) <= entitlement.MaxIDLength {
		return typ + " " + id
	}
	return fmt.Sprintf("#%d", i)
}

// Validate checks c against the inventory that x indexes and returns every
// problem, joined with errors.Join, each an *entitlement.RecordError naming
// the record ("raci policy", "raci matrix approve_request", "raci override
// entitlement erp:payment.release") and the field, and wrapping one of the
// entitlement package's sentinels: negative durations and unknown party
// functions (ErrInvalid), activities outside the named ones (ErrInvalid),
// empty references (ErrRequired), references that name neither a party nor
// a person (ErrUnknownRef), references and override scopes longer than
// entitlement.MaxIDLength (ErrTooLong; such an override is named by its
// position), a list that repeats an entry (ErrDuplicate), an
// override with neither or both of entitlement and system (ErrRequired,
// ErrConflict), an override of an unknown entitlement or of a system no
// entitlement belongs to (ErrUnknownRef), two overrides of one scope
// (ErrDuplicate), and an override that assigns nothing (ErrRequired). It
// returns nil for a valid config. A nil x is an empty inventory.
//
// Validate does not report gaps in the matrix (an activity with no
// Accountable party, say): those are findings, reported by Check.
func (c Config) Validate(x *entitlement.Index) error {
	x = orEmpty(x)
	var errs []error
	add := func(typ, id, field string, err error) {
		errs = append(errs, &entitlement.RecordError{Type: typ, ID: id, Field: field, Err: err})
	}
	p := c.Policy
	for _, d := range []struct {
		field string
		v     any
		neg   bool
	}{
		{"max_credential_age", p.MaxCredentialAge, p.MaxCredentialAge < 0},
		{"dormant_after", p.DormantAfter, p.DormantAfter < 0},
		{"recertify_every", p.RecertifyEvery, p.RecertifyEvery < 0},
		{"privileged_recertify_every", p.PrivilegedRecertifyEvery, p.PrivilegedRecertifyEvery < 0},
	} {
		if d.neg {
			add(recordPolicy, "policy", d.field, fmt.Errorf("%w: negative duration %v", entitlement.ErrInvalid, d.v))
		}
	}
	for _, fl := range []struct {
		field string
		list  []entitlement.PartyFunction
	}{{"recertification_owners", p.RecertificationOwners}, {"certifiers", p.Certifiers}} {
		if fl.list != nil && len(fl.list) == 0 {
			add(recordPolicy, "policy", fl.field, fmt.Errorf("%w: an empty list would qualify no party; leave it out for the default", entitlement.ErrRequired))
		}
		seen := map[entitlement.PartyFunction]bool{}
		for i, f := range fl.list {
			field := fmt.Sprintf("%s[%d]", fl.field, i)
			switch {
			case !f.Valid():
				add(recordPolicy, "policy", field, fmt.Errorf("%w: party function %s", entitlement.ErrInvalid, f))
			case seen[f]:
				add(recordPolicy, "policy", field, fmt.Errorf("%w: %s listed twice", entitlement.ErrDuplicate, f))
			}
			seen[f] = true
		}
	}

	for _, a := range c.Matrix.activities() {
		if !a.Valid() {
			add(recordRow, rawName(a), "", fmt.Errorf("%w: %s is not a governance activity", entitlement.ErrInvalid, rawName(a)))
			continue
		}
		for _, e := range validateRow(x, c.Matrix[a]) {
			add(recordRow, a.String(), e.field, e.err)
		}
	}

	scopes := map[string]int{}
	for i, o := range c.Overrides {
		name := overrideName(i, o)
		switch {
		case o.Entitlement == "" && o.System == "":
			add(recordOverride, name, "entitlement", fmt.Errorf("%w: an override names an entitlement or a system", entitlement.ErrRequired))
		case o.Entitlement != "" && o.System != "":
			add(recordOverride, name, "system", fmt.Errorf("%w: an override names an entitlement or a system, not both", entitlement.ErrConflict))
		case len(o.Entitlement) > entitlement.MaxIDLength:
			add(recordOverride, name, "entitlement", entitlement.CheckLength(o.Entitlement, entitlement.MaxIDLength))
		case len(o.System) > entitlement.MaxIDLength:
			add(recordOverride, name, "system", entitlement.CheckLength(o.System, entitlement.MaxIDLength))
		case o.Entitlement != "":
			if _, ok := x.Entitlement(o.Entitlement); !ok {
				add(recordOverride, name, "entitlement", fmt.Errorf("%w: no entitlement %q", entitlement.ErrUnknownRef, o.Entitlement))
			}
		default:
			if !hasSystem(x, o.System) {
				add(recordOverride, name, "system", fmt.Errorf("%w: no entitlement belongs to system %q", entitlement.ErrUnknownRef, o.System))
			}
		}
		if typ, id := o.Scope(); typ != "" && len(id) <= entitlement.MaxIDLength {
			if j, dup := scopes[name]; dup {
				add(recordOverride, name, "", fmt.Errorf("%w: override of %s also at position %d", entitlement.ErrDuplicate, name, j))
			} else {
				scopes[name] = i
			}
		}
		if len(o.Matrix) == 0 {
			add(recordOverride, name, "matrix", fmt.Errorf("%w: an override assigns at least one activity", entitlement.ErrRequired))
		}
		for _, a := range o.Matrix.activities() {
			field := "matrix." + rawName(a)
			if !a.Valid() {
				add(recordOverride, name, field, fmt.Errorf("%w: %s is not a governance activity", entitlement.ErrInvalid, rawName(a)))
				continue
			}
			for _, e := range validateRow(x, o.Matrix[a]) {
				add(recordOverride, name, field+"."+e.field, e.err)
			}
		}
	}
	return errors.Join(errs...)
}

// rawName names any activity value, the unset one included.
func rawName(a Activity) string {
	if a == 0 {
		return "activity(0)"
	}
	return a.String()
}

type fieldErr struct {
	field string
	err   error
}

// validateRow checks one row's references.
func validateRow(x *entitlement.Index, row Assignment) []fieldErr {
	var out []fieldErr
	for l := range nLetters {
		seen := map[string]bool{}
		for i, ref := range row.parties(l) {
			field := fmt.Sprintf("%s[%d]", l, i)
			if len(ref) > entitlement.MaxIDLength {
				out = append(out, fieldErr{field, entitlement.CheckLength(ref, entitlement.MaxIDLength)})
				continue
			}
			switch k := kindOf(x, ref); {
			case ref == "":
				out = append(out, fieldErr{field, entitlement.ErrRequired})
			case k == refUnknown:
				out = append(out, fieldErr{field, fmt.Errorf("%w: no party or person %q", entitlement.ErrUnknownRef, ref)})
			case k == refMachine:
				out = append(out, fieldErr{field, fmt.Errorf("%w: %q is a non-human identity; RACI assignments name parties or people", entitlement.ErrInvalid, ref)})
			case seen[ref]:
				out = append(out, fieldErr{field, fmt.Errorf("%w: %q listed twice", entitlement.ErrDuplicate, ref)})
			}
			seen[ref] = true
		}
	}
	return out
}

// refKind is what a RACI reference resolves to.
type refKind uint8

const (
	refUnknown refKind = iota // nothing, or the empty string
	refParty                  // a party
	refPerson                 // a human identity
	refMachine                // a non-human identity: not a valid assignee
)

func kindOf(x *entitlement.Index, ref string) refKind {
	if ref == "" {
		return refUnknown
	}
	if _, ok := x.Party(ref); ok {
		return refParty
	}
	id, ok := x.Identity(ref)
	switch {
	case !ok:
		return refUnknown
	case id.Kind == entitlement.Human:
		return refPerson
	}
	return refMachine
}

func hasSystem(x *entitlement.Index, system string) bool {
	for _, e := range x.Inventory().Entitlements {
		if e.SystemName() == system {
			return true
		}
	}
	return false
}

func orEmpty(x *entitlement.Index) *entitlement.Index {
	if x != nil {
		return x
	}
	empty, _ := entitlement.NewIndex(nil)
	return empty
}
