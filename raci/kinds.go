package raci

import "github.com/sodkit/sodkit/audit"

// The finding kinds this package reports. Kinds lists each with its title,
// default severity, controls, remediation and help; the package
// documentation says when a finding is rated otherwise.
const (
	// KindNoAccountable: an activity with no Accountable party.
	KindNoAccountable audit.Kind = "raci.no-accountable"
	// KindSeveralAccountable: an activity with more than one Accountable
	// party.
	KindSeveralAccountable audit.Kind = "raci.several-accountable"
	// KindNoResponsible: an activity with no Responsible party.
	KindNoResponsible audit.Kind = "raci.no-responsible"
	// KindPolicyNotSeparated: the party Accountable for defining access
	// policy is also Responsible for provisioning it.
	KindPolicyNotSeparated audit.Kind = "raci.policy-not-separated"
	// KindApproverProvisions: a party Responsible for approving requests is
	// also Responsible for provisioning them.
	KindApproverProvisions audit.Kind = "raci.approver-provisions"
	// KindRecertificationNotGoverned: recertification owned (Accountable)
	// or performed (Responsible) by a party whose function may not, for
	// example the help desk.
	KindRecertificationNotGoverned audit.Kind = "raci.recertification-not-governed"
	// KindUnknownReference: the RACI config names a party, person,
	// entitlement or system that does not exist.
	KindUnknownReference audit.Kind = "raci.unknown-reference"
	// KindInactiveParty: a party named in the RACI config or the catalogue
	// has no active members, or a person named is not active.
	KindInactiveParty audit.Kind = "raci.inactive-party"

	// KindNoOwner: an entitlement, role or rule with no accountable owner.
	KindNoOwner audit.Kind = "raci.no-owner"
	// KindInactiveOwner: an entitlement, role or rule whose accountable
	// owners all have no active members.
	KindInactiveOwner audit.Kind = "raci.inactive-owner"
	// KindOrphanedNHI: a non-human identity with no owner, or whose owners
	// are all offboarded, disabled or unknown.
	KindOrphanedNHI audit.Kind = "raci.orphaned-nhi"
	// KindApprovalOutsidePath: a grant approved by someone outside its
	// entitlement's approval path.
	KindApprovalOutsidePath audit.Kind = "raci.approval-outside-path"
	// KindApprovalStageMissing: a grant missing the approval of a stage of
	// its entitlement's approval path.
	KindApprovalStageMissing audit.Kind = "raci.approval-stage-missing"

	// KindRecertificationOverdue: a live grant not certified within its
	// interval.
	KindRecertificationOverdue audit.Kind = "raci.recertification-overdue"
	// KindCertifierNotAccountable: a grant certified by someone who is not
	// Responsible or Accountable for recertifying its entitlement.
	KindCertifierNotAccountable audit.Kind = "raci.certifier-not-accountable"
	// KindSelfCertified: a grant certified by its holder.
	KindSelfCertified audit.Kind = "raci.self-certified"

	// KindCredentialTooOld: a non-human identity's secret older than the
	// maximum age, or of unknown age.
	KindCredentialTooOld audit.Kind = "raci.credential-too-old"
	// KindCredentialNoExpiry: a non-human identity's secret that never
	// expires.
	KindCredentialNoExpiry audit.Kind = "raci.credential-no-expiry"
	// KindEnvironmentReuse: one non-human identity used in several
	// environments.
	KindEnvironmentReuse audit.Kind = "raci.environment-reuse"
	// KindApplicationReuse: one non-human identity used by several
	// applications.
	KindApplicationReuse audit.Kind = "raci.application-reuse"
	// KindHumanUse: a person seen using a non-human identity.
	KindHumanUse audit.Kind = "raci.human-use"
	// KindDormantPrivileged: a dormant non-human identity that still holds
	// privileged access.
	KindDormantPrivileged audit.Kind = "raci.dormant-privileged"
)

