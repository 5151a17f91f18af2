"""Sweeps: one round decided at many caps of one of its pools, prepared once.

Where no cap a higher pool cap raises binds, a higher cap decides as a lower one did: each pass
resumes (:class:`Resume`) where the last one first fell short in a watched cap, and stops once
nobody after can get money (:class:`Floors`). :func:`round_at_caps` is what ``kompalloc sweep``
runs per step; the tests compare it with a fresh allocation at each cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kompalloc.allocation import engine, wording
from kompalloc.allocation.caps import Cap, Memo
from kompalloc.allocation.lots import Context, Lot, Prepared, prepare, recap
from kompalloc.allocation.priority import State, run_pass
from kompalloc.allocation.results import RoundResult, Status
from kompalloc.model import Bundle, Method, Shortfall
from kompalloc.pooltree import build

Tally = tuple[int, int, int, int]
"""Granted, and how many applications get money, in full, in part."""


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


@dataclass(slots=True)
class Resume:
    """A pass's state before the first application whose decision more room in some caps
    could change, with what a later pass needs to start there."""

    state: State
    rooms: dict[str, int]
    """The room each cap (by key) had left at this point."""
    granted: list[int]
    """Each distinct lot's grants before this point (those before the pass included)."""
    tally: Tally
    """The tally of the waiting applications' decisions before this point."""


@dataclass(slots=True)
class Floors:
    """How little room is too little: where a pass can stop, since nobody after gets money."""

    by_position: list[int]
    """For each waiting application, the least room with which it or any after it could get
    money: its own limit in full, or, where a partial grant is possible, its minimum rounded up
    to whole units."""
    lots: list[tuple[Lot, int, int]]
    """Each lot with the least room any of its applications could get money with, and the
    position of its last waiting application."""


