package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/audit/trail"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/sod"
)

// asOf is the demo export's time; the service's clock is pinned to it.
var asOf = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// newTestService builds the service on the demo organisation, recording
// to an in-memory log, and serves it over HTTP.
func newTestService(t *testing.T, log *trail.Log) (*httptest.Server, *service) {
	t.Helper()
	b, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := newService(b.Index, b.SoD, log, func() time.Time { return asOf }, "approval-service", ruleSetHash(b.Inputs))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	return srv, svc
}

// post sends one request and decodes the answer.
func post(t *testing.T, srv *httptest.Server, body string) (int, response, string) {
	t.Helper()
	resp, err := http.Post(srv.URL+"/access-requests", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out response
	if resp.Header.Get("Content-Type") == "application/json" {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("decoding %s: %v", raw, err)
		}
	}
	return resp.StatusCode, out, string(raw)
}

func TestDecisions(t *testing.T) {
	tests := []struct {
		name     string
		reason   string
		requests []string // sent in order; the last one is checked
		status   int
		decision string
		outcome  audit.Outcome
		blocking []string // rule of each failing finding ("" for a duty conflict), in report order
		passing  []string // rule of each finding that does not block (mitigated by an exception)
		message  []string // substrings of the answer
		basis    string   // the recorded policy basis rule
	}{
		{
			name:   "approved",
			reason: "fiona holds only base access: vendor maintenance creates no combination, and ines is not fiona",
			requests: []string{`{"ticket": "REQ-1", "identity": "fiona", "role": "vendor-master", "requested_by": "fiona",
				"approved_by": ["ines"], "reason": "covers vendor onboarding during the close", "template": "tmpl-finance-ap"}`},
			status: http.StatusOK, decision: "approved", outcome: audit.OutcomeCompleted, basis: "tmpl-finance-ap",
		},
		{
			name:   "toxic combination",
			reason: "tom approves bank payments: releasing them too breaks R-PAY-04, and the supervisor role's clerk duties R-P2P-03; his exception covers only R-SSD-08",
			requests: []string{`{"ticket": "REQ-2", "identity": "tom", "role": "ap-supervisor", "requested_by": "fiona",
				"approved_by": ["ines"], "reason": "holiday cover", "template": "tmpl-finance-ap"}`},
			status: http.StatusForbidden, decision: "refused", outcome: audit.OutcomeRefused,
			blocking: []string{"R-PAY-04", "R-P2P-03"}, passing: []string{"R-SSD-08"},
			message: []string{"tom holds 2 of the 2 duties of rule R-PAY-04", "mitigated by exception EXC-2026-011"},
			basis:   "R-PAY-04, R-P2P-03",
		},
		{
			name:   "self-approval",
			reason: "maker-checker: omar asks for access for himself and approves it",
			requests: []string{`{"ticket": "REQ-3", "identity": "omar", "entitlement": "erp:vendor.create", "requested_by": "omar",
				"approved_by": ["omar"], "reason": "vendor fix", "template": "tmpl-finance-ap"}`},
			status: http.StatusForbidden, decision: "refused", outcome: audit.OutcomeRefused,
			blocking: []string{"", ""}, message: []string{"omar approved their own access (grant REQ-3)"}, basis: "maker-checker",
		},
		{
			name:   "one half at a time",
			reason: "the first request is approved; the second would complete R-P2P-01 with it, and is refused",
			requests: []string{
				`{"ticket": "REQ-4", "identity": "sam", "role": "vendor-master", "requested_by": "fiona",
				"approved_by": ["ines"], "reason": "vendor onboarding", "template": "tmpl-finance-ap"}`,
				`{"ticket": "REQ-5", "identity": "sam", "entitlement": "erp:payment.release", "requested_by": "fiona",
				"approved_by": ["ines"], "reason": "payment run cover", "template": "tmpl-finance-ap"}`,
			},
			status: http.StatusForbidden, decision: "refused", outcome: audit.OutcomeRefused,
			blocking: []string{"R-P2P-01"}, message: []string{`{"type":"grant","id":"REQ-4"}`, `{"type":"grant","id":"REQ-5"}`},
			basis: "R-P2P-01",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			srv, _ := newTestService(t, trail.New(&buf, trail.Head{}))
			var status int
			var resp response
			var raw string
			for _, body := range tt.requests {
				status, resp, raw = post(t, srv, body)
			}
			if status != tt.status || resp.Decision != tt.decision {
				t.Fatalf("%s: status %d, decision %q, want %d %q\n%s", tt.reason, status, resp.Decision, tt.status, tt.decision, raw)
			}
			var rules, passing, blockingIDs []string
			for _, f := range resp.Findings {
				if f.Status.Failing() {
					rules = append(rules, f.Rule)
					blockingIDs = append(blockingIDs, f.ID)
				} else {
					passing = append(passing, f.Rule)
				}
			}
			if fmt.Sprint(rules) != fmt.Sprint(tt.blocking) || fmt.Sprint(passing) != fmt.Sprint(tt.passing) {
				t.Errorf("%s: blocking findings of rules %q and others of %q, want %q and %q\n%s", tt.reason, rules, passing, tt.blocking, tt.passing, raw)
			}
			for _, m := range tt.message {
				if !strings.Contains(raw, m) {
					t.Errorf("%s: the answer does not say %q:\n%s", tt.reason, m, raw)
				}
			}

			// The log holds one decision per request, verifies intact, and
			// the last one records the outcome, the reason and the basis.
			v, err := trail.Verify(bytes.NewReader(buf.Bytes()), trail.Key{}, nil)
			if err != nil || !v.OK() || v.Entries != uint64(len(tt.requests)) || resp.Record.Seq != v.Entries || resp.Record.Hash != v.Head.Hash {
				t.Fatalf("%s: log %v (%v), answer's record %+v", tt.reason, v, err, resp.Record)
			}
			var last audit.Decision
			for e, err := range trail.Entries(bytes.NewReader(buf.Bytes())) {
				if err != nil {
					t.Fatal(err)
				}
				last = e.Decision
			}
			if last.Outcome != tt.outcome || last.Action != audit.ActionApprove || last.Actor != "approval-service" ||
				last.PolicyBasis.Rule != tt.basis || !last.Time.Equal(asOf) {
				t.Errorf("%s: recorded %+v", tt.reason, last)
			}
			if fmt.Sprint(last.Findings) != fmt.Sprint(blockingIDs) && len(blockingIDs) > 0 {
				t.Errorf("%s: recorded findings %q, want the blocking ones %q", tt.reason, last.Findings, blockingIDs)
			}
			if tt.outcome == audit.OutcomeRefused && !strings.HasPrefix(last.Reason, "refused: ") {
				t.Errorf("%s: a refusal's reason is %q, want the findings", tt.reason, last.Reason)
			}
		})
	}
}

