package importer_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement/importer"
)

func TestOriginsAdd(t *testing.T) {
	grant := importer.Record{Type: "grant", ID: "ann/erp:a", Parent: "identity ann"}
	other := importer.Record{Type: "grant", ID: "ann/erp:a", Parent: "identity bo"}
	var o importer.Origins
	require.Zero(t, o[grant], "a nil Origins knows no record")
	o.Add(grant, importer.Origin{File: "g.csv", Line: 2})
	o.Add(grant, importer.Origin{File: "g.csv", Line: 9})
	o.Add(other, importer.Origin{File: "h.csv", Line: 4})
	require.Equal(t, importer.Origins{
		grant: {File: "g.csv", Line: 2},
		other: {File: "h.csv", Line: 4},
	}, o, "Add makes a nil Origins; a record read twice is where it was first read; the parent tells two records with one ID apart")
}
