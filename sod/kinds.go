package sod

import "github.com/sodkit/sodkit/audit"

// The finding kinds this package reports.
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
