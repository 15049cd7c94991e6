package scan_test

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/sodkit/sodkit/demo"
	"hash/fnv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/breakglass"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/scan"
	"github.com/sodkit/sodkit/sod"
)

// rendered is a report as people and programs read it.
type rendered struct{ json, text, sarif string }

func render(t testing.TB, r audit.Report) rendered {
	t.Helper()
	var j, x, s bytes.Buffer
	require.NoError(t, r.WriteJSON(&j))
	require.NoError(t, r.WriteText(&x))
	require.NoError(t, r.WriteSARIF(&s))
	return rendered{j.String(), x.String(), s.String()}
}

// roundTrip writes a report as JSON and reads it back, as a shard's part
// travels from sodkit check --shard to sodkit merge.
func roundTrip(t testing.TB, r audit.Report) audit.Report {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.WriteJSON(&b))
	back, err := audit.ReadReport(&b)
	require.NoError(t, err)
	return back
}

// requireSame fails unless got renders as want does, naming the first
// difference.
func requireSame(t testing.TB, want, got rendered, what string) {
	t.Helper()
	for _, c := range []struct{ format, want, got string }{{"json", want.json, got.json}, {"text", want.text, got.text}, {"sarif", want.sarif, got.sarif}} {
		if c.want == c.got {
			continue
		}
		i := 0
		for i < len(c.want) && i < len(c.got) && c.want[i] == c.got[i] {
			i++
		}
		lo := max(0, i-200)
		t.Fatalf("%s: the %s differs from one scan's at byte %d:\none scan: …%s…\nmerged:   …%s…", what, c.format, i,
			c.want[lo:min(len(c.want), i+200)], c.got[lo:min(len(c.got), i+200)])
	}
}

// TestMergeMatchesRun holds a split scan to one scan: for 1 to 4 shards,
// merging the shards' partial reports (through JSON, as they travel) gives
// the report scan.RunWith gives, byte for byte in JSON, text and SARIF —
// whether the shards ran in memory or streamed their files. The worlds
// have findings of every check's Finish, importers' notes, exceptions and
// waivers whose findings depend on every shard.
func TestMergeMatchesRun(t *testing.T) {
	gen := generatedWorld(t, 2000)
	tests := []struct {
		name   string
		reason string
		open   bundle.Opener
		opts   scan.Options
	}{
		{name: "demo", reason: "every check package has findings in the demo, and it has waivers", open: demoOpener},
		{name: "demo selected", reason: "a choice of checks travels with the parts and is applied alike",
			open: demoOpener, opts: scan.Options{Skip: []string{"raci", "sod.duty-conflict"}}},
		{name: "generated", reason: "thousands of identities, exceptions, break-glass sessions and waivers of every outcome",
			open: bundle.FileOpener(gen...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs, done, err := tt.open()
			require.NoError(t, err)
			b, err := bundle.Load(srcs...)
			done()
			require.NoError(t, err)
			one, err := scan.RunWith(b, b.AsOf, tt.opts)
			require.NoError(t, err)
			if len(tt.opts.Skip) == 0 {
				requireCovers(t, one)
			}
			want := render(t, one)
			for n := 1; n <= 4; n++ {
				var inMemory, streamed []audit.Report
				for i := range n {
					opts := tt.opts
					opts.Shard = scan.Shard{Index: i, Count: n}
					part, err := scan.RunWith(b, b.AsOf, opts)
					require.NoError(t, err)
					require.Equal(t, &audit.Partial{Shard: i, Of: n, Only: tt.opts.Only, Skip: tt.opts.Skip, Waivers: part.Partial.Waivers}, part.Partial)
					require.NotContains(t, kindsOf(part), scan.KindWaiverUnused, "the findings about waivers are left to the merge")
					inMemory = append(inMemory, roundTrip(t, part))
					if n == 1 || n == 3 || tt.name != "generated" { // streaming the generated world is slow; two splits suffice
						part, err = scan.StreamWith(tt.open, time.Time{}, opts)
						require.NoError(t, err)
						streamed = append(streamed, roundTrip(t, part))
					}
				}
				slices.Reverse(inMemory) // the order of the parts does not matter
				merged, err := scan.Merge(inMemory...)
				require.NoError(t, err)
				requireSame(t, want, render(t, merged), fmt.Sprintf("%s, %d shards in memory", tt.reason, n))
				if streamed != nil {
					merged, err = scan.Merge(streamed...)
					require.NoError(t, err)
					requireSame(t, want, render(t, merged), fmt.Sprintf("%s, %d shards streamed", tt.reason, n))
				}
			}
		})
	}
}

