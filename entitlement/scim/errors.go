package scim

import "errors"

// Errors the Reader wraps in *entitlement.RecordError, beside the
// entitlement package's sentinels (entitlement.ErrRequired for a user or
// group without an id, entitlement.ErrDuplicate for two different
// resources with one id, two users whose userNames differ only in case
// when they are the key, and a member name given twice in one object).
// Test with errors.Is.
var (
	// ErrSyntax: the file is not well-formed JSON, or is truncated.
	ErrSyntax = errors.New("malformed JSON")
	// ErrFormat: the file is JSON but not a SCIM ListResponse, or a
	// resource in it is not one the reader can place (not an object, or
	// neither a User nor a Group with no way to tell).
	ErrFormat = errors.New("not a SCIM ListResponse")
)