def floors(prepared: Prepared) -> Floors:
    """The floors of a prepared round (see :class:`Sweep`)."""
    unit = prepared.root.grant_unit
    partial_grants = prepared.root.shortfall_policy is Shortfall.PART_FUND
    by_position = [0] * len(prepared.waiting)
    lots: dict[int, tuple[Lot, int, int]] = {}
    least: int | None = None
    for position in range(len(prepared.waiting) - 1, -1, -1):
        _, app, lot, upper, lower = prepared.waiting[position]
        need = upper[0]
        if partial_grants and app.partial:
            need = min(need, -(-lower // unit) * unit)
        least = need if least is None else min(least, need)
        by_position[position] = least
        known = lots.get(id(lot))
        lots[id(lot)] = (
            (lot, need, position) if known is None else (lot, min(need, known[1]), known[2])
        )
    return Floors(by_position, list(lots.values()))


class Sweep:
    """What a sweep watches in one pass (a :class:`~kompalloc.allocation.priority.Watch`).

    It notes where the pass can resume: before the first application short of money for which
    a watched cap (one the sweep raises) is the tightest. It says the pass can stop once the funding line is known and
    the root pool has less room than any application after could get money with, or every lot
    still waiting has less room in one of its caps than any of its applications could get money
    with (checked now and then).
    """

    __slots__ = (
        "_alive",
        "_check",
        "_floors",
        "before",
        "floor",
        "prepared",
        "resume",
        "root_cap",
        "start",
        "watched",
    )

    def __init__(
        self,
        prepared: Prepared,
        watched: frozenset[str],
        floors: Floors,
        start: Resume | None,
    ) -> None:
        self.prepared, self.watched, self._floors = prepared, watched, floors
        self.start = start.state.position if start is not None else 0
        self.before: Tally = start.tally if start is not None else (0, 0, 0, 0)
        self.resume: Resume | None = None
        self.root_cap: Cap | None = prepared.distinct[0].caps[0] if prepared.distinct else None
        self.floor = floors.by_position
        self._check = self.start
        self._alive = floors.lots

    def take(self, state: State) -> Resume:
        """The resume point at ``state``."""
        distinct, waiting = self.prepared.distinct, self.prepared.waiting
        rooms = {cap.key: cap.room for lot in distinct for cap in lot.caps}
        waited = (state.decided[w[0]] for w in waiting[self.start : state.position])
        granted = [lot.granted for lot in distinct]
        return Resume(state, rooms, granted, _add(self.before, tally(waited)))

    def note(self, state: State) -> None:
        self.resume = self.take(state)

    def reached(self, position: int) -> bool:
        if position >= self._check:
            self._check = position + 256
            self._alive = [
                (lot, need, last)
                for lot, need, last in self._alive
                if last >= position and min(c.room for c in lot.caps) >= need
            ]
            if not self._alive:
                return True
        return False


@dataclass(frozen=True, slots=True)
class RoundAtCap:
    """One round decided at one cap of one of its pools: what a sweep step needs."""

    cap: int
    granted: int
    """Granted in the round."""
    remaining: int
    """Left in the pool whose cap changed."""
    funded: int
    """Applications of the round that get money (in full or in part)."""
    full: int
    partial: int
    result: RoundResult
    decided: tuple[wording.Decision | None, ...] = ()
    """Each application's decision, in the round's order (None: after the pass stopped, so
    not funded)."""


def _sweep_pass(
    prepared: Prepared,
    start: Resume | None,
    watched: frozenset[str],
    floors: Floors,
    order_ids: tuple[str, ...],
) -> tuple[Resume, Tally, RoundResult, tuple[wording.Decision | None, ...]]:
    """One pass of a sweep, from ``start``: where the next may resume, the tally of the
    waiting applications' decisions, the round's facts, and every decision in order
    (``order_ids``: the round's order, made once per sweep)."""
    sweep = Sweep(prepared, watched, floors, start)
    done = run_pass(prepared, None, start.state if start is not None else None, sweep)
    if sweep.resume is None:
        end = State(done.stop, list(done.decided), dict(done.winners), done.stopped, done.line)
        sweep.resume = sweep.take(end)
    resume = sweep.resume
    waited = (done.decided[w[0]] for w in prepared.waiting[resume.state.position : done.stop])
    root = prepared.root
    result = RoundResult(root.id, Method.PRIORITY, order_ids, prepared.ordering.seed, *done.line)
    return resume, _add(resume.tally, tally(waited)), result, tuple(done.decided)


def round_at_caps(
    bundle: Bundle, pool_id: str, caps: Sequence[int], methods: dict[str, str] | None = None
) -> list[RoundAtCap] | None:
    """The round of ``pool_id`` decided at each of ``caps``, as :func:`engine.allocate` decides
    it with the pool's cap replaced, but with the round ordered and prepared once: only the
    priority pass runs per cap. None when the round is not a plain priority round (earmarks or
    apportioned shares), or when cross-pool limits make rounds depend on each other (then
    allocate per cap)."""
    tree = build(bundle)
    root = bundle.pools[tree.root_of.get(pool_id, pool_id)]
    if bundle.limits or engine.method_of(root, methods) is not Method.PRIORITY or root.earmarks:
        return None
    committed = engine.committed_money(bundle, tree)
    apps = engine.by_root(bundle, tree).get(root.id, [])
    shared_caps: dict[str, Cap] = {}
    memo = Memo()
    engine.reserve_fixed_grants(bundle, tree, apps, committed, shared_caps, memo)
    prepared = prepare(Context(bundle, tree, committed, shared_caps, memo), root, apps)
    pool = bundle.pools[pool_id]
    fixed = [a for a in apps if a.fixed_grant is not None]
    static = tally(prepared.decided)  # the decisions that need no money

    def rooms_at(cap: int) -> dict[str, int]:
        """The round's lots given caps for the pool's cap changed, with the room they have
        before the pass (fixed grants charged)."""
        changed = replace(bundle, pools={**bundle.pools, pool_id: replace(pool, cap=cap)})
        fresh: dict[str, Cap] = {}
        # The tree holds pool records: one of the changed bundle, for the changed cap.
        engine.reserve_fixed_grants(changed, build(changed), fixed, committed, fresh, Memo())
        recap(prepared, changed, committed, fresh)
        return {c.key: c.room for lot in prepared.distinct for c in lot.caps}

    # The caps a higher pool cap raises (the pool's own, its shares): where none of them binds,
    # a higher cap decides as a lower one did, so each pass resumes where the last one could.
    low, high = rooms_at(min(caps, default=0)), rooms_at(max(caps, default=0))
    watched = frozenset(k for k in low if low[k] != high.get(k))
    at_floors = floors(prepared)
    order_ids = tuple(a.id for a in prepared.ordering.applications)
    under = [pool_id in lot.ids for lot in prepared.distinct]
    out = []
    last: tuple[int, dict[str, int], Resume] | None = None
    for cap in caps:
        initial = rooms_at(cap)
        start = None
        if last is not None and last[0] <= cap and initial.keys() == last[1].keys():
            start = last[2]
            for lot, granted in zip(prepared.distinct, start.granted, strict=True):
                lot.granted = granted
            for lot in prepared.distinct:
                for c in lot.caps:
                    c.room = initial[c.key] - last[1][c.key] + start.rooms[c.key]
        resume, waited, result, decided = _sweep_pass(
            prepared, start, watched, at_floors, order_ids
        )
        last = (cap, initial, resume)
        granted, funded, full, partial = _add(static, waited)
        below = sum(lot.granted for lot, mine in zip(prepared.distinct, under, strict=True) if mine)
        out.append(
            RoundAtCap(
                cap,
                granted,
                cap - committed[pool_id] - below,
                funded,
                full,
                partial,
                result,
                decided,
            )
        )
    return out
