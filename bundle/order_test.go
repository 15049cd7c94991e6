package bundle_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement"
)

// sortedKeys re-serialises a JSON document with every object's members in
// sorted order, as jq -S and Python's json.dump(sort_keys=True) write
// them (encoding/json sorts a map's keys), indented so errors have lines.
func sortedKeys(t testing.TB, data []byte) []byte {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	out, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	return append(out, '\n')
}

// sortedDemo returns the demo's files with sorted keys, by name.
func sortedDemo(t testing.TB) (names []string, files map[string][]byte) {
	t.Helper()
	files = map[string][]byte{}
	for _, src := range demo.Sources() {
		data, err := io.ReadAll(src.Reader)
		require.NoError(t, err)
		sorted := sortedKeys(t, data)
		require.False(t, bytes.HasPrefix(sorted, []byte("{\n  \"format\"")), "%s: the test needs a file whose format is not first", src.Name)
		names = append(names, src.Name)
		files[src.Name] = sorted
	}
	return names, files
}

// readers are the ways a test hands a file to the loader: seekable ones
// are read again from their start; the others have the bytes before the
// format kept and replayed.
var readers = []struct {
	name   string
	reason string
	wrap   func([]byte) io.Reader
}{
	{name: "seekable", reason: "a file (an io.Seeker) is read again from where it started",
		wrap: func(b []byte) io.Reader { return bytes.NewReader(b) }},
	{name: "stream", reason: "a pipe or standard input cannot seek: the bytes before the format are replayed",
		wrap: func(b []byte) io.Reader { return struct{ io.Reader }{bytes.NewReader(b)} }},
	{name: "one byte at a time", reason: "replaying does not depend on how reads are split",
		wrap: func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) }},
}

// TestSortedKeysLoad loads the demo re-serialised with sorted keys — every
// file's "format" member after "as_of", "breakglass" or "entitlements" —
// from each kind of reader, and checks it is the same bundle as the demo,
// with each input's hash that of the bytes given.
func TestSortedKeysLoad(t *testing.T) {
	want, err := demo.Load()
	require.NoError(t, err)
	names, files := sortedDemo(t)
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			var srcs []bundle.Source
			for _, n := range names {
				srcs = append(srcs, bundle.Source{Name: n, Reader: rd.wrap(files[n])})
			}
			got, err := bundle.Load(srcs...)
			require.NoError(t, err, rd.reason)
			require.Equal(t, want.AsOf, got.AsOf)
			require.Equal(t, want.Inventory, got.Inventory, rd.reason)
			require.Equal(t, want.SoD, got.SoD)
			require.Equal(t, want.RACI, got.RACI)
			require.Equal(t, want.BreakGlass, got.BreakGlass)
			require.Len(t, got.Inputs, len(names))
			for i, in := range got.Inputs {
				sum := sha256.Sum256(files[names[i]])
				require.Equal(t, names[i], in.Name)
				require.Equal(t, hex.EncodeToString(sum[:]), in.SHA256, "%s: every byte is hashed once, though part is read twice", in.Name)
				require.Equal(t, int64(len(files[names[i]])), in.Bytes)
			}
			o, ok := got.Origin("identity", "alice")
			require.True(t, ok)
			require.Equal(t, "demo:inventory.json", o.File)
			require.NotZero(t, o.Line)
			require.Equal(t, aliceLine(files[o.File]), o.Line, "origins are lines of the file as given")
		})
	}
}

// aliceLine returns the line of data on which the object of the identity
// alice opens, found by its indentation: in MarshalIndent's output, the
// "{" before the identity's "id" member, one level out.
func aliceLine(data []byte) int {
	ls := strings.Split(string(data), "\n")
	for i, l := range ls {
		if strings.TrimSpace(l) != `"id": "alice",` {
			continue
		}
		open := l[:len(l)-len(strings.TrimLeft(l, " "))-2] + "{"
		for j := i - 1; j >= 0; j-- {
			if ls[j] == open {
				return j + 1
			}
		}
	}
	return 0
}

// TestSortedKeysStream streams the sorted demo (two passes, each reading
// every file whose format is not first twice) and checks the visitor sees
// what Load returns.
func TestSortedKeysStream(t *testing.T) {
	want, err := demo.Load()
	require.NoError(t, err)
	names, files := sortedDemo(t)
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			open := func() ([]bundle.Source, func(), error) {
				var srcs []bundle.Source
				for _, n := range names {
					srcs = append(srcs, bundle.Source{Name: n, Reader: rd.wrap(files[n])})
				}
				return srcs, func() {}, nil
			}
			v := &collect{}
			dir, err := bundle.Stream(open, v)
			require.NoError(t, err, rd.reason)
			require.Equal(t, want.SoD, dir.SoD)
			require.Len(t, v.ids, len(want.Inventory.Identities))
			for i, id := range v.ids {
				require.Equal(t, want.Inventory.Identities[i], id)
			}
		})
	}
}

// collect is a Visitor that keeps every identity.
type collect struct{ ids []entitlement.Identity }

func (c *collect) Begin(*bundle.Bundle) error { return nil }
func (c *collect) Identity(id entitlement.Identity, _ bundle.IdentityOrigin) error {
	c.ids = append(c.ids, id)
	return nil
}

// TestSortedKeysFiles loads sorted demo files from disk by name, as the
// sodkit command does, and checks the load's inputs are the files.
func TestSortedKeysFiles(t *testing.T) {
	names, files := sortedDemo(t)
	dir := t.TempDir()
	var paths []string
	for _, n := range names {
		p := filepath.Join(dir, strings.TrimPrefix(n, demo.Prefix))
		require.NoError(t, os.WriteFile(p, files[n], 0o600))
		paths = append(paths, p)
	}
	b, err := bundle.LoadFiles(paths...)
	require.NoError(t, err)
	require.Len(t, b.Inputs, len(paths))
	for i, in := range b.Inputs {
		require.Equal(t, paths[i], in.Name)
		require.Equal(t, int64(len(files[names[i]])), in.Bytes)
	}
}

// TestBadBundlesAnyReader loads every bad bundle through readers that
// cannot seek, and checks the problems are those a seekable reader gets:
// where a file is read twice, problems keep their lines and are reported
// once.
func TestBadBundlesAnyReader(t *testing.T) {
	for _, rd := range readers {
		for _, tt := range badBundles {
			t.Run(rd.name+"/"+tt.name, func(t *testing.T) {
				srcs := make([]bundle.Source, len(tt.files))
				for i, f := range tt.files {
					srcs[i] = bundle.Source{Name: f.name, Reader: rd.wrap([]byte(f.text))}
				}
				b, err := bundle.Load(srcs...)
				require.Error(t, err, tt.reason)
				require.Nil(t, b)
				require.Equal(t, strs(tt.want), strs(problems(t, err)), "%s; %s", tt.reason, rd.reason)
			})
		}
	}
}

// TestSeekableNotAtStart loads a file whose reader starts partway
// through: reading again goes back to where the reader started, not to
// offset 0.
func TestSeekableNotAtStart(t *testing.T) {
	sorted := lines(`{"as_of": "2026-11-01T09:00:00Z",`, `"format": "sodkit.bundle/v1"}`)
	r := strings.NewReader("garbage" + sorted)
	_, err := r.Seek(int64(len("garbage")), io.SeekStart)
	require.NoError(t, err)
	b, err := bundle.Load(bundle.Source{Name: "mid.json", Reader: r})
	require.NoError(t, err)
	require.Equal(t, int64(len(sorted)), b.Inputs[0].Bytes)
}