// requireCovers checks that a world exercises what merging must get
// right: findings of Finish and of the waivers, a waived finding, an
// expired waiver whose findings need action again.
func requireCovers(t testing.TB, r audit.Report) {
	t.Helper()
	kinds := kindsOf(r)
	for _, k := range []audit.Kind{scan.KindWaiverExpired, scan.KindWaiverUnused, breakglass.KindReviewOverdue, sod.KindExceptionExpired} {
		require.Contains(t, kinds, k, "the world has findings of %s: %s", k, countKinds(r))
	}
	require.Positive(t, r.Summary().ByStatus[audit.Waived], "a waiver waives findings")
	require.True(t, slices.ContainsFunc(r.Findings, func(f audit.Finding) bool {
		return f.Kind == scan.KindWaiverExpired && f.Severity == audit.High
	}), "an expired waiver names findings that need action again")
}

func kindsOf(r audit.Report) []audit.Kind {
	var out []audit.Kind
	for _, f := range r.Findings {
		if !slices.Contains(out, f.Kind) {
			out = append(out, f.Kind)
		}
	}
	return out
}

// TestShardOwns: the documented rule (64-bit FNV-1a of the ID, modulo the
// count) puts every identity in exactly one shard of a split.
func TestShardOwns(t *testing.T) {
	ids := []string{"", "alice", "svc-payments-batch", "okta:group/00g1", "ünïcode", strings.Repeat("x", 300)}
	for i := range 200 {
		ids = append(ids, fmt.Sprintf("id-%d", i))
	}
	for _, id := range ids {
		require.True(t, scan.Shard{}.Owns(id), "the zero Shard is no split: it owns %q", id)
		h := fnv.New64a()
		h.Write([]byte(id))
		for n := 1; n <= 7; n++ {
			var owners []int
			for i := range n {
				if (scan.Shard{Index: i, Count: n}).Owns(id) {
					owners = append(owners, i)
				}
			}
			require.Equal(t, []int{int(h.Sum64() % uint64(n))}, owners, "%q in %d shards", id, n)
		}
	}
	for _, bad := range []scan.Shard{{Index: 4, Count: 4}, {Index: -1, Count: 2}, {Index: 1}, {Count: -2}} {
		require.False(t, bad.Owns("alice"), "%v is no shard: it owns nothing", bad)
	}
	// Shards of a few thousand identities are about equal.
	counts := make([]int, 4)
	for i := range 4000 {
		for s := range counts {
			if (scan.Shard{Index: s, Count: 4}).Owns(fmt.Sprintf("svc-%05d", i)) {
				counts[s]++
			}
		}
	}
	for s, c := range counts {
		require.InDelta(t, 1000, c, 100, "shard %d of 4 holds %d of 4000", s, c)
	}
}

func TestParseShard(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		in     string
		want   scan.Shard
		err    string
	}{
		{name: "first", reason: "shards count from 0", in: "0/4", want: scan.Shard{Index: 0, Count: 4}},
		{name: "last", reason: "the last of n is n-1", in: "3/4", want: scan.Shard{Index: 3, Count: 4}},
		{name: "one", reason: "one shard is a split too: its report is partial", in: "0/1", want: scan.Shard{Index: 0, Count: 1}},
		{name: "spaces", reason: "a value from a template may carry spaces", in: " 1 / 2 ", want: scan.Shard{Index: 1, Count: 2}},
		{name: "out of range", reason: "4/4 is the fifth of four", in: "4/4", err: `invalid shard: "4/4": the shards of 4 are 0 to 3`},
		{name: "negative", reason: "no shard before the first", in: "-1/4", err: `the shards of 4 are 0 to 3`},
		{name: "no count", reason: "0 shards split nothing", in: "0/0", err: `"0/0": the count of shards is at least 1`},
		{name: "no slash", reason: "an index alone does not say how many shards", in: "2", err: `"2" is not INDEX/COUNT`},
		{name: "words", reason: "numbers only", in: "first/4", err: `"first/4" is not INDEX/COUNT`},
		{name: "empty", reason: "an empty variable in a manifest", in: "", err: `"" is not INDEX/COUNT`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scan.ParseShard(tt.in)
			if tt.err != "" {
				require.ErrorIs(t, err, scan.ErrShard, tt.reason)
				require.ErrorContains(t, err, tt.err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, tt.want, got, tt.reason)
			require.Equal(t, strings.ReplaceAll(tt.in, " ", ""), got.String())
		})
	}
	require.Equal(t, "none", scan.Shard{}.String())
}

