// Package scan runs every sodkit check over a loaded bundle and builds the
// report: the one call a governance job, a CI step or the sodkit command
// needs. It composes the check packages (lifecycle, sod, raci, breakglass),
// which never import each other, and adds the governance figures none of
// them can compute alone.
package scan

import (
	"slices"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/lifecycle"
	"github.com/sodkit/sodkit/raci"
	"github.com/sodkit/sodkit/sod"
)

// Run runs every check over b at at and returns the report: the findings
// in report order, the inputs b was loaded from, the governance figures,
// and every kind the checks could report (Kinds). It fails only when a check cannot run at all (the sod policy
// does not compile); findings are never errors.
func Run(b *bundle.Bundle, at time.Time) (audit.Report, error) {
	findings, err := Findings(b, at)
	if err != nil {
		return audit.Report{}, err
	}
	r := audit.NewReport(at, b.Inputs, findings)
	r.Figures = Figures(b, at)
	r.Kinds = Kinds()
	return r, nil
}

// Findings runs every check over b at at and returns the findings,
// unsorted.
func Findings(b *bundle.Bundle, at time.Time) ([]audit.Finding, error) {
	out := slices.Clone(b.Findings)
	out = append(out, lifecycle.Check(b.Index, at)...)
	out = append(out, breakglass.Check(b.Index, b.BreakGlass, at)...)
	out = append(out, raci.Check(b.Index, b.RACI, at)...)
	out = append(out, raci.CheckRules(b.Index, RuleOwners(b.SoD.Rules))...)
	engine, err := sod.Compile(b.Index, b.SoD)
	if err != nil {
		return nil, err
	}
	out = append(out, engine.Check(at)...)
	return out, nil
}

// RuleOwners hands the sod rules' owners to raci, which checks that every
// rule has an accountable, active owner (raci cannot import sod).
func RuleOwners(rules []sod.Rule) []raci.RuleOwner {
	out := make([]raci.RuleOwner, len(rules))
	for i, r := range rules {
		out[i] = raci.RuleOwner{Rule: r.ID, Owner: r.Owner}
	}
	return out
}

// FigureMonths is how many months of history the monthly series cover.
const FigureMonths = 12

// Figures computes the governance figures the check packages know and
// audit cannot: which path the grants in effect came through, and how often
// the exception and emergency paths were used each month over the last
// FigureMonths months. The report adds the finding counts itself.
func Figures(b *bundle.Bundle, at time.Time) audit.Figures {
	c := newSourceCounter(at)
	for _, id := range b.Index.Inventory().Identities {
		c.add(id)
	}
	return figuresFrom(b, at, c)
}

func figuresFrom(b *bundle.Bundle, at time.Time, c sourceCounter) audit.Figures {
	var exceptions, sessions []time.Time
	for _, x := range b.SoD.Exceptions {
		switch {
		case !x.ApprovedAt.IsZero():
			exceptions = append(exceptions, x.ApprovedAt)
		case !x.ValidFrom.IsZero():
			exceptions = append(exceptions, x.ValidFrom)
		}
	}
	for _, s := range b.BreakGlass.Sessions {
		sessions = append(sessions, s.Start)
	}
	return audit.Figures{
		Shares: []audit.Share{{Name: "grants in effect by path", Parts: []audit.Part{
			{Label: "standard", Count: c.inEffect[entitlement.SourceStandard]},
			{Label: "exception", Count: c.inEffect[entitlement.SourceException]},
			{Label: "just-in-time", Count: c.inEffect[entitlement.SourceJustInTime]},
			{Label: "break-glass", Count: c.inEffect[entitlement.SourceBreakGlass]},
			{Label: "unrecorded", Count: c.inEffect[0]},
		}}},
		Monthly: []audit.Series{
			audit.MonthlySeries("sod exceptions approved", exceptions, at, FigureMonths),
			audit.MonthlySeries("grants through the exception path", c.made[entitlement.SourceException], at, FigureMonths),
			audit.MonthlySeries("grants through the break-glass path", c.made[entitlement.SourceBreakGlass], at, FigureMonths),
			audit.MonthlySeries("break-glass sessions opened", sessions, at, FigureMonths),
		},
	}
}

// sourceCounter accumulates, identity by identity, how many grants in
// effect came through each path, and when the exception and break-glass
// grants were made (provisioned or, failing that, requested).
type sourceCounter struct {
	at       time.Time
	inEffect map[entitlement.GrantSource]int
	made     map[entitlement.GrantSource][]time.Time
}

func newSourceCounter(at time.Time) sourceCounter {
	return sourceCounter{at: at, inEffect: map[entitlement.GrantSource]int{}, made: map[entitlement.GrantSource][]time.Time{}}
}

func (c sourceCounter) add(id entitlement.Identity) {
	for _, g := range id.Grants {
		if g.InEffect(c.at) {
			c.inEffect[g.Source]++
		}
		if g.Source != entitlement.SourceException && g.Source != entitlement.SourceBreakGlass {
			continue
		}
		switch {
		case !g.Provisioned.At.IsZero():
			c.made[g.Source] = append(c.made[g.Source], g.Provisioned.At)
		case !g.Requested.At.IsZero():
			c.made[g.Source] = append(c.made[g.Source], g.Requested.At)
		}
	}
}

func (c sourceCounter) merge(o sourceCounter) {
	for k, v := range o.inEffect {
		c.inEffect[k] += v
	}
	for k, v := range o.made {
		c.made[k] = append(c.made[k], v...)
	}
}
