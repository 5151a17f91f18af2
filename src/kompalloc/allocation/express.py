"""Priority rounds in one lean pass: the engine's decisions, made without a claim per application.

The engine's general path builds a claim for every application, so that every method and
every step of a story can work on it. A priority round without earmarks or apportioned shares,
whose story nobody asked for, needs far less: what applications of the same scheme, year,
cluster and institution share (their pools, caps, minimum grant, and often their eligibility)
is worked out once per such kind, and each application then costs a few lookups, a comparison
with the room left in its caps, and one grant. The decisions, words and funding line are the
general path's, made by the same functions (see :mod:`kompalloc.allocation.wording`); the tests
compare both paths on generated rounds.

A prepared round can be decided again and again with other room in its caps: a sweep
(``engine.round_at_caps``) resumes each pass where a higher cap could first change a decision
(:class:`Resume`) and stops it once nobody after can get money (:class:`Floors`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from kompalloc.allocation import wording
from kompalloc.allocation.caps import Cap, Memo, claim_caps, sorted_limits
from kompalloc.allocation.ordering import Ordering, order
from kompalloc.allocation.results import Grant, RoundResult, Status
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
    example: Application
    """The first application of the kind (its caps are made from it)."""
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
    fixed: int = 0
    """The council's fixed grants in the round."""
    granted: int = 0
    count: int = 0


@dataclass(slots=True)
class Context:
    """What every round of one allocation shares: the data, its pool tree, each pool's
    committed money, the shared caps, what applications alike share, and the kinds made."""

    bundle: Bundle
    tree: PoolTree
    committed: dict[str, int]
    caps: dict[str, Cap]
    memo: Memo
    kinds: dict[KindKey, Kind] = field(default_factory=dict)


def applies(root: Pool, method: str, stories: bool) -> bool:
    """Whether a round can take the lean path: priority, no earmarks, no stories asked for."""
    return method == "priority" and not stories and not root.earmarks


Upper = tuple[int, str, str, str]
"""An application's own limit: (amount, kind, a few words, a sentence), as own_limit gives it."""
Waiting = tuple[int, Application, Kind, Upper, int]
"""An application the priority pass decides: (index in order, it, its kind, upper, lower)."""


@dataclass(slots=True)
class Prepared:
    """A round worked out up to its money: the order, each application's kind, the decisions
    that need no money, and what the priority pass needs of the rest. Nothing here depends on
    the room left in any cap, so a sweep decides the same prepared round at many caps."""

    root: Pool
    ordering: Ordering
    kinds: list[Kind]
    """Each application's kind, in order."""
    decided: list[wording.Decision | None]
    """The decisions that need no money (rules, council, zero requests), None for the rest."""
    waiting: list[Waiting]
    fixed_groups: dict[str, str]
    distinct: list[Kind]
    """Each kind of the round once, the root's pool cap first among every kind's caps."""


def express_round(
    context: Context, root: Pool, applications: Sequence[Application]
) -> tuple[list[Grant], RoundResult]:
    """Allocate one priority round; the grants in order, and the round's facts."""
    prepared = prepare(context, root, applications)
    decided, line = decide(prepared)
    new, empty = tuple.__new__, ()
    apps = prepared.ordering.applications
    grants: list[Grant] = [  # Grant(...) with its fields in order, without keyword handling
        new(Grant, (app.id, kind.ids, app.requested, *decision, position, empty))
        for position, app, kind, decision in zip(
            range(1, len(apps) + 1), apps, prepared.kinds, decided, strict=True
        )
    ]
    result = RoundResult(root.id, "priority", tuple(map(_ID, apps)), prepared.ordering.seed, *line)
    return grants, result


def prepare(context: Context, root: Pool, applications: Sequence[Application]) -> Prepared:
    """Order the round and decide what needs no money; the rest waits for :func:`decide`."""
    bundle, memo, kinds = context.bundle, context.memo, context.kinds
    ordering = order(applications, root)

    def kind_of(app: Application) -> Kind:
        key = _KIND_KEY(app)
        kind = kinds.get(key)
        if kind is None:
            kind = kinds[key] = _kind(context, app)
        return kind

    fixed_groups = _fixed_groups(bundle, ordering.applications, kind_of)
    in_order: list[Kind] = []
    decided: list[wording.Decision | None] = []
    waiting: list[Waiting] = []
    apps = ordering.applications
    for index, key, app in zip(range(len(apps)), map(_KIND_KEY, apps), apps, strict=True):
        kind = kinds.get(key) or kind_of(app)
        in_order.append(kind)
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
            kind.fixed += app.fixed_grant
        elif asked == 0:
            decision = wording.NOTHING_REQUESTED
        elif asked < kind.pool_min:
            decision = wording.below_pool_minimum(asked, kind.pool_min)
        elif (group := app.exclusive_group) is not None and group in fixed_groups:
            decision = wording.chosen_by_council(group, fixed_groups[group])
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
            waiting.append((index, app, kind, upper, lower))
        decided.append(decision)
    distinct = list({id(k): k for k in in_order}.values())
    return Prepared(root, ordering, in_order, decided, waiting, fixed_groups, distinct)


