package bundle

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/jsonpull"
)

// Identities make up nearly all of a bundle, so Load and Stream's second
// pass decode them on all cores: the file's reader only finds where each
// identity object ends (jsonpull.RawObject, or the span Stream's first
// pass recorded) and hands batches of their bytes to workers, each with a
// decoder of its own; the reading goroutine then takes the results in file
// order. (Stream's first pass reads in place: it skips the grants, which
// are nearly all of the bytes, and finding where an object ends costs as
// much as skipping it, so workers would only scan the same bytes twice.) A batch decoded without
// a single problem is taken as is. Any other batch — a problem anywhere in
// it, or the input ending inside it — is decoded again in order by the
// reading goroutine's own decoder, from the same bytes at the same
// positions, so errors, their order and the MaxErrors cut-off are exactly
// those of reading in place.

// Batch sizes: large enough to amortise the hand-over, small enough that
// the batches in flight stay a few megabytes. Tests make them small.
var (
	batchBytes = 256 << 10
	batchItems = 1024
)

// rawIdentity is one identity object of a batch: bytes buf[lo:hi].
type rawIdentity struct {
	lo, hi int
	at     jsonpull.Start
	tail   error // the input ended inside this object, with this error
}

// batch is a run of identity objects, and what a worker made of them.
type batch struct {
	buf   []byte
	elems []rawIdentity
	first int // index of the first identity, across files
	done  chan struct{}

	clean   bool // every identity decoded without a problem
	ids     []entitlement.Identity
	origins []keyedOrigin
}

type keyedOrigin struct {
	key string
	o   origin
}

// pipeline decodes one identities section in parallel.
type pipeline struct {
	d       *decoder
	work    chan *batch
	pending []*batch // dispatched, in file order
	free    []*batch
	cur     *batch
	next    int // index of the next identity captured
	redo    *jsonpull.Reader
	wg      sync.WaitGroup
	limit   int  // batches in flight
	failed  bool // taking a batch returned an error
}

// parallelWorkers is the number of decoding goroutines Load uses, or 0
// to read in place. Tests replace it.
var parallelWorkers = func() int {
	if n := runtime.GOMAXPROCS(0); n >= 2 {
		return n
	}
	return 0
}

func newPipeline(d *decoder, workers int) *pipeline {
	p := &pipeline{d: d, work: make(chan *batch, workers), next: d.nIdentities,
		redo: jsonpull.NewReader(nil), limit: 2 * workers}
	for range workers {
		wl := newLoader()
		wl.skipGrants, wl.identitiesOnly, wl.canon = d.skipGrants, d.identitiesOnly, d.canon
		wd := &decoder{loader: wl, file: d.file, r: jsonpull.NewReader(nil), zones: map[int]*time.Location{}}
		p.wg.Go(func() {
			var src bytes.Reader
			for b := range p.work {
				wd.decodeBatch(b, &src)
				close(b.done)
			}
		})
	}
	return p
}

// stop ends the workers; batches still in flight are dropped.
func (p *pipeline) stop() {
	close(p.work)
	p.wg.Wait()
}

// identitiesParallel reads the identities section with a pipeline.
func (d *decoder) identitiesParallel(workers int) error {
	p := newPipeline(d, workers)
	defer p.stop()
	err := d.array(func(int) error {
		if p.cur == nil {
			p.cur = p.newBatch()
		}
		b := p.cur
		lo := len(b.buf)
		raw, at, ok, tail := d.rawIdentity(b.buf)
		if !ok {
			// Not an object (or a reader error): read it in place, after
			// everything before it.
			if len(b.elems) > 0 {
				if err := p.dispatch(); err != nil {
					return err
				}
			}
			if err := p.flush(); err != nil {
				return err
			}
			if tail != nil {
				return d.fatal(tail)
			}
			err := d.identityInPlace()
			p.next = d.nIdentities
			return err
		}
		b.buf = raw
		b.elems = append(b.elems, rawIdentity{lo: lo, hi: len(raw), at: at, tail: tail})
		p.next++
		if tail != nil {
			// The input ended inside this object: decoding it in order
			// reports that, after everything before it.
			if err := p.dispatch(); err != nil {
				return err
			}
			return p.flush()
		}
		if len(b.buf) >= batchBytes || len(b.elems) >= batchItems {
			return p.dispatch()
		}
		return nil
	})
	if p.failed {
		return err // a batch's problem stopped the file; nothing after it counts
	}
	// The section ended, or the file's reader stopped it after the objects
	// in flight: take those first, as reading in place would have.
	if p.cur != nil && len(p.cur.elems) > 0 {
		if derr := p.dispatch(); derr != nil {
			return derr
		}
	}
	if ferr := p.flush(); ferr != nil {
		return ferr
	}
	return err
}

