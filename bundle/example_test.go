package bundle_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
)

// Example loads a catalogue and the identities from two files, as one
// bundle, and asks the validated index why alice holds an entitlement.
func Example() {
	catalogue := `{
  "format": "sodkit.bundle/v1",
  "as_of": "2026-11-01T09:00:00Z",
  "entitlements": [
    {"id": "erp:vendor.create", "risk": "high"},
    {"id": "erp:payment.release", "risk": "critical", "privileged": true, "max_duration": "P30D"}
  ],
  "roles": [
    {"id": "ap-clerk", "entitlements": ["erp:vendor.create"]},
    {"id": "ap-supervisor", "inherits": ["ap-clerk"], "entitlements": ["erp:payment.release"]}
  ]
}`
	people := `{
  "format": "sodkit.bundle/v1",
  "identities": [
    {"id": "alice", "kind": "human", "status": "active",
     "grants": [{"id": "g-1", "role": "ap-supervisor", "state": "active"}]}
  ]
}`
	b, err := bundle.Load(
		bundle.Source{Name: "catalogue.json", Reader: strings.NewReader(catalogue)},
		bundle.Source{Name: "people.json", Reader: strings.NewReader(people)},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	access, err := b.Index.EffectiveAccess("alice", b.AsOf)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range access.Entitlements {
		fmt.Println(h.Paths[0])
	}
	for _, in := range b.Inputs {
		fmt.Println(in.Name, in.Bytes, "bytes")
	}
	// Output:
	// grant g-1 → role ap-supervisor → entitlement erp:payment.release
	// grant g-1 → role ap-supervisor → role ap-clerk → entitlement erp:vendor.create
	// catalogue.json 417 bytes
	// people.json 190 bytes
}

// ExampleLoad shows that loading reports every problem at once, each naming
// the file, line, record and field.
func ExampleLoad() {
	bad := `{
  "format": "sodkit.bundle/v1",
  "entitlements": [{"id": "erp:vendor.create", "privileged": "yes"}],
  "identities": [
    {"id": "alice", "kind": "human", "status": "active", "grants": [
      {"id": "g-1", "entitlement": "erp:vendor.craete", "state": "active",
       "requested": {"by": "alice", "at": "2026-01-05T09:00:00Z"},
       "approvals": [{"by": "alice", "at": "2026-01-04T09:00:00Z"}]}
    ]}
  ]
}`
	_, err := bundle.Load(bundle.Source{Name: "bad.json", Reader: strings.NewReader(bad)})
	for _, e := range entitlement.Errors(err) {
		fmt.Println(e)
	}
	// Output:
	// bad.json:3: entitlement erp:vendor.create: field privileged: wrong type: want true or false, found string
	// bad.json:6: grant g-1 of identity alice: field entitlement: unknown reference: no entitlement "erp:vendor.craete"
	// bad.json:6: grant g-1 of identity alice: field approvals[0].at: impossible time order: approval (2026-01-04T09:00:00Z) is before the request (2026-01-05T09:00:00Z)
}

func ExampleLoadFiles() {
	dir, err := os.MkdirTemp("", "sodkit-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "org.json")
	data := `{"format": "sodkit.bundle/v1", "parties": [{"id": "iam", "function": "identity_governance"}]}`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		fmt.Println(err)
		return
	}
	b, err := bundle.LoadFiles(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := b.Index.Party("iam")
	fmt.Println(p.ID, p.Function)
	// Output:
	// iam identity_governance
}

func ExampleParseDuration() {
	for _, s := range []string{"P30D", "PT8H", "P1DT12H", "P2W", "PT0.5S", "P1M"} {
		d, err := bundle.ParseDuration(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s, "=", d)
	}
	// Output:
	// P30D = 720h0m0s
	// PT8H = 8h0m0s
	// P1DT12H = 36h0m0s
	// P2W = 336h0m0s
	// PT0.5S = 500ms
	// invalid ISO 8601 duration "P1M": years and months have no fixed length; use weeks or days
}
