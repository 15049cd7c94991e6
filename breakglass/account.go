package breakglass

// Account is an emergency ("firefighter") account: an identity of the
// inventory, usually holding privileged break-glass grants, that users check
// out for a session instead of holding the access themselves.
//
// The Owner is accountable for the account and for who may use it; the
// Controllers review every session that used it. The zero Account is
// invalid: it names no identity, no owner and no controller.
type Account struct {
	// ID is the identity ID of the account in the inventory.
	ID string
	// Description says what the account is for, in words; optional.
	Description string
	// Owner is the identity accountable for the account.
	Owner string
	// Controllers names who reviews the account's sessions: identity IDs,
	// or party IDs whose members may review. At least one is required.
	Controllers []string
}
