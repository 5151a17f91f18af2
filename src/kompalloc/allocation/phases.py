"""The phases in front of a priority pass: apportioned shares, then earmarks.

An apportioning pool first splits its room into shares by weight; each share becomes one more
cap of the applications of its group (the filling methods give it to their claims). Earmarked
money then funds target-group applications in full, in order, and what is left is released to
the pass.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from kompalloc.allocation import wording
from kompalloc.allocation.apportion import apportion
from kompalloc.allocation.caps import Cap, group_of, shared
from kompalloc.allocation.results import Status

if TYPE_CHECKING:
    from kompalloc.allocation.lots import Context, Prepared, Waiting
    from kompalloc.allocation.story import Tracer
    from kompalloc.model import Bundle, Pool


def shares(root: Pool, caps: dict[str, Cap]) -> dict[str, int]:
    """The root pool's room split into shares by weight, in whole units, by group id."""
    spec = root.apportion
    assert spec is not None
    unit = root.grant_unit
    room = caps[f"pool:{root.id}"].room
    weights = {g: Fraction(w) for g, w in spec.weights.items()}
    units = apportion(
        room // unit,
        weights,
        spec.rule,
        {g: -(-v // unit) for g, v in spec.floors.items()},
        {g: v // unit for g, v in spec.caps.items()},
    )
    return {g: units[g] * unit for g in sorted(units)}  # in id order, whatever the hash seed


def share_cap(bundle: Bundle, root: Pool, group: str, amount: int, caps: dict[str, Cap]) -> Cap:
    """The cap of a group's share (shared, made once)."""
    name = bundle.clusters[group].name if group in bundle.clusters else group
    label = f"the share of {name} in {root.label}"
    key = f"apportion:{root.id}:{group}"
    return shared(caps, Cap(key, "apportion", "share exhausted", label, amount))


def no_share(root: Pool, group: str | None) -> wording.Decision:
    """Its group has no weight in the apportioning pool."""
    spec = root.apportion
    assert spec is not None
    return (
        0,
        Status.NOT_FUNDED,
        "no share",
        f"Not funded: pool {root.label} is apportioned by {spec.by.replace('_', ' ')}, "
        f"and {group or 'its missing ' + spec.by} has no weight.",
        "apportion",
    )


def share_line(root: Pool, group: str, amount: int) -> str:
    """A story's step: the share its group has."""
    spec = root.apportion
    assert spec is not None
    return (
        f"Pool {root.label} is apportioned by {spec.by.replace('_', ' ')} "
        f"({spec.rule.replace('_', '-')}): the share of {group} is {wording.kr(amount)}."
    )


def apportioned(context: Context, prepared: Prepared, tracer: Tracer | None) -> dict[str, int]:
    """Give each lot waiting for money the cap of its group's share, or decide that its group
    has none; the shares by group."""
    root = prepared.root
    spec = root.apportion
    assert spec is not None
    bundle = context.bundle
    amounts = shares(root, context.caps)
    given: dict[int, tuple[str | None, Cap | None]] = {}
    waiting: list[Waiting] = []
    for entry in prepared.waiting:
        index, app, lot = entry[0], entry[1], entry[2]
        found = given.get(id(lot))
        if found is None:
            kind = bundle.institutions[app.institution].type
            group = group_of(spec.by, app, kind)
            cap = None
            if group is not None and group in amounts:
                cap = share_cap(bundle, root, group, amounts[group], context.caps)
                lot.caps = (*lot.caps, cap)
            found = given[id(lot)] = (group, cap)
        group, cap = found
        if cap is None or group is None:
            prepared.decided[index] = no_share(root, group)
            continue
        if tracer is not None:
            tracer.note(index, share_line(root, group, amounts[group]))
        waiting.append(entry)
    prepared.waiting = waiting
    return amounts


def earmarked(prepared: Prepared, group: str, amount: int, tracer: Tracer | None) -> None:
    """Reserved money funds target-group applications in full, in order; the rest is released.

    An application funded so is decided before the pass, and its exclusive group is won."""
    room = amount
    winners = prepared.winners
    waiting: list[Waiting] = []
    for entry in prepared.waiting:
        index, app, lot, upper = entry[0], entry[1], entry[2], entry[3]
        exclusive = app.exclusive_group
        if group not in app.target_groups or (exclusive is not None and exclusive in winners):
            waiting.append(entry)  # its group already has money: the pass excludes it
            continue
        least = min((cap.room for cap in lot.caps), default=upper[0])
        if min(least, room) >= upper[0] == app.requested:
            prepared.decided[index] = wording.earmarked(upper[0], group)
            for cap in lot.caps:
                cap.room -= upper[0]
            lot.before += upper[0]
            room -= upper[0]
            if exclusive is not None:
                winners.setdefault(exclusive, app.id)
            continue
        if tracer is not None:
            tracer.note(index, wording.earmark_short(group, room))
        waiting.append(entry)
    prepared.waiting = waiting