// rawIdentity appends the bytes of the next identity object to dst, as
// jsonpull.RawObject does: from where Stream's first pass found it, while
// the input is as it was then, without scanning the bytes again; else by
// scanning them. On Stream's first pass it records where it found it.
func (d *decoder) rawIdentity(dst []byte) (raw []byte, at jsonpull.Start, ok bool, tail error) {
	lo := len(dst)
	if len(d.known) > 0 {
		raw, at, ok, tail = d.r.RawSpan(dst, d.known[0].off, d.known[0].n)
		if ok {
			d.known = d.known[1:]
			return raw, at, ok, tail
		}
		if tail != nil {
			return raw, at, ok, tail
		}
		d.known = nil // not where it was: scan from here on
	}
	raw, at, ok, tail = d.r.RawObject(dst)
	if ok && tail == nil && d.spans != nil {
		*d.spans = append(*d.spans, span{off: at.Pos.Offset, n: len(raw) - lo})
	}
	return raw, at, ok, tail
}

func (p *pipeline) newBatch() *batch {
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		// Drop the identities taken: their grants would keep the slabs
		// they were decoded into (see grants) alive.
		clear(b.ids)
		clear(b.origins)
		*b = batch{buf: b.buf[:0], elems: b.elems[:0], ids: b.ids[:0], origins: b.origins[:0]}
		return b
	}
	// Start small and let append grow it: batches are reused, so a large
	// input pays for growth a few times, and a small one (or a fuzzer's)
	// never zeroes a full batch.
	return &batch{buf: make([]byte, 0, 4<<10)}
}

// dispatch hands the current batch to the workers, first taking the
// oldest result when enough batches are in flight.
func (p *pipeline) dispatch() error {
	b := p.cur
	p.cur = nil
	b.first = p.next - len(b.elems)
	b.done = make(chan struct{})
	var err error
	if len(p.pending) >= p.limit {
		err = p.takeOldest()
	}
	p.pending = append(p.pending, b)
	p.work <- b
	return err
}

// flush takes every batch in flight, in order.
func (p *pipeline) flush() error {
	for len(p.pending) > 0 {
		if err := p.takeOldest(); err != nil {
			return err
		}
	}
	return nil
}

// takeOldest waits for the oldest batch in flight and takes its
// identities, decoding it again in place if the worker found a problem.
func (p *pipeline) takeOldest() error {
	b := p.pending[0]
	p.pending = p.pending[1:]
	<-b.done
	defer func() { p.free = append(p.free, b) }()
	err := p.take(b)
	if err != nil {
		p.failed = true
	}
	return err
}

func (p *pipeline) take(b *batch) error {
	d := p.d
	if b.clean {
		for k, id := range b.ids {
			ko := b.origins[k]
			d.origins[ko.key] = append(d.origins[ko.key], ko.o)
			d.nIdentities++
			d.lastKey = ko.key
			err := d.onIdentity(id)
			d.lastKey = ""
			if err != nil {
				return err
			}
		}
		return nil
	}
	main := d.r
	defer func() { d.r = main }()
	d.r = p.redo
	for _, e := range b.elems {
		var src io.Reader = bytes.NewReader(b.buf[e.lo:e.hi])
		if e.tail != nil {
			src = io.MultiReader(src, failing{e.tail})
		}
		p.redo.ResetAt(src, e.at)
		if err := d.identityInPlace(); err != nil {
			return err
		}
		if e.tail != nil {
			return d.fatal(d.r.End())
		}
	}
	return nil
}

// failing is a source that has ended with err (io.EOF: a plain end).
type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

// decodeBatch decodes a batch on a worker. It stops at the first problem
// and leaves the batch unclean, for the reading goroutine to decode again.
func (wd *decoder) decodeBatch(b *batch, src *bytes.Reader) {
	b.clean = false
	for k, e := range b.elems {
		if e.tail != nil {
			return
		}
		src.Reset(b.buf[e.lo:e.hi])
		wd.r.ResetAt(src, e.at)
		rec := wd.begin("identity", b.first+k)
		var id entitlement.Identity
		err := wd.identity(&id)
		wd.end(rec)
		key := recordKey("identity", rec.name(), "")
		found := wd.origins[key]
		if err != nil || wd.nbad > 0 || len(wd.errs) > 0 || len(found) != 1 || len(wd.origins) != 1 || wd.r.End() != nil {
			wd.reset()
			return
		}
		delete(wd.origins, key)
		b.ids = append(b.ids, id)
		b.origins = append(b.origins, keyedOrigin{key, found[0]})
		wd.release(rec)
	}
	b.clean = true
}

// reset clears a worker decoder's state after a problem.
func (wd *decoder) reset() {
	wd.errs, wd.nbad, wd.syntax = wd.errs[:0], 0, false
	clear(wd.origins)
	clear(wd.failed)
	wd.rec, wd.seen = nil, wd.seen[:0]
}
