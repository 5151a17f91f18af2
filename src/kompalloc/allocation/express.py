"""Priority rounds in one lean pass: the engine's decisions, made without a claim per application.

The engine's general path builds a claim for every application, so that every method and
every step of a story can work on it. A priority round without earmarks or apportioned shares,
whose story nobody asked for, needs far less: what applications of the same scheme, year,
cluster and institution share (their pools, caps, minimum grant, and often their eligibility)
is worked out once per such kind, and each application then costs a few lookups, a comparison
with the room left in its caps, and one grant. The decisions, words and funding line are the
general path's, made by the same functions (see :mod:`kompalloc.allocation.wording`); the tests
compare both paths on generated rounds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from kompalloc.allocation import wording
from kompalloc.allocation.caps import Cap, Memo, claim_caps, sorted_limits
from kompalloc.allocation.ordering import order
from kompalloc.allocation.results import Grant, RoundResult
from kompalloc.eligibility import breaches, breaches_vary, limits_vary, own_limit
from kompalloc.model import Application, Bundle, Pool
from kompalloc.pooltree import PoolTree

ORE = 100
KindKey = tuple[str, int, str | None, str]
"""(scheme, year, cluster, institution): applications alike in everything the round shares."""

_offer = lru_cache(maxsize=1 << 12)(wording.offer)
"""Offers repeat (the same request in full, the same empty cap): each is worded once."""
_short_of = lru_cache(maxsize=1 << 12)(wording.short_of)
_FIXED = attrgetter("fixed_grant")
_ID = attrgetter("id")
_KIND_KEY: Callable[[Application], KindKey] = attrgetter("scheme", "year", "cluster", "institution")


@lru_cache(maxsize=1 << 12)
def _exhausted(label: str, short: str, kind: str, room: int) -> wording.Decision:
    """What a cap with less than one unit left gives any application: nothing (as
    :func:`wording.offer` decides for an offer of 0, whatever was asked)."""
    return wording.offer(1, 0, kind, short, wording.short_of(label, room), 1, True, 1)


@dataclass(slots=True)
class Kind:
    """What every application of one scheme, year, cluster and institution shares in a round."""

    ids: tuple[str, ...]
    """The pools it draws on, root first."""
    chain: list[Pool]
    caps: tuple[Cap, ...]
    pool_min: int
    rejected: wording.Decision | None
    """The rules it breaks, worded, when they are the same for every application of the kind."""
    rules_vary: bool
    """Whether each application's own fields must be checked against the rules."""
    limits_vary: bool
    """Whether an aid intensity or a rate makes each application's own limit differ."""
    max_grant: int | None
    """The smallest max grant of its pools."""
    lower: int
    """The least grant its pools make (at least 1 øre)."""
    capped: tuple[int, str, str, str] | None = None
    """Its own limit when a max grant binds and nothing else varies (found on first need)."""
    requested: int = 0
    granted: int = 0
    count: int = 0


def applies(root: Pool, method: str, stories: bool) -> bool:
    """Whether a round can take the lean path: priority, no earmarks, no stories asked for."""
    return method == "priority" and not stories and not root.earmarks


