package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/audit/trail"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/sod"
)

// request is an access request as the service receives it: who would get
// which access, who asked and who approved, and why.
type request struct {
	// Ticket is the request's ID in the ticket system. It names the grant
	// and is recorded with the decision.
	Ticket string `json:"ticket"`
	// Identity would receive the access: a role or an entitlement.
	Identity    string `json:"identity"`
	Role        string `json:"role,omitempty"`
	Entitlement string `json:"entitlement,omitempty"`
	// RequestedBy asked for the access; ApprovedBy approved it, in order.
	RequestedBy string   `json:"requested_by"`
	ApprovedBy  []string `json:"approved_by"`
	// Reason is the business reason, in words.
	Reason string `json:"reason"`
	// Template is the request template (or rule) that allows such grants:
	// the policy basis of an approval.
	Template string `json:"template"`
}

// response is the service's answer.
type response struct {
	// Decision is "approved" or "refused".
	Decision string `json:"decision"`
	// Findings are what the grant would add, in report order: the failing
	// ones are why it was refused; mitigated ones (covered by an
	// exception) do not block it.
	Findings []audit.Finding `json:"findings"`
	// Reasons explain the decision in words (sod.Decision.Reasons).
	Reasons []string `json:"reasons"`
	// Record locates the decision in the audit log.
	Record record `json:"record"`
}

type record struct {
	Seq  uint64     `json:"seq"`
	Hash trail.Hash `json:"hash"`
}

// service approves or refuses access requests. It checks each request
// with the policy engine before anything is granted — the toxic
// combinations the grant would create, and maker-checker separation
// between the holder, the requester and the approvers — and records every
// decision in a tamper-evident audit log before it answers.
//
// The engine knows the inventory it was compiled from. Grants the service
// approved since are kept, per identity, and checked together with each
// new request for the same identity, so a toxic pair cannot be approved
// one half at a time. Requests are decided one at a time, which keeps
// that check and the log in step.
type service struct {
	x       *entitlement.Index
	engine  *sod.Engine
	log     *trail.Log
	now     func() time.Time
	actor   string // the service's own identity, recorded as the decision's actor
	ruleSet string // SHA-256 of the rule set in force (audit.RuleSetHash)

	mu       sync.Mutex
	approved map[string][]entitlement.Grant // identity → grants approved since the engine was compiled
}

// newService returns a service deciding on the inventory indexed by x
// under policy p, recording in log and reading the time from now. actor is
// the service's own identity and ruleSet the SHA-256 of the rule set in
// force; both go into every decision record. It fails when p does not
// compile.
func newService(x *entitlement.Index, p sod.Config, log *trail.Log, now func() time.Time, actor, ruleSet string) (*service, error) {
	engine, err := sod.Compile(x, p)
	if err != nil {
		return nil, err
	}
	return &service{x: x, engine: engine, log: log, now: now, actor: actor, ruleSet: ruleSet,
		approved: map[string][]entitlement.Grant{}}, nil
}

// Handler routes POST /access-requests to the service.
func (s *service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /access-requests", s.decide)
	return mux
}

// maxRequestBytes bounds a request body.
const maxRequestBytes = 64 << 10

func (s *service) decide(w http.ResponseWriter, r *http.Request) {
	var req request
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		http.Error(w, "invalid request: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := req.validate(s.x); err != nil {
		http.Error(w, "invalid request: "+err.Error(), http.StatusBadRequest)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.now()
	grant := req.grant(at)

	// May the grant be made, on top of what the identity holds and was
	// approved since? The engine decides on the toxic combinations it would
	// add and the maker-checker conflicts in its own record; a mitigated
	// finding does not block, and a request it cannot evaluate is an error.
	proposed := append(slices.Clone(s.approved[req.Identity]), grant)
	verdict, err := s.engine.Decide(sod.Change{Identity: req.Identity, Grants: proposed}, at)
	if err != nil {
		http.Error(w, "invalid request: "+err.Error(), http.StatusBadRequest)
		return
	}
	blocking := verdict.Blocking()

	// Record the decision before answering: an approval that is not in
	// the log did not happen.
	d := s.decision(req, at, blocking)
	entry, err := s.log.Append(d)
	if err != nil {
		http.Error(w, "the decision could not be recorded, so nothing was approved: "+err.Error(), http.StatusInternalServerError)
		return
	}
	resp := response{Decision: "approved", Findings: verdict.Findings, Reasons: verdict.Reasons, Record: record{Seq: entry.Seq, Hash: entry.Hash}}
	status := http.StatusOK
	if verdict.Allowed() {
		s.approved[req.Identity] = append(s.approved[req.Identity], grant)
	} else {
		resp.Decision, status = "refused", http.StatusForbidden
	}
	if resp.Findings == nil {
		resp.Findings = []audit.Finding{}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(resp)
}

// validate rejects requests that cannot be decided.
func (req request) validate(x *entitlement.Index) error {
	var errs []error
	required := func(field, v string) {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, fmt.Errorf("%s: required", field))
		}
	}
	required("ticket", req.Ticket)
	required("identity", req.Identity)
	required("requested_by", req.RequestedBy)
	required("reason", req.Reason)
	required("template", req.Template)
	if (req.Role == "") == (req.Entitlement == "") {
		errs = append(errs, errors.New("role, entitlement: name exactly one"))
	}
	if len(req.ApprovedBy) == 0 {
		errs = append(errs, errors.New("approved_by: at least one approver is required"))
	}
	for i, a := range req.ApprovedBy {
		required(fmt.Sprintf("approved_by[%d]", i), a)
	}
	return errors.Join(errs...)
}

// grant is the grant the request asks for, as it would be recorded at at.
func (req request) grant(at time.Time) entitlement.Grant {
	g := entitlement.Grant{
		ID: req.Ticket, Role: req.Role, Entitlement: req.Entitlement,
		State: entitlement.GrantActive, Source: entitlement.SourceStandard,
		Requested: entitlement.Event{By: req.RequestedBy, At: at},
		Start:     at, Ticket: req.Ticket, Reason: req.Reason, PolicyBasis: req.Template,
	}
	for _, a := range req.ApprovedBy {
		g.Approvals = append(g.Approvals, entitlement.Approval{By: a, At: at})
	}
	return g
}

// decision is the audit record of deciding req at at. A refusal records the
// blocking findings as its reason and the rules they break as its policy
// basis; an approval records the request's reason and template.
func (s *service) decision(req request, at time.Time, blocking []audit.Finding) audit.Decision {
	d := audit.Decision{
		Time: at, Actor: s.actor, OnBehalfOf: req.ApprovedBy[0], Action: audit.ActionApprove,
		Subject: req.Identity, Role: req.Role, Entitlement: req.Entitlement,
		Outcome: audit.OutcomeCompleted, Reason: req.Reason, Ticket: req.Ticket,
		PolicyBasis: audit.PolicyBasis{Rule: req.Template, RuleSetSHA256: s.ruleSet},
	}
	if len(blocking) == 0 {
		return d
	}
	var rules, why []string
	for _, f := range blocking {
		d.Findings = append(d.Findings, f.ID)
		why = append(why, f.Message)
		rule := f.Rule
		if rule == "" {
			rule = "maker-checker" // duty conflicts break a separation, not a rule
		}
		if !slices.Contains(rules, rule) {
			rules = append(rules, rule)
		}
	}
	d.Outcome = audit.OutcomeRefused
	d.Reason = "refused: " + strings.Join(why, "; ") + " (requested for: " + req.Reason + ")"
	d.PolicyBasis.Rule = strings.Join(rules, ", ")
	return d
}
