package breakglass

import "github.com/sodkit/sodkit/audit"

// The finding kinds this package reports. Kinds lists each with its title,
// default severity, controls, remediation and help; docs/breakglass.md
// lists them too.
const (
	// KindActivePastEnd: a session still active at or after its planned
	// end, or active with no planned end at all. High.
	KindActivePastEnd audit.Kind = "breakglass.active-past-end"
	// KindOverMaxLength: a session whose planned or actual length exceeds
	// the policy's maximum, or the shorter maximum duration of an
	// entitlement it confers. Medium.
	KindOverMaxLength audit.Kind = "breakglass.over-max-length"
	// KindMissingJustification: a session without a reason (code or
	// justification) or without a ticket, where the policy requires them.
	// Medium.
	KindMissingJustification audit.Kind = "breakglass.missing-justification"
	// KindMissingApproval: a session conferring an entitlement whose
	// emergency use needs approval, with no approval recorded by its
	// start, or one given by the user or the requester. High.
	KindMissingApproval audit.Kind = "breakglass.missing-approval"
	// KindReviewOverdue: a session that ended more than the review period
	// ago and has no concluded review. High.
	KindReviewOverdue audit.Kind = "breakglass.review-overdue"
	// KindReviewedLate: a session whose review concluded after the review
	// period. Low.
	KindReviewedLate audit.Kind = "breakglass.reviewed-late"
	// KindSelfReviewed: a session reviewed by the identity that used it.
	// Critical.
	KindSelfReviewed audit.Kind = "breakglass.self-reviewed"
	// KindReviewerNotController: a session reviewed by someone who is not
	// one of its controllers. Medium.
	KindReviewerNotController audit.Kind = "breakglass.reviewer-not-controller"
	// KindRejectedStillActive: a session rejected in review whose access
	// is still active. Critical.
	KindRejectedStillActive audit.Kind = "breakglass.rejected-still-active"
	// KindReuseBeforeReview: a session opened while an earlier session of
	// the same identity still awaited its review. Medium.
	KindReuseBeforeReview audit.Kind = "breakglass.reuse-before-review"
	// KindHabitualUse: an identity, or an entitlement, used through the
	// emergency path more often in the trailing window than the policy
	// allows: the exception path is becoming the normal path. Medium, or
	// High at more than twice the limit.
	KindHabitualUse audit.Kind = "breakglass.habitual-use"
	// KindCredentialsNotRotated: an emergency account whose credentials
	// were not rotated within the rotation period after a session ended.
	// High.
	KindCredentialsNotRotated audit.Kind = "breakglass.credentials-not-rotated"
	// KindGrantWithoutSession: a break-glass grant in the inventory (source
	// break_glass) that no session record explains. High while the grant
	// is in effect, Medium after.
	KindGrantWithoutSession audit.Kind = "breakglass.grant-without-session"
	// KindInvalidRecord: a session, account or policy record that could
	// not be checked (see Config.Validate); status Indeterminate. High.
	KindInvalidRecord audit.Kind = "breakglass.invalid-record"
)

