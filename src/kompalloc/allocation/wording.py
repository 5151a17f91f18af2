"""The words of every decision: amount, status, a few words for a table cell, a full sentence,
and what bound it, made in one place for every path through the engine."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from kompalloc.allocation.caps import MONEY_KINDS, Cap
from kompalloc.allocation.results import Status
from kompalloc.eligibility import Breach
from kompalloc.money import format_kr

Decision = tuple[int, Status, str, str, str]
"""(amount, status, reason, detail, limit) as :class:`~kompalloc.allocation.results.Grant` has them."""

kr = lru_cache(maxsize=1 << 14, typed=True)(format_kr)
"""``format_kr``, remembered: the same amounts come back again and again in grant details."""

NOTHING_REQUESTED: Decision = (
    0,
    Status.NOT_FUNDED,
    "nothing requested",
    "Not funded: it requests 0 kr.",
    "request",
)


def rejected(broken: Sequence[Breach]) -> Decision:
    """It breaks the scheme's or the pool's rules."""
    return (
        0,
        Status.REJECTED,
        "; ".join(b.short for b in broken),
        "Rejected: " + "; ".join(b.message for b in broken) + ".",
        "rules",
    )


def below_pool_minimum(requested: int, pool_min: int) -> Decision:
    """It asks less than the smallest grant its pools make."""
    return (
        0,
        Status.NOT_FUNDED,
        "below pool minimum",
        f"Not funded: it asks {kr(requested)}, less than the smallest grant "
        f"the pools make ({kr(pool_min)}).",
        "min_grant",
    )


def fixed(amount: int, requested: int) -> Decision:
    """The council fixed the grant."""
    status = Status.FUNDED if amount >= requested else Status.PARTIAL
    if amount <= 0 < requested:
        status = Status.NOT_FUNDED
    return (
        amount,
        status,
        "council decision",
        f"Fixed by the council at {kr(amount)}, charged to every cap.",
        "fixed",
    )


def chosen_by_council(group: str, chosen: str) -> Decision:
    """The council funded another member of its exclusive group."""
    return (
        0,
        Status.NOT_FUNDED,
        f"group {group}: {chosen} chosen",
        f"Not funded: the council funded {chosen} of exclusive group {group}.",
        "exclusive",
    )


def funded_before(group: str, winner: str) -> Decision:
    """Another member of its exclusive group was funded before it."""
    return (
        0,
        Status.NOT_FUNDED,
        f"group {group}: {winner} funded",
        f"Not funded: {winner} of exclusive group {group} was funded before it.",
        "exclusive",
    )


def after_funding_line(stopped: str) -> Decision:
    """The pool stopped at an earlier application."""
    return (
        0,
        Status.NOT_FUNDED,
        "after the funding line",
        f"Not funded: the pool stops at the first application it cannot fund in full ({stopped}).",
        "stop",
    )


def short_of(label: str, room: int) -> str:
    """Why a cap gives less than asked: '<cap> had <room> left'."""
    return f"{label} had {kr(max(room, 0))} left"


_HAD = " had "
_LEFT = " left"
_NOTHING = f"{_HAD}{kr(0)}{_LEFT}"


def _room_words(why: str) -> str | None:
    """The room a cap had, as :func:`short_of` wrote it into ``why`` (None: no cap's room)."""
    if _HAD not in why or not why.endswith(_LEFT):
        return None
    return why.rpartition(_HAD)[2].removesuffix(_LEFT)


def left(short: str, why: str) -> str:
    """A cap's few words when it gave less than asked: '<cap> exhausted' only when it had
    nothing left, otherwise 'too little in <cap>' (the amounts are in the full sentence: a
    table cell keeps no number it might have to break across lines)."""
    room = _room_words(why)
    if room is None or why.endswith(_NOTHING):
        return short
    return f"too little in {short.removesuffix(' exhausted')}"


def rest_of(short: str, why: str) -> str:
    """A cap's few words when it gave what it had left as a partial grant ('rest of sub-pool')."""
    if _room_words(why) is None:
        return short
    return f"rest of {short.removesuffix(' exhausted')}"


def stops_here(short: str, why: str) -> Decision:
    """A pool whose shortfall policy is 'stop' stops at this application."""
    return (
        0,
        Status.NOT_FUNDED,
        f"{left(short, why)}; funding line",
        f"Not funded: {why}; the pool stops here.",
        "stop",
    )


def skipped(short: str, why: str, kind: str) -> Decision:
    """A pool whose shortfall policy is 'skip' passes over this application."""
    return (
        0,
        Status.NOT_FUNDED,
        f"{left(short, why)}; skipped",
        f"Not funded: {why}; the pool skips to the next application that fits.",
        kind,
    )


def in_full(asked: int) -> Decision:
    """An offer of at least the request: the request in full, whatever bound the offer."""
    return (asked, Status.FUNDED, "full request", f"Funded in full: {kr(asked)}.", "request")


def offer(
    asked: int, amount: int, kind: str, short: str, why: str, unit: int, partial: bool, lower: int
) -> Decision:
    """An offer of ``amount`` decided: in full, partial (if acceptable), or nothing."""
    if amount >= asked:
        return in_full(asked)
    amount = amount // unit * unit  # a partial grant, whatever bound it: whole units
    if amount <= 0:
        return (
            0,
            Status.NOT_FUNDED,
            short if kind != "request" else "nothing left",
            f"Not funded: {why}.",
            kind,
        )
    capped = _room_words(why) is not None  # a cap's room, not the application's own limit
    if not partial:
        return (
            0,
            Status.NOT_FUNDED,
            f"{left(short, why)}; no partial",
            f"Not funded: {why} of {kr(asked)} asked; no partial grant accepted."
            if capped
            else f"Not funded: {kr(amount)} of {kr(asked)} was possible ({why}) and the "
            "application does not accept a partial grant.",
            "partial",
        )
    if amount < lower:
        return (
            0,
            Status.NOT_FUNDED,
            f"{left(short, why)}; below its minimum",
            f"Not funded: {why} of {kr(asked)} asked, below its minimum of {kr(lower)}."
            if capped
            else f"Not funded: {kr(amount)} was possible ({why}), below the minimum of {kr(lower)}.",
            "min_grant",
        )
    return (
        amount,
        Status.PARTIAL,
        rest_of(short, why),
        f"Partial grant of {kr(amount)} of {kr(asked)}: {why}.",
        kind,
    )


def funding_line(
    app: str, binding: Cap, upper: int, requested: int, granted: int
) -> tuple[str, int | None, str]:
    """The round's funding line at ``app``: what it lacked at its turn, and a note.

    What it lacked (its own limit less its grant) is not the money that would fund it: money
    an earlier application absorbs, a share that grows with its pool or a parent that binds as
    well all change that. :mod:`kompalloc.allocation.gaps` finds the exact amount by deciding
    the round again; this note only names the cap."""
    if binding.kind not in MONEY_KINDS:
        return app, None, f"{app} is bound by {binding.label}: more pool money would not fund it"
    missing = min(upper, requested) - granted
    return (
        app,
        missing,
        f"it got {kr(granted)} of {kr(min(upper, requested))}; "
        f"more money in {binding.label} could fund it",
    )


def earmarked(amount: int, group: str) -> Decision:
    """An earmark funds it in full."""
    return (
        amount,
        Status.FUNDED,
        f"earmark {group}",
        f"Funded in full ({kr(amount)}) from the earmark for {group}.",
        "request",
    )


def earmark_short(group: str, room: int) -> str:
    """A story's step: the earmark could not fund it in full."""
    return (
        f"The earmark for {group} had {kr(room)} left: not enough to fund "
        "it in full, so it competes for the rest of the pool."
    )