// kinds is the table of the finding kinds this package reports: each
// kind's title, default severity, the controls every finding of it cites,
// its remediation and help. Every finding is built from it (see kindInfo).
var kinds = audit.KindTable{
	{
		Kind: KindApplicationReuse, Title: "Non-human identity shared by applications", Severity: audit.Medium,
		Controls:    []audit.Control{nhi9, ia9, prAA01},
		Remediation: "Give each application its own identity with only the access it needs, then remove the shared one's excess access.",
		Help:        "One non-human identity used by several applications (OWASP NHI9, NHI reuse): a compromise of one reaches the others.",
	},
	{
		Kind: KindApprovalOutsidePath, Title: "Approval outside the approval path", Severity: audit.High,
		Controls:    []audit.Control{ac2, ac5, prAA05},
		Remediation: "Have each stage approved by a member of that stage's party; treat approvals from anyone else as missing.",
		Help:        "A grant approved by someone outside its entitlement's approval path: a stage that is not on the path, or an approver who is not a member of the stage's party.",
	},
	{
		Kind: KindApprovalStageMissing, Title: "Approval stage missing", Severity: audit.Medium,
		Controls:    []audit.Control{ac2, ac5, prAA05},
		Remediation: "Obtain the missing approvals from members of those parties, or revoke the grant.",
		Help:        "A grant missing the approval of a stage of its entitlement's approval path. High when a privileged or high-risk entitlement requires the stage.",
	},
	{
		Kind: KindApproverProvisions, Title: "Approver also provisions", Severity: audit.High,
		Controls:    []audit.Control{gvRR02, ac5},
		Remediation: "Let a party other than the fulfiller approve requests (for example the business owner or identity governance).",
		Help:        "A party responsible for approving requests is also responsible for provisioning them in the RACI matrix: the approval does not check the fulfiller.",
	},
	{
		Kind: KindCertifierNotAccountable, Title: "Certifier not accountable", Severity: audit.Medium,
		Controls:    []audit.Control{ac6_7, gvRR02},
		Remediation: "Have the recertification made by a member of a party accountable or responsible for recertify, or correct the RACI matrix.",
		Help:        "A grant certified by someone who is neither responsible nor accountable for recertifying its entitlement.",
	},
	{
		Kind: KindCredentialNoExpiry, Title: "Credential never expires", Severity: audit.Medium,
		Controls:    []audit.Control{nhi7, ia5},
		Remediation: "Set an expiry on the secret (no later than the maximum credential age) and rotate before it.",
		Help:        "A non-human identity's secret that never expires (OWASP NHI7, long-lived secrets).",
	},
	{
		Kind: KindCredentialTooOld, Title: "Credential too old", Severity: audit.High,
		Controls:    []audit.Control{nhi7, ia5},
		Remediation: "Rotate the secret, and automate rotation within the maximum age (or move to short-lived, federated credentials).",
		Help:        "A non-human identity's secret older than the maximum credential age (OWASP NHI7). Medium when its age is unknown: neither creation nor rotation is recorded.",
	},
	{
		Kind: KindDormantPrivileged, Title: "Dormant privileged non-human identity", Severity: audit.High,
		Controls:    []audit.Control{nhi1, ac2_3, ac6},
		Remediation: "Disable the identity and revoke its privileged access, or confirm with its owner that it is still needed and record its use.",
		Help:        "A non-human identity unused for longer than the dormancy period that still holds privileged access.",
	},
	{
		Kind: KindEnvironmentReuse, Title: "Non-human identity reused across environments", Severity: audit.High,
		Controls:    []audit.Control{nhi8, prAA01},
		Remediation: "Issue a separate identity (and secret) per environment; keep test identities out of production.",
		Help:        "One non-human identity used in several environments (OWASP NHI8, environment isolation): a compromise in one reaches the others.",
	},
	{
		Kind: KindHumanUse, Title: "Person using a non-human identity", Severity: audit.High,
		Controls:    []audit.Control{nhi10, ac2, deCM03},
		Remediation: "Have people use their own accounts (with just-in-time elevation where needed) and rotate the identity's secret.",
		Help:        "A person seen using a non-human identity (OWASP NHI10): they act outside their own accountability.",
	},
	{
		Kind: KindInactiveOwner, Title: "Owner has no active member", Severity: audit.Medium,
		Controls:    []audit.Control{gvRR02, ac2},
		Remediation: "Hand the ownership to a party with active members, or staff the owning party.",
		Help:        "An entitlement, role or rule whose accountable owners all have no active member: the access is effectively unowned. High for privileged or high-risk access and for rules.",
	},
	{
		Kind: KindInactiveParty, Title: "Party has no active member", Severity: audit.High,
		Controls:    []audit.Control{gvRR02, ac2},
		Remediation: "Staff the party with active people, or move its assignments to a party that has them.",
		Help:        "A party named in the RACI config or the catalogue that has no active member, or a person named there who is not active. Low when it is only consulted or informed.",
	},
	{
		Kind: KindNoAccountable, Title: "No accountable party", Severity: audit.High,
		Controls:    []audit.Control{gvRR02},
		Remediation: "Name exactly one party accountable for the activity.",
		Help:        "A governance activity with no accountable party in the global matrix, a system's or an entitlement's. Cites AI RMF GOVERN 2.1 too for own_nhi when AI agents exist.",
	},
	{
		Kind: KindNoOwner, Title: "No accountable owner", Severity: audit.Medium,
		Controls:    []audit.Control{gvRR02, ac2},
		Remediation: "Name one accountable owner, normally an identity governance party for access policy.",
		Help:        "An entitlement, role or rule with no accountable owner: nobody decides who may hold it or answers for it. High for privileged or high-risk access and for rules.",
	},
	{
		Kind: KindNoResponsible, Title: "No responsible party", Severity: audit.Medium,
		Controls:    []audit.Control{gvRR02},
		Remediation: "Name the party responsible for the activity.",
		Help:        "A governance activity with no responsible party: nobody does the work.",
	},
	{
		Kind: KindOrphanedNHI, Title: "Orphaned non-human identity", Severity: audit.High,
		Controls:    []audit.Control{nhi1, ac2, gvRR02},
		Remediation: "Assign an active person as owner (and a second owner), or disable the identity and revoke its access.",
		Help: "A non-human identity with no owner, or whose owners are all offboarded, disabled or unknown (OWASP NHI1). Critical when it holds " +
			"privileged access; cites AI RMF GOVERN 2.1 too for an AI agent.",
	},
	{
		Kind: KindPolicyNotSeparated, Title: "Policy and provisioning not separated", Severity: audit.High,
		Controls:    []audit.Control{gvRR02, ac5},
		Remediation: "Keep policy with identity governance and provisioning with IT operations: assign them to different parties.",
		Help:        "The party accountable for defining access policy is also responsible for provisioning it: policy and execution are not separated.",
	},
	{
		Kind: KindRecertificationNotGoverned, Title: "Recertification by a party that may not", Severity: audit.High,
		Controls:    []audit.Control{gvRR02, ac2, ac6_7},
		Remediation: "Make identity governance accountable for recertification and let business owners or managers perform the reviews, not the team that provisions.",
		Help:        "Recertification owned (accountable) or performed (responsible) by a party whose function may not, such as the help desk.",
	},
	{
		Kind: KindRecertificationOverdue, Title: "Recertification overdue", Severity: audit.Medium,
		Controls:    []audit.Control{ac2, ac6_7, prAA05},
		Remediation: "Recertify the access (the holder's manager or the entitlement's owner confirms it is still needed), or revoke it.",
		Help:        "A live grant not certified within its recertification interval. High for privileged access.",
	},
	{
		Kind: KindSelfCertified, Title: "Self-certified access", Severity: audit.High,
		Controls:    []audit.Control{ac5, ac6_7},
		Remediation: "Have someone else (the holder's manager or the entitlement's owner) recertify the access.",
		Help:        "A grant certified by its own holder.",
	},
	{
		Kind: KindSeveralAccountable, Title: "Several accountable parties", Severity: audit.Medium,
		Controls:    []audit.Control{gvRR02},
		Remediation: "Keep exactly one accountable party for the activity; make the others responsible or consulted.",
		Help:        "A governance activity with more than one accountable party: accountability that is shared is nobody's.",
	},
	{
		Kind: KindUnknownReference, Title: "Unknown reference in the RACI config", Severity: audit.High,
		Controls:    []audit.Control{gvRR02},
		Remediation: "Name an existing party (team) or person, or correct the override's scope.",
		Help:        "The RACI config names a party, person, entitlement or system that does not exist; the assignments that name it count as unstaffed.",
	},
}

// Kinds returns every finding kind this package reports, sorted by kind,
// each with its controls sorted (see audit.Control.Compare). The result is
// the caller's: it shares no memory with the package.
func Kinds() []audit.KindInfo { return kinds.All() }
