// Package raci checks who owns access policy and who executes it: the RACI
// matrix of access governance, the ownership of entitlements, roles, rules
// and non-human identities, approval paths, recertification, and the
// hygiene of non-human identities.
//
// The governance rule behind it: identity and access management owns
// policy (who may receive access, on what conditions, for how long, who
// may approve exceptions); IT operations owns the execution of workflows
// (intake, fulfilment, evidence). When one party does both, or when nobody
// is accountable, access drifts.
//
// It is not a workflow engine and does not decide requests: it reports,
// as audit.Finding values, where the declared responsibilities and the
// recorded access disagree with that rule.
//
// # The matrix
//
// A Matrix maps each governance Activity (define_policy, approve_request,
// approve_exception, provision, revoke, recertify, review_emergency,
// own_nhi) to an Assignment: the parties, or people, that are
// Responsible, Accountable, Consulted and Informed. A reference names an
// entitlement.Party, or else a human identity. Config holds the global
// matrix, Overrides per system or per entitlement, and the Policy
// thresholds; Config.Resolve returns the effective matrix of one
// entitlement, built from the least specific scope to the most: the
// global matrix, the system override, the entitlement's own catalogue
// fields (policy owner, fulfiller, approval path), the entitlement
// override. Configs are plain data, built in Go or loaded from the "raci"
// section of a bundle (see docs/raci.md), and Config.Validate checks them
// against an inventory.
//
// # Checks
//
// Check runs every check at an explicit time and returns the findings in
// report order. CheckRules checks the ownership of rules that other
// packages define, from plain RuleOwner records. Owners lists, per
// entitlement and per non-human identity, who is accountable and what is
// unowned. Kinds returns every finding kind with its title, default
// severity, the controls every finding of it cites, remediation and help;
// each finding is built from that table. The kinds, with when a finding
// is rated otherwise or cites more (CSF is NIST CSF 2.0, SP is NIST SP
// 800-53 Rev. 5, NHI is the OWASP Non-Human Identities Top 10 2025, AI RMF
// is NIST AI RMF 1.0):
//
//	kind                               severity          controls
//	raci.no-accountable                high              CSF GV.RR-02 (+ AI RMF GOVERN 2.1 for own_nhi when AI agents exist)
//	raci.several-accountable           medium            CSF GV.RR-02 (idem)
//	raci.no-responsible                medium            CSF GV.RR-02 (idem)
//	raci.policy-not-separated          high              CSF GV.RR-02, SP AC-5
//	raci.approver-provisions           high              CSF GV.RR-02, SP AC-5
//	raci.recertification-not-governed  high              CSF GV.RR-02, SP AC-2, AC-6(7)
//	raci.unknown-reference             high              CSF GV.RR-02
//	raci.inactive-party                high; low if only consulted or informed   CSF GV.RR-02, SP AC-2
//	raci.no-owner                      high for privileged or high-risk access and rules, else medium   CSF GV.RR-02, SP AC-2
//	raci.inactive-owner                as no-owner       CSF GV.RR-02, SP AC-2
//	raci.orphaned-nhi                  critical with privileged access, else high   NHI1, SP AC-2, CSF GV.RR-02 (+ GOVERN 2.1 for AI agents)
//	raci.approval-outside-path         high              SP AC-2, AC-5, CSF PR.AA-05
//	raci.approval-stage-missing        high when a privileged or high-risk entitlement needs the stage, else medium   SP AC-2, AC-5, CSF PR.AA-05
//	raci.recertification-overdue       high for privileged access, else medium   SP AC-2, AC-6(7), CSF PR.AA-05
//	raci.certifier-not-accountable     medium            SP AC-6(7), CSF GV.RR-02
//	raci.self-certified                high              SP AC-5, AC-6(7)
//	raci.credential-too-old            high; medium when the age is unknown   NHI7, SP IA-5
//	raci.credential-no-expiry          medium            NHI7, SP IA-5
//	raci.environment-reuse             high              NHI8, CSF PR.AA-01
//	raci.application-reuse             medium            NHI9, SP IA-9, CSF PR.AA-01
//	raci.human-use                     high              NHI10, SP AC-2, CSF DE.CM-03
//	raci.dormant-privileged            high              NHI1, SP AC-2(3), AC-6
//
// Matrix gaps are reported on the scope that assigned the cells concerned
// (subject {"matrix", "global"}, {"system", S} or {"entitlement", E}), so
// a gap of the global matrix is one finding, not one per entitlement. An
// activity with no Accountable party at an entitlement's own scope is
// reported as that entitlement's raci.no-owner when the activity is
// define_policy.
//
// # Time and boundaries
//
// Every check takes the evaluation time explicitly and the finding IDs do
// not depend on it. A grant is checked for recertification while it is
// live (active, not revoked, not expired at at); it is overdue from the
// instant its last certification plus the interval is reached (a grant
// certified every 90 days and last certified at t is overdue at exactly
// t+90d). A credential is too old once its age is strictly greater than
// the maximum age. An identity is dormant once its last use is at least
// DormantAfter before at. Records dated after at (certifications, usage)
// have not happened yet at at and are ignored.
//
// # Failing closed
//
// A zero Config assigns nothing, so every activity is reported as having
// no Accountable and no Responsible party; a zero Policy means the
// documented defaults. A reference to nothing counts as a party with no
// active member; a party function that is unspecified qualifies for
// nothing; an approval with no recorded stage must come from a member of
// some stage's party; a certification with no time does not restart the
// interval; an unknown person seen behind a non-human identity counts as
// a person.
package raci
