"""The order a round takes its applications in: rank or score, an explicit tie-break, then the pool's tie policy.

Ties are never hidden: after rank (or score) and ``tie_break``, applications still equal are
ordered by the pool's ``ties`` policy: ``order`` (earlier submission, then smaller id),
``refuse`` (validation reports them as an error), or ``lottery`` (a seeded draw, recorded).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from operator import attrgetter
from typing import Any

from kompalloc.model import Application, OrderBy, Pool, TiePolicy


def priority_key(app: Application) -> tuple[bool, int, date, str]:
    """Council order by rank: ranked before unranked, rank, then earlier submission, then id."""
    return (app.rank is None, app.rank or 0, app.submitted, app.id)


def _primary(app: Application, by_score: bool) -> tuple[bool, Decimal | int, bool, int]:
    if by_score:
        head: tuple[bool, Decimal | int] = (app.score is None, -(app.score or 0))
    else:
        head = (app.rank is None, app.rank or 0)
    return (*head, app.tie_break is None, app.tie_break or 0)


@dataclass(frozen=True, slots=True)
class Ordering:
    """Applications in order, the groups that were tied after rank/score and tie_break, the seed."""

    applications: tuple[Application, ...]
    ties: tuple[tuple[str, ...], ...]
    """Empty when :func:`order` was asked without them."""
    seed: int | None


def default_seed(ids: Iterable[str]) -> int:
    """A seed derived from the applications themselves, used when a lottery pool names none."""
    digest = hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()
    return int(digest[:12], 16)


def draw_key(seed: int, app_id: str) -> str:
    """The lottery: tied applications are ordered by SHA-256 of 'seed:id' (documented, portable)."""
    return hashlib.sha256(f"{seed}:{app_id}".encode()).hexdigest()


_ID = attrgetter("id")
_SUBMITTED = attrgetter("submitted")


def order(applications: Sequence[Application], pool: Pool, *, ties: bool = True) -> Ordering:
    """The applications of one round in the order its pool says (``ties=False``: without
    the groups tied, which only validation reports; a lottery still draws among them).

    The order is that of the key (primary, submitted, id). When the rank says it all, one sort
    of (rank, submitted, id, place) does it; otherwise stable sorts do, the first two on plain
    attributes: sorting by id, then by submission, then by the primary key gives the same
    order as sorting once by the whole key.
    """
    by_score = pool.order_by is OrderBy.SCORE
    unordered = True  # the unranked (or unscored) are never tied: see below
    if (
        not by_score
        and None not in [a.rank for a in applications]
        and {a.tie_break for a in applications} <= {None}
    ):
        unordered = False  # every application ranked, none with a tie-break: the rank says it all
        # The keys built by attribute access, not attrgetter: in Python 3.11 a slot read in
        # bytecode costs half of what attrgetter's generic lookup does.
        decorated = sorted([(a.rank, a.submitted, a.id, i) for i, a in enumerate(applications)])
        apps = [applications[d[3]] for d in decorated]
        keys: list[Any] = [d[0] for d in decorated]
    else:
        primary = partial(_primary, by_score=by_score)
        apps = sorted(applications, key=_ID)
        apps.sort(key=_SUBMITTED)
        apps.sort(key=primary)
        keys = list(map(primary, apps))
    runs = _runs(keys)
    seed = None
    if pool.tie_policy is TiePolicy.LOTTERY:
        seed = pool.seed if pool.seed is not None else default_seed(a.id for a in applications)
    tied: list[tuple[str, ...]] = []
    if ties or seed is not None:
        for low, high in runs:
            # no rank (or no score): these follow their submission order anyway
            if unordered and keys[low][0]:  # _primary's tuple, led by 'no rank' (or 'no score')
                continue
            members = apps[low:high]
            if ties:
                tied.append(tuple(map(_ID, members)))
            if seed is not None:
                apps[low:high] = sorted(members, key=lambda a: draw_key(seed, a.id))
    return Ordering(tuple(apps), tuple(tied), seed)


def _runs(keys: list[Any]) -> list[tuple[int, int]]:
    """Where equal keys of a sorted list run longer than one, in order: (start, end)."""
    if len(set(keys)) == len(keys):
        return []
    runs: list[tuple[int, int]] = []
    low, n = 0, len(keys)
    while low < n:
        high = bisect_right(keys, keys[low], low)
        if high - low > 1:
            runs.append((low, high))
        low = high
    return runs
