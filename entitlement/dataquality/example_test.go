package dataquality_test

import (
	"fmt"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement/dataquality"
)

// Example turns what an importer noted while reading an export into
// findings for the report.
func Example() {
	notes := []dataquality.Note{
		{File: "users.json", Line: 34, Record: audit.Subject{Type: "identity", ID: "00u2bob"},
			Attribute: "active", Value: `"False"`, Action: dataquality.Coerced, Detail: "read as false"},
		{File: "groups.json", Line: 22, Record: audit.Subject{Type: "role", ID: "okta:group/00g3payrel"},
			Attribute: "members", Value: `"00u8gone"`, Action: dataquality.Ignored, Detail: "names no user in the exports; skipped"},
	}
	for _, f := range dataquality.Findings(notes) {
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
	n := dataquality.Note{File: "grants.csv", Line: 6, Record: audit.Subject{Type: "grant", ID: "dave/sap:SU01"},
		Attribute: "Status", Value: `"Locked"`, Action: dataquality.Defaulted, Detail: "not a grant state; read as active"}
	f := n.Finding()
	fmt.Println(f.Severity, f.Subject)
	for _, e := range f.Evidence {
		fmt.Println("-", e)
	}
	// Output:
	// low grant dave/sap:SU01
	// - file: grants.csv
	// - record: grant dave/sap:SU01
	// - attribute: Status
	// - value: "Locked"
	// - action: defaulted: not a grant state; read as active
}

func ExampleNote_String() {
	n := dataquality.Note{File: "users.json", Line: 51, Record: audit.Subject{Type: "identity", ID: "00u4dave"},
		Attribute: "active", Action: dataquality.Defaulted, Detail: "absent; read as active"}
	fmt.Println(n)
	// Output: users.json:51: identity 00u4dave: attribute active: defaulted: absent; read as active
}

func ExampleNote_Compare() {
	a := dataquality.Note{File: "users.json", Line: 9}
	b := dataquality.Note{File: "users.json", Line: 40}
	fmt.Println(a.Compare(b), b.Compare(a), a.Compare(a))
	// Output: -1 1 0
}

func ExampleAction_Severity() {
	for _, a := range []dataquality.Action{dataquality.Coerced, dataquality.Defaulted, dataquality.Ignored, dataquality.Resolved} {
		fmt.Println(a, a.Severity())
	}
	// Output:
	// coerced info
	// defaulted low
	// ignored low
	// resolved low
}

func ExampleFindings() {
	n := dataquality.Note{File: "groups.json", Line: 34, Record: audit.Subject{Type: "role", ID: "okta:group/00g5opsa"},
		Attribute: "members", Value: "00g5opsa → 00g6opsb → 00g5opsa", Action: dataquality.Resolved,
		Detail: "2 groups nest in a cycle"}
	fs := dataquality.Findings([]dataquality.Note{n, n})
	fmt.Println(len(fs), fs[0].Kind, fs[0].Severity)
	// Output: 1 import.data-quality low
}

// ExampleKinds describes the one kind of finding data-quality notes become.
func ExampleKinds() {
	k := dataquality.Kinds()[0]
	fmt.Println(k.Kind, k.Severity, k.Title)
	fmt.Println(k.Controls)
	// Output:
	// import.data-quality low Input read in a non-standard form
	// [NIST CSF 2.0 PR.AA-01 NIST SP 800-53 Rev. 5 AC-2]
}
