package lifecycle

import "github.com/sodkit/sodkit/audit"

// The finding kinds this package reports (and KindLookalikeID). Kinds
// lists each with its title, default severity, controls, remediation and
// help.
const (
	// KindRevokedStillPresent: a grant that was revoked or expired, whose
	// access a target system still showed afterwards, with no other grant
	// explaining it.
	KindRevokedStillPresent audit.Kind = "lifecycle.revoked-still-present"
	// KindUnexplainedAccess: access a target system showed that no grant
	// explains (including accounts and entitlements the inventory does not
	// know, and standing access where only just-in-time eligibility exists).
	KindUnexplainedAccess audit.Kind = "lifecycle.unexplained-access"
	// KindNoExpiry: a privileged or just-in-time grant with no expiry.
	KindNoExpiry audit.Kind = "lifecycle.no-expiry"
	// KindOverMaxDuration: a grant longer than its entitlement's maximum
	// duration.
	KindOverMaxDuration audit.Kind = "lifecycle.over-max-duration"
	// KindEscalationSkipped: a privileged or high-risk entitlement granted
	// through the pre-approved standard path with no approval.
	KindEscalationSkipped audit.Kind = "lifecycle.escalation-skipped"
	// KindMissingReason: an active grant with no business reason.
	KindMissingReason audit.Kind = "lifecycle.missing-reason"
	// KindMissingPolicyBasis: an active grant with no policy basis.
	KindMissingPolicyBasis audit.Kind = "lifecycle.missing-policy-basis"
	// KindInactiveHolder: a disabled or offboarded identity that still
	// holds access through grants in effect (deprovisioning did not reach
	// its grants).
	KindInactiveHolder audit.Kind = "lifecycle.inactive-holder"
)

// kinds is the table of the finding kinds this package reports: each
// kind's title, default severity, the controls every finding of it cites,
// its remediation and help. Every finding is built from it (see kindInfo).
var kinds = audit.KindTable{
	{
		Kind: KindEscalationSkipped, Title: "Escalation skipped", Severity: audit.High,
		Controls:    []audit.Control{ac5, ac6, prAA05, gvPO01},
		Remediation: "Send the grant through its entitlement's approval path, or revoke it; mark entitlements as standard only if they are low-risk and pre-approved.",
		Help:        "A grant through the pre-approved standard path, with no approval, that confers a privileged or high-risk entitlement which is not pre-approved (unassessed risk counts as high).",
	},
	{
		Kind: KindInactiveHolder, Title: "Inactive identity holds access", Severity: audit.High,
		Controls:    []audit.Control{ac2, ac2_3, ps4, prAA05},
		Remediation: "Revoke the grants (deprovisioning did not reach them), or reactivate the identity if it is still needed.",
		Help: "A disabled or offboarded identity that still holds grants in effect: deprovisioning did not reach them. Critical when " +
			"they confer privileged access; cites OWASP NHI1 too for a non-human identity.",
	},
	{
		Kind: KindLookalikeID, Title: "Look-alike IDs", Severity: audit.Medium,
		Controls:    []audit.Control{ac2, ia4},
		Remediation: "Give each record an ID that is distinct at a glance: replace look-alike letters, remove invisible characters, write accents one way. If one of them is an impostor, disable it and find out who created it.",
		Help: "Two or more identity, entitlement or role IDs that are distinct but equal once case, compatibility forms, accents, invisible " +
			"characters and Cyrillic or Greek letters that look Latin are set aside: one may be an impostor or a duplicate record.",
	},
	{
		Kind: KindMissingPolicyBasis, Title: "Grant without policy basis", Severity: audit.Medium,
		Controls:    []audit.Control{ac2, au3, prAA05, gvPO01},
		Remediation: "Record the access rule or role template that allowed the grant; if none did, treat it as an exception.",
		Help:        "A live grant that records no policy basis (the rule or template that allowed it): the decision cannot be explained.",
	},
	{
		Kind: KindMissingReason, Title: "Grant without business reason", Severity: audit.Low,
		Controls:    []audit.Control{ac2, au3, prAA05},
		Remediation: "Record why the access is needed, or revoke the grant at its next review.",
		Help:        "A live grant that records no business reason: the decision cannot be explained.",
	},
	{
		Kind: KindNoExpiry, Title: "Grant without expiry", Severity: audit.Medium,
		Controls:    []audit.Control{ac2_2, ac6, prAA05},
		Remediation: "Set an expiry on the grant (and on its eligibility), within the entitlement's maximum duration.",
		Help:        "A just-in-time or privileged grant that never expires. High when it confers privileged access.",
	},
	{
		Kind: KindOverMaxDuration, Title: "Grant longer than allowed", Severity: audit.Medium,
		Controls:    []audit.Control{ac2_2, ac6},
		Remediation: "Shorten the access to the entitlement's maximum duration, or request it again when needed.",
		Help:        "A grant, or an activation of a just-in-time grant, longer than the shortest maximum duration of the entitlements it confers. High when it confers privileged access.",
	},
	{
		Kind: KindRevokedStillPresent, Title: "Revoked access still present", Severity: audit.High,
		Controls:    []audit.Control{ac2, ps4, deCM03},
		Remediation: "Remove the access in the target system and find why deprovisioning did not reach it.",
		Help: "A target system still showed access after the grant that conferred it was revoked or expired, and no other grant explains it. " +
			"Critical for privileged or critical-risk entitlements; cites AC-2(3) too for an identity that is not active, OWASP NHI1 for a non-human identity.",
	},
	{
		Kind: KindUnexplainedAccess, Title: "Unexplained access", Severity: audit.High,
		Controls:    []audit.Control{ac2, ps4},
		Remediation: "Request the access through the normal path if it is needed; otherwise remove it from the target system.",
		Help: "Access a target system showed that no grant explains: an account the inventory does not know, an entitlement the catalogue " +
			"does not know, standing access where only just-in-time eligibility exists, or access no grant confers. Critical for privileged or critical-risk entitlements.",
	},
}

// Kinds returns every finding kind this package reports, sorted by kind,
// each with its controls sorted (see audit.Control.Compare). The result is
// the caller's: it shares no memory with the package.
func Kinds() []audit.KindInfo { return kinds.All() }