Tally = tuple[int, int, int, int]
"""Granted, and how many applications get money, in full, in part."""
Line = tuple[str | None, int | None, str]
"""A round's funding line: (application, gap, note), as RoundResult has them."""


@dataclass(slots=True)
class Resume:
    """The state of a priority pass before the first application whose decision more room in
    some caps could change: a pass with more room there decides the same up to this point, so
    it can start here (a sweep's next, higher cap)."""

    position: int
    """Where in the waiting applications to start."""
    decided: list[wording.Decision | None]
    rooms: dict[str, int]
    """The room each cap (by key) had left at this point."""
    granted: list[int]
    """Each distinct kind's grants before this point (fixed grants included)."""
    winners: dict[str, str]
    stopped: str | None
    line: Line
    tally: Tally
    """The tally of the waiting applications' decisions before this point."""


@dataclass(slots=True)
class Pass:
    """What a priority pass decided: every decision up to ``stop`` (the waiting applications
    after it get nothing), the funding line, and where a pass with more room may resume."""

    decided: list[wording.Decision | None]
    line: Line
    start: int
    stop: int
    resume: Resume | None
    tally: Tally
    """The tally of the waiting applications' decisions (kept only when a sweep watches)."""


def decide(prepared: Prepared) -> tuple[list[wording.Decision], Line]:
    """The priority pass over the waiting applications, against the room left in their caps
    (which it charges): every decision in order, and the funding line (application, gap, note).

    Each kind's ``granted`` is set to its fixed grants plus what this pass grants.
    """
    done = run_pass(prepared)
    return done.decided, done.line  # type: ignore[return-value]  # all decided by now


def run_pass(
    prepared: Prepared,
    resume: Resume | None = None,
    watched: frozenset[str] | None = None,
    floors: Floors | None = None,
) -> Pass:
    """The priority pass, from the start or from ``resume`` (whose rooms the caps must have).

    ``watched``: the keys of caps a sweep raises; the pass notes where it can resume, that is
    before the first application short of money for which a watched cap is the tightest.
    ``floors``: how little room is too little (see :class:`Floors`). Once the funding line is
    known and the root pool has less room than any application after could get money with, or
    every kind still waiting has less room in one of its caps than any of its applications
    could get money with (checked now and then), nobody after gets money: the pass stops.
    """
    root = prepared.root
    unit = root.unit or ORE
    shortfall = root.shortfall or "part_fund"
    waiting = prepared.waiting
    if resume is None:
        for kind in prepared.distinct:
            kind.granted = kind.fixed
        decided = list(prepared.decided)
        winners: dict[str, str] = {}
        stopped: str | None = None
        line: Line = (None, None, "")
        start = 0
    else:
        for kind, granted in zip(prepared.distinct, resume.granted, strict=True):
            kind.granted = granted
        decided = list(resume.decided)
        winners = dict(resume.winners)
        stopped, line, start = resume.stopped, resume.line, resume.position
    before = resume.tally if resume is not None else (0, 0, 0, 0)
    note: Resume | None = None
    root_cap = prepared.distinct[0].caps[0] if floors is not None and prepared.distinct else None
    by_position = floors.by_position if floors is not None else []
    alive = floors.kinds if floors is not None else []
    check = start
    stop = len(waiting)
    offer, exhausted, short_of = _offer, _exhausted, _short_of
    for position in range(start, len(waiting)):
        index, app, kind, upper, lower = waiting[position]
        if root_cap is not None and line[0] is not None:
            if root_cap.room < by_position[position]:
                stop = position
                break
            if position >= check:
                check = position + 256
                alive = [
                    (k, need, last)
                    for k, need, last in alive
                    if last >= position and min(c.room for c in k.caps) >= need
                ]
                if not alive:
                    stop = position
                    break
        group = app.exclusive_group
        if stopped is not None:
            decided[index] = wording.after_funding_line(stopped)
            continue
        if group is not None and group in winners:
            decided[index] = wording.funded_before(group, winners[group])
            continue
        asked = app.requested
        tightest: Cap | None = None
        least = 0
        for cap in kind.caps:
            if tightest is None or cap.room < least:
                tightest, least = cap, cap.room
        if tightest is None or least >= upper[0]:
            decision = offer(asked, *upper, unit, app.partial, lower)
        else:
            if watched is not None and note is None and tightest.key in watched:
                note = _resume(prepared, position, decided, winners, stopped, line, start, before)
            if least < unit and shortfall == "part_fund":
                decision = exhausted(tightest.label, tightest.short, tightest.kind, least)
                if line[0] is None:
                    line = wording.funding_line(app.id, tightest, upper[0], asked, 0)
            else:
                why = short_of(tightest.label, least)
                if shortfall == "stop":
                    stopped = app.id
                    decision = wording.stops_here(tightest.short, why)
                elif shortfall == "skip":
                    decision = wording.skipped(tightest.short, why, tightest.kind)
                else:
                    amount = max(least, 0) // unit * unit
                    decision = offer(
                        asked, amount, tightest.kind, tightest.short, why, unit, app.partial, lower
                    )
                if line[0] is None:
                    line = wording.funding_line(app.id, tightest, upper[0], asked, decision[0])
        decided[index] = decision
        amount = decision[0]
        if amount:
            kind.granted += amount
            for cap in kind.caps:
                cap.room -= amount
            if group is not None:
                winners.setdefault(group, app.id)
    if watched is None:
        return Pass(decided, line, start, stop, None, before)
    if note is None:
        note = _resume(prepared, stop, decided, winners, stopped, line, start, before)
    after = _add(note.tally, tally(decided[w[0]] for w in waiting[note.position : stop]))
    return Pass(decided, line, start, stop, note, after)


