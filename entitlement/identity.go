package entitlement

import "time"

// IdentityKind says what holds access: a person or one of the non-human
// identity kinds.
//
// The zero IdentityKind is unset; validation rejects it, so an identity of
// unknown nature is never silently treated as a person or as a machine.
type IdentityKind uint8

// The identity kinds.
const (
	Human            IdentityKind = iota + 1 // a person
	ServiceAccount                           // an account used by a service or job
	APIKey                                   // a static API key
	Token                                    // a personal access token or similar bearer token
	WorkloadIdentity                         // a workload identity (pod, function, VM)
	AIAgent                                  // an AI agent acting with its own credentials
)

var identityKinds = names[IdentityKind]{"identity kind",
	[]string{"", "human", "service_account", "api_key", "token", "workload_identity", "ai_agent"}}

// String returns the kind's name as written in bundles ("service_account").
func (k IdentityKind) String() string { return identityKinds.String(k) }

// Valid reports whether k is one of the named kinds.
func (k IdentityKind) Valid() bool { return identityKinds.valid(k) }

// NonHuman reports whether k is a non-human identity kind. The unset kind is
// not non-human (and not human either: validation rejects it).
func (k IdentityKind) NonHuman() bool { return k.Valid() && k != Human }

// ParseIdentityKind parses a kind name such as "service_account" (or
// "service-account"), case-insensitively.
func ParseIdentityKind(s string) (IdentityKind, error) { return identityKinds.parse(s) }

// MarshalText encodes k as its name; the unset kind cannot be encoded.
func (k IdentityKind) MarshalText() ([]byte, error) { return identityKinds.marshal(k) }

// UnmarshalText decodes a kind name.
func (k *IdentityKind) UnmarshalText(b []byte) (err error) {
	*k, err = identityKinds.unmarshal(b)
	return err
}

// IdentityStatus is an identity's lifecycle state in the identity source.
//
// The zero IdentityStatus is unset; validation rejects it.
type IdentityStatus uint8

// The identity statuses.
const (
	IdentityActive     IdentityStatus = iota + 1 // may use its access
	IdentityDisabled                             // suspended; access should not be usable
	IdentityOffboarded                           // left the organisation or decommissioned
)

var identityStatuses = names[IdentityStatus]{"identity status",
	[]string{"", "active", "disabled", "offboarded"}}

// String returns the status name ("active", "disabled", "offboarded").
func (s IdentityStatus) String() string { return identityStatuses.String(s) }

// Valid reports whether s is one of the named statuses.
func (s IdentityStatus) Valid() bool { return identityStatuses.valid(s) }

// ParseIdentityStatus parses a status name, case-insensitively.
func ParseIdentityStatus(s string) (IdentityStatus, error) { return identityStatuses.parse(s) }

// MarshalText encodes s as its name; the unset status cannot be encoded.
func (s IdentityStatus) MarshalText() ([]byte, error) { return identityStatuses.marshal(s) }

// UnmarshalText decodes a status name.
func (s *IdentityStatus) UnmarshalText(b []byte) (err error) {
	*s, err = identityStatuses.unmarshal(b)
	return err
}

// Credential describes the secret behind a non-human identity, where known.
// A zero time means "not known".
type Credential struct {
	Created time.Time // when the current secret was issued
	Rotated time.Time // when it was last rotated; zero if never
	Expires time.Time // when it stops working; zero means it never expires
}

// Identity is a person or a non-human identity that holds access, together
// with the grants it holds.
//
// Non-human identities (service accounts, API keys, tokens, workload
// identities, AI agents) name their owners: the people accountable for them.
// Owners are identity IDs; Team is a party ID; Manager is an identity ID.
type Identity struct {
	ID   string // unique among identities; required
	Name string // a name for people
	// Kind says whether a person or which kind of non-human identity
	// holds the access. Required: the zero IdentityKind is unset, and
	// validation rejects it.
	Kind IdentityKind
	// Status is the identity's lifecycle state in the identity source.
	// Required: the zero IdentityStatus is unset, and validation rejects
	// it.
	Status      IdentityStatus
	Team        string // the party (team or org unit) the identity belongs to
	Environment string // for example "prod" or "test"; empty if not known

	Manager string // a person's manager, where the identity source records one

	Owner          string // primary owner of a non-human identity
	SecondaryOwner string // optional second owner of a non-human identity

	Credential Credential // the secret behind a non-human identity; zero times if not known
	LastUsed   time.Time  // last authentication seen; zero if not known

	// Grants lists the access the identity holds or held, with each
	// grant's lifecycle.
	Grants []Grant
}

// Owners returns the identity's owners, primary first, skipping empty ones.
func (id Identity) Owners() []string {
	var out []string
	for _, o := range []string{id.Owner, id.SecondaryOwner} {
		if o != "" {
			out = append(out, o)
		}
	}
	return out
}
