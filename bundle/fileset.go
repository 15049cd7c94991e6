package bundle

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
)

// FileSet names the files of one load the way sodkit check's arguments
// and flags do: bundle files, rules files, SCIM exports, CSV grant exports
// and their column mapping. LoadFileSet reads them; Opener streams the
// bundle and rules files.
//
// The zero FileSet names no file, and LoadFileSet refuses it.
type FileSet struct {
	// Bundles lists bundle files, read in order as Load reads its sources
	// (sodkit check's FILE arguments).
	Bundles []string
	// Rules lists rules files (--rules), read after Bundles, in order,
	// each through ReadRules: a bundle file in JSON or YAML, or an SoD
	// ruleset in CSV, its format told by its extension (.json, .yaml or
	// .yml, .csv) unless RulesFormat gives it.
	Rules []string
	// RulesFormat is the format of every Rules file (--rules-format); the
	// zero value, RulesByExtension, tells each one's by its name. Set it
	// only with rules files.
	RulesFormat RulesFormat
	// SCIM lists SCIM 2.0 ListResponse exports of Users and Groups
	// (--scim), read together by one scim.Reader into one import, so group
	// membership and nesting resolve across them.
	SCIM []string
	// SCIMOptions configures the SCIM reader: the system that prefixes the
	// IDs made from SCIM (--scim-system) and the attribute that keys
	// identities (--scim-key). The zero value means the reader's defaults.
	// Set it only with SCIM files.
	SCIMOptions scim.Options
	// SCIMName names the SCIM import in errors and notes (see
	// importer.Import.Name); empty means the reader's name for it, the
	// system. Set it only with SCIM files.
	SCIMName string
	// CSV lists CSV grant exports (--csv), each read into an import of its
	// own, named by its file.
	CSV []string
	// CSVMapping names a JSON column mapping file for every CSV export
	// (--csv-map; see grantcsv.ReadMapping). Empty means the zero
	// grantcsv.Mapping, which reads the bundle format's grant member names
	// as headers. Set it only with CSV files.
	CSVMapping string
	// Stdin is read for a file named "-", in any of the lists above, as
	// sodkit check reads standard input; the input is then named "stdin"
	// in errors and in the bundle's Inputs. At most one file may be "-",
	// since standard input can be read once. Nil means "-" is a file name
	// like any other.
	Stdin io.Reader
}

// StdinName names standard input, read for the file "-" (FileSet.Stdin),
// in errors and in the bundle's Inputs.
const StdinName = "stdin"

// Errors about an input file that holds nothing to read, wrapped in an
// *entitlement.RecordError naming the file. Test with errors.Is.
var (
	// ErrEmpty: the file holds no bytes at all.
	ErrEmpty = errors.New("empty file")
	// ErrDirectory: the name is a directory's, not a file's.
	ErrDirectory = errors.New("is a directory")
)

