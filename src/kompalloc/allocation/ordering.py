"""The order a round takes its applications in: rank or score, an explicit tie-break, then the pool's tie policy.

Ties are never hidden: after rank (or score) and ``tie_break``, applications still equal are
ordered by the pool's ``ties`` policy: ``order`` (earlier submission, then smaller id),
``refuse`` (validation reports them as an error), or ``lottery`` (a seeded draw, recorded).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from itertools import groupby
from operator import attrgetter

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
_RANK = attrgetter("rank")
_TIE_BREAK = attrgetter("tie_break")


def order(applications: Sequence[Application], pool: Pool) -> Ordering:
    """The applications of one round in the order its pool says.

    The order is that of the key (primary, submitted, id), made by three stable sorts, the
    first two on plain attributes (fast in C): sorting by id, then by submission, then by the
    primary key gives the same order as sorting once by the whole key.
    """
    by_score = pool.order_by is OrderBy.SCORE
    apps = sorted(applications, key=_ID)
    apps.sort(key=_SUBMITTED)
    primary: Callable[[Application], object]
    if not by_score and None not in map(_RANK, apps) and set(map(_TIE_BREAK, apps)) <= {None}:
        primary = _RANK  # every application ranked, none with a tie-break: the rank says it all
        unordered = False
    else:
        primary = partial(_primary, by_score=by_score)
        unordered = True  # looked up per group below
    apps.sort(key=primary)
    seed = None
    if pool.tie_policy is TiePolicy.LOTTERY:
        seed = pool.seed if pool.seed is not None else default_seed(a.id for a in applications)
    out: list[Application] = []
    ties: list[tuple[str, ...]] = []
    for _, group in groupby(apps, key=primary):
        members = list(group)
        if len(members) > 1:
            # no rank (or no score): these follow their submission order anyway
            if unordered and _primary(members[0], by_score)[0]:
                out.extend(members)
                continue
            ties.append(tuple(a.id for a in members))
            if seed is not None:
                members.sort(key=lambda a: draw_key(seed, a.id))
        out.extend(members)
    return Ordering(tuple(out), tuple(ties), seed)
