package importer

import "github.com/sodkit/sodkit/audit"

// KindDataQuality is the finding kind of every data-quality note. Kinds
// describes it.
const KindDataQuality audit.Kind = "import.data-quality"

// kinds is the table of the finding kinds this package reports: its one
// kind's title, default severity, controls, remediation and help. Every
// finding is built from it (see Note.Finding).
var kinds = audit.KindTable{{
	Kind: KindDataQuality, Title: "Input read in a non-standard form", Severity: audit.Low,
	Controls:    []audit.Control{ac2, prAA01},
	Remediation: "Correct the record in the identity source or the export (or the column mapping); the note disappears once the input says what it means in the standard form.",
	Help: "An importer read a value in a non-standard form (info), replaced a missing value by its default, skipped a value it " +
		"could not use, or resolved an inconsistency (low): the report says what it did, so nothing is guessed silently.",
}}

// Kinds returns every finding kind this package reports: KindDataQuality, with its
// controls sorted (see audit.Control.Compare). The result is the caller's:
// it shares no memory with the package.
func Kinds() []audit.KindInfo { return kinds.All() }
