package bundle

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/jsonpull"
	"github.com/sodkit/sodkit/raci"
	"github.com/sodkit/sodkit/sod"
)

// Format is the format tag this release reads: the value of the "format"
// member every bundle file holds.
const Format = "sodkit.bundle/v1"

// MaxErrors bounds how many problems one load reports; past it, loading
// stops and the last error says how many more there may be.
const MaxErrors = 1000

// Bundle is the content of one or more bundle files, merged and validated.
type Bundle struct {
	// AsOf is when the data was exported: the latest "as_of" of the files,
	// or zero if none declares one. Programs use it as the default
	// evaluation time, so a report on a fixed export does not change with
	// the wall clock.
	AsOf time.Time
	// Inventory holds the parties, entitlements, roles, identities with
	// their grants, and observations, in file order.
	Inventory entitlement.Inventory
	// Index is the validated index over Inventory.
	Index *entitlement.Index
	// Inputs records each file's name, size and SHA-256, in load order.
	Inputs []audit.Input
	// Findings are findings about the inputs themselves rather than the
	// access they describe, such as the data-quality notes of imported
	// exports (see LoadWith). scan includes them in every report.
	Findings []audit.Finding
	// Waivers are the "waivers" section, merged across files in input
	// order: owned, time-bounded acceptances of findings, which scan
	// applies to every report (see audit.Waiver).
	Waivers []audit.Waiver

	// The check packages' sections follow, one field each.

	// BreakGlass is the "breakglass" section: the emergency-access policy,
	// the emergency accounts and the session records, merged across files.
	BreakGlass breakglass.Config

	// SoD is the "sod" section: duties, rules, exceptions and the
	// maker-checker policy, merged across files.
	SoD sod.Config

	// RACI is the "raci" section: the RACI matrix, its overrides per
	// system and per entitlement, and the policy of the ownership,
	// recertification and non-human identity checks, merged across files.
	RACI raci.Config

	// origins is where each record was read (record key → every place),
	// shared with the loader that filled it; see Origin.
	origins map[string][]origin
}

// Source is one input to Load: a name used in errors and reports, and the
// bytes.
type Source struct {
	// Name names the input in errors, origins and the bundle's Inputs,
	// usually its file path.
	Name string
	// Reader yields the input's bytes. Load reads it once, as a stream,
	// and does not close it — except for the part before the "format"
	// member when that member is not first: that part is read again from
	// where Reader started when Reader is an io.Seeker whose Seek works,
	// and is otherwise kept in memory (see docs/format.md, member order).
	Reader io.Reader

	// conv is set by ReadRules for a rules file converted to JSON: the
	// file's own lines and hash.
	conv *converted
}

// LoadFiles opens and loads the named bundle files as one bundle, and
// closes them: it is LoadFileSet(FileSet{Bundles: paths}); see Load.
func LoadFiles(paths ...string) (*Bundle, error) {
	return LoadFileSet(FileSet{Bundles: paths})
}

// Load reads one or more bundle files and merges them into one bundle:
// sections are concatenated in order, and references may cross files. It
// reads each source once, as a stream, and decodes identities on all cores
// (GOMAXPROCS); the result and every error are the same as reading on one.
// Members may come in any order; each file's "format" is checked before
// anything else in it is decoded, at the cost Source.Reader states when it
// is not the first member.
//
// Loading is strict. Unknown members, wrong JSON types, unparsable times or
// durations, strings over their length limit (entitlement.MaxIDLength and
// its siblings; rejected as soon as they are read, and never kept),
// repeated member names, duplicate IDs (within or across files),
// references to records that do not exist, role cycles and impossible times
// are all errors. Load reports every problem it finds, up to MaxErrors,
// joined with errors.Join; each is an *entitlement.RecordError naming the
// file, line, record and field. A syntax error (including a truncated file)
// stops the file it occurs in, and validation is then skipped, since the
// records after it are missing.
func Load(sources ...Source) (*Bundle, error) {
	l := newLoader()
	l.parallel = true
	l.read(sources, func(d *decoder, id entitlement.Identity) error {
		l.b.Inventory.Identities = append(l.b.Inventory.Identities, id)
		return nil
	})
	l.validate()
	if err := l.err(); err != nil {
		return nil, err
	}
	return l.b, nil
}

