package bundle

import (
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/hashset"
)

// Opener opens the inputs of a streamed load. Stream calls it once per
// pass, so it must return fresh readers over the same bytes each time, and
// a function that closes them.
type Opener func() ([]Source, func(), error)

// FileOpener returns an Opener over the named files. Its error reports
// every file it cannot open, names a directory (ErrDirectory) or holds no
// bytes (ErrEmpty).
func FileOpener(paths ...string) Opener {
	set := FileSet{Bundles: paths}
	return set.sources
}

// Visitor receives a streamed bundle: Begin once, with everything but the
// identities' grants, validated; then Identity once for each identity, with
// its grants and where it and each grant were read, in input order. An
// error from either stops the stream and is returned by Stream.
type Visitor interface {
	// Begin receives the directory: the bundle without the identities'
	// grants, validated. Its Index holds every identity, without grants.
	Begin(b *Bundle) error
	// Identity receives one identity with its grants, validated against
	// the directory, and where it and each of its grants were read.
	Identity(id entitlement.Identity, where IdentityOrigin) error
}

// ErrChanged reports inputs whose bytes differ between the two passes of
// Stream.
var ErrChanged = errors.New("input changed while it was being read")

// Stream loads bundles too large to hold whole: memory grows with the
// number of identities and entitlements, not with the number of grants. It
// reads the inputs twice. The first pass loads and validates everything
// but the identities' grants — the directory — exactly as Load would, and
// hands it to v.Begin (its Index holds every identity, without grants).
// The second pass reads only the identities, validates each one's grants
// against the directory (entitlement.Index.ValidateGrants, and grant IDs
// against those of the identities before) and hands the
// identity, grants included, to v.Identity.
//
// The second pass takes each identity's bytes from where the first found
// them, without scanning them again, for as long as the input is where it
// was; the fingerprints of the bytes read on both passes tell whether it
// is the same input.
//
// Every problem Load would report is reported, up to MaxErrors, naming
// file, line, record and field. Once a grant problem is found, identities
// are still validated but no longer visited, so v never sees invalid data;
// the error returned then means v's results are incomplete. Inputs that
// change between the passes are an error wrapping ErrChanged.
//
// The returned Bundle is the directory: its Inventory holds every identity
// without its grants.
func Stream(open Opener, v Visitor) (*Bundle, error) {
	srcs, closeFirst, err := open()
	if err != nil {
		return nil, err
	}
	l := newLoader()
	// In place: see parallel.go.
	l.skipGrants, l.parallel, l.recordSpans = true, false, true
	l.read(srcs, func(d *decoder, id entitlement.Identity) error {
		l.b.Inventory.Identities = append(l.b.Inventory.Identities, id)
		return nil
	})
	closeFirst()
	l.validate()
	if err := l.err(); err != nil {
		return nil, err
	}
	b := l.b
	if err := v.Begin(b); err != nil {
		return nil, err
	}

	srcs, closeSecond, err := open()
	if err != nil {
		return nil, err
	}
	defer closeSecond()
	grantSeed := maphash.MakeSeed()
	var grantIDs hashset.Set // the grant IDs of the identities streamed so far
	l2 := newLoader()
	l2.identitiesOnly, l2.parallel = true, true
	// The second pass takes each identity's bytes from where the first
	// found them, without scanning them again, for as long as the input is
	// where it was (and the fingerprints below tell whether it was the same).
	l2.knownSpans, l.spans = l.spans, nil
	// The second pass need not hash with SHA-256 again: the fingerprints,
	// under one secret seed, tell whether it read the same bytes.
	l2.fpSeed, l2.noSHA = l.fpSeed, true
	// References are handed on as the directory's own strings, which the
	// validator and the checks then compare by pointer.
	l2.canon = newCanon(&b.Inventory)
	var visitErr error
	grants := b.Index.NewGrantValidator()
	l2.read(srcs, func(d *decoder, id entitlement.Identity) error {
		read := l2.origins[d.lastKey]
		where := identityOrigin(read, len(id.Grants))
		delete(l2.origins, d.lastKey)
		errs := entitlement.Errors(grants.Validate(id.ID, id.Grants))
		errs = append(errs, earlierGrants(&grantIDs, grantSeed, id)...)
		for _, e := range errs {
			if placeGrant(e, d.file, read, id.Grants, l2.failed) {
				l2.errs = append(l2.errs, e)
			}
		}
		if len(l2.errs) > 0 || visitErr != nil {
			return nil
		}
		if err := v.Identity(id, where); err != nil {
			visitErr = err
		}
		return nil
	})
	// An input that changed explains any problem of the second pass (it
	// reads each identity where the first pass found it), so it is
	// reported first; every input the second pass opened was read to its
	// end, problems or not.
	for i, in := range l2.b.Inputs {
		if i >= len(b.Inputs) || in.Name != b.Inputs[i].Name || in.Bytes != b.Inputs[i].Bytes || l2.fingerprints[i] != l.fingerprints[i] {
			return nil, fmt.Errorf("%w: %s", ErrChanged, in.Name)
		}
	}
	if visitErr != nil {
		return nil, visitErr
	}
	if err := l2.err(); err != nil {
		return nil, err
	}
	if l2.nIdentities != len(b.Inventory.Identities) {
		return nil, fmt.Errorf("%w: %d identities on the first pass, %d on the second", ErrChanged, len(b.Inventory.Identities), l2.nIdentities)
	}
	return b, nil
}

