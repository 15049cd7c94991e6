package scim_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
	"github.com/sodkit/sodkit/lifecycle"
)

const exampleUsers = `{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
  "totalResults": 2,
  "Resources": [
    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
     "id": "00u1", "userName": "ann@example.com", "active": true},
    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
     "id": "00u2", "userName": "bo@example.com", "active": "False"}
  ]
}`

const exampleGroups = `{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
  "totalResults": 2,
  "Resources": [
    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
     "id": "00gA", "displayName": "Payments", "members": [{"value": "00gB", "type": "Group"}]},
    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
     "id": "00gB", "displayName": "Treasury", "members": [{"value": "00u1"}, {"value": "00u2"}]}
  ]
}`

// Example reads an identity provider's Users and Groups exports, loads them
// with a bundle file through bundle.LoadWith, and finds the deprovisioned
// user who still holds access.
func Example() {
	r, err := scim.NewReader(scim.Options{System: "okta"})
	if err != nil {
		panic(err)
	}
	for _, f := range []struct{ name, text string }{{"users.json", exampleUsers}, {"groups.json", exampleGroups}} {
		if err := r.Read(f.name, strings.NewReader(f.text)); err != nil {
			fmt.Println(err)
			return
		}
	}
	im := r.Import()
	for _, n := range im.Notes {
		fmt.Println("note:", n)
	}

	// A bundle file gives the Payments group's role its content.
	catalogue := `{"format": "sodkit.bundle/v1",
	  "entitlements": [{"id": "erp:payment.release", "risk": "critical", "privileged": true}],
	  "roles": [{"id": "okta:group/00gA", "entitlements": ["erp:payment.release"]}]}`
	b, err := bundle.LoadWith([]importer.Import{im},
		bundle.Source{Name: "catalogue.json", Reader: strings.NewReader(catalogue)})
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	access, _ := b.Index.EffectiveAccess("00u1", at)
	fmt.Println("00u1:", access.Entitlements[0].Paths[0])
	for _, f := range lifecycle.Check(b.Index, at) {
		if f.Kind == lifecycle.KindInactiveHolder {
			fmt.Println(f.Severity, f.Kind, f.Subject)
		}
	}
	// Output:
	// note: users.json:8: identity 00u2: attribute active = "False": coerced: read as false
	// 00u1: grant 00u1/okta:group/00gB → role okta:group/00gB → role okta:group/00gA → entitlement erp:payment.release
	// critical lifecycle.inactive-holder identity 00u2
}

func ExampleNewReader() {
	r, err := scim.NewReader(scim.Options{System: "entra", Key: scim.KeyUserName})
	fmt.Println(r != nil, err)
	_, err = scim.NewReader(scim.Options{System: "entra:prod"})
	fmt.Println(err)
	// Output:
	// true <nil>
	// scim: system "entra:prod" must not contain ':', '/' or surrounding spaces
}

func ExampleReader_Read() {
	r, _ := scim.NewReader(scim.Options{})
	err := r.Read("users.json", strings.NewReader(`{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
  "Resources": [
    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ann@example.com"}
  ]
}`))
	fmt.Println(err)
	// Output: users.json:4: user #0: field id: required: a user needs an id
}

func ExampleReader_Import() {
	r, _ := scim.NewReader(scim.Options{System: "okta"})
	_ = r.Read("users.json", strings.NewReader(exampleUsers))
	_ = r.Read("groups.json", strings.NewReader(exampleGroups))
	im := r.Import()
	for _, id := range im.Inventory.Identities {
		fmt.Println(id.ID, id.Status, id.Grants[0].ID)
	}
	for _, ro := range im.Implied.Roles {
		fmt.Println(ro.ID, ro.Name, ro.Inherits)
	}
	// Output:
	// 00u1 active 00u1/okta:group/00gB
	// 00u2 disabled 00u2/okta:group/00gB
	// okta:group/00gA Payments []
	// okta:group/00gB Treasury [okta:group/00gA]
}

// ExampleReader_Import_origins finds where a grant was read: groups
// alone were read, so the grant is of a user defined elsewhere, and its
// line is the group's member entry.
func ExampleReader_Import_origins() {
	r, _ := scim.NewReader(scim.Options{System: "okta"})
	_ = r.Read("groups.json", strings.NewReader(exampleGroups))
	im := r.Import()
	fmt.Println(im.Origins[importer.Record{Type: "grant", ID: "00u2/okta:group/00gB", Parent: "identity 00u2"}])
	fmt.Println(im.Grants[1].ID, "is defined elsewhere: only groups were read")
	// Output:
	// {groups.json 8}
	// 00u2 is defined elsewhere: only groups were read
}

func ExampleParseKey() {
	k, err := scim.ParseKey("username")
	fmt.Println(k, err)
	// Output: userName <nil>
}
