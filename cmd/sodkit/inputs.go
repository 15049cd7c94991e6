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
// arguments — SCIM and CSV exports, and --rules files (bundle files in JSON
// or YAML, SoD rulesets in CSV) — shared by check, explain, whatif and
// owners. bundle.LoadFileSet reads them; the
// exports' data-quality notes travel with the loaded bundle
// (Bundle.Findings), so every report includes them. A nil *inputs adds
// nothing.
type inputs struct {
	scim, csv, rules listFlag
	scimSystem       string
	scimKey          string
	csvMap           string
	rulesFormat      string
}

// registerInputs adds the input flags to fs.
func registerInputs(fs *flag.FlagSet) *inputs {
	in := &inputs{}
	fs.Var(&in.scim, "scim", "a SCIM 2.0 ListResponse export of Users or Groups (repeatable; all are read together)")
	fs.StringVar(&in.scimSystem, "scim-system", scim.DefaultSystem, "the identity provider's name, which prefixes the IDs made from SCIM (okta:group/ID)")
	fs.StringVar(&in.scimKey, "scim-key", "id", "the SCIM attribute that identifies people: id or userName (to match a CSV export that names people by userName)")
	fs.Var(&in.csv, "csv", "a CSV grant export, one row per identity and entitlement or role (repeatable)")
	fs.StringVar(&in.csvMap, "csv-map", "", "a JSON column mapping for the --csv files (default: the bundle field names as headers; see docs/importers.md)")
	fs.Var(&in.rules, "rules", "a rules file, read after the FILE arguments: a bundle file in JSON (.json) or YAML (.yaml, .yml), or an SoD ruleset in CSV (.csv; risk, function, action rows; see docs/sod.md) (repeatable)")
	fs.StringVar(&in.rulesFormat, "rules-format", "", "the format of every --rules file: json, yaml or csv (default: by each file's extension)")
	return in
}

// active reports whether any input flag was given.
func (in *inputs) active() bool {
	return in != nil && (len(in.scim)+len(in.csv)+len(in.rules) > 0 || in.rulesFormat != "")
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
	if _, err := bundle.ParseRulesFormat(in.rulesFormat); err != nil {
		errs = append(errs, fmt.Errorf("--rules-format: %w", err))
	} else if len(in.rules) == 0 && in.rulesFormat != "" {
		errs = append(errs, errors.New("--rules-format needs --rules"))
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

// bundleFiles returns the FILE arguments followed by the --rules files:
// every file a streamed check reads.
func (in *inputs) bundleFiles(files []string) []string {
	if in == nil || len(in.rules) == 0 {
		return files
	}
	return append(append([]string(nil), files...), in.rules...)
}

// rulesSet returns the file set of the FILE arguments and the --rules
// files, checking --rules-format.
func (in *inputs) rulesSet(files []string) (bundle.FileSet, error) {
	set := bundle.FileSet{Bundles: files}
	if in == nil {
		return set, nil
	}
	f, err := bundle.ParseRulesFormat(in.rulesFormat)
	if err != nil {
		return set, fmt.Errorf("--rules-format: %w", err)
	}
	if len(in.rules) == 0 && in.rulesFormat != "" {
		return set, errors.New("--rules-format needs --rules")
	}
	set.Rules, set.RulesFormat = in.rules, f
	return set, nil
}

// opener returns the opener a streamed check reads the FILE arguments
// and the --rules files with.
func (in *inputs) opener(files []string) bundle.Opener {
	set, err := in.rulesSet(files)
	if err != nil {
		return func() ([]bundle.Source, func(), error) { return nil, nil, err }
	}
	return set.Opener()
}

// load reads the exports, the bundle files and the rules files and loads
// them together (bundle.LoadFileSet): the flags translated into a file
// set, with stdin read for a file named "-". The flags must have passed
// check.
func (in *inputs) load(files []string, stdin io.Reader) (*bundle.Bundle, error) {
	set, err := in.rulesSet(files)
	if err != nil {
		return nil, err
	}
	set.SCIM, set.CSV, set.CSVMapping, set.Stdin = in.scim, in.csv, in.csvMap, stdin
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
