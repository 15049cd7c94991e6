package grantcsv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/jsonpull"
	"github.com/sodkit/sodkit/internal/suggest"
)

// Mapping tells Read which column holds what. Each column field holds the
// header of one column; an empty field means the default header, which is
// the field's JSON name ("identity", "requested_by", …) — the member names
// of a grant in a bundle file. Headers match case-insensitively, ignoring
// surrounding spaces, with ' ', '_' and '-' alike ("Requested By" matches
// "requested_by").
//
// A field set to "-" means the export has no such column, and frees its
// default header for another field: {"entitlement": "role", "role": "-"}
// reads entitlements from a column headed "role".
//
// Only the identity column and one of the entitlement and role columns are
// required. A column the export lacks is absent, unless the mapping names
// it: then its absence is an error, since the mapping says it is there.
// Columns the mapping does not use are ignored.
//
// The zero Mapping reads a comma-separated export with the default
// headers, entitlement values already system-qualified, and the standard
// state and source names.
type Mapping struct {
	// ID is the header of the grant ID column; empty cells get
	// "<identity>/<target>" (see Read).
	ID string `json:"id,omitempty"`
	// Identity is the header of the column of the identity holding the
	// grant (an identity ID). The column is required.
	Identity string `json:"identity,omitempty"`
	// Entitlement is the header of the column of the entitlement granted.
	// Each row needs this or Role, not both.
	Entitlement string `json:"entitlement,omitempty"`
	// Role is the header of the column of the role granted.
	Role string `json:"role,omitempty"`

	State    string `json:"state,omitempty"`    // requested, approved, active, revoked, expired (see States)
	Source   string `json:"source,omitempty"`   // standard, exception, just_in_time, break_glass (see Sources)
	Eligible string `json:"eligible,omitempty"` // true for a just-in-time eligible grant
	Scope    string `json:"scope,omitempty"`    // the org scope
	Start    string `json:"start,omitempty"`    // when the access begins
	Expires  string `json:"expires,omitempty"`  // when it ends

	RequestedBy   string `json:"requested_by,omitempty"`   // who requested the grant (an identity ID)
	RequestedAt   string `json:"requested_at,omitempty"`   // when it was requested
	ApprovedBy    string `json:"approved_by,omitempty"`    // who approved it (an identity ID); one approval per row
	ApprovedAt    string `json:"approved_at,omitempty"`    // when it was approved
	ApprovalStage string `json:"approval_stage,omitempty"` // the approval path's stage the approval satisfies (a party ID)
	ProvisionedBy string `json:"provisioned_by,omitempty"` // who provisioned it (an identity ID)
	ProvisionedAt string `json:"provisioned_at,omitempty"` // when it was provisioned
	RevokedBy     string `json:"revoked_by,omitempty"`     // who revoked it (an identity ID)
	RevokedAt     string `json:"revoked_at,omitempty"`     // when it was revoked
	CertifiedBy   string `json:"certified_by,omitempty"`   // who last recertified it (an identity ID)
	CertifiedAt   string `json:"certified_at,omitempty"`   // when it was last recertified

	Ticket      string `json:"ticket,omitempty"`       // the request or change ticket
	Reason      string `json:"reason,omitempty"`       // the business reason
	PolicyBasis string `json:"policy_basis,omitempty"` // the rule or template that allowed the grant

	// System qualifies entitlement values: a value that does not start
	// with "System:" becomes "System:value" ("F110" → "sap:F110"). Empty
	// means values must be system-qualified already.
	System string `json:"system,omitempty"`
	// Delimiter is the one character between cells; empty means ','. Use
	// ";" for exports from spreadsheets in many European locales, "\t" for
	// tab-separated files.
	Delimiter string `json:"delimiter,omitempty"`
	// States maps values of the state column to grant state names
	// ("Enabled": "active", "Removed": "revoked"), matched
	// case-insensitively before the standard names are tried.
	States map[string]string `json:"states,omitempty"`
	// Sources maps values of the source column to grant source names
	// ("Firefighter": "break_glass"), the same way.
	Sources map[string]string `json:"sources,omitempty"`
}

// column is one column Read knows.
type column int

const (
	colID column = iota
	colIdentity
	colEntitlement
	colRole
	colState
	colSource
	colEligible
	colScope
	colStart
	colExpires
	colRequestedBy
	colRequestedAt
	colApprovedBy
	colApprovedAt
	colApprovalStage
	colProvisionedBy
	colProvisionedAt
	colRevokedBy
	colRevokedAt
	colCertifiedBy
	colCertifiedAt
	colTicket
	colReason
	colPolicyBasis
	ncolumns
)

