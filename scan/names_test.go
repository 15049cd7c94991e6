package scan_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
	"github.com/sodkit/sodkit/entitlement/scim"
	"github.com/sodkit/sodkit/scan"
)

// demoReports returns the demo bundle and its report from Run and from
// Stream.
func demoReports(t *testing.T) (*bundle.Bundle, map[string]audit.Report) {
	t.Helper()
	b, err := demo.Load()
	require.NoError(t, err)
	ran, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)
	streamed, err := scan.Stream(demoOpener, time.Time{})
	require.NoError(t, err)
	return b, map[string]audit.Report{"Run": ran, "Stream": streamed}
}

// wantName is the name the bundle gives the record of type typ and ID id,
// looked up independently of scan: "" when it has none, or one equal to
// its ID.
func wantName(b *bundle.Bundle, typ, id string) string {
	var name string
	switch typ {
	case "identity", "account":
		v, _ := b.Index.Identity(id)
		name = v.Name
	case "entitlement":
		v, _ := b.Index.Entitlement(id)
		name = v.Name
	case "role":
		v, _ := b.Index.Role(id)
		name = v.Name
	case "party":
		v, _ := b.Index.Party(id)
		name = v.Name
	case "rule":
		for _, r := range b.SoD.Rules {
			if r.ID == id {
				name = r.Title
				break
			}
		}
	}
	if name == id {
		return ""
	}
	return name
}

// TestNames checks that Run and Stream give every finding of the demo the
// names of its subject and of the roles and entitlements on its paths, as
// the bundle has them. (That names change no finding ID, the demo's
// golden reports in cmd/sodkit show: their IDs are those of before.)
func TestNames(t *testing.T) {
	b, reports := demoReports(t)
	for name, r := range reports {
		t.Run(name, func(t *testing.T) {
			named, steps := map[string]bool{}, 0
			for _, f := range r.Findings {
				require.Equal(t, wantName(b, f.Subject.Type, f.Subject.ID), f.Subject.Name, "%s %s", f.Kind, f.Subject)
				if f.Subject.Name != "" {
					named[f.Subject.Type] = true
				}
				for _, e := range f.Evidence {
					for _, s := range e.Path {
						require.Equal(t, wantName(b, s.Type, s.ID), s.Name, "%s %s: step %s", f.Kind, f.Subject, s)
						if s.Name != "" {
							steps++
						}
					}
				}
			}
			for _, typ := range []string{"identity", "entitlement", "role", "party", "rule"} {
				require.True(t, named[typ], "the demo has a named %s subject", typ)
			}
			require.Positive(t, steps, "path steps are named")
		})
	}
	require.Equal(t, "identity alice (Alice Brandt)", audit.Subject{Type: "identity", ID: "alice", Name: wantName(b, "identity", "alice")}.String())
}

// TestNamesOfImports checks the case the names are for: an imported
// group's role ID is opaque, its display name says what it is. Naming
// does not write into the bundle's own findings.
func TestNamesOfImports(t *testing.T) {
	root := filepath.Join("..")
	b, err := bundle.LoadFileSet(bundle.FileSet{
		Bundles:     []string{filepath.Join(root, "bundle", "testdata", "imports", "rules.json")},
		SCIM:        []string{filepath.Join(root, "entitlement", "scim", "testdata", "acme", "users.json"), filepath.Join(root, "entitlement", "scim", "testdata", "acme", "groups.json")},
		SCIMOptions: scim.Options{System: "okta", Key: scim.KeyUserName},
		CSV:         []string{filepath.Join(root, "entitlement", "grantcsv", "testdata", "acme", "grants.csv")},
		CSVMapping:  filepath.Join(root, "entitlement", "grantcsv", "testdata", "acme", "map.json"),
	})
	require.NoError(t, err)
	before := cloneFindings(b.Findings)
	r, err := scan.Run(b, b.AsOf)
	require.NoError(t, err)
	require.Equal(t, before, b.Findings, "the bundle's findings are not modified")

	groups, identities := 0, 0
	for _, f := range r.Findings {
		require.Equal(t, wantName(b, f.Subject.Type, f.Subject.ID), f.Subject.Name, "%s %s", f.Kind, f.Subject)
		if f.Subject.Type == "identity" && f.Subject.Name != "" {
			identities++
		}
		for _, e := range f.Evidence {
			for _, s := range e.Path {
				require.Equal(t, wantName(b, s.Type, s.ID), s.Name, "%s %s: step %s", f.Kind, f.Subject, s)
				if s.Type == "role" && s.Name != "" {
					groups++
				}
			}
		}
	}
	require.Positive(t, identities, "SCIM users are named by their displayName")
	require.Positive(t, groups, "SCIM groups on access paths are named by their displayName")
}

