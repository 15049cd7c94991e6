package sod

import "github.com/sodkit/sodkit/audit"

// The finding kinds this package reports. Kinds lists each with its title,
// default severity, controls, remediation and help.
const (
	// KindToxicCombination: an identity's effective access touches at
	// least K sides of a rule with K ≥ 2.
	KindToxicCombination audit.Kind = "sod.toxic-combination"
	// KindCriticalAccess: an identity holds a duty that a K = 1 rule flags
	// as critical by itself.
	KindCriticalAccess audit.Kind = "sod.critical-access"
	// KindIntraRoleConflict: a role whose own content, after inheritance,
	// violates a rule: everyone who receives it violates.
	KindIntraRoleConflict audit.Kind = "sod.intra-role-conflict"
	// KindIndeterminate: a rule that cannot be fully evaluated, such as
	// one naming an entitlement or role the catalogue does not know, or an
	// identity whose grants name unknown targets. It fails a gate like an
	// open violation.
	KindIndeterminate audit.Kind = "sod.indeterminate"
	// KindOverlappingSides: one entitlement, role or duty appears in two
	// sides of the same rule, so holding it alone touches both.
	KindOverlappingSides audit.Kind = "sod.overlapping-sides"

	// KindExceptionExpired: an exception whose validity has ended; the
	// violation it covered is unmitigated again.
	KindExceptionExpired audit.Kind = "sod.exception-expired"
	// KindExceptionNoExpiry: an exception with no end date.
	KindExceptionNoExpiry audit.Kind = "sod.exception-no-expiry"
	// KindExceptionTooLong: an exception valid for longer than the
	// policy's maximum.
	KindExceptionTooLong audit.Kind = "sod.exception-too-long"
	// KindExceptionSelfApproved: an exception approved by an identity it
	// covers.
	KindExceptionSelfApproved audit.Kind = "sod.exception-self-approved"
	// KindExceptionWrongApprover: an exception approved by someone outside
	// the parties allowed to approve exceptions to its rule (or not
	// approved at all).
	KindExceptionWrongApprover audit.Kind = "sod.exception-wrong-approver"
	// KindExceptionRenewedTooOften: an exception renewed more often than
	// allowed.
	KindExceptionRenewedTooOften audit.Kind = "sod.exception-renewed-too-often"
	// KindExceptionOrphaned: an exception that matches no rule, no known
	// identity or party, or no current violation.
	KindExceptionOrphaned audit.Kind = "sod.exception-orphaned"

	// KindDutyConflict: one workflow record (a grant's request, approvals,
	// provisioning, revocation; an exception's approval) where one person
	// or team holds two duties that policy keeps apart.
	KindDutyConflict audit.Kind = "sod.duty-conflict"
)

var (
	ac3_2  = audit.Ref(audit.SP80053, "AC-3(2)")
	ac5    = audit.Ref(audit.SP80053, "AC-5")
	ac6    = audit.Ref(audit.SP80053, "AC-6")
	ac6_5  = audit.Ref(audit.SP80053, "AC-6(5)")
	cm5_4  = audit.Ref(audit.SP80053, "CM-5(4)")
	prAA05 = audit.Ref(audit.CSF, "PR.AA-05")
	gvRR02 = audit.Ref(audit.CSF, "GV.RR-02")
	nhi5   = audit.Ref(audit.NHI, "NHI5:2025")
	ssd    = audit.Ref(audit.RBAC, "SSD")
	dsd    = audit.Ref(audit.RBAC, "DSD")
)