func TestInvalidRequests(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		body   string
		want   string
	}{
		{name: "not JSON", reason: "nothing to decide", body: `approve me`, want: "invalid character"},
		{name: "unknown field", reason: "a misspelt field must not be ignored", body: `{"ticket": "R", "identity": "fiona", "role": "vendor-master",
			"requested_by": "fiona", "approvers": ["ines"], "reason": "r", "template": "t"}`, want: `unknown field "approvers"`},
		{name: "no approver", reason: "an approval service needs an approval to check", body: `{"ticket": "R", "identity": "fiona",
			"role": "vendor-master", "requested_by": "fiona", "reason": "r", "template": "t"}`, want: "approved_by: at least one approver"},
		{name: "no reason", reason: "a decision record needs a business reason", body: `{"ticket": "R", "identity": "fiona",
			"role": "vendor-master", "requested_by": "fiona", "approved_by": ["ines"], "template": "t"}`, want: "reason: required"},
		{name: "both targets", reason: "one grant is one role or one entitlement", body: `{"ticket": "R", "identity": "fiona", "role": "vendor-master",
			"entitlement": "erp:vendor.create", "requested_by": "fiona", "approved_by": ["ines"], "reason": "r", "template": "t"}`, want: "name exactly one"},
		{name: "unknown identity", reason: "a typo is not a joiner", body: `{"ticket": "R", "identity": "fionna", "role": "vendor-master",
			"requested_by": "fiona", "approved_by": ["ines"], "reason": "r", "template": "t"}`, want: `no identity "fionna" in the inventory`},
		{name: "unknown role", reason: "the engine cannot evaluate a role it does not know", body: `{"ticket": "R", "identity": "fiona", "role": "vendor-mastr",
			"requested_by": "fiona", "approved_by": ["ines"], "reason": "r", "template": "t"}`, want: `no role "vendor-mastr"`},
	}
	var buf bytes.Buffer
	srv, _ := newTestService(t, trail.New(&buf, trail.Head{}))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, raw := post(t, srv, tt.body)
			if status != http.StatusBadRequest || !strings.Contains(raw, tt.want) {
				t.Errorf("%s: status %d, answer %q; want 400 saying %q", tt.reason, status, raw, tt.want)
			}
		})
	}
	if buf.Len() != 0 {
		t.Errorf("invalid requests were recorded as decisions:\n%s", buf.String())
	}
	resp, err := http.Get(srv.URL + "/access-requests")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", resp.StatusCode)
	}
}

