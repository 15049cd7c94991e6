package scan

import (
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
)

// FigureMonths is how many months of history the monthly series cover.
const FigureMonths = 12

// figures computes the governance figures the check packages know and
// audit cannot: which path the grants in effect came through (counted by
// c, identity by identity), and how often the exception and emergency
// paths were used each month over the last FigureMonths months. The report
// adds the finding counts itself.
//
// The figures taken from the directory (exceptions approved, sessions
// opened) are counted only when directory is true; else their series are
// all zeros, of the same months. So every shard's figures have the same
// shape, and their sum, with one shard counting the directory, is the
// figures of one scan (see Merge).
func figures(b *bundle.Bundle, at time.Time, c sourceCounter, directory bool) audit.Figures {
	var exceptions, sessions []time.Time
	if directory {
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
