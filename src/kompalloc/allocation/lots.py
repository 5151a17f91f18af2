"""Lots: what applications alike share in a priority round, and a round prepared up to its money.

Applications of the same scheme, year, cluster and institution share their pools, caps,
minimum grant, and often their eligibility: a :class:`Lot` works that out once, and each
application then costs a few lookups. :func:`prepare` orders a round and decides everything
that needs no money (rules, the council's fixed grants, zero requests, exclusive groups the
council decided); the phases (:mod:`~kompalloc.allocation.phases`) and the priority pass
(:mod:`~kompalloc.allocation.priority`) decide the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from kompalloc.allocation import wording
from kompalloc.allocation.caps import Cap, Memo, claim_caps, sorted_limits
from kompalloc.allocation.ordering import Ordering, order
from kompalloc.eligibility import breaches, breaches_vary, limits_vary, own_limit
from kompalloc.model import Application, Bundle, Pool
from kompalloc.pooltree import PoolTree

LotKey = tuple[str, int, str | None, str]
"""(scheme, year, cluster, institution): applications alike in everything the round shares."""

_LOT_KEY: Callable[[Application], LotKey] = attrgetter("scheme", "year", "cluster", "institution")


@dataclass(slots=True)
class Lot:
    """What every application of one scheme, year, cluster and institution shares in a round."""

    ids: tuple[str, ...]
    """The pools it draws on, root first."""
    example: Application
    """The first application of the lot (its caps are made from it)."""
    chain: list[Pool]
    caps: tuple[Cap, ...]
    pool_min: int
    rejected: wording.Decision | None
    """The rules it breaks, worded, when they are the same for every application of the lot."""
    rules_vary: bool
    """Whether each application's own fields must be checked against the rules."""
    limits_vary: bool
    """Whether an aid intensity or a rate makes each application's own limit differ."""
    max_grant: int | None
    """The smallest max grant of its pools."""
    lower: int
    """The least grant its pools make (at least 1 øre)."""
    capped: Upper | None = None
    """Its own limit when a max grant binds and nothing else varies (found on first need)."""
    requested: int = 0
    before: int = 0
    """Granted before the priority pass: the council's fixed grants, and earmarks."""
    granted: int = 0
    count: int = 0


@dataclass(slots=True)
class Context:
    """What every round of one allocation shares: the data, its pool tree, each pool's
    committed money, the shared caps, what applications alike share, and the lots made."""

    bundle: Bundle
    tree: PoolTree
    committed: dict[str, int]
    caps: dict[str, Cap]
    memo: Memo
    lots: dict[LotKey, Lot] = field(default_factory=dict)


Upper = tuple[int, str, str, str]
"""An application's own limit: (amount, kind, a few words, a sentence), as own_limit gives it."""
Waiting = tuple[int, Application, Lot, Upper, int]
"""An application that needs money: (index in order, it, its lot, upper, lower)."""


@dataclass(slots=True)
class Prepared:
    """A round worked out up to its money: the order, each application's lot, the decisions
    that need no money, and what the priority pass needs of the rest. Nothing here depends on
    the room left in any cap, so a sweep decides the same prepared round at many caps."""

    root: Pool
    ordering: Ordering
    lots: list[Lot]
    """Each application's lot, in order."""
    decided: list[wording.Decision | None]
    """The decisions made so far (rules, council, zero requests; then the phases'), None for
    the rest."""
    waiting: list[Waiting]
    """The applications still to be decided, in order."""
    distinct: list[Lot]
    """Each lot of the round once, the root's pool cap first among every lot's caps."""
    winners: dict[str, str] = field(default_factory=dict)
    """The first application funded in each exclusive group before the pass (by an earmark)."""


