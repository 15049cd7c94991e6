package scan_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/scan"
	"github.com/sodkit/sodkit/sod"
)

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name    string
		reason  string
		opts    scan.Options
		unknown []scan.SelectionError // every unknown name, in order
		nothing bool                  // ErrNothingSelected
	}{
		{name: "zero", reason: "the zero Options runs everything", opts: scan.Options{}},
		{name: "packages", reason: "packages are the part of a kind before the dot",
			opts: scan.Options{Only: []string{"sod", "lifecycle", "import", "waiver"}, Skip: []string{"breakglass"}}},
		{name: "kinds", reason: "any kind Kinds lists", opts: scan.Options{Only: []string{"raci.no-owner"}, Skip: []string{"sod.toxic-combination"}}},
		{name: "typo in a package", reason: "a swapped pair of letters is one edit away",
			opts:    scan.Options{Only: []string{"sdo"}},
			unknown: []scan.SelectionError{{Field: "Only", Name: "sdo", Suggestions: []string{"sod"}}}},
		{name: "typo in a kind", reason: "a missing letter is one edit away",
			opts:    scan.Options{Skip: []string{"raci.no-ownr"}},
			unknown: []scan.SelectionError{{Field: "Skip", Name: "raci.no-ownr", Suggestions: []string{"raci.no-owner"}}}},
		{name: "case", reason: "names are exact, but the suggestion forgives case",
			opts:    scan.Options{Only: []string{"RACI"}},
			unknown: []scan.SelectionError{{Field: "Only", Name: "RACI", Suggestions: []string{"raci"}}}},
		{name: "far off", reason: "no suggestion when nothing is close",
			opts:    scan.Options{Skip: []string{"compliance"}},
			unknown: []scan.SelectionError{{Field: "Skip", Name: "compliance"}}},
		{name: "empty name", reason: "an empty name is not everything, nor nothing",
			opts:    scan.Options{Skip: []string{""}},
			unknown: []scan.SelectionError{{Field: "Skip", Name: ""}}},
		{name: "all at once", reason: "every unknown name is reported, not just the first",
			opts: scan.Options{Only: []string{"sod", "lifecyle"}, Skip: []string{"breakglas", "raci"}},
			unknown: []scan.SelectionError{
				{Field: "Only", Name: "lifecyle", Suggestions: []string{"lifecycle"}},
				{Field: "Skip", Name: "breakglas", Suggestions: []string{"breakglass"}},
			}},
		{name: "nothing left", reason: "a scan of nothing would pass every gate, so it fails closed",
			opts: scan.Options{Only: []string{"sod"}, Skip: []string{"sod"}}, nothing: true},
		{name: "everything skipped", reason: "the same without Only",
			opts: scan.Options{Skip: []string{"sod", "raci", "lifecycle", "breakglass", "import", "waiver"}}, nothing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			require.Equal(t, tt.nothing, errors.Is(err, scan.ErrNothingSelected), tt.reason)
			var got []scan.SelectionError
			for _, e := range unjoin(err) {
				if se, ok := errors.AsType[*scan.SelectionError](e); ok {
					require.ErrorIs(t, se, scan.ErrUnknownCheck)
					got = append(got, *se)
				}
			}
			require.Equal(t, tt.unknown, got, tt.reason)
			if len(tt.unknown) == 0 && !tt.nothing {
				require.NoError(t, err, tt.reason)
			}
		})
	}
	err := scan.Options{Only: []string{"sdo"}}.Validate()
	require.EqualError(t, err, `Only: unknown package or kind "sdo" (did you mean "sod"?)`)
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// TestSelection checks what RunWith reports for each selection against
// the full scan of the demo: exactly the selected kinds' findings, and the
// selected kinds as the report's Kinds.
func TestSelection(t *testing.T) {
	full, err := scanSources(t, scan.Options{}, demoWith())
	require.NoError(t, err)
	pkg := func(f audit.Finding) string { p, _, _ := strings.Cut(string(f.Kind), "."); return p }
	tests := []struct {
		name   string
		reason string
		opts   scan.Options
		keep   func(audit.Finding) bool // which findings of the full scan remain
	}{
		{"only packages", "the issue's example: a team that wants SoD and lifecycle only",
			scan.Options{Only: []string{"sod", "lifecycle"}},
			func(f audit.Finding) bool { return pkg(f) == "sod" || pkg(f) == "lifecycle" }},
		{"skip a package", "a bundle without a raci section need not fail on RACI gaps",
			scan.Options{Skip: []string{"raci"}},
			func(f audit.Finding) bool { return pkg(f) != "raci" }},
		{"only a kind", "one kind, alone",
			scan.Options{Only: []string{"raci.no-owner"}},
			func(f audit.Finding) bool { return f.Kind == "raci.no-owner" }},
		{"skip a kind", "every other kind of its package stays",
			scan.Options{Skip: []string{"raci.recertification-overdue"}},
			func(f audit.Finding) bool { return f.Kind != "raci.recertification-overdue" }},
		{"only a package, skip a kind of it", "Skip refines Only",
			scan.Options{Only: []string{"sod"}, Skip: []string{"sod.duty-conflict"}},
			func(f audit.Finding) bool { return pkg(f) == "sod" && f.Kind != "sod.duty-conflict" }},
		{"kind and its package", "naming a kind beside its package adds nothing",
			scan.Options{Only: []string{"breakglass", "breakglass.self-reviewed"}},
			func(f audit.Finding) bool { return pkg(f) == "breakglass" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := scanSources(t, tt.opts, demoWith())
			require.NoError(t, err)
			want := slices.DeleteFunc(slices.Clone(full.Findings), func(f audit.Finding) bool { return !tt.keep(f) })
			require.NotEmpty(t, want, "the demo has findings to select")
			require.Equal(t, want, r.Findings, tt.reason)
			var kinds []audit.KindInfo
			for _, k := range scan.Kinds() {
				if tt.keep(audit.Finding{Kind: k.Kind}) {
					kinds = append(kinds, k)
				}
			}
			require.Equal(t, kinds, r.Kinds, "the report describes only the kinds the run could report")
		})
	}
	_, err = scanSources(t, scan.Options{Only: []string{"sdo"}}, demoWith())
	require.ErrorIs(t, err, scan.ErrUnknownCheck, "RunWith validates its options")
}

