// Package importer holds what the importers of exports that are not
// bundle files share — entitlement/scim, entitlement/grantcsv, and your
// own:
//
//   - Import, the one shape every importer returns and bundle.LoadWith
//     takes: the records read, where each was read, and the notes of the
//     read;
//   - Origins, where each record was read, so an error found when the
//     records are validated with everything else names the file and line;
//   - Note, what an importer had to do to read a value (coerce it, default
//     it, skip it, resolve an inconsistency), which becomes a finding of
//     kind import.data-quality in every report;
//   - ErrSyntax, SyntaxError, MaxErrors and JoinErrors, the errors and the
//     limit every importer reports its problems with.
//
// # Data-quality notes
//
// Importers never fail on a quirk they can read unambiguously, and never
// guess silently: each coercion, default or omission becomes a Note that
// names the file, the line, the record and the attribute, and
// bundle.LoadWith turns the notes into findings (see Findings), so a report
// says which values were read in a form other than the standard one, which
// were defaulted and which were skipped. Input an importer cannot read at
// all is an error, not a note.
//
// # Writing an importer
//
// An importer reads its format into an Import: the records it defines in
// Inventory, the records it names but does not own in Implied, grants of
// identities defined elsewhere in Grants, a Note for each quirk, an Origin
// for each record, and an audit.Input for each file (audit.NewInputHasher
// hashes a file as it is read). Input it cannot read is reported as
// *entitlement.RecordError values naming the file, line, record and field,
// every problem of a file at once (JoinErrors). bundle.LoadWith then loads
// the import with bundle files and validates everything together;
// bundle.LoadFileSet composes the two importers of this module from file
// names, as sodkit check does.
//
// The package imports only entitlement and audit: importers sit beside the
// check packages, and bundle, which merges their imports, sits above them.
package importer
