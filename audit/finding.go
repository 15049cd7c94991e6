package audit

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Status says whether a finding still needs action.
//
// The zero Status is Open: a finding whose status was never set counts as a
// live problem.
type Status uint8

const (
	// Open is a problem that nothing mitigates.
	Open Status = iota
	// Mitigated is a problem covered by an active, approved exception. It is
	// still reported, never hidden, and names the exception in its evidence.
	Mitigated
	// Indeterminate means the check could not be evaluated (for example a
	// reference that does not resolve). It counts as failing unless the
	// caller decides otherwise.
	Indeterminate
	// Waived is a problem an owned waiver accepts until it expires (see
	// Waiver). It is still reported, never hidden, and names the waiver,
	// its owner and its expiry in its evidence; once the waiver expires
	// the finding is open again.
	Waived
)

var statusNames = [...]string{Open: "open", Mitigated: "mitigated", Indeterminate: "indeterminate", Waived: "waived"}

// String returns "open", "mitigated", "indeterminate" or "waived".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Failing reports whether a finding with status s should fail a gate: open
// and indeterminate findings fail, mitigated and waived ones do not.
// Unknown values fail.
func (s Status) Failing() bool { return s != Mitigated && s != Waived }

// MarshalText encodes s as its name.
func (s Status) MarshalText() ([]byte, error) {
	if int(s) >= len(statusNames) {
		return nil, fmt.Errorf("invalid status %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a status name.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if string(b) == n {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unknown status %q (want open, mitigated, indeterminate or waived)", b)
}

// Subject is what a finding is about: its type ("identity", "grant", "role",
// "entitlement", "rule", "exception", "session", "party", "observation", …) and
// ID, and, where known, the record's name for people. Within a type, IDs are
// those of the input records.
//
// The type and ID identify the subject; the name only shows it. Compare,
// FindingID and Report.Diff ignore the name, so a subject that gains,
// loses or changes its name is the same subject, and its findings keep
// their IDs. Compare subjects with Compare, not ==, which also compares
// names.
type Subject struct {
	// Type is the kind of record the finding is about, in lower case:
	// "identity", "grant", "rule", …
	Type string `json:"type"`
	// ID is the record's ID, as in the input ("alice", "g-1").
	ID string `json:"id"`
	// Name is the record's name for people, as in the input ("Alice
	// Brandt", "Bank Payment Approvers"), or "" when it has none or it is
	// not known. Checks leave it empty; scan.Run and scan.Stream fill it
	// from the bundle. The JSON report leaves it out when empty. It takes
	// no part in the finding's ID, its order, or in whether a finding
	// changed since a baseline.
	Name string `json:"name,omitempty"`
}

// String returns "type id", or "type id (name)" when the subject has a
// name other than its ID.
func (s Subject) String() string { return s.Type + " " + withName(s.ID, s.Name) }

// Compare orders subjects by type, then ID. Names do not take part: two
// subjects of the same type and ID compare equal whatever their names.
func (s Subject) Compare(t Subject) int {
	return cmp.Or(cmp.Compare(s.Type, t.Type), cmp.Compare(s.ID, t.ID))
}

// withName returns "id (name)", or id when name is empty or equal to id.
func withName(id, name string) string {
	if name == "" || name == id {
		return id
	}
	return id + " (" + name + ")"
}

// Step is one hop of an access path, such as {"role", "ap-clerk"}.
type Step struct {
	// Type is "grant", "role" or "entitlement".
	Type string `json:"type"`
	// ID is the ID of that grant, role or entitlement.
	ID string `json:"id"`
	// Name is the role's or entitlement's name for people, or "" when it
	// has none or it is not known. As with Subject.Name, checks leave it
	// empty and scan fills it from the bundle; it takes no part in the
	// finding's ID, and Evidence.Compare ignores it.
	Name string `json:"name,omitempty"`
}

// String returns "type id", or "type id (name)" when the step has a name
// other than its ID.
func (s Step) String() string { return s.Type + " " + withName(s.ID, s.Name) }

// Evidence is one fact supporting a finding: a labelled value, an access path
// (grant → role → … → entitlement), or both.
//
// Label and Value take part in the finding's ID (Path does not), so they
// must describe the input data, never the evaluation time: write "expires
// 2026-03-01T00:00:00Z", not "expired 3 days ago" (put ages in the Message
// instead).
type Evidence struct {
	// Label says what the fact is ("approved by", "expires"); it takes
	// part in the finding's ID.
	Label string `json:"label"`
	// Value is the fact itself (an ID, a time, a count), or "" when the
	// label or the path says it all; it takes part in the finding's ID.
	Value string `json:"value,omitempty"`
	// Path, when set, is the access path that explains the fact, from the
	// grant to the entitlement or role reached (grant → role → … →
	// entitlement). It takes no part in the finding's ID.
	Path []Step `json:"path,omitempty"`
}

// String renders the evidence on one line: "label: value via a → b",
// leaving out what is empty.
func (e Evidence) String() string {
	var b strings.Builder
	b.WriteString(e.Label)
	if e.Value != "" {
		b.WriteString(": ")
		b.WriteString(e.Value)
	}
	if len(e.Path) > 0 {
		if e.Value != "" || e.Label != "" {
			b.WriteString(" via ")
		}
		b.WriteString(PathString(e.Path))
	}
	return b.String()
}

// Compare orders evidence by label, value, then path (by each step's type
// and ID; names do not take part).
func (e Evidence) Compare(f Evidence) int {
	return cmp.Or(cmp.Compare(e.Label, f.Label), cmp.Compare(e.Value, f.Value),
		slices.CompareFunc(e.Path, f.Path, func(a, b Step) int {
			return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.ID, b.ID))
		}))
}

