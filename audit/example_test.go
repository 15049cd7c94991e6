package audit_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
)

// Example walks the main flow: a check describes its kinds once and builds
// findings with stable IDs from them, a report collects them with what
// they were computed from, renders them for people, and a later run diffs
// against the earlier report.
func Example() {
	kinds := []audit.KindInfo{
		{Kind: "lifecycle.missing-reason", Title: "Grant without business reason", Severity: audit.Low,
			Controls:    []audit.Control{audit.Ref(audit.SP80053, "AU-3")},
			Remediation: "Record why the access is needed.", Help: "A live grant that records no business reason."},
		{Kind: "lifecycle.no-expiry", Title: "Grant without expiry", Severity: audit.Medium,
			Controls:    []audit.Control{audit.Ref(audit.SP80053, "AC-2(2)"), audit.Ref(audit.CSF, "PR.AA-05")},
			Remediation: "Set an expiry on the grant.", Help: "A privileged or just-in-time grant that never expires."},
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	noExpiry := kinds[1].New("", audit.Subject{Type: "grant", ID: "g-111"}, "privileged grant g-111 to bob has no expiry",
		audit.Evidence{Label: "expires", Value: "never"},
		audit.Evidence{Label: "privileged entitlement", Value: "erp:payment.release",
			Path: []audit.Step{{Type: "grant", ID: "g-111"}, {Type: "role", ID: "ap-supervisor"}, {Type: "entitlement", ID: "erp:payment.release"}}})
	noExpiry.Severity = audit.High // privileged access: more urgent than the kind's default
	input, _ := audit.HashInput("org.json", strings.NewReader(`{"format": "sodkit.bundle/v1"}`))

	first := audit.NewReport(at, []audit.Input{input}, []audit.Finding{noExpiry})
	if err := first.WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}

	// A week later the grant got an expiry, and a new problem appeared.
	missingReason := kinds[0].New("", audit.Subject{Type: "grant", ID: "g-112"}, "grant g-112 to bob records no business reason")
	second := audit.NewReport(at.Add(7*24*time.Hour), []audit.Input{input}, []audit.Finding{missingReason})
	d := second.Diff(first)
	fmt.Println()
	fmt.Println(len(d.New), "new,", len(d.Resolved), "resolved")
	fmt.Println("fail CI at low:", len(d.Failing(audit.Low)) > 0)
	// Output:
	// sodkit 0.1.0 report, evaluated at 2026-11-01T09:00:00Z
	// input org.json (30 bytes, sha256 8b8327561be051e447d58188e166241f37c95fc5f4c39e40d2cde2213285d95f)
	// 1 finding (1 high)
	//
	// by severity: high 1 (1 failing)
	// by kind:
	//   lifecycle 1: no-expiry 1
	//
	// HIGH lifecycle.no-expiry grant g-111  sk-27e53feb5ab17f4e774a
	//   privileged grant g-111 to bob has no expiry
	//   - expires: never
	//   - privileged entitlement: erp:payment.release via grant g-111 → role ap-supervisor → entitlement erp:payment.release
	//   controls: NIST CSF 2.0 PR.AA-05; NIST SP 800-53 Rev. 5 AC-2(2)
	//   fix: Set an expiry on the grant.
	//
	// 1 new, 1 resolved
	// fail CI at low: true
}

func ExampleFinding_WithID() {
	f := audit.Finding{
		Kind:    "lifecycle.no-expiry",
		Subject: audit.Subject{Type: "grant", ID: "g-111"},
		Evidence: []audit.Evidence{
			{Label: "expires", Value: "never"},
			{Label: "identity", Value: "bob (human)"},
		},
	}
	a := f.WithID()
	f.Evidence[0], f.Evidence[1] = f.Evidence[1], f.Evidence[0]
	f.Severity, f.Message = audit.Low, "reworded"
	b := f.WithID()
	fmt.Println(a.ID == b.ID) // evidence order, severity and message do not count
	f.Subject.ID = "g-112"
	fmt.Println(a.ID == f.WithID().ID)
	// Output:
	// true
	// false
}

