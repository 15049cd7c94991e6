// Package scim reads SCIM 2.0 exports of Users and Groups (RFC 7643, RFC
// 7644) — what Okta, Microsoft Entra ID, OneLogin, JumpCloud and most
// identity providers export or serve — into entitlement records, so
// sodkit's checks run over the access an identity provider grants.
//
// A Reader reads ListResponse files (the body of GET /Users and GET
// /Groups, one page or many) one resource at a time, then Import resolves
// membership and nesting across every file and returns an importer.Import:
// an inventory, the records it implies, where each record was read and
// the data-quality notes of the read. Load it with bundle files through
// bundle.LoadWith, which validates everything together, or name the files
// to bundle.LoadFileSet, as the sodkit check --scim flag does;
// docs/importers.md shows the whole flow.
//
// # Mapping
//
// With System "okta" (Options.System; "scim" by default):
//
//	SCIM                                   sodkit
//	User                                   entitlement.Identity, kind human
//	  id (or userName, see Options.Key)    Identity.ID
//	  displayName, else userName           Identity.Name
//	  active                               Status: true → active, false → disabled
//	  entitlements[].value  v              entitlement "okta:v" (implied) and a grant of it
//	  roles[].value  v                     role "okta:role/v" (implied, empty) and a grant of it
//	  groups[] of type direct (or none)    a grant of the group's role
//	  groups[] of type indirect            derived from the nesting, not granted (see below)
//	  enterprise manager.value             Identity.Manager (the manager's identity ID)
//	  enterprise department  d             Identity.Team = party "okta:department/d" (implied)
//	Group                                  role "okta:group/<id>", named by displayName (implied)
//	  members[] that are users             a grant of the role to each
//	  members[] that are groups            the member group's role inherits this role
//
// Grants made from SCIM are active, have no source, request, approval,
// reason or policy basis (SCIM records none), and are named
// "<identity>/<target>": "00u1abc/okta:group/00g2def". Every identity is a
// human: SCIM has no standard way to mark a service account.
//
// # Groups, nesting and derived access
//
// A group G that is a member of group P means G's members are members of
// P. The reader expresses that as role inheritance — role G inherits role
// P — so a user directly in G holds one grant (of G) and reaches P through
// the role graph, with the path grant → role G → role P in every finding.
// Indirect memberships are therefore derived, never granted a second time:
// a user's groups entry of type "indirect" is only checked against the
// derivation, and granted (with a note) when the exports' nesting does not
// explain it.
//
// Nesting is resolved transitively and never followed in a loop. Groups
// that nest in a cycle (A in B, B in A) are noted, naming a cycle; the
// nesting inside the cycle is dropped, and a member of any group of the
// cycle is granted every one of them, which is exactly the access the
// cycle confers. A group that lists itself is noted and the entry ignored.
//
// A member is a user or a group by its "type", else by its "$ref"
// (".../Users/..." or ".../Groups/..."), else by which resource its value
// names. When the exports hold users, a member that is not among them is
// noted and skipped. When they hold groups only, members that are not
// groups are taken as users defined elsewhere and returned in the
// import's Grants, for bundle.LoadWith to attach to identities of a bundle
// file. A group a user's groups attribute names that no groups export
// holds still becomes a role (noted when groups were read).
//
// # Implied records
//
// SCIM says who holds what, not what a group or an entitlement means:
// roles, entitlements and parties made from it are returned in the
// import's Implied records, and a bundle file may define a record with the
// same ID to give it content — an entitlement's risk and owner, the entitlements a
// group's role grants. Rules may name the roles of groups directly (a sod
// duty lists roles), so a toxic combination of two groups needs no
// catalogue at all.
//
// # What identity providers send
//
// Attribute names match case-insensitively ("UserName", "Active"), as RFC
// 7643 §2.1 says; a null attribute is an absent one (§2.5); unknown
// attributes and extensions are skipped. The reader also tolerates, and
// records as an importer.Note, each of these:
//
//   - "active" as a string or number ("False", "true", "0", "yes",
//     "disabled"), read as the boolean it spells (Coerced); absent, null or
//     unreadable, read as active (Defaulted), since an account its provider
//     did not mark inactive can sign in;
//   - a single object, string or number where a list belongs, read as a
//     one-element list; plain strings where {"value": …} objects belong;
//     numbers and booleans where strings belong (Coerced);
//   - the enterprise manager as a bare id (Entra ID sends one), and
//     enterprise attributes written with their full URN
//     ("urn:…:enterprise:2.0:User:department") (Coerced);
//   - a type from meta.resourceType when schemas lack the core URN, and a
//     ListResponse without schemas (Coerced, Defaulted);
//   - a UTF-8 byte-order mark (Coerced);
//   - a value listed twice, an element without a value, a member or
//     manager that names no one, a resource of another type (Ignored);
//   - a resource repeated with the same attributes, as overlapping pages
//     produce (Ignored; a repeat with different attributes is an error);
//   - exports whose totalResults exceed what their pages hold (Ignored:
//     the missing resources are not checked);
//   - memberships listed on only one side, unexplained indirect
//     memberships and nesting cycles (Resolved, keeping every access).
//
// Input that cannot be read as SCIM is an error naming the file, line,
// record and field: malformed JSON, a file that is not a ListResponse, a
// resource that is not an object or cannot be told a User or a Group, a
// user or group without an id, and a member name given twice in one
// object. A repeated name is an error wherever it is — {"value": "c",
// "value": "b"} in entitlements, members, emails or the enterprise
// manager, an attribute given twice in two cases, an attribute the reader
// skips — since which value the provider meant cannot be told; so is an
// enterprise attribute given both in the extension object and under its
// fully qualified name.
//
// # userName keys
//
// RFC 7643 §4.1.1 makes userName case-insensitive. With KeyUserName, two
// users whose userNames differ only in case are one person given twice
// (an error), and the import's FoldIdentities is set, so bundle.LoadWith
// matches other inputs' identities to these in any case (see
// docs/importers.md). Case is compared by Unicode simple case folding,
// as strings.EqualFold does.
package scim
