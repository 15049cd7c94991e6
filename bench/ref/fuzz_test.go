package ref_test

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/internal/synth"
	"github.com/sodkit/sodkit/sod"

	"github.com/sodkit/sodkit/bench/ref"
)

// small is a small generated world, converted once.
var small = sync.OnceValues(func() (*entitlement.Inventory, sod.Config) {
	inv := synth.Generate(synth.Config{Seed: 11, Identities: 300})
	return inv, synth.Rules(inv, 60, 11)
})

func smallFile(t testing.TB) []byte {
	inv, c := small()
	var buf bytes.Buffer
	if err := ref.Write(&buf, inv, c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzLoad checks that Load never panics, reports only *ref.Error
// problems, and that what it accepts compiles and detects in order.
func FuzzLoad(f *testing.F) {
	// A tiny generated world: large seeds make the fuzzer crawl.
	inv := synth.Generate(synth.Config{Seed: 5, Identities: 10, MeanGrants: 5, EntitlementsPerSystem: 6, Systems: 2, Roles: 4})
	var buf bytes.Buffer
	if err := ref.Write(&buf, inv, synth.Rules(inv, 6, 5)); err != nil {
		f.Fatal(err)
	}
	file := buf.Bytes()
	f.Add(file)
	f.Add(file[:len(file)/2])
	f.Add([]byte(ref.Header + "\ne\ta\nr\tR\t1\ta\t1\tR\n"))
	f.Add([]byte(ref.Header + "\ne\ta\nk\tK\t1\tdynamic\t1\ns\t1\ta\t0\ni\tu\ng\te\ta\ta\tjit\t-5\t-\t1\t-9\t-\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ref.Load("f", data)
		if err != nil {
			for _, e := range unjoin(err) {
				var re *ref.Error
				if !errors.As(e, &re) || re.Line < 0 {
					t.Fatalf("problem %v (%T) is not a *ref.Error with a line", e, e)
				}
			}
			if w != nil {
				t.Fatal("a World with an error")
			}
			return
		}
		e := ref.Compile(w)
		for _, at := range []time.Time{synth.AsOf, time.Unix(0, math.MinInt64+1), time.Unix(0, math.MaxInt64-1)} {
			vs, err := e.Detect(at)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.IsSortedFunc(vs, func(a, b ref.Violation) int {
				if a.Identity != b.Identity {
					return int(a.Identity - b.Identity)
				}
				return int(a.Rule - b.Rule)
			}) {
				t.Fatal("violations out of order")
			}
			for _, v := range vs {
				if int(v.Identity) >= w.Identities() || int(v.Rule) >= e.Rules() {
					t.Fatalf("violation %v out of range", v)
				}
			}
		}
	})
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// FuzzAgreement checks that the reference and sodkit agree on a generated
// world at any time within the years its grants span.
func FuzzAgreement(f *testing.F) {
	inv, c := small()
	w, err := ref.Load("small", smallFile(f))
	if err != nil {
		f.Fatal(err)
	}
	e := ref.Compile(w)
	x, err := entitlement.NewIndex(inv)
	if err != nil {
		f.Fatal(err)
	}
	se, err := sod.Compile(x, c)
	if err != nil {
		f.Fatal(err)
	}
	from := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	span := int64(synth.AsOf.AddDate(1, 0, 0).Sub(from))
	for _, at := range boundaries(inv, 20) {
		f.Add(int64(at.Sub(from)))
	}
	f.Add(int64(synth.AsOf.Sub(from)))
	f.Fuzz(func(t *testing.T, d int64) {
		at := from.Add(time.Duration(((d % span) + span) % span))
		vs, err := e.Detect(at)
		if err != nil {
			t.Fatal(err)
		}
		got := groupRef(w, e, vs)
		want := map[string][]string{}
		for _, v := range se.Detect(at) {
			want[v.Identity] = append(want[v.Identity], v.Rule)
		}
		for k := range want {
			slices.Sort(want[k])
		}
		if d := diff(want, got); d != "" {
			t.Fatalf("at %s, the violations differ:\n%s", at.Format(time.RFC3339Nano), d)
		}
	})
}