// read decodes the sources in order, handing each identity to onIdentity,
// and records each input's hash.
func (l *loader) read(sources []Source, onIdentity func(*decoder, entitlement.Identity) error) {
	for i, src := range sources {
		in, fp := l.readSource(i, src, onIdentity)
		l.b.Inputs = append(l.b.Inputs, in)
		l.fingerprints = append(l.fingerprints, fp)
		if len(l.errs) >= MaxErrors {
			break
		}
	}
}

// readSource decodes one source and returns its name, size and hash (none
// with noSHA), and its fingerprint under the loader's seed. A
// file whose "format" member is not first is read up to that member,
// which is checked before anything else is trusted, and then decoded from
// its start (see replay).
func (l *loader) readSource(i int, src Source, onIdentity func(*decoder, entitlement.Identity) error) (audit.Input, uint64) {
	rp := newReplay(src, l.fpSeed, l.noSHA)
	d := l.newDecoder(i, src.Name, rp, onIdentity)
	if src.conv != nil {
		d.lines = src.conv.lines
	}
	err := d.readFile()
	if errors.Is(err, errReread) {
		var r io.Reader
		if r, err = rp.rewind(); err == nil {
			d = l.newDecoder(i, src.Name, r, onIdentity)
			d.formatChecked = true
			if src.conv != nil {
				d.lines = src.conv.lines
			}
			err = d.readFile()
		} else {
			l.syntax = true
			err = &entitlement.RecordError{File: src.Name, Err: fmt.Errorf("reading again from the start: %w", err)}
		}
	}
	if err != nil {
		var s stop
		if errors.As(err, &s) {
			l.errs = append(l.errs, s.err)
		} else {
			l.errs = append(l.errs, err)
		}
	}
	if err == nil || l.identitiesOnly {
		// Hash any trailing bytes the parser did not need — on Stream's
		// second pass even after a problem, so that its fingerprint tells
		// whether the problem is the input having changed.
		io.Copy(rp, src.Reader)
	}
	in := rp.input()
	if src.conv != nil {
		return src.conv.input, rp.fp.Sum64() // the file's, not the JSON made of it
	}
	return in, rp.fp.Sum64()
}

// newDecoder returns a decoder of source i, called name, read from r
// (from its start: a file read again records its spans again).
func (l *loader) newDecoder(i int, name string, r io.Reader, onIdentity func(*decoder, entitlement.Identity) error) *decoder {
	d := &decoder{loader: l, r: jsonpull.NewReader(r), file: name, zones: map[int]*time.Location{}}
	if l.recordSpans {
		for len(l.spans) <= i {
			l.spans = append(l.spans, nil)
		}
		l.spans[i] = nil
		d.spans = &l.spans[i]
	}
	if i < len(l.knownSpans) {
		d.known = l.knownSpans[i]
	}
	if rp, ok := r.(*replay); ok {
		d.replay = rp
	}
	d.onIdentity = func(id entitlement.Identity) error { return onIdentity(d, id) }
	return d
}

// validate indexes the inventory and checks the sections against it,
// unless reading already failed in a way that leaves records missing.
func (l *loader) validate() {
	if l.syntax || len(l.errs) >= MaxErrors {
		return
	}
	x, err := entitlement.NewIndex(&l.b.Inventory)
	l.b.Index = x
	if err == nil {
		// The check packages' sections refer into the inventory.
		err = l.validateSections(x)
	}
	for _, e := range entitlement.Errors(err) {
		if l.place(e) {
			l.errs = append(l.errs, e)
		}
	}
}

// err returns every problem found, joined, capped at MaxErrors.
func (l *loader) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	if len(l.errs) > MaxErrors {
		l.errs = append(l.errs[:MaxErrors], fmt.Errorf("stopped after %d errors", MaxErrors))
	}
	return errors.Join(l.errs...)
}

// place fills in the file and line of a validation error from where its
// record was read. It reports false for an error that repeats a decoding
// problem already reported for the same field.
func (l *loader) place(err error) bool {
	var re *entitlement.RecordError
	if !errors.As(err, &re) {
		return true
	}
	key := recordKey(re.Type, re.ID, re.Parent)
	if l.failed[key+"\x00"+re.Field] {
		return false
	}
	origins := l.origins[key]
	if len(origins) == 0 && re.Type == "grant" {
		origins = l.grantOrigins(re.ID, re.Parent)
	}
	if len(origins) == 0 {
		return true
	}
	o := origins[0]
	if errors.Is(re.Err, entitlement.ErrDuplicate) && re.Field == "id" {
		// The n-th duplicate-ID error of a key is about its (n+1)-th
		// occurrence, since validation reports duplicates in input order.
		n := l.dupSeen[key] + 1
		l.dupSeen[key] = n
		if n < len(origins) {
			o = origins[n]
		}
	}
	re.File, re.Line = o.file, o.line
	return true
}

