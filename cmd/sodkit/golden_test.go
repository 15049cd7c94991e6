package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestDemoGolden freezes what the demo produces in every format, what
// explain, owners and whatif print for it, and the list of kinds, so that
// a refactoring that changes a finding's ID, kind, order or wording fails
// here. A change that is intended is made with -update and named in the
// commit.
func TestDemoGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"check.txt", []string{"check", "--demo"}},
		{"check.json", []string{"check", "--demo", "--format", "json"}},
		{"check.sarif.json", []string{"check", "--demo", "--format", "sarif"}},
		{"check.oscal.json", []string{"check", "--demo", "--format", "oscal"}},
		{"check.csv", []string{"check", "--demo", "--format", "csv"}},
		{"check.md", []string{"check", "--demo", "--format", "markdown"}},
		{"check.html", []string{"check", "--demo", "--format", "html"}},
		{"check-kind-high.txt", []string{"check", "--demo", "--group-by", "kind", "--min-severity", "high"}},
		{"check-none.txt", []string{"check", "--demo", "--group-by", "none"}},
		{"explain-alice.txt", []string{"explain", "--demo", "alice"}},
		{"explain-alice.json", []string{"explain", "--demo", "--format", "json", "alice"}},
		{"owners.txt", []string{"owners", "--demo"}},
		{"whatif-alice.txt", []string{"whatif", "--demo", "--identity", "alice", "--grant", "erp:payment.release"}},
		{"kinds.txt", []string{"kinds"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, out, errOut := cli(wallA, c.args...)
			got := out + errOut
			path := filepath.Join("testdata", "golden", c.name)
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create the golden file")
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("sodkit %v changed (-golden +now); rerun with -update if intended:\n%s", c.args, diff)
			}
		})
	}
}
