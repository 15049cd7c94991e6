// Package synth generates realistic synthetic access inventories for tests
// and benchmarks: a seeded, deterministic organisation of any size, as an
// entitlement.Inventory value or streamed as a bundle file.
//
// A generated inventory looks like an export from a real identity estate:
// about 70 % of its identities are non-human (service accounts, API keys,
// tokens, workload identities, AI agents), each owned by a person; every
// identity holds 5 to 30 grants (about 15 on average), some through roles
// that inherit each other up to four levels deep; systems carry a few
// hundred entitlements each; some grants are revoked or expired, some are
// just-in-time eligible with activations; observations of target systems
// include drift. It is always valid (entitlement.NewIndex accepts it).
//
// The same Config always yields the same inventory, and Generate and
// WriteBundle yield the same one: loading the bundle WriteBundle writes
// gives back what Generate returns. Identity i is generated from its own
// random stream, so WriteBundle streams a million identities in constant
// memory. Rules generates separation-of-duties rules over a catalogue, and
// RACI the RACI configuration of the organisation.
//
// By default the organisation is full of governance defects, on purpose:
// approvals outside the approval path, overdue recertifications, missing
// reasons, credentials that never expire, drift; every check reports
// dozens of findings per identity. That suits tests of the checks, not
// benchmarks of a realistic export.
//
// # Governed mode
//
// With Config.Governed the organisation follows its own policies, as
// RACI describes them, except for a small, documented defect rate. Its
// catalogue has the same parties, entitlements and roles (by ID) as the
// default one, made governable: parties list no extra members, so a
// party's members are exactly the people whose team it is; each system
// has an owning business team, the first stage of the approval path of its
// entitlements (high-risk ones add "iam"); roles hold entitlements of one
// system and nothing privileged (privileged access is granted directly,
// time-bound or just in time).
//
// People are assigned to parties deterministically (business teams, and
// several teams' worth each to identity governance, the service desk and
// platform engineering, fewer to security operations and audit); 4 % are
// disabled and 6 % offboarded, and their grants are revoked. Every grant
// records a reason and a policy basis. Its approvals follow the approval
// path of what it confers (for a role, the paths of the entitlements of its
// closure, as the raci checks compute it): one approval per stage, with
// the stage recorded, by an active member of the stage's party who is
// neither the holder, the requester nor another approver. It is
// provisioned by a member of the fulfiller party who is none of those,
// revoked by the service desk, and, once its access is older than its
// recertification interval (the strictest of what it confers, with the
// raci default intervals), recertified within the interval by a member of
// identity governance other than the holder. Grants of privileged
// entitlements, standing or just-in-time, began and expire within the
// entitlement's maximum duration; just-in-time role grants expire within
// 180 days; activations last at most the maximum duration and 8 hours.
// Grants come through the standard path (2 % through the exception path),
// never the emergency one. Non-human identities are owned by active people
// of their team, rotate their secrets within 80 days, let them expire 90
// days after rotation, were used in the last 30 days, and their usage
// records show one environment (their own) and one application, never a
// person. Observations show only access that grants in effect explain.
//
// The defects, each documented by the findings it causes:
//
//	defect                                   rate                                   findings
//	one grant defect, of 12 equally likely:  1 % of grants
//	  no business reason                                                            lifecycle.missing-reason
//	  no policy basis                                                               lifecycle.missing-policy-basis
//	  the last stage's approval missing                                             raci.approval-stage-missing (+ lifecycle.escalation-skipped when none is left)
//	  a stage approved by another team                                              raci.approval-outside-path, raci.approval-stage-missing
//	  recertification overdue                                                       raci.recertification-overdue
//	  certified by a business team                                                  raci.certifier-not-accountable
//	  certified by the holder (people)                                              raci.self-certified, raci.certifier-not-accountable
//	  privileged or just-in-time, no expiry                                         lifecycle.no-expiry
//	  longer than the maximum duration                                              lifecycle.over-max-duration
//	  provisioned by its approver                                                   sod.duty-conflict
//	  through the emergency path, no session                                        breakglass.grant-without-session
//	  standard path, no approval, needs escalation                                  lifecycle.escalation-skipped, raci.approval-stage-missing
//	one non-human identity defect, of 8:     2.5 % of non-human identities
//	  no owner, or an owner who left                                                raci.orphaned-nhi
//	  secret never rotated, issued long ago                                         raci.credential-too-old
//	  secret never expires                                                          raci.credential-no-expiry
//	  used in a second environment                                                  raci.environment-reuse
//	  used by a second application                                                  raci.application-reuse
//	  used by a person                                                              raci.human-use
//	  unused for months, privileged                                                 raci.dormant-privileged
//	  disabled, one grant still in effect                                           lifecycle.inactive-holder
//	a person who left keeps one grant        20 % of them (about 2 % of people)     lifecycle.inactive-holder
//	drift                                    4 % of observations                    lifecycle.revoked-still-present, lifecycle.unexplained-access
//	two gaps in the RACI matrix (see RACI)   once each                              raci.recertification-not-governed, raci.several-accountable
//
// A defect that does not apply to the grant it is drawn for (an approval
// defect on a grant that needs no approval, say) leaves the grant clean.
// Outside the separation-of-duties rules (whose findings depend on the
// rules, see Rules), every check together reports about 0.12 findings per
// identity on a governed organisation, against about 30 by default; with
// the defect rates at zero, only the two matrix gaps remain. These
// guarantees hold from a few hundred identities up: smaller organisations
// have teams without an active member.
package synth
