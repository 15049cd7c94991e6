package lifecycle

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/idfold"
)

// KindLookalikeID: two or more identity IDs (or entitlement IDs, or role
// IDs) that are distinct but look alike: equal once case, compatibility
// forms (fullwidth letters, ligatures), the encoding of accents,
// invisible characters (zero-width spaces, joiners, the soft hyphen,
// variation selectors) and Cyrillic and Greek letters that look Latin are
// set aside. IDs stay distinct by design; one of them may be an impostor
// ("аlice" with a Cyrillic а beside "alice"), or a duplicate record that
// splits one person's access in two. One finding per group; its evidence
// lists every member ID, in byte order, with the code points of runes
// outside printable ASCII written out, then the key they fold to (see the
// package documentation).
const KindLookalikeID audit.Kind = "lifecycle.lookalike-id"

var ia4 = audit.Ref(audit.SP80053, "IA-4")

// lookalikes returns one finding per group of look-alike IDs among the
// identities, the entitlements and the roles of x.
func lookalikes(x *entitlement.Index) []audit.Finding {
	inv := x.Inventory()
	var out []audit.Finding
	out = append(out, lookalikeGroups("identity", len(inv.Identities), func(i int) string { return inv.Identities[i].ID })...)
	out = append(out, lookalikeGroups("entitlement", len(inv.Entitlements), func(i int) string { return inv.Entitlements[i].ID })...)
	out = append(out, lookalikeGroups("role", len(inv.Roles), func(i int) string { return inv.Roles[i].ID })...)
	return out
}

// lookalikeGroups reports every group of look-alike IDs among n IDs.
func lookalikeGroups(typ string, n int, id func(int) string) []audit.Finding {
	seed := maphash.MakeSeed()
	groups := groupByKey(n, id, func(key []byte) uint64 { return maphash.Bytes(seed, key) })
	out := make([]audit.Finding, 0, len(groups))
	for _, ids := range groups {
		out = append(out, lookalikeFinding(typ, ids))
	}
	return out
}

// groupByKey folds each of n IDs once (see internal/idfold) and returns the
// groups of two or more IDs that share a fold key, in no particular order.
// It keeps one hash and one position per ID rather than the keys
// themselves, and confirms a shared hash by folding the earlier ID again,
// so memory stays at a few bytes an ID and a hash collision never joins
// IDs that do not look alike.
func groupByKey(n int, id func(int) string, hash func(key []byte) uint64) [][]string {
	first := make(map[uint64]int32, n) // key hash → the first ID with it
	var exact map[string]int32         // key → first ID, for keys whose hash another key took
	groups := map[int32][]int32{}      // first ID → the others with its key
	var key, other []byte
	for i := range n {
		key = idfold.AppendKey(key[:0], id(i))
		h := hash(key)
		j, seen := first[h]
		if !seen {
			first[h] = int32(i)
			continue
		}
		other = idfold.AppendKey(other[:0], id(int(j)))
		if !bytes.Equal(key, other) {
			if exact == nil {
				exact = map[string]int32{}
			}
			if j, seen = exact[string(key)]; !seen {
				exact[string(key)] = int32(i)
				continue
			}
		}
		groups[j] = append(groups[j], int32(i))
	}
	out := make([][]string, 0, len(groups))
	for j, rest := range groups {
		ids := []string{id(int(j))}
		for _, i := range rest {
			ids = append(ids, id(int(i)))
		}
		out = append(out, ids)
	}
	return out
}

// lookalikeFinding reports one group of look-alike IDs of type typ.
func lookalikeFinding(typ string, ids []string) audit.Finding {
	slices.Sort(ids)
	shown := make([]string, len(ids))
	ev := make([]audit.Evidence, 0, len(ids)+1)
	for i, id := range ids {
		shown[i] = visible(id)
		ev = append(ev, audit.Evidence{Label: typ, Value: shown[i]})
	}
	ev = append(ev, audit.Evidence{Label: "all fold to", Value: visible(idfold.Key(ids[0]))})
	return kinds.Get(KindLookalikeID).New("", audit.Subject{Type: typ, ID: ids[0]},
		fmt.Sprintf("%d %s IDs look alike: %s; they differ only in case, invisible characters, compatibility forms, "+
			"the encoding of accents, or Cyrillic or Greek letters that look Latin", len(ids), typ, strings.Join(shown, ", ")),
		ev...)
}

// visible renders an ID for evidence and messages with every rune outside
// printable ASCII, and '<', written as its code point ("<U+0430>lice"),
// so a reader sees how look-alike IDs differ and no invisible or
// bidirectional control character reaches a report.
func visible(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r >= ' ' && r <= '~' && r != '<' {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "<U+%04X>", r)
	}
	return b.String()
}