// columns lists each column's default header and its Mapping field.
var columns = [ncolumns]struct {
	def   string
	field func(*Mapping) *string
}{
	colID:            {"id", func(m *Mapping) *string { return &m.ID }},
	colIdentity:      {"identity", func(m *Mapping) *string { return &m.Identity }},
	colEntitlement:   {"entitlement", func(m *Mapping) *string { return &m.Entitlement }},
	colRole:          {"role", func(m *Mapping) *string { return &m.Role }},
	colState:         {"state", func(m *Mapping) *string { return &m.State }},
	colSource:        {"source", func(m *Mapping) *string { return &m.Source }},
	colEligible:      {"eligible", func(m *Mapping) *string { return &m.Eligible }},
	colScope:         {"scope", func(m *Mapping) *string { return &m.Scope }},
	colStart:         {"start", func(m *Mapping) *string { return &m.Start }},
	colExpires:       {"expires", func(m *Mapping) *string { return &m.Expires }},
	colRequestedBy:   {"requested_by", func(m *Mapping) *string { return &m.RequestedBy }},
	colRequestedAt:   {"requested_at", func(m *Mapping) *string { return &m.RequestedAt }},
	colApprovedBy:    {"approved_by", func(m *Mapping) *string { return &m.ApprovedBy }},
	colApprovedAt:    {"approved_at", func(m *Mapping) *string { return &m.ApprovedAt }},
	colApprovalStage: {"approval_stage", func(m *Mapping) *string { return &m.ApprovalStage }},
	colProvisionedBy: {"provisioned_by", func(m *Mapping) *string { return &m.ProvisionedBy }},
	colProvisionedAt: {"provisioned_at", func(m *Mapping) *string { return &m.ProvisionedAt }},
	colRevokedBy:     {"revoked_by", func(m *Mapping) *string { return &m.RevokedBy }},
	colRevokedAt:     {"revoked_at", func(m *Mapping) *string { return &m.RevokedAt }},
	colCertifiedBy:   {"certified_by", func(m *Mapping) *string { return &m.CertifiedBy }},
	colCertifiedAt:   {"certified_at", func(m *Mapping) *string { return &m.CertifiedAt }},
	colTicket:        {"ticket", func(m *Mapping) *string { return &m.Ticket }},
	colReason:        {"reason", func(m *Mapping) *string { return &m.Reason }},
	colPolicyBasis:   {"policy_basis", func(m *Mapping) *string { return &m.PolicyBasis }},
}

// none is the header that says a column is absent.
const none = "-"

// header returns the header the mapping gives a column, and whether the
// mapping names it explicitly; "-" for a column it says is absent.
func (m *Mapping) header(c column) (string, bool) {
	if h := *columns[c].field(m); h != "" {
		return h, true
	}
	return columns[c].def, false
}

// ErrMapping reports a Mapping that cannot be used. Test with errors.Is.
var ErrMapping = errors.New("invalid column mapping")

// Check reports every problem of the mapping, joined, each wrapping
// ErrMapping: a delimiter that is not one character (or is a quote, a
// newline or a character a header needs), a system with a ':', values of
// States or Sources that name no state or source, two keys of States or
// Sources that differ only in case (values match case-insensitively, so
// which one applies could not be told), and two columns mapped to one
// header. Read checks the mapping first.
func (m Mapping) Check() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s", ErrMapping, fmt.Sprintf(format, args...)))
	}
	if m.Delimiter != "" {
		r, n := utf8.DecodeRuneInString(m.Delimiter)
		if n != len(m.Delimiter) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' || r == 0xFEFF {
			bad("delimiter %q: want one character other than a quote or a newline", m.Delimiter)
		}
	}
	if strings.Contains(m.System, ":") || strings.TrimSpace(m.System) != m.System {
		bad("system %q must not contain ':' or surrounding spaces", m.System)
	}
	for _, k := range sortedKeys(m.States) {
		if _, err := entitlement.ParseGrantState(m.States[k]); err != nil {
			bad("states[%q]: %v", k, err)
		}
	}
	for _, k := range sortedKeys(m.Sources) {
		if _, err := entitlement.ParseGrantSource(m.Sources[k]); err != nil {
			bad("sources[%q]: %v", k, err)
		}
	}
	for _, vm := range []struct {
		name string
		m    map[string]string
	}{{"states", m.States}, {"sources", m.Sources}} {
		keys := sortedKeys(vm.m)
		for i, k := range keys {
			for _, prev := range keys[:i] {
				if strings.EqualFold(prev, k) {
					bad("%s: %q and %q differ only in case, and values match case-insensitively: which is meant cannot be told", vm.name, prev, k)
				}
			}
		}
	}
	seen := map[string]column{}
	for c := range ncolumns {
		h, _ := m.header(c)
		if h == none {
			continue
		}
		n := normalize(h)
		if n == "" {
			bad("%s: the header %q is blank", columns[c].def, h)
			continue
		}
		if prev, dup := seen[n]; dup {
			bad("%s and %s both read the column %q", columns[prev].def, columns[c].def, h)
			continue
		}
		seen[n] = c
	}
	return errors.Join(errs...)
}

