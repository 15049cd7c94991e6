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
// Checks report IDs; scan adds the names people know records by. A
// finding's subject gets its name (audit.Subject.Name) when it is an
// identity, an emergency account, an entitlement, a role, a party or an
// sod rule that has one, and every role and entitlement on its evidence
// paths gets its name too (audit.Step.Name), from the bundle's directory,
// alike in Run and Stream. Names take no part in finding IDs. Which
// identity each finding is about (audit.Finding.Identity) the checks say
// themselves.
//
// The evaluation time is a parameter: a zero time means the bundle's own
// as_of, and with neither the scan fails with ErrNoTime rather than read
// the wall clock. Kinds lists every kind of finding a scan can report;
// every report carries it, so a SARIF report describes each kind, found or
// not.
package scan
