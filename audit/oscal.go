package audit

import (
	"bytes"
	"cmp"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
)

// OSCALVersion is the OSCAL model version WriteOSCAL writes.
const OSCALVersion = "1.1.3"

// OSCALNamespace is the namespace of the sodkit-specific properties in
// OSCAL documents.
const OSCALNamespace = "https://github.com/sodkit/sodkit/ns/oscal"

// OSCALOptions adjust WriteOSCAL. A nil *OSCALOptions, or the zero value,
// means the defaults.
type OSCALOptions struct {
	// Reviewed lists the controls the checks assessed. Each gets an OSCAL
	// finding: not satisfied when an open, indeterminate or waived
	// finding cites it, satisfied otherwise. The default is the controls cited by the
	// report's findings; pass the controls every check covers so a clean
	// run records them as satisfied.
	Reviewed []Control
	// AssessmentPlan is the href of the OSCAL assessment plan the results
	// belong to. The default points into the document's back matter, at a
	// resource describing sodkit's checks.
	AssessmentPlan string
}

// WriteOSCAL writes r as an OSCAL 1.1.3 assessment-results document
// (JSON), for GRC tools and auditors:
//
//   - one result covering the evaluation, whose reviewed controls are
//     opts.Reviewed (by default those the findings cite), grouped by
//     framework, with SP 800-53 IDs in OSCAL form ("AC-6(5)" is "ac-6.5")
//     and other IDs lower-cased with colons and spaces turned to hyphens;
//   - one observation per finding (method TEST, type finding) with its
//     subject, evidence, remediation and sodkit's severity, status, kind,
//     finding ID and, when known, location ("FILE:LINE") as properties;
//   - one OSCAL finding per reviewed control, targeting its objective:
//     "not-satisfied" (reason fail) when an open or indeterminate finding
//     cites it, else "not-satisfied" (reason other: the risk is accepted,
//     not met) when a waived finding does, otherwise "satisfied" (reason
//     pass, or other when every citing finding is mitigated by an
//     exception), linked to the observations of the findings that cite it;
//   - the inputs, with their SHA-256, as back-matter resources.
//
// Every UUID is a version 5 UUID derived from the content, and every time is
// the report's evaluation time, so exporting the same report twice gives the
// same bytes. It fails if the evaluation time is outside the years
// 1900-2999 that OSCAL's date-time type accepts.
func (r Report) WriteOSCAL(w io.Writer, opts *OSCALOptions) error {
	r = r.ordered()
	var o OSCALOptions
	if opts != nil {
		o = *opts
	}
	at := r.EvaluatedAt.UTC()
	if at.Year() < 1900 || at.Year() > 2999 {
		return fmt.Errorf("oscal: evaluation time %s is outside the years OSCAL accepts (1900-2999)", at.Format(time.RFC3339))
	}
	stamp := at.Format(time.RFC3339Nano)

	reviewed := slices.Clone(o.Reviewed)
	if reviewed == nil {
		for _, f := range r.Findings {
			reviewed = append(reviewed, f.Controls...)
		}
	}
	slices.SortFunc(reviewed, Control.Compare)
	reviewed = slices.Compact(reviewed)

	// The document's identity is its content: the report and the options.
	var content bytes.Buffer
	if err := r.WriteJSON(&content); err != nil {
		return err
	}
	for _, c := range reviewed {
		fmt.Fprintf(&content, "reviewed %s\n", c)
	}
	fmt.Fprintf(&content, "plan %s\n", o.AssessmentPlan)
	digest := sha256.Sum256(content.Bytes())
	docID := hex.EncodeToString(digest[:])
	id := func(parts ...string) string {
		return oscalUUID(strings.Join(append([]string{docID}, parts...), "\x00"))
	}

	tool := oscalUUID("component\x00sodkit")
	origins := []oscalOrigin{{Actors: []oscalActor{{Type: "tool", ActorUUID: tool}}}}
	planID := id("plan")
	href := o.AssessmentPlan
	if href == "" {
		href = "#" + planID
	}

	res := oscalResult{
		UUID:        id("result"),
		Title:       "sodkit access-governance checks",
		Description: fmt.Sprintf("%s %s evaluated %d %s at %s: %s.", cmp.Or(r.Tool, "sodkit"), r.Version, len(r.Inputs), plural(len(r.Inputs), "input", "inputs"), stamp, summaryLine(r)),
		Start:       stamp,
		End:         stamp,
		Props:       oscalProps(oscalProp{Name: "tool-version", Value: r.Version}),
		LocalDefinitions: &oscalLocalDefinitions{Components: []oscalComponent{{
			UUID:        tool,
			Type:        "software",
			Title:       "sodkit",
			Description: "sodkit, an embeddable Go library and command for separation-of-duties and access-governance checks.",
			Props:       oscalProps(oscalProp{Name: "version", Value: r.Version}),
			Status:      oscalStatus{State: "operational"},
		}}},
		Remarks: strings.Join(r.Figures.withCounts(r.Findings).lines(), "\n"),
	}

	// Control selections, one per framework.
	var sel []oscalControlSelection
	for _, c := range reviewed {
		if len(sel) == 0 || sel[len(sel)-1].Description != string(c.Framework) {
			sel = append(sel, oscalControlSelection{Description: string(c.Framework)})
		}
		last := &sel[len(sel)-1]
		last.IncludeControls = append(last.IncludeControls, oscalControlID{ControlID: oscalControlToken(c)})
	}
	if len(sel) == 0 {
		sel = []oscalControlSelection{{Description: "No control was cited: the checks found nothing to report."}}
	}
	res.ReviewedControls = oscalReviewedControls{ControlSelections: sel}

	// Observations, one per finding.
	obsID := map[string]string{}
	for _, f := range r.Findings {
		oid := id("observation", f.ID)
		obsID[f.ID] = oid
		ob := oscalObservation{
			UUID:        oid,
			Title:       kindTitle(f.Kind) + ": " + f.Subject.String(),
			Description: cmp.Or(strings.TrimSpace(f.Message), kindTitle(f.Kind)+": "+f.Subject.String()),
			Props: oscalProps(
				oscalProp{Name: "finding-id", Value: f.ID},
				oscalProp{Name: "kind", Value: string(f.Kind)},
				oscalProp{Name: "severity", Value: f.Severity.String()},
				oscalProp{Name: "status", Value: f.Status.String()},
				oscalProp{Name: "rule", Value: f.Rule},
				oscalProp{Name: "location", Value: f.Location.String()},
				oscalProp{Name: "identity", Value: f.Identity},
				oscalProp{Name: "owner", Value: f.Owner},
			),
			Methods: []string{"TEST"},
			Types:   []string{"finding"},
			Origins: origins,
			Subjects: []oscalSubject{{
				SubjectUUID: oscalUUID("subject\x00" + f.Subject.Type + "\x00" + f.Subject.ID),
				Type:        oscalSubjectType(f.Subject.Type),
				Title:       f.Subject.String(),
			}},
			Collected: stamp,
		}
		for _, e := range f.Evidence {
			ob.RelevantEvidence = append(ob.RelevantEvidence, oscalEvidence{Description: e.String()})
		}
		var remarks []string
		if f.Remediation != "" {
			remarks = append(remarks, "Remediation: "+f.Remediation)
		}
		if len(f.Controls) > 0 {
			cs := make([]string, len(f.Controls))
			for i, c := range f.Controls {
				cs[i] = c.String()
			}
			remarks = append(remarks, "Controls: "+strings.Join(cs, "; "))
		}
		ob.Remarks = strings.Join(remarks, "\n")
		res.Observations = append(res.Observations, ob)
	}

	// Findings, one per reviewed control.
	for _, c := range reviewed {
		var related []oscalRelatedObservation
		failing, mitigated, waived := 0, 0, 0
		for _, f := range r.Findings {
			if !slices.Contains(f.Controls, c) {
				continue
			}
			related = append(related, oscalRelatedObservation{ObservationUUID: obsID[f.ID]})
			switch {
			case f.Status == Waived:
				waived++
			case f.Status.Failing():
				failing++
			default:
				mitigated++
			}
		}
		title, _ := c.Title()
		name := strings.TrimSpace(c.String() + " " + title)
		st := oscalObjectiveStatus{State: "satisfied", Reason: "pass"}
		desc := fmt.Sprintf("No sodkit finding cites %s.", name)
		switch {
		case failing > 0:
			st = oscalObjectiveStatus{State: "not-satisfied", Reason: "fail"}
			desc = fmt.Sprintf("%d sodkit %s citing %s %s action", failing, plural(failing, "finding", "findings"), name, plural(failing, "needs", "need"))
			if mitigated > 0 {
				desc += fmt.Sprintf("; %d more %s covered by approved exceptions", mitigated, plural(mitigated, "is", "are"))
			}
			if waived > 0 {
				desc += fmt.Sprintf("; %d more %s waived until %s waiver expires", waived, plural(waived, "is", "are"), plural(waived, "its", "their"))
			}
			desc += "."
		case waived > 0:
			// A waiver accepts the risk for a while; unlike an exception
			// it brings no compensating control, so the objective is not
			// met, only accepted.
			st = oscalObjectiveStatus{State: "not-satisfied", Reason: "other",
				Remarks: "The findings citing this control that need action are waived: their risk is accepted by an owned waiver until it expires."}
			desc = fmt.Sprintf("%d sodkit %s citing %s %s waived until %s waiver expires", waived, plural(waived, "finding", "findings"), name, plural(waived, "is", "are"), plural(waived, "its", "their"))
			if mitigated > 0 {
				desc += fmt.Sprintf("; %d more %s covered by approved exceptions", mitigated, plural(mitigated, "is", "are"))
			}
			desc += "."
		case mitigated > 0:
			st = oscalObjectiveStatus{State: "satisfied", Reason: "other",
				Remarks: "Every finding citing this control is covered by an approved, time-bounded exception."}
			desc = fmt.Sprintf("%d sodkit %s citing %s %s covered by approved exceptions.", mitigated, plural(mitigated, "finding", "findings"), name, plural(mitigated, "is", "are"))
		}
		res.Findings = append(res.Findings, oscalFinding{
			UUID:        id("finding", c.String()),
			Title:       name,
			Description: desc,
			Target: oscalTarget{
				Type:     "objective-id",
				TargetID: oscalControlToken(c),
				Title:    c.String(),
				Props: oscalProps(
					oscalProp{Name: "framework", Value: string(c.Framework)},
					oscalProp{Name: "control", Value: c.ID},
				),
				Status: st,
			},
			Origins:             origins,
			RelatedObservations: related,
		})
	}

	back := oscalBackMatter{Resources: []oscalResource{{
		UUID:  planID,
		Title: "sodkit checks",
		Description: fmt.Sprintf("No separate assessment plan: the assessment is the set of checks sodkit %s runs, "+
			"each a deterministic function of the inputs below and the evaluation time.", r.Version),
	}}}
	for _, in := range r.Inputs {
		rsc := oscalResource{
			UUID:        id("input", in.Name, in.SHA256),
			Title:       in.Name,
			Description: fmt.Sprintf("Input evaluated by sodkit (%d bytes).", in.Bytes),
		}
		if name := oscalString(in.Name); name != "" {
			rl := oscalRLink{Href: artifactURI(name)}
			if in.SHA256 != "" {
				rl.Hashes = []oscalHash{{Algorithm: "SHA-256", Value: in.SHA256}}
			}
			rsc.RLinks = []oscalRLink{rl}
		}
		back.Resources = append(back.Resources, rsc)
	}

	doc := oscalDocument{AssessmentResults: oscalAssessmentResults{
		UUID: id("assessment-results"),
		Metadata: oscalMetadata{
			Title:        "sodkit assessment results",
			LastModified: stamp,
			Version:      stamp,
			OSCALVersion: OSCALVersion,
			Props:        oscalProps(oscalProp{Name: "tool", Value: cmp.Or(r.Tool, "sodkit")}),
		},
		ImportAP:   oscalImportAP{Href: href},
		Results:    []oscalResult{res},
		BackMatter: back,
	}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// oscalNamespaceUUID is the name-space of sodkit's version 5 UUIDs: itself
// the version 5 UUID of sodkit's URL in the RFC 9562 URL name-space.
var oscalNamespaceUUID = uuidV5([16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8},
	"https://github.com/sodkit/sodkit/oscal")

// oscalUUID returns the version 5 UUID of name in sodkit's name-space.
func oscalUUID(name string) string {
	u := uuidV5(oscalNamespaceUUID, name)
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// uuidV5 computes an RFC 9562 version 5 (SHA-1, name-based) UUID.
func uuidV5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}

// oscalControlToken writes a control ID as an OSCAL token: SP 800-53 IDs
// as the OSCAL catalogue writes them ("ac-6.5"), others lower-cased with
// colons and spaces turned to hyphens ("nhi1-2025", "govern-2.1").
func oscalControlToken(c Control) string {
	id := strings.ToLower(c.ID)
	if c.Framework == SP80053 {
		id = strings.NewReplacer("(", ".", ")", "").Replace(id)
	}
	var b strings.Builder
	for i, r := range id {
		switch {
		case unicode.IsLetter(r) || r == '_' || (i > 0 && (unicode.IsDigit(r) || r == '.' || r == '-')):
			b.WriteRune(r)
		case i == 0:
			b.WriteString("c-")
			if unicode.IsDigit(r) || r == '.' || r == '-' {
				b.WriteRune(r)
			}
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

func oscalSubjectType(t string) string {
	switch t {
	case "identity":
		return "user"
	case "party":
		return "party"
	}
	if tok := oscalControlToken(Control{ID: t}); tok != "" {
		return tok
	}
	return "resource"
}

// oscalString makes s a valid OSCAL string: whitespace runs collapse to
// one space, and leading and trailing whitespace go.
func oscalString(s string) string { return strings.Join(strings.Fields(s), " ") }

// oscalProps returns the properties with a non-empty value, their values
// made valid OSCAL strings, or nil when there are none.
func oscalProps(ps ...oscalProp) []oscalProp {
	var out []oscalProp
	for _, p := range ps {
		if p.Value = oscalString(p.Value); p.Value != "" {
			p.NS = OSCALNamespace
			out = append(out, p)
		}
	}
	return out
}

type oscalDocument struct {
	AssessmentResults oscalAssessmentResults `json:"assessment-results"`
}

type oscalAssessmentResults struct {
	UUID       string          `json:"uuid"`
	Metadata   oscalMetadata   `json:"metadata"`
	ImportAP   oscalImportAP   `json:"import-ap"`
	Results    []oscalResult   `json:"results"`
	BackMatter oscalBackMatter `json:"back-matter"`
}

type oscalMetadata struct {
	Title        string      `json:"title"`
	LastModified string      `json:"last-modified"`
	Version      string      `json:"version"`
	OSCALVersion string      `json:"oscal-version"`
	Props        []oscalProp `json:"props,omitempty"`
}

type oscalProp struct {
	Name  string `json:"name"`
	NS    string `json:"ns,omitempty"`
	Value string `json:"value"`
}

type oscalImportAP struct {
	Href string `json:"href"`
}

type oscalResult struct {
	UUID             string                 `json:"uuid"`
	Title            string                 `json:"title"`
	Description      string                 `json:"description"`
	Start            string                 `json:"start"`
	End              string                 `json:"end"`
	Props            []oscalProp            `json:"props,omitempty"`
	LocalDefinitions *oscalLocalDefinitions `json:"local-definitions,omitempty"`
	ReviewedControls oscalReviewedControls  `json:"reviewed-controls"`
	Observations     []oscalObservation     `json:"observations,omitempty"`
	Findings         []oscalFinding         `json:"findings,omitempty"`
	Remarks          string                 `json:"remarks,omitempty"`
}

type oscalLocalDefinitions struct {
	Components []oscalComponent `json:"components"`
}

type oscalComponent struct {
	UUID        string      `json:"uuid"`
	Type        string      `json:"type"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Props       []oscalProp `json:"props,omitempty"`
	Status      oscalStatus `json:"status"`
}

type oscalStatus struct {
	State string `json:"state"`
}

type oscalReviewedControls struct {
	ControlSelections []oscalControlSelection `json:"control-selections"`
}

type oscalControlSelection struct {
	Description     string           `json:"description,omitempty"`
	IncludeControls []oscalControlID `json:"include-controls,omitempty"`
}

type oscalControlID struct {
	ControlID string `json:"control-id"`
}

type oscalObservation struct {
	UUID             string          `json:"uuid"`
	Title            string          `json:"title"`
	Description      string          `json:"description"`
	Props            []oscalProp     `json:"props,omitempty"`
	Methods          []string        `json:"methods"`
	Types            []string        `json:"types"`
	Origins          []oscalOrigin   `json:"origins"`
	Subjects         []oscalSubject  `json:"subjects"`
	RelevantEvidence []oscalEvidence `json:"relevant-evidence,omitempty"`
	Collected        string          `json:"collected"`
	Remarks          string          `json:"remarks,omitempty"`
}

type oscalOrigin struct {
	Actors []oscalActor `json:"actors"`
}

type oscalActor struct {
	Type      string `json:"type"`
	ActorUUID string `json:"actor-uuid"`
}

type oscalSubject struct {
	SubjectUUID string `json:"subject-uuid"`
	Type        string `json:"type"`
	Title       string `json:"title"`
}

type oscalEvidence struct {
	Description string `json:"description"`
}

type oscalFinding struct {
	UUID                string                    `json:"uuid"`
	Title               string                    `json:"title"`
	Description         string                    `json:"description"`
	Target              oscalTarget               `json:"target"`
	Origins             []oscalOrigin             `json:"origins"`
	RelatedObservations []oscalRelatedObservation `json:"related-observations,omitempty"`
}

type oscalTarget struct {
	Type     string               `json:"type"`
	TargetID string               `json:"target-id"`
	Title    string               `json:"title"`
	Props    []oscalProp          `json:"props,omitempty"`
	Status   oscalObjectiveStatus `json:"status"`
}

type oscalObjectiveStatus struct {
	State   string `json:"state"`
	Reason  string `json:"reason"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalRelatedObservation struct {
	ObservationUUID string `json:"observation-uuid"`
}

type oscalBackMatter struct {
	Resources []oscalResource `json:"resources"`
}

type oscalResource struct {
	UUID        string       `json:"uuid"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	RLinks      []oscalRLink `json:"rlinks,omitempty"`
}

type oscalRLink struct {
	Href   string      `json:"href"`
	Hashes []oscalHash `json:"hashes,omitempty"`
}

type oscalHash struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}
