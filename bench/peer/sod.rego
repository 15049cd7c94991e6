# The sodkit separation-of-duties rules in Rego, written for speed the way
# a careful policy author would: the catalogue side is precomputed into
# data (each role's closure, and an inverted index from each entitlement or
# role to the rule sides it belongs to), so evaluating one identity walks
# only what it holds, not every rule.
package sod

import rego.v1

in_effect(g) if {
	g.from <= input.at
	input.at < g.until
}

is_active(g) if not g.eligible

is_active(g) if {
	g.eligible
	some a in g.activations
	a[0] <= input.at
	input.at < a[1]
}

items_of(g) := {sprintf("e:%s", [g.entitlement])} if g.entitlement

items_of(g) := {i | some i in data.sod.role_items[g.role]} if g.role

# Rule sides touched by anything held (static rules count eligible grants).
static_sides contains rs if {
	some g in input.grants
	in_effect(g)
	some item in items_of(g)
	some rs in data.sod.item_sides[item]
}

# Rule sides touched by active access (dynamic rules count only this).
active_sides contains rs if {
	some g in input.grants
	in_effect(g)
	is_active(g)
	some item in items_of(g)
	some rs in data.sod.item_sides[item]
}

# The sides touched, grouped by rule (each partial rule is evaluated once).
static_by_rule[r] contains s if {
	some rs in static_sides
	r := rs[0]
	s := rs[1]
}

active_by_rule[r] contains s if {
	some rs in active_sides
	r := rs[0]
	s := rs[1]
}

violations contains r if {
	some r, ss in static_by_rule
	not data.sod.dynamic[r]
	count(ss) >= data.sod.need[r]
}

violations contains r if {
	some r, ss in active_by_rule
	data.sod.dynamic[r]
	count(ss) >= data.sod.need[r]
}