func cloneFindings(fs []audit.Finding) []audit.Finding {
	out := slices.Clone(fs)
	for i := range out {
		out[i].Evidence = slices.Clone(out[i].Evidence)
		for j := range out[i].Evidence {
			out[i].Evidence[j].Path = slices.Clone(out[i].Evidence[j].Path)
		}
	}
	return out
}

// wantIdentity is the identity a finding about s is about, looked up in
// the bundle independently of the checks. It fails the test for a subject
// type it does not know, so a new kind of subject is decided here.
func wantIdentity(t *testing.T, b *bundle.Bundle, s audit.Subject) string {
	t.Helper()
	switch s.Type {
	case "identity", "account":
		return s.ID
	case "grant":
		_, holder, ok := b.Index.Grant(s.ID)
		require.True(t, ok, "grant %s is in the bundle", s.ID)
		return holder.ID
	case "session":
		for _, x := range b.BreakGlass.Sessions {
			if x.ID == s.ID {
				return x.Identity
			}
		}
		t.Fatalf("session %s is not in the bundle", s.ID)
	case "exception":
		for _, x := range b.SoD.Exceptions {
			if x.ID == s.ID {
				return x.Identity // "" for a party's exception
			}
		}
		t.Fatalf("exception %s is not in the bundle", s.ID)
	case "waiver":
		for _, w := range b.Waivers {
			if w.ID == s.ID && w.Subject.Type == "identity" {
				return w.Subject.ID
			}
		}
		return "" // a waiver by kind across subjects, or by finding ID
	case "entitlement", "role", "rule", "party", "system", "matrix":
		return ""
	}
	t.Fatalf("decide which identity a finding about a %s is about", s.Type)
	return ""
}

// TestIdentity checks Finding.Identity on every finding of the demo, from
// Run and from Stream: the identity itself, a grant's holder, a session's
// user, an exception's covered identity, an observed account; nothing for
// findings about no single identity. Every finding about alice is found by
// it — those the issue found missing from "explain alice" included.
func TestIdentity(t *testing.T) {
	b, reports := demoReports(t)
	for name, r := range reports {
		t.Run(name, func(t *testing.T) {
			types := map[string]bool{}
			var alice []string
			for _, f := range r.Findings {
				require.Equal(t, wantIdentity(t, b, f.Subject), f.Identity, "%s %s", f.Kind, f.Subject)
				if f.Identity != "" {
					types[f.Subject.Type] = true
				}
				if f.Identity == "alice" {
					alice = append(alice, string(f.Kind)+" "+f.Subject.Type+" "+f.Subject.ID)
				}
			}
			for _, typ := range []string{"identity", "grant", "session", "exception", "account"} {
				require.True(t, types[typ], "the demo has findings about an identity through a %s", typ)
			}
			require.ElementsMatch(t, []string{
				"breakglass.rejected-still-active session bg-111",
				"lifecycle.unexplained-access identity alice",
				"sod.duty-conflict exception EXC-2026-003",
				"sod.exception-expired exception EXC-2026-003",
				"sod.exception-wrong-approver exception EXC-2026-003",
				"sod.toxic-combination identity alice",
				"sod.toxic-combination identity alice",
				"lifecycle.lookalike-id identity alice",
				"raci.recertification-overdue grant g-101",
				"raci.recertification-overdue grant g-102",
				"sod.exception-too-long exception EXC-2026-003",
			}, alice, "every finding about alice, and nothing else")
		})
	}
}
