package scan

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
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
// in report order, each placed at its record where b knows it (see the
// package doc) and waived where b's waivers say so, the inputs b was loaded
// from, the governance figures, and every kind the checks could report
// (Kinds). A zero at means b's AsOf. It fails only when a check cannot run
// at all (ErrNoTime when both are zero, a sod policy that does not
// compile, or a waiver naming a kind no check reports); findings are never
// errors.
//
// Run is RunWith(b, at, Options{}), and Stream over the bundle already in
// memory: the same checks, fed the same identities, give the same report.
func Run(b *bundle.Bundle, at time.Time) (audit.Report, error) {
	return RunWith(b, at, Options{})
}

// RunWith is Run with a choice of checks: it runs only the check packages
// opts selects and reports only the kinds it selects (see Options); the
// report's Kinds are the selected ones. Waivers apply as in Run. With
// opts.Shard it checks one shard's identities and returns its partial
// report, for Merge (see Shard). It fails as Options.Validate does before
// it looks at b, and otherwise as Run.
func RunWith(b *bundle.Bundle, at time.Time, opts Options) (audit.Report, error) {
	sel, err := opts.selection()
	if err != nil {
		return audit.Report{}, err
	}
	r := newRun(at, sel, opts)
	if err := r.Begin(b); err != nil {
		return audit.Report{}, err
	}
	for _, id := range b.Index.Inventory().Identities {
		r.Identity(id, b.IdentityOrigin(id))
	}
	return r.report(b), nil
}

// Stream runs every check over bundle files too large to hold whole, and
// returns the same report Run returns for the same files loaded with
// bundle.Load. It reads the sources twice through bundle.Stream: once for
// everything but the identities' grants (the directory), then once more,
// handing each identity with its grants to every check on all cores.
// Memory grows with the number of identities and entitlements, not with
// the number of grants.
//
// A zero at evaluates the bundle as of its own as_of; Stream fails with
// ErrNoTime if both are zero, rather than read the wall clock.
//
// Stream is StreamWith(open, at, Options{}).
func Stream(open bundle.Opener, at time.Time) (audit.Report, error) {
	return StreamWith(open, at, Options{})
}

// StreamWith is Stream with a choice of checks, or one shard of a split
// scan (see Options and RunWith): it returns the report RunWith returns
// for the same files and options. A shard still reads every input, twice.
func StreamWith(open bundle.Opener, at time.Time, opts Options) (audit.Report, error) {
	sel, err := opts.selection()
	if err != nil {
		return audit.Report{}, err
	}
	r := newRun(at, sel, opts)
	b, err := bundle.Stream(open, r)
	r.stop()
	if err != nil {
		return audit.Report{}, err
	}
	return r.report(b), nil
}

// check is one check package as scan runs it: start compiles it against
// the bundle's directory at the evaluation time.
type check struct {
	name  string
	kinds func() []audit.KindInfo // every kind it can report
	start func(b *bundle.Bundle, at time.Time) (checker, error)
}

// checker is what every check package's Checker does: Identity checks one
// identity, given with what its grants confer (computed once, shared by
// every check), and is called from several goroutines at once; Finish
// returns the findings that need every identity seen, once every Identity
// call has returned.
type checker interface {
	Identity(h *entitlement.Holder) []audit.Finding
	Finish() []audit.Finding
}

// noter is what a checker whose Finish needs every identity does with an
// identity another shard checks: Note keeps what Finish needs of it, and
// reports nothing. Like Identity, it is called from several goroutines.
type noter interface {
	Note(h *entitlement.Holder)
}

// checks are every check scan runs, in the order their findings are
// gathered (the report sorts them).
var checks = []check{
	{"lifecycle", lifecycle.Kinds, func(b *bundle.Bundle, at time.Time) (checker, error) {
		return lifecycle.NewChecker(b.Index, at), nil
	}},
	{"raci", raci.Kinds, func(b *bundle.Bundle, at time.Time) (checker, error) {
		return raciCheck{raci.NewChecker(b.Index, b.RACI, at), raci.CheckRules(b.Index, ruleOwners(b.SoD.Rules))}, nil
	}},
	{"breakglass", breakglass.Kinds, func(b *bundle.Bundle, at time.Time) (checker, error) {
		return breakglass.NewChecker(b.Index, b.BreakGlass, at), nil
	}},
	{"sod", sod.Kinds, func(b *bundle.Bundle, at time.Time) (checker, error) {
		engine, err := sod.Compile(b.Index, b.SoD)
		if err != nil {
			return nil, err
		}
		return engine.NewChecker(at), nil
	}},
}

// raciCheck adds the ownership of the sod rules to the raci checks: raci
// checks that every rule has an accountable, active owner, and cannot
// import sod to find the rules itself.
type raciCheck struct {
	*raci.Checker
	rules []audit.Finding
}

func (c raciCheck) Finish() []audit.Finding { return append(c.Checker.Finish(), c.rules...) }

func ruleOwners(rules []sod.Rule) []raci.RuleOwner {
	out := make([]raci.RuleOwner, len(rules))
	for i, r := range rules {
		out[i] = raci.RuleOwner{Rule: r.ID, Owner: r.Owner}
	}
	return out
}

