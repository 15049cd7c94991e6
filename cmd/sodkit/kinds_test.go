package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/scan"
)

func TestKindsCommand(t *testing.T) {
	code, out, errOut := cli(wallA, "kinds", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var got kindsReport
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	want := scan.Kinds()
	require.Len(t, got.Kinds, len(want), "every kind a scan can report")
	for i, k := range got.Kinds {
		require.Equal(t, want[i].Kind, k.Kind, "sorted by kind, as scan.Kinds")
		require.Equal(t, want[i].Severity, k.Severity)
		require.NotEmpty(t, k.Title)
		require.NotEmpty(t, k.Remediation, "json carries the remediation")
		require.NotEmpty(t, k.Help, "json carries the help")
		require.True(t, slices.IsSortedFunc(k.Controls, audit.Control.Compare), "%s: controls sorted", k.Kind)
		require.ElementsMatch(t, want[i].Controls, k.Controls)
	}

	code, text, errOut := cli(wallA, "kinds")
	require.Equal(t, exitOK, code, errOut)
	for _, k := range want {
		require.Regexp(t, `(?m)^`+strings.ReplaceAll(string(k.Kind), ".", `\.`)+` +`+k.Severity.String()+` +`, text, "one line per kind: kind, severity, title")
	}
	require.Contains(t, text, "\n  controls: NIST CSF 2.0 PR.AA-05; NIST SP 800-53 Rev. 5 AC-5; NIST SP 800-53 Rev. 5 AC-6\n", "controls follow on their own line")
}

func TestKindsUsage(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		args   []string
		code   int
		stderr string
	}{
		{name: "format", reason: "only text and json", args: []string{"kinds", "--format", "sarif"}, code: exitError, stderr: `unknown --format "sarif" (want text or json)`},
		{name: "argument", reason: "kinds reads no file", args: []string{"kinds", "org.json"}, code: exitError, stderr: `unexpected argument "org.json"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := cli(wallA, tc.args...)
			require.Equal(t, tc.code, code, tc.reason)
			require.Contains(t, errOut, tc.stderr, tc.reason)
		})
	}
	code, out, errOut := cli(wallA, "kinds", "-h")
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "Usage: sodkit kinds", "its own usage, on standard output")
	require.Empty(t, errOut)
	_, out, _ = cli(wallA, "help")
	require.Contains(t, out, "sodkit kinds", "the help lists the command")
}
