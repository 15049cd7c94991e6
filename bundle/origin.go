package bundle

import (
	"slices"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// Origin is where a record was read: the input's name, as in the bundle's
// Inputs, and the line on which the record's object starts. The zero
// Origin means unknown.
type Origin struct {
	// File is the name of the input, as Source.Name and audit.Input.Name
	// give it; "" when unknown.
	File string `json:"file"`
	// Line is the 1-based line of File on which the record starts; 0 when
	// unknown.
	Line int `json:"line"`
}

// IdentityOrigin is where one identity and each of its grants were read.
type IdentityOrigin struct {
	// Origin is where the identity's record was read; the zero Origin when
	// unknown.
	Origin
	// Grants holds the origin of each of the identity's grants, in the
	// order of its Grants; nil when unknown. A grant an import added to an
	// identity another input defines has the import's origin; one whose
	// origin is unknown has the zero Origin.
	Grants []Origin
}

// Origin returns where the record of type typ with ID id was read — the
// first place, when several inputs hold it — for every record a loaded
// file or import holds: party, entitlement, role, identity, grant,
// observation and usage records, and the check sections' duty, rule,
// exception, account and session records. Types are named as errors name
// records. A grant is found through its holder. The File of an Origin is
// always the Name of one of b's Inputs; the Line is 0 when the input's
// reader kept none. ok is false for a record no input holds (built in Go,
// or read by an import that says nowhere where it read it), and, in a
// streamed bundle's directory, for grants: Stream hands each identity's
// grant origins to the Visitor instead.
func (b *Bundle) Origin(typ, id string) (Origin, bool) {
	if b.origins == nil || id == "" {
		return Origin{}, false
	}
	if typ == "grant" {
		if b.Index == nil {
			return Origin{}, false
		}
		_, holder, ok := b.Index.Grant(id)
		if !ok {
			return Origin{}, false
		}
		where := b.IdentityOrigin(holder)
		for i, g := range holder.Grants {
			if g.ID == id && i < len(where.Grants) {
				return where.Grants[i], where.Grants[i] != Origin{}
			}
		}
		return Origin{}, false
	}
	os := b.origins[recordKey(typ, id, "")]
	if len(os) == 0 {
		return Origin{}, false
	}
	o := b.input(Origin{File: os[0].file, Line: os[0].line})
	return o, o != Origin{}
}

// IdentityOrigin returns where id and each of its grants were read, as far
// as the bundle knows (see Origin).
func (b *Bundle) IdentityOrigin(id entitlement.Identity) IdentityOrigin {
	if b.origins == nil {
		return IdentityOrigin{}
	}
	where := identityOrigin(b.origins[recordKey("identity", id.ID, "")], len(id.Grants))
	where.Origin = b.input(where.Origin)
	for i := range where.Grants {
		where.Grants[i] = b.input(where.Grants[i])
	}
	if where.Origin == (Origin{}) && !slices.ContainsFunc(where.Grants, func(o Origin) bool { return o != Origin{} }) {
		return IdentityOrigin{}
	}
	return where
}

// input returns o when it names one of b's inputs, else the zero Origin:
// an import that kept no place for a record is named in errors by the
// import's name, which is no input.
func (b *Bundle) input(o Origin) Origin {
	if o.File == "" || !slices.ContainsFunc(b.Inputs, func(in audit.Input) bool { return in.Name == o.File }) {
		return Origin{}
	}
	return o
}

// identityOrigin turns the first origin of an identity record into an
// IdentityOrigin with n grant origins, when the record kept their lines
// and any import that added grants kept theirs.
func identityOrigin(os []origin, n int) IdentityOrigin {
	if len(os) == 0 {
		return IdentityOrigin{}
	}
	o := os[0]
	out := IdentityOrigin{Origin: Origin{File: o.file, Line: o.line}}
	if len(o.grants)+len(o.more) == n && n > 0 {
		out.Grants = make([]Origin, 0, n)
		for _, line := range o.grants {
			out.Grants = append(out.Grants, Origin{File: o.file, Line: int(line)})
		}
		out.Grants = append(out.Grants, o.more...)
	}
	return out
}