// grantOrigins returns where each grant called name of the identity named
// in parent ("identity alice") was read, in input order, from the compact
// origins kept with the identity.
func (l *loader) grantOrigins(name, parent string) []origin {
	who, ok := strings.CutPrefix(parent, "identity ")
	if !ok {
		return nil
	}
	var out []origin
	for _, o := range l.origins[recordKey("identity", who, "")] {
		if int(o.pos) >= len(l.b.Inventory.Identities) {
			continue
		}
		grants := l.b.Inventory.Identities[o.pos].Grants
		for k, line := range o.grants {
			if k < len(grants) && (grants[k].ID == name || grants[k].ID == "" && name == "#"+strconv.Itoa(k)) {
				out = append(out, origin{file: o.file, line: int(line)})
			}
		}
	}
	return out
}

// readFile reads one bundle file.
//
// The "format" member is checked before any other member is decoded. When
// it is first, the file is decoded in one pass. When it is not (a file
// written with sorted keys), the members before it are only skipped
// (checking their syntax) until it is found and checked; readFile then
// returns errReread, and the caller decodes the file again from its start
// with formatChecked set.
func (d *decoder) readFile() error {
	// Skip leading white space, so top.line is the object's. A file that
	// is no object will not be read again.
	if d.r.Peek() != jsonpull.Object {
		d.replay.keepNothing()
	}
	top := d.begin("", 0)
	defer func() { d.rec = nil }()
	first, scanning, seen := true, false, false
	nbad := d.nbad
	err := d.object(func(key string) error {
		return d.field(key, func() error {
			if first {
				first = false
				switch {
				case key == "format":
					d.replay.keepNothing() // no need to read the file again
				case !d.formatChecked:
					scanning = true
				}
			}
			if scanning && key != "format" {
				return d.fatal(d.r.Skip()) // decoded once the format is known
			}
			switch key {
			case "format":
				seen = true
				var f string
				if err := d.str(&f); err != nil {
					return err
				}
				if f != Format {
					return d.fatalf(ErrFormat, "format %q, this release reads %q", f, Format)
				}
				if scanning {
					return errReread
				}
				return nil
			case "as_of":
				if d.identitiesOnly {
					return d.fatal(d.r.Skip())
				}
				var t time.Time
				err := d.timestamp(&t)
				if t.After(d.b.AsOf) {
					d.b.AsOf = t
				}
				return err
			default:
				if d.identitiesOnly && key != "identities" {
					if _, ok := d.sectionReader(key); ok {
						return d.fatal(d.r.Skip()) // read by the first pass
					}
				}
				if read, ok := d.sectionReader(key); ok {
					return read()
				}
			}
			return d.unknownHere(key)
		})
	})
	if err == errReread {
		// Nothing found while skipping counts: the second reading
		// reports it, in order.
		top.errs = top.errs[:0]
		d.nbad = nbad
	}
	d.end(top)
	if err != nil {
		return err
	}
	if !seen {
		e := &entitlement.RecordError{File: d.file, Line: top.line,
			Err: fmt.Errorf("%w: the file has no \"format\" member; want %q (is this a sodkit bundle?)", ErrFormat, Format)}
		d.syntax = true
		return stop{e}
	}
	return d.fatal(d.r.End())
}

// errReread is returned by readFile for a file whose "format" member is
// not first: the format has been checked, and the file must be decoded
// again from its start.
var errReread = errors.New("read the file again with its format checked")

// section reads an array of top-level records of one type, appending each
// to dst even when it has problems, so validation sees the rest of it.
func section[T any](d *decoder, typ string, dst *[]T, read func(*T) error) error {
	return d.array(func(int) error {
		rec := d.begin(typ, len(*dst))
		var v T
		err := read(&v)
		d.end(rec)
		d.release(rec)
		*dst = append(*dst, v)
		return err
	})
}

// fatalf stops the file with a problem that makes the rest meaningless.
func (d *decoder) fatalf(sentinel error, format string, args ...any) error {
	e := &entitlement.RecordError{File: d.file, Line: d.line(d.r.Pos().Line), Field: d.fieldPath(),
		Err: fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))}
	d.syntax = true
	return stop{e}
}
