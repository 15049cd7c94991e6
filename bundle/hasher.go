package bundle

import "github.com/sodkit/sodkit/audit"

// hasher computes an input's SHA-256. Once an input is large, it hashes on
// a goroutine of its own, so that hashing overlaps decoding instead of
// adding to the reading goroutine's time (a tenth of a streamed load's
// first pass): write then copies the bytes into one of a few buffers and
// hands them over. Small inputs — most files, and every fuzzer's — are
// hashed in place, without a goroutine or buffers.
type hasher struct {
	h *audit.InputHasher
	n int64 // bytes written

	// Once n passes asyncHashAbove: the buffer being filled, the buffers
	// handed over and returned, and done, closed when the goroutine has
	// hashed everything handed over.
	cur        []byte
	work, free chan []byte
	done       chan struct{}
}

// The size from which hashing moves to its own goroutine, and the number
// and size of the buffers it is handed.
const (
	asyncHashAbove = 8 << 20
	hashBuffers    = 4
	hashBuffer     = 256 << 10
)

func newHasher(name string) *hasher { return &hasher{h: audit.NewInputHasher(name)} }

// write hashes p, or hands it to the hashing goroutine.
func (hs *hasher) write(p []byte) {
	if hs.work == nil {
		hs.h.Write(p)
		if hs.n += int64(len(p)); hs.n >= asyncHashAbove {
			hs.start()
		}
		return
	}
	hs.n += int64(len(p))
	for len(p) > 0 {
		if hs.cur == nil {
			hs.cur = <-hs.free
		}
		k := copy(hs.cur[len(hs.cur):cap(hs.cur)], p)
		hs.cur, p = hs.cur[:len(hs.cur)+k], p[k:]
		if len(hs.cur) == cap(hs.cur) {
			hs.work <- hs.cur
			hs.cur = nil
		}
	}
}

func (hs *hasher) start() {
	hs.work, hs.free, hs.done = make(chan []byte, hashBuffers), make(chan []byte, hashBuffers), make(chan struct{})
	for range hashBuffers {
		hs.free <- make([]byte, 0, hashBuffer)
	}
	go func() {
		for b := range hs.work {
			hs.h.Write(b)
			hs.free <- b[:0] // never blocks: free holds every buffer
		}
		close(hs.done)
	}()
}

// input waits for everything written to be hashed and returns the record
// of the input. The hasher must not be written to afterwards.
func (hs *hasher) input() audit.Input {
	if hs.work != nil {
		if len(hs.cur) > 0 {
			hs.work <- hs.cur
		}
		close(hs.work)
		<-hs.done
		hs.cur, hs.work = nil, nil
	}
	return hs.h.Input()
}