// ReadMapping reads a Mapping from JSON, called name in errors: an object
// whose members are the Mapping's JSON names. Unknown members are an
// error, so a misspelt column name is never silently ignored, and so is a
// member name given twice in one object — in the mapping or in its states
// and sources, names compared case-insensitively (Unicode simple folding)
// since members and the values of states and sources match that way —
// since which of the two was meant cannot be told. The mapping is checked
// (see Check).
//
// Every error wraps ErrMapping; one about a place in the file is an
// *entitlement.RecordError naming the file, the line, the record
// "mapping" and the member's path ("states.Enabled"), and a repeated name
// also wraps entitlement.ErrDuplicate.
//
//	{"identity": "User Name", "entitlement": "Permission", "system": "sap",
//	 "delimiter": ";", "states": {"Enabled": "active", "Removed": "revoked"}}
func ReadMapping(name string, r io.Reader) (Mapping, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Mapping{}, &entitlement.RecordError{File: name, Err: fmt.Errorf("%w: reading: %w", ErrMapping, err)}
	}
	if err := checkMappingJSON(name, data); err != nil {
		return Mapping{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		return Mapping{}, mappingError(name, data, err)
	}
	if dec.More() {
		return Mapping{}, &entitlement.RecordError{File: name, Line: lineAt(data, dec.InputOffset()), Type: "mapping",
			Err: fmt.Errorf("%w: data after the mapping object", ErrMapping)}
	}
	if err := m.Check(); err != nil {
		var errs []error
		for _, e := range entitlement.Errors(err) {
			errs = append(errs, &entitlement.RecordError{File: name, Type: "mapping", Err: e})
		}
		return Mapping{}, errors.Join(errs...)
	}
	return m, nil
}

// mappingNames are the JSON names of Mapping's fields.
var mappingNames = func() []string {
	var out []string
	t := reflect.TypeFor[Mapping]()
	for i := range t.NumField() {
		n, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, n)
	}
	return out
}()

// checkMappingJSON reports every member name given twice in one object of
// a mapping file, at any depth, and every unknown member of the mapping.
// Malformed JSON is left to encoding/json,
// which says what is wrong with it.
func checkMappingJSON(name string, data []byte) error {
	jr := jsonpull.NewReader(bytes.NewReader(data))
	var errs []error
	var path []string
	var walk func() error
	walk = func() error {
		switch jr.Peek() {
		case jsonpull.Object:
			var seen []string
			return jr.Object(func(key string) error {
				line := jr.Pos().Line
				path = append(path, key)
				defer func() { path = path[:len(path)-1] }()
				for _, s := range seen {
					if strings.EqualFold(s, key) {
						err := fmt.Errorf("%w: %w: member %q appears twice in one object", ErrMapping, entitlement.ErrDuplicate, key)
						if s != key {
							err = fmt.Errorf("%w: %w: member %q appears twice in one object (first as %q: names match case-insensitively)",
								ErrMapping, entitlement.ErrDuplicate, key, s)
						}
						errs = append(errs, &entitlement.RecordError{File: name, Line: line, Type: "mapping", Field: strings.Join(path, "."), Err: err})
						return walk()
					}
				}
				seen = append(seen, key)
				if len(path) == 1 && !slices.ContainsFunc(mappingNames, func(n string) bool { return strings.EqualFold(n, key) }) {
					errs = append(errs, &entitlement.RecordError{File: name, Line: line, Type: "mapping", Field: key,
						Err: fmt.Errorf("%w: unknown field %q%s", ErrMapping, key, suggest.Hint(key, mappingNames))})
				}
				return walk()
			})
		case jsonpull.Array:
			return jr.Array(func(int) error { return walk() })
		}
		return jr.Skip()
	}
	if err := walk(); err != nil {
		return nil // malformed: encoding/json reports it
	}
	return errors.Join(errs...)
}

// mappingError places an encoding/json error on its line.
func mappingError(name string, data []byte, err error) error {
	e := &entitlement.RecordError{File: name, Type: "mapping", Err: fmt.Errorf("%w: %v", ErrMapping, err)}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		e.Line = lineAt(data, se.Offset)
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		e.Line, e.Field = lineAt(data, te.Offset), te.Field
	}
	return e
}

// lineAt returns the 1-based line of a byte offset.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// normalize folds a header for matching: lower case, no surrounding
// space, ' ' and '-' read as '_'.
func normalize(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, h)
}

// lookup finds a value of a States or Sources map, case-insensitively.
func lookup(m map[string]string, v string) (string, bool) {
	if s, ok := m[v]; ok {
		return s, true
	}
	for _, k := range sortedKeys(m) {
		if strings.EqualFold(k, v) {
			return m[k], true
		}
	}
	return "", false
}
