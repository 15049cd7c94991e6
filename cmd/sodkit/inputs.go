package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement/scim"
)

// inputs holds the flags that add inputs besides the bundle FILE
// arguments — SCIM and CSV exports, and --rules bundle files — shared by
// check, explain, whatif and owners. bundle.LoadFileSet reads them; the
// exports' data-quality notes travel with the loaded bundle
// (Bundle.Findings), so every report includes them. A nil *inputs adds
// nothing.
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

// readsStdin reports whether an export or the mapping is "-", standard
// input.
func (in *inputs) readsStdin() bool {
	return in != nil && (slices.Contains(in.scim, "-") || slices.Contains(in.csv, "-") || in.csvMap == "-")
}

// check reports options given without the files they apply to, and
// standard input named more than once (with the FILE arguments), before
// anything is read: a flag that would be ignored is an error.
func (in *inputs) check(files []string) error {
	var errs []error
	if len(in.scim) == 0 && (in.scimKey != "id" || in.scimSystem != scim.DefaultSystem) {
		errs = append(errs, errors.New("--scim-key and --scim-system need --scim"))
	}
	if len(in.csv) == 0 && in.csvMap != "" {
		errs = append(errs, errors.New("--csv-map needs --csv"))
	}
	n := 0
	for _, p := range slices.Concat(in.bundleFiles(files), in.scim, in.csv, []string{in.csvMap}) {
		if p == "-" {
			n++
		}
	}
	if n > 1 {
		errs = append(errs, fmt.Errorf("standard input (-) is named %d times; it can be read once", n))
	}
	return errors.Join(errs...)
}

// bundleFiles returns the FILE arguments followed by the --rules files.
func (in *inputs) bundleFiles(files []string) []string {
	if in == nil || len(in.rules) == 0 {
		return files
	}
	return append(append([]string(nil), files...), in.rules...)
}

// load reads the exports and the bundle files and loads them together
// (bundle.LoadFileSet): the flags translated into a file set, with stdin
// read for a file named "-". The flags must have passed check.
func (in *inputs) load(files []string, stdin io.Reader) (*bundle.Bundle, error) {
	set := bundle.FileSet{Bundles: in.bundleFiles(files), SCIM: in.scim, CSV: in.csv, CSVMapping: in.csvMap, Stdin: stdin}
	if len(in.scim) > 0 {
		key, err := scim.ParseKey(in.scimKey)
		if err != nil {
			return nil, fmt.Errorf("--scim-key: %w", err)
		}
		set.SCIMOptions = scim.Options{System: in.scimSystem, Key: key}
		// The SCIM import's name enters the IDs of the notes that name it:
		// it stays what it has always been.
		set.SCIMName = "--scim"
	}
	return bundle.LoadFileSet(set)
}
