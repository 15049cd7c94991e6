// Package trail is sodkit's audit trail: a tamper-evident, append-only log
// of access decisions, with signed checkpoints kept apart from it and a
// verifier that says which entry was altered, inserted, removed, reordered
// or cut off. It never loses an acknowledged entry.
//
// # The log
//
// A Log appends audit.Decision records as a hash chain of JSON lines: each
// Entry carries its sequence number, the hash of the entry before it and
// its own hash, computed over the line's exact bytes, which are written
// once and never re-encoded (Format names the line format). Append
// validates the decision, writes the whole line and syncs it before it
// returns.
//
// Open opens a log file that several processes on one host may append to:
// each append takes the file's advisory lock and follows what other writers
// appended before it writes its own entry. New appends to any io.Writer and
// takes no lock. An append a crash interrupted leaves a torn last line,
// which is not tampering: Repair removes it.
//
// # Checkpoints
//
// The chain alone cannot show a log cut short at an entry boundary, or
// rewritten from some entry to its end. A Checkpoint can: a statement of the
// log's Head (size and last hash), signed with a Key (Ed25519, or
// HMAC-SHA256 with a shared secret, from the standard library) and stored
// where the log's writers cannot write. WriteCheckpoint and ReadCheckpoints
// keep them as JSON lines.
//
// # Verification
//
// Verify (VerifyFile for a file others may be appending to) reads a log to
// its end against every checkpoint and returns a Verification: a State,
// the entries verified before the first problem, and At, the first entry
// that cannot be trusted. Entries streams the entries, verifying the chain
// as it reads. Verification.Findings turns a failed verification into an
// audit.Finding citing NIST SP 800-53 AU-9, AU-9(3) and AU-10; its kinds
// keep the names they had when the log was part of package audit
// ("audit.log-tampered", …), since finding kinds and IDs are stable.
//
// Entries and checkpoints are read strictly: a duplicate key or an unknown
// field is an error, an *audit.JSONError naming the line and the key.
//
// # Imports
//
// trail imports package audit for the decision record, findings and
// JSONError; audit does not import trail. The file format, the threat
// model and the sodkit log command are described in docs/audit-log.md.
package trail
