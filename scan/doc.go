// Package scan runs every sodkit check over a bundle and builds the
// report: the one call a governance job, a CI step or the sodkit command
// needs. It composes the check packages (lifecycle, raci, breakglass, sod),
// which never import each other, and adds the governance figures none of
// them can compute alone.
//
// It adds no check of its own, parses no input (package bundle does, for
// Stream too) and decides no gate: the caller picks what fails, for
// example with audit.Report.Failing. For one check, or a question before a grant is
// made (sod.Engine.Decide), use the check package itself.
//
// There is one way a scan runs, whether the bundle is in memory (Run) or
// streamed from files too large to hold (Stream): every check is started
// against the bundle's directory, each identity is handed to every check
// on all cores, and each check finishes with the findings that need every
// identity seen. Run is that run over the identities already in memory, so
// the two cannot drift apart.
//
// Each finding is placed at the record it is about (audit.Finding's
// Location: the input and line where the loader read it), in the same way
// by Run and Stream; a finding about no single record, such as a RACI
// activity across the whole matrix, is not placed.
//
// Each finding also gets its accountable owner (audit.Finding's Owner): who
// the input names as accountable for the record it is about, so a report
// can be grouped by who must act. The rule, in one place:
//
//   - an identity: a non-human identity's owner, then its secondary
//     owner, then its team; a person's manager, then their team;
//   - a grant: its holder's owner, as for an identity;
//   - a break-glass session: its controllers (the session's, else its
//     account's, else the break-glass policy's), in the order listed,
//     then its user's owner;
//   - an entitlement: the party accountable for define_policy in its
//     effective RACI matrix (its policy_owner unless a RACI override
//     replaces it), as "sodkit owners" shows it;
//   - a role, a sod rule or a sod exception: its owner;
//   - anything else (a party, a system's RACI, an account the inventory
//     does not know, an input): no owner.
//
// The owner is the first candidate who can act: an active person or a
// party with at least one active human member. One who cannot (an
// offboarded manager, a party whose members all left) is passed over, so
// no finding is routed to someone who cannot act on it; with nobody left,
// the finding has no owner, and reports show it as such. The owner is
// read from the records' fields, never from a finding's evidence, and
// takes no part in the finding's ID.
//
// The evaluation time is a parameter: a zero time means the bundle's own
// as_of, and with neither the scan fails with ErrNoTime rather than read
// the wall clock. Kinds lists every kind of finding a scan can report;
// every report carries it, so a SARIF report describes each kind, found or
// not.
package scan