// PathString renders an access path as "grant g-1 → role ap-clerk → entitlement erp:vendor.create",
// each step with its name when it has one (see Step.String).
func PathString(p []Step) string {
	parts := make([]string, len(p))
	for i, s := range p {
		parts[i] = s.String()
	}
	return strings.Join(parts, " → ")
}

// Finding is one problem found by a check. It is data, never a Go error.
//
// A Finding's ID is derived from its Kind, Rule, Subject (type and ID) and
// the labels and values of its Evidence (see FindingID), so the same
// problem keeps the same ID across runs and reports can be diffed.
// Severity, Status, Message, Controls, Remediation, Location, Identity,
// Owner and the names of the subject and of path steps do not take part in
// the ID: a finding whose exception expires keeps its ID and changes status,
// one whose record moves to another line keeps its ID and changes location,
// and one whose owner leaves keeps its ID and changes owner.
//
// The zero Finding has severity Critical and status Open.
type Finding struct {
	// ID is the finding's stable ID, "sk-" and 20 hex digits (see
	// FindingID). KindInfo.New and WithID set it; an empty ID is never
	// deduplicated by Sort.
	ID string `json:"id"`
	// Kind is the kind of problem, such as "sod.toxic-combination".
	Kind Kind `json:"kind"`
	// Severity is how urgent the finding is: the kind's default unless the
	// check rated it otherwise. The zero Severity is Critical.
	Severity Severity `json:"severity"`
	// Status says whether the finding still needs action. The zero Status
	// is Open.
	Status Status `json:"status"`
	// Rule is the ID of the separation-of-duties rule the finding is
	// about (the rule violated, the rule an exception accepts), or "" when
	// no rule is involved.
	Rule string `json:"rule,omitempty"`
	// Subject is the record the finding is about.
	Subject Subject `json:"subject"`
	// Identity is the ID of the identity the finding is about, or "" when
	// it is about no single identity (a rule, a role, an entitlement, a
	// party, the RACI matrix, an exception for a whole party). It is the
	// subject itself when the subject is an identity (KindInfo.New sets
	// it then), and otherwise what the subject belongs to, as the checks
	// set it: a grant's holder, a break-glass session's user, the
	// emergency account a break-glass account record is, the identity an
	// sod exception covers, the account a target system showed (named as
	// the target system names it, even when the inventory does not know
	// it). Import data-quality notes about a grant carry no identity.
	//
	// Use it to gather everything about one identity (as "sodkit explain"
	// does) without reading evidence labels. The JSON report leaves it
	// out when empty. It takes no part in the finding's ID or order, nor
	// in whether a finding changed since a baseline.
	Identity string `json:"identity,omitempty"`
	// Location is where the subject's record was read, when known; the
	// zero Location is unknown, and the JSON report leaves it out.
	Location Location `json:"location,omitzero"`
	// Owner is who the input names as accountable for acting on the
	// finding: the ID of an active person or of a party with an active
	// member, or "" when no one is known (package scan documents the
	// rule it follows). The JSON report leaves it out when "". Like
	// Location it says where to take the finding, not what it is: it
	// takes no part in the ID, the report order or Report.Diff.
	Owner string `json:"owner,omitempty"`
	// Message says what is wrong, in one sentence for people. It may
	// mention the evaluation time ("expired 3 days ago"): it takes no part
	// in the ID.
	Message string `json:"message"`
	// Evidence is the facts that support the finding, in the order the
	// check gave them.
	Evidence []Evidence `json:"evidence,omitempty"`
	// Controls are the control references the finding cites, sorted by
	// Control.Compare with no duplicates when built by KindInfo.New or
	// WithID.
	Controls []Control `json:"controls,omitempty"`
	// Remediation says how to fix the problem, or "" when the check gives
	// no hint.
	Remediation string `json:"remediation,omitempty"`
}

