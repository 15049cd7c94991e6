package audit

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// SARIFSchema is the schema URI written in SARIF documents.
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// SARIFFingerprint is the key of the partial fingerprint that carries a
// finding's stable ID in SARIF results.
const SARIFFingerprint = "sodkitFindingId/v1"

// WriteSARIF writes r as a SARIF 2.1.0 log with one run, for code-scanning
// tools (GitHub code scanning, Azure DevOps, SonarQube and others):
//
//   - a rule table sorted by kind, with one rule per kind in r.Kinds (every
//     kind the evaluation could report, found or not): its ID is the kind
//     (stable across releases), its descriptions and help come from the
//     kind's title, help and remediation, its defaultConfiguration.level
//     and properties["security-severity"] from the kind's default
//     severity, and its tags name each control the kind cites. A finding
//     whose kind r.Kinds does not describe (all of them, for a report read
//     back with ReadReport) gets a rule built from the findings of its
//     kind: the most severe one's severity, every control they cite;
//   - one result per finding, in report order, with ruleId, ruleIndex,
//     level (critical and high: error; medium: warning; low and info:
//     note), properties["security-severity"] (critical 9.5, high 8.0,
//     medium 5.5, low 3.0, info 0.0), and partialFingerprints
//     {"sodkitFindingId/v1": finding ID}, so tools track a finding across
//     runs;
//   - mitigated findings carry an accepted external suppression;
//   - each result's location names its subject as a logical location and,
//     as its physical location, the finding's Location: the input (by its
//     artifact index when it is one of r.Inputs) and, when the line is
//     known, a region starting at it. A finding whose location is unknown
//     points at the first input (by name), without a region, since
//     code-scanning tools need a file for every result. The inputs are the
//     run's artifacts, with their SHA-256; each input name is written as a
//     relative URI reference (see docs/reports.md);
//   - the run's properties hold the evaluation time and the figures.
//
// The output is indented JSON, byte-for-byte stable for equal reports.
func (r Report) WriteSARIF(w io.Writer) error {
	r = r.ordered()
	rules, index := sarifRules(r.Kinds, r.Findings)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           cmp.Or(r.Tool, "sodkit"),
			Version:        r.Version,
			InformationURI: "https://github.com/sodkit/sodkit",
			Rules:          rules,
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true, EndTimeUTC: sarifTime(r.EvaluatedAt)}},
		Results:     make([]sarifResult, 0, len(r.Findings)),
		Properties: sarifRunProperties{
			EvaluatedAt: sarifTime(r.EvaluatedAt),
			Figures:     r.Figures.withCounts(r.Findings),
		},
	}
	artifact := make(map[string]int, len(r.Inputs)) // input name → its first artifact's index
	for i, in := range r.Inputs {
		if _, dup := artifact[in.Name]; !dup {
			artifact[in.Name] = i
		}
		run.Artifacts = append(run.Artifacts, sarifArtifact{
			Location: sarifArtifactLocation{URI: artifactURI(in.Name)},
			Length:   in.Bytes,
			Hashes:   map[string]string{"sha-256": in.SHA256},
		})
	}
	for _, f := range r.Findings {
		run.Results = append(run.Results, sarifResultOf(f, index[f.Kind], r.Inputs, artifact))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// artifactURI writes an input name as a relative URI reference: the name
// is read as a path, written with forward slashes and percent-encoded
// where a URI needs it. A first segment holding a colon, as the embedded
// demo's "demo:inventory.json", is written after "./" (RFC 3986 §4.2), and
// a path starting with two slashes after "/.", so that no name reads as a
// URI scheme or an authority.
func artifactURI(name string) string {
	p := filepath.ToSlash(name)
	if strings.HasPrefix(p, "//") {
		p = "/." + p
	}
	return (&url.URL{Path: p}).String()
}

// securitySeverity maps a severity to the CVSS-like score GitHub code
// scanning reads.
func securitySeverity(s Severity) string {
	switch s {
	case High:
		return "8.0"
	case Medium:
		return "5.5"
	case Low:
		return "3.0"
	case Info:
		return "0.0"
	}
	return "9.5" // Critical and out-of-range values fail closed
}

func sarifLevel(s Severity) string {
	switch s {
	case Medium:
		return "warning"
	case Low, Info:
		return "note"
	}
	return "error"
}

// sarifRules builds the rule table, sorted by kind, and the index of each
// kind in it: one rule per kind described in kinds, found or not, and one
// per kind of a finding that kinds does not describe.
func sarifRules(kinds []KindInfo, fs []Finding) ([]sarifRule, map[Kind]int) {
	rules := make([]sarifRule, 0, len(kinds))
	described := make(map[Kind]bool, len(kinds))
	for _, k := range kinds {
		described[k.Kind] = true
		rules = append(rules, describedRule(k))
	}
	rules = append(rules, guessedRules(fs, described)...)
	slices.SortFunc(rules, func(a, b sarifRule) int { return cmp.Compare(a.ID, b.ID) })
	index := make(map[Kind]int, len(rules))
	for i, r := range rules {
		index[Kind(r.ID)] = i
	}
	return rules, index
}

// describedRule is the rule of a kind described by its KindInfo: its title,
// help and remediation, its default severity and the controls every
// finding of it cites.
func describedRule(k KindInfo) sarifRule {
	full := cmp.Or(k.Help, fmt.Sprintf("Findings of kind %s.", k.Kind))
	return sarifRuleOf(k.Kind, cmp.Or(k.Title, kindTitle(k.Kind)), full, k.Severity, sortedControls(nil, k.Controls), k.Remediation)
}

// guessedRules builds a rule for each kind of the findings that described
// does not hold, from the findings themselves: the most severe finding's
// severity, every control cited, and the remediation when all findings of
// the kind share it.
func guessedRules(fs []Finding, described map[Kind]bool) []sarifRule {
	type acc struct {
		worst       Severity
		controls    []Control
		remediation string
		mixed       bool
	}
	byKind := map[Kind]*acc{}
	var kinds []Kind
	for _, f := range fs {
		if described[f.Kind] {
			continue
		}
		a := byKind[f.Kind]
		if a == nil {
			a = &acc{worst: f.Severity, remediation: f.Remediation}
			byKind[f.Kind] = a
			kinds = append(kinds, f.Kind)
		}
		if f.Severity.Compare(a.worst) < 0 || !f.Severity.Valid() {
			a.worst = f.Severity
		}
		a.controls = append(a.controls, f.Controls...)
		if f.Remediation != a.remediation {
			a.mixed = true
		}
	}
	rules := make([]sarifRule, 0, len(kinds))
	for _, k := range kinds {
		a := byKind[k]
		remediation := a.remediation
		if a.mixed {
			remediation = ""
		}
		rules = append(rules, sarifRuleOf(k, kindTitle(k), fmt.Sprintf("Findings of kind %s.", k), a.worst, sortedControls(nil, a.controls), remediation))
	}
	return rules
}

// sarifRuleOf builds one rule. controls must be sorted and free of
// duplicates.
func sarifRuleOf(k Kind, title, description string, sev Severity, controls []Control, remediation string) sarifRule {
	tags := []string{"security", "access-governance"}
	var cited []string
	for _, c := range controls {
		tags = append(tags, c.String())
		t, _ := c.Title()
		cited = append(cited, strings.TrimSpace(c.String()+" "+t))
	}
	full := description
	if len(cited) > 0 {
		full += " Controls: " + strings.Join(cited, "; ") + "."
	}
	help := full
	if remediation != "" {
		help += " Remediation: " + remediation
	}
	return sarifRule{
		ID:                   string(k),
		Name:                 ruleName(k),
		ShortDescription:     sarifText{Text: title},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifText{Text: help},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(sev)},
		Properties:           sarifRuleProperties{SecuritySeverity: securitySeverity(sev), Tags: tags},
	}
}

