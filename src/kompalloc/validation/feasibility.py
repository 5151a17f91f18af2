"""Setups that cannot hold: money promised twice over, shares whose floors and caps contradict
each other or the pot, weights that split nothing, council decisions that exclude each other.

Each rule here refuses (or, where the money is only left unused, warns about) a setup the
allocation would otherwise carry out silently and report in numbers that do not add up: a
negative "available", a share above its own cap, a floor nobody gets, two members of an
exclusive group both funded.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from kompalloc import ledger
from kompalloc.diagnostics import Code, Diagnostic, error, warning
from kompalloc.model import Bundle, Pool
from kompalloc.money import format_kr
from kompalloc.pooltree import PoolTree, descendants


def _committed(bundle: Bundle, tree: PoolTree, pool_id: str) -> int:
    """The lump sums written as committed on a pool and below it (earlier grants that push a
    pool over its cap are the ledger's KA805)."""
    return sum(bundle.pools[d].committed for d in descendants(tree, pool_id))


def committed_within_ancestors(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """Money committed in a sub-pool is committed in every pool above it too: the pools above
    must be able to hold it (each pool's own committed money against its own cap is KA401)."""
    for pool in sorted(bundle.pools.values(), key=lambda p: p.id):
        if pool.parent is None or not pool.committed or pool.id not in tree.root_of:
            continue
        ancestor = bundle.pools.get(pool.parent)
        seen = {pool.id}
        while ancestor is not None and ancestor.id not in seen:
            seen.add(ancestor.id)
            held = _committed(bundle, tree, ancestor.id)
            if held > ancestor.cap:
                yield error(
                    Code.COMMITTED_OVER_ANCESTOR,
                    f"committed {format_kr(pool.committed)} in sub-pool '{pool.id}' is more than "
                    f"'{ancestor.id}' can hold: its cap is {format_kr(ancestor.cap)}, and "
                    f"{format_kr(held)} is committed in it and below it",
                    pool.at("committed"),
                    f"pools.{pool.id}.committed",
                    hint=f"lower the committed money, or raise the cap of '{ancestor.id}'",
                )
                break
            ancestor = bundle.pools.get(ancestor.parent) if ancestor.parent else None


def apportioned_shares(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """An apportionment splits something, and its floors and caps can all hold at once."""
    for pool in sorted(bundle.pools.values(), key=lambda p: p.id):
        spec = pool.apportion
        if spec is None or pool.parent is not None or (pool.method or "priority") != "apportion":
            continue
        yield from _shares(bundle, tree, pool)


def _shares(bundle: Bundle, tree: PoolTree, pool: Pool) -> Iterator[Diagnostic]:
    spec = pool.apportion
    assert spec is not None
    where = f"pools.{pool.id}.apportion"
    at = pool.at("apportion")
    weights = {g: Fraction(w) for g, w in spec.weights.items()}
    if not weights or not any(weights.values()):
        yield error(
            Code.APPORTION_WITHOUT_WEIGHT,
            f"pool '{pool.id}' apportions by {spec.by.replace('_', ' ')}, but "
            + ("no group has a weight" if not weights else "every weight is 0")
            + ": its money would go to nobody",
            at,
            f"{where}.weights",
            hint="give at least one group a weight above 0",
        )
    for group, floor in sorted(spec.floors.items()):
        cap = spec.caps.get(group)
        if cap is not None and floor > cap:
            yield error(
                Code.APPORTION_FLOOR_OVER_CAP,
                f"the floor of '{group}' ({format_kr(floor)}) is more than its cap "
                f"({format_kr(cap)})",
                at,
                f"{where}.floors.{group}",
                hint="a share cannot be both at least the floor and at most the cap",
            )
    pot = pool.cap - ledger.committed(bundle, tree)[pool.id]  # earlier grants count too
    floors = sum(spec.floors.values())
    if floors > pot:
        yield error(
            Code.APPORTION_FLOORS_OVER_POT,
            f"the floors of pool '{pool.id}' add up to {format_kr(floors)}, more than the "
            f"{format_kr(pot)} it has to apportion",
            at,
            f"{where}.floors",
            hint="lower the floors, or raise the pool's cap",
        )
    weighted = [g for g, w in weights.items() if w]
    if weighted and all(g in spec.caps for g in weighted):
        capped = sum(spec.caps[g] for g in weighted)
        if capped < pot:
            yield warning(
                Code.APPORTION_CAPS_BELOW_POT,
                f"the caps of the shares of pool '{pool.id}' add up to {format_kr(capped)}, "
                f"less than the {format_kr(pot)} it has to apportion: "
                f"{format_kr(pot - capped)} will be left unused",
                at,
                f"{where}.caps",
                hint="raise a cap, or remove one so that a group can take the rest",
            )


def exclusive_council_decisions(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """At most one application of an exclusive group can be funded, so the council cannot fix
    a grant for two of them."""
    first: dict[str, str] = {}
    for app in sorted(bundle.applications.values(), key=lambda a: a.id):
        group = app.exclusive_group
        if group is None or app.fixed_grant is None:
            continue
        if group not in first:
            first[group] = app.id
            continue
        yield error(
            Code.FIXED_GRANTS_IN_EXCLUSIVE_GROUP,
            f"'{app.id}' and '{first[group]}' both have a fixed grant, but they are in "
            f"exclusive group '{group}', of which at most one can be funded",
            app.at("fixed_grant"),
            f"applications.{app.id}.fixed_grant",
            hint="keep the fixed grant of the one the council chose",
        )


def earmarks_within_pool(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """Earmarks reserve part of a pool: together they cannot reserve more than it has."""
    committed = ledger.committed(bundle, tree)  # earlier grants count too
    for pool in sorted(bundle.pools.values(), key=lambda p: p.id):
        if not pool.earmarks or pool.parent is not None:
            continue
        room = pool.cap - committed[pool.id]
        total = sum(pool.earmarks.values())
        if total > room:
            yield warning(
                Code.EARMARKS_OVER_POOL,
                f"the earmarks of pool '{pool.id}' add up to {format_kr(total)}, more than the "
                f"{format_kr(room)} it has: they cannot all be used",
                pool.at("earmarks"),
                f"pools.{pool.id}.earmarks",
                hint="lower the earmarks, or raise the pool's cap",
            )


RULES = (
    committed_within_ancestors,
    apportioned_shares,
    exclusive_council_decisions,
    earmarks_within_pool,
)
"""The feasibility rules, in the order they run."""