// WithID returns a copy of f whose ID is derived from its kind, rule, subject
// and evidence, and whose controls are sorted and free of duplicates. The
// evidence order of f is kept; the ID does not depend on it.
//
// Checks build findings with KindInfo.New, which does the same. WithID is
// for findings put together field by field: decoded, edited in a test, or
// made by code that keeps no kind table.
func (f Finding) WithID() Finding {
	f.Controls = slices.Clone(f.Controls)
	slices.SortFunc(f.Controls, Control.Compare)
	f.Controls = slices.Compact(f.Controls)
	f.ID = FindingID(f.Kind, f.Rule, f.Subject, f.Evidence)
	return f
}

// FindingID derives the stable ID of a finding: "sk-" followed by 20 hex
// digits of a SHA-256 over the kind, rule, subject and the labels and values
// of the evidence, sorted. Every field is length-prefixed, so no two
// different inputs share an encoding.
//
// Access paths do not take part: they explain a finding, they do not
// identify it. A toxic combination that becomes reachable through one more
// grant, or whose shortest explanation changes, keeps its ID; one that
// touches a new entitlement or duty gets a new one, because that fact is in
// its evidence values.
func FindingID(kind Kind, rule string, subject Subject, evidence []Evidence) string {
	ev := make([]Evidence, len(evidence))
	for i, e := range evidence {
		ev[i] = Evidence{Label: e.Label, Value: e.Value}
	}
	slices.SortFunc(ev, Evidence.Compare)
	ev = slices.CompactFunc(ev, func(a, b Evidence) bool { return a.Label == b.Label && a.Value == b.Value })
	// The encoding is built in one buffer and hashed once.
	n := 64 + len(kind) + len(rule) + len(subject.Type) + len(subject.ID)
	for _, e := range ev {
		n += 16 + len(e.Label) + len(e.Value)
	}
	b := make([]byte, 0, n)
	put := func(s string) {
		b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	put("sodkit.finding.v1")
	put(string(kind))
	put(rule)
	put(subject.Type)
	put(subject.ID)
	b = binary.BigEndian.AppendUint64(b, uint64(len(ev)))
	for _, e := range ev {
		put(e.Label)
		put(e.Value)
	}
	sum := sha256.Sum256(b)
	return "sk-" + hex.EncodeToString(sum[:10])
}

// Compare orders findings for reports: by severity (most severe first), then
// kind, rule, subject (type, then ID) and finally ID. Sorting with
// slices.SortFunc(fs, Finding.Compare) gives the documented report order.
func (f Finding) Compare(g Finding) int {
	return cmp.Or(
		f.Severity.Compare(g.Severity),
		cmp.Compare(f.Kind, g.Kind),
		cmp.Compare(f.Rule, g.Rule),
		f.Subject.Compare(g.Subject),
		cmp.Compare(f.ID, g.ID),
	)
}

// Sort sorts findings in place into report order (see Finding.Compare) and
// drops any finding whose non-empty ID appeared earlier in that order. It
// returns the possibly shortened slice. Findings are large, so it sorts
// their positions and moves each finding once.
func Sort(fs []Finding) []Finding {
	if !slices.IsSortedFunc(fs, Finding.Compare) {
		order := make([]int32, len(fs))
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int { return fs[a].Compare(fs[b]) })
		sorted := make([]Finding, len(fs))
		for i, k := range order {
			sorted[i] = fs[k]
		}
		copy(fs, sorted)
	}
	seen := make(map[string]bool, len(fs))
	return slices.DeleteFunc(fs, func(f Finding) bool {
		if f.ID == "" {
			return false
		}
		dup := seen[f.ID]
		seen[f.ID] = true
		return dup
	})
}
