package bundle_test

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"unsafe"
	"weak"

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
			_, err := bundle.Stream(bytesOpener(gen.Bytes()), &s)
			require.NoError(t, err)
			require.Greater(t, s.refs, 1000, "the generated organisation has references")
			require.Zero(t, s.separate, "of %d references, %d are copies (the first: %q)", s.refs, s.separate, s.first)
		})
	}
}

// keeper keeps the grants of every tenth identity streamed, and only a
// weak pointer to the others'.
type keeper struct {
	kept [][]entitlement.Grant
	weak []weak.Pointer[entitlement.Grant]
	n    int
}

func (k *keeper) Begin(*bundle.Bundle) error { return nil }

func (k *keeper) Identity(id entitlement.Identity, _ bundle.IdentityOrigin) error {
	if len(id.Grants) == 0 {
		return nil
	}
	if k.n++; k.n%10 == 0 {
		k.kept = append(k.kept, id.Grants)
	} else {
		k.weak = append(k.weak, weak.Make(&id.Grants[0]))
	}
	return nil
}

// TestStreamKeepsOnlyWhatItHandsOn: an identity Stream hands on owns its
// grants. A visitor that keeps some identities keeps their grants and
// nothing of the identities it let go (a load, which keeps everything,
// may share one allocation among identities; a stream must not).
func TestStreamKeepsOnlyWhatItHandsOn(t *testing.T) {
	var gen bytes.Buffer
	require.NoError(t, synth.WriteBundle(&gen, synth.Config{Seed: 6, Identities: 300}))
	for _, workers := range []int{0, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			restore := bundle.SetParallel(workers, 16)
			defer restore()
			var k keeper
			_, err := bundle.Stream(bytesOpener(gen.Bytes()), &k)
			require.NoError(t, err)
			require.Greater(t, len(k.weak), 100)
			runtime.GC()
			runtime.GC()
			alive := 0
			for _, w := range k.weak {
				if w.Value() != nil {
					alive++
				}
			}
			require.Zero(t, alive, "of %d identities let go, %d still have their grants in memory", len(k.weak), alive)
			runtime.KeepAlive(k.kept)
		})
	}
}

// TestLoadGrantsAreCapped: identities of a load may share one allocation
// for their grants, but appending to one identity's grants never writes
// into another's.
func TestLoadGrantsAreCapped(t *testing.T) {
	var gen bytes.Buffer
	require.NoError(t, synth.WriteBundle(&gen, synth.Config{Seed: 6, Identities: 200}))
	b, err := bundle.Load(bundle.Source{Name: "org.json", Reader: bytes.NewReader(gen.Bytes())})
	require.NoError(t, err)
	ids := b.Inventory.Identities
	before := make([][]entitlement.Grant, len(ids))
	for i, id := range ids {
		require.Equal(t, len(id.Grants), cap(id.Grants), "identity %s", id.ID)
		before[i] = slices.Clone(id.Grants)
	}
	for i := range ids {
		ids[i].Grants = append(ids[i].Grants, entitlement.Grant{ID: "appended"})
	}
	for i, id := range ids {
		require.Equal(t, before[i], id.Grants[:len(id.Grants)-1], "identity %s", id.ID)
	}
}
