package scan

import (
	"errors"
	"runtime"
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

// Stream runs every check over bundle files too large to hold whole, and
// returns the same report Run returns for the same files loaded with
// bundle.Load. It reads the sources twice through bundle.Stream: once for
// everything but the identities' grants (the directory), then once more,
// handing each identity with its grants to every check package's Checker
// on all cores. Memory grows with the number of identities and
// entitlements, not with the number of grants.
//
// when chooses the evaluation time once the bundle's as_of (zero when
// the bundle declares none) is known; pass AsOf to evaluate an export as of
// its own date. Stream fails if the chosen time is zero.
func Stream(open bundle.Opener, when func(asOf time.Time) time.Time) (audit.Report, error) {
	s := &streamer{when: when}
	b, err := bundle.Stream(open, s)
	s.stop()
	if err != nil {
		return audit.Report{}, err
	}
	findings := s.finish()
	r := audit.NewReport(s.at, b.Inputs, findings)
	r.Figures = s.figures(b)
	r.Kinds = Kinds()
	return r, nil
}

// streamer is the bundle.Visitor of Stream: it compiles the checks when the
// directory is ready, then fans identities out to workers.
type streamer struct {
	when func(time.Time) time.Time
	at   time.Time

	b          *bundle.Bundle
	lifecycle  *lifecycle.Checker
	raci       *raci.Checker
	breakglass *breakglass.Checker
	sod        *sod.Checker
	rules      []audit.Finding // rule ownership, from the directory

	work    chan entitlement.Identity
	wg      sync.WaitGroup
	mu      sync.Mutex
	out     []audit.Finding
	counter sourceCounter
	stopped bool
}

// Begin compiles every check against the directory.
func (s *streamer) Begin(b *bundle.Bundle) error {
	s.at = s.when(b.AsOf)
	if s.at.IsZero() {
		return errNoTime
	}
	engine, err := sod.Compile(b.Index, b.SoD)
	if err != nil {
		return err
	}
	s.b = b
	s.lifecycle = lifecycle.NewChecker(b.Index, s.at)
	s.raci = raci.NewChecker(b.Index, b.RACI, s.at)
	s.breakglass = breakglass.NewChecker(b.Index, b.BreakGlass, s.at)
	s.sod = engine.NewChecker(s.at)
	s.rules = raci.CheckRules(b.Index, RuleOwners(b.SoD.Rules))
	s.counter = newSourceCounter(s.at)
	s.work = make(chan entitlement.Identity, 256)
	for range runtime.GOMAXPROCS(0) {
		s.wg.Go(s.worker)
	}
	return nil
}

// Identity hands one identity to the workers.
func (s *streamer) Identity(id entitlement.Identity) error {
	s.work <- id
	return nil
}

func (s *streamer) worker() {
	var out []audit.Finding
	c := newSourceCounter(s.at)
	for id := range s.work {
		out = append(out, s.lifecycle.Identity(id)...)
		out = append(out, s.raci.Identity(id)...)
		out = append(out, s.breakglass.Identity(id)...)
		out = append(out, s.sod.Identity(id)...)
		c.add(id)
	}
	s.mu.Lock()
	s.out = append(s.out, out...)
	s.counter.merge(c)
	s.mu.Unlock()
}

// stop closes the work queue and waits for the workers.
func (s *streamer) stop() {
	if s.work != nil && !s.stopped {
		close(s.work)
		s.wg.Wait()
		s.stopped = true
	}
}

func (s *streamer) finish() []audit.Finding {
	out := append(s.out, s.b.Findings...)
	out = append(out, s.rules...)
	out = append(out, s.lifecycle.Finish()...)
	out = append(out, s.raci.Finish()...)
	out = append(out, s.breakglass.Finish()...)
	out = append(out, s.sod.Finish()...)
	return out
}

func (s *streamer) figures(b *bundle.Bundle) audit.Figures {
	return figuresFrom(b, s.at, s.counter)
}

var errNoTime = errors.New("no evaluation time: the bundle has no as_of and none was given")

// AsOf evaluates a bundle as of its own export time: pass it to Stream.
func AsOf(asOf time.Time) time.Time { return asOf }
