// Package lifecycle checks grants over their life and identifiers for
// confusion: drift between what was granted and what target systems show,
// grants that should be time-bound, escalated or explained, access kept by
// identities that are no longer active, and IDs that look alike.
//
// Check runs every check over an entitlement.Index at an explicit time;
// Checker runs them one identity at a time for inventories streamed from
// files too large to hold (package scan wires both). Findings are
// audit.Finding values, in report order, with stable IDs.
//
// It changes nothing: it does not revoke, expire or rename anything, and
// it reads no files; it reports what the inventory (package entitlement)
// shows.
//
// # Finding kinds
//
// Kinds returns each kind with its title, default severity, the controls
// every finding of it cites, remediation and help; every finding is built
// from that table.
//
//	lifecycle.revoked-still-present  a revoked or expired grant whose access a target system still showed
//	lifecycle.unexplained-access     observed access no grant explains (unknown accounts and entitlements too)
//	lifecycle.no-expiry              a privileged or just-in-time grant without an expiry
//	lifecycle.over-max-duration      a grant or activation longer than its entitlement's maximum duration
//	lifecycle.escalation-skipped     privileged or high-risk access through the pre-approved standard path
//	lifecycle.missing-reason         a live grant with no business reason
//	lifecycle.missing-policy-basis   a live grant with no policy basis
//	lifecycle.inactive-holder        a disabled or offboarded identity with grants still in effect
//	lifecycle.lookalike-id           identity, entitlement or role IDs that differ but look alike
//
// # Look-alike IDs
//
// IDs are compared exactly everywhere else, so "alice" and "аlice" (with a
// Cyrillic а) are two identities, by design. The look-alike lint reports
// them, medium severity, citing NIST SP 800-53 Rev. 5 IA-4 (Identifier
// Management) and AC-2 (Account Management): one finding per group of
// identity IDs (and, separately, of entitlement IDs and of role IDs) that
// are equal once folded, its subject the group's first ID in byte order,
// its evidence every member in that order with each rune outside printable
// ASCII written as its code point ("<U+0430>lice", "bob<U+200B>"), then the
// key they fold to. Folding sets aside case (full case folding, ß is ss),
// compatibility forms (ﬁ, ｆ, ²), how accents are encoded (é or e and
// U+0301), default-ignorable code points (zero-width spaces and joiners,
// the soft hyphen, U+FEFF, variation selectors, bidirectional controls),
// and 66 Cyrillic and Greek letters that look like Latin letters (UTS #39
// confusables: а, е, о, р, с, х, ѕ, і, ј, Α, Β, Ο, Ρ, ν, ο, …; the full
// list is in internal/idfold). Latin look-alikes such as l, I and 1 are
// not folded together. Each ID is folded once and grouped by its key, so
// the cost is linear in the number of IDs.
package lifecycle