// LoadFileSet reads the files set names and loads them as one validated
// bundle, as sodkit check does: the SCIM exports into one import, each CSV
// export into one more, then the bundle files and the rules files with the
// imports through LoadWith (the SCIM import first, then the CSV imports in
// order). It closes every file it opens before it returns.
//
// LoadFileSet reports every problem it finds, joined: each file it cannot
// open (an *fs.PathError naming the file), each that names a directory or
// holds no bytes (ErrDirectory, ErrEmpty), and every problem of the
// exports, of the mapping file and of the rules files (what ReadRules
// reports), as the importers report them (*entitlement.RecordError values
// naming the file, line, record and field). When every export and rules
// file reads cleanly, it loads the bundle and rules files with the exports
// and reports what LoadWith finds; so it does when the only problems are
// in rows of CSV exports, loading the other rows, so that their references
// and the bundle files' problems are reported with the rows' (all at once,
// rather than one kind of problem per run). Any other problem leaves
// inputs missing, and the rest is not validated. A FileSet that names no
// file, or sets options for files it does not name, is an error.
func LoadFileSet(set FileSet) (*Bundle, error) {
	if err := set.check(); err != nil {
		return nil, err
	}
	var imports []importer.Import
	var errs []error
	if len(set.SCIM) > 0 {
		im, err := set.readSCIM()
		if err != nil {
			errs = append(errs, err)
		} else {
			imports = append(imports, im)
		}
	}
	// Only rows of the CSV exports failed: every input is still there but
	// those rows, so loading the rest reports the references of the other
	// rows, and the bundle files' problems, with the rows' own.
	rowsOnly := len(errs) == 0
	if len(set.CSV) > 0 {
		ims, complete, err := set.readCSV()
		errs = append(errs, err)
		imports = append(imports, ims...)
		rowsOnly = rowsOnly && complete
	}
	srcs, closeAll, err := set.sources()
	if err != nil {
		errs = append(errs, err)
		rowsOnly = false
	} else {
		defer closeAll()
	}
	if err := errors.Join(errs...); err != nil {
		if rowsOnly {
			if _, more := LoadWith(imports, srcs...); more != nil {
				err = errors.Join(err, more)
			}
		}
		return nil, err
	}
	return LoadWith(imports, srcs...)
}

// Opener returns an Opener over the bundle files and then the rules files
// set names (each through ReadRules), for Stream. Its error reports every
// file it cannot open or read; a set that names SCIM or CSV exports, which
// are resolved in memory, is an error too.
func (set FileSet) Opener() Opener {
	return func() ([]Source, func(), error) {
		if err := set.check(); err != nil {
			return nil, nil, err
		}
		if len(set.SCIM)+len(set.CSV) > 0 {
			return nil, nil, errors.New("bundle: SCIM and CSV exports cannot be streamed; load them with LoadFileSet")
		}
		return set.sources()
	}
}

