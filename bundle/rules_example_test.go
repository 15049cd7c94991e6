package bundle_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
)

// ExampleReadRules reads an SoD ruleset as ERP rulesets are published —
// one row per risk, function and action — and loads it with a catalogue:
// each risk is a rule, each function a duty and one side of it.
func ExampleReadRules() {
	catalogue := `{"format": "sodkit.bundle/v1", "entitlements": [
  {"id": "sap:FK01"}, {"id": "sap:FK02"}, {"id": "sap:F110"}]}`
	ruleset := `Risk ID,Risk Title,Risk Level,Function ID,Function Name,System,Action
P001,Maintain vendors and pay them,High,VEND,Vendor master,sap,FK01
P001,,,VEND,,sap,FK02
P001,,,PAY,Payment run,sap,F110
`
	rules, err := bundle.ReadRules("ruleset.csv", strings.NewReader(ruleset), bundle.RulesByExtension)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := bundle.Load(bundle.Source{Name: "catalogue.json", Reader: strings.NewReader(catalogue)}, rules)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range b.SoD.Duties {
		fmt.Println("duty", d.ID, d.Name, d.Entitlements)
	}
	for _, r := range b.SoD.Rules {
		o, _ := b.Origin("rule", r.ID)
		fmt.Println("rule", r.ID, r.Severity, len(r.Sides), "sides, from", o.File, "line", o.Line)
	}
	// Output:
	// duty VEND Vendor master [sap:FK01 sap:FK02]
	// duty PAY Payment run [sap:F110]
	// rule P001 high 2 sides, from ruleset.csv line 2
}

// ExampleReadRules_yaml reads rules written in YAML: a bundle file, with
// the loader's strictness and errors on the YAML file's lines.
func ExampleReadRules_yaml() {
	rules := `format: sodkit.bundle/v1
sod:
  rules:
    - id: R1
      title: Create and pay vendors
      sides:
        - entitlements: [erp:vendor.create]
        - entitlements: [erp:payment.release]
      severty: high   # misspelt
`
	src, err := bundle.ReadRules("rules.yaml", strings.NewReader(rules), bundle.RulesByExtension)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = bundle.Load(src)
	for _, e := range entitlement.Errors(err) {
		fmt.Println(e)
	}
	// Output:
	// rules.yaml:9: rule R1: field severty: unknown field "severty" (did you mean "severity"?)
}

// ExampleRulesFormatOf tells a rules file's format by its name, or parses
// one a user gives.
func ExampleRulesFormatOf() {
	for _, name := range []string{"rules.json", "ruleset.CSV", "policy.yml", "rules.txt"} {
		f, ok := bundle.RulesFormatOf(name)
		fmt.Printf("%s: %q %v\n", name, f, ok)
	}
	f, err := bundle.ParseRulesFormat("yaml")
	fmt.Println(f, err)
	// Output:
	// rules.json: "json" true
	// ruleset.CSV: "csv" true
	// policy.yml: "yaml" true
	// rules.txt: "" false
	// yaml <nil>
}

// ExampleFileSet_Opener streams bundle and rules files named as sodkit
// check's arguments and --rules flags name them.
func ExampleFileSet_Opener() {
	dir, err := os.MkdirTemp("", "sodkit-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	files := map[string]string{
		"people.json": `{"format": "sodkit.bundle/v1",
 "entitlements": [{"id": "erp:vendor.create"}, {"id": "erp:payment.release"}],
 "identities": [{"id": "alice", "kind": "human", "status": "active", "grants": [
   {"id": "g-1", "entitlement": "erp:vendor.create", "state": "active"},
   {"id": "g-2", "entitlement": "erp:payment.release", "state": "active"}]}]}`,
		"rules.csv": "risk,function,action\nR1,VEND,erp:vendor.create\nR1,PAY,erp:payment.release\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			fmt.Println(err)
			return
		}
	}
	set := bundle.FileSet{Bundles: []string{filepath.Join(dir, "people.json")}, Rules: []string{filepath.Join(dir, "rules.csv")}}
	v := &printer{}
	b, err := bundle.Stream(set.Opener(), v)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range b.Inputs {
		fmt.Println(filepath.Base(in.Name), in.Bytes, "bytes")
	}
	// Output:
	// rules: 1
	// alice holds 2 grants
	// people.json 341 bytes
	// rules.csv 74 bytes
}

// printer is a Visitor that prints what it is handed.
type printer struct{}

func (printer) Begin(b *bundle.Bundle) error {
	fmt.Println("rules:", len(b.SoD.Rules))
	return nil
}

func (printer) Identity(id entitlement.Identity, _ bundle.IdentityOrigin) error {
	fmt.Println(id.ID, "holds", len(id.Grants), "grants")
	return nil
}
