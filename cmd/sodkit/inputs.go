package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement/grantcsv"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
)

// inputs holds the flags that add inputs besides the bundle FILE
// arguments — SCIM and CSV exports, and --rules bundle files — shared by
// check, explain, whatif and owners. The exports' data-quality notes
// travel with the loaded bundle (LoadWith makes them findings), so every
// report includes them. A nil *inputs adds nothing.
type inputs struct {
	scim, csv, rules listFlag
	scimSystem       string
	scimKey          string
	csvMap           string
}

// registerInputs adds the input flags to fs.
func registerInputs(fs *flag.FlagSet) *inputs {
	in := &inputs{}
	fs.Var(&in.scim, "scim", "a SCIM 2.0 ListResponse export of Users or Groups (repeatable; all are read together)")
	fs.StringVar(&in.scimSystem, "scim-system", scim.DefaultSystem, "the identity provider's name, which prefixes the IDs made from SCIM (okta:group/ID)")
	fs.StringVar(&in.scimKey, "scim-key", "id", "the SCIM attribute that identifies people: id or userName (to match a CSV export that names people by userName)")
	fs.Var(&in.csv, "csv", "a CSV grant export, one row per identity and entitlement or role (repeatable)")
	fs.StringVar(&in.csvMap, "csv-map", "", "a JSON column mapping for the --csv files (default: the bundle field names as headers; see docs/importers.md)")
	fs.Var(&in.rules, "rules", "a bundle file, read like a FILE argument (repeatable)")
	return in
}

// active reports whether any input flag was given.
func (in *inputs) active() bool {
	return in != nil && len(in.scim)+len(in.csv)+len(in.rules) > 0
}

// imports reports whether SCIM or CSV exports were given.
func (in *inputs) imports() bool { return in != nil && len(in.scim)+len(in.csv) > 0 }

// bundleFiles returns the FILE arguments followed by the --rules files.
func (in *inputs) bundleFiles(files []string) []string {
	if in == nil || len(in.rules) == 0 {
		return files
	}
	return append(append([]string(nil), files...), in.rules...)
}

// load reads the exports and the bundle files and loads them together.
func (in *inputs) load(files []string) (*bundle.Bundle, error) {
	var imports []importer.Import
	var errs []error
	if len(in.scim) > 0 {
		imp, err := in.readSCIM()
		if err != nil {
			errs = append(errs, err)
		} else {
			imports = append(imports, imp)
		}
	} else if in.scimKey != "id" || in.scimSystem != scim.DefaultSystem {
		return nil, errors.New("--scim-key and --scim-system need --scim")
	}
	if len(in.csv) > 0 {
		imps, err := in.readCSV()
		errs = append(errs, err)
		imports = append(imports, imps...)
	} else if in.csvMap != "" {
		return nil, errors.New("--csv-map needs --csv")
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	paths := in.bundleFiles(files)
	srcs := make([]bundle.Source, 0, len(paths))
	defer func() {
		for _, s := range srcs {
			s.Reader.(*os.File).Close()
		}
	}()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, bundle.Source{Name: p, Reader: f})
	}
	return bundle.LoadWith(imports, srcs...)
}

// readSCIM reads every --scim file into one import, reporting the
// problems of every file.
func (in *inputs) readSCIM() (importer.Import, error) {
	key, err := scim.ParseKey(in.scimKey)
	if err != nil {
		return importer.Import{}, fmt.Errorf("--scim-key: %w", err)
	}
	r, err := scim.NewReader(scim.Options{System: in.scimSystem, Key: key})
	if err != nil {
		return importer.Import{}, fmt.Errorf("--scim-system: %w", err)
	}
	var errs []error
	for _, p := range in.scim {
		errs = append(errs, readFile(p, func(f *os.File) error { return r.Read(p, f) }))
	}
	if err := errors.Join(errs...); err != nil {
		return importer.Import{}, err
	}
	x := r.Import()
	x.Name = "--scim" // the name enters the IDs of the notes that name the import
	return x, nil
}

// readCSV reads each --csv file into an import of its own.
func (in *inputs) readCSV() ([]importer.Import, error) {
	var m grantcsv.Mapping
	if in.csvMap != "" {
		err := readFile(in.csvMap, func(f *os.File) (err error) {
			m, err = grantcsv.ReadMapping(in.csvMap, f)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("--csv-map: %w", err) // the errors name the file
		}
	}
	var out []importer.Import
	var errs []error
	for _, p := range in.csv {
		var x importer.Import
		err := readFile(p, func(f *os.File) (err error) {
			x, err = grantcsv.Read(p, f, m)
			return err
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, x)
	}
	return out, errors.Join(errs...)
}

// readFile opens a file, hands it to read and closes it.
func readFile(path string, read func(*os.File) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return read(f)
}
