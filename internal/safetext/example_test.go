package safetext_test

import (
	"fmt"

	"github.com/sodkit/sodkit/internal/safetext"
)

// An identity ID that tries to clear the screen and forge a report line
// renders as one visible line; a Windows path stays as typed.
func Example() {
	hostile := "svc-x\x1b[2J\nCRITICAL sod.toxic-combination identity ceo"
	fmt.Println(safetext.Escape(hostile))
	fmt.Println(safetext.Escape("admin\u202etxt.exe"))
	fmt.Println(safetext.Escape(`C:\data\org.json`))
	fmt.Println(safetext.Escape(`literal \x1b`))
	// Output:
	// svc-x\x1b[2J\nCRITICAL sod.toxic-combination identity ceo
	// admin\u202etxt.exe
	// C:\data\org.json
	// literal \\x1b
}

func ExampleIsSafe() {
	fmt.Println(safetext.IsSafe("erp:vendor.create"), safetext.IsSafe("bad\x00id"))
	// Output: true false
}

func ExampleAppend() {
	b := []byte("subject: ")
	b = safetext.Append(b, "bob\rCRITICAL")
	fmt.Println(string(b))
	// Output: subject: bob\rCRITICAL
}
