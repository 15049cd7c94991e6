package audit

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sodkit/sodkit/internal/safetext"
)

// WriteHTML renders r as one self-contained HTML page for reviewers: a
// summary, filters, every finding with its evidence (and the access path
// behind each fact), controls and remediation, and a per-owner view that
// an accountable owner can work through: what of theirs the findings are
// about, what is open, and what is mitigated or waived (with the evidence
// that says until when).
//
// The page needs no server and no network: its style and script are
// inline, it loads nothing, and its Content-Security-Policy allows only
// its own style and script (by hash), so it works opened from a file.
// Filters by severity (at or above), kind, owner and status, and the view
// (all findings, or by owner), are read from and written to the URL
// fragment, such as "#severity=high&owner=fiona" or "#view=owners":
// "owner=" with an empty value selects the findings with no owner, and a
// value the report does not hold selects nothing. Without script, every
// finding is shown.
//
// Every string taken from the report is first escaped as WriteText
// escapes it (control, bidirectional and line-separator characters and
// invalid UTF-8 shown as visible escapes such as \x1b or \u202e, so no
// input can reorder what a reviewer reads), then for where it appears, by
// html/template: input data cannot add markup, script or links. Filter
// values are the escaped strings, as shown. The output is stable for
// equal reports.
func (r Report) WriteHTML(w io.Writer) error {
	r = displayCopy(r.ordered())
	var b bytes.Buffer
	if err := htmlPage.Execute(&b, newHTMLView(r)); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// htmlView is what the page template renders.
type htmlView struct {
	Title, Tool, Version, EvaluatedAt, Headline string
	CSP                                         string
	Style                                       template.CSS
	Script                                      template.JS
	Inputs                                      []Input
	Total, Failing                              int
	Severities                                  []htmlCount
	Statuses                                    []htmlCount
	Kinds                                       []htmlCount
	TopOwners, TopIdentities                    []htmlCount
	Unowned                                     int
	Shares                                      []htmlShare
	Monthly                                     []htmlSeries
	Findings                                    []htmlFinding
	Owners                                      []htmlOwner
}

// htmlCount is one row of a summary table: a name (a severity, a kind, an
// owner), its title where known, and its counts.
type htmlCount struct {
	Name, Title    string
	Count, Failing int
}

type htmlShare struct {
	Name  string
	Total int
	Parts []htmlPart
}

type htmlPart struct {
	Label   string
	Count   int
	Percent string
}

type htmlSeries struct {
	Name, Span string
	Points     []MonthCount // the non-zero months
	Quiet      bool         // some months had no event
}

// htmlFinding is a finding as the page shows it.
type htmlFinding struct {
	Finding
	Sev      string // the severity's name
	Rank     int    // 0 for critical … 4 for info; out of range counts as critical
	Failing  bool
	Controls []string
}

// htmlOwner is one owner's section of the per-owner view.
type htmlOwner struct {
	Owner, Title string // Owner is "" for the findings with no owner
	Counts       string
	Owns         []htmlCount // the subjects of the owner's findings
	Open, Other  []htmlFinding
}

func newHTMLView(r Report) htmlView {
	fig := r.Figures.withCounts(r.Findings)
	s := r.Summary()
	v := htmlView{
		Tool:        cmp.Or(r.Tool, "sodkit"),
		Version:     r.Version,
		EvaluatedAt: r.EvaluatedAt.UTC().Format(time.RFC3339),
		Headline:    summaryLine(r),
		CSP:         htmlCSP,
		Style:       template.CSS(htmlStyle),
		Script:      template.JS(htmlScript),
		Inputs:      r.Inputs,
		Total:       s.Total,
		Failing:     s.Failing,
	}
	v.Title = fmt.Sprintf("%s review: %s, evaluated at %s", v.Tool, v.Headline, v.EvaluatedAt)
	for _, c := range fig.BySeverity {
		v.Severities = append(v.Severities, htmlCount{Name: c.Severity.String(), Count: c.Count, Failing: c.Failing})
	}
	for _, st := range []Status{Open, Mitigated, Indeterminate} {
		if n := s.ByStatus[st]; n > 0 {
			v.Statuses = append(v.Statuses, htmlCount{Name: st.String(), Count: n})
		}
	}
	// Statuses this package does not list by name still get a filter.
	var more []htmlCount
	for st, n := range s.ByStatus {
		if st != Open && st != Mitigated && st != Indeterminate {
			more = append(more, htmlCount{Name: st.String(), Count: n})
		}
	}
	slices.SortFunc(more, func(a, b htmlCount) int { return cmp.Compare(a.Name, b.Name) })
	v.Statuses = append(v.Statuses, more...)

	titles := map[Kind]string{}
	for _, k := range r.Kinds {
		titles[k.Kind] = k.Title
	}
	for _, k := range fig.ByKind {
		v.Kinds = append(v.Kinds, htmlCount{Name: string(k.Kind), Title: titles[k.Kind], Count: k.Count, Failing: k.Failing})
	}
	slices.SortStableFunc(v.Kinds, func(a, b htmlCount) int { return cmp.Compare(b.Count, a.Count) })

	v.TopOwners, v.Unowned = topCounts(r.Findings, GroupByOwner)
	v.TopIdentities, _ = topCounts(r.Findings, GroupByIdentity)
	for _, sh := range fig.Shares {
		hs := htmlShare{Name: sh.Name, Total: sh.Total()}
		for _, p := range sh.Parts {
			hs.Parts = append(hs.Parts, htmlPart{Label: p.Label, Count: p.Count, Percent: fmt.Sprintf("%.1f%%", sh.Percent(p))})
		}
		v.Shares = append(v.Shares, hs)
	}
	for _, se := range fig.Monthly {
		hs := htmlSeries{Name: se.Name}
		if n := len(se.Points); n > 0 {
			hs.Span = se.Points[0].Month
			if n > 1 {
				hs.Span += " to " + se.Points[n-1].Month
			}
		}
		for _, p := range se.Points {
			if p.Count != 0 {
				hs.Points = append(hs.Points, p)
			} else {
				hs.Quiet = true
			}
		}
		v.Monthly = append(v.Monthly, hs)
	}

	for _, f := range r.Findings {
		v.Findings = append(v.Findings, newHTMLFinding(f))
	}
	for _, g := range groupFindings(r.Findings, GroupByOwner) {
		o := htmlOwner{Owner: g.key, Title: g.key, Counts: countLine(g.findings)}
		if g.key == "" {
			o.Title = "no owner"
		}
		// A subject is counted once however its findings name it: keyed
		// by type and ID, shown with a name when any finding has one.
		owns := map[Subject]int{}
		named := map[Subject]Subject{}
		for _, f := range g.findings {
			key := Subject{Type: f.Subject.Type, ID: f.Subject.ID}
			owns[key]++
			if s, ok := named[key]; !ok || s.Name == "" {
				named[key] = f.Subject
			}
			if hf := newHTMLFinding(f); hf.Failing {
				o.Open = append(o.Open, hf)
			} else {
				o.Other = append(o.Other, hf)
			}
		}
		subjects := make([]Subject, 0, len(owns))
		for s := range owns {
			subjects = append(subjects, s)
		}
		slices.SortFunc(subjects, Subject.Compare)
		for _, s := range subjects {
			o.Owns = append(o.Owns, htmlCount{Name: named[s].String(), Count: owns[s]})
		}
		v.Owners = append(v.Owners, o)
	}
	return v
}

// displayCopy returns a copy of r, which is in order, whose every string
// taken from the input is escaped by safetext, as the text report shows
// it. r and what it points to are not modified.
func displayCopy(r Report) Report {
	esc := safetext.Escape
	r.Tool, r.Version = esc(r.Tool), esc(r.Version)
	r.Inputs = slices.Clone(r.Inputs)
	for i, in := range r.Inputs {
		r.Inputs[i] = Input{Name: esc(in.Name), SHA256: esc(in.SHA256), Bytes: in.Bytes}
	}
	fs := make([]Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.ID, f.Kind, f.Rule, f.Message, f.Remediation, f.Owner = esc(f.ID), Kind(esc(string(f.Kind))), esc(f.Rule), esc(f.Message), esc(f.Remediation), esc(f.Owner)
		f.Identity = esc(f.Identity)
		f.Subject = Subject{Type: esc(f.Subject.Type), ID: esc(f.Subject.ID), Name: esc(f.Subject.Name)}
		f.Location = Location{File: esc(f.Location.File), Line: f.Location.Line}
		ev := make([]Evidence, len(f.Evidence))
		for j, e := range f.Evidence {
			path := make([]Step, len(e.Path))
			for k, st := range e.Path {
				path[k] = Step{Type: esc(st.Type), ID: esc(st.ID), Name: esc(st.Name)}
			}
			ev[j] = Evidence{Label: esc(e.Label), Value: esc(e.Value), Path: path}
		}
		f.Evidence = ev
		cs := make([]Control, len(f.Controls))
		for j, c := range f.Controls {
			cs[j] = Control{Framework: Framework(esc(string(c.Framework))), ID: esc(c.ID)}
		}
		f.Controls = cs
		fs[i] = f
	}
	r.Findings = fs
	shares := make([]Share, len(r.Figures.Shares))
	for i, sh := range r.Figures.Shares {
		parts := make([]Part, len(sh.Parts))
		for j, p := range sh.Parts {
			parts[j] = Part{Label: esc(p.Label), Count: p.Count}
		}
		shares[i] = Share{Name: esc(sh.Name), Parts: parts}
	}
	monthly := make([]Series, len(r.Figures.Monthly))
	for i, se := range r.Figures.Monthly {
		points := make([]MonthCount, len(se.Points))
		for j, p := range se.Points {
			points[j] = MonthCount{Month: esc(p.Month), Count: p.Count}
		}
		monthly[i] = Series{Name: esc(se.Name), Points: points}
	}
	r.Figures = Figures{Shares: shares, Monthly: monthly}
	kinds := make([]KindInfo, len(r.Kinds))
	for i, k := range r.Kinds {
		kinds[i] = KindInfo{Kind: Kind(esc(string(k.Kind))), Title: esc(k.Title)}
	}
	r.Kinds = kinds
	return r
}

func newHTMLFinding(f Finding) htmlFinding {
	h := htmlFinding{Finding: f, Sev: f.Severity.String(), Rank: int(f.Severity), Failing: f.Status.Failing()}
	if !f.Severity.Valid() {
		h.Rank = int(Critical)
	}
	for _, c := range f.Controls {
		h.Controls = append(h.Controls, c.String())
	}
	return h
}

// topCounts returns the owners or identities with most findings, at most
// textTop, and how many findings have none.
func topCounts(fs []Finding, by Grouping) (top []htmlCount, without int) {
	for _, g := range groupFindings(fs, by) {
		if g.key == "" {
			without = len(g.findings)
			continue
		}
		failing := 0
		for _, f := range g.findings {
			if f.Status.Failing() {
				failing++
			}
		}
		top = append(top, htmlCount{Name: g.key, Count: len(g.findings), Failing: failing})
	}
	slices.SortStableFunc(top, func(a, b htmlCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return top[:min(textTop, len(top))], without
}

// htmlCSP allows the page nothing but its own inline style and script,
// named by their SHA-256: no request leaves the page.
var htmlCSP = "default-src 'none'; style-src '" + cspHash(htmlStyle) + "'; script-src '" + cspHash(htmlScript) +
	"'; img-src 'none'; base-uri 'none'; form-action 'none'"

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

var htmlPage = template.Must(template.New("page").Funcs(template.FuncMap{
	"upper": strings.ToUpper,
	"path":  PathString,
}).Parse(htmlTemplate))

const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Tool}} {{.Version}}">
<title>{{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<header>
<h1>{{.Tool}} review</h1>
<p class="meta">{{.Tool}} {{.Version}}, evaluated at <time>{{.EvaluatedAt}}</time>{{if .Inputs}}, from {{len .Inputs}} input(s){{end}}</p>
<p class="headline" id="headline">{{.Headline}}</p>
</header>
{{if .Findings}}<section id="summary" aria-label="Summary">
<div class="cards">
<div class="card"><h2>By severity</h2>
<table><thead><tr><th>severity</th><th>findings</th><th>failing</th><th></th></tr></thead><tbody>
{{range .Severities}}<tr class="sev-{{.Name}}"><td><a href="#severity={{.Name}}">{{.Name}}</a></td><td class="n">{{.Count}}</td><td class="n">{{.Failing}}</td><td><meter min="0" max="{{$.Total}}" value="{{.Count}}"></meter></td></tr>
{{end}}</tbody></table>
{{if .Statuses}}<p class="statuses">{{range $i, $s := .Statuses}}{{if $i}} · {{end}}<a href="#status={{$s.Name}}">{{$s.Count}} {{$s.Name}}</a>{{end}}</p>{{end}}
</div>
<div class="card"><h2>Top owners</h2>
{{if .TopOwners}}<table><thead><tr><th>owner</th><th>findings</th><th>failing</th></tr></thead><tbody>
{{range .TopOwners}}<tr><td><a href="#view=owners&amp;owner={{.Name}}">{{.Name}}</a></td><td class="n">{{.Count}}</td><td class="n">{{.Failing}}</td></tr>
{{end}}</tbody></table>{{else}}<p>No finding has an owner.</p>{{end}}
{{if .Unowned}}<p><a href="#view=owners&amp;owner=">{{.Unowned}} finding(s) without an owner</a></p>{{end}}
</div>
<div class="card"><h2>Top identities</h2>
{{if .TopIdentities}}<table><thead><tr><th>identity</th><th>findings</th><th>failing</th></tr></thead><tbody>
{{range .TopIdentities}}<tr><td>{{.Name}}</td><td class="n">{{.Count}}</td><td class="n">{{.Failing}}</td></tr>
{{end}}</tbody></table>{{else}}<p>No finding is about a single identity.</p>{{end}}
</div>
{{if or .Shares .Monthly}}<div class="card"><h2>Figures</h2>
{{range .Shares}}<p><b>{{.Name}}</b> (of {{.Total}}): {{range $i, $p := .Parts}}{{if $i}}, {{end}}{{$p.Label}} {{$p.Count}} ({{$p.Percent}}){{end}}</p>
{{end}}{{range .Monthly}}<p><b>{{.Name}} per month</b>{{if .Span}} ({{.Span}}){{end}}: {{range $i, $p := .Points}}{{if $i}}, {{end}}{{$p.Month}} {{$p.Count}}{{else}}none{{end}}{{if and .Points .Quiet}}; other months none{{end}}</p>
{{end}}</div>{{end}}
</div>
<details class="kinds"><summary>Findings by kind ({{len .Kinds}} kinds)</summary>
<table><thead><tr><th>kind</th><th>title</th><th>findings</th><th>failing</th></tr></thead><tbody>
{{range .Kinds}}<tr><td><a href="#kind={{.Name}}"><code>{{.Name}}</code></a></td><td>{{.Title}}</td><td class="n">{{.Count}}</td><td class="n">{{.Failing}}</td></tr>
{{end}}</tbody></table>
</details>
{{if .Inputs}}<details class="inputs"><summary>Inputs</summary><ul>
{{range .Inputs}}<li><code>{{.Name}}</code>: {{.Bytes}} bytes, SHA-256 <code>{{.SHA256}}</code></li>
{{end}}</ul></details>{{end}}
</section>
<form id="filters" aria-label="Filters">
<label>Severity <select name="severity"><option>any</option>{{range .Severities}}<option value="{{.Name}}">{{.Name}} and above</option>{{end}}</select></label>
<label>Kind <select name="kind"><option>any</option>{{range .Kinds}}<option value="{{.Name}}">{{.Name}} ({{.Count}})</option>{{end}}</select></label>
<label>Owner <select name="owner"><option>any</option>{{range .Owners}}<option value="{{.Owner}}">{{.Title}}</option>{{end}}</select></label>
<label>Status <select name="status"><option>any</option>{{range .Statuses}}<option value="{{.Name}}">{{.Name}}</option>{{end}}</select></label>
<span class="views"><a href="#view=findings" data-view="findings">All findings</a> <a href="#view=owners" data-view="owners">By owner</a></span>
<button type="reset">Clear</button>
<span class="count"><output id="shown">{{.Total}}</output> of {{.Total}} findings shown</span>
</form>
<main>
<div id="view-findings">
{{range .Findings}}{{template "finding" .}}{{end}}</div>
<div id="view-owners">
{{range .Owners}}<section class="owner" data-owner="{{.Owner}}">
<h2>{{if .Owner}}{{.Owner}}{{else}}No owner{{end}} <small>{{.Counts}}</small></h2>
<details class="owns"><summary>What the findings are about ({{len .Owns}})</summary><ul>
{{range .Owns}}<li>{{.Name}} <small>({{.Count}})</small></li>
{{end}}</ul></details>
{{if .Open}}<div class="group"><h3>Open</h3>
{{range .Open}}{{template "finding" .}}{{end}}</div>{{end}}
{{if .Other}}<div class="group"><h3>Mitigated, waived or otherwise not failing</h3>
{{range .Other}}{{template "finding" .}}{{end}}</div>{{end}}
</section>
{{end}}</div>
</main>
{{else}}<p>No findings.</p>
{{end}}<footer><p>Generated by {{.Tool}} {{.Version}}. This page works offline: it loads nothing.</p></footer>
<script>{{.Script}}</script>
</body>
</html>
{{define "finding"}}<article class="finding sev-{{.Sev}}" data-severity="{{.Rank}}" data-kind="{{.Kind}}" data-owner="{{.Owner}}" data-status="{{.Status}}">
<details{{if not .Failing}} open{{end}}><summary><span class="sev">{{upper .Sev}}</span> <code class="kind">{{.Kind}}</code> <span class="subject">{{.Subject}}</span>{{if ne .Status.String "open"}} <span class="status">{{.Status}}</span>{{end}} <span class="owner">{{if .Owner}}owner {{.Owner}}{{else}}no owner{{end}}</span>
<span class="message">{{.Message}}</span></summary>
<dl>
<dt>ID</dt><dd><code>{{.ID}}</code></dd>
{{if .Location.File}}<dt>Location</dt><dd><code>{{.Location}}</code></dd>
{{end}}{{if .Rule}}<dt>Rule</dt><dd>{{.Rule}}</dd>
{{end}}</dl>
{{if .Evidence}}<h4>Evidence</h4><ul class="evidence">
{{range .Evidence}}<li>{{.Label}}{{if .Value}}: <b>{{.Value}}</b>{{end}}{{if .Path}}<div class="path">{{path .Path}}</div>{{end}}</li>
{{end}}</ul>
{{end}}{{if .Controls}}<h4>Controls</h4><ul class="controls">
{{range .Controls}}<li>{{.}}</li>
{{end}}</ul>
{{end}}{{if .Remediation}}<p class="fix"><b>Fix:</b> {{.Remediation}}</p>
{{end}}</details>
</article>
{{end}}`

const htmlStyle = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #f6f7fa; --card: #fff;
  --critical: #8b0a1a; --high: #c2410c; --medium: #a16207; --low: #1d4ed8; --info: #475569; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, #summary, #filters, main, footer { max-width: 1320px; margin: 0 auto; padding: 0 20px; }
header h1 { margin: 18px 0 2px; font-size: 22px; }
.meta { margin: 0; color: var(--muted); }
.headline { font-size: 17px; font-weight: 600; margin: 8px 0 14px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; flex: 1 1 260px; }
.card h2 { font-size: 14px; margin: 0 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
meter { width: 90px; }
details.kinds, details.inputs { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; margin-top: 12px; }
#filters { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px;
  background: var(--bg); border-bottom: 1px solid var(--line); padding-top: 10px; padding-bottom: 10px; margin-top: 12px; }
#filters select { max-width: 210px; }
.views a { margin-right: 6px; padding: 2px 8px; border: 1px solid var(--line); border-radius: 12px; text-decoration: none; }
.views a[aria-current="page"] { background: var(--fg); color: #fff; }
.count { margin-left: auto; font-weight: 600; }
main { padding-top: 10px; padding-bottom: 30px; }
article.finding { background: var(--card); border: 1px solid var(--line); border-left: 5px solid var(--info); border-radius: 6px; margin: 6px 0; }
article.sev-critical { border-left-color: var(--critical); }
article.sev-high { border-left-color: var(--high); }
article.sev-medium { border-left-color: var(--medium); }
article.sev-low { border-left-color: var(--low); }
article.finding > details > summary { padding: 6px 10px; cursor: pointer; }
article.finding > details > *:not(summary) { margin-left: 24px; margin-right: 12px; }
.sev { font-weight: 700; font-size: 12px; }
.sev-critical .sev { color: var(--critical); } .sev-high .sev { color: var(--high); }
.sev-medium .sev { color: var(--medium); } .sev-low .sev { color: var(--low); } .sev-info .sev { color: var(--info); }
tr.sev-critical a { color: var(--critical); } tr.sev-high a { color: var(--high); }
.kind { font-size: 12px; }
.subject { font-weight: 600; }
.status { background: #e0ecff; border-radius: 10px; padding: 0 7px; font-size: 12px; }
.owner { color: var(--muted); font-size: 12px; }
.message { display: block; color: var(--fg); margin: 2px 0 0 18px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 4px 0; }
dt { color: var(--muted); } dd { margin: 0; }
h4 { margin: 8px 0 2px; font-size: 13px; }
ul.evidence, ul.controls { margin: 0; padding-left: 18px; }
.path { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; color: var(--muted); }
.fix { margin-top: 6px; margin-bottom: 10px; }
section.owner { margin: 14px 0 22px; }
section.owner h2 { font-size: 18px; margin: 0 0 4px; }
section.owner h2 small { font-weight: 400; color: var(--muted); font-size: 13px; }
section.owner h3 { font-size: 14px; margin: 10px 0 2px; color: var(--muted); }
footer { color: var(--muted); font-size: 12px; padding-bottom: 20px; }
[hidden] { display: none !important; }
`

const htmlScript = `
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var keys = ["severity", "kind", "owner", "status"];
  var ranks = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  var views = { findings: document.getElementById("view-findings"), owners: document.getElementById("view-owners") };
  var view = "findings";

  // chosen returns a filter's value, or null for "any" (the first option).
  // Values are exact: the option for findings with no owner has the value "".
  function chosen(name) {
    var s = form.elements[name];
    return s.selectedIndex <= 0 ? null : s.options[s.selectedIndex].value;
  }

  // choose selects value v (null: any). A value the report does not hold
  // is added as an option that matches nothing, so a link to it shows
  // nothing rather than everything.
  function choose(name, v) {
    var s = form.elements[name], i;
    if (v === null) { s.selectedIndex = 0; return; }
    for (i = 1; i < s.options.length; i++) {
      if (s.options[i].value === v) { s.selectedIndex = i; return; }
    }
    var o = document.createElement("option");
    o.value = v;
    o.textContent = v + " (not in this report)";
    s.appendChild(o);
    s.selectedIndex = s.options.length - 1;
  }

  function readFragment() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    keys.forEach(function (k) { choose(k, p.has(k) ? p.get(k) : null); });
    view = p.get("view") === "owners" ? "owners" : "findings";
    apply();
  }

  function writeFragment() {
    var p = new URLSearchParams();
    if (view !== "findings") { p.set("view", view); }
    keys.forEach(function (k) { var v = chosen(k); if (v !== null) { p.set(k, v); } });
    var h = p.toString();
    history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
  }

  function apply() {
    var f = {};
    keys.forEach(function (k) { f[k] = chosen(k); });
    var min = f.severity === null ? 99 : (Object.prototype.hasOwnProperty.call(ranks, f.severity) ? ranks[f.severity] : -1);
    Object.keys(views).forEach(function (name) { views[name].hidden = name !== view; });
    var shown = 0;
    document.querySelectorAll("article.finding").forEach(function (a) {
      var ok = Number(a.getAttribute("data-severity")) <= min &&
        (f.kind === null || a.getAttribute("data-kind") === f.kind) &&
        (f.owner === null || a.getAttribute("data-owner") === f.owner) &&
        (f.status === null || a.getAttribute("data-status") === f.status);
      a.hidden = !ok;
      if (ok && views[view].contains(a)) { shown++; }
    });
    document.querySelectorAll("#view-owners .group, #view-owners section.owner").forEach(function (s) {
      s.hidden = !s.querySelector("article.finding:not([hidden])");
    });
    document.getElementById("shown").textContent = String(shown);
    document.querySelectorAll("[data-view]").forEach(function (l) {
      l.setAttribute("aria-current", l.getAttribute("data-view") === view ? "page" : "false");
    });
  }

  form.addEventListener("change", function () { writeFragment(); apply(); });
  form.addEventListener("reset", function () { setTimeout(function () { writeFragment(); apply(); }, 0); });
  document.querySelectorAll("[data-view]").forEach(function (l) {
    l.addEventListener("click", function (e) {
      e.preventDefault();
      view = l.getAttribute("data-view");
      writeFragment();
      apply();
    });
  });
  window.addEventListener("hashchange", readFragment);
  readFragment();
  document.documentElement.setAttribute("data-filters", "ready");
})();
`
