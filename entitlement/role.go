package entitlement

// Role is a named bundle of entitlements and of other roles. A role that
// inherits another grants everything the inherited (junior) role grants;
// inheritance must form a directed acyclic graph.
type Role struct {
	ID           string   // unique among roles; required
	Name         string   // a name for people
	Description  string   // what the role is for, for people
	Owner        string   // the party accountable for the role's content
	Entitlements []string // entitlement IDs the role grants directly
	Inherits     []string // IDs of junior roles whose access this role includes
}
