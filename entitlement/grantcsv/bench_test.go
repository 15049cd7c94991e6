package grantcsv_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement/grantcsv"
)

// BenchmarkRead reads a 100,000-row export with dates and actors.
func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("identity,entitlement,state,start,expires,requested_by,approved_by,approved_at,ticket,reason\n")
	for i := range 100000 {
		fmt.Fprintf(&buf, "user%d@example.com,erp:perm%d,active,2026-01-%02d,2026-12-31T00:00:00Z,user%d@example.com,mgr%d@example.com,2026-01-01T09:00:00Z,CHG-%d,Quarter close\n",
			i/4, i%300, i%28+1, i/4, i%50, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		im, err := grantcsv.Read("grants.csv", bytes.NewReader(data), grantcsv.Mapping{})
		require.NoError(b, err)
		if len(im.Grants) != 25000 {
			b.Fatal(len(im.Grants))
		}
	}
}
