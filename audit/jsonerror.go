package audit

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/sodkit/sodkit/internal/strictjson"
)

// ErrDuplicateKey: a JSON object names one member twice. encoding/json
// would keep the last value silently; sodkit refuses the input instead.
// Names that differ only in case count as one, since encoding/json matches
// them to the same field.
var ErrDuplicateKey = strictjson.ErrDuplicateKey

// JSONError is one problem in JSON input that sodkit reads strictly:
// decision records (ReadDecisions), JSON reports (ReadReport), a stored log
// entry's decision and checkpoint files (package audit/trail). It is a
// duplicate key (Err wraps ErrDuplicateKey), an unknown field, a value of
// the wrong type, a value that is not an object, or malformed JSON (Err is
// then encoding/json's error).
type JSONError struct {
	// Line is the 1-based line of the input where the problem is: for a
	// log entry, the entry's line in the log.
	Line int
	// Key is the member's path, such as "reason" or "policy_basis.rule",
	// or "" when the problem is not one member's (or the member's name is
	// the empty string).
	Key string
	// Err says what is wrong.
	Err error
}

// Error returns "line L: key "K": problem", without the key part when Key
// is empty and the problem is not a duplicate key (whose key may be "").
func (e *JSONError) Error() string {
	s := "line " + strconv.Itoa(e.Line) + ": "
	if e.Key != "" || errors.Is(e.Err, ErrDuplicateKey) {
		s += "key " + strconv.Quote(e.Key) + ": "
	}
	return s + e.Err.Error()
}

// Unwrap returns Err.
func (e *JSONError) Unwrap() error { return e.Err }

// jsonErrors returns each problem as a *JSONError, wrapped after prefix
// (when not empty) so errors.Is and errors.As still see it.
func jsonErrors(prefix string, ps ...strictjson.Problem) []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = &JSONError{Line: p.Line, Key: p.Key, Err: p.Err}
		if prefix != "" {
			errs[i] = fmt.Errorf("%s%w", prefix, errs[i])
		}
	}
	return errs
}