// sources opens the bundle files, then the rules files, each read
// through ReadRules, and returns their sources and a function that closes
// what it opened. It reports every file it cannot open or read (a
// directory, an empty file, a rules file in no known format), and then
// closes the others and returns no sources.
func (set FileSet) sources() ([]Source, func(), error) {
	var closers []func()
	closeAll := func() {
		for _, c := range closers {
			c()
		}
	}
	srcs := make([]Source, 0, len(set.Bundles)+len(set.Rules))
	var errs []error
	for i, p := range slices.Concat(set.Bundles, set.Rules) {
		rules := i >= len(set.Bundles)
		want := "a sodkit bundle"
		if rules {
			want = "rules (a bundle file, or an SoD ruleset in CSV)"
		}
		name, r, closeFile, err := set.open(p, want)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		closers = append(closers, closeFile)
		src := Source{Name: name, Reader: r}
		if rules {
			if src, err = ReadRules(name, r, set.RulesFormat); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		srcs = append(srcs, src)
	}
	if err := errors.Join(errs...); err != nil {
		closeAll()
		return nil, nil, err
	}
	return srcs, closeAll, nil
}

// check reports a FileSet that names no file, or options for files it
// does not name.
func (set FileSet) check() error {
	var errs []error
	if len(set.Bundles)+len(set.Rules)+len(set.SCIM)+len(set.CSV) == 0 {
		errs = append(errs, errors.New("bundle: the file set names no file to load"))
	}
	if len(set.Rules) == 0 && set.RulesFormat != RulesByExtension {
		errs = append(errs, errors.New("bundle: the file set has a rules format but no rules file"))
	}
	if len(set.SCIM) == 0 && (set.SCIMOptions != scim.Options{} || set.SCIMName != "") {
		errs = append(errs, errors.New("bundle: the file set has SCIM options but no SCIM file"))
	}
	if len(set.CSV) == 0 && set.CSVMapping != "" {
		errs = append(errs, errors.New("bundle: the file set has a CSV mapping but no CSV file"))
	}
	if set.Stdin != nil {
		n := 0
		for _, p := range slices.Concat(set.Bundles, set.Rules, set.SCIM, set.CSV, []string{set.CSVMapping}) {
			if p == "-" {
				n++
			}
		}
		if n > 1 {
			errs = append(errs, fmt.Errorf("bundle: the file set names standard input (-) %d times; it can be read once", n))
		}
	}
	return errors.Join(errs...)
}

// readSCIM reads every SCIM export into one import, reporting the problems
// of every file.
func (set FileSet) readSCIM() (importer.Import, error) {
	r, err := scim.NewReader(set.SCIMOptions)
	if err != nil {
		return importer.Import{}, err
	}
	var errs []error
	for _, p := range set.SCIM {
		errs = append(errs, set.readFile(p, "a SCIM ListResponse", func(name string, f io.Reader) error { return r.Read(name, f) }))
	}
	if err := errors.Join(errs...); err != nil {
		return importer.Import{}, err
	}
	im := r.Import()
	if set.SCIMName != "" {
		im.Name = set.SCIMName
	}
	return im, nil
}

// readCSV reads the mapping, then each CSV export into an import of its
// own, reporting the problems of every file. complete reports whether
// every export gave an import: read cleanly, or with problems confined to
// rows (grantcsv.Read then returns the import of the other rows, which
// readCSV returns too).
func (set FileSet) readCSV() (imports []importer.Import, complete bool, err error) {
	var m grantcsv.Mapping
	if set.CSVMapping != "" {
		err := set.readFile(set.CSVMapping, "a JSON column mapping", func(name string, f io.Reader) (err error) {
			m, err = grantcsv.ReadMapping(name, f)
			return err
		})
		if err != nil {
			return nil, false, err // the CSV files cannot be read without it
		}
	}
	var out []importer.Import
	var errs []error
	complete = true
	for _, p := range set.CSV {
		got := false
		err := set.readFile(p, "a header row and grants", func(name string, f io.Reader) error {
			im, err := grantcsv.Read(name, f, m)
			if im.Name != "" { // read, or read but for some rows
				out = append(out, im)
				got = true
			}
			return err
		})
		errs = append(errs, err)
		complete = complete && got
	}
	return out, complete, errors.Join(errs...)
}

// readFile opens a file, hands it to read with the file's name and closes
// it; want says what the file should hold, for the error about an empty
// one.
func (set FileSet) readFile(path, want string, read func(string, io.Reader) error) error {
	name, f, closeFile, err := set.open(path, want)
	if err != nil {
		return err
	}
	defer closeFile()
	return read(name, f)
}

// open opens one file of the set for reading, after checking that it is
// a file (ErrDirectory) and holds something (ErrEmpty, which want
// completes): standard input for "-" when Stdin is set. It returns the
// input's name, its reader and a function that closes it.
func (set FileSet) open(path, want string) (string, io.Reader, func(), error) {
	if path == "-" && set.Stdin != nil {
		return nonEmpty(StdinName, set.Stdin, want, func() {})
	}
	return openFile(path, want)
}

// openFile opens a named file; see FileSet.open.
func openFile(path, want string) (string, io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return "", nil, nil, &entitlement.RecordError{File: path,
			Err: fmt.Errorf("%w, not a file: give the files in it, such as %s", ErrDirectory, filepath.Join(path, "*.json"))}
	}
	return nonEmpty(path, f, want, func() { f.Close() })
}

// nonEmpty returns r, buffered, unless it holds no byte at all: then it
// closes it and reports the empty input.
func nonEmpty(name string, r io.Reader, want string, closeIt func()) (string, io.Reader, func(), error) {
	br := bufio.NewReader(r)
	if _, err := br.Peek(1); err == io.EOF {
		closeIt()
		return "", nil, nil, &entitlement.RecordError{File: name, Err: fmt.Errorf("%w: want %s", ErrEmpty, want)}
	}
	// Any other error is the reader's to report, when it is read.
	return name, br, closeIt, nil
}