func ExampleFindingID() {
	id := audit.FindingID("sod.toxic-combination", "r-vendor-payment",
		audit.Subject{Type: "identity", ID: "alice"},
		[]audit.Evidence{{Label: "side", Value: "erp:vendor.create"}})
	fmt.Println(len(id), strings.HasPrefix(id, "sk-"))
	// Output:
	// 23 true
}

func ExampleSort() {
	fs := []audit.Finding{
		{Kind: "lifecycle.missing-reason", Severity: audit.Low, Subject: audit.Subject{Type: "grant", ID: "g-2"}},
		{Kind: "sod.toxic-combination", Severity: audit.Critical, Subject: audit.Subject{Type: "identity", ID: "bob"}},
		{Kind: "lifecycle.no-expiry", Severity: audit.High, Subject: audit.Subject{Type: "grant", ID: "g-1"}},
		{Kind: "lifecycle.missing-reason", Severity: audit.Low, Subject: audit.Subject{Type: "grant", ID: "g-2"}},
	}
	for i := range fs {
		fs[i] = fs[i].WithID()
	}
	for _, f := range audit.Sort(fs) {
		fmt.Println(f.Severity, f.Kind, f.Subject)
	}
	// Output:
	// critical sod.toxic-combination identity bob
	// high lifecycle.no-expiry grant g-1
	// low lifecycle.missing-reason grant g-2
}

func ExampleFinding_Compare() {
	a := audit.Finding{Severity: audit.High, Kind: "b.check"}
	b := audit.Finding{Severity: audit.Medium, Kind: "a.check"}
	fmt.Println(a.Compare(b)) // severity first: high sorts before medium
	// Output:
	// -1
}

func ExampleEvidence_String() {
	e := audit.Evidence{Label: "privileged entitlement", Value: "erp:payment.release",
		Path: []audit.Step{{Type: "grant", ID: "g-1"}, {Type: "entitlement", ID: "erp:payment.release"}}}
	fmt.Println(e)
	fmt.Println(audit.PathString(e.Path))
	// Output:
	// privileged entitlement: erp:payment.release via grant g-1 → entitlement erp:payment.release
	// grant g-1 → entitlement erp:payment.release
}

func ExampleRef() {
	c := audit.Ref(audit.NHI, "NHI7:2025")
	title, _ := c.Title()
	fmt.Println(c, "-", title)
	unknown := audit.Control{Framework: audit.CSF, ID: "PR.AC-4"}
	fmt.Println(unknown.Known()) // CSF 1.1, superseded
	// Output:
	// OWASP NHI Top 10 2025 NHI7:2025 - Long-Lived Secrets
	// false
}

func ExampleControls() {
	n := 0
	for _, c := range audit.Controls() {
		if c.Framework == audit.NHI {
			n++
		}
	}
	fmt.Println(n, "OWASP NHI risks")
	// Output:
	// 10 OWASP NHI risks
}

func ExampleParseSeverity() {
	min, err := audit.ParseSeverity("High")
	fmt.Println(min, err)
	var unset audit.Severity
	fmt.Println(unset, unset.AtLeast(min)) // the zero severity is never ignored
	fmt.Println(audit.Medium.AtLeast(min))
	// Output:
	// high <nil>
	// critical true
	// false
}

func ExampleSeverities() {
	fmt.Println(audit.Severities())
	// Output:
	// [critical high medium low info]
}

func ExampleStatus_Failing() {
	for _, s := range []audit.Status{audit.Open, audit.Mitigated, audit.Indeterminate, audit.Waived} {
		fmt.Println(s, s.Failing())
	}
	// Output:
	// open true
	// mitigated false
	// indeterminate true
	// waived false
}

func ExampleNewReport() {
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	r := audit.NewReport(at, []audit.Input{{Name: "b.json"}, {Name: "a.json"}}, nil)
	fmt.Println(r.EvaluatedAt, r.Inputs[0].Name, r.Summary().Total)
	// Output:
	// 2026-11-01 09:00:00 +0000 UTC a.json 0
}

