package bundle_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
)

// TestOrigin checks that a loaded bundle says where each record was read,
// file and line, across the demo's several files, and that a stream hands
// the same origins to its visitor.
func TestOrigin(t *testing.T) {
	b, err := bundle.Load(demo.Sources()...)
	require.NoError(t, err)
	tests := []struct {
		typ, id string
		want    bundle.Origin
	}{
		{"identity", "alice", bundle.Origin{File: "demo:inventory.json", Line: 573}},
		{"grant", "g-101", bundle.Origin{File: "demo:inventory.json", Line: 581}},
		{"entitlement", "erp:vendor.create", bundle.Origin{File: "demo:inventory.json", Line: 129}},
		{"role", "ap-clerk", bundle.Origin{File: "demo:inventory.json", Line: 272}},
		{"rule", "R-P2P-01", bundle.Origin{File: "demo:sod.json", Line: 147}},
		{"session", "bg-111", bundle.Origin{File: "demo:breakglass.json", Line: 315}},
	}
	for _, tt := range tests {
		got, ok := b.Origin(tt.typ, tt.id)
		require.True(t, ok, "%s %s", tt.typ, tt.id)
		require.Equal(t, tt.want, got, "%s %s", tt.typ, tt.id)
	}
	for _, miss := range [][2]string{{"identity", "nobody"}, {"grant", "g-none"}, {"rule", ""}} {
		_, ok := b.Origin(miss[0], miss[1])
		require.False(t, ok, "%v is unknown", miss)
	}

	// Stream: the visitor gets each identity's origin with its grants',
	// equal to what Load keeps.
	v := &originVisitor{want: b, t: t}
	_, err = bundle.Stream(func() ([]bundle.Source, func(), error) { return demo.Sources(), func() {}, nil }, v)
	require.NoError(t, err)
	require.Equal(t, len(b.Inventory.Identities), v.n)
}

type originVisitor struct {
	want *bundle.Bundle
	t    *testing.T
	n    int
}

func (v *originVisitor) Begin(b *bundle.Bundle) error {
	o, ok := b.Origin("identity", "alice")
	require.True(v.t, ok, "the directory knows where identities are")
	require.Equal(v.t, 573, o.Line)
	_, ok = b.Origin("grant", "g-101")
	require.False(v.t, ok, "the directory holds no grants")
	// Every identity, and every other record, is where Load says it is,
	// though the directory keeps its identities' places compactly.
	for _, id := range b.Inventory.Identities {
		want, wantOK := v.want.Origin("identity", id.ID)
		got, gotOK := b.Origin("identity", id.ID)
		require.Equal(v.t, wantOK, gotOK, id.ID)
		require.Equal(v.t, want, got, id.ID)
		require.Equal(v.t, want, b.IdentityOrigin(id).Origin, id.ID)
	}
	for _, r := range [][2]string{{"entitlement", "erp:vendor.create"}, {"role", "ap-clerk"}, {"rule", "R-P2P-01"}, {"session", "bg-111"}} {
		want, _ := v.want.Origin(r[0], r[1])
		got, ok := b.Origin(r[0], r[1])
		require.True(v.t, ok, "%v", r)
		require.Equal(v.t, want, got, "%v", r)
	}
	_, ok = b.Origin("identity", "nobody")
	require.False(v.t, ok, "an unknown identity has no place")
	return nil
}

func (v *originVisitor) Identity(id entitlement.Identity, where bundle.IdentityOrigin) error {
	v.n++
	require.Equal(v.t, v.want.IdentityOrigin(id), where, "identity %s", id.ID)
	require.Len(v.t, where.Grants, len(id.Grants))
	return nil
}