// ErrNoTime reports a scan with no evaluation time: none was given and the
// bundle declares no as_of.
var ErrNoTime = errors.New("no evaluation time: the bundle has no as_of and none was given")

// run is one scan: a bundle.Visitor that starts every check when the
// directory is ready, then fans identities out to workers.
type run struct {
	at  time.Time // the evaluation time; zero until Begin when it is the bundle's as_of
	sel selection // the checks and kinds chosen

	only, skip []string       // the choice of checks as given, for a partial report
	shard      Shard          // the identities checked: all, or one shard's
	progress   func(Progress) // nil, or called after each identity taken in
	seen       int            // identities taken in so far
	total      int            // identities in the bundle

	b        *bundle.Bundle
	checkers []checker
	ann      annotator

	work    chan identityWork
	wg      sync.WaitGroup
	mu      sync.Mutex
	out     []audit.Finding
	counter sourceCounter
	stopped bool
}

func newRun(at time.Time, sel selection, opts Options) *run {
	return &run{at: at, sel: sel, only: slices.Clone(opts.Only), skip: slices.Clone(opts.Skip),
		shard: opts.Shard, progress: opts.Progress}
}

// Begin checks the waivers' kinds and starts every check the selection
// runs against the directory.
func (r *run) Begin(b *bundle.Bundle) error {
	if r.at.IsZero() {
		r.at = b.AsOf
	}
	if r.at.IsZero() {
		return ErrNoTime
	}
	r.b = b
	if err := checkWaivers(b); err != nil {
		return err
	}
	for _, c := range checks {
		if !r.sel.runs(c.name) {
			continue
		}
		k, err := c.start(b, r.at)
		if err != nil {
			return err
		}
		if _, ok := k.(noter); !ok && r.shard.split() {
			// Its Finish could not hear of the identities other shards
			// check: fail rather than report less.
			return fmt.Errorf("scan: the %s check cannot run in shards: its checker has no Note", c.name)
		}
		r.checkers = append(r.checkers, k)
	}
	r.counter = newSourceCounter(r.at)
	r.total = len(b.Index.Inventory().Identities)
	r.ann = newAnnotator(b)
	r.work = make(chan identityWork, 256)
	for range runtime.GOMAXPROCS(0) {
		r.wg.Go(r.worker)
	}
	return nil
}

// identityWork is one identity on its way to the workers, with where it
// and its grants were read.
type identityWork struct {
	id    entitlement.Identity
	where bundle.IdentityOrigin
	note  bool // another shard checks it: only Note it
}

// Identity hands one identity to the workers: to be checked if the shard
// owns it, to be noted if the shard reports the findings of Finish, and
// else not at all.
func (r *run) Identity(id entitlement.Identity, where bundle.IdentityOrigin) error {
	owned := r.shard.Owns(id.ID)
	if owned || r.shard.common() {
		r.ann.keep(id, where)
		r.work <- identityWork{id, where, !owned}
	}
	r.seen++
	if r.progress != nil {
		r.progress(Progress{Identities: r.seen, Total: r.total})
	}
	return nil
}

// note hands an identity another shard checks to every checker whose
// Finish needs it.
func (r *run) note(id entitlement.Identity) {
	h := r.b.Index.Holder(id)
	for _, k := range r.checkers {
		if n, ok := k.(noter); ok {
			n.Note(h)
		}
	}
}

func (r *run) worker() {
	var out []audit.Finding
	c := newSourceCounter(r.at)
	for w := range r.work {
		if w.note {
			r.note(w.id)
			continue
		}
		id, n := w.id, len(out)
		h := r.b.Index.Holder(id)
		for _, k := range r.checkers {
			out = append(out, k.Identity(h)...)
		}
		r.ann.identity(out[n:], id, w.where)
		c.add(id)
	}
	r.mu.Lock()
	r.out = append(r.out, out...)
	r.counter.merge(c)
	r.mu.Unlock()
}

// stop closes the work queue and waits for the workers.
func (r *run) stop() {
	if r.work != nil && !r.stopped {
		close(r.work)
		r.wg.Wait()
		r.stopped = true
	}
}

// report finishes every check and builds the report; b is the bundle the
// run began with (for Stream, the directory, with the inputs read). A
// shard's report is partial: the findings about waivers are left to
// Merge, which makes them from every shard's tallies, as report does
// here from its own.
func (r *run) report(b *bundle.Bundle) audit.Report {
	r.stop()
	n := len(r.out)
	out := r.out
	if r.shard.common() {
		out = append(out, b.Findings...)
		for _, k := range r.checkers {
			out = append(out, k.Finish()...)
		}
	}
	r.ann.finish(out[n:])
	// Choosing and waiving happen here, once every finding is in, so that
	// every entry point and format sees the same result.
	out = r.sel.keep(out)
	tallies := waive(b, out, r.at, r.ann.where)
	if !r.shard.split() {
		out = append(out, waiverFindings(tallies, r.at, r.sel)...)
	}
	rep := audit.NewReport(r.at, b.Inputs, out)
	rep.Figures = figures(b, r.at, r.counter, r.shard.common())
	rep.Kinds = r.sel.kinds
	if r.shard.split() {
		rep.Partial = &audit.Partial{Shard: r.shard.Index, Of: r.shard.Count, Only: r.only, Skip: r.skip, Waivers: tallies}
	}
	return rep
}