// ruleName turns "lifecycle.no-expiry" into "LifecycleNoExpiry".
func ruleName(k Kind) string {
	var b strings.Builder
	up := true
	for _, r := range string(k) {
		switch {
		case r == '.' || r == '-' || r == '_' || r == ' ':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(r)))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// kindTitle turns "lifecycle.no-expiry" into "lifecycle: no expiry".
func kindTitle(k Kind) string {
	pkg, check, ok := strings.Cut(string(k), ".")
	if !ok {
		return strings.ReplaceAll(string(k), "-", " ")
	}
	return pkg + ": " + strings.ReplaceAll(check, "-", " ")
}

// sarifResultOf builds the result of f. artifact maps each input's name to
// the index of its artifact in the run.
func sarifResultOf(f Finding, ruleIndex int, inputs []Input, artifact map[string]int) sarifResult {
	msg := f.Message
	if msg == "" {
		msg = fmt.Sprintf("%s: %s", kindTitle(f.Kind), f.Subject)
	}
	loc := sarifLocation{
		PhysicalLocation: sarifPhysicalLocationOf(f.Location, inputs, artifact),
		LogicalLocations: []sarifLogicalLocation{{
			Name:               f.Subject.ID,
			FullyQualifiedName: f.Subject.Type + "/" + f.Subject.ID,
			Kind:               "resource",
		}},
	}
	res := sarifResult{
		RuleID:              string(f.Kind),
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: msg},
		Locations:           []sarifLocation{loc},
		PartialFingerprints: map[string]string{SARIFFingerprint: f.ID},
		Properties: sarifResultProperties{
			SecuritySeverity: securitySeverity(f.Severity),
			Severity:         f.Severity.String(),
			Status:           f.Status.String(),
			Subject:          f.Subject.String(),
			Identity:         f.Identity,
			Owner:            f.Owner,
			Rule:             f.Rule,
			Evidence:         make([]string, len(f.Evidence)),
			Controls:         make([]string, len(f.Controls)),
			Remediation:      f.Remediation,
		},
	}
	for i, e := range f.Evidence {
		res.Properties.Evidence[i] = e.String()
	}
	for i, c := range f.Controls {
		res.Properties.Controls[i] = c.String()
	}
	switch f.Status {
	case Mitigated:
		res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted",
			Justification: "Covered by an active, approved exception (see the finding's evidence)."}}
	case Waived:
		why := waiverJustification(f)
		if why == "" {
			why = "Waived by an owned waiver until it expires (see the finding's evidence)."
		}
		res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: why}}
	}
	return res
}