func TestOptionsValidateShard(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		shard  scan.Shard
		err    string
	}{
		{name: "zero", reason: "the zero Shard is no split", shard: scan.Shard{}},
		{name: "last", reason: "the last shard of a split", shard: scan.Shard{Index: 2, Count: 3}},
		{name: "past the end", reason: "Index counts from 0", shard: scan.Shard{Index: 3, Count: 3}, err: "Shard.Index 3 is not a shard of 3 (0 to 2)"},
		{name: "negative index", reason: "no shard before the first", shard: scan.Shard{Index: -1, Count: 3}, err: "Shard.Index -1 is not a shard of 3"},
		{name: "negative count", reason: "a count is not negative", shard: scan.Shard{Count: -1}, err: "Shard.Count -1 is negative"},
		{name: "index alone", reason: "an Index without a Count is a mistake, not no split", shard: scan.Shard{Index: 1}, err: "Shard.Index 1 without a Shard.Count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := scan.Options{Shard: tt.shard}.Validate()
			if tt.err == "" {
				require.NoError(t, err, tt.reason)
				return
			}
			require.ErrorIs(t, err, scan.ErrShard, tt.reason)
			require.ErrorContains(t, err, tt.err, tt.reason)
		})
	}
	err := scan.Options{Only: []string{"sdo"}, Shard: scan.Shard{Index: 5, Count: 2}}.Validate()
	require.ErrorIs(t, err, scan.ErrShard, "every problem at once")
	require.ErrorIs(t, err, scan.ErrUnknownCheck, "every problem at once")
	_, err = scan.RunWith(nil, time.Time{}, scan.Options{Shard: scan.Shard{Index: 2, Count: 2}})
	require.ErrorIs(t, err, scan.ErrShard, "RunWith validates before it looks at the bundle")
}

// TestMergeRefuses: parts that are not every shard of one scan are
// refused, every problem at once, each naming the part and the member.
func TestMergeRefuses(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	shard := func(i, n int, opts scan.Options) audit.Report {
		opts.Shard = scan.Shard{Index: i, Count: n}
		r, err := scan.RunWith(b, b.AsOf, opts)
		require.NoError(t, err)
		return roundTrip(t, r)
	}
	p0, p2 := shard(0, 3, scan.Options{}), shard(2, 3, scan.Options{})
	whole, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)
	later := shard(1, 3, scan.Options{})
	later.EvaluatedAt = later.EvaluatedAt.Add(time.Hour)
	other := shard(1, 3, scan.Options{})
	other.Inputs = slices.Clone(other.Inputs)
	other.Inputs[0].SHA256 = strings.Repeat("0", 64)
	older := shard(1, 3, scan.Options{})
	older.Version = "0.0.9"
	skipped := shard(1, 3, scan.Options{Skip: []string{"raci"}})
	tests := []struct {
		name   string
		reason string
		parts  []audit.Report
		is     error
		msgs   []string
	}{
		{name: "none", reason: "nothing merges into nothing", is: scan.ErrShardMissing, msgs: []string{"no parts to merge"}},
		{name: "whole report", reason: "a whole report already has the findings about waivers", parts: []audit.Report{p0, whole, p2},
			is: scan.ErrNotPartial, msgs: []string{"part 1: partial: not a shard's partial report"}},
		{name: "missing", reason: "a missing shard's identities would pass every gate", parts: []audit.Report{p0, p2},
			is: scan.ErrShardMissing, msgs: []string{"shard missing: no part is shard 1 of 3"}},
		{name: "twice", reason: "a shard given twice, another missing", parts: []audit.Report{p0, p2, p2},
			is: scan.ErrShardRepeated, msgs: []string{"part 2: partial.shard: shard given twice: shard 2/3 is also part 1", "no part is shard 1 of 3"}},
		{name: "other split", reason: "shard 1 of 2 is not shard 1 of 3", parts: []audit.Report{p0, shard(1, 2, scan.Options{}), p2},
			is: scan.ErrPartsDiffer, msgs: []string{"part 1: partial.of: parts of different scans: split into 2 shards, not 3 (compared with part 0)"}},
		{name: "other time", reason: "findings depend on the evaluation time", parts: []audit.Report{p0, later, p2},
			is: scan.ErrPartsDiffer, msgs: []string{"part 1: evaluated_at: parts of different scans: evaluated at 2026-11-01T10:00:00Z, not 2026-11-01T09:00:00Z"}},
		{name: "other inputs", reason: "a shard of another export", parts: []audit.Report{p0, other, p2},
			is: scan.ErrPartsDiffer, msgs: []string{"part 1: inputs: parts of different scans: computed from other inputs: demo:breakglass.json with sha256 000000000000…, not 158bf387e249… (compared with part 0)"}},
		{name: "other release", reason: "finding IDs and checks change between releases", parts: []audit.Report{p0, older, p2},
			is: scan.ErrPartsDiffer, msgs: []string{"part 1: version: parts of different scans: made by sodkit 0.0.9, not sodkit " + audit.Version}},
		{name: "other checks", reason: "a part that skipped raci lacks its findings", parts: []audit.Report{p0, skipped, p2},
			is: scan.ErrPartsDiffer, msgs: []string{`part 1: partial.only: parts of different scans: checks chosen with only [] skip ["raci"], not only [] skip []`}},
		{name: "all at once", reason: "every problem is reported, not the first", parts: []audit.Report{whole, later, older},
			is: scan.ErrNotPartial, msgs: []string{"part 0: partial:", "part 2: version:", "part 2: partial.shard: shard given twice", "no part is shard 0, 2 of 3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scan.Merge(tt.parts...)
			require.ErrorIs(t, err, tt.is, tt.reason)
			for _, m := range tt.msgs {
				require.ErrorContains(t, err, m, tt.reason)
			}
			for _, one := range unjoin(err) {
				_, ok := errors.AsType[*scan.MergeError](one)
				require.True(t, ok, "%v is a *MergeError", one)
			}
		})
	}
}

