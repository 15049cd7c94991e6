package scan

import (
	"slices"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement/importer"
)

// Kinds returns every kind of finding a scan can report, sorted by kind:
// the data-quality notes of the importers (entitlement/importer), the
// kinds of every check scan runs, and scan's own findings about waivers
// (KindWaiverExpired and its siblings), each with its title, default
// severity, controls (sorted), remediation and help. Run and Stream set it
// as the report's Kinds, so a SARIF report describes every kind the scan
// could report, found or not; RunWith and StreamWith set the kinds their
// Options select. The result is the caller's.
func Kinds() []audit.KindInfo {
	out := importer.Kinds()
	for _, c := range checks {
		out = append(out, c.kinds()...)
	}
	out = append(out, waiverKinds.All()...)
	slices.SortFunc(out, audit.KindInfo.Compare)
	return out
}
