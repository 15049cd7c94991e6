package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/internal/yamljson"
)

// RulesFormat is the format of a rules file (see ReadRules). The zero
// RulesFormat, RulesByExtension, tells each file's format by its name.
type RulesFormat uint8

// The rules formats.
const (
	// RulesByExtension tells the format by the file name's extension:
	// .json, .yaml or .yml, .csv, in any case. Any other name is an error.
	RulesByExtension RulesFormat = iota
	// RulesJSON is a bundle file, as Load reads.
	RulesJSON
	// RulesYAML is a bundle file written in YAML: the same members and
	// values as in JSON (docs/format.md), format first or anywhere.
	RulesYAML
	// RulesCSV is an SoD ruleset, one row per risk, function and action,
	// as ERP rulesets are published (docs/sod.md).
	RulesCSV
)

var rulesFormatNames = [...]string{"", "json", "yaml", "csv"}

// String returns "json", "yaml" or "csv", or "" for RulesByExtension.
func (f RulesFormat) String() string {
	if int(f) < len(rulesFormatNames) {
		return rulesFormatNames[f]
	}
	return fmt.Sprintf("RulesFormat(%d)", uint8(f))
}

// ParseRulesFormat parses "json", "yaml" (or "yml") or "csv", in any case;
// "" is RulesByExtension. The error quotes the input.
func ParseRulesFormat(s string) (RulesFormat, error) {
	switch strings.ToLower(s) {
	case "":
		return RulesByExtension, nil
	case "json":
		return RulesJSON, nil
	case "yaml", "yml":
		return RulesYAML, nil
	case "csv":
		return RulesCSV, nil
	}
	return 0, fmt.Errorf("unknown rules format %q (want json, yaml or csv)", s)
}

// RulesFormatOf returns the rules format a file name's extension names:
// RulesJSON for .json, RulesYAML for .yaml and .yml, RulesCSV for .csv,
// in any case; ok is false for any other name.
func RulesFormatOf(name string) (f RulesFormat, ok bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return RulesJSON, true
	case ".yaml", ".yml":
		return RulesYAML, true
	case ".csv":
		return RulesCSV, true
	}
	return RulesByExtension, false
}

// ErrRulesFormat is wrapped by the error of ReadRules for a file whose
// format is neither given nor told by its name. Test with errors.Is.
var ErrRulesFormat = errors.New("unknown rules format")

// converted is what a Source made by ReadRules carries besides the JSON
// it reads: the line of the file as written of each JSON line, and the
// name, size and hash of the file as written.
type converted struct {
	lines []int
	input audit.Input
}

// ReadRules reads a rules file called name in format f (RulesByExtension:
// by name) and returns it as a Source for Load, LoadWith or Stream, which
// load it like any bundle file: its records merge with the other files',
// and every problem is reported with the file, line, record and field.
//
//   - A JSON file is returned as it is, not read: the loader streams it.
//   - A YAML file (RulesYAML) is a bundle file written in YAML. It is read
//     whole and converted to the equivalent JSON (see docs/format.md for
//     the YAML it reads), for the loader to read as it reads JSON: the
//     same members, the same strictness, the same errors, naming the YAML
//     file's lines.
//   - A CSV file (RulesCSV) is an SoD ruleset: a header row, then one row
//     per risk, function and action (docs/sod.md lists the columns). It is
//     read whole into the "sod" section of a bundle file: each function a
//     duty, each risk a rule with one side per function. The loader's
//     errors name the row of the record concerned.
//
// The Source of a YAML or CSV file reads the converted JSON; the load it
// joins lists the file's own name, size and SHA-256 among its inputs, and
// places its records on the file's own lines. Pass it to a load as it is,
// once.
//
// The error reports every problem ReadRules finds, joined, each an
// *entitlement.RecordError naming the file and line: a format that is
// neither given nor told by the name (ErrRulesFormat); malformed YAML or
// CSV, or YAML beyond the subset read (importer.ErrSyntax, in an
// *importer.SyntaxError giving the column); and for a CSV ruleset, missing
// columns and rows it cannot read (see docs/sod.md).
func ReadRules(name string, r io.Reader, f RulesFormat) (Source, error) {
	if f == RulesByExtension {
		var ok bool
		if f, ok = RulesFormatOf(name); !ok {
			return Source{}, &entitlement.RecordError{File: name, Err: fmt.Errorf(
				"%w: cannot tell the format of a rules file from its name: want .json, .yaml, .yml or .csv, or a format given (sodkit: --rules-format)", ErrRulesFormat)}
		}
	}
	switch f {
	case RulesJSON:
		return Source{Name: name, Reader: r}, nil
	case RulesYAML, RulesCSV:
	default:
		return Source{}, &entitlement.RecordError{File: name, Err: fmt.Errorf("%w: %v", ErrRulesFormat, f)}
	}
	h := audit.NewInputHasher(name)
	data, err := io.ReadAll(io.TeeReader(r, h))
	if err != nil {
		return Source{}, &entitlement.RecordError{File: name, Err: fmt.Errorf("reading: %w", err)}
	}
	var js []byte
	var lines []int
	if f == RulesYAML {
		res, err := yamljson.Convert(data)
		if err != nil {
			var ye *yamljson.Error
			errors.As(err, &ye)
			return Source{}, &entitlement.RecordError{File: name, Line: ye.Line,
				Err: &importer.SyntaxError{Format: "YAML", Msg: ye.Msg, Column: ye.Col}}
		}
		js, lines = res.JSON, res.Lines
	} else if js, lines, err = rulesCSV(name, data); err != nil {
		return Source{}, err
	}
	return Source{Name: name, Reader: bytes.NewReader(js), conv: &converted{lines: lines, input: h.Input()}}, nil
}
