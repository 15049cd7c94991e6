package bundle_test

import (
	"bytes"
	"fmt"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
)

// sharing records, for every reference Stream's second pass hands on
// that names an ID of the directory, whether it is the directory's own
// string (the same memory), which is what lets the validator and the
// checks compare it by pointer.
type sharing struct {
	dir            map[string]string // ID → the directory's string
	refs, separate int
	first          string // the first reference not shared
}

func (s *sharing) Begin(b *bundle.Bundle) error {
	s.dir = map[string]string{}
	for _, id := range b.Inventory.Identities {
		s.dir[id.ID] = id.ID
	}
	for _, e := range b.Inventory.Entitlements {
		s.dir[e.ID] = e.ID
	}
	for _, r := range b.Inventory.Roles {
		s.dir[r.ID] = r.ID
	}
	for _, p := range b.Inventory.Parties {
		s.dir[p.ID] = p.ID
	}
	return nil
}

func (s *sharing) check(ref string) {
	d, ok := s.dir[ref]
	if !ok {
		return
	}
	s.refs++
	if unsafe.StringData(d) != unsafe.StringData(ref) {
		s.separate++
		if s.first == "" {
			s.first = ref
		}
	}
}

func (s *sharing) Identity(id entitlement.Identity, _ bundle.IdentityOrigin) error {
	for _, ref := range []string{id.ID, id.Team, id.Manager, id.Owner, id.SecondaryOwner} {
		s.check(ref)
	}
	for _, g := range id.Grants {
		for _, ref := range []string{g.Entitlement, g.Role, g.Requested.By, g.Provisioned.By, g.Revoked.By, g.Certified.By} {
			s.check(ref)
		}
		for _, a := range g.Approvals {
			s.check(a.By)
			s.check(a.Stage)
		}
	}
	return nil
}

// TestStreamSharesDirectoryStrings: every reference the second pass hands
// on that names an identity, entitlement, role or party is the
// directory's own string, read in place or on all cores.
func TestStreamSharesDirectoryStrings(t *testing.T) {
	var gen bytes.Buffer
	require.NoError(t, synth.WriteBundle(&gen, synth.Config{Seed: 5, Identities: 400}))
	for _, workers := range []int{0, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			restore := bundle.SetParallel(workers, 16)
			defer restore()
			var s sharing
			open := func() ([]bundle.Source, func(), error) {
				return []bundle.Source{{Name: "org.json", Reader: bytes.NewReader(gen.Bytes())}}, func() {}, nil
			}
			_, err := bundle.Stream(open, &s)
			require.NoError(t, err)
			require.Greater(t, s.refs, 1000, "the generated organisation has references")
			require.Zero(t, s.separate, "of %d references, %d are copies (the first: %q)", s.refs, s.separate, s.first)
		})
	}
}
