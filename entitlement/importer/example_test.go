package importer_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
)

// Example turns what an importer noted while reading an export into
// findings for the report.
func Example() {
	notes := []importer.Note{
		{File: "users.json", Line: 34, Record: audit.Subject{Type: "identity", ID: "00u2bob"},
			Attribute: "active", Value: `"False"`, Action: importer.Coerced, Detail: "read as false"},
		{File: "groups.json", Line: 22, Record: audit.Subject{Type: "role", ID: "okta:group/00g3payrel"},
			Attribute: "members", Value: `"00u8gone"`, Action: importer.Ignored, Detail: "names no user in the exports; skipped"},
	}
	for _, f := range importer.Findings(notes) {
		fmt.Println(f.Severity, f.Kind, f.Subject)
		fmt.Println(" ", f.Message)
	}
	// Output:
	// low import.data-quality role okta:group/00g3payrel
	//   groups.json:22: members "00u8gone": ignored: names no user in the exports; skipped
	// info import.data-quality identity 00u2bob
	//   users.json:34: active "False": coerced: read as false
}

func ExampleNote_Finding() {
	n := importer.Note{File: "grants.csv", Line: 6, Record: audit.Subject{Type: "grant", ID: "dave/sap:SU01"},
		Attribute: "Status", Value: `"Locked"`, Action: importer.Defaulted, Detail: "not a grant state; read as active"}
	f := n.Finding()
	fmt.Println(f.Severity, f.Subject, "at", f.Location)
	for _, e := range f.Evidence {
		fmt.Println("-", e)
	}
	// Output:
	// low grant dave/sap:SU01 at grants.csv:6
	// - file: grants.csv
	// - record: grant dave/sap:SU01
	// - attribute: Status
	// - value: "Locked"
	// - action: defaulted: not a grant state; read as active
}

func ExampleNote_String() {
	n := importer.Note{File: "users.json", Line: 51, Record: audit.Subject{Type: "identity", ID: "00u4dave"},
		Attribute: "active", Action: importer.Defaulted, Detail: "absent; read as active"}
	fmt.Println(n)
	// Output: users.json:51: identity 00u4dave: attribute active: defaulted: absent; read as active
}

func ExampleNote_Compare() {
	a := importer.Note{File: "users.json", Line: 9}
	b := importer.Note{File: "users.json", Line: 40}
	fmt.Println(a.Compare(b), b.Compare(a), a.Compare(a))
	// Output: -1 1 0
}

func ExampleAction_Severity() {
	for _, a := range []importer.Action{importer.Coerced, importer.Defaulted, importer.Ignored, importer.Resolved} {
		fmt.Println(a, a.Severity())
	}
	// Output:
	// coerced info
	// defaulted low
	// ignored low
	// resolved low
}

func ExampleFindings() {
	n := importer.Note{File: "groups.json", Line: 34, Record: audit.Subject{Type: "role", ID: "okta:group/00g5opsa"},
		Attribute: "members", Value: "00g5opsa → 00g6opsb → 00g5opsa", Action: importer.Resolved,
		Detail: "2 groups nest in a cycle"}
	fs := importer.Findings([]importer.Note{n, n})
	fmt.Println(len(fs), fs[0].Kind, fs[0].Severity)
	// Output: 1 import.data-quality low
}

func ExampleSyntaxError() {
	err := error(&entitlement.RecordError{File: "users.json", Line: 3,
		Err: &importer.SyntaxError{Format: "JSON", Msg: "invalid character '}'", Column: 9}})
	fmt.Println(err)
	fmt.Println(errors.Is(err, importer.ErrSyntax))
	// Output:
	// users.json:3: malformed JSON: invalid character '}' (column 9)
	// true
}

func ExampleJoinErrors() {
	var errs []error
	for line := 2; line < 1500; line++ {
		errs = append(errs, &entitlement.RecordError{File: "g.csv", Line: line, Err: entitlement.ErrRequired})
	}
	all := entitlement.Errors(importer.JoinErrors("g.csv", errs))
	fmt.Println(len(all))
	fmt.Println(all[0])
	fmt.Println(all[len(all)-1])
	// Output:
	// 1001
	// g.csv:2: required
	// g.csv: stopped after 1000 errors
}

func ExampleOrigins_Add() {
	var o importer.Origins
	grant := importer.Record{Type: "grant", ID: "ann/erp:a", Parent: "identity ann"}
	o.Add(grant, importer.Origin{File: "g.csv", Line: 2})
	o.Add(grant, importer.Origin{File: "g.csv", Line: 7}) // the same grant again: the first row is kept
	fmt.Println(o[grant])
	fmt.Println(o[importer.Record{Type: "grant", ID: "bo/erp:a", Parent: "identity bo"}])
	// Output:
	// {g.csv 2}
	// { 0}
}

// Example_ownImporter reads a format of its own — "identity:entitlement"
// lines — into an Import, and loads it with a bundle file that defines the
// people: the grant of someone no input defines is an error on its line.
func Example_ownImporter() {
	export := "ann:erp:invoice.post\nzed:erp:invoice.post\n"
	im := importer.Import{Name: "access.txt", Origins: importer.Origins{}}
	for i, line := range strings.Split(strings.TrimSpace(export), "\n") {
		who, ent, _ := strings.Cut(line, ":")
		g := entitlement.Grant{ID: who + "/" + ent, Entitlement: ent, State: entitlement.GrantActive}
		im.Grants = append(im.Grants, entitlement.Identity{ID: who, Grants: []entitlement.Grant{g}})
		im.Origins.Add(importer.Record{Type: "grant", ID: g.ID, Parent: "identity " + who}, importer.Origin{File: "access.txt", Line: i + 1})
	}
	im.Implied.Entitlements = []entitlement.Entitlement{{ID: "erp:invoice.post"}}
	people := `{"format": "sodkit.bundle/v1", "identities": [{"id": "ann", "kind": "human", "status": "active"}]}`
	_, err := bundle.LoadWith([]importer.Import{im}, bundle.Source{Name: "people.json", Reader: strings.NewReader(people)})
	fmt.Println(err)
	// Output:
	// access.txt:2: grant zed/erp:invoice.post of identity zed: unknown reference: no input defines identity "zed"
}
