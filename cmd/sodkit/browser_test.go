package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

// requireBrowserEnv, when set to 1, turns the browser test's skip
// (no Chromium) into a failure. .ci/run sets it after installing Chromium.
const requireBrowserEnv = "SODKIT_REQUIRE_BROWSER"

// artifactsEnv names the directory the browser test writes its
// screenshots to; unset, they go to the test's temporary directory.
const artifactsEnv = "SODKIT_ARTIFACTS"

// chromium returns the path of a Chromium to drive, or skips the test (or
// fails it, under SODKIT_REQUIRE_BROWSER=1).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv(requireBrowserEnv) == "1" {
		t.Fatalf("%s=1 but no chromium on PATH (Debian: apt-get install -y chromium)", requireBrowserEnv)
	}
	t.Skipf("no chromium on PATH: the review page is not tested in a browser (set %s=1 to require it)", requireBrowserEnv)
	return ""
}

// headless runs Chromium headless on a page with extra flags, and returns
// its standard output. The flags keep it off the network and out of the
// user's profile.
func headless(t *testing.T, browser, page string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}, flags...)
	cmd := exec.CommandContext(ctx, browser, append(args, page)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "chromium %s: %s", strings.Join(flags, " "), stderr.String())
	return stdout.String()
}

var (
	shownRE   = regexp.MustCompile(`<output id="shown">(\d+)</output>`)
	articleRE = regexp.MustCompile(`<article class="finding[^>]*>`)
)

// visible counts the findings a dumped DOM shows in the view that is not
// hidden, and returns what the page itself says it shows.
func visible(t *testing.T, dom string) (counted, said int) {
	t.Helper()
	require.Contains(t, dom, `<html lang="en" data-filters="ready">`, "the page's script ran to its end")
	m := shownRE.FindStringSubmatch(dom)
	require.NotNil(t, m, "the page shows a count")
	said, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	list, owners, ok := strings.Cut(dom, `<div id="view-owners"`)
	require.True(t, ok)
	view := list
	if strings.HasPrefix(owners, ">") { // the owners view is not hidden
		require.Contains(t, list, `<div id="view-findings" hidden="">`, "one view at a time")
		view = owners
	}
	for _, a := range articleRE.FindAllString(view, -1) {
		if !strings.Contains(a, ` hidden=""`) {
			counted++
		}
	}
	return counted, said
}

// TestHTMLInBrowser opens the demo's review page in a real headless
// Chromium from a file, with no server: its script runs under the page's
// own security policy, it shows the demo's finding count, and the filters,
// set from the URL fragment through the same code the controls use, show
// exactly the findings they select. It saves screenshots of the page as
// test artefacts, in $SODKIT_ARTIFACTS or the test's temporary directory.
func TestHTMLInBrowser(t *testing.T) {
	browser := chromium(t)
	r := demoReport(t)
	code, page, errOut := cli(wallA, "check", "--demo", "--format", "html")
	require.Equal(t, exitOK, code, errOut)
	dir := t.TempDir()
	file := filepath.Join(dir, "review.html")
	require.NoError(t, os.WriteFile(file, []byte(page), 0o644))
	base := (&url.URL{Scheme: "file", Path: file}).String()

	count := func(keep func(audit.Finding) bool) int {
		n := 0
		for _, f := range r.Findings {
			if keep(f) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name     string
		reason   string
		fragment string
		want     int
	}{
		{"everything", "no filter: the demo's every finding", "", len(r.Findings)},
		{"high and above", "severity filters at or above", "#severity=high", count(func(f audit.Finding) bool { return f.Severity.AtLeast(audit.High) })},
		{"one kind", "a kind, exactly", "#kind=sod.toxic-combination", count(func(f audit.Finding) bool { return f.Kind == "sod.toxic-combination" })},
		{"one owner", "an owner, exactly", "#owner=fiona", count(func(f audit.Finding) bool { return f.Owner == "fiona" })},
		{"no owner", "an empty owner selects the findings nobody owns", "#owner=", count(func(f audit.Finding) bool { return f.Owner == "" })},
		{"combined", "filters combine", "#severity=critical&status=open", count(func(f audit.Finding) bool { return f.Severity == audit.Critical && f.Status == audit.Open })},
		{"owner view", "the per-owner view shows the same findings, under their owner", "#view=owners&owner=fiona", count(func(f audit.Finding) bool { return f.Owner == "fiona" })},
		{"unknown owner", "a value the report does not hold selects nothing, not everything", "#owner=nobody", 0},
		{"unknown severity", "so does an unknown severity", "#severity=urgent", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dom := headless(t, browser, base+tt.fragment, "--dump-dom")
			require.Contains(t, dom, `<p class="headline" id="headline">`+strconv.Itoa(len(r.Findings))+" findings (", "the page renders the demo's finding count")
			counted, said := visible(t, dom)
			require.Equal(t, tt.want, counted, "%s: findings visible", tt.reason)
			require.Equal(t, tt.want, said, "%s: and the page says so", tt.reason)
		})
	}

	out := os.Getenv(artifactsEnv)
	if out == "" {
		out = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(out, 0o755))
	for _, shot := range []struct{ name, fragment string }{
		{"review-page.png", ""},
		{"review-page-owner-fiona.png", "#view=owners&owner=fiona"},
	} {
		path, err := filepath.Abs(filepath.Join(out, shot.name))
		require.NoError(t, err)
		headless(t, browser, base+shot.fragment, "--screenshot="+path, "--window-size=1400,1000", "--hide-scrollbars")
		png, err := os.ReadFile(path)
		require.NoError(t, err, "chromium wrote no screenshot")
		require.True(t, bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")), "%s is a PNG", path)
		require.Greater(t, len(png), 20_000, "%s shows more than a blank page", path)
		t.Logf("screenshot of the demo's review page%s: %s", shot.fragment, path)
	}
}

// TestHTMLInBrowserHostile opens a page rendered from a report whose
// strings carry markup and script: the browser shows them as text, runs
// none of them, and the page's own script still works.
func TestHTMLInBrowserHostile(t *testing.T) {
	browser := chromium(t)
	payload := `"><img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`
	f := audit.Finding{Kind: audit.Kind("sod.toxic-combination" + payload), Severity: audit.High,
		Subject: audit.Subject{Type: "identity", ID: "mallory" + payload}, Owner: "fiona" + payload,
		Message: "holds both" + payload, Evidence: []audit.Evidence{{Label: "side" + payload, Value: payload}}}.WithID()
	r := audit.NewReport(wallA, []audit.Input{{Name: "org" + payload + ".json"}}, []audit.Finding{f})
	var b bytes.Buffer
	require.NoError(t, r.WriteHTML(&b))
	file := filepath.Join(t.TempDir(), "hostile.html")
	require.NoError(t, os.WriteFile(file, b.Bytes(), 0o644))

	dom := headless(t, browser, (&url.URL{Scheme: "file", Path: file}).String()+"#owner="+url.QueryEscape("fiona"+payload), "--dump-dom")
	require.NotContains(t, dom, "pwned</title>", "no injected script ran")
	require.NotContains(t, dom, "<img", "no injected element exists")
	counted, said := visible(t, dom)
	require.Equal(t, 1, counted, "the owner filter matches the hostile owner exactly")
	require.Equal(t, 1, said)
}