def express_round(
    bundle: Bundle,
    tree: PoolTree,
    root: Pool,
    applications: Sequence[Application],
    committed: dict[str, int],
    caps: dict[str, Cap],
    memo: Memo,
    kinds: dict[KindKey, Kind],
) -> tuple[list[Grant], RoundResult]:
    """Allocate one priority round; the grants in order, and the round's facts.

    One pass in order does what the general path does in three (decisions that need no money,
    a council's choices in exclusive groups, then the priority pass): only money moves caps,
    and money is only granted in order, so the outcome is the same.
    """
    unit = root.unit or ORE
    shortfall = root.shortfall or "part_fund"
    ordering = order(applications, root)

    def kind_of(app: Application) -> Kind:
        key = _KIND_KEY(app)
        kind = kinds.get(key)
        if kind is None:
            kind = kinds[key] = _kind(bundle, tree, app, committed, caps, memo)
        return kind

    fixed_groups = _fixed_groups(bundle, ordering.applications, kind_of)
    stopped: str | None = None
    winners: dict[str, str] = {}
    line: tuple[str | None, int | None, str] = (None, None, "")
    offer, exhausted, short_of, new, empty = _offer, _exhausted, _short_of, tuple.__new__, ()
    grants: list[Grant] = []
    add = grants.append
    apps = ordering.applications
    for position, key, app in zip(range(1, len(apps) + 1), map(_KIND_KEY, apps), apps, strict=True):
        kind = kinds.get(key) or kind_of(app)
        asked = app.requested
        kind.requested += asked
        kind.count += 1
        decision = kind.rejected
        if kind.rules_vary:
            broken = breaches(bundle, app, kind.chain)
            decision = wording.rejected(broken) if broken else None
        if decision is not None:
            pass
        elif app.fixed_grant is not None:
            # Reserved before any round (see the engine): charged already, so no cap moves.
            decision = wording.fixed(app.fixed_grant, asked)
            kind.granted += app.fixed_grant
        elif asked == 0:
            decision = wording.NOTHING_REQUESTED
        elif asked < kind.pool_min:
            decision = wording.below_pool_minimum(asked, kind.pool_min)
        elif (group := app.exclusive_group) is not None and group in fixed_groups:
            decision = wording.chosen_by_council(group, fixed_groups[group])
        elif stopped is not None:
            decision = wording.after_funding_line(stopped)
        elif group is not None and group in winners:
            decision = wording.funded_before(group, winners[group])
        else:
            if kind.limits_vary:
                upper = own_limit(bundle, app, kind.chain, memo.sentences)
            elif kind.max_grant is not None and kind.max_grant < asked:
                # The same max grant binds every request above it.
                upper = kind.capped or own_limit(bundle, app, kind.chain, memo.sentences)
                kind.capped = upper
            else:
                upper = (asked, "request", "full request", "the full request fits")
            lower = kind.lower if app.min_grant is None else max(app.min_grant, kind.lower)
            tightest: Cap | None = None
            least = 0
            for cap in kind.caps:
                if tightest is None or cap.room < least:
                    tightest, least = cap, cap.room
            if tightest is None or least >= upper[0]:
                decision = offer(asked, *upper, unit, app.partial, lower)
            elif least < unit and shortfall == "part_fund":
                decision = exhausted(tightest.label, tightest.short, tightest.kind, least)
                if line[0] is None:
                    line = wording.funding_line(app.id, tightest, upper[0], asked, decision[0])
            else:
                why = short_of(tightest.label, least)
                if shortfall == "stop":
                    stopped = app.id
                    decision = wording.stops_here(tightest.short, why)
                elif shortfall == "skip":
                    decision = wording.skipped(tightest.short, why, tightest.kind)
                else:
                    decision = offer(
                        asked,
                        max(least, 0) // unit * unit,
                        tightest.kind,
                        tightest.short,
                        why,
                        unit,
                        app.partial,
                        lower,
                    )
                if line[0] is None:
                    line = wording.funding_line(app.id, tightest, upper[0], asked, decision[0])
            amount = decision[0]
            if amount:
                kind.granted += amount
                for cap in kind.caps:
                    cap.room -= amount
                if group is not None:
                    winners.setdefault(group, app.id)
        # Grant(...) with its fields in order, without the keyword handling of its __new__
        add(new(Grant, (app.id, kind.ids, asked, *decision, position, empty)))
    result = RoundResult(
        root.id,
        "priority",
        tuple(map(_ID, apps)),
        ordering.seed,
        *line,
    )
    return grants, result


def _fixed_groups(
    bundle: Bundle, applications: Sequence[Application], kind_of: Callable[[Application], Kind]
) -> dict[str, str]:
    """The exclusive groups in which the council fixed a grant, each with the first such
    application in order (one that breaks no rule); the others of the group are not funded."""
    out: dict[str, str] = {}
    if set(map(_FIXED, applications)) <= {None}:
        return out
    for app in applications:
        if app.fixed_grant is None or not app.exclusive_group:
            continue
        kind = kind_of(app)
        if kind.rejected is None and not (kind.rules_vary and breaches(bundle, app, kind.chain)):
            out.setdefault(app.exclusive_group, app.id)
    return out


def _kind(
    bundle: Bundle,
    tree: PoolTree,
    app: Application,
    committed: dict[str, int],
    caps: dict[str, Cap],
    memo: Memo,
) -> Kind:
    chain, ids, pool_min = memo.chain(bundle, tree, app)
    if memo.limits is None:
        memo.limits = sorted_limits(bundle)
    institution_type = bundle.institutions[app.institution].type
    mine = claim_caps(bundle, app, chain, institution_type, committed, caps, memo.limits)
    rules_vary = breaches_vary(bundle, app, chain)
    broken = [] if rules_vary else breaches(bundle, app, chain)
    grants = [p.max_grant for p in chain if p.max_grant is not None]
    return Kind(
        ids,
        chain,
        tuple(mine),
        pool_min,
        wording.rejected(broken) if broken else None,
        rules_vary,
        limits_vary(bundle, app, chain),
        min(grants) if grants else None,
        max(pool_min, 1),
    )
