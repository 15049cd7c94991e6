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
// Kinds lists every kind of finding a scan can report; every report
// carries it, so a SARIF report describes each kind, found or not.
//
// # Evaluation time
//
// Run and Stream take the evaluation time, at, as a parameter, and never
// read the wall clock. It is the instant every check judges: which grants,
// exceptions and sessions are in effect, what has expired, which reviews,
// recertifications and credential rotations are overdue, how long access
// has been dormant, and the FigureMonths months the monthly figures
// cover. The report records it as EvaluatedAt (written in UTC; the zone of
// at does not matter, only the instant).
//
// What to pass depends on the question:
//
//   - the zero time, or b.AsOf: the export as of when it was taken. The
//     report depends only on the files, so re-running last week's export
//     gives last week's report, and two runs diff cleanly. This is what
//     sodkit check does unless given --at.
//   - time.Now(): the export as of today. Findings change as days pass with
//     the files unchanged (an exception expires, a review falls overdue):
//     what a daily job asking "what is wrong now" wants; diffed against a
//     baseline, such a report also shows what changed only because time
//     passed.
//   - any other instant, to ask what a past or future date would show.
//
// A zero at with a bundle that declares no as_of (a bundle made from
// exports that carry no date, such as SCIM alone) fails with ErrNoTime
// before any check runs: pass the time explicitly. The sodkit command then
// uses the wall clock, as --at's help says.
package scan
