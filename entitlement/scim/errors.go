package scim

import "errors"

// ErrFormat is wrapped, inside an *entitlement.RecordError, by the error
// about a file that is JSON but not a SCIM ListResponse, or a resource in
// it that the reader cannot place (not an object, or neither a User nor a
// Group with no way to tell). Test with errors.Is.
//
// Read's other errors wrap importer.ErrSyntax (malformed JSON) or the
// entitlement package's sentinels: entitlement.ErrRequired for a user or
// group without an id, entitlement.ErrDuplicate for two different
// resources with one id, two users whose userNames differ only in case
// when they are the key, and a member name given twice in one object.
var ErrFormat = errors.New("not a SCIM ListResponse")
