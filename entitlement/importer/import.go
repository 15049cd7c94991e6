package importer

import (
	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

// Import is what an importer made of the inputs it read — entitlement
// records, where each was read, and the notes of the read — for
// bundle.LoadWith to merge with bundle files and validate together.
// entitlement/scim (Reader.Import) and entitlement/grantcsv (Read) return
// one; an importer of your own fills one in.
//
// The zero Import adds nothing. LoadWith does not modify an Import, but the
// bundle it loads shares the records' inner slices (a role's
// Entitlements, say): do not modify them while the bundle is in use.
type Import struct {
	// Name names the import in errors that no record of it explains and in
	// notes that name it, such as the identity provider ("okta") or the
	// file ("grants.csv"); empty means "import #N", its position in
	// LoadWith's list. It enters the ID of a note that names it (a
	// reference resolved to one of its identities in another case): keep
	// it stable from one run to the next.
	Name string
	// Inputs records each file the import read (name, size and SHA-256;
	// see audit.NewInputHasher), in the order read. They join the bundle's
	// Inputs, after the bundle files'.
	Inputs []audit.Input
	// Inventory holds the records the import defines. They merge like a
	// bundle file's: appended after the bundle files' records, in order; an
	// ID defined twice anywhere is a duplicate.
	Inventory entitlement.Inventory
	// Implied holds parties, entitlements and roles the import names but
	// does not own — a SCIM group's role, an entitlement a CSV row grants —
	// so a bundle file can give them content. Where a bundle file or an
	// import's Inventory defines a record with the same ID, the definition
	// is kept and the implied record only adds to it: a role's inherited
	// roles and entitlements, a party's members, and the name when the
	// definition has none. Otherwise the implied record is added; two
	// imports implying one ID merge the same way, the first kept. Implied
	// may hold nothing else.
	Implied entitlement.Inventory
	// Grants holds grants of identities the import does not define: each
	// entry's ID names an identity defined by a bundle file or by an
	// import's Inventory, and its Grants are appended to that identity's
	// (only ID and Grants are read). An identity no input defines is an
	// error (entitlement.ErrUnknownRef) for each of its grants.
	Grants []entitlement.Identity
	// Notes lists every coercion, default and omission of the read, in
	// input order (see Note.Compare). LoadWith turns them into findings
	// (see Findings), which join the bundle's Findings and so every
	// report.
	Notes []Note
	// Origins says where the import read each record, so an error
	// validation finds in it names the file and line; an error about a
	// record it does not hold names the import (see Name). Nil knows no
	// record.
	Origins Origins
	// FoldIdentities says the IDs of the identities in Inventory are not
	// case-sensitive, as SCIM userNames are (RFC 7643 §4.1.1; the SCIM
	// importer sets it for identities keyed by userName). Case is compared
	// by Unicode simple case folding, as strings.EqualFold compares. Then,
	// when LoadWith merges the inputs:
	//
	//   - an identity of any other input whose ID differs from one of
	//     them only in case is the same identity defined twice: an error
	//     (entitlement.ErrDuplicate), as an exact repeat is;
	//   - an entry of any import's Grants, and an actor of an imported
	//     grant (requested, approved, provisioned, revoked or certified
	//     by), naming one of them in another case is resolved to it, and a
	//     note (Resolved) joins the bundle's findings.
	//
	// Every other reference must spell the ID exactly. The zero value
	// compares the import's IDs exactly, like every bundle file's.
	FoldIdentities bool
}
