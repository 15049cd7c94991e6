// Package audit is the vocabulary sodkit's checks report in, and the
// reports they make.
//
// It runs no check and knows no inventory: the check packages (sod, raci,
// breakglass, lifecycle) produce findings, package scan runs them all, and
// audit describes, orders, identifies and renders what they found.
//
// # Findings
//
// A Finding is one problem a check found: its Kind, Severity and Status,
// the Subject it is about, the Evidence (with the path that explains each
// access), the Control references it bears on, and a remediation hint. Its
// ID (FindingID, Finding.WithID) is derived from the kind, rule, subject
// and evidence, so it is stable across runs and two reports diff into new,
// resolved and unchanged findings (Report.Diff). A finding's Location says
// where its record was read (file and line), and its Owner who is
// accountable for acting on it (package scan derives both); neither takes
// part in the ID, so a record that moves, or whose owner changes, keeps its
// findings. Neither do the names people know records by (Subject.Name,
// Step.Name), shown beside their IDs, nor the identity a finding is about
// (Finding.Identity), which gathers everything about one person or machine
// without reading evidence labels. Findings are data, never errors, and
// sort by a documented key (Finding.Compare, Sort).
//
// A finding's Status says whether it needs action: Open and Indeterminate
// fail a gate; Mitigated (an exception covers it) and Waived (a Waiver, an
// owned acceptance with an expiry, accepts it for now) do not, and are
// still reported.
//
// # Reports
//
// A Report holds findings, the inputs they came from (with their SHA-256)
// and governance figures, and renders as text, JSON, SARIF, CSV, Markdown,
// OSCAL assessment results or an HTML review page; every format is
// deterministic. The text report opens with a summary and can group its
// findings by owner, identity or kind and list only the more severe ones
// (WriteTextWith, TextOptions); the HTML page (WriteHTML) is one
// self-contained file with filters and a per-owner view. ReadReport reads
// a JSON report back, strictly.
//
// # Decision records
//
// A Decision records who decided what, when, about whom and which access,
// why, and on what policy basis (PolicyBasis, RuleSetHash). ReadDecisions
// reads them strictly: a duplicate key or an unknown field is a JSONError
// naming the line and the key. The tamper-evident log that stores
// decisions is package audit/trail, which imports this package; audit
// imports no other package of the module but leaf internal ones.
package audit
