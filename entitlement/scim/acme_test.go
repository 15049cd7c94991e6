package scim_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
)

// readAcme reads testdata/acme: an Okta- and Entra-flavoured export of
// seven users and five groups with the quirks those providers send.
func readAcme(t testing.TB, opts scim.Options) importer.Import {
	t.Helper()
	r, err := scim.NewReader(opts)
	require.NoError(t, err)
	for _, name := range []string{"users.json", "groups.json"} {
		f, err := os.Open(filepath.Join("testdata", "acme", name))
		require.NoError(t, err)
		err = r.Read(name, f)
		f.Close()
		require.NoError(t, err)
	}
	return r.Import()
}

func TestAcmeExport(t *testing.T) {
	im := readAcme(t, scim.Options{System: "okta", Key: scim.KeyUserName})
	type person struct {
		status  entitlement.IdentityStatus
		team    string
		manager string
		grants  []string
	}
	got := map[string]person{}
	for _, id := range im.Inventory.Identities {
		got[id.ID] = person{id.Status, id.Team, id.Manager, grantTargets(id)}
	}
	require.Equal(t, map[string]person{
		"alice@acme.example": {entitlement.IdentityActive, "okta:department/Finance", "fiona@acme.example", []string{"entitlement okta:erp-vendor-admin"}},
		"bob@acme.example":   {entitlement.IdentityDisabled, "okta:department/Treasury", "fiona@acme.example", []string{"role okta:group/00g3payrel"}},
		"carol@acme.example": {entitlement.IdentityActive, "", "", []string{"entitlement okta:erp-report-viewer", "role okta:group/00g1apclerks"}},
		"dave@acme.example":  {entitlement.IdentityActive, "okta:department/IT Operations", "fiona@acme.example", []string{"role okta:group/00g5opsa", "role okta:group/00g6opsb"}},
		"erin@acme.example":  {entitlement.IdentityActive, "okta:department/Finance", "fiona@acme.example", []string{"role okta:group/00g1apclerks", "role okta:group/00g4finleads"}},
		"fiona@acme.example": {entitlement.IdentityActive, "okta:department/Finance", "", []string{"role okta:role/Finance.Approver"}},
		"gus@acme.example":   {entitlement.IdentityDisabled, "", "", nil},
	}, got, `bob's "active": "False" makes him disabled, still in Payments-Release; erin's indirect membership is derived, not granted`)
	require.Equal(t, []string{
		`22 members="00u8gone" ignored`,
		`34 members=00g5opsa → 00g6opsb → 00g5opsa resolved`,
		`34 active="False" coerced`,
		`48 Entitlements="erp-report-viewer" coerced`,
		`51 active defaulted`,
		`56 urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department="IT Operations" coerced`,
		`57 manager="00u6fiona" coerced`,
		`86 manager="00u9cfo" ignored`,
		`95 active="false" coerced`,
	}, noted(im.Notes))
	index(t, im)
}