def prepare(context: Context, root: Pool, applications: Sequence[Application]) -> Prepared:
    """Order the round and decide what needs no money; the rest waits for the pass."""
    bundle, memo, lots = context.bundle, context.memo, context.lots
    ordering = order(applications, root, ties=False)

    def lot_of(app: Application) -> Lot:
        key = _LOT_KEY(app)
        lot = lots.get(key)
        if lot is None:
            lot = lots[key] = _lot(context, app)
        return lot

    apps = ordering.applications
    # Without fixed grants, only a lot whose rules are checked per application, or a request
    # below the lot's least grant (nothing, or under the pool's minimum), is decided here.
    plain = {app.fixed_grant for app in apps} <= {None}
    fixed_groups = {} if plain else _fixed_groups(bundle, apps, lot_of)
    in_order: list[Lot] = []
    decided: list[wording.Decision | None] = [None] * len(apps)
    waiting: list[Waiting] = []
    fits: dict[int, Upper] = {}
    get, add = lots.get, in_order.append
    for index, app in enumerate(apps):
        # The lot's key by attribute access, as _LOT_KEY gives it (half the cost in bytecode)
        lot = get((app.scheme, app.year, app.cluster, app.institution)) or lot_of(app)
        add(lot)
        asked = app.requested
        lot.requested += asked
        lot.count += 1
        if not plain or lot.rejected is not None or lot.rules_vary or asked < lot.lower:
            decision = _without_money(bundle, app, lot, fixed_groups)
            if decision is not None:
                decided[index] = decision
                continue
        if lot.limits_vary:
            upper = own_limit(bundle, app, lot.chain, memo.sentences)
        elif lot.max_grant is not None and lot.max_grant < asked:
            # The same max grant binds every request above it.
            upper = lot.capped or own_limit(bundle, app, lot.chain, memo.sentences)
            lot.capped = upper
        else:
            upper = fits.get(asked) or fits.setdefault(
                asked, (asked, "request", "full request", "the full request fits")
            )
        lower = lot.lower if app.min_grant is None else max(app.min_grant, lot.lower)
        waiting.append((index, app, lot, upper, lower))
    distinct = list({id(lot): lot for lot in in_order}.values())
    return Prepared(root, ordering, in_order, decided, waiting, distinct)


def _without_money(
    bundle: Bundle, app: Application, lot: Lot, fixed_groups: dict[str, str]
) -> wording.Decision | None:
    """The decision that needs no money, if there is one (a fixed grant counts to the lot)."""
    decision = lot.rejected
    if lot.rules_vary:
        broken = breaches(bundle, app, lot.chain)
        decision = wording.rejected(broken) if broken else None
    if decision is not None:
        return decision
    asked = app.requested
    if app.fixed_grant is not None:
        # Reserved before any round (see the engine): charged already, so no cap moves.
        lot.before += app.fixed_grant
        return wording.fixed(app.fixed_grant, asked)
    if asked == 0:
        return wording.NOTHING_REQUESTED
    if asked < lot.pool_min:
        return wording.below_pool_minimum(asked, lot.pool_min)
    if (group := app.exclusive_group) is not None and group in fixed_groups:
        return wording.chosen_by_council(group, fixed_groups[group])
    return None


def recap(
    prepared: Prepared, bundle: Bundle, committed: dict[str, int], caps: dict[str, Cap]
) -> None:
    """Give the round's lots fresh caps from ``bundle`` (e.g. with one pool's cap changed),
    made in ``caps``; the lots' pools and everything else prepared stay as they are."""
    limits = sorted_limits(bundle)
    for lot in prepared.distinct:
        chain = [bundle.pools[pid] for pid in lot.ids]
        institution_type = bundle.institutions[lot.example.institution].type
        lot.caps = tuple(
            claim_caps(bundle, lot.example, chain, institution_type, committed, caps, limits)
        )


def _fixed_groups(
    bundle: Bundle, applications: Sequence[Application], lot_of: Callable[[Application], Lot]
) -> dict[str, str]:
    """The exclusive groups in which the council fixed a grant, each with the first such
    application in order (one that breaks no rule); the others of the group are not funded."""
    out: dict[str, str] = {}
    if {app.fixed_grant for app in applications} <= {None}:
        return out
    for app in applications:
        if app.fixed_grant is None or not app.exclusive_group:
            continue
        lot = lot_of(app)
        if lot.rejected is None and not (lot.rules_vary and breaches(bundle, app, lot.chain)):
            out.setdefault(app.exclusive_group, app.id)
    return out


def _lot(context: Context, app: Application) -> Lot:
    bundle, memo = context.bundle, context.memo
    chain, ids, pool_min = memo.chain(bundle, context.tree, app)
    if memo.limits is None:
        memo.limits = sorted_limits(bundle)
    institution_type = bundle.institutions[app.institution].type
    mine = claim_caps(
        bundle, app, chain, institution_type, context.committed, context.caps, memo.limits
    )
    rules_vary = breaches_vary(bundle, app, chain)
    broken = [] if rules_vary else breaches(bundle, app, chain)
    grants = [p.max_grant for p in chain if p.max_grant is not None]
    return Lot(
        ids,
        app,
        chain,
        tuple(mine),
        pool_min,
        wording.rejected(broken) if broken else None,
        rules_vary,
        limits_vary(bundle, app, chain),
        min(grants) if grants else None,
        max(pool_min, 1),
    )
