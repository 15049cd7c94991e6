package bundle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOwn: strings copied into slabs keep their bytes while later strings
// fill the slab and the next ones, whatever their sizes; a long string,
// and every string of a decoder that hands identities on one at a time,
// is a copy of its own.
func TestOwn(t *testing.T) {
	d := &decoder{loader: newLoader()}
	var want, got []string
	buf := []byte{}
	for i := range 5000 {
		buf = append(buf[:0], fmt.Sprintf("string-%d-%s", i, strings.Repeat("x", i%97))...)
		want = append(want, string(buf))
		got = append(got, d.own(buf))
		buf[0] = '!' // the caller's bytes change: the string must not
	}
	require.Equal(t, want, got)
	require.Equal(t, "", d.own(nil))

	long := []byte(strings.Repeat("y", strSlabMax/8+1))
	used := len(d.strSlab)
	require.Equal(t, string(long), d.own(long))
	require.Equal(t, used, len(d.strSlab), "a long string is not in the slab")

	d.identitiesOnly = true
	before := len(d.strSlab)
	require.Equal(t, "z", d.own([]byte("z")))
	require.Equal(t, before, len(d.strSlab), "Stream's second pass copies each string on its own")
}
