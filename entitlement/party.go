package entitlement

// PartyFunction says which side of access governance a party works on:
// identity governance owns policy, IT operations executes workflows.
//
// The zero PartyFunction is unspecified; checks that need to know a party's
// function treat an unspecified one as not qualified (they fail closed).
type PartyFunction uint8

// The party functions.
const (
	IdentityGovernance PartyFunction = iota + 1 // IAM: defines policy, owns recertification
	ITOperations                                // ITSM: intake, routing, fulfilment
	Business                                    // business owners and managers
	Security                                    // security operations
	Audit                                       // internal audit and compliance
)

var partyFunctions = names[PartyFunction]{"party function",
	[]string{"", "identity_governance", "it_operations", "business", "security", "audit"}}

// String returns the function's name ("identity_governance", …).
func (f PartyFunction) String() string { return partyFunctions.String(f) }

// Valid reports whether f is one of the named functions.
func (f PartyFunction) Valid() bool { return partyFunctions.valid(f) }

// ParsePartyFunction parses a function name, case-insensitively.
func ParsePartyFunction(s string) (PartyFunction, error) { return partyFunctions.parse(s) }

// MarshalText encodes f as its name; the unspecified function cannot be
// encoded.
func (f PartyFunction) MarshalText() ([]byte, error) { return partyFunctions.marshal(f) }

// UnmarshalText decodes a function name.
func (f *PartyFunction) UnmarshalText(b []byte) (err error) {
	*f, err = partyFunctions.unmarshal(b)
	return err
}

// Party is a team, queue or group that can own policy, fulfil requests or
// approve them. A party's members are the identities listed in Members plus
// every identity whose Team is the party.
type Party struct {
	ID   string // unique among parties; required
	Name string // a name for people
	// Function is the side of access governance the party works on. The
	// zero PartyFunction is unspecified, and checks that need a function
	// treat it as not qualified.
	Function PartyFunction
	Members  []string // identity IDs, in addition to identities whose Team is this party
}
