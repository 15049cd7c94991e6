package audit

import (
	"cmp"
	"fmt"
	"slices"
)

// Framework names a control catalogue that findings cite.
type Framework string

// The control catalogues findings cite. IDs within them are written exactly
// as the catalogue publishes them.
const (
	// SP80053 is NIST SP 800-53 Revision 5 (IDs such as "AC-5", "AC-6(7)").
	SP80053 Framework = "NIST SP 800-53 Rev. 5"
	// CSF is the NIST Cybersecurity Framework 2.0 (IDs such as "PR.AA-05").
	CSF Framework = "NIST CSF 2.0"
	// NHI is the OWASP Top 10 Non-Human Identities Risks 2025 (IDs such as "NHI1:2025").
	NHI Framework = "OWASP NHI Top 10 2025"
	// AIRMF is the NIST AI Risk Management Framework 1.0 (IDs such as "GOVERN 2.1").
	AIRMF Framework = "NIST AI RMF 1.0"
	// RBAC is ANSI INCITS 359-2004, the NIST RBAC standard (IDs "SSD", "DSD").
	RBAC Framework = "ANSI INCITS 359-2004"
)

// Control is one control reference: a framework and an ID within it. The zero
// Control is not a valid reference.
type Control struct {
	// Framework is the catalogue the control belongs to.
	Framework Framework `json:"framework"`
	// ID is the control's ID, exactly as the catalogue publishes it
	// ("AC-6(7)", "PR.AA-05").
	ID string `json:"id"`
}

// String returns "Framework ID", for example "NIST SP 800-53 Rev. 5 AC-5".
func (c Control) String() string { return string(c.Framework) + " " + c.ID }

// Compare orders controls by framework, then by ID.
func (c Control) Compare(d Control) int {
	return cmp.Or(cmp.Compare(c.Framework, d.Framework), cmp.Compare(c.ID, d.ID))
}

// Title returns the published title of a known control, and false for a
// reference that is not in the catalogue sodkit cites.
func (c Control) Title() (string, bool) {
	t, ok := controlTitles[c]
	return t, ok
}

// Known reports whether c is a control sodkit knows: one listed in the
// catalogue that findings are allowed to cite.
func (c Control) Known() bool {
	_, ok := controlTitles[c]
	return ok
}

// Controls returns every control in sodkit's catalogue, sorted by Compare.
func Controls() []Control {
	out := make([]Control, 0, len(controlTitles))
	for c := range controlTitles {
		out = append(out, c)
	}
	slices.SortFunc(out, Control.Compare)
	return out
}

// Ref returns the control with the given framework and ID. It panics if the
// pair is not in sodkit's catalogue; it is meant for package-level tables of
// finding kinds, where a typo must fail at start-up, not in an audit.
func Ref(f Framework, id string) Control {
	c := Control{Framework: f, ID: id}
	if !c.Known() {
		panic(fmt.Sprintf("audit.Ref: unknown control %s", c))
	}
	return c
}

var controlTitles = map[Control]string{
	{NHI, "NHI1:2025"}:  "Improper Offboarding",
	{NHI, "NHI2:2025"}:  "Secret Leakage",
	{NHI, "NHI3:2025"}:  "Vulnerable Third-Party NHI",
	{NHI, "NHI4:2025"}:  "Insecure Authentication",
	{NHI, "NHI5:2025"}:  "Overprivileged NHI",
	{NHI, "NHI6:2025"}:  "Insecure Cloud Deployment Configurations",
	{NHI, "NHI7:2025"}:  "Long-Lived Secrets",
	{NHI, "NHI8:2025"}:  "Environment Isolation",
	{NHI, "NHI9:2025"}:  "NHI Reuse",
	{NHI, "NHI10:2025"}: "Human Use of NHI",

	{CSF, "GV.PO-01"}: "Policy for managing cybersecurity risks is established, communicated and enforced",
	{CSF, "GV.RR-01"}: "Organizational leadership is responsible and accountable for cybersecurity risk",
	{CSF, "GV.RR-02"}: "Roles, responsibilities, and authorities related to cybersecurity risk management are established, communicated, understood, and enforced",
	{CSF, "GV.OV-01"}: "Cybersecurity risk management strategy outcomes are reviewed",
	{CSF, "ID.AM-08"}: "Systems, hardware, software, services, and data are managed throughout their life cycles",
	{CSF, "PR.AA-01"}: "Identities and credentials for authorized users, services, and hardware are managed by the organization",
	{CSF, "PR.AA-05"}: "Access permissions, entitlements, and authorizations are defined in a policy, managed, enforced, and reviewed, and incorporate the principles of least privilege and separation of duties",
	{CSF, "PR.PS-04"}: "Log records are generated and made available for continuous monitoring",
	{CSF, "DE.CM-03"}: "Personnel activity and technology usage are monitored to find potentially adverse events",

	{SP80053, "AC-2"}:     "Account Management",
	{SP80053, "AC-2(2)"}:  "Automated Temporary and Emergency Account Management",
	{SP80053, "AC-2(3)"}:  "Disable Accounts",
	{SP80053, "AC-2(4)"}:  "Automated Audit Actions",
	{SP80053, "AC-2(7)"}:  "Privileged User Accounts",
	{SP80053, "AC-3(2)"}:  "Dual Authorization",
	{SP80053, "AC-5"}:     "Separation of Duties",
	{SP80053, "AC-6"}:     "Least Privilege",
	{SP80053, "AC-6(5)"}:  "Privileged Accounts",
	{SP80053, "AC-6(7)"}:  "Review of User Privileges",
	{SP80053, "AC-6(9)"}:  "Log Use of Privileged Functions",
	{SP80053, "AU-2"}:     "Event Logging",
	{SP80053, "AU-3"}:     "Content of Audit Records",
	{SP80053, "AU-6"}:     "Audit Record Review, Analysis, and Reporting",
	{SP80053, "AU-9"}:     "Protection of Audit Information",
	{SP80053, "AU-9(3)"}:  "Cryptographic Protection",
	{SP80053, "AU-10"}:    "Non-repudiation",
	{SP80053, "AU-10(1)"}: "Association of Identities",
	{SP80053, "CM-5(4)"}:  "Dual Authorization",
	{SP80053, "IA-4"}:     "Identifier Management",
	{SP80053, "IA-5"}:     "Authenticator Management",
	{SP80053, "IA-9"}:     "Service Identification and Authentication",
	{SP80053, "PS-4"}:     "Personnel Termination",
	{SP80053, "PS-5"}:     "Personnel Transfer",

	{AIRMF, "GOVERN 2.1"}: "Roles, responsibilities and lines of communication for AI risks are documented and clear",
	{AIRMF, "GOVERN 3.2"}: "Policies define and differentiate roles and responsibilities for human-AI configurations and oversight",

	{RBAC, "SSD"}: "Static Separation of Duty",
	{RBAC, "DSD"}: "Dynamic Separation of Duty",
}
