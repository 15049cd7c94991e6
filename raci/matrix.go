package raci

import (
	"maps"
	"slices"
)

// Assignment is one row of a RACI matrix: who is Responsible for doing an
// activity, who is Accountable for it (exactly one party should be), who is
// Consulted and who is Informed.
//
// Each list holds references to parties (entitlement.Party IDs) or to people
// (IDs of human identities). A reference resolves to the party with that ID
// when one exists, else to the person. The zero Assignment names nobody: the
// checks report its activity as having no Accountable and no Responsible
// party.
type Assignment struct {
	Responsible []string `json:"responsible,omitempty"` // who does the activity
	Accountable []string `json:"accountable,omitempty"` // who answers for it: exactly one should
	Consulted   []string `json:"consulted,omitempty"`   // who is asked before
	Informed    []string `json:"informed,omitempty"`    // who is told after
}

// letter is one of the four RACI letters.
type letter uint8

const (
	responsible letter = iota
	accountable
	consulted
	informed
	nLetters
)

var letterNames = [nLetters]string{"responsible", "accountable", "consulted", "informed"}

func (l letter) String() string { return letterNames[l] }

// parties returns the references of one letter.
func (a Assignment) parties(l letter) []string {
	switch l {
	case responsible:
		return a.Responsible
	case accountable:
		return a.Accountable
	case consulted:
		return a.Consulted
	}
	return a.Informed
}

// set replaces the references of one letter.
func (a *Assignment) set(l letter, refs []string) {
	switch l {
	case responsible:
		a.Responsible = refs
	case accountable:
		a.Accountable = refs
	case consulted:
		a.Consulted = refs
	default:
		a.Informed = refs
	}
}

// clone returns a deep copy of a.
func (a Assignment) clone() Assignment {
	return Assignment{
		Responsible: slices.Clone(a.Responsible),
		Accountable: slices.Clone(a.Accountable),
		Consulted:   slices.Clone(a.Consulted),
		Informed:    slices.Clone(a.Informed),
	}
}

// Matrix maps governance activities to their assignments. A Matrix is plain
// data: build it with a literal or load it from a bundle's "raci" section.
//
// A nil or empty Matrix assigns nothing; the checks report every activity
// it lacks as having no Accountable and no Responsible party. Keys outside
// the named activities are ignored by the checks and rejected by
// Config.Validate.
type Matrix map[Activity]Assignment

// Clone returns a deep copy of m; the copy of a nil Matrix is nil.
func (m Matrix) Clone() Matrix {
	if m == nil {
		return nil
	}
	out := make(Matrix, len(m))
	for a, row := range m {
		out[a] = row.clone()
	}
	return out
}

// activities returns m's keys in matrix order (invalid ones last, by value).
func (m Matrix) activities() []Activity {
	return slices.Sorted(maps.Keys(m))
}

// Override replaces rows of the global matrix for one entitlement or for
// every entitlement of one system. Exactly one of Entitlement and System is
// set.
//
// Each activity the override lists replaces the whole row for that activity
// (all four letters); activities it does not list keep the row of the scope
// above. The scopes, from the least to the most specific, are: the global
// matrix, a system override, the entitlement's own catalogue fields (see
// Config.Resolve), an entitlement override.
type Override struct {
	Entitlement string // an entitlement ID, or ""
	System      string // a system name (the part of entitlement IDs before the colon), or ""
	Matrix      Matrix // the rows that replace those of the scope above
}

// Scope returns the override's scope as a type and an ID: ("entitlement",
// "erp:payment.release") or ("system", "erp"). It returns two empty strings
// when neither or both of Entitlement and System are set: such an override
// is invalid, and the checks ignore it.
func (o Override) Scope() (typ, id string) {
	switch {
	case o.Entitlement != "" && o.System == "":
		return "entitlement", o.Entitlement
	case o.System != "" && o.Entitlement == "":
		return "system", o.System
	}
	return "", ""
}
