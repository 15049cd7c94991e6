package grantcsv_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/lifecycle"
)

// Example reads an SAP-style grant export with its own column names, and
// loads it with a bundle file that defines the people and the
// catalogue: bob, who left, still holds a payment entitlement.
func Example() {
	export := "User;Permission;Status;Valid From\n" +
		"ann;F110;Enabled;2026-03-02\n" +
		"bob;F110;Enabled;2025-06-01\n" +
		"bob;MIRO;Removed;2025-06-01\n"
	m := grantcsv.Mapping{Identity: "User", Entitlement: "Permission", State: "Status", Start: "Valid From",
		System: "sap", Delimiter: ";", States: map[string]string{"Enabled": "active", "Removed": "revoked"}}
	im, err := grantcsv.Read("grants.csv", strings.NewReader(export), m)
	if err != nil {
		fmt.Println(err)
		return
	}
	people := `{"format": "sodkit.bundle/v1",
	  "entitlements": [{"id": "sap:F110", "risk": "critical"}],
	  "identities": [
	    {"id": "ann", "kind": "human", "status": "active"},
	    {"id": "bob", "kind": "human", "status": "offboarded"}]}`
	b, err := bundle.LoadWith([]importer.Import{im},
		bundle.Source{Name: "people.json", Reader: strings.NewReader(people)})
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range lifecycle.Check(b.Index, at) {
		if f.Kind == lifecycle.KindInactiveHolder {
			fmt.Println(f.Message)
		}
	}
	// Output:
	// bob is offboarded but still holds 1 grant(s) in effect
}

func ExampleRead() {
	export := "identity,entitlement,state,expires\n" +
		"alice,erp:vendor.create,active,2026-12-31\n" +
		"alice ,erp:payment.release,Locked,2026-12-31 18:00:00\n"
	im, err := grantcsv.Read("grants.csv", strings.NewReader(export), grantcsv.Mapping{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range im.Grants[0].Grants {
		fmt.Println(g.ID, g.State, g.Expires.Format(time.RFC3339))
	}
	for _, n := range im.Notes {
		fmt.Println(n)
	}
	// Output:
	// alice/erp:vendor.create active 2027-01-01T00:00:00Z
	// alice/erp:payment.release active 2026-12-31T18:00:00Z
	// grants.csv:2: grant alice/erp:vendor.create: attribute expires = "2026-12-31": coerced: a date alone: in effect through that day, so it expires at the end of the day, 2027-01-01T00:00:00Z
	// grants.csv:3: grant alice/erp:payment.release: attribute expires = "2026-12-31 18:00:00": coerced: no time zone; read as UTC
	// grants.csv:3: grant alice/erp:payment.release: attribute identity = "alice ": coerced: surrounding spaces dropped
	// grants.csv:3: grant alice/erp:payment.release: attribute state = "Locked": defaulted: not a grant state; read as active (the access counts)
}

func ExampleRead_errors() {
	export := "identity,entitlement,expires\n" +
		"alice,F110,\n" +
		",erp:x,31/12/2026\n"
	_, err := grantcsv.Read("grants.csv", strings.NewReader(export), grantcsv.Mapping{})
	fmt.Println(err)
	// Output:
	// grants.csv:2: grant #0 of identity alice: field entitlement: invalid value: "F110" is not system-qualified ("system:name"); set the mapping's system (column 2)
	// grants.csv:3: grant #1: field identity: required: the identity is empty (column 1)
}

func ExampleReadMapping() {
	m, err := grantcsv.ReadMapping("map.json", strings.NewReader(`{
  "identity": "User Name", "entitlement": "Permission", "system": "sap", "delimiter": ";",
  "states": {"Enabled": "active", "Removed": "revoked"}
}`))
	fmt.Println(m.Identity, m.Entitlement, m.System, m.Delimiter, m.States["Removed"], err)
	_, err = grantcsv.ReadMapping("map.json", strings.NewReader(`{"identiy": "User Name"}`))
	fmt.Println(err)
	_, err = grantcsv.ReadMapping("map.json", strings.NewReader(`{
  "identity": "User Name",
  "states": {"Enabled": "active", "enabled": "revoked"}
}`))
	fmt.Println(err)
	// Output:
	// User Name Permission sap ; revoked <nil>
	// map.json:1: mapping: field identiy: invalid column mapping: unknown field "identiy" (did you mean "identity"?)
	// map.json:3: mapping: field states.enabled: invalid column mapping: duplicate: member "enabled" appears twice in one object (first as "Enabled": names match case-insensitively)
}

func ExampleMapping_Check() {
	m := grantcsv.Mapping{Entitlement: "role", States: map[string]string{"On": "enabled"}}
	fmt.Println(m.Check())
	m = grantcsv.Mapping{Entitlement: "role", Role: "-"}
	fmt.Println(m.Check())
	// Output:
	// invalid column mapping: states["On"]: invalid value: unknown grant state "enabled" (want requested, approved, active, revoked, expired)
	// invalid column mapping: entitlement and role both read the column "role"
	// <nil>
}

// ExampleRead_origins finds the row a grant was read from.
func ExampleRead_origins() {
	im, _ := grantcsv.Read("grants.csv", strings.NewReader("identity,entitlement\nann,erp:a\nbo,erp:b\n"), grantcsv.Mapping{})
	fmt.Println(im.Origins[importer.Record{Type: "grant", ID: "bo/erp:b", Parent: "identity bo"}])
	// Output: {grants.csv 3}
}