// placeGrant fills in the file and line of a grant problem found on the
// second pass, from where the identity just read was read (read: its
// origins, the first being this reading) and its grants: the line of the
// first grant with the problem's ID, or else the identity's. It reports
// false for a problem that repeats a decoding problem of the same field.
func placeGrant(err error, file string, read []origin, grants []entitlement.Grant, failed map[string]bool) bool {
	var re *entitlement.RecordError
	if !errors.As(err, &re) {
		return true
	}
	if failed[recordKey(re.Type, re.ID, re.Parent)+"\x00"+re.Field] {
		return false
	}
	re.File = file
	if len(read) == 0 {
		return true
	}
	o := read[0]
	re.File, re.Line = o.file, o.line
	if re.Type != "grant" {
		return true
	}
	k := slices.IndexFunc(grants, func(g entitlement.Grant) bool { return g.ID == re.ID })
	if k < 0 {
		// A grant without a usable ID is named by its position: #3.
		if n, err := strconv.Atoi(strings.TrimPrefix(re.ID, "#")); err == nil && strings.HasPrefix(re.ID, "#") {
			k = n
		}
	}
	if k >= 0 && k < len(o.grants) {
		re.Line = int(o.grants[k])
	}
	return true
}

// earlierGrants reports the grants of id whose IDs an identity streamed
// before it used, then remembers id's grant IDs. Grant IDs are kept as
// 64-bit hashes (11 to 21 bytes a grant); two different IDs whose hashes
// collide (odds about one in a hundred thousand for ten million grants)
// would be reported as a duplicate — a false alarm, never a miss. Repeats
// within id are ValidateGrants' to report.
func earlierGrants(seen *hashset.Set, seed maphash.Seed, id entitlement.Identity) []error {
	var errs []error
	// This identity's hashes so far, so that a repeat within it is not
	// taken for an earlier identity's: a list for the usual handful of
	// grants, a map past that.
	var mine []uint64
	var many map[uint64]bool
	for _, g := range id.Grants {
		if g.ID == "" {
			continue
		}
		h := maphash.String(seed, g.ID)
		switch {
		case many != nil:
			if many[h] {
				continue
			}
			many[h] = true
		case slices.Contains(mine, h):
			continue
		case len(mine) == 32:
			many = map[uint64]bool{h: true}
			for _, m := range mine {
				many[m] = true
			}
		default:
			mine = append(mine, h)
		}
		if !seen.Add(h) {
			errs = append(errs, &entitlement.RecordError{Type: "grant", ID: g.ID, Parent: "identity " + id.ID, Field: "id",
				Err: fmt.Errorf("%w: grant %q also held by an earlier identity", entitlement.ErrDuplicate, g.ID)})
		}
	}
	return errs
}