// An approval the log did not acknowledge did not happen: the service
// answers with an error, and does not count the grant as approved.
func TestUnrecordedDecisionApprovesNothing(t *testing.T) {
	srv, svc := newTestService(t, new(trail.Log)) // the zero Log rejects every append
	status, _, raw := post(t, srv, `{"ticket": "REQ-1", "identity": "fiona", "role": "vendor-master", "requested_by": "fiona",
		"approved_by": ["ines"], "reason": "vendor onboarding", "template": "tmpl-finance-ap"}`)
	if status != http.StatusInternalServerError || !strings.Contains(raw, "nothing was approved") || !strings.Contains(raw, trail.ErrClosed.Error()) {
		t.Errorf("status %d, answer %q; want 500 saying nothing was approved", status, raw)
	}
	if len(svc.approved) != 0 {
		t.Errorf("the unrecorded grant counts as approved: %v", svc.approved)
	}
}

// Requests decided concurrently are each recorded once, in one intact
// chain.
func TestConcurrentRequests(t *testing.T) {
	var buf bytes.Buffer
	srv, _ := newTestService(t, trail.New(&buf, trail.Head{}))
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := fmt.Sprintf(`{"ticket": "REQ-%d", "identity": "fiona", "entitlement": "erp:report.view", "requested_by": "fiona",
				"approved_by": ["ines"], "reason": "reporting", "template": "tmpl-finance-ap"}`, i)
			resp, err := http.Post(srv.URL+"/access-requests", "application/json", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("request %d: status %d", i, resp.StatusCode)
			}
		})
	}
	wg.Wait()
	v, err := trail.Verify(bytes.NewReader(buf.Bytes()), trail.Key{}, nil)
	if err != nil || !v.OK() || v.Entries != n {
		t.Errorf("log after %d concurrent requests: %v (%v)", n, v, err)
	}
}

// The program's wiring: flags, the demo, and an audit log file that is
// verified when it is reopened.
func TestSetup(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "decisions.log")
	args := []string{"-log", logPath, "-at", "2026-11-01T09:00:00Z", "-addr", "localhost:0"}
	srv, err := setup(args, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.service.Handler())
	status, resp, raw := post(t, ts, `{"ticket": "REQ-1", "identity": "fiona", "role": "vendor-master", "requested_by": "fiona",
		"approved_by": ["ines"], "reason": "vendor onboarding", "template": "tmpl-finance-ap"}`)
	ts.Close()
	srv.log.Close()
	if status != http.StatusOK || resp.Record.Seq != 1 {
		t.Fatalf("status %d: %s", status, raw)
	}

	// Reopening continues the chain; a log edited in between is refused.
	srv, err = setup(args, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.log.Close()
	data, _ := os.ReadFile(logPath)
	os.WriteFile(logPath, bytes.Replace(data, []byte(`"subject":"fiona"`), []byte(`"subject":"fionb"`), 1), 0o600)
	if _, err := setup(args, io.Discard, nil); !errors.Is(err, trail.ErrTampered) {
		t.Errorf("setup on an edited log: %v, want ErrTampered", err)
	}

	for _, bad := range [][]string{{"-at", "yesterday"}, {"-log", logPath, "nosuchfile.json"}, {"-nosuchflag"}} {
		if _, err := setup(bad, io.Discard, nil); err == nil {
			t.Errorf("setup(%q) succeeded", bad)
		}
	}
}

// The decision record of a refusal passes the log's validation even when
// only duty conflicts block, which have no rule.
func TestRefusalRecordIsValid(t *testing.T) {
	s := &service{actor: "approval-service", ruleSet: audit.RuleSetHash(nil)}
	req := request{Ticket: "T", Identity: "omar", Role: "r", ApprovedBy: []string{"omar"}, Reason: "x"}
	d := s.decision(req, asOf, []audit.Finding{{Kind: sod.KindDutyConflict, ID: "sk-0123456789abcdef0123", Message: "m"}})
	if err := d.Validate(); err != nil || d.PolicyBasis.Rule != "maker-checker" {
		t.Errorf("refusal record %+v: %v", d, err)
	}
}
