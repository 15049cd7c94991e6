package main

import (
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/lifecycle"
)

// runChecks runs every check sodkit has over a loaded bundle at at. Each
// check package contributes its findings; the report sorts them.
func runChecks(b *bundle.Bundle, at time.Time) []audit.Finding {
	var out []audit.Finding
	out = append(out, lifecycle.Check(b.Index, at)...)
	return out
}
