"""Claims: one application inside its round, with every cap it is charged to, its own limits,
and its decision so far. The filling methods decide claims; fixed grants are charged through them."""

from __future__ import annotations

from dataclasses import dataclass, field

from kompalloc.allocation.caps import Cap, Memo, claim_caps, sorted_limits
from kompalloc.allocation.results import Status
from kompalloc.eligibility import own_limit
from kompalloc.model import Application, Bundle, Pool


@dataclass(slots=True)
class Claim:
    """An application inside its round: its caps, its own limits, and its decision so far."""

    app: Application
    chain: list[Pool]
    caps: list[Cap]
    upper: int
    """The most it can get from its own limits (request, max grant, rate, aid intensity)."""
    upper_kind: str
    upper_short: str
    upper_detail: str
    lower: int
    """The least it may get when it gets less than its request (its minimum, the pools' minimum)."""
    granted: int = 0
    status: Status | None = None
    reason: str = ""
    detail: str = ""
    limit: str | None = None
    position: int | None = None
    pool_ids: tuple[str, ...] = ()
    """The ids of its chain, root first (shared by every claim on the same chain)."""
    story: list[str] = field(default_factory=list)
    """Its story so far (only when one was asked for)."""

    def decide(
        self, amount: int, status: Status, reason: str, detail: str, limit: str | None
    ) -> None:
        """Record the decision and charge every cap."""
        self.granted, self.status, self.reason, self.detail, self.limit = (
            amount,
            status,
            reason,
            detail,
            limit,
        )
        for cap in self.caps:
            cap.room -= amount


def make_claim(
    bundle: Bundle,
    app: Application,
    chain: list[Pool],
    committed: dict[str, int],
    caps: dict[str, Cap],
    memo: Memo,
    pool_ids: tuple[str, ...],
    pool_min: int | None = None,
) -> Claim:
    """The application's claim, its caps looked up once per kind of application (see Memo)."""
    kind = bundle.institutions[app.institution].type
    upper, upper_kind, upper_short, upper_detail = own_limit(bundle, app, chain, memo.sentences)
    if pool_min is None:
        pool_min = max((p.min_grant for p in chain if p.min_grant is not None), default=0)
    lower = max(app.min_grant or 0, pool_min, 1)
    if memo.limits is None:
        memo.limits = sorted_limits(bundle)
    key = (pool_ids, app.institution, app.cluster, kind, app.scheme, app.year)
    mine = memo.caps.get(key)
    if mine is None:
        mine = memo.caps[key] = claim_caps(bundle, app, chain, kind, committed, caps, memo.limits)
    # A claim may add an apportioned share to its own caps.
    return Claim(app, chain, list(mine), upper, upper_kind, upper_short, upper_detail, lower)
