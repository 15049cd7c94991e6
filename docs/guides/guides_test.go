// The guides promise that their code is compiled and tested: every code
// block is quoted verbatim from a file of the repository that the tests
// compile and run (an Example, an examples/ program, a demo file), and
// every command is run here, as written, in a directory standing for a
// clone of the repository: it holds demo/, and nothing else a command
// needs unless an earlier command of the guide made it (sodkit, after "go
// install ./cmd/sodkit"; export/, after copying files into it). This test
// keeps that promise as the code changes.
package guides_test

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// guides are the guides this directory must hold.
var guides = []string{"check-a-grant.md", "ci-scan.md", "role-catalogue-test.md", "break-glass.md", "file-format.md"}

// root is the repository root, relative to this directory.
const root = "../.."

// block is one fenced code block of a guide.
type block struct {
	lang   string
	line   int      // of the opening fence
	source string   // the link on the nearest non-blank line before it, or ""
	text   []string // its lines
}

// parse reads a guide's code blocks and links.
func parse(t *testing.T, name string) (blocks []block, links []string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	lastLink := ""
	var cur *block
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur, lastLink = nil, ""
		case cur != nil:
			cur.text = append(cur.text, line)
		case strings.HasPrefix(line, "```"):
			cur = &block{lang: strings.TrimPrefix(line, "```"), line: n, source: lastLink}
		case strings.TrimSpace(line) != "":
			ls := linkRE.FindAllStringSubmatch(line, -1)
			for _, l := range ls {
				links = append(links, l[1])
			}
			lastLink = ""
			if len(ls) > 0 {
				lastLink = ls[len(ls)-1][1]
			}
		}
	}
	if cur != nil {
		t.Fatalf("%s:%d: unclosed code block", name, cur.line)
	}
	return blocks, links
}

var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

func TestGuides(t *testing.T) {
	r := newRunner(t)
	for _, name := range guides {
		t.Run(name, func(t *testing.T) {
			blocks, links := parse(t, name)
			checkLinks(t, name, links)
			ws := r.workspace(t)
			var ran []string
			var st guideState
			for _, b := range blocks {
				where := fmt.Sprintf("%s:%d", name, b.line)
				switch b.lang {
				case "go", "json", "text":
					checkQuote(t, where, b)
				case "sh":
					ran = append(ran, r.runCommands(t, where, ws, b.text, &st)...)
				case "yaml":
					checkWorkflow(t, where, b.text, ran)
				default:
					t.Errorf("%s: a %q block: every block must be go, json or text (quoted from a file), sh (run by this test) or yaml (a workflow running commands shown in sh blocks)", where, b.lang)
				}
			}
		})
	}
}

// checkQuote checks that a block appears, line for line, in the file the
// line before it links to. Each line of the file may carry one common
// prefix the block leaves out: indentation, or the "// " of an Example's
// output comment.
func checkQuote(t *testing.T, where string, b block) {
	t.Helper()
	if b.source == "" || strings.Contains(b.source, "://") || strings.HasSuffix(b.source, ".md") || strings.Contains(b.source, "#") {
		t.Errorf("%s: a %s block must follow a line linking to the file it is quoted from", where, b.lang)
		return
	}
	data, err := os.ReadFile(b.source)
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	if len(b.text) == 0 || !quoted(strings.Split(string(data), "\n"), b.text) {
		t.Errorf("%s: the block is not quoted verbatim from %s:\n%s", where, b.source, strings.Join(b.text, "\n"))
	}
}

var prefixRE = regexp.MustCompile(`^[\t ]*(// ?)?$`)