func ExampleReport_Failing() {
	fs := []audit.Finding{
		audit.Finding{Kind: "x.a", Severity: audit.High, Subject: audit.Subject{Type: "identity", ID: "a"}}.WithID(),
		audit.Finding{Kind: "x.b", Severity: audit.High, Status: audit.Mitigated, Subject: audit.Subject{Type: "identity", ID: "b"}}.WithID(),
		audit.Finding{Kind: "x.c", Severity: audit.Low, Subject: audit.Subject{Type: "identity", ID: "c"}}.WithID(),
		audit.Finding{Kind: "x.d", Severity: audit.Critical, Status: audit.Indeterminate, Subject: audit.Subject{Type: "identity", ID: "d"}}.WithID(),
	}
	r := audit.NewReport(time.Time{}, nil, fs)
	fmt.Println(len(r.Failing(audit.High)), len(r.Failing(audit.Info)))

	// A threshold never set is the zero Severity, Critical: it still gates
	// on the critical findings.
	var unset audit.Severity
	fmt.Println(len(r.Failing(unset)))

	// The gate: fail when anything is returned.
	if failing := r.Failing(audit.High); len(failing) > 0 {
		fmt.Println("fail:", failing[0].Kind, failing[0].Status, failing[1].Kind)
	}
	fmt.Println(audit.NewReport(time.Time{}, nil, nil).Failing(audit.Info) == nil)
	// Output:
	// 2 3
	// 1
	// fail: x.d indeterminate x.a
	// true
}

func ExampleReport_WriteJSON() {
	f := audit.Finding{Kind: "lifecycle.missing-reason", Severity: audit.Low,
		Subject: audit.Subject{Type: "grant", ID: "g-7"}}.WithID()
	r := audit.NewReport(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), nil, []audit.Finding{f})
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		fmt.Println(err)
		return
	}
	back, err := audit.ReadReport(&b)
	fmt.Println(err, back.Findings[0].ID == f.ID, back.Findings[0].Severity)
	// Output:
	// <nil> true low
}

func ExampleReadReport() {
	_, err := audit.ReadReport(strings.NewReader(`{"format": "sodkit.report/v9"}`))
	fmt.Println(err)
	// Output:
	// not a sodkit report: format "sodkit.report/v9", want "sodkit.report/v1"
}

func ExampleReport_Diff() {
	mk := func(id string, sev audit.Severity) audit.Finding {
		return audit.Finding{Kind: "x.check", Severity: sev, Subject: audit.Subject{Type: "identity", ID: id}}.WithID()
	}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	before := audit.NewReport(at, nil, []audit.Finding{mk("alice", audit.Low), mk("bob", audit.High)})
	after := audit.NewReport(at, nil, []audit.Finding{mk("alice", audit.High), mk("carol", audit.Medium)})
	d := after.Diff(before)
	if err := d.WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1 new, 1 resolved, 1 changed, 0 unchanged
	//
	// NEW MEDIUM x.check identity carol  sk-8b6a419bd9ce6875903e
	//
	// CHANGED (was low, open) HIGH x.check identity alice  sk-ec7ae1f84301f3b8c0c0
	//
	// RESOLVED HIGH x.check identity bob  sk-5729bfd6e873204788e1
}

func ExampleHashInput() {
	in, err := audit.HashInput("empty.json", strings.NewReader(""))
	fmt.Println(in.Name, in.Bytes, in.SHA256[:16], err)
	// Output:
	// empty.json 0 e3b0c44298fc1c14 <nil>
}

func ExampleNewInputHasher() {
	h := audit.NewInputHasher("stream.json")
	var sink bytes.Buffer
	// Hash what a loader reads while it reads it.
	r := strings.NewReader(`{"format": "sodkit.bundle/v1"}`)
	if _, err := sink.ReadFrom(io.TeeReader(r, h)); err != nil {
		fmt.Println(err)
	}
	fmt.Println(h.Input().Bytes, sink.Len())
	// Output:
	// 30 30
}

