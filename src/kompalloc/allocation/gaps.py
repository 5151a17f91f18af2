"""The exact funding line: how much more money, in which cap, would fund the first application
a round could not fund in full.

The engine names the round's funding line (the first application in order not fully funded
for want of money). This module finds, for that application, the *least* extra money in each
cap it draws on (a pool of its chain, a cross-pool limit) that would give it its own limit in
full (its request, or less where a max grant, rate or aid intensity binds), and, where it
accepts a partial grant but got nothing, the least that would give it its minimum. It does so by
re-deciding the round through :func:`~kompalloc.allocation.engine.allocate` on a bundle with the
cap raised (``dataclasses.replace``), never by subtraction: money an earlier application in
the order absorbs, a share that grows with its pool, a parent that binds as well, all count.

The search starts at a cheap lower bound (what the application needs less the room the cap had
at its turn, read from the grants before it), and doubles up to a bound that is known to fund
it, then bisects in øre: the answer ``d`` funds it and ``d - 1`` øre does not. Where no single
cap suffices (another binds too), the caps that must move together are found by lowering each
in turn from a raise that funds it, keeping the others where they are.

It costs a few allocations of one round (its applications up to the funding line), so only
the commands that show a funding line ask for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from kompalloc import ledger
from kompalloc.allocation.caps import LimitIndex, index_limits, limit_applies, sorted_limits
from kompalloc.allocation.engine import allocate, by_root
from kompalloc.allocation.results import Allocation, Grant
from kompalloc.allocation.wording import kr
from kompalloc.eligibility import own_limit
from kompalloc.model import Application, Bundle, Limit, Pool
from kompalloc.pooltree import PoolTree, build


@dataclass(frozen=True, slots=True)
class Move:
    """Extra money in one cap."""

    key: str
    """``pool:<id>`` or ``limit:<id>``: the cap whose amount moves."""
    label: str
    """How people name it, e.g. 'sub-pool Kongsberg-andel'."""
    extra: int
    """Øre more than its cap has now."""
    room: int | None = None
    """The room it had at the application's turn, where known (pools)."""


@dataclass(frozen=True, slots=True)
class Target:
    """What it takes to give the application one amount: each cap that alone would, or the
    caps that must move together."""

    amount: int
    """The grant sought, in øre: its own limit in full, or its minimum."""
    single: tuple[Move, ...]
    """Every cap that would do it alone, with the least extra money that does."""
    together: tuple[Move, ...]
    """When no cap would alone: the caps to raise together, each by the least that does given
    the others' raises (empty when money in its caps cannot do it, or a single cap can)."""


@dataclass(frozen=True, slots=True)
class FundingGap:
    """A round's funding line, exact."""

    round: str
    application: str
    asked: int
    granted: int
    partial: bool
    """Whether it accepts a partial grant."""
    full: Target
    """What gives it its own limit in full."""
    minimum: Target | None
    """What gives it its minimum (only when it accepts a partial grant and got nothing)."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """What every round's search shares, worked out once per allocation (so that the gaps of
    many rounds cost in proportion to the rounds, not to their square)."""

    tree: PoolTree
    committed: dict[str, int]
    """Each pool's committed money, as the engine charges it."""
    apps: dict[str, list[Application]]
    """The applications of each round, in the bundle's order."""
    grants: dict[str, list[Grant]]
    """The grants of each round."""
    linked: dict[str, str]
    """Each round's group of rounds that cross-pool limits may join, as one round's id: only
    the rounds of its group can change its grants."""
    pools: dict[str, list[str]]
    """The pools of each group of rounds."""
    limits: dict[str, list[str]]
    """The limits of each group of rounds."""
    members: dict[str, list[str]]
    """The rounds of each group, in the order the engine decides them."""
    limit_order: tuple[Limit, ...]
    """The bundle's limits by id, and their index (kept here: the engine's own cache of them
    holds a few bundles, and every search makes new ones)."""
    limit_index: LimitIndex


def prepare(bundle: Bundle, allocation: Allocation) -> Prepared:
    """What the searches of an allocation's rounds share."""
    tree = build(bundle)
    grants: dict[str, list[Grant]] = {}
    for g in allocation.grants:
        if g.pools:
            grants.setdefault(tree.root_of.get(g.pools[0], g.pools[0]), []).append(g)
    linked, limits = _groups(bundle, tree)
    pools: dict[str, list[str]] = {}
    for pid in bundle.pools:
        root = tree.root_of.get(pid)
        if root is not None:
            pools.setdefault(linked.get(root, root), []).append(pid)
    committed = ledger.committed(bundle, tree)
    members: dict[str, list[str]] = {}
    for root in sorted(linked):
        members.setdefault(linked[root], []).append(root)
    apps = by_root(bundle, tree)
    order = sorted_limits(bundle)
    return Prepared(
        tree, committed, apps, grants, linked, pools, limits, members, order, index_limits(order)
    )


