"""What bound each grant, as data: the cap that gave less than asked, the room it had at the
application's turn, and what was asked.

The engine charges every grant to every cap the application falls under, in a fixed order:
the council's fixed grants first, then each round (root pools in id order) in its order. This
module replays those charges from the decisions themselves, so the room each cap had at each
application's turn is known exactly without the engine keeping it. Earmarks and apportioned
shares, which the engine adds per round, are not replayed: their grants say so in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kompalloc.allocation import earlier
from kompalloc.allocation.caps import Cap, Memo, claim_caps, sorted_limits
from kompalloc.allocation.results import Allocation, Grant, Status
from kompalloc.eligibility import own_limit
from kompalloc.model import Bundle
from kompalloc.pooltree import PoolTree, build


@dataclass(frozen=True, slots=True)
class Binding:
    """The cap that gave an application less than it asked."""

    cap: str
    """The cap's key: ``pool:<id>``, ``share:<pool>:<grouping>:<group>``,
    ``institution_cap:<pool>:<institution>`` or ``limit:<id>[:<group>]``."""
    kind: str
    """pool, share, institution_cap or limit."""
    label: str
    """How people name it, e.g. 'sub-pool Kongsberg-andel'."""
    room: int
    """Øre it had left at the application's turn (before its grant)."""
    asked: int
    granted: int


def bindings(bundle: Bundle, allocation: Allocation) -> dict[str, Binding]:
    """The binding cap of every application that got less than it asked for want of room in a
    cap (not for its own limits, its rules, the council or its exclusive group)."""
    tree = build(bundle)
    committed = earlier.committed_money(bundle, tree)  # as the engine charges it
    caps: dict[str, Cap] = {}
    memo = Memo(limits=sorted_limits(bundle))
    assert memo.limits is not None
    by_id = allocation.by_application

    def caps_of(grant: Grant) -> list[Cap]:
        return _caps_of(bundle, tree, memo, committed, caps, grant)

    for grant in allocation.grants:
        if grant.limit == "fixed":
            for cap in caps_of(grant):
                cap.room -= grant.granted
    out: dict[str, Binding] = {}
    for root_id in sorted(allocation.rounds):
        order = allocation.rounds[root_id].order
        early = _earmarked(order, by_id)
        for app_id in early:  # the earmark phase funds these before the pass reaches anyone
            for cap in caps_of(by_id[app_id]):
                cap.room -= by_id[app_id].granted
        for app_id in order:
            found = by_id.get(app_id)
            if found is None or found.limit == "fixed" or app_id in early:
                continue
            grant = found
            mine = caps_of(grant)
            if mine and _short_of_room(grant):
                tightest = min(mine, key=lambda c: c.room)  # the first of the least
                app = bundle.applications[app_id]
                upper = own_limit(bundle, app, memo.chain(bundle, tree, app)[0])[0]
                if tightest.room < upper:
                    out[app_id] = Binding(
                        tightest.key,
                        tightest.kind,
                        tightest.label,
                        tightest.room,
                        grant.requested,
                        grant.granted,
                    )
            for cap in mine:
                cap.room -= grant.granted
    return out


def _earmarked(order: tuple[str, ...], by_id: Mapping[str, Grant]) -> list[str]:
    """The applications of a round funded by its earmark phase, in the round's order."""
    return [
        app_id
        for app_id in order
        if (g := by_id.get(app_id)) is not None and g.reason.startswith("earmark ")
    ]


_ROOM_LIMITS = frozenset(
    ("pool", "share", "institution_cap", "limit", "partial", "min_grant", "stop")
)
"""What a grant's ``limit`` says when a cap's room, not its own limits, may have bound it."""


def _short_of_room(grant: Grant) -> bool:
    """Whether a grant got less than asked where a cap's room may have bound it."""
    return (
        grant.status in (Status.PARTIAL, Status.NOT_FUNDED)
        and grant.limit in _ROOM_LIMITS
        and grant.reason != "after the funding line"
    )


def _caps_of(
    bundle: Bundle,
    tree: PoolTree,
    memo: Memo,
    committed: dict[str, int],
    caps: dict[str, Cap],
    grant: Grant,
) -> list[Cap]:
    """The caps a grant was charged to, made once per kind of application (as the engine's)."""
    app = bundle.applications[grant.application]
    if app.institution not in bundle.institutions:
        return []
    chain, ids, _ = memo.chain(bundle, tree, app)
    if not chain:
        return []
    kind = bundle.institutions[app.institution].type
    key = (ids, app.institution, app.cluster, kind, app.scheme, app.year)
    mine = memo.caps.get(key)
    if mine is None:
        assert memo.limits is not None
        mine = memo.caps[key] = claim_caps(bundle, app, chain, kind, committed, caps, memo.limits)
    return mine