func ExampleReport_WriteText() {
	f := audit.Finding{Kind: "lifecycle.unexplained-access", Severity: audit.High, Status: audit.Indeterminate,
		Subject:  audit.Subject{Type: "account", ID: "temp-7"},
		Message:  "account temp-7 holds erp:vendor.create but is not in the inventory",
		Evidence: []audit.Evidence{{Label: "entitlement", Value: "erp:vendor.create"}},
	}.WithID()
	r := audit.NewReport(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), nil, []audit.Finding{f})
	if err := r.WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// sodkit 0.1.0 report, evaluated at 2026-11-01T09:00:00Z
	// 1 finding (1 high); 1 indeterminate
	//
	// by severity: high 1 (1 failing)
	// by kind:
	//   lifecycle 1: unexplained-access 1
	//
	// HIGH lifecycle.unexplained-access account temp-7 [indeterminate]  sk-c92dcbfef57fe5bb8866
	//   account temp-7 holds erp:vendor.create but is not in the inventory
	//   - entitlement: erp:vendor.create
}

func ExampleReport_Summary() {
	fs := []audit.Finding{
		audit.Finding{Kind: "x.a", Severity: audit.High, Subject: audit.Subject{Type: "identity", ID: "a"}}.WithID(),
		audit.Finding{Kind: "x.a", Severity: audit.Low, Status: audit.Mitigated, Subject: audit.Subject{Type: "identity", ID: "b"}}.WithID(),
	}
	s := audit.NewReport(time.Time{}, nil, fs).Summary()
	fmt.Println(s.Total, s.Failing, s.BySeverity[audit.High], s.ByStatus[audit.Mitigated], s.ByKind["x.a"])
	// Output:
	// 2 1 1 1 2
}

func ExampleDelta_Failing() {
	mk := func(id string, st audit.Status) audit.Finding {
		return audit.Finding{Kind: "x.check", Severity: audit.High, Status: st, Subject: audit.Subject{Type: "identity", ID: id}}.WithID()
	}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	before := audit.NewReport(at, nil, []audit.Finding{mk("old", audit.Open)})
	after := audit.NewReport(at, nil, []audit.Finding{mk("old", audit.Open), mk("new", audit.Open), mk("covered", audit.Mitigated)})
	d := after.Diff(before)
	for _, f := range d.Failing(audit.High) {
		fmt.Println(f.Subject) // only what is new and still failing
	}
	fmt.Println(d.Empty())
	// Output:
	// identity new
	// false
}

func ExampleControl_Title() {
	t, ok := audit.Ref(audit.SP80053, "AC-5").Title()
	fmt.Println(t, ok)
	// Output:
	// Separation of Duties true
}

func ExamplePathString() {
	fmt.Println(audit.PathString([]audit.Step{{Type: "grant", ID: "g-1"}, {Type: "role", ID: "ap-clerk"}, {Type: "entitlement", ID: "erp:invoice.post"}}))
	// Output:
	// grant g-1 → role ap-clerk → entitlement erp:invoice.post
}

func ExampleSeverity_AtLeast() {
	for _, s := range audit.Severities() {
		fmt.Println(s, s.AtLeast(audit.Medium))
	}
	// Output:
	// critical true
	// high true
	// medium true
	// low false
	// info false
}

func ExampleSubject_String() {
	// An imported group's ID is opaque; its name, filled in by a scan,
	// says what it is. The type and ID still decide.
	s := audit.Subject{Type: "role", ID: "entra:group/5a8b0c1d", Name: "Bank Payment Approvers"}
	fmt.Println(s)
	fmt.Println(s.Compare(audit.Subject{Type: "role", ID: "entra:group/5a8b0c1d"}) == 0)
	// Output:
	// role entra:group/5a8b0c1d (Bank Payment Approvers)
	// true
}

