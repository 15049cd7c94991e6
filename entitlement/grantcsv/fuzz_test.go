package grantcsv_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
)

// FuzzRead reads arbitrary bytes as a CSV grant export, with the default
// mapping, with the acme mapping and with no ID column. Reading never panics; an error is
// *entitlement.RecordError values naming the file (or a mapping error),
// returned with the zero import or with the import of the rows read
// without problems, which holds to everything a successful read does;
// a successful read gives unique generated grant IDs, one target per grant, every
// grant and implied entitlement with an origin line, implied entitlements
// that are sorted, distinct and system-qualified, and sorted notes naming
// the file.
//
// The seeds hold the testdata export and the quirks exporters are known
// to produce.
func FuzzRead(f *testing.F) {
	acme, err := os.ReadFile(filepath.Join("testdata", "acme", "grants.csv"))
	require.NoError(f, err)
	f.Add(acme)
	for _, s := range []string{
		"identity,entitlement\nalice,erp:a\n",
		"\ufeffIdentity , ENTITLEMENT,state\n a ,erp:a,Locked\n,,\na,erp:a,Locked\n",
		"identity,role,revoked_at,state,eligible\nb,r,2026-01-01 10:00:00,,x\n",
		"identity,entitlement,expires\na,erp:a,2026-13-45\n",
		"identity,entitlement\na,\"erp:a\nb\",extra\n",
		"identity,entitlement\r\na,erp:a\r\n",
		"User Name;Permission;Status\nalice;F110;Enabled\nbob;F110;Removed\n",
		"identity,entitlement\na,x:y#2\na,x:y\na,x:y\n",
		"id,identity,entitlement\na/x:y,b,q:r\n,a,x:y\n",
		"", "\n", "\"", "identity\n",
	} {
		f.Add([]byte(s))
	}
	mf, err := os.ReadFile(filepath.Join("testdata", "acme", "map.json"))
	require.NoError(f, err)
	acmeMap, err := grantcsv.ReadMapping("map.json", bytes.NewReader(mf))
	require.NoError(f, err)

	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range []grantcsv.Mapping{{}, acmeMap, {ID: "-"}} {
			im, err := grantcsv.Read("fuzz.csv", bytes.NewReader(data), m)
			if err != nil {
				errs := entitlement.Errors(err)
				require.LessOrEqual(t, len(errs), importer.MaxErrors+1)
				for _, e := range errs[:min(len(errs), importer.MaxErrors)] {
					re, ok := errors.AsType[*entitlement.RecordError](e)
					require.True(t, ok, "%T %v", e, e)
					require.Equal(t, "fuzz.csv", re.File)
				}
				if im.Name == "" {
					require.Zero(t, im, "a read that stopped returns no import")
					continue
				}
				require.False(t, errors.Is(err, importer.ErrSyntax), "a syntax error stops the file: no import of its rows")
			}
			require.Equal(t, "fuzz.csv", im.Name, "the import is named by its file")
			require.Len(t, im.Inputs, 1)
			require.Equal(t, int64(len(data)), im.Inputs[0].Bytes, "every byte hashed")
			require.True(t, slices.IsSortedFunc(im.Notes, importer.Note.Compare))
			for _, n := range im.Notes {
				require.Equal(t, "fuzz.csv", n.File)
				require.Positive(t, n.Line)
			}
			seen := map[string]bool{}
			for _, id := range im.Grants {
				require.NotEmpty(t, id.ID)
				require.Equal(t, strings.TrimSpace(id.ID), id.ID)
				for _, g := range id.Grants {
					if m.ID == "-" {
						require.False(t, seen[g.ID], "generated IDs are unique: %q", g.ID)
						seen[g.ID] = true
					}
					require.True(t, (g.Entitlement == "") != (g.Role == ""), "one target: %+v", g)
					require.True(t, g.State.Valid())
					o := im.Origins[importer.Record{Type: "grant", ID: g.ID, Parent: "identity " + id.ID}]
					_, line := o.File, o.Line
					require.Positive(t, line)
				}
			}
			require.True(t, slices.IsSortedFunc(im.Implied.Entitlements, func(a, b entitlement.Entitlement) int { return strings.Compare(a.ID, b.ID) }))
			for i, e := range im.Implied.Entitlements {
				require.NotEmpty(t, entitlement.SystemOf(e.ID), e.ID)
				if i > 0 {
					require.NotEqual(t, im.Implied.Entitlements[i-1].ID, e.ID)
				}
				o := im.Origins[importer.Record{Type: "entitlement", ID: e.ID, Parent: ""}]
				_, line := o.File, o.Line
				require.Positive(t, line)
			}
		}
	})
}
