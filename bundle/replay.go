package bundle

import (
	"bytes"
	"hash/maphash"
	"io"

	"github.com/sodkit/sodkit/audit"
)

// replay reads one source, hashing what it reads, and can read it again
// from its start: a file whose "format" member is not first (jq -S and
// sort_keys=True put "as_of", "breakglass" and "entitlements" before it)
// is read up to that member, to check the format before trusting
// anything, and then decoded from the start.
//
// The cost of reading again is the part of the file before "format". A
// source that can seek (a file) is read again from where it started, and
// its hash restarted. Any other source (standard input, a pipe) has the
// bytes read from it kept until the format is found first, or until the
// file is read again, which replays them: memory then holds the members
// before "format". A file that opens with "format" costs nothing: its
// first read's few kilobytes are dropped as soon as that is known.
type replay struct {
	src    io.Reader
	seeker io.Seeker // src, when it can seek; nil otherwise
	start  int64     // where src started, for seeker
	name   string
	h      *hasher      // hashes every byte read, once; nil when no SHA-256 is wanted
	fp     maphash.Hash // fingerprints every byte read, once
	n      int64        // bytes read, once
	kept   []byte       // the bytes read so far, while keep
	keep   bool
}

// newReplay returns a replay of src, at its start, fingerprinting with
// seed and, unless noSHA, hashing with SHA-256.
func newReplay(src Source, seed maphash.Seed, noSHA bool) *replay {
	rp := &replay{src: src.Reader, name: src.Name, keep: true}
	if !noSHA {
		rp.h = newHasher(src.Name)
	}
	rp.fp.SetSeed(seed)
	if s, ok := src.Reader.(io.Seeker); ok {
		// Standard input is an *os.File, whose Seek fails on a pipe or a
		// terminal: only a source that answers can seek.
		if at, err := s.Seek(0, io.SeekCurrent); err == nil {
			rp.seeker, rp.start, rp.keep = s, at, false
		}
	}
	return rp
}

// Read reads from the source, hashing (and while keep, keeping) what it
// returns.
func (rp *replay) Read(p []byte) (int, error) {
	n, err := rp.src.Read(p)
	rp.write(p[:n])
	if rp.keep {
		rp.kept = append(rp.kept, p[:n]...)
	}
	return n, err
}

// write hashes and fingerprints p.
func (rp *replay) write(p []byte) {
	if rp.h != nil {
		rp.h.write(p)
	}
	rp.fp.Write(p)
	rp.n += int64(len(p))
}

// Write hashes and fingerprints p, for the bytes after the parser's: it
// never fails.
func (rp *replay) Write(p []byte) (int, error) {
	rp.write(p)
	return len(p), nil
}

// input returns the record of everything read: with its SHA-256 unless
// none was wanted. It must be called once, when reading is over (it ends
// the hasher's goroutine, if any).
func (rp *replay) input() audit.Input {
	if rp.h == nil {
		return audit.Input{Name: rp.name, Bytes: rp.n}
	}
	return rp.h.input()
}

// keepNothing stops keeping bytes: the file will not be read again. It
// may be called on a nil replay.
func (rp *replay) keepNothing() {
	if rp != nil {
		rp.keep, rp.kept = false, nil
	}
}

// rewind returns a reader of the source from its start. The bytes it
// yields are hashed once in all: a seekable source's hash restarts, and
// the kept bytes of any other were hashed when first read.
func (rp *replay) rewind() (io.Reader, error) {
	if rp.seeker != nil {
		if _, err := rp.seeker.Seek(rp.start, io.SeekStart); err != nil {
			return nil, err
		}
		if rp.h != nil {
			rp.h.input() // ends its goroutine, if any
			rp.h = newHasher(rp.name)
		}
		rp.fp.Reset()
		rp.n = 0
		return rp, nil
	}
	kept := rp.kept
	rp.keepNothing()
	return io.MultiReader(bytes.NewReader(kept), rp), nil
}
