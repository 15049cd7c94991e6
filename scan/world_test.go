package scan_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/scan"
	"github.com/sodkit/sodkit/sod"
)

// generatedWorld writes a generated organisation of n identities into a
// temporary directory as bundle files and returns their paths: synth's
// governed export and its RACI matrix; sod rules over its catalogue with
// exceptions for identities and for a party's members (in force, expired,
// orphaned); a break-glass policy with sessions (reviewed, unreviewed, too
// long); and waivers of every outcome — waiving findings of many
// identities, expired while findings they named need action, owned by
// nobody who can answer, naming nothing, naming one finding by ID, about
// one identity. The exceptions and waivers name what a first scan of the
// export found, so they hold whatever synth generates.
func generatedWorld(t testing.TB, n int) []string {
	t.Helper()
	dir := t.TempDir()
	cfg := synth.Config{Seed: 7, Identities: n, Governed: true}
	at := synth.AsOf
	export := filepath.Join(dir, "export.json")
	raciFile := filepath.Join(dir, "raci.json")
	write(t, export, func(f *os.File) error { return synth.WriteBundle(f, cfg) })
	write(t, raciFile, func(f *os.File) error { return synth.WriteRACI(f, synth.RACI(cfg)) })
	rules := synth.Rules(synth.Catalogue(cfg), 60, cfg.Seed)
	rulesFile := filepath.Join(dir, "rules.json")
	writeDoc(t, rulesFile, doc{SoD: &sodSection{Rules: rulesJSON(rules.Rules)}})

	first := load(t, export, raciFile, rulesFile)
	found, err := scan.Run(first, at)
	require.NoError(t, err)
	inv := first.Index.Inventory()
	person := func(skip int) entitlement.Identity { // the skip-th active person
		for _, id := range inv.Identities {
			if id.Kind == entitlement.Human && id.Status == entitlement.IdentityActive && id.Team != "" {
				if skip == 0 {
					return id
				}
				skip--
			}
		}
		t.Fatal("no active person")
		return entitlement.Identity{}
	}
	gone := ""
	for _, id := range inv.Identities {
		if id.Kind == entitlement.Human && id.Status != entitlement.IdentityActive {
			gone = id.ID
			break
		}
	}
	require.NotEmpty(t, gone, "a generated organisation has people who left")

	// Exceptions for violations the first scan found.
	var toxic []audit.Finding
	for _, f := range found.Findings {
		if f.Kind == sod.KindToxicCombination && f.Identity != "" {
			toxic = append(toxic, f)
		}
	}
	require.GreaterOrEqual(t, len(toxic), 4, "the rules are violated")
	approver := person(0).ID
	team := func(id string) string { i, _ := first.Index.Identity(id); return i.Team }
	exceptions := []exceptionJSON{
		{ID: "EXC-1", Rule: toxic[0].Rule, Identity: toxic[0].Identity, Owner: approver, Approver: approver,
			ApprovedAt: at.AddDate(0, -1, 0), Reason: "quarter close", CompensatingControl: "weekly review",
			ValidFrom: at.AddDate(0, -1, 0), ValidUntil: at.AddDate(0, 2, 0)},
		{ID: "EXC-2", Rule: toxic[1].Rule, Identity: toxic[1].Identity, Owner: approver, Approver: approver,
			ApprovedAt: at.AddDate(0, -6, 0), Reason: "cover", ValidFrom: at.AddDate(0, -6, 0), ValidUntil: at.AddDate(0, -1, 0)},
		{ID: "EXC-3", Rule: toxic[2].Rule, Party: team(toxic[2].Identity), Owner: approver, Approver: approver,
			ApprovedAt: at.AddDate(0, -2, 0), Reason: "team cover", ValidFrom: at.AddDate(0, -2, 0), ValidUntil: at.AddDate(0, 1, 0)},
		{ID: "EXC-4", Rule: toxic[3].Rule, Identity: approver, Owner: approver, Approver: person(1).ID,
			ApprovedAt: at.AddDate(0, -1, 0), Reason: "nothing left to cover", ValidFrom: at.AddDate(0, -1, 0), ValidUntil: at.AddDate(0, 1, 0)},
	}
	writeDoc(t, rulesFile, doc{SoD: &sodSection{Rules: rulesJSON(rules.Rules), Exceptions: exceptions}})

	// Break-glass sessions of three people, on privileged entitlements.
	var privileged []string
	for _, e := range inv.Entitlements {
		if e.Privileged {
			privileged = append(privileged, e.ID)
		}
	}
	require.NotEmpty(t, privileged)
	controllers := team(person(2).ID)
	sessions := []map[string]any{
		{"id": "bg-1", "identity": person(3).ID, "entitlements": privileged[:1], "reason_code": "incident", "justification": "outage",
			"ticket": "INC-1", "start": at.Add(-72 * time.Hour), "planned_end": at.Add(-70 * time.Hour), "end": at.Add(-70 * time.Hour),
			"review": map[string]any{"reviewer": person(2).ID, "at": at.Add(-60 * time.Hour), "outcome": "approved"}},
		{"id": "bg-2", "identity": person(4).ID, "entitlements": privileged[1:2], "reason_code": "incident", "justification": "outage",
			"ticket": "INC-2", "start": at.Add(-100 * time.Hour), "planned_end": at.Add(-99 * time.Hour), "end": at.Add(-90 * time.Hour)},
		{"id": "bg-3", "identity": person(5).ID, "entitlements": privileged[:1], "start": at.Add(-2 * time.Hour), "planned_end": at.Add(time.Hour)},
	}
	bgFile := filepath.Join(dir, "breakglass.json")
	writeDoc(t, bgFile, doc{BreakGlass: map[string]any{
		"policy":   map[string]any{"max_length": "PT4H", "review_within": "P3D", "controllers": []string{controllers}},
		"sessions": sessions,
	}})

	// Waivers of every outcome, over the kinds found most often.
	counts := map[audit.Kind]int{}
	for _, f := range found.Findings {
		if f.Identity != "" && f.Status.Failing() && f.Kind != sod.KindToxicCombination {
			counts[f.Kind]++
		}
	}
	kinds := make([]audit.Kind, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b audit.Kind) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b)) })
	require.GreaterOrEqual(t, len(kinds), 3, "the export has findings of several kinds")
	var one audit.Finding // a finding of a kind no other waiver names, waived by ID
	for _, f := range found.Findings {
		if f.Identity != "" && f.Status.Failing() && !slices.Contains(kinds[:3], f.Kind) {
			one = f
			break
		}
	}
	require.NotEmpty(t, one.ID)
	owner := person(6).ID
	waivers := []waiverDoc{
		{ID: "W-many", Kinds: kinds[:1], Owner: owner, Reason: "campaign", Expires: at.AddDate(0, 1, 0)},
		{ID: "W-expired", Kinds: kinds[1:2], Owner: owner, Reason: "lapsed", Expires: at.AddDate(0, -1, 0)},
		{ID: "W-unowned", Kinds: kinds[2:3], Owner: gone, Reason: "left", Expires: at.AddDate(0, 1, 0)},
		{ID: "W-unused", Findings: []string{"sk-00000000000000000000"}, Owner: owner, Reason: "gone", Expires: at.AddDate(0, 1, 0)},
		{ID: "W-one", Findings: []string{one.ID}, Owner: owner, Reason: "one", Expires: at.AddDate(0, 1, 0)},
		{ID: "W-identity", Kinds: []audit.Kind{sod.KindToxicCombination}, Subject: &audit.Subject{Type: "identity", ID: toxic[0].Identity},
			Owner: owner, Reason: "about one identity", Expires: at.AddDate(0, 1, 0)},
	}
	waiversFile := filepath.Join(dir, "waivers.json")
	writeDoc(t, waiversFile, doc{Waivers: waivers})
	return []string{export, raciFile, rulesFile, bgFile, waiversFile}
}

