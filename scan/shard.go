package scan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Shard is one part of a scan split by identity, for bundles too large to
// check on one machine (docs/scale.md): a scan with Options.Shard set
// checks only the identities the shard owns (see Owns), and its report is
// partial (audit.Partial); Merge turns the reports of every shard into the
// report one scan of the whole bundle gives.
//
// Shard 0 also reports every finding that is about no single identity
// (the checks' findings once every identity is seen, the importers'
// notes, the lint of the rules) and the figures taken from the directory
// (exceptions approved, break-glass sessions opened), so that each
// appears once in the merged report. To compute them it is told of every
// identity it does not own (cheaply: what those findings need, not the
// identity's checks). The other shards pass over identities they do not
// own: their work is the identities they own and reading the input.
//
// The zero Shard (Count 0) is no split: the scan checks every identity
// and its report is whole. Shard is a small comparable value.
type Shard struct {
	// Index is the part, from 0 to Count-1.
	Index int
	// Count is the number of parts the identities are split into; 0 is
	// no split.
	Count int
}

// ErrShard is wrapped by the error Options.Validate returns for a Shard
// that names no part of a split: a negative Count, or an Index outside 0
// to Count-1.
var ErrShard = errors.New("invalid shard")

// ParseShard reads a shard written "INDEX/COUNT", such as "2/4" (the
// third of four parts), as String writes it and sodkit check --shard
// takes it. It fails, quoting s, unless both are integers and the shard is
// one Options.Validate accepts with Count at least 1.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	index, err1 := strconv.Atoi(strings.TrimSpace(i))
	count, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("%w: %q is not INDEX/COUNT, such as 0/4", ErrShard, s)
	}
	switch {
	case count < 1:
		return Shard{}, fmt.Errorf("%w: %q: the count of shards is at least 1", ErrShard, s)
	case index < 0 || index >= count:
		return Shard{}, fmt.Errorf("%w: %q: the shards of %d are 0 to %d", ErrShard, s, count, count-1)
	}
	return Shard{Index: index, Count: count}, nil
}

// String returns "INDEX/COUNT", such as "2/4", or "none" for the zero
// Shard.
func (s Shard) String() string {
	if s.Count == 0 && s.Index == 0 {
		return "none"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Owns reports whether the identity with ID id belongs to shard s: whether
// the 64-bit FNV-1a hash of id's bytes (as in hash/fnv's New64a), modulo
// Count, is Index. The rule depends on nothing but the ID and the count,
// so it is the same on every machine, run and release; any tool can
// partition identities the same way. Every identity belongs to the zero
// Shard, and none to a Shard that Options.Validate rejects.
func (s Shard) Owns(id string) bool {
	if s.Count == 0 {
		return s.Index == 0
	}
	if s.validate() != nil {
		return false
	}
	return fnv1a64(id)%uint64(s.Count) == uint64(s.Index)
}

// fnv1a64 is the 64-bit FNV-1a hash of s's bytes.
func fnv1a64(s string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// split reports whether s splits a scan: whether its report is partial.
func (s Shard) split() bool { return s.Count > 0 }

// common reports whether s reports the findings about no single identity
// and the directory's figures: a scan not split, or shard 0.
func (s Shard) common() bool { return s.Index == 0 }

// validate returns an ErrShard error naming the field at fault, or nil.
func (s Shard) validate() error {
	switch {
	case s.Count < 0:
		return fmt.Errorf("%w: Shard.Count %d is negative (0 is no split)", ErrShard, s.Count)
	case s.Count == 0 && s.Index != 0:
		return fmt.Errorf("%w: Shard.Index %d without a Shard.Count", ErrShard, s.Index)
	case s.Count > 0 && (s.Index < 0 || s.Index >= s.Count):
		return fmt.Errorf("%w: Shard.Index %d is not a shard of %d (0 to %d)", ErrShard, s.Index, s.Count, s.Count-1)
	}
	return nil
}
