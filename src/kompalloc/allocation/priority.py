"""The priority pass: every application in order gets what all its caps allow, and the pool's
shortfall policy decides the rest. Used by every priority round (``report``, ``explain`` and
sweeps alike), and by apportioning pools that allocate by priority inside their shares.

A round is prepared once (:mod:`~kompalloc.allocation.lots`), its phases run in front of the
pass (:mod:`~kompalloc.allocation.phases`: apportioned shares, earmarks), and the pass decides
the applications still waiting. An optional :class:`~kompalloc.allocation.story.Tracer` hears
every step (``kompalloc explain``); a sweep can start a pass from a :class:`State` and hand it a
:class:`Watch` that notes where a later pass may resume and says where nobody can get money
any more (see :mod:`~kompalloc.allocation.resume`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from kompalloc.allocation import phases, wording
from kompalloc.allocation.caps import Cap
from kompalloc.allocation.lots import Context, Prepared, Upper, prepare
from kompalloc.allocation.results import Grant, RoundResult
from kompalloc.allocation.story import Stories, Tracer
from kompalloc.model import Application, Method, Pool, Shortfall

Line = tuple[str | None, int | None, str]
"""A round's funding line: (application, gap, note), as RoundResult has them."""

_offer = lru_cache(maxsize=1 << 12)(wording.offer)
"""Offers repeat (the same request in full, the same empty cap): each is worded once."""
_short_of = lru_cache(maxsize=1 << 12)(wording.short_of)
_in_full = lru_cache(maxsize=1 << 12)(wording.in_full)


@lru_cache(maxsize=1 << 12)
def _exhausted(label: str, short: str, kind: str, room: int) -> wording.Decision:
    """What a cap with less than one unit left gives any application: nothing (as
    :func:`wording.offer` decides for an offer of 0, whatever was asked)."""
    return wording.offer(1, 0, kind, short, wording.short_of(label, room), 1, True, 1)


def priority_round(
    context: Context,
    root: Pool,
    method: Method,
    applications: Sequence[Application],
    stories: bool = False,
) -> tuple[list[Grant], RoundResult]:
    """Allocate one round by priority (``method`` priority, or apportion with priority inside
    the shares): the grants in order, and the round's facts."""
    prepared = prepare(context, root, applications)
    tracer = Stories(prepared, method) if stories else None
    shares: dict[str, int] = {}
    if method is Method.APPORTION:
        shares = phases.apportioned(context, prepared, tracer)
    for group, amount in sorted((root.earmarks or {}).items()):
        phases.earmarked(prepared, group, amount, tracer)
    done = run_pass(prepared, tracer)
    apps = prepared.ordering.applications
    decided: list[wording.Decision] = done.decided  # type: ignore[assignment]  # all decided
    new = tuple.__new__
    ids = tuple([app.id for app in apps])
    if tracer is None:
        empty = ()
        grants: list[Grant] = [  # Grant(...) with its fields in order, without keyword handling
            new(Grant, (app_id, lot.ids, app.requested, *decision, position, empty))
            for position, app_id, app, lot, decision in zip(
                range(1, len(apps) + 1), ids, apps, prepared.lots, decided, strict=True
            )
        ]
    else:
        grants = [
            new(Grant, (app.id, lot.ids, app.requested, *d, index + 1, tracer.story(index, d[3])))
            for index, app, lot, d in zip(
                range(len(apps)), apps, prepared.lots, decided, strict=True
            )
        ]
    result = RoundResult(root.id, method, ids, prepared.ordering.seed, *done.line, shares)
    return grants, result


@dataclass(slots=True)
class State:
    """Where a pass stands before the waiting application at ``position``: what a pass with
    the same room up to there decides the same, so it can start here."""

    position: int
    decided: list[wording.Decision | None]
    winners: dict[str, str]
    """The first application funded in each exclusive group."""
    stopped: str | None
    """The application a 'stop' pool stopped at."""
    line: Line


class Watch(Protocol):
    """What a sweep watches in a pass (see :mod:`~kompalloc.allocation.resume`)."""

    watched: frozenset[str]
    """The keys of the caps the sweep raises."""

    def note(self, state: State) -> None:
        """The state before the first application short of money whose tightest cap is
        watched: a pass with more room there may resume here."""

    root_cap: Cap | None
    """The root pool's cap (None: the pass never stops early)."""
    floor: list[int]
    """For each waiting position, the least room in the root pool anyone from there on
    could get money with: below it, the pass stops."""

    def reached(self, position: int) -> bool:
        """Whether nobody from ``position`` on can get money, the root pool's floor aside
        (asked once the line is known)."""