func quoted(lines, text []string) bool {
	for i := 0; i+len(text) <= len(lines); i++ {
		if !strings.HasSuffix(lines[i], text[0]) {
			continue
		}
		p := lines[i][:len(lines[i])-len(text[0])]
		if !prefixRE.MatchString(p) {
			continue
		}
		ok := true
		for k, want := range text {
			got := lines[i+k]
			if got != p+want && !(want == "" && (got == "" || got == strings.TrimRight(p, " "))) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// checkLinks checks that relative links name existing files and, for
// Markdown files, existing headings.
func checkLinks(t *testing.T, name string, links []string) {
	t.Helper()
	for _, l := range links {
		if strings.Contains(l, "://") || strings.HasPrefix(l, "mailto:") {
			continue
		}
		path, anchor, _ := strings.Cut(l, "#")
		if path == "" {
			path = name
		}
		data, err := os.ReadFile(path)
		if err != nil {
			if info, serr := os.Stat(path); serr == nil && info.IsDir() {
				continue
			}
			t.Errorf("%s: link %s: %v", name, l, err)
			continue
		}
		if anchor != "" && strings.HasSuffix(path, ".md") && !slices.Contains(slugs(string(data)), anchor) {
			t.Errorf("%s: link %s: no heading %q in %s", name, l, anchor, path)
		}
	}
}

// slugs returns the anchors GitHub gives a Markdown file's headings.
func slugs(doc string) []string {
	var out []string
	inFence := false
	for line := range strings.Lines(doc) {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(h) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteByte('-')
			}
		}
		out = append(out, b.String())
	}
	return out
}

// checkWorkflow checks that the commands a CI workflow runs are ones the
// guide's sh blocks ran, and that it installs nothing "@latest": sodkit's
// module is not published, so a workflow builds it from the checkout.
func checkWorkflow(t *testing.T, where string, text, ran []string) {
	t.Helper()
	checked := 0
	for _, line := range text {
		if strings.Contains(line, "@latest") {
			t.Errorf("%s: %q: a workflow must not install a module @latest (sodkit's is not published): build from the checkout, go install ./cmd/sodkit", where, strings.TrimSpace(line))
		}
		cmd, ok := strings.CutPrefix(strings.TrimPrefix(strings.TrimSpace(line), "- "), "run: ")
		if !ok {
			continue
		}
		checked++
		if !slices.Contains(ran, stripComment(cmd)) {
			t.Errorf("%s: the workflow runs %q, which no sh block of the guide runs", where, cmd)
		}
	}
	if checked == 0 {
		t.Errorf("%s: a workflow that runs no command the guide shows", where)
	}
}

func stripComment(cmd string) string {
	if i := strings.Index(cmd, " #"); i >= 0 {
		cmd = cmd[:i]
	}
	return strings.TrimSpace(cmd)
}

// runner builds the programs the guides run, once.
type runner struct {
	bin  string
	mu   sync.Mutex
	done map[string]error
}

func newRunner(t *testing.T) *runner {
	touchSources(t)
	return &runner{bin: t.TempDir(), done: map[string]error{}}
}

// touchSources stats every Go file and go.mod of the module. The programs
// the guides run are built and run in subprocesses, whose reads the test
// cache does not see; these stats make a cached pass invalid as soon as a
// source changes.
func touchSources(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".go") || d.Name() == "go.mod") {
			_, err := os.Stat(path)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// build builds ./cmd/sodkit or ./examples/NAME as bin/NAME.
func (r *runner) build(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err, ok := r.done[name]; ok {
		return err
	}
	pkg := "./examples/" + name
	if name == "sodkit" {
		pkg = "./cmd/sodkit"
	}
	cmd := exec.Command(goTool(), "build", "-o", filepath.Join(r.bin, name), pkg)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		err = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	r.done[name] = err
	return err
}

// workspace is a directory standing for a clone of the repository, as far
// as the guides' commands read it: demo/, a copy of the demo's bundle
// files.
func (r *runner) workspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(root, "demo", "*.json"))
	if len(files) == 0 {
		t.Fatal("no demo files")
	}
	if err := os.Mkdir(filepath.Join(ws, "demo"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ws, "demo", filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

// guideState is what a guide's commands have set up so far.
type guideState struct {
	// installed: a command installed sodkit (go install ./cmd/sodkit),
	// so the guide has said where the sodkit command comes from.
	installed bool
}

// goTool finds the go command: on the PATH, or in the GOROOT the test
// was built with.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go" // running it fails with a clear error

}

var exitRE = regexp.MustCompile(`#.*\bexit (?:status )?(\d+)`)

// runCommands runs an sh block's commands in ws, in order, and returns
// them without comments. A command must exit 0, or with the status its
// "# exit N" comment states. "go install ./cmd/sodkit" builds sodkit onto
// the PATH of the commands that follow; sodkit run before it is an error,
// since the guide has not said where the command comes from.
func (r *runner) runCommands(t *testing.T, where, ws string, text []string, st *guideState) []string {
	t.Helper()
	var ran []string
	for _, line := range text {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cmdline := stripComment(line)
		ran = append(ran, cmdline)
		prog, _, _ := strings.Cut(cmdline, " ")
		switch {
		case strings.HasPrefix(cmdline, "go test "):
			continue // the package's test runs under go test ./... already
		case cmdline == "go install ./cmd/sodkit":
			if err := r.build("sodkit"); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			st.installed = true
			continue
		case strings.HasPrefix(cmdline, "go run ./cmd/sodkit "):
			cmdline = "sodkit " + strings.TrimPrefix(cmdline, "go run ./cmd/sodkit ")
			prog = "sodkit"
		case strings.HasPrefix(cmdline, "go run ./examples/"):
			rest := strings.TrimPrefix(cmdline, "go run ./examples/")
			prog, _, _ = strings.Cut(rest, " ")
			cmdline = rest
		case prog == "sodkit":
			if !st.installed {
				t.Errorf("%s: %q runs sodkit before the guide says where it comes from: go install ./cmd/sodkit first", where, line)
			}
		case prog == "mkdir", prog == "cp":
		default:
			t.Errorf("%s: %q: the test runs sodkit, go install ./cmd/sodkit, go run ./cmd/sodkit and ./examples/..., mkdir and cp, and skips go test; nothing else", where, line)
			continue
		}
		if prog != "mkdir" && prog != "cp" {
			if err := r.build(prog); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
		}
		want := 0
		if m := exitRE.FindStringSubmatch(line); m != nil {
			want, _ = strconv.Atoi(m[1])
		}
		cmd := exec.Command("sh", "-c", cmdline)
		cmd.Dir = ws
		cmd.Env = append(os.Environ(), "PATH="+r.bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		got := 0
		if ee, ok := err.(*exec.ExitError); ok {
			got = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s: %s: %v", where, line, err)
		}
		if got != want {
			t.Errorf("%s: %s: exit status %d, want %d\n%.3000s", where, line, got, want, out)
		}
	}
	return ran
}
