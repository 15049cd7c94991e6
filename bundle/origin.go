package bundle

import "github.com/sodkit/sodkit/entitlement"

// Origin is where a record was read: the input's name, as in the bundle's
// Inputs, and the line on which the record's object starts. The zero
// Origin means unknown.
type Origin struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// IdentityOrigin is where one identity and each of its grants were read.
type IdentityOrigin struct {
	Origin
	// Grants holds the origin of each of the identity's grants, in the
	// order of its Grants; nil when unknown.
	Grants []Origin
}

// Origin returns where the record of type typ with ID id was read — the
// first place, when several inputs hold it — for every record a loaded
// file or import holds: party, entitlement, role, identity, grant,
// observation and usage records, and the check sections' duty, rule,
// exception, account and session records. Types are named as errors name
// records. A grant is found through its holder. ok is false for a record no
// input holds (built in Go, or implied by an import without a line), and,
// in a streamed bundle's directory, for grants: Stream hands each
// identity's grant origins to the Visitor instead.
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
				return where.Grants[i], true
			}
		}
		return Origin{}, false
	}
	os := b.origins[recordKey(typ, id, "")]
	if len(os) == 0 || os[0].file == "" {
		return Origin{}, false
	}
	return Origin{File: os[0].file, Line: os[0].line}, true
}

// IdentityOrigin returns where id and each of its grants were read, as far
// as the bundle knows (see Origin).
func (b *Bundle) IdentityOrigin(id entitlement.Identity) IdentityOrigin {
	if b.origins == nil {
		return IdentityOrigin{}
	}
	return identityOrigin(b.origins[recordKey("identity", id.ID, "")], len(id.Grants))
}

// identityOrigin turns the first origin of an identity record into an
// IdentityOrigin with n grant origins, when the record kept their lines.
func identityOrigin(os []origin, n int) IdentityOrigin {
	if len(os) == 0 {
		return IdentityOrigin{}
	}
	o := os[0]
	out := IdentityOrigin{Origin: Origin{File: o.file, Line: o.line}}
	if len(o.grants) == n && n > 0 {
		out.Grants = make([]Origin, n)
		for i, line := range o.grants {
			out.Grants[i] = Origin{File: o.file, Line: int(line)}
		}
	}
	return out
}