// TestSkippedPackageDoesNotRun checks that skipping a package keeps its
// check from starting at all: a sod policy that cannot compile stops a
// full scan, and not one that skips sod.
func TestSkippedPackageDoesNotRun(t *testing.T) {
	b, err := bundle.Load(demoWith()...)
	require.NoError(t, err)
	b.SoD.Rules = append(b.SoD.Rules, sod.Rule{}) // no ID, no sides: Compile refuses it
	_, err = scan.Run(b, demoAt)
	require.Error(t, err, "a full scan compiles the sod policy")
	for _, opts := range []scan.Options{{Skip: []string{"sod"}}, {Only: []string{"raci", "lifecycle"}}} {
		r, err := scan.RunWith(b, demoAt, opts)
		require.NoError(t, err, "%+v: sod does not start", opts)
		require.NotEmpty(t, r.Findings)
	}
	_, err = scan.RunWith(b, demoAt, scan.Options{Skip: []string{"sod.toxic-combination"}})
	require.Error(t, err, "skipping some kinds of a package still runs it")
}

// FuzzOptions validates arbitrary names. Validation never panics; it
// fails exactly when a name is neither a package nor a kind (each reported
// once, with a suggestion that is itself a known name) or nothing is left;
// and a valid selection runs only known kinds.
func FuzzOptions(f *testing.F) {
	for _, seed := range [][2]string{{"sod", ""}, {"sdo", "raci"}, {"raci.no-ownr", ""}, {"", "waiver"}, {"sod", "sod"}, {"RACI", "x.y"}} {
		f.Add(seed[0], seed[1])
	}
	known := map[string]bool{}
	for _, k := range scan.Kinds() {
		known[string(k.Kind)] = true
		pkg, _, _ := strings.Cut(string(k.Kind), ".")
		known[pkg] = true
	}
	f.Fuzz(func(t *testing.T, only, skip string) {
		opts := scan.Options{Skip: strings.Split(skip, ",")}
		if only != "" {
			opts.Only = strings.Split(only, ",")
		}
		err := opts.Validate()
		var unknown int
		for _, n := range append(slices.Clone(opts.Only), opts.Skip...) {
			if !known[n] {
				unknown++
			}
		}
		var reported int
		for _, e := range unjoin(err) {
			if se, ok := errors.AsType[*scan.SelectionError](e); ok {
				reported++
				require.False(t, known[se.Name], "a known name is never reported")
				for _, sg := range se.Suggestions {
					require.True(t, known[sg], "a suggestion is a known name: %q", sg)
				}
			}
		}
		require.Equal(t, unknown, reported, "every unknown name is reported, once per mention")
		if err == nil {
			require.Zero(t, unknown)
		} else if unknown == 0 {
			require.ErrorIs(t, err, scan.ErrNothingSelected)
		}
	})
}
