package bundle

import (
	"github.com/sodkit/sodkit/entitlement"
)

// This file maps the records of the bundle format (docs/format.md) onto the
// entitlement package's types. Member names are snake_case; every member
// not listed here is an error.

func (d *decoder) party(p *entitlement.Party) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&p.ID)
				d.rec.id = p.ID
				return err
			case "name":
				return d.str(&p.Name)
			case "function":
				return d.enum(&p.Function)
			case "members":
				return d.refs(&p.Members)
			}
			return d.unknownHere(key)
		})
	})
}

// unknownHere reports an unknown member whose name is already on the path,
// suggesting the nearest member the caller's switch accepts.
func (d *decoder) unknownHere(key string) error {
	d.bad(errUnknown(key, membersHere(0)))
	return d.fatal(d.r.Skip())
}

func (d *decoder) entitlement(e *entitlement.Entitlement) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&e.ID)
				d.rec.id = e.ID
				return err
			case "system":
				return d.ref(&e.System)
			case "name":
				return d.str(&e.Name)
			case "description":
				return d.str(&e.Description)
			case "risk":
				return d.enum(&e.Risk)
			case "privileged":
				return d.boolean(&e.Privileged)
			case "environment":
				return d.ref(&e.Environment)
			case "policy_owner":
				return d.ref(&e.PolicyOwner)
			case "fulfiller":
				return d.ref(&e.Fulfiller)
			case "approval_path":
				return d.refs(&e.ApprovalPath)
			case "standard":
				return d.boolean(&e.Standard)
			case "max_duration":
				return d.duration(&e.MaxDuration)
			case "recertify_every":
				return d.duration(&e.RecertifyEvery)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) role(r *entitlement.Role) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&r.ID)
				d.rec.id = r.ID
				return err
			case "name":
				return d.str(&r.Name)
			case "description":
				return d.str(&r.Description)
			case "owner":
				return d.ref(&r.Owner)
			case "entitlements":
				return d.refs(&r.Entitlements)
			case "inherits":
				return d.refs(&r.Inherits)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) identity(id *entitlement.Identity) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				err := d.ref(&id.ID)
				d.rec.id = id.ID
				return err
			case "name":
				return d.str(&id.Name)
			case "kind":
				return d.enum(&id.Kind)
			case "status":
				return d.enum(&id.Status)
			case "team":
				return d.ref(&id.Team)
			case "environment":
				return d.ref(&id.Environment)
			case "manager":
				return d.ref(&id.Manager)
			case "owner":
				return d.ref(&id.Owner)
			case "secondary_owner":
				return d.ref(&id.SecondaryOwner)
			case "credential":
				return d.credential(&id.Credential)
			case "last_used":
				return d.timestamp(&id.LastUsed)
			case "grants":
				if d.skipGrants {
					// The second pass decodes them strictly: the first
					// only needs to get past them.
					return d.fatal(d.r.SkipStructure())
				}
				return d.grants(&id.Grants)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) credential(c *entitlement.Credential) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "created":
				return d.timestamp(&c.Created)
			case "rotated":
				return d.timestamp(&c.Rotated)
			case "expires":
				return d.timestamp(&c.Expires)
			}
			return d.unknownHere(key)
		})
	})
}

