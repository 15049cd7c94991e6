// Package grantcsv reads CSV grant exports — one row per identity and
// entitlement or role, with optional columns for the grant's state,
// source, dates and actors — the form most target systems, IGA tools and
// spreadsheets can produce. A Mapping points the reader at the export's own
// column names; its zero value reads the bundle format's grant member names
// ("identity", "entitlement", "requested_by", …), and ReadMapping reads one
// from a small JSON file.
//
// Read streams the rows and returns an importer.Import: the grants, by
// identity, an implied entitlement for each entitlement the rows name, the
// row of each, and the notes of the read. A CSV export defines no
// identities; bundle.LoadWith attaches the grants to the identities a SCIM
// import or a bundle file defines, gives the implied entitlements the
// content a bundle file's catalogue has, and validates everything
// together, placing every error on the row it came from.
// bundle.LoadFileSet does it all from file names, as the sodkit check
// --csv and --csv-map flags do.
//
// Like entitlement/scim, the reader never fails on a quirk it can read
// unambiguously and never guesses silently: a time without a zone, spaces
// around an ID, a state the export spells its own way, a repeated row, each
// becomes an importer.Note (see Read). Rows it cannot read are errors
// naming the file, line, record and column. docs/importers.md lists the
// columns, the mapping and the notes, and the sodkit check --csv flag.
package grantcsv