def _groups(bundle: Bundle, tree: PoolTree) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The groups of rounds that cross-pool limits join, as one round's id per round, and the
    limits of each group. A limit joins every round it may cover, judged by the pools, schemes
    and year it names alone: more than it covers, never less, so nothing that matters is cut."""
    roots = sorted(set(tree.root_of.values()))
    by_scheme: dict[str, list[str]] = {}
    for r in roots:
        by_scheme.setdefault(bundle.pools[r].scheme or "", []).append(r)
    parent = {r: r for r in roots}

    def find(r: str) -> str:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    covers: dict[str, list[str]] = {}
    for limit in bundle.limits.values():
        if limit.pools is not None:
            covered = [tree.root_of[p] for p in limit.pools if p in tree.root_of]
        else:
            schemes = limit.schemes if limit.schemes is not None else tuple(by_scheme)
            covered = [
                r
                for s in schemes
                for r in by_scheme.get(s, ())
                if limit.year is None or bundle.pools[r].year == limit.year
            ]
        covers[limit.id] = covered
        for r in covered[1:]:
            parent[find(r)] = find(covered[0])
    linked = {r: find(r) for r in roots}
    limits: dict[str, list[str]] = {}
    for limit_id, covered in covers.items():
        if covered:
            limits.setdefault(linked[covered[0]], []).append(limit_id)
    return linked, limits


def funding_gap(
    bundle: Bundle,
    allocation: Allocation,
    round_id: str,
    methods: dict[str, str] | None = None,
    prepared: Prepared | None = None,
) -> FundingGap | None:
    """The exact funding gap of a round whose funding line more money could move (None where
    the round has no funding line, or a cap that money does not lift binds it). ``prepared``
    is what the rounds of the allocation share (:func:`prepare`), made here if not given."""
    info = allocation.rounds.get(round_id)
    if info is None or info.funding_line is None or info.funding_gap is None:
        return None
    app_id = info.funding_line
    app = bundle.applications[app_id]
    grant = allocation.by_application[app_id]
    prepared = prepared or prepare(bundle, allocation)
    chain, _ = prepared.tree.chain(bundle, app)
    if not chain:
        return None
    upper = own_limit(bundle, app, chain)[0]
    if upper <= grant.granted:
        return None  # it has its own limit (0 øre where an aid intensity rounds it down)
    lower = max(app.min_grant or 0, *(p.min_grant or 0 for p in chain), 1)
    work = _reduced(bundle, allocation, prepared, round_id, grant)
    candidates = _candidates(bundle, prepared, app, chain)
    rooms = _rooms(bundle, prepared, round_id, grant)
    guesses = {**_limit_guesses(bundle, prepared, round_id, grant, candidates), **rooms}

    def granted(raises: Mapping[str, int]) -> int:
        return allocate(_raised(work, raises), methods).by_application[app_id].granted

    full = _target(candidates, rooms, guesses, upper, granted)
    minimum = None
    if app.partial and grant.granted == 0 and lower < upper:
        minimum = _target(candidates, rooms, guesses, lower, granted)
    return FundingGap(round_id, app_id, app.requested, grant.granted, app.partial, full, minimum)


def funding_gaps(
    bundle: Bundle, allocation: Allocation, methods: dict[str, str] | None = None
) -> dict[str, FundingGap]:
    """The exact funding gap of every round that has one, by round id."""
    out: dict[str, FundingGap] = {}
    prepared: Prepared | None = None
    for round_id in sorted(allocation.rounds):
        info = allocation.rounds[round_id]
        if info.funding_line is None or info.funding_gap is None:
            continue
        prepared = prepared or prepare(bundle, allocation)
        gap = funding_gap(bundle, allocation, round_id, methods, prepared)
        if gap is not None:
            out[round_id] = gap
    return out


# --- the bundle re-decided ------------------------------------------------------------------


def _reduced(
    bundle: Bundle, allocation: Allocation, prepared: Prepared, round_id: str, grant: Grant
) -> Bundle:
    """The bundle with only what can change the application's grant: its round and the rounds
    cross-pool limits join it to, with their pools and limits (every pool and limit where
    earlier grants are charged, as they name pools of their own); and, where no earmark or
    lottery looks at the whole round, only its round's applications before it in the order (a
    priority pass decides in order) and its fixed grants."""
    info = allocation.rounds[round_id]
    root = bundle.pools[round_id]
    keep_all = bool(root.earmarks) or root.ties == "lottery" or grant.position is None
    before = set(info.order[: grant.position]) if not keep_all else set(info.order)
    group = prepared.linked.get(round_id, round_id)
    rounds = prepared.members.get(group, [round_id])  # itself alone where no limit joins it
    applications: dict[str, Application] = {}
    for r in rounds:
        for app in prepared.apps.get(r, ()):
            if r != round_id or keep_all or app.id in before or app.fixed_grant is not None:
                applications[app.id] = app
    if bundle.grants or bundle.earlier_rounds:
        return replace(bundle, applications=applications)
    pools = {pid: bundle.pools[pid] for pid in prepared.pools.get(group, ())}
    limits = {lid: bundle.limits[lid] for lid in prepared.limits.get(group, ())}
    return replace(bundle, applications=applications, pools=pools, limits=limits)


def _raised(bundle: Bundle, raises: Mapping[str, int]) -> Bundle:
    pools = dict(bundle.pools)
    limits = dict(bundle.limits)
    for key, extra in raises.items():
        kind, _, ident = key.partition(":")
        if kind == "pool":
            pools[ident] = replace(pools[ident], cap=pools[ident].cap + extra)
        else:
            limits[ident] = replace(limits[ident], cap=limits[ident].cap + extra)
    return replace(bundle, pools=pools, limits=limits)


def _candidates(
    bundle: Bundle, prepared: Prepared, app: Application, chain: list[Pool]
) -> list[tuple[str, str]]:
    """The caps whose money could fund it: the pools of its chain, and the limits over it."""
    out = [
        (f"pool:{p.id}", f"{'pool' if depth == 0 else 'sub-pool'} {p.label}")
        for depth, p in enumerate(chain)
    ]
    institution = bundle.institutions.get(app.institution)
    kind = institution.type if institution else None
    limits = prepared.limit_order
    for position in prepared.limit_index.candidates(app, chain, kind):
        limit = limits[position]
        if limit_applies(limit, app, chain, kind):
            out.append((f"limit:{limit.id}", f"limit {limit.name or limit.id}"))
    return out


def _rooms(bundle: Bundle, prepared: Prepared, round_id: str, grant: Grant) -> dict[str, int]:
    """The room each pool of its chain had at its turn: cap, less committed money, less the
    council's fixed grants and every grant decided before it in its round."""
    rooms = {}
    mine = prepared.grants.get(round_id, ())
    for pid in grant.pools:
        used = 0
        for g in mine:
            if pid not in g.pools or g.application == grant.application:
                continue
            if g.limit == "fixed" or (
                g.position is not None
                and grant.position is not None
                and g.position < grant.position
            ):
                used += g.granted
        rooms[f"pool:{pid}"] = bundle.pools[pid].cap - prepared.committed[pid] - used
    return rooms


