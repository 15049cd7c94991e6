package grantcsv_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
)

// readAcme reads testdata/acme: an SAP-like export with a byte-order mark,
// ';' between cells, its own headers and states, and the usual slips.
func readAcme(t testing.TB) importer.Import {
	t.Helper()
	mf, err := os.Open(filepath.Join("testdata", "acme", "map.json"))
	require.NoError(t, err)
	defer mf.Close()
	m, err := grantcsv.ReadMapping("map.json", mf)
	require.NoError(t, err)
	f, err := os.Open(filepath.Join("testdata", "acme", "grants.csv"))
	require.NoError(t, err)
	defer f.Close()
	im, err := grantcsv.Read("grants.csv", f, m)
	require.NoError(t, err)
	return im
}

func TestAcmeExport(t *testing.T) {
	im := readAcme(t)
	type row struct {
		grant, entitlement string
		state              entitlement.GrantState
		start              time.Time
	}
	var got []row
	for _, id := range im.Grants {
		for _, g := range id.Grants {
			got = append(got, row{g.ID, g.Entitlement, g.State, g.Start})
		}
	}
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	require.Equal(t, []row{
		{"alice@acme.example/sap:F110", "sap:F110", entitlement.GrantActive, day(2026, 3, 2)},
		{"carol@acme.example/sap:MIRO", "sap:MIRO", entitlement.GrantActive, time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)},
		{"erin@acme.example/sap:MIRO", "sap:MIRO", entitlement.GrantActive, day(2026, 2, 1)},
		{"bob@acme.example/sap:F110", "sap:F110", entitlement.GrantRevoked, day(2025, 6, 1)},
		{"dave@acme.example/sap:SU01", "sap:SU01", entitlement.GrantActive, day(2026, 5, 1)},
		{"gus@acme.example/sap:FB60", "sap:FB60", entitlement.GrantActive, day(2025, 1, 1)},
	}, got, "Enabled and Removed map to active and revoked; Locked is no state and counts as active; the repeated row is read once")
	require.Equal(t, []string{
		`1 (file)=U+FEFF coerced`,
		`2 Approved On="2026-03-01 10:00:00" coerced`,
		`3 User Name="carol@acme.example " coerced`,
		`6 Status="Locked" defaulted`,
		`6 Valid To="2027-05-01" coerced`,
		`7 (row) ignored`,
	}, noted(im.Notes))
}

// TestDocsMapping keeps the mapping docs/importers.md shows equal to the
// one the acme tests read.
func TestDocsMapping(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "importers.md"))
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(doc), "```json\n")
	require.True(t, ok, "docs/importers.md shows a mapping")
	block, _, ok = strings.Cut(block, "```")
	require.True(t, ok)
	shown, err := grantcsv.ReadMapping("importers.md", strings.NewReader(block))
	require.NoError(t, err, "the mapping in the docs reads")
	f, err := os.Open(filepath.Join("testdata", "acme", "map.json"))
	require.NoError(t, err)
	defer f.Close()
	used, err := grantcsv.ReadMapping("map.json", f)
	require.NoError(t, err)
	require.Equal(t, used, shown)
}