func load(t testing.TB, paths ...string) *bundle.Bundle {
	t.Helper()
	b, err := bundle.LoadFiles(paths...)
	require.NoError(t, err)
	return b
}

func write(t testing.TB, path string, fill func(*os.File) error) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, fill(f))
	require.NoError(t, f.Close())
}

// doc is a bundle file, "format" first.
type doc struct {
	Format     string      `json:"format"`
	SoD        *sodSection `json:"sod,omitempty"`
	BreakGlass any         `json:"breakglass,omitempty"`
	Waivers    []waiverDoc `json:"waivers,omitempty"`
}

type sodSection struct {
	Rules      []map[string]any `json:"rules"`
	Exceptions []exceptionJSON  `json:"exceptions,omitempty"`
}

type exceptionJSON struct {
	ID                  string    `json:"id"`
	Rule                string    `json:"rule"`
	Identity            string    `json:"identity,omitempty"`
	Party               string    `json:"party,omitempty"`
	Owner               string    `json:"owner"`
	Approver            string    `json:"approver"`
	ApprovedAt          time.Time `json:"approved_at"`
	Reason              string    `json:"reason"`
	CompensatingControl string    `json:"compensating_control,omitempty"`
	ValidFrom           time.Time `json:"valid_from"`
	ValidUntil          time.Time `json:"valid_until,omitzero"`
}

type waiverDoc struct {
	ID       string         `json:"id"`
	Kinds    []audit.Kind   `json:"kinds,omitempty"`
	Subject  *audit.Subject `json:"subject,omitempty"`
	Findings []string       `json:"findings,omitempty"`
	Owner    string         `json:"owner"`
	Reason   string         `json:"reason"`
	Expires  time.Time      `json:"expires"`
}

func writeDoc(t testing.TB, path string, d doc) {
	t.Helper()
	d.Format = bundle.Format
	data, err := json.MarshalIndent(d, "", " ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

// rulesJSON writes sod rules as the bundle format does.
func rulesJSON(rules []sod.Rule) []map[string]any {
	out := make([]map[string]any, len(rules))
	for i, r := range rules {
		sides := make([]map[string]any, len(r.Sides))
		for j, s := range r.Sides {
			side := map[string]any{}
			if s.Name != "" {
				side["name"] = s.Name
			}
			if len(s.Entitlements) > 0 {
				side["entitlements"] = s.Entitlements
			}
			if len(s.Roles) > 0 {
				side["roles"] = s.Roles
			}
			sides[j] = side
		}
		m := map[string]any{"id": r.ID, "severity": r.Severity.String(), "sides": sides}
		if r.Title != "" {
			m["title"] = r.Title
		}
		if r.K != 0 {
			m["k"] = r.K
		}
		if r.Dynamic {
			m["dynamic"] = true
		}
		if r.Owner != "" {
			m["owner"] = r.Owner
		}
		out[i] = m
	}
	return out
}

// countKinds counts a report's findings by kind, for test messages.
func countKinds(r audit.Report) string {
	return fmt.Sprint(r.Summary().ByKind)
}