def _limit_guesses(
    bundle: Bundle,
    prepared: Prepared,
    round_id: str,
    grant: Grant,
    candidates: Sequence[tuple[str, str]],
) -> dict[str, int]:
    """A guess at the room each limit over the application had at its turn: its cap less the
    grants under it decided before it (fixed grants, rounds decided earlier, and its round's
    order before it). Only where the search starts: earlier rounds' charges are left out."""
    limits = [bundle.limits[key[6:]] for key, _ in candidates if key.startswith("limit:")]
    if not limits:
        return {}
    used = dict.fromkeys((lim.id for lim in limits), 0)
    group = prepared.linked.get(round_id, round_id)
    for r in prepared.members.get(group, [round_id]):
        for other in prepared.grants.get(r, ()):
            if not other.granted or other.application == grant.application:
                continue
            if not (
                other.limit == "fixed"
                or r < round_id
                or (
                    r == round_id
                    and other.position is not None
                    and grant.position is not None
                    and other.position < grant.position
                )
            ):
                continue
            app = bundle.applications.get(other.application)
            if app is None:
                continue
            chain = [bundle.pools[pid] for pid in other.pools]
            institution = bundle.institutions.get(app.institution)
            kind = institution.type if institution else None
            for lim in limits:
                if limit_applies(lim, app, chain, kind):
                    used[lim.id] += other.granted
    return {f"limit:{lim.id}": lim.cap - used[lim.id] for lim in limits}


# --- the search -----------------------------------------------------------------------------


