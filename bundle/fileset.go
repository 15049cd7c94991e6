package bundle

import (
	"errors"
	"io"
	"os"
	"slices"

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
}

// LoadFileSet reads the files set names and loads them as one validated
// bundle, as sodkit check does: the SCIM exports into one import, each CSV
// export into one more, then the bundle files and the rules files with the
// imports through LoadWith (the SCIM import first, then the CSV imports in
// order). It closes every file it opens before it returns.
//
// LoadFileSet reports every problem it finds, joined: each file it cannot
// open (an *fs.PathError naming the file), and every problem of the
// exports, of the mapping file and of the rules files (what ReadRules
// reports), as the importers report them (*entitlement.RecordError values
// naming the file, line, record and field). Only when every export and
// rules file reads cleanly does it load the bundle and rules files with
// the exports, and report what LoadWith finds. A FileSet that names no
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
	if len(set.CSV) > 0 {
		ims, err := set.readCSV()
		errs = append(errs, err)
		imports = append(imports, ims...)
	}
	srcs, closeAll, err := set.open()
	if err != nil {
		errs = append(errs, err)
	} else {
		defer closeAll()
	}
	if err := errors.Join(errs...); err != nil {
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
		return set.open()
	}
}

// open opens the bundle files, then the rules files, each read through
// ReadRules, and returns their sources and a function that closes the
// files still open. It reports every file it cannot open or read, and
// then closes the others and returns no sources.
func (set FileSet) open() ([]Source, func(), error) {
	var files []*os.File
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	var srcs []Source
	var errs []error
	for i, p := range append(slices.Clone(set.Bundles), set.Rules...) {
		f, err := os.Open(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
		src := Source{Name: p, Reader: f}
		if i >= len(set.Bundles) {
			if src, err = ReadRules(p, f, set.RulesFormat); err != nil {
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
		errs = append(errs, readFile(p, func(f io.Reader) error { return r.Read(p, f) }))
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
// own, reporting the problems of every file.
func (set FileSet) readCSV() ([]importer.Import, error) {
	var m grantcsv.Mapping
	if set.CSVMapping != "" {
		err := readFile(set.CSVMapping, func(f io.Reader) (err error) {
			m, err = grantcsv.ReadMapping(set.CSVMapping, f)
			return err
		})
		if err != nil {
			return nil, err // the CSV files cannot be read without it
		}
	}
	var out []importer.Import
	var errs []error
	for _, p := range set.CSV {
		err := readFile(p, func(f io.Reader) error {
			im, err := grantcsv.Read(p, f, m)
			if err == nil {
				out = append(out, im)
			}
			return err
		})
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// readFile opens a file, hands it to read and closes it.
func readFile(path string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return read(f)
}

// openFiles opens the named files as sources, and returns a function that
// closes them. It reports every file it cannot open, and then closes the
// others and returns no sources.
func openFiles(paths []string) ([]Source, func(), error) {
	srcs := make([]Source, 0, len(paths))
	var files []*os.File
	var errs []error
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
		srcs = append(srcs, Source{Name: p, Reader: f})
	}
	if err := errors.Join(errs...); err != nil {
		closeAll()
		return nil, nil, err
	}
	return srcs, closeAll, nil
}
