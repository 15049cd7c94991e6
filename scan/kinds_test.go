package scan_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/internal/kindtest"
	"github.com/sodkit/sodkit/scan"
)

// TestKinds checks the kinds of every check package together: complete
// descriptions, sorted, and no kind claimed by two packages.
func TestKinds(t *testing.T) {
	kinds := scan.Kinds()
	require.NoError(t, kindtest.Table("", kinds), "sorted, no kind twice, each fully described")
	packages := map[string]int{}
	for _, k := range kinds {
		pkg, _, _ := strings.Cut(string(k.Kind), ".")
		packages[pkg]++
	}
	require.Equal(t, map[string]int{"import": 1, "lifecycle": 9, "breakglass": 14, "raci": 22, "sod": 13, "waiver": 3}, packages,
		"every check package contributes its table, and scan its waiver kinds")
}

// TestReportCarriesKinds checks that Run and Stream give the report every
// kind a scan can report, and that every finding of the demo is of one of
// them, citing its kind's controls.
func TestReportCarriesKinds(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	ran, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)
	streamed, err := scan.Stream(func() ([]bundle.Source, func(), error) { return demo.Sources(), func() {}, nil }, time.Time{})
	require.NoError(t, err)
	for name, r := range map[string]audit.Report{"Run": ran, "Stream": streamed} {
		require.Equal(t, scan.Kinds(), r.Kinds, "%s sets the report's kinds", name)
		require.NoError(t, kindtest.Findings(r.Kinds, r.Findings), name)
	}
}