// kinds is the table of the finding kinds this package reports: each
// kind's title, default severity, the controls every finding of it cites,
// its remediation and help. Every finding is built from it (see kindInfo).
var kinds = audit.KindTable{
	{
		Kind: KindCriticalAccess, Title: "Critical access", Severity: audit.Critical,
		Controls:    []audit.Control{ac6, ac6_5, prAA05},
		Remediation: "Confirm the access is still needed, make it time-bound, or record an exception with a compensating control.",
		Help: "An identity holds a duty that a rule with K = 1 flags as critical by itself. Reported at the rule's severity " +
			"(critical when the rule sets none), citing the rule's own controls too.",
	},
	{
		Kind: KindDutyConflict, Title: "Duty conflict", Severity: audit.High,
		Controls:    []audit.Control{ac5},
		Remediation: "Have a different person perform one of the two duties, and review the access the record granted.",
		Help: "One workflow record (a grant's request, approvals, provisioning or revocation; an exception's approval) where one person " +
			"or team holds two duties that policy keeps apart, a non-human identity approves, or the policy owner approves and fulfils its own grant. " +
			"Critical when someone approves or provisions their own access or a non-human identity approves.",
	},
	{
		Kind: KindExceptionExpired, Title: "Exception expired", Severity: audit.Low,
		Controls:    []audit.Control{ac5, gvRR02},
		Remediation: "Remove the combination, or renew the exception through its approval path.",
		Help:        "An exception whose validity has ended. High while the violation it covered still exists: it is unmitigated again.",
	},
	{
		Kind: KindExceptionNoExpiry, Title: "Exception without end date", Severity: audit.High,
		Controls:    []audit.Control{ac5, gvRR02},
		Remediation: "Give the exception an end date within the policy's maximum; until then it mitigates nothing.",
		Help:        "An exception with no end date would accept the risk forever; it mitigates nothing.",
	},
	{
		Kind: KindExceptionOrphaned, Title: "Orphaned exception", Severity: audit.Low,
		Controls:    []audit.Control{ac5, gvRR02},
		Remediation: "Close the exception, or correct the rule, identity or party it names.",
		Help:        "An exception that names a rule, identity or party that does not exist, or covers no current violation of its rule.",
	},
	{
		Kind: KindExceptionRenewedTooOften, Title: "Exception renewed too often", Severity: audit.Medium,
		Controls:    []audit.Control{ac5, gvRR02},
		Remediation: "Fix the underlying combination (redesign the role or split the duty) instead of renewing.",
		Help:        "An exception renewed more often than the policy allows: the exception path is becoming the normal path.",
	},
	{
		Kind: KindExceptionSelfApproved, Title: "Self-approved exception", Severity: audit.Critical,
		Controls:    []audit.Control{ac5, gvRR02},
		Remediation: "Have an allowed approver who is not covered review the exception; it mitigates nothing until then.",
		Help:        "An exception approved by an identity it covers, directly or as a member of the party it covers; it mitigates nothing.",
	},
	{
		Kind: KindExceptionTooLong, Title: "Exception too long", Severity: audit.Medium,
		Controls:    []audit.Control{ac5, gvRR02},
		Remediation: "Shorten the exception to the maximum, and review it when it ends.",
		Help:        "An exception valid for longer than the policy's maximum for its rule.",
	},
	{
		Kind: KindExceptionWrongApprover, Title: "Exception approved by someone not allowed", Severity: audit.High,
		Controls:    []audit.Control{ac5, gvRR02},
		Remediation: "Have a member of an allowed approver party review the exception; it mitigates nothing until then.",
		Help:        "An exception approved by someone outside the parties allowed to approve exceptions to its rule, or not approved at all; it mitigates nothing.",
	},
	{
		Kind: KindIndeterminate, Title: "Cannot be evaluated", Severity: audit.High,
		Controls:    []audit.Control{ac5, prAA05},
		Remediation: "Add the missing entitlements or roles to the catalogue, or correct the references to them, and check again.",
		Help: "A rule that names an entitlement or role the catalogue does not know (reported at the rule's severity), or an identity " +
			"whose grants name unknown targets. Status indeterminate: it fails a gate like an open violation.",
	},
	{
		Kind: KindIntraRoleConflict, Title: "Intra-role conflict", Severity: audit.Critical,
		Controls:    []audit.Control{ac5, prAA05},
		Remediation: "Split the role so that no single role (with what it inherits) carries both sides of the rule.",
		Help: "A role whose own content, after inheritance, violates a rule: everyone who receives it violates. Reported at the rule's " +
			"severity (critical when the rule sets none), citing the rule's own controls too.",
	},
	{
		Kind: KindOverlappingSides, Title: "Overlapping rule sides", Severity: audit.Medium,
		Controls:    []audit.Control{ac5},
		Remediation: "Give each member to exactly one side (split the duty), or turn the overlap into a critical-access rule.",
		Help:        "One entitlement, role or duty appears in two sides of the same rule, so holding it alone touches both.",
	},
	{
		Kind: KindToxicCombination, Title: "Toxic combination", Severity: audit.Critical,
		Controls:    []audit.Control{ac5, ac6, prAA05},
		Remediation: "Remove one side of the combination, or record a time-bounded exception with a compensating control.",
		Help: "An identity's effective access touches at least K sides of a rule with K ≥ 2. Reported at the rule's severity " +
			"(critical when the rule sets none), citing the rule's own controls, NIST RBAC SSD or DSD, and OWASP NHI5 for a non-human identity.",
	},
}

// Kinds returns every finding kind this package reports, sorted by kind,
// each with its controls sorted (see audit.Control.Compare). The result is
// the caller's: it shares no memory with the package.
func Kinds() []audit.KindInfo { return kinds.All() }
