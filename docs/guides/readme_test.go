package guides_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEExampleCompiles compiles the README's Go example, so the
// first code a newcomer reads never drifts from the API. The snippet is
// shortened for reading ("if err != nil { ... }", a time "now" from
// elsewhere); the test fills those in, wraps it in a main package and
// builds it inside the module through a build overlay, touching no file.
func TestREADMEExampleCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "\n```go\n")
	if !ok {
		t.Fatal("README.md has no ```go block")
	}
	snippet, _, ok := strings.Cut(rest, "\n```")
	if !ok {
		t.Fatal("README.md's ```go block is not closed")
	}
	imports, body, ok := strings.Cut(snippet, "\n)\n")
	if !ok || !strings.HasPrefix(imports, "import (") {
		t.Fatalf("README.md's Go example should open with an import block, found:\n%s", snippet)
	}
	imports = strings.TrimPrefix(imports, "import (")
	for _, std := range []string{`"fmt"`, `"time"`} {
		if !strings.Contains(imports, std) {
			imports += "\n\t" + std
		}
	}
	body = strings.ReplaceAll(body, "{ ... }", "{ panic(err) }")
	src := "package main\n\nimport (" + imports + "\n)\n\nfunc main() {\n\tvar now time.Time\n" + body + "\n}\n"

	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	pkgDir := filepath.Join(abs, "internal", "readme-example-overlay")
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(pkgDir, "main.go"): file}})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-overlay", overlayFile, "-o", os.DevNull, "./internal/readme-example-overlay")
	cmd.Dir = abs
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README.md's Go example does not compile: %v\n%s\nas compiled:\n%s", err, out, src)
	}
}

// TestREADMECommands runs the README's commands as written, from a
// directory standing for a clone (go run ./cmd/sodkit is the command built
// from the checkout), each exiting as its comment says, and checks that
// CI (.ci/run) runs the README's first command.
func TestREADMECommands(t *testing.T) {
	const readme = root + "/README.md"
	blocks, _ := parse(t, readme)
	r := newRunner(t)
	ws := r.workspace(t)
	var st guideState
	var first string
	for _, b := range blocks {
		if b.lang != "sh" {
			continue
		}
		ran := r.runCommands(t, fmt.Sprintf("README.md:%d", b.line), ws, b.text, &st)
		if first == "" && len(ran) > 0 {
			first = ran[0]
		}
	}
	if first != "go run ./cmd/sodkit check --demo" {
		t.Errorf("README.md's first command is %q; the issue asks for go run ./cmd/sodkit check --demo", first)
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ci), "\n"+first+" ") {
		t.Errorf(".ci/run does not run the README's first command, %q", first)
	}
}
