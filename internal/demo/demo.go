// Package demo holds the embedded demo bundle: a small organisation (an ERP
// finance team, a service desk, an IAM team, platform engineers, service
// accounts, API keys, tokens, a workload identity and an AI agent) with
// clean access and with problems for every check to find.
package demo

import (
	"bytes"
	_ "embed"
	"io"
)

// Name is the input name the demo bundle carries in errors and reports.
const Name = "demo (embedded)"

//go:embed demo.json
var data []byte

// Bytes returns a copy of the demo bundle's JSON.
func Bytes() []byte { return bytes.Clone(data) }

// Reader returns a reader over the demo bundle's JSON.
func Reader() io.Reader { return bytes.NewReader(data) }