// TestProgress: Options.Progress hears of every identity the scan takes
// in, in order, from one goroutine, shards and streams alike, and the
// report does not change for being watched.
func TestProgress(t *testing.T) {
	b, err := demo.Load()
	require.NoError(t, err)
	total := len(b.Index.Inventory().Identities)
	whole, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)
	for _, shard := range []scan.Shard{{}, {Index: 1, Count: 3}} {
		for _, streamed := range []bool{false, true} {
			var calls []scan.Progress
			opts := scan.Options{Shard: shard, Progress: func(p scan.Progress) { calls = append(calls, p) }}
			var r audit.Report
			if streamed {
				r, err = scan.StreamWith(demoOpener, time.Time{}, opts)
			} else {
				r, err = scan.RunWith(b, b.AsOf, opts)
			}
			require.NoError(t, err)
			require.Len(t, calls, total, "shard %v, streamed %v: one call per identity, owned or not", shard, streamed)
			for i, p := range calls {
				require.Equal(t, scan.Progress{Identities: i + 1, Total: total}, p)
			}
			if shard == (scan.Shard{}) {
				requireSame(t, render(t, whole), render(t, r), "a scan watched")
			}
		}
	}
}

// FuzzParseShard: whatever ParseShard accepts is a valid shard that
// writes back as it reads, and exactly one of its split's shards owns any
// identity.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/4", "3/4", "4/4", "-1/2", "0/0", " 1 / 2 ", "1/2/3", "x/4", "", "9223372036854775807/9223372036854775807"} {
		f.Add(s, "alice")
	}
	f.Fuzz(func(t *testing.T, s, id string) {
		sh, err := scan.ParseShard(s)
		if err != nil {
			require.ErrorIs(t, err, scan.ErrShard)
			require.Contains(t, err.Error(), fmt.Sprintf("%q", s), "the error quotes the input")
			return
		}
		require.NoError(t, scan.Options{Shard: sh}.Validate())
		back, err := scan.ParseShard(sh.String())
		require.NoError(t, err)
		require.Equal(t, sh, back)
		if sh.Count <= 64 {
			owners := 0
			for i := range sh.Count {
				if (scan.Shard{Index: i, Count: sh.Count}).Owns(id) {
					owners++
				}
			}
			require.Equal(t, 1, owners, "%q has one shard of %d", id, sh.Count)
		}
	})
}