@dataclass(slots=True)
class Pass:
    """What a priority pass decided: every decision up to ``stop`` (the waiting applications
    from there on get nothing: they stay None), the funding line, and where it started."""

    decided: list[wording.Decision | None]
    line: Line
    start: int
    stop: int
    winners: dict[str, str]
    stopped: str | None


def _begin(prepared: Prepared, start: State | None) -> State:
    """The state a pass starts from: the prepared round's (each lot's grants those before the
    pass), or a sweep's (whose lots and caps it has restored)."""
    if start is not None:
        return State(
            start.position, list(start.decided), dict(start.winners), start.stopped, start.line
        )
    for lot in prepared.distinct:
        lot.granted = lot.before
    return State(0, list(prepared.decided), dict(prepared.winners), None, (None, None, ""))


def _short(
    app: Application,
    cap: Cap,
    room: int,
    upper: Upper,
    lower: int,
    unit: int,
    shortfall: Shortfall,
) -> wording.Decision:
    """The decision on an application for which ``cap`` has less room than its own limit."""
    if room < unit and shortfall is Shortfall.PART_FUND:
        return _exhausted(cap.label, cap.short, cap.kind, room)
    why = _short_of(cap.label, room)
    if shortfall is Shortfall.STOP:
        return wording.stops_here(cap.short, why)
    if shortfall is Shortfall.SKIP:
        return wording.skipped(cap.short, why, cap.kind)
    amount = max(room, 0) // unit * unit
    return _offer(app.requested, amount, cap.kind, cap.short, why, unit, app.partial, lower)


# The hot loop of every priority round keeps its branches inline: each helper called per
# application cost about a tenth of the pass's time when measured.
def run_pass(
    prepared: Prepared,
    tracer: Tracer | None = None,
    start: State | None = None,
    watch: Watch | None = None,
) -> Pass:
    """The priority pass over the waiting applications, against the room left in their caps
    (which it charges), from the start or from ``start`` (whose rooms the caps must have).

    Each lot's ``granted`` ends as what it had before the pass plus what the pass grants.
    ``watch``: a sweep's (see :class:`Watch`); once the funding line is known and it says
    nobody after can get money, the pass stops there.
    """
    root = prepared.root
    unit, shortfall = root.grant_unit, root.shortfall_policy
    waiting = prepared.waiting
    state = _begin(prepared, start)
    decided, winners, stopped, line = state.decided, state.winners, state.stopped, state.line
    stop = len(waiting)
    noted = False
    root_cap, floor = (watch.root_cap, watch.floor) if watch is not None else (None, [])
    offer, exhausted, in_full = _offer, _exhausted, _in_full
    part_fund, stops = shortfall is Shortfall.PART_FUND, shortfall is Shortfall.STOP
    for position in range(state.position, len(waiting)):
        index, app, lot, upper, lower = waiting[position]
        if (  # a sweep's floors, the cheap test inline (a call per application would cost)
            root_cap is not None
            and line[0] is not None
            and (root_cap.room < floor[position] or watch.reached(position))  # type: ignore[union-attr]
        ):
            stop = position
            break
        if stopped is not None:
            decided[index] = wording.after_funding_line(stopped)
            continue
        group = app.exclusive_group
        if group is not None and group in winners:
            decided[index] = wording.funded_before(group, winners[group])
            continue
        caps = lot.caps
        tightest = caps[0]  # the first of the least room (a lot has its root pool's cap)
        least = tightest.room
        for cap in caps:
            if cap.room < least:
                tightest, least = cap, cap.room
        if tracer is not None:
            tracer.turn(index, caps, upper)
        if least >= upper[0]:
            asked = app.requested
            decision = (  # the common case: the request in full (one argument to look up)
                in_full(asked)
                if upper[0] >= asked
                else offer(asked, *upper, unit, app.partial, lower)
            )
        else:
            if watch is not None and not noted and tightest.key in watch.watched:
                noted = True  # a sweep's resume point: before the first short in a watched cap
                watch.note(State(position, list(decided), dict(winners), stopped, line))
            decision = (  # less than a unit left: the common case once the money has run out
                exhausted(tightest.label, tightest.short, tightest.kind, least)
                if least < unit and part_fund
                else _short(app, tightest, least, upper, lower, unit, shortfall)
            )
            stopped = app.id if stops else None
            if line[0] is None:
                line = wording.funding_line(app.id, tightest, upper[0], app.requested, decision[0])
        decided[index] = decision
        amount = decision[0]
        if amount:
            lot.granted += amount
            for cap in caps:
                cap.room -= amount
            if group is not None:
                winners.setdefault(group, app.id)
    return Pass(decided, line, state.position, stop, winners, stopped)
