// Package scan runs every sodkit check over a bundle and builds the
// report: the one call a governance job, a CI step or the sodkit command
// needs. It composes the check packages (lifecycle, raci, breakglass, sod),
// which never import each other, and adds the governance figures none of
// them can compute alone.
//
// It adds no check of access of its own, parses no input (package bundle
// does, for Stream too) and decides no gate: the caller picks what fails,
// for example with audit.Report.Failing. For one check, or a question
// before a grant is made (sod.Engine.Decide), use the check package
// itself.
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
// Annotate gives findings from elsewhere (a what-if decision's) the same
// location, names and owner, through the same code.
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
//
// # Choosing checks
//
// RunWith and StreamWith take Options that name packages ("sod", "raci",
// …) and kinds ("raci.no-owner") to run only or to skip: a package with no
// kind selected does not run at all, and findings of a kind not selected
// are dropped; the report's Kinds are the selected ones. Run and Stream
// run everything. An unknown name is an error, with the closest name as a
// suggestion.
//
// # Waivers
//
// Once every finding is in, the bundle's waivers (audit.Waiver, the
// "waivers" section) are applied in one place, so every entry point and
// every format sees the same result. A finding a waiver names, while the
// waiver is in force (before its expiry) and its owner is an active person
// or a party with an active person in it (raci.ActiveOwner), gets status
// audit.Waived and the waiver in its evidence; it keeps its ID, stays in
// the report and no longer fails a gate. The first such waiver, in input
// order, is the one named; a mitigated finding stays mitigated. Waivers
// apply whatever the Options choose.
//
// Problems with waivers are findings scan reports itself, in its own kind
// table (package "waiver"): a waiver at or past its expiry
// (KindWaiverExpired; high while a finding it named needs action again), a
// waiver in force without an active owner, which waives nothing
// (KindWaiverUnowned), and a waiver in force that names no finding of the
// scan (KindWaiverUnused; only when the scan ran every kind the waiver
// could name). A waiver naming a kind no check reports, or a kind about
// waivers, is an error when the scan starts.
//
// # Splitting a scan
//
// Each identity's checks depend only on the identity and the directory,
// so a scan too large for one machine splits by identity
// (docs/scale.md): Options.Shard{Index: i, Count: n} checks the
// identities whose ID hashes to shard i of n (Shard.Owns: 64-bit FNV-1a
// of the ID, modulo n — a fixed rule, the same everywhere), and its report
// is partial (audit.Partial). Shard 0 also reports what is about no single
// identity: the findings of each check's Finish (told, cheaply, of the
// identities it does not check), the importers' notes, and the figures
// taken from the directory. Waivers are applied to each shard's findings,
// and each shard tallies, per waiver, how many findings it names and how
// many still need action; the findings about waivers need every shard's
// tallies. Merge checks that the parts are every shard of one scan (same
// inputs, evaluation time, release and choice of checks), adds their
// findings, sums their tallies and figures, and makes the findings about
// waivers with the code a single scan uses: the merged report is the
// report of one scan, byte for byte in every format.
//
// A shard still reads, parses and validates every input (twice, with
// Stream): splitting divides the checks, not the reading.
//
// # Progress
//
// Options.Progress is called after each identity a scan takes in, with
// the number taken in and the bundle's total, from one goroutine at a
// time; the scan reads no clock, so the caller decides how often to show
// it (sodkit check --progress shows it at most a few times a second).
package scan