def _target(
    candidates: list[tuple[str, str]],
    rooms: Mapping[str, int],
    guesses: Mapping[str, int],
    amount: int,
    granted: Callable[[Mapping[str, int]], int],
) -> Target:
    """What gives the application ``amount``: the least raise of each cap that alone does, or
    the caps to raise together. ``rooms`` are the pools' rooms at its turn (told in words);
    ``guesses`` the rooms of every cap as far as they can be guessed, where the search starts
    (a wrong guess costs steps, never exactness)."""
    ceiling = _ceiling(amount, rooms)

    def funds(raises: Mapping[str, int]) -> bool:
        return granted(raises) >= amount

    single = []
    for key, label in candidates:
        room = rooms.get(key)
        guess = guesses.get(key)
        lower = max(amount - guess, 1) if guess is not None else 1
        extra = least({}, key, lower, ceiling, funds)
        if extra is not None:
            # its room is told only where it fell short (not when a share of it bound)
            single.append(
                Move(key, label, extra, room if room is not None and room < amount else None)
            )
    if single:
        return Target(amount, tuple(single), ())
    everything = {key: ceiling for key, _ in candidates}
    if not funds(everything):
        return Target(amount, (), ())
    together: dict[str, int] = dict(everything)
    # Lower each cap in turn as far as it goes with the others where they are; a lower cap can
    # let another go lower still (less money in a sub-pool leaves more in its parent), so go
    # round again until none moves. Every step keeps it funded, and amounts only fall.
    moved = True
    while moved:
        moved = False
        for key, _ in candidates:
            if key not in together:
                continue
            others = {k: v for k, v in together.items() if k != key}
            if funds(others):
                del together[key]  # the others do it without this one
                moved = True
                continue
            room = guesses.get(key)
            guess = max(amount - room, 1) if room is not None else 1
            found = least(others, key, min(guess, together[key]), together[key], funds)
            assert found is not None  # together[key] funds it with the others
            if found != together[key]:
                together[key], moved = found, True
    labels = dict(candidates)
    moves = tuple(Move(k, labels[k], v, rooms.get(k)) for k, v in together.items())
    return Target(amount, (), moves)


def _ceiling(amount: int, rooms: Mapping[str, int]) -> int:
    """A raise that is more than enough if any is: a generous multiple of what is sought and
    of any overdraft, so that a share of a pool grows by the amount too."""
    deficit = max((-r for r in rooms.values()), default=0)
    return (amount + max(deficit, 0)) * 1_000 + 1


def least(
    others: Mapping[str, int],
    key: str,
    lower: int,
    ceiling: int,
    funds: Callable[[Mapping[str, int]], bool],
) -> int | None:
    """The least raise ``d`` of cap ``key`` (with ``others`` raised as given) that funds it,
    such that ``d - 1`` does not; None if even ``ceiling`` does not. ``lower`` is a guess at
    the answer (a lower bound when it is right): tried first, with one øre less."""

    def at(d: int) -> bool:
        return funds({**others, key: d})

    if not at(ceiling):
        return None
    lower = min(max(lower, 1), ceiling)
    if at(lower):
        if lower == 1 or not at(lower - 1):
            return lower
        hi, lo = lower - 1, 0  # the guess was not a lower bound: bisect below it
    else:
        lo, step, hi = lower, max(lower, 1), ceiling
        while lo + step < ceiling:
            if at(lo + step):
                hi = lo + step
                break
            lo += step
            step *= 2
    # funds at hi, not at lo (lo == 0: no raise, which does not fund it by the funding line)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if at(mid):
            hi = mid
        else:
            lo = mid
    return hi


__all__ = [
    "FundingGap",
    "Move",
    "Prepared",
    "Target",
    "funding_gap",
    "funding_gaps",
    "least",
    "prepare",
]


def _moves(moves: Sequence[Move], joiner: str, rooms: bool) -> str:
    return joiner.join(
        f"{kr(m.extra)} more in {m.label}"
        + (
            f" (it had {kr(max(m.room, 0))} left at its turn)"
            if rooms and m.room is not None
            else ""
        )
        for m in moves
    )


def _target_words(target: Target, what: str, rooms: bool = True) -> str:
    if target.single:
        return f"{_moves(target.single, ', or ', rooms)} would {what}"
    if target.together:
        together = _moves(target.together, " and ", rooms)
        return f"no single cap would {what}: together, {together} would"
    return f"no more money in its pools or limits would {what}"


def gap_note(gap: FundingGap) -> str:
    """The exact funding line in words: the least extra money, in which cap(s), that funds it."""
    app = gap.application
    full = gap.full
    what = (
        f"fund {app} in full"
        if full.amount >= gap.asked
        else (f"give {app} {kr(full.amount)}, its own limit")
    )
    note = _target_words(full, what)
    if gap.minimum is not None:
        minimum = f"give it its minimum of {kr(gap.minimum.amount)}"
        note += "; " + _target_words(gap.minimum, minimum, rooms=False)
    return note
