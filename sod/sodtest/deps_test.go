package sodtest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies holds sodtest to its promise: it is library code that
// other repositories' tests import, so it must not link the testing
// package (which would register test flags in any program that imports
// it) nor the test-only modules this repository's own tests use.
func TestDependencies(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", "github.com/sodkit/sodkit/sod/sodtest").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 10 {
		t.Fatalf("go list -deps listed only %q", lines)
	}
	for _, l := range lines {
		pkg, standard, _ := strings.Cut(l, " ")
		switch {
		case pkg == "testing" || strings.HasPrefix(pkg, "testing/"):
			t.Errorf("sodtest links %s", pkg)
		case standard != "true" && !strings.HasPrefix(pkg, "github.com/sodkit/sodkit/"):
			t.Errorf("sodtest links %s, outside the standard library and sodkit", pkg)
		}
	}
}