// kinds is the table of the finding kinds this package reports: each
// kind's title, default severity, the controls every finding of it cites,
// its remediation and help. Every finding is built from it (see kindInfo).
var kinds = audit.KindTable{
	{
		Kind: KindActivePastEnd, Title: "Session active past its end", Severity: audit.High,
		Controls:    []audit.Control{ac2_2, ac6, prAA05},
		Remediation: "End the session and disable or check the account back in; give every session a planned end.",
		Help:        "An emergency session still active at or after its planned end, or active with no planned end at all.",
	},
	{
		Kind: KindCredentialsNotRotated, Title: "Credentials not rotated", Severity: audit.High,
		Controls:    []audit.Control{ia5, ac2_2},
		Remediation: "Rotate the emergency account's credentials after every use.",
		Help:        "An emergency account whose credentials were not rotated within the rotation period after a session ended.",
	},
	{
		Kind: KindGrantWithoutSession, Title: "Break-glass grant without session", Severity: audit.High,
		Controls:    []audit.Control{ac2_2, ac6_9, au2},
		Remediation: "Record the emergency session that the grant served (who, why, ticket, controllers), or revoke the grant.",
		Help:        "A break-glass grant in the inventory (source break_glass) that no session record explains. Medium once the grant is no longer in effect.",
	},
	{
		Kind: KindHabitualUse, Title: "Habitual emergency use", Severity: audit.Medium,
		Controls:    []audit.Control{ac2_2, ac6, gvPO01, deCM03},
		Remediation: "Find out why the emergency path is used routinely; grant the recurring access through the normal request path or fix the underlying problem.",
		Help: "An identity, or an entitlement, used through the emergency path more often in the trailing window than the policy allows: " +
			"the exception path is becoming the normal path. High at more than twice the limit.",
	},
	{
		Kind: KindInvalidRecord, Title: "Break-glass record cannot be checked", Severity: audit.High,
		Controls:    []audit.Control{au3},
		Remediation: "Correct the record so it can be checked; until then, treat the session as unreviewed.",
		Help:        "A session, account or policy record that fails validation and so cannot be checked. Status indeterminate: it fails a gate.",
	},
	{
		Kind: KindMissingApproval, Title: "Emergency use not approved", Severity: audit.High,
		Controls:    []audit.Control{ac2_2, ac3_2, gvPO01},
		Remediation: "Have someone other than the user and the requester approve emergency use of these entitlements before the session starts.",
		Help: "A session conferring an entitlement whose emergency use needs approval, with no approval recorded by its start, or one given " +
			"by the user or the requester (then citing AC-5 too).",
	},
	{
		Kind: KindMissingJustification, Title: "Session without reason or ticket", Severity: audit.Medium,
		Controls:    []audit.Control{ac6_9, au3, ac2_2},
		Remediation: "Record the reason and the incident or change ticket on the session before it is reviewed.",
		Help:        "An emergency session without a reason (code or justification) or without a ticket, where the policy requires them.",
	},
	{
		Kind: KindOverMaxLength, Title: "Session longer than allowed", Severity: audit.Medium,
		Controls:    []audit.Control{ac2_2, ac6},
		Remediation: "Keep emergency sessions within the maximum length; open a new, separately justified session if the emergency continues.",
		Help:        "An emergency session whose planned or actual length exceeds the policy's maximum, or the shorter maximum duration of an entitlement it confers.",
	},
	{
		Kind: KindRejectedStillActive, Title: "Rejected session still active", Severity: audit.Critical,
		Controls:    []audit.Control{ac2_2, ac2_3, ac6},
		Remediation: "End the session and disable the account now, then follow up the rejected use.",
		Help:        "An emergency session rejected in review whose access is still active.",
	},
	{
		Kind: KindReuseBeforeReview, Title: "Emergency access reused before review", Severity: audit.Medium,
		Controls:    []audit.Control{au6, ac2_2, gvPO01},
		Remediation: "Review the earlier sessions before granting the identity emergency access again.",
		Help:        "An emergency session opened while an earlier session of the same identity still awaited its review.",
	},
	{
		Kind: KindReviewOverdue, Title: "Session review overdue", Severity: audit.High,
		Controls:    []audit.Control{au6, ac6_9, ac2_2, deCM03},
		Remediation: "Have one of the session's controllers review its activity log and record the outcome.",
		Help:        "An emergency session that ended more than the review period ago and has no concluded review.",
	},
	{
		Kind: KindReviewedLate, Title: "Session reviewed late", Severity: audit.Low,
		Controls:    []audit.Control{au6, ac6_9},
		Remediation: "Review emergency sessions within the review period; alert controllers when a review falls due.",
		Help:        "An emergency session whose review concluded after the review period.",
	},
	{
		Kind: KindReviewerNotController, Title: "Session reviewed by a non-controller", Severity: audit.Medium,
		Controls:    []audit.Control{au6, gvRR02},
		Remediation: "Have one of the session's controllers review it, or name the reviewer as a controller of the account.",
		Help:        "An emergency session reviewed by someone who is not one of its controllers (named on the session, its account or the policy).",
	},
	{
		Kind: KindSelfReviewed, Title: "Self-reviewed session", Severity: audit.Critical,
		Controls:    []audit.Control{ac5, au6, ac6_9},
		Remediation: "Have one of the session's controllers, not its user, review it again; a user must never review their own emergency access.",
		Help:        "An emergency session reviewed by the identity that used it.",
	},
}

// Kinds returns every finding kind this package reports, sorted by kind,
// each with its controls sorted (see audit.Control.Compare). The result is
// the caller's: it shares no memory with the package.
func Kinds() []audit.KindInfo { return kinds.All() }