def _resume(
    prepared: Prepared,
    position: int,
    decided: list[wording.Decision | None],
    winners: dict[str, str],
    stopped: str | None,
    line: Line,
    start: int,
    before: Tally,
) -> Resume:
    rooms = {cap.key: cap.room for kind in prepared.distinct for cap in kind.caps}
    waited = (decided[w[0]] for w in prepared.waiting[start:position])
    return Resume(
        position,
        list(decided),
        rooms,
        [k.granted for k in prepared.distinct],
        dict(winners),
        stopped,
        line,
        _add(before, tally(waited)),
    )


def tally(decisions: Iterable[wording.Decision | None]) -> Tally:
    """Granted, and how many get money, in full and in part (None: undecided, left out)."""
    granted = funded = full = partial = 0
    for decision in decisions:
        if decision is None:
            continue
        amount, status = decision[0], decision[1]
        if amount:
            granted += amount
            funded += 1
        if status is Status.FUNDED:
            full += 1
        elif status is Status.PARTIAL:
            partial += 1
    return granted, funded, full, partial


def _add(a: Tally, b: Tally) -> Tally:
    return a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]


def recap(
    prepared: Prepared, bundle: Bundle, committed: dict[str, int], caps: dict[str, Cap]
) -> None:
    """Give the round's kinds fresh caps from ``bundle`` (e.g. with one pool's cap changed),
    made in ``caps``; the kinds' pools and everything else prepared stay as they are."""
    limits = sorted_limits(bundle)
    for kind in prepared.distinct:
        chain = [bundle.pools[pid] for pid in kind.ids]
        institution_type = bundle.institutions[kind.example.institution].type
        kind.caps = tuple(
            claim_caps(bundle, kind.example, chain, institution_type, committed, caps, limits)
        )


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


def _kind(context: Context, app: Application) -> Kind:
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
    return Kind(
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


@dataclass(slots=True)
class Floors:
    """How little room is too little: where a pass can stop, since nobody after gets money."""

    by_position: list[int]
    """For each waiting application, the least room with which it or any after it could get
    money: its own limit in full, or, where a partial grant is possible, its minimum rounded up
    to whole units."""
    kinds: list[tuple[Kind, int, int]]
    """Each kind with the least room any of its applications could get money with, and the
    position of its last waiting application."""


def floors(prepared: Prepared) -> Floors:
    """The floors of a prepared round (see :func:`run_pass`)."""
    unit = prepared.root.unit or ORE
    partial_grants = (prepared.root.shortfall or "part_fund") == "part_fund"
    by_position = [0] * len(prepared.waiting)
    kinds: dict[int, tuple[Kind, int, int]] = {}
    least: int | None = None
    for position in range(len(prepared.waiting) - 1, -1, -1):
        _, app, kind, upper, lower = prepared.waiting[position]
        need = upper[0]
        if partial_grants and app.partial:
            need = min(need, -(-lower // unit) * unit)
        least = need if least is None else min(least, need)
        by_position[position] = least
        known = kinds.get(id(kind))
        kinds[id(kind)] = (
            (kind, need, position) if known is None else (kind, min(need, known[1]), known[2])
        )
    return Floors(by_position, list(kinds.values()))
