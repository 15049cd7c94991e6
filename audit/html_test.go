package audit_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
)

func renderHTML(t *testing.T, r audit.Report) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.WriteHTML(&b))
	return b.String()
}

// between returns the text between the first open and the close after it.
func between(t *testing.T, s, open, close string) string {
	t.Helper()
	_, rest, ok := strings.Cut(s, open)
	require.True(t, ok, "no %q", open)
	in, _, ok := strings.Cut(rest, close)
	require.True(t, ok, "no %q after %q", close, open)
	return in
}

// TestHTMLSelfContained: the page loads nothing, and its policy allows
// exactly its own style and script, by hash, so a browser runs them and
// nothing else.
func TestHTMLSelfContained(t *testing.T) {
	page := renderHTML(t, textReport())
	require.True(t, strings.HasPrefix(page, "<!DOCTYPE html>\n"))
	require.Equal(t, 1, strings.Count(page, "<script"), "one script, the page's own")
	require.Equal(t, 1, strings.Count(page, "<style"), "one style sheet, inline")
	require.NotRegexp(t, `(?i)\b(src|href|action|srcset|poster|data)\s*=\s*"(?:[a-z][a-z0-9+.-]*:|//)`, page, "no attribute points outside the page")
	require.NotContains(t, page, "url(", "the style loads nothing")
	require.NotContains(t, page, "@import")
	require.NotContains(t, page, "fetch(", "the script requests nothing")
	require.NotContains(t, page, "XMLHttpRequest")

	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	}
	csp := between(t, page, `<meta http-equiv="Content-Security-Policy" content="`, `"`)
	csp = html.UnescapeString(csp)
	require.Contains(t, csp, "default-src 'none'", "anything not allowed below is refused")
	require.Contains(t, csp, "script-src '"+hash(between(t, page, "<script>", "</script>"))+"'", "the policy names the script by its hash")
	require.Contains(t, csp, "style-src '"+hash(between(t, page, "<style>", "</style>"))+"'", "and the style")
	require.NotContains(t, csp, "unsafe-inline")
}

// TestHTMLContent: every finding appears once in the list and once under
// its owner, open findings apart from the others, with the data the
// filters read.
func TestHTMLContent(t *testing.T) {
	r := textReport()
	page := renderHTML(t, r)
	list, owners, ok := strings.Cut(page, `<div id="view-owners">`)
	require.True(t, ok)
	article := regexp.MustCompile(`<article class="finding sev-(\w+)" data-severity="(\d)" data-kind="([^"]*)" data-owner="([^"]*)" data-status="(\w+)">`)

	got := article.FindAllStringSubmatch(list, -1)
	require.Len(t, got, len(r.Findings), "the list holds every finding")
	for i, m := range got {
		f := r.Findings[i]
		require.Equal(t, []string{f.Severity.String(), string('0' + rune(f.Severity)), string(f.Kind), f.Owner, f.Status.String()}, m[1:],
			"finding %d, in report order, carries what the filters match", i)
	}
	require.Len(t, article.FindAllString(owners, -1), len(r.Findings), "so does the per-owner view")

	var sections []string
	for _, m := range regexp.MustCompile(`<section class="owner" data-owner="([^"]*)">\n<h2>([^<]*)`).FindAllStringSubmatch(owners, -1) {
		sections = append(sections, m[1]+"|"+m[2])
	}
	require.Equal(t, []string{"fiona|fiona ", "platform-eng|platform-eng ", "|No owner ", "security-ops|security-ops "}, sections,
		"one section per owner, most severe first, as the text report groups them; the findings with no owner have one too")

	fiona := between(t, owners, `data-owner="fiona">`, "</section>")
	require.Contains(t, fiona, "<h3>Open</h3>")
	require.Contains(t, fiona, "<h3>Mitigated, waived or otherwise not failing</h3>")
	open, other, _ := strings.Cut(fiona, "<h3>Mitigated")
	require.Equal(t, 2, strings.Count(open, "<article"), "alice's two open findings")
	require.Equal(t, 1, strings.Count(other, "<article"), "bob's mitigated one")
	require.Contains(t, other, "<details open>", "a finding that is not open shows its evidence (what mitigates it, until when) unfolded")
	require.Contains(t, fiona, "<li>identity alice (Alice Brandt) <small>(2)</small></li>", "what the owner's findings are about")

	require.Contains(t, page, `<div class="path">grant g-1 → role ap-clerk (Accounts payable | clerk) → entitlement erp:vendor.create (Create vendors)</div>`, "evidence shows its access path")
	require.Contains(t, page, "<li>NIST SP 800-53 Rev. 5 AC-5</li>", "and the controls")
	require.Contains(t, page, `<option value="">no owner</option>`, "the owner filter offers the findings with no owner")
	require.Contains(t, page, `<option value="high">high and above</option>`)
	require.Contains(t, page, `<option value="mitigated">mitigated</option>`, "statuses present are offered")
	require.Contains(t, page, `<output id="shown">7</output> of 7 findings shown`)
	require.Contains(t, page, "emergency sessions opened per month</b> (2026-08 to 2026-11): 2026-09 1; other months none", "monthly figures without their quiet months")

	empty := renderHTML(t, audit.NewReport(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), nil, nil))
	require.Contains(t, empty, "<p>No findings.</p>")
	require.NotContains(t, empty, "<form", "nothing to filter")
}

// TestHTMLEscapesInputText renders a report whose every string carries
// markup, script and control characters: none reaches the page raw.
func TestHTMLEscapesInputText(t *testing.T) {
	r := hostileReport()
	r.Findings[0].Subject.ID = `"><img src=x onerror=alert(1)><script>alert(2)</script>`
	r.Findings[0].Owner = `</option><script>alert(3)</script>`
	r.Findings[1].Kind = `x" onmouseover="alert(4)`
	page := renderHTML(t, r)
	requireDisplaySafe(t, page)
	require.Equal(t, 1, strings.Count(page, "<script"), "only the page's own script")
	require.NotContains(t, page, "<img")
	require.NotContains(t, page, `" onmouseover=`)
	require.Contains(t, page, "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;", "the markup is shown as text")
	require.Contains(t, page, `\x1b[2J\r\nCRITICAL`, "control characters are shown as escapes, as in the text report")
	require.Contains(t, page, `\u202eevil`, "and bidirectional controls, so nothing reorders what a reviewer reads")
}

// TestHTMLDoesNotModifyTheReport: WriteHTML escapes a copy.
func TestHTMLDoesNotModifyTheReport(t *testing.T) {
	r := hostileReport()
	before := cloneReport(r)
	renderHTML(t, r)
	require.Equal(t, before, r)
}