// A finding about a grant says whose grant it is in Identity: gather
// everything about one identity from it, never from evidence labels.
func ExampleFinding_identity() {
	noReason := audit.KindInfo{Kind: "lifecycle.missing-reason", Severity: audit.Medium}
	toxic := audit.KindInfo{Kind: "sod.toxic-combination", Severity: audit.Critical}

	grant := noReason.New("", audit.Subject{Type: "grant", ID: "g-101"}, "grant g-101 to alice records no business reason")
	grant.Identity = "alice" // the check knows the grant's holder
	fs := []audit.Finding{
		grant,
		toxic.New("R-1", audit.Subject{Type: "identity", ID: "alice"}, "alice holds both sides"), // New sets Identity
		toxic.New("R-1", audit.Subject{Type: "identity", ID: "bob"}, "bob holds both sides"),
	}
	for _, f := range fs {
		if f.Identity == "alice" {
			fmt.Println(f.Kind, f.Subject)
		}
	}
	// Output:
	// lifecycle.missing-reason grant g-101
	// sod.toxic-combination identity alice
}
func ExampleReport_WriteTextWith() {
	mk := func(kind audit.Kind, sev audit.Severity, id, owner string) audit.Finding {
		return audit.Finding{Kind: kind, Severity: sev, Subject: audit.Subject{Type: "identity", ID: id},
			Message: id + " needs a look", Owner: owner, Identity: id}.WithID()
	}
	r := audit.NewReport(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), nil, []audit.Finding{
		mk("sod.toxic-combination", audit.Critical, "alice", "fiona"),
		mk("raci.credential-too-old", audit.Medium, "svc-batch", "platform-eng"),
		mk("lifecycle.inactive-holder", audit.Low, "dora", "fiona"),
	})
	high := audit.High
	// Group by who must act, and list only what is high or worse: the
	// summary still counts everything.
	if err := r.WriteTextWith(os.Stdout, &audit.TextOptions{GroupBy: audit.GroupByOwner, MinSeverity: &high}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// sodkit 0.1.0 report, evaluated at 2026-11-01T09:00:00Z
	// 3 findings (1 critical, 1 medium, 1 low)
	//
	// by severity: critical 1 (1 failing), medium 1 (1 failing), low 1 (1 failing)
	// by kind:
	//   lifecycle 1: inactive-holder 1
	//   raci 1: credential-too-old 1
	//   sod 1: toxic-combination 1
	// top identities: alice 1, dora 1, svc-batch 1 (of 3 identities)
	// top owners: fiona 2, platform-eng 1 (of 2 owners)
	// not listed below: 2 findings below high (counted above)
	//
	// == owner fiona: 2 findings (1 critical, 1 low), 2 failing; 1 below high not listed
	//
	// CRITICAL sod.toxic-combination identity alice  sk-9a733af8462e86c23f94
	//   alice needs a look
}

func ExampleParseGrouping() {
	g, err := audit.ParseGrouping("owner")
	fmt.Println(g == audit.GroupByOwner, err)
	_, err = audit.ParseGrouping("team")
	fmt.Println(err)
	// Output:
	// true <nil>
	// unknown grouping "team" (want none, owner, identity or kind)
}

func ExampleReport_WriteHTML() {
	f := audit.Finding{Kind: "sod.toxic-combination", Severity: audit.Critical, Rule: "R-1",
		Subject: audit.Subject{Type: "identity", ID: "alice"}, Owner: "fiona",
		Message: "alice can create vendors <and> release payments"}.WithID()
	r := audit.NewReport(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), nil, []audit.Finding{f})
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		fmt.Println(err)
	}
	// One file, to open in a browser or attach to a review; filters live
	// in its URL fragment, such as review.html#owner=fiona.
	html := page.String()
	fmt.Println(strings.HasPrefix(html, "<!DOCTYPE html>"))
	fmt.Println(strings.Count(html, `<article class="finding`), "articles: the list, and the per-owner view")
	fmt.Println(strings.Contains(html, "vendors &lt;and&gt; release"))
	// Output:
	// true
	// 2 articles: the list, and the per-owner view
	// true
}
