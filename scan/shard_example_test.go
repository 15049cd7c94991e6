package scan_test

import (
	"bytes"
	"fmt"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/scan"
)

// ExampleMerge splits a scan of the demo into three shards, as three
// machines of a batch job would run them, sends each partial report
// through JSON, and merges them into the report one scan gives.
func ExampleMerge() {
	b, err := demo.Load()
	if err != nil {
		panic(err)
	}
	var parts []audit.Report
	for i := range 3 {
		part, err := scan.RunWith(b, b.AsOf, scan.Options{Shard: scan.Shard{Index: i, Count: 3}})
		if err != nil {
			panic(err)
		}
		var file bytes.Buffer // what sodkit check --shard i/3 writes
		if err := part.WriteJSON(&file); err != nil {
			panic(err)
		}
		back, err := audit.ReadReport(&file) // what sodkit merge reads
		if err != nil {
			panic(err)
		}
		parts = append(parts, back)
	}
	merged, err := scan.Merge(parts...)
	if err != nil {
		panic(err)
	}
	one, err := scan.Run(b, b.AsOf)
	if err != nil {
		panic(err)
	}
	var a, c bytes.Buffer
	merged.WriteJSON(&a)
	one.WriteJSON(&c)
	fmt.Println(len(merged.Findings) == len(one.Findings), bytes.Equal(a.Bytes(), c.Bytes()))

	// A shard missing is refused, not merged into a report that passes.
	_, err = scan.Merge(parts[0], parts[2])
	fmt.Println(err)
	// Output:
	// true true
	// shard missing: no part is shard 1 of 3
}

// ExampleShard_Owns shows which shard of four checks an identity: the
// rule depends only on the ID, so any tool can split inputs the same way.
func ExampleShard_Owns() {
	for _, id := range []string{"alice", "bob", "svc-payments-batch"} {
		for i := range 4 {
			if (scan.Shard{Index: i, Count: 4}).Owns(id) {
				fmt.Printf("%s: shard %d/4\n", id, i)
			}
		}
	}
	// Output:
	// alice: shard 3/4
	// bob: shard 0/4
	// svc-payments-batch: shard 2/4
}
