// Package breakglass checks emergency ("break-glass", "firefighter")
// access: access taken outside the normal request and approval path when
// something is on fire. Such access is acceptable only while it stays
// time-bound, justified, logged and reviewed afterwards by someone else; the
// failure this package looks for is the emergency path quietly becoming the
// normal path.
//
// It is not a vault or a checkout tool: it does not grant, time out or
// revoke anything. It reads what such tools record and reports, as
// audit.Finding values, where the records show the emergency path being
// misused.
//
// # Records
//
// A Session is one use of the emergency path: who used it, through which
// emergency Account (a firefighter ID with an owner and controllers) or
// which entitlements, why (reason code, justification, ticket), who
// requested and approved it, when it started, was meant to end and ended,
// who must review it and how the review went, and when the account's
// credentials were rotated afterwards. A Policy says what is acceptable; its
// zero value is the strict default (see the Default constants). A Config
// bundles the policy, the accounts and the sessions. All three are plain
// data: build them with literals, or load them from the "breakglass" section
// of a bundle (package bundle, documented in docs/breakglass.md).
//
// # Checks
//
// Check evaluates a Config against an entitlement.Index at an explicit time
// and returns findings, one kind per problem: sessions still active past
// their planned end or without one (KindActivePastEnd), longer than allowed
// (KindOverMaxLength), without reason or ticket (KindMissingJustification),
// without a required approval (KindMissingApproval), with an overdue or late
// review (KindReviewOverdue, KindReviewedLate), reviewed by their own user or
// by a non-controller (KindSelfReviewed, KindReviewerNotController),
// rejected but still active (KindRejectedStillActive), opened while an
// earlier one awaited review (KindReuseBeforeReview), habitual use per
// identity or per entitlement (KindHabitualUse), account credentials not
// rotated (KindCredentialsNotRotated), and break-glass grants in the
// inventory that no session explains (KindGrantWithoutSession). Kinds
// returns each kind with its title, default severity, the controls every
// finding of it cites, remediation and help; every finding is built from
// that table.
//
// Check never reads the clock and never fails: records it cannot check are
// reported as KindInvalidRecord findings with status Indeterminate, never
// passed. Config.Validate returns the same problems as errors, for loaders
// that want to reject bad input outright.
//
// # Time
//
// Every check takes the evaluation time at and sees the records as they
// stood then: sessions starting later are ignored, and reviews, approvals
// and rotations recorded later have not happened yet. Times are compared as
// instants, so records may carry any zone; evidence and messages show UTC.
// A session is active on the half-open interval [Start, End) and past its
// planned end from the planned end itself; a review or rotation exactly at
// its due time is on time, one a nanosecond later is late.
//
// # Figures
//
// Summarize returns the figures a report shows: sessions per identity and
// per entitlement in the policy's window, the median time from a session's
// end to its review, and the share of reviews done on time.
package breakglass
