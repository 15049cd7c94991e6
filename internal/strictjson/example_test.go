package strictjson_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sodkit/sodkit/internal/strictjson"
)

// A stream of records, one of which names its actor twice: Split finds the
// values and their lines, Decode every problem in each, in the order of
// their lines. encoding/json does not say where an unknown field is: its
// problem names the line the record starts on.
func Example() {
	in := "{\"actor\":\"carol\"}\n{\"actor\":\"carol\",\n \"Actor\":\"mallory\", \"approver\":\"x\"}\n"
	vals, bad, err := strictjson.Split(strings.NewReader(in))
	fmt.Println(len(vals), bad, err)
	for i, v := range vals {
		var r struct {
			Actor string `json:"actor"`
		}
		for _, p := range strictjson.Decode(v.Raw, v.Line, &r) {
			fmt.Printf("record %d: line %d: key %q: %v (duplicate: %t)\n", i+1, p.Line, p.Key, p.Err, errors.Is(p.Err, strictjson.ErrDuplicateKey))
		}
	}
	// Output:
	// 2 <nil> <nil>
	// record 2: line 2: key "": json: unknown field "approver" (duplicate: false)
	// record 2: line 3: key "Actor": duplicate key (same field as "actor", first at line 2) (duplicate: true)
}
