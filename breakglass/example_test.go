package breakglass_test

import (
	"fmt"
	"time"

	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/entitlement"
)

// exampleIndex is a tiny organisation: pat (platform), sam (security), and
// a firefighter account ff-prod holding cluster administration through a
// standing break-glass grant.
func exampleIndex() *entitlement.Index {
	person := func(id, team string) entitlement.Identity {
		return entitlement.Identity{ID: id, Kind: entitlement.Human, Status: entitlement.IdentityActive, Team: team}
	}
	x, err := entitlement.NewIndex(&entitlement.Inventory{
		Parties:      []entitlement.Party{{ID: "security-ops", Function: entitlement.Security}},
		Entitlements: []entitlement.Entitlement{{ID: "k8s:cluster-admin", Privileged: true, Risk: entitlement.RiskCritical}},
		Identities: []entitlement.Identity{
			person("pat", ""), person("sam", "security-ops"),
			{ID: "ff-prod", Kind: entitlement.ServiceAccount, Status: entitlement.IdentityActive, Owner: "sam",
				Grants: []entitlement.Grant{{ID: "g-ff", Entitlement: "k8s:cluster-admin", State: entitlement.GrantActive,
					Source: entitlement.SourceBreakGlass}}},
		},
	})
	if err != nil {
		panic(err)
	}
	return x
}

// The main flow: register the emergency account, record the sessions, and
// check them at an explicit time.
func Example() {
	x := exampleIndex()
	cet := time.FixedZone("CET", 3600)
	start := time.Date(2026, 10, 28, 2, 0, 0, 0, cet)
	cfg := breakglass.Config{
		Policy:   breakglass.Policy{MaxLength: 2 * time.Hour}, // everything else: the strict defaults
		Accounts: []breakglass.Account{{ID: "ff-prod", Owner: "sam", Controllers: []string{"security-ops"}}},
		Sessions: []breakglass.Session{
			{
				ID: "bg-1", Identity: "pat", Account: "ff-prod",
				ReasonCode: "outage", Justification: "etcd quorum lost", Ticket: "INC-4711",
				Start: start, PlannedEnd: start.Add(time.Hour), End: start.Add(50 * time.Minute),
				Review:             breakglass.Review{Reviewer: "sam", At: start.Add(8 * time.Hour), Outcome: breakglass.ReviewApproved},
				CredentialsRotated: start.Add(time.Hour),
			},
			{
				ID: "bg-2", Identity: "pat", Account: "ff-prod", ReasonCode: "outage",
				Start: start.Add(24 * time.Hour), PlannedEnd: start.Add(25 * time.Hour),
			},
		},
	}
	if err := cfg.Validate(x); err != nil {
		fmt.Println(err)
		return
	}
	at := start.Add(28 * time.Hour)
	for _, f := range breakglass.Check(x, cfg, at) {
		fmt.Printf("%s %s %s\n  %s\n", f.Severity, f.Kind, f.Subject, f.Message)
	}
	s := breakglass.Summarize(x, cfg, at)
	fmt.Printf("%d sessions in %s, %d active, median time to review %s\n", s.Sessions, s.Window, s.Active, s.MedianTimeToReview)
	// Output:
	// high breakglass.active-past-end session bg-2
	//   session bg-2 of pat is still active at 2026-10-29T05:00:00Z, PT3H after its planned end
	// medium breakglass.missing-justification session bg-2
	//   session bg-2 of pat records no ticket
	// medium breakglass.over-max-length session bg-2
	//   session bg-2 of pat has run for PT4H and is still active, longer than the PT2H allowed by policy
	// 2 sessions in 720h0m0s, 1 active, median time to review 7h10m0s
}

func ExampleCheck() {
	x := exampleIndex()
	start := time.Date(2026, 10, 1, 22, 0, 0, 0, time.UTC)
	cfg := breakglass.Config{
		Accounts: []breakglass.Account{{ID: "ff-prod", Owner: "sam", Controllers: []string{"security-ops"}}},
		Sessions: []breakglass.Session{{
			ID: "bg-7", Identity: "pat", Account: "ff-prod", Justification: "hotfix", Ticket: "CHG-9",
			Start: start, PlannedEnd: start.Add(time.Hour), End: start.Add(time.Hour),
			Review:             breakglass.Review{Reviewer: "pat", At: start.Add(2 * time.Hour), Outcome: breakglass.ReviewApproved},
			CredentialsRotated: start.Add(2 * time.Hour),
		}},
	}
	for _, f := range breakglass.Check(x, cfg, start.Add(24*time.Hour)) {
		fmt.Println(f.Severity, f.Kind, f.Subject)
		for _, e := range f.Evidence {
			fmt.Println("  -", e)
		}
		fmt.Print("  controls:")
		for _, c := range f.Controls {
			fmt.Print(" ", c.ID)
		}
		fmt.Println()
	}
	// Output:
	// critical breakglass.self-reviewed session bg-7
	//   - identity: pat
	//   - account: ff-prod
	//   - start: 2026-10-01T22:00:00Z
	//   - review: approved by pat at 2026-10-02T00:00:00Z
	//   controls: AC-5 AC-6(9) AU-6
	// medium breakglass.reviewer-not-controller session bg-7
	//   - identity: pat
	//   - account: ff-prod
	//   - start: 2026-10-01T22:00:00Z
	//   - review: approved by pat at 2026-10-02T00:00:00Z
	//   - controllers: security-ops (account ff-prod)
	//   controls: GV.RR-02 AU-6
}

