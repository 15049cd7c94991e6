package synth

import (
	"fmt"
	"io"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/raci"
)

// RACI returns the RACI configuration of the organisation c describes,
// the one a governed organisation (Config.Governed) follows: identity
// governance ("iam") defines policy, approves requests where an
// entitlement names no approval path, approves exceptions and is
// accountable for recertification, which its members perform; IT
// operations ("itsm", with "platform") provisions and revokes; security
// operations ("secops") reviews emergency access; identity governance is
// accountable for non-human identities, which platform engineering runs.
// Internal audit is informed. The policy is the default one. The
// entitlements' own catalogue fields (policy owner, fulfiller, approval
// path) complete the matrix of each entitlement.
//
// Two gaps are deliberate, so that the matrix checks have something to
// report, one finding each:
//
//   - the first entitlement of the catalogue has its recertification
//     performed by the service desk ("itsm"), whose function may not
//     (raci.recertification-not-governed);
//   - the last system has two parties accountable for approving
//     exceptions, "iam" and "secops" (raci.several-accountable).
//
// Otherwise, on a governed organisation of a few hundred identities or
// more, raci.Check reports no matrix gap, and every party the matrix or
// the catalogue names has active members. The same c always gives the same
// config; the result shares no memory with any other call's.
func RACI(c Config) raci.Config {
	g := newGenerator(c)
	iam, itsm, platform := g.parties[partyIAM].ID, g.parties[partyITSM].ID, g.parties[partyPlatform].ID
	secops, audit := g.parties[partySecOps].ID, g.parties[partyAudit].ID
	row := func(accountable string, responsible ...string) raci.Assignment {
		return raci.Assignment{Accountable: []string{accountable}, Responsible: responsible, Informed: []string{audit}}
	}
	cfg := raci.Config{Matrix: raci.Matrix{
		raci.DefinePolicy:     row(iam, iam),
		raci.ApproveRequest:   row(iam, iam),
		raci.ApproveException: {Accountable: []string{iam}, Responsible: []string{iam}, Consulted: []string{secops}, Informed: []string{audit}},
		raci.Provision:        row(itsm, itsm),
		raci.Revoke:           row(itsm, itsm, platform),
		raci.Recertify:        row(iam, iam),
		raci.ReviewEmergency:  row(secops, secops),
		raci.OwnNHI:           row(iam, platform),
	}}
	first := g.ents[0]
	last := g.ents[len(g.ents)-1].SystemName()
	cfg.Overrides = []raci.Override{
		{Entitlement: first.ID, Matrix: raci.Matrix{raci.Recertify: row(iam, itsm)}},
		{System: last, Matrix: raci.Matrix{raci.ApproveException: {
			Accountable: []string{iam, secops}, Responsible: []string{iam}, Informed: []string{audit}}}},
	}
	return cfg
}

// WriteRACI writes rc to w as a bundle file holding only a "raci" section
// (see docs/raci.md), which bundle.Load reads back as an equal config.
// The global matrix and each override's list activities in matrix order;
// zero policy fields and empty lists are omitted. It fails if w does, or
// if a matrix holds an activity outside the named ones, which the format
// cannot express.
func WriteRACI(w io.Writer, rc raci.Config) error {
	b := []byte("{\n  \"format\": \"" + bundleFormat + "\",\n  \"raci\": {")
	first := true
	member := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, "\n    \""+k+"\": "...)
	}
	if p := rc.Policy; !policyZero(p) {
		member("policy")
		b = appendPolicy(b, p)
	}
	var err error
	if rc.Matrix != nil {
		member("matrix")
		b, err = appendMatrix(b, rc.Matrix, "    ")
		if err != nil {
			return err
		}
	}
	if len(rc.Overrides) > 0 {
		member("overrides")
		b = append(b, '[')
		for i, o := range rc.Overrides {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n      {"...)
			if o.Entitlement != "" {
				b = append(appendString(append(b, `"entitlement":`...), o.Entitlement), ',')
			}
			if o.System != "" {
				b = append(appendString(append(b, `"system":`...), o.System), ',')
			}
			b = append(b, `"matrix":`...)
			if b, err = appendMatrix(b, o.Matrix, ""); err != nil {
				return err
			}
			b = append(b, '}')
		}
		b = append(b, "\n    ]"...)
	}
	b = append(b, "\n  }\n}\n"...)
	_, err = w.Write(b)
	return err
}

func policyZero(p raci.Policy) bool {
	return p.MaxCredentialAge == 0 && p.DormantAfter == 0 && p.RecertifyEvery == 0 &&
		p.PrivilegedRecertifyEvery == 0 && p.RecertificationOwners == nil && p.Certifiers == nil
}

func appendPolicy(b []byte, p raci.Policy) []byte {
	b = append(b, '{')
	n := 0
	key := func(k string) {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, `"`+k+`":`...)
	}
	for _, d := range []struct {
		k string
		v time.Duration
	}{{"max_credential_age", p.MaxCredentialAge}, {"dormant_after", p.DormantAfter},
		{"recertify_every", p.RecertifyEvery}, {"privileged_recertify_every", p.PrivilegedRecertifyEvery}} {
		if d.v > 0 {
			key(d.k)
			b = appendString(b, audit.FormatDuration(d.v))
		}
	}
	for _, fl := range []struct {
		k    string
		list []entitlement.PartyFunction
	}{{"recertification_owners", p.RecertificationOwners}, {"certifiers", p.Certifiers}} {
		if fl.list == nil {
			continue
		}
		key(fl.k)
		b = appendList(b, len(fl.list), func(b []byte, i int) []byte { return appendString(b, fl.list[i].String()) })
	}
	return append(b, '}')
}

// appendMatrix appends m as a JSON object, activities in matrix order,
// each on a line of its own after indent when indent is not empty.
func appendMatrix(b []byte, m raci.Matrix, indent string) ([]byte, error) {
	for a := range m {
		if !a.Valid() {
			return b, fmt.Errorf("raci matrix: %s has no name in the bundle format", a)
		}
	}
	b = append(b, '{')
	n := 0
	for _, a := range raci.Activities() {
		row, ok := m[a]
		if !ok {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		if indent != "" {
			b = append(b, "\n"+indent+"  "...)
		}
		b = append(b, `"`+a.String()+`":{`...)
		k := 0
		for _, l := range []struct {
			name string
			refs []string
		}{{"responsible", row.Responsible}, {"accountable", row.Accountable}, {"consulted", row.Consulted}, {"informed", row.Informed}} {
			if len(l.refs) == 0 {
				continue
			}
			if k > 0 {
				b = append(b, ',')
			}
			k++
			b = append(b, `"`+l.name+`":`...)
			b = appendList(b, len(l.refs), func(b []byte, i int) []byte { return appendString(b, l.refs[i]) })
		}
		b = append(b, '}')
	}
	if indent != "" && n > 0 {
		b = append(b, "\n"+indent...)
	}
	return append(b, '}'), nil
}

// appendList appends a JSON array of n elements, each appended by elem.
func appendList(b []byte, n int, elem func(b []byte, i int) []byte) []byte {
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, i)
	}
	return append(b, ']')
}
