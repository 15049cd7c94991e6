package scan

import (
	"slices"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/entitlement/dataquality"
	"github.com/sodkit/sodkit/lifecycle"
	"github.com/sodkit/sodkit/raci"
	"github.com/sodkit/sodkit/sod"
)

// Kinds returns every kind of finding a scan can report, sorted by kind:
// the data-quality notes of the importers (entitlement/dataquality) and the
// kinds of lifecycle, breakglass, raci and sod, each with its title,
// default severity, controls (sorted), remediation and help. Run and
// Stream set it as the report's Kinds, so a SARIF report describes every
// kind the scan could report, found or not. The result is the caller's.
func Kinds() []audit.KindInfo {
	out := slices.Concat(dataquality.Kinds(), lifecycle.Kinds(), breakglass.Kinds(), raci.Kinds(), sod.Kinds())
	slices.SortFunc(out, audit.KindInfo.Compare)
	return out
}
