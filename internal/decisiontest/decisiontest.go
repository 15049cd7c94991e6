// Package decisiontest holds one table of access-request cases on the
// embedded demo organisation. Every entry point that decides on a proposed
// grant — sod.Engine.Decide, sodtest.GrantAllowed, "sodkit whatif" and the
// approval-service example — runs the whole table in its own tests and must
// give each case the same answer: one question, one answer.
//
// It is imported only by tests.
package decisiontest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
)

//go:embed cases.json
var casesJSON []byte

// GrantID is the ID every entry point gives the proposed grant (the CLI's
// name for its first --grant), so that the findings, whose IDs depend on
// it, are the same everywhere.
const GrantID = "proposed-1"

// Case is one access request and the answer every entry point must give.
type Case struct {
	// Name names the case in test output.
	Name string `json:"name"`
	// Reason says why the case is in the table: what it proves.
	Reason string `json:"reason"`
	// Identity is the ID of the identity that would receive Target.
	Identity string `json:"identity"`
	// Target is the entitlement or role ID requested.
	Target string `json:"target"`
	// State is how a library caller recorded the proposal ("", "requested"
	// or "approved"); the CLI and the service always send a plain
	// proposal, which is the same question.
	State string `json:"state"`
	// RequestedBy is the identity ID of the requester, or "".
	RequestedBy string `json:"requested_by"`
	// ApprovedBy is the identity ID of the approver, or "".
	ApprovedBy string `json:"approved_by"`
	// Want is "allow", "deny", "indeterminate" or "error".
	Want string `json:"want"`
	// Findings summarises what the grant would add (see Summary); only
	// for a decision, not an error.
	Findings []string `json:"findings"`
	// ErrorNames is the ID an error must quote.
	ErrorNames string `json:"error_names"`
}

// Cases returns the table, in file order.
func Cases() []Case {
	var cs []Case
	if err := json.Unmarshal(casesJSON, &cs); err != nil {
		panic(fmt.Sprintf("decisiontest: cases.json: %v", err))
	}
	return cs
}

// Grant returns the case's proposal as a library caller builds it: the
// target as a role when x knows a role of that ID and as an entitlement
// otherwise, the case's state, and the request and approval made at at.
func (c Case) Grant(x *entitlement.Index, at time.Time) entitlement.Grant {
	g := entitlement.Grant{ID: GrantID, Source: entitlement.SourceStandard,
		Requested: entitlement.Event{By: c.RequestedBy, At: at},
		Approvals: []entitlement.Approval{{By: c.ApprovedBy, At: at}}}
	if _, ok := x.Role(c.Target); ok {
		g.Role = c.Target
	} else {
		g.Entitlement = c.Target
	}
	if c.State != "" {
		s, err := entitlement.ParseGrantState(c.State)
		if err != nil {
			panic(fmt.Sprintf("decisiontest: case %q: %v", c.Name, err))
		}
		g.State = s
	}
	return g
}

// Summary renders findings as the table lists them: "kind status" each,
// sorted. failingOnly keeps only open and indeterminate ones, for entry
// points that report just those.
func Summary(fs []audit.Finding, failingOnly bool) []string {
	out := []string{}
	for _, f := range fs {
		if failingOnly && !f.Status.Failing() {
			continue
		}
		out = append(out, string(f.Kind)+" "+f.Status.String())
	}
	slices.Sort(out)
	return out
}

// Failing returns the case's expected findings that fail a gate (all but
// the mitigated ones).
func (c Case) Failing() []string {
	out := []string{}
	for _, s := range c.Findings {
		if !strings.HasSuffix(s, " mitigated") {
			out = append(out, s)
		}
	}
	return out
}