// sarifPhysicalLocationOf returns the physical location of a result whose
// finding is at l: l's file, as the run's artifact when it is one of the
// inputs, and l's line as the region's start. A finding at an unknown
// location points at the first input, without a region: code-scanning
// tools need a file for every result (GitHub refuses results without
// one), and the finding was computed from the inputs together. With no
// input and no location there is no physical location.
func sarifPhysicalLocationOf(l Location, inputs []Input, artifact map[string]int) *sarifPhysicalLocation {
	if l.IsZero() {
		if len(inputs) == 0 {
			return nil
		}
		l = Location{File: inputs[0].Name}
	}
	p := &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: artifactURI(l.File)}}
	if i, ok := artifact[l.File]; ok {
		p.ArtifactLocation.Index = &i
	}
	if l.Line > 0 {
		p.Region = &sarifRegion{StartLine: l.Line}
	}
	return p
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool          `json:"tool"`
	Invocations []sarifInvocation  `json:"invocations"`
	Artifacts   []sarifArtifact    `json:"artifacts,omitempty"`
	Results     []sarifResult      `json:"results"`
	Properties  sarifRunProperties `json:"properties"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name"`
	ShortDescription     sarifText           `json:"shortDescription"`
	FullDescription      sarifText           `json:"fullDescription"`
	Help                 sarifText           `json:"help"`
	DefaultConfiguration sarifConfig         `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperties struct {
	SecuritySeverity string   `json:"security-severity"`
	Tags             []string `json:"tags"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool   `json:"executionSuccessful"`
	EndTimeUTC          string `json:"endTimeUtc,omitempty"`
}

type sarifArtifact struct {
	Location sarifArtifactLocation `json:"location"`
	Length   int64                 `json:"length"`
	Hashes   map[string]string     `json:"hashes,omitempty"`
}

type sarifArtifactLocation struct {
	URI   string `json:"uri"`
	Index *int   `json:"index,omitempty"`
}

type sarifResult struct {
	RuleID              string                `json:"ruleId"`
	RuleIndex           int                   `json:"ruleIndex"`
	Level               string                `json:"level"`
	Message             sarifText             `json:"message"`
	Locations           []sarifLocation       `json:"locations"`
	PartialFingerprints map[string]string     `json:"partialFingerprints"`
	Suppressions        []sarifSuppression    `json:"suppressions,omitempty"`
	Properties          sarifResultProperties `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

type sarifResultProperties struct {
	SecuritySeverity string   `json:"security-severity"`
	Severity         string   `json:"severity"`
	Status           string   `json:"status"`
	Subject          string   `json:"subject"`
	Identity         string   `json:"identity,omitempty"`
	Owner            string   `json:"owner,omitempty"`
	Rule             string   `json:"rule,omitempty"`
	Evidence         []string `json:"evidence"`
	Controls         []string `json:"controls"`
	Remediation      string   `json:"remediation,omitempty"`
}

type sarifRunProperties struct {
	EvaluatedAt string  `json:"evaluatedAt,omitempty"`
	Figures     Figures `json:"figures"`
}
