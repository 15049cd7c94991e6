// Package bundle reads sodkit's file format, the bundle (format
// "sodkit.bundle/v1", documented in docs/format.md): one or more JSON files
// holding the parties, the entitlement catalogue, the roles, the identities
// with their grants, what target systems were observed to hold, the
// sections of the check packages ("sod", "raci", "breakglass"), and the
// waivers: owned, expiring acceptances of findings. Loading merges the
// files into one Bundle and validates the whole, so references cross
// files.
//
// It does not run checks (package scan runs every check over a Bundle),
// does not read SCIM or CSV grant exports itself (entitlement/scim and
// entitlement/grantcsv do; this package merges their imports), and does not
// write bundle files.
//
// # Rules files
//
// ReadRules reads a rules file — a bundle file in JSON or in YAML, or an
// SoD ruleset in CSV (one row per risk, function and action, as ERP
// rulesets are published) — as a Source that loads like any bundle file:
// a YAML file is converted to the equivalent JSON, a CSV ruleset to the
// "sod" section it describes, and the loader's errors and origins name
// the file's own lines. FileSet.Rules names rules files for LoadFileSet
// and FileSet.Opener, as sodkit check --rules does.
//
// # Loading
//
// LoadFiles loads bundle files by name; Load loads them from readers
// (Source). LoadWith loads bundle files together with the imports of other
// exports (importer.Import), and LoadFileSet does it all from file names
// (FileSet: bundle and rules files, SCIM and CSV exports), as the sodkit
// check command does, "-" naming standard input (FileSet.Stdin); files
// named, there and by FileOpener, are checked to be files (ErrDirectory)
// holding something (ErrEmpty) before they are parsed. Each returns a
// *Bundle: the
// merged entitlement.Inventory, its validated entitlement.Index, the check
// sections as breakglass.Config, sod.Config and raci.Config, the waivers
// as audit.Waiver values (package scan applies them), each input's name,
// size and SHA-256 (audit.Input), the bundle's as-of time, and findings
// about the inputs themselves (data-quality notes of imports).
//
// Members may come in any order (files written with sorted keys load); a
// file's "format" member is checked before anything else in it is
// decoded, which costs reading the members before it twice, or holding
// them in memory for a reader that cannot seek (see Source).
//
// Loading is strict: unknown members, repeated members, wrong JSON types,
// unparsable times and durations, values over their length limit,
// duplicate IDs, dangling references, role cycles and impossible times are
// errors. Every problem is reported at once, up to MaxErrors, joined with
// errors.Join, each an *entitlement.RecordError naming the file, line,
// record and field and wrapping a sentinel (ErrSyntax, ErrType,
// ErrUnknownField, ErrFormat here, or one of the entitlement package's).
// A load that fails returns no Bundle.
//
// # Streaming
//
// Stream loads inputs too large to hold, in two passes over an Opener
// (FileOpener for files): the first loads and validates everything but the
// identities' grants and hands this directory to a Visitor's Begin; the
// second hands each identity, grants included and validated, to its
// Identity method. Memory grows with the number of identities and
// entitlements, not with the number of grants. scan.Stream runs every
// check this way.
//
// # Origins
//
// A Bundle remembers where each record was read: Bundle.Origin gives the
// file and line of a record by type and ID, Bundle.IdentityOrigin those of
// an identity and each of its grants. Package scan places each finding at
// the record it is about (audit.Finding's Location) from these.
//
// ParseDuration parses the format's durations (ISO 8601, exact units only);
// audit.FormatDuration writes them.
package bundle