// grants reads an identity's grants, each its own record nested in the
// identity.
//
// The grants are decoded in place into a slab the decoder carves the
// identities' grants from: one allocation serves many identities, no
// grant is copied (grants are most of a bundle, and copying them with
// their pointers was a tenth of loading), and each identity's slice is
// capped at its length, so appending to it never writes into the next
// identity's grants. That suits a load, which keeps every identity. Stream
// hands identities on one at a time, and whoever keeps one should keep
// its grants only, not a slab of others': there the slab is a buffer the
// grants are copied out of, into a slice of exactly their number.
func (d *decoder) grants(dst *[]entitlement.Grant) error {
	start := len(d.slab)
	err := d.array(func(i int) error {
		rec := d.begin("grant", i)
		if len(d.slab) == cap(d.slab) {
			d.growSlab(start)
			start = 0
		}
		d.slab = append(d.slab, entitlement.Grant{})
		err := d.grant(&d.slab[len(d.slab)-1])
		d.end(rec)
		return err
	})
	got := d.slab[start:len(d.slab):len(d.slab)]
	switch {
	case d.identitiesOnly || len(*dst) > 0: // Stream, or a repeated "grants" member (reported already)
		*dst = append(*dst, got...)
		if d.identitiesOnly {
			clear(got) // drop references into the grants just copied
			d.slab = d.slab[:start]
		}
	case len(got) > 0:
		*dst = got
	}
	return err
}

// Slab sizes, in grants: the first slab of a decoder is small, so a small
// bundle (or a fuzzer's input) allocates little, and each next one twice
// the last, up to maxSlab (1.5 MiB).
const (
	minSlab = 16
	maxSlab = 4096
)

// growSlab starts a new slab, moving to it the grants from start on (the
// identity being read), which the old slab keeps no longer.
func (d *decoder) growSlab(start int) {
	moving := d.slab[start:]
	size := max(min(maxSlab, 2*cap(d.slab)), minSlab, 2*len(moving))
	slab := make([]entitlement.Grant, len(moving), size)
	copy(slab, moving)
	clear(moving)
	d.slab = slab
}

func (d *decoder) grant(g *entitlement.Grant) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "id":
				// Not interned: grant IDs are unique and rarely
				// referred to, and there are many of them.
				err := d.str(&g.ID)
				d.rec.id = g.ID
				return err
			case "entitlement":
				return d.ref(&g.Entitlement)
			case "role":
				return d.ref(&g.Role)
			case "state":
				return d.enum(&g.State)
			case "eligible":
				return d.boolean(&g.Eligible)
			case "activations":
				return listBuf(d, &d.activeBuf, &g.Activations, d.activation)
			case "source":
				return d.enum(&g.Source)
			case "requested":
				return d.event(&g.Requested)
			case "approvals":
				return listBuf(d, &d.approvals, &g.Approvals, d.approval)
			case "provisioned":
				return d.event(&g.Provisioned)
			case "revoked":
				return d.event(&g.Revoked)
			case "certified":
				return d.event(&g.Certified)
			case "scope":
				return d.ref(&g.Scope)
			case "ticket":
				return d.str(&g.Ticket)
			case "reason":
				return d.repeated(&g.Reason)
			case "policy_basis":
				return d.ref(&g.PolicyBasis)
			case "start":
				return d.timestamp(&g.Start)
			case "expires":
				return d.timestamp(&g.Expires)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) event(e *entitlement.Event) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "by":
				return d.ref(&e.By)
			case "at":
				return d.timestamp(&e.At)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) approval(a *entitlement.Approval) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "by":
				return d.ref(&a.By)
			case "at":
				return d.timestamp(&a.At)
			case "stage":
				return d.ref(&a.Stage)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) activation(a *entitlement.Activation) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "start":
				return d.timestamp(&a.Start)
			case "end":
				return d.timestamp(&a.End)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) observation(o *entitlement.Observation) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "identity":
				return d.ref(&o.Identity)
			case "entitlement":
				return d.ref(&o.Entitlement)
			case "seen_at":
				return d.timestamp(&o.SeenAt)
			}
			return d.unknownHere(key)
		})
	})
}

func (d *decoder) usage(u *entitlement.Usage) error {
	return d.object(func(key string) error {
		return d.field(key, func() error {
			switch key {
			case "identity":
				return d.ref(&u.Identity)
			case "at":
				return d.timestamp(&u.At)
			case "application":
				return d.ref(&u.Application)
			case "environment":
				return d.ref(&u.Environment)
			case "actor":
				return d.ref(&u.Actor)
			}
			return d.unknownHere(key)
		})
	})
}
