package trail_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/audit/trail"
)

// withDuplicate returns a decision's JSON with a second "reason" member
// (encoding/json would keep the last one silently).
func withDuplicate(t *testing.T, d audit.Decision) string {
	t.Helper()
	dj := mustJSON(t, d)
	out := strings.Replace(dj, `"reason":`, `"reason":"approved by the board","reason":`, 1)
	require.NotEqual(t, dj, out)
	return out
}

// TestVerifyRejectsDuplicateKeys: a stored entry whose decision names a
// member twice carries a correct hash (the hash covers the raw bytes) but
// is malformed: verification fails at that entry, saying which key on
// which line. Before, the decoder silently kept the last value.
func TestVerifyRejectsDuplicateKeys(t *testing.T) {
	lines, _ := buildLog(t, 3)
	prev := lineHash(t, lines[0])
	dup, h := specLine(2, prev, withDuplicate(t, decision(1)))
	_, _, dj3 := parts(t, lines[2])
	next, _ := specLine(3, h, dj3)
	data := joinLines([][]byte{lines[0], dup, next})

	v := verifyBytes(t, data, trail.Key{}, nil)
	require.Equal(t, trail.Altered, v.State, v.String())
	require.Equal(t, uint64(2), v.At)
	require.Contains(t, v.Detail, `line 2: key "reason": duplicate key`)

	var n int
	var err error
	for _, err = range trail.Entries(bytes.NewReader(data)) {
		if err != nil {
			break
		}
		n++
	}
	require.ErrorIs(t, err, trail.ErrTampered)
	require.Equal(t, 1, n, "only the entry before the malformed one is yielded")
}

// TestReadCheckpointsRejectsDuplicateKeys: a checkpoint line naming a
// member twice is an error naming the line and the key.
func TestReadCheckpointsRejectsDuplicateKeys(t *testing.T) {
	key := hmacKey(t)
	lines, _ := buildLog(t, 2)
	var buf bytes.Buffer
	require.NoError(t, trail.WriteCheckpoint(&buf, checkpoint(t, key, lines, 1)))
	require.NoError(t, trail.WriteCheckpoint(&buf, checkpoint(t, key, lines, 2)))
	text := buf.String()
	i := strings.LastIndex(text, `"size":`)
	text = text[:i] + `"size":1,` + text[i:] // checkpoint 2 now says size 1, then 2

	_, err := trail.ReadCheckpoints(strings.NewReader(text))
	require.ErrorIs(t, err, audit.ErrDuplicateKey)
	var je *audit.JSONError
	require.ErrorAs(t, err, &je)
	require.Equal(t, 2, je.Line)
	require.Equal(t, "size", je.Key)
	require.ErrorContains(t, err, `checkpoint 2: line 2: key "size": duplicate key`)
}
