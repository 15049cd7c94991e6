package audit

import "slices"

// KindTable is a check package's table of the finding kinds it reports:
// the one place where each kind's title, default severity, controls,
// remediation and help are written, and from which every finding of the
// package is built (Get(kind).New(…)).
type KindTable []KindInfo

// All returns every kind of the table, sorted by kind, each with its
// controls sorted (see Control.Compare). The result is the caller's: it
// shares no memory with the table.
func (t KindTable) All() []KindInfo {
	out := slices.Clone([]KindInfo(t))
	for i := range out {
		out[i].Controls = slices.Clone(out[i].Controls)
		slices.SortFunc(out[i].Controls, Control.Compare)
	}
	slices.SortFunc(out, KindInfo.Compare)
	return out
}

// Get returns the table's entry for k. A kind missing from the table (a
// bug a package's tests catch; see internal/kindtest) gets the zero
// defaults: severity Critical and no controls, so it fails loud rather
// than low.
func (t KindTable) Get(k Kind) KindInfo {
	if i := slices.IndexFunc(t, func(info KindInfo) bool { return info.Kind == k }); i >= 0 {
		return t[i]
	}
	return KindInfo{Kind: k}
}
