"""Allocation by priority: applications in council order, each granted what every cap above it allows.

Pure: takes a validated Bundle, returns an Allocation; reads no files and prints nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kompalloc.eligibility import breaches, rate_cap
from kompalloc.model import Application, Bundle
from kompalloc.money import format_kr
from kompalloc.pooltree import PoolTree, build, descendants


class Status(StrEnum):
    """What an application got."""

    FUNDED = "funded"
    PARTIAL = "partial"
    NOT_FUNDED = "not funded"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Grant:
    """The decision on one application and why."""

    application: str
    pools: tuple[str, ...]
    """The pools it drew on, root first."""
    requested: int
    granted: int
    status: Status
    reason: str
    """Why the grant is what it is, in a few words (for a table cell)."""
    detail: str
    """The same in a full sentence, naming pools and amounts."""
    limit: str | None
    """What bound the grant: 'request', 'pool', 'max_grant', 'institution_cap', 'rate', 'min_grant', 'partial',
    'rules'."""


@dataclass(frozen=True, slots=True)
class PoolResult:
    """A pool's money after allocation; cap = committed + granted + remaining, to the øre."""

    pool: str
    cap: int
    committed: int
    """Committed earlier, this pool and its sub-pools."""
    granted: int
    """Granted in this allocation, this pool and its sub-pools."""
    requested: int
    """Asked by the applications that drew on this pool."""
    applications: int

    @property
    def available(self) -> int:
        """What was left before this allocation."""
        return self.cap - self.committed

    @property
    def remaining(self) -> int:
        """What is left after this allocation."""
        return self.cap - self.committed - self.granted


@dataclass(frozen=True, slots=True)
class Allocation:
    """Every decision, in the order they were made, and every pool's money."""

    grants: tuple[Grant, ...]
    pools: Mapping[str, PoolResult]

    @property
    def by_application(self) -> dict[str, Grant]:
        """The decisions by application id."""
        return {g.application: g for g in self.grants}


def priority_key(app: Application) -> tuple[bool, int, date, str]:
    """Council order: ranked before unranked, rank, then earlier submission, then id."""
    return (app.rank is None, app.rank or 0, app.submitted, app.id)


def allocate(bundle: Bundle) -> Allocation:
    """Allocate every pool of a validated bundle by priority."""
    tree = build(bundle)
    committed = {
        pid: sum(bundle.pools[d].committed for d in descendants(tree, pid)) for pid in bundle.pools
    }
    granted: dict[str, int] = defaultdict(int)
    requested: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    by_institution: dict[tuple[str, str], int] = defaultdict(int)
    ordered = sorted(
        bundle.applications.values(),
        key=lambda a: (_root_id(tree, a), *priority_key(a)),
    )
    grants = []
    for app in ordered:
        grant = _decide(bundle, tree, app, committed, granted, by_institution)
        for pid in grant.pools:
            requested[pid] += app.requested
            counts[pid] += 1
            granted[pid] += grant.granted
            by_institution[(pid, app.institution)] += grant.granted
        grants.append(grant)
    pools = {
        pid: PoolResult(pid, p.cap, committed[pid], granted[pid], requested[pid], counts[pid])
        for pid, p in bundle.pools.items()
    }
    return Allocation(tuple(grants), pools)


def _root_id(tree: PoolTree, app: Application) -> str:
    root = tree.roots.get((app.scheme, app.year))
    return root.id if root else ""


def _decide(
    bundle: Bundle,
    tree: PoolTree,
    app: Application,
    committed: Mapping[str, int],
    granted: Mapping[str, int],
    by_institution: Mapping[tuple[str, str], int],
) -> Grant:
    chain, _ = tree.chain(bundle, app)
    ids = tuple(p.id for p in chain)

    def grant(amount: int, status: Status, reason: str, detail: str, limit: str | None) -> Grant:
        return Grant(app.id, ids, app.requested, amount, status, reason, detail, limit)

    broken = breaches(bundle, app, chain[0] if chain else None)
    if broken:
        return grant(
            0,
            Status.REJECTED,
            "; ".join(b.short for b in broken),
            "Rejected: " + "; ".join(b.message for b in broken) + ".",
            "rules",
        )

    # Every cap that applies, as (amount allowed, kind, a few words, a sentence).
    limits: list[tuple[int, str, str, str]] = []
    for depth, pool in enumerate(chain):
        where = "pool" if depth == 0 else "sub-pool"
        left = pool.cap - committed[pool.id] - granted[pool.id]
        limits.append(
            (left, "pool", f"{where} exhausted", f"{where} {pool.label} had {format_kr(left)} left")
        )
        if pool.max_grant is not None:
            limits.append(
                (
                    pool.max_grant,
                    "max_grant",
                    "max grant",
                    f"{where} {pool.label} grants at most {format_kr(pool.max_grant)}",
                )
            )
        if pool.institution_cap is not None:
            left = max(pool.institution_cap - by_institution[(pool.id, app.institution)], 0)
            limits.append(
                (
                    left,
                    "institution_cap",
                    "institution cap",
                    f"the institution cap of {format_kr(pool.institution_cap)} in {where} "
                    f"{pool.label} had {format_kr(left)} left",
                )
            )
    rate = rate_cap(bundle, app)
    if rate is not None:
        limits.append((rate[0], "rate", "scheme rate", f"the scheme's rate allows {rate[1]}"))
    pool_min = max((p.min_grant for p in chain if p.min_grant is not None), default=0)
    asked = format_kr(app.requested)
    offer, kind, short, why = min(
        [(app.requested, "request", "full request", "the full request fits"), *limits],
        key=lambda t: t[0],
    )
    if offer == app.requested and offer >= pool_min:
        return grant(offer, Status.FUNDED, short, f"Funded in full: {asked}.", "request")
    if offer <= 0:
        return grant(0, Status.NOT_FUNDED, short, f"Not funded: {why}.", kind)
    possible = format_kr(offer)
    if pool_min and offer < pool_min:
        return grant(
            0,
            Status.NOT_FUNDED,
            "below pool minimum",
            f"Not funded: {possible} was possible ({why}), below the pool minimum of "
            f"{format_kr(pool_min)}.",
            "min_grant",
        )
    if not app.partial:
        return grant(
            0,
            Status.NOT_FUNDED,
            f"{short}; no partial",
            f"Not funded: {possible} of {asked} was possible ({why}) and the application "
            "does not accept a partial grant.",
            "partial",
        )
    floor = app.min_grant or 0
    if offer < floor:
        return grant(
            0,
            Status.NOT_FUNDED,
            f"{short}; below its minimum",
            f"Not funded: {possible} was possible ({why}), below the applicant's minimum of "
            f"{format_kr(floor)}.",
            "min_grant",
        )
    return grant(
        offer, Status.PARTIAL, short, f"Partial grant of {possible} of {asked}: {why}.", kind
    )
