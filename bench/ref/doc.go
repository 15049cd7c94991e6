// Package ref is an engineered reference for sodkit's separation-of-duties
// detection: a program written the way a careful engineer would write it
// for exactly one job — load an access export in a compact format of its
// own and report, per identity, the rules it violates at a given time —
// and nothing else. It is the yardstick sodkit's loader, compiler and
// engine are measured against (see the benchmarks in this package and
// bench/README.md); it is not part of sodkit's API.
//
// It implements exactly the detection semantics of sod.Engine.Detect for
// identity-wide rules (sod.ScopeIdentity), the rules synth.Rules
// generates, and refuses what it does not implement: Write returns an
// error for a rule with any other scope.
//
//   - A grant confers access at a time t when its state is active, t is at
//     or after its start (Grant.StartTime: Start, else the provisioning
//     time; none means "always") and before its end (the earlier of
//     Expires and the revocation time; none means "never"): the window is
//     half-open, [start, end).
//   - A grant of a role confers the role, every role it inherits,
//     transitively, and every entitlement of those roles. A grant of an
//     entitlement confers that entitlement only.
//   - A rule side is touched when the identity holds, through any grant in
//     effect, one of the side's entitlements or roles. A rule is violated
//     when at least need sides are touched: K, or every side when K is
//     zero (sod.Rule.Need), so pairs, k-of-n risks, NIST static SoD sets
//     over roles and critical single duties (need 1) are one case.
//   - A just-in-time (eligible) grant in effect counts for static rules.
//     For dynamic rules it counts only while one of its activations,
//     [start, end) with no end meaning "still running", contains t;
//     standing grants always count.
//   - Sides naming a duty (sod.Side.Duty) are written as the duty's
//     entitlements and roles. Exceptions, severities, titles and owners
//     play no part in detection and are not written.
//
// # Format
//
// A world is one UTF-8 text file of lines ending in a newline (the last
// newline may be omitted), fields separated by one tab. IDs are written as
// they are and may hold any byte but tab and newline, and no ID is empty.
// Lists are written as their length followed by their elements. Times are
// Unix nanoseconds in decimal, or "-" for an open end. The first line is
// the header, then come the sections in this order: entitlements, roles,
// rules (each followed by its sides), identities (each followed by its
// grants).
//
//	sodkit-ref/1
//	e	ID
//	r	ID	N	ENTITLEMENT…	M	ROLE…
//	k	ID	NEED	static|dynamic	SIDES
//	s	N	ENTITLEMENT…	M	ROLE…
//	i	ID
//	g	e|r	TARGET	STATE	standing|jit	FROM	UNTIL	N	START	END…
//
// An "e" line is an entitlement and an "r" line a role: its N direct
// entitlements and the M roles it inherits, which may be defined later in
// the file. A "k" line is a rule: its need (1 to SIDES), whether it is
// static or dynamic, and how many "s" lines, its sides, follow it (1 to
// 64). An "s" line lists the entitlements and roles of one side. An "i"
// line is an identity; the "g" lines after it are its grants: the target,
// an entitlement (e) or a role (r), by ID; the state, one of a (active), q
// (requested), p (approved), r (revoked) and x (expired); whether it is
// standing or just in time; the window [FROM, UNTIL) in which it is in
// effect if it is active; and for a just-in-time grant its N activations,
// each a START time and an END time ("-": still running). A standing grant
// has no activations (N is 0).
//
// IDs are unique within their kind (entitlements, roles, rules,
// identities); every reference must name an entitlement or role of the
// file; the roles' inheritance has no cycle. Load refuses anything else,
// reporting every problem with the file, line and field.
//
// # Representation
//
// Load interns everything to dense integers while it parses: entitlements
// and roles share one target space (roles after entitlements), and each
// identity's grants are stored contiguously as 24-byte records holding the
// target, the window and, for a just-in-time grant, where its activations
// are. Grants that are not active are checked and dropped, since they
// never confer access. The identities are parsed on all cores.
//
// Compile folds, over the role graph from juniors to seniors, the rule
// sides each role's closure touches: every target gets one list of (rule,
// side bitset) pairs. Detect then costs, per identity, its grants' lists,
// OR-ing side bitsets per rule and counting bits, on all cores.
package ref