func ExampleConfig_Validate() {
	cfg := breakglass.Config{Sessions: []breakglass.Session{{
		ID: "bg-9", Identity: "mallory", Entitlements: []string{"k8s:cluster-admin"},
		Start: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC),
	}}}
	for _, err := range entitlement.Errors(cfg.Validate(exampleIndex())) {
		fmt.Println(err)
	}
	// Output:
	// session bg-9: field identity: unknown reference: no identity "mallory"
	// session bg-9: field controllers: required: no controller reviews this session; name controllers on the session, its account or the policy
}

func ExampleSummarize() {
	x := exampleIndex()
	start := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	cfg := breakglass.Config{
		Accounts: []breakglass.Account{{ID: "ff-prod", Owner: "sam", Controllers: []string{"sam"}}},
	}
	for i, wait := range []time.Duration{2 * time.Hour, 30 * time.Hour, 100 * time.Hour} {
		begin := start.Add(time.Duration(i) * 24 * time.Hour)
		end := begin.Add(time.Hour)
		cfg.Sessions = append(cfg.Sessions, breakglass.Session{
			ID: fmt.Sprintf("bg-%d", i), Identity: "pat", Account: "ff-prod", Start: begin, End: end,
			Review: breakglass.Review{Reviewer: "sam", At: end.Add(wait), Outcome: breakglass.ReviewApproved},
		})
	}
	s := breakglass.Summarize(x, cfg, start.Add(10*24*time.Hour))
	fmt.Println("sessions:", s.Sessions, "per identity:", s.ByIdentity, "per entitlement:", s.ByEntitlement)
	fmt.Println("median time to review:", s.MedianTimeToReview)
	share, _ := s.OnTimeShare()
	fmt.Printf("reviewed on time: %d of %d (%.0f%%)\n", s.ReviewedOnTime, s.ReviewDecided, 100*share)
	// Output:
	// sessions: 3 per identity: [{pat 3}] per entitlement: [{k8s:cluster-admin 3}]
	// median time to review: 30h0m0s
	// reviewed on time: 2 of 3 (67%)
}

func ExampleSummary_OnTimeShare() {
	s := breakglass.Summary{ReviewDecided: 4, ReviewedOnTime: 3}
	share, ok := s.OnTimeShare()
	fmt.Println(share, ok)
	share, ok = breakglass.Summary{}.OnTimeShare()
	fmt.Println(share, ok)
	// Output:
	// 0.75 true
	// 0 false
}

func ExamplePolicy_WithDefaults() {
	p := breakglass.Policy{MaxLength: 90 * time.Minute}.WithDefaults()
	fmt.Println("max length:", p.MaxLength)
	fmt.Println("review within:", p.ReviewWithin)
	fmt.Println("rotate within:", p.RotateWithin)
	fmt.Printf("habitual: more than %d per identity or %d per entitlement in %s\n", p.MaxPerIdentity, p.MaxPerEntitlement, p.HabitWindow)
	// Output:
	// max length: 1h30m0s
	// review within: 72h0m0s
	// rotate within: 24h0m0s
	// habitual: more than 3 per identity or 5 per entitlement in 720h0m0s
}

func ExampleSession_ActiveAt() {
	start := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	s := breakglass.Session{Start: start, End: start.Add(time.Hour)}
	fmt.Println(s.ActiveAt(start), s.ActiveAt(start.Add(time.Hour-time.Nanosecond)), s.ActiveAt(start.Add(time.Hour)))
	// Output:
	// true true false
}

func ExampleParseOutcome() {
	o, err := breakglass.ParseOutcome("needs-information")
	fmt.Println(o, o.Concluded(), err)
	_, err = breakglass.ParseOutcome("fine")
	fmt.Println(err)
	// Output:
	// needs_information false <nil>
	// invalid value: unknown review outcome "fine" (want approved, rejected, needs_information)
}

func ExampleReview_ConcludedBy() {
	at := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	r := breakglass.Review{Reviewer: "sam", At: at, Outcome: breakglass.ReviewRejected}
	fmt.Println(r.ConcludedBy(at.Add(-time.Nanosecond)), r.ConcludedBy(at))
	// Output:
	// false true
}

// ExampleKinds prints one of breakglass's kinds of finding as its table
// describes it.
func ExampleKinds() {
	for _, k := range breakglass.Kinds() {
		if k.Kind == breakglass.KindSelfReviewed {
			fmt.Println(k.Title, "-", k.Severity)
			fmt.Println(k.Controls)
			fmt.Println(k.Remediation)
		}
	}
	// Output:
	// Self-reviewed session - critical
	// [NIST SP 800-53 Rev. 5 AC-5 NIST SP 800-53 Rev. 5 AC-6(9) NIST SP 800-53 Rev. 5 AU-6]
	// Have one of the session's controllers, not its user, review it again; a user must never review their own emergency access.
}
