package audit

import (
	"fmt"
	"time"
)

// Partial marks a report as one part of a scan split by identity into
// shards (see package scan: Options.Shard and Merge), and carries what
// merging the parts into the report of one scan needs beside the
// findings. A partial report is not an answer on its own: it holds the
// findings about the identities of its shard only (and, in shard 0, the
// findings about no single identity), with waivers applied to them, but
// none of the findings about the waivers themselves, which depend on
// every shard. Merge the parts before gating or diffing.
//
// The JSON report writes it as the member "partial", after "inputs"; a
// report with a nil Partial (every report but a shard's) has no such
// member, and its bytes are what they were before reports could be
// partial. ReadReport reads it strictly, like every other member.
type Partial struct {
	// Shard is the part's index, from 0 to Of-1.
	Shard int `json:"shard"`
	// Of is the number of parts the scan was split into, at least 1.
	Of int `json:"of"`
	// Only is the choice of checks the part ran with (scan's
	// Options.Only), as given; every part of one scan has the same.
	Only []string `json:"only,omitempty"`
	// Skip is the checks the part skipped (scan's Options.Skip), as
	// given; every part of one scan has the same.
	Skip []string `json:"skip,omitempty"`
	// Waivers are the bundle's waivers in input order, each with what
	// the part saw of it; every part of one scan lists the same waivers.
	Waivers []WaiverTally `json:"waivers,omitempty"`
}

// WaiverTally is one waiver of a scanned bundle as one part of a split
// scan saw it: the waiver's fields that the findings about it report,
// what the part's directory says of its owner and where it was read, and
// how many of the part's findings it names. Summing Matched and Lapsed
// over the parts gives the counts one scan of the whole bundle makes,
// from which the merge reports the waiver as that scan would.
type WaiverTally struct {
	// ID is the waiver's ID (Waiver.ID).
	ID string `json:"id"`
	// Kinds are the kinds it waives (Waiver.Kinds).
	Kinds []Kind `json:"kinds,omitempty"`
	// Subject narrows Kinds to one subject (Waiver.Subject).
	Subject Subject `json:"subject,omitzero"`
	// Findings are the IDs of the findings it waives (Waiver.Findings).
	Findings []string `json:"findings,omitempty"`
	// Owner is who answers for it (Waiver.Owner).
	Owner string `json:"owner,omitempty"`
	// Expires is when it stops applying (Waiver.Expires).
	Expires time.Time `json:"expires,omitzero"`
	// OwnerActive is whether the owner can answer for the waiver: an
	// active person, or a party with an active person in it.
	OwnerActive bool `json:"owner_active"`
	// OwnerDescription names the owner with what it is, as findings
	// about the waiver show it: "pat (human, offboarded)".
	OwnerDescription string `json:"owner_description"`
	// Location is where the waiver was read.
	Location Location `json:"location,omitzero"`
	// Matched is the number of the part's findings the waiver names.
	Matched int `json:"matched"`
	// Lapsed is the number of those that still fail a gate because no
	// waiver naming them applies.
	Lapsed int `json:"lapsed"`
}

// Waiver returns the waiver t describes, without its reason (which
// only the findings it waives carry).
func (t WaiverTally) Waiver() Waiver {
	return Waiver{ID: t.ID, Kinds: t.Kinds, Subject: t.Subject, Findings: t.Findings, Owner: t.Owner, Expires: t.Expires}
}

// check returns what is wrong with a partial report's member, for
// ReadReport: each problem names its field.
func (p *Partial) check() []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("field partial.%s: "+format, append([]any{field}, args...)...))
	}
	switch {
	case p.Of < 1:
		bad("of", "%d is not a number of shards (at least 1)", p.Of)
	case p.Shard < 0 || p.Shard >= p.Of:
		bad("shard", "%d is not a shard of %d (0 to %d)", p.Shard, p.Of, p.Of-1)
	}
	for i, w := range p.Waivers {
		switch {
		case w.ID == "":
			bad(fmt.Sprintf("waivers[%d].id", i), "missing")
		case w.Matched < 0 || w.Lapsed < 0 || w.Lapsed > w.Matched:
			bad(fmt.Sprintf("waivers[%d]", i), "waiver %s: %d lapsed of %d matched findings", w.ID, w.Lapsed, w.Matched)
		}
	}
	return errs
}
