// Package entitlement holds the nouns of access governance and the one
// answer every check needs from them: who holds what, and why.
//
// It is not a check: it reports no findings (packages sod, raci,
// breakglass and lifecycle do), and it reads no files (package bundle and
// the importers under it do). It imports no other package of this module
// but internal machinery.
//
// # Records
//
// An Inventory holds the Parties (teams, queues and groups), the
// Entitlement catalogue (one grantable permission in one system, with its
// policy owner, fulfiller, approval path, risk and limits), the Roles (named
// bundles of entitlements and of other roles, inheritance forming a DAG),
// the Identities (people and non-human identities, with their owners and
// credentials), each with its Grants (a hold on an entitlement or a role,
// with its lifecycle: requested, approved, provisioned, revoked, certified,
// expiring), and what target systems showed (Observation) and credentials
// were used for (Usage). They are plain data: build them with literals, or
// load them from bundle files, where each field is the member of the same
// name in snake_case (PolicyOwner is "policy_owner"; docs/format.md).
// Every enumeration (Risk, IdentityKind, IdentityStatus, GrantState,
// GrantSource, PartyFunction) has a zero value that is unset or unknown,
// never a permissive default: validation rejects the required ones, and
// checks treat the others as the riskier case.
//
// # Validation
//
// Inventory.Validate, and NewIndex, which validates before it indexes,
// report every problem at once, joined with errors.Join, each a
// *RecordError naming the record and the field and wrapping a sentinel
// (ErrRequired, ErrInvalid, ErrDuplicate, ErrUnknownRef, ErrCycle,
// ErrTimeOrder, ErrConflict, ErrTooLong) to test with errors.Is; Errors
// unjoins them. Strings have length limits (MaxIDLength and its
// siblings; CheckLength). Index.ValidateGrants validates grants the index
// does not hold, such as a proposal.
//
// # Effective access
//
// An Index is a validated, read-only view of an Inventory, safe for
// concurrent use, with lookups by ID and party membership.
// Index.EffectiveAccess returns what an identity holds at a time once roles
// are expanded (Access), each entitlement and role (Holding) with every Path
// that explains it: the grant, then the shortest chain of roles to it.
// Index.Expand answers the same for proposed grants, and a Holder computes
// an identity's access once for every check that asks. Only grants in
// effect at the time count (Grant.InEffect); time is always a parameter.
package entitlement
