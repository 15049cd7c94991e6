// Package sod finds separation-of-duties problems: toxic combinations of
// access, critical access, role designs that are toxic by themselves,
// exceptions that stopped being exceptions, and maker-checker conflicts in
// workflow records. It answers the same questions before a change is made
// (WhatIf, and Decide for a verdict with its reasons), fast enough to call
// inside a request handler.
//
// # Rules
//
// A Rule has sides, each a duty (a set of entitlements and roles, defined
// once as a Duty or inline). An identity violates a rule when its effective
// access touches at least K sides. Pairs (2 of 2), multi-duty risks (3 of
// 3), NIST RBAC static separation-of-duty sets (K of N, one role per side,
// inherited roles counting) and critical single access (1 of 1) are all
// this one shape. A rule may be limited to sides held in the same system,
// org scope or environment (Scope), and may be Dynamic: then only access
// active at the same time counts (standing grants and activated
// just-in-time grants), which is NIST dynamic separation of duty. Static
// rules count eligible just-in-time grants too.
//
// # Engine
//
// Compile validates a Config and compiles it against an entitlement.Index:
// entitlement and role IDs become dense integers, every role's inheritance
// closure is precomputed into the list of rule sides it touches, so
// checking one identity costs about the size of its grants' touch lists,
// not the size of the rule set. An Engine is immutable and safe for
// concurrent use; Check runs identities on all cores. CheckIdentity checks
// one identity that need not be in the index, so identities can be streamed
// through an Engine compiled over the catalogue alone.
//
// # Findings
//
// Every result is an audit.Finding with a stable ID, the rule, the
// identity, and evidence naming each side touched, the member that touches
// it and the path that explains it (grant → roles → entitlement). A rule
// that cannot be evaluated — it names an entitlement or role the catalogue
// does not know — yields an indeterminate finding, which fails a gate like
// a violation: a reference that does not resolve is never a silent pass.
//
// # Exceptions
//
// An Exception accepts one rule for one identity (or the members of one
// party) for a bounded time, with an owner, an approver and a compensating
// control. While valid it marks the violation Mitigated — still reported,
// never hidden. Exceptions that expired, have no end date, run longer than
// allowed, were approved by someone they cover or by someone not allowed to
// approve them, were renewed too often, or match nothing are findings in
// their own right.
//
// # Maker-checker
//
// Each grant record (request, approvals, provisioning, revocation) and
// each exception approval is checked against the Policy's Separations: by
// default nobody approves or provisions their own access, the requester
// neither approves nor provisions, the approver does not provision, one
// grant's approvals come from different people, and a rule's owning party
// does not approve exceptions to its own rule. Two conflicts are always
// checked: a non-human identity approving, and the party that owns an
// entitlement's policy both approving and fulfilling a grant of it.
//
// Every check takes the evaluation time explicitly; nothing reads the
// wall clock.
package sod
