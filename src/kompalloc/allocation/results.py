"""What allocation returns: a decision per application, money per pool, and facts per round."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Status(StrEnum):
    """What an application got."""

    FUNDED = "funded"
    PARTIAL = "partial"
    NOT_FUNDED = "not funded"
    REJECTED = "rejected"


class Grant(NamedTuple):
    """The decision on one application and why.

    An immutable named tuple rather than a frozen dataclass: the engine makes one per
    application, and a frozen dataclass costs about six times as much to build (2 µs against
    0.3 µs, a whole second per million applications). ``grant._replace(...)`` makes a changed copy.
    """

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
    """What bound the grant: request, pool, max_grant, institution_cap, share, limit, earmark,
    apportion, rate, aid_intensity, min_grant, partial, stop, exclusive, fixed or rules."""
    position: int | None = None
    """Its place in its round's order (1 first), where the method uses an order."""
    story: tuple[str, ...] = ()
    """Every step that concerned it, in order: what ``kompalloc explain`` tells."""


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
class RoundResult:
    """One root pool's allocation: how it was done and where the money ran out."""

    pool: str
    method: str
    order: tuple[str, ...] = ()
    """The applications in the order the method took them."""
    seed: int | None = None
    """The lottery seed, where ties were drawn by lot."""
    funding_line: str | None = None
    """The first application in order that was not fully funded for want of money."""
    funding_gap: int | None = None
    """How much more money in the binding pool would fund it in full (None if money would not help)."""
    funding_note: str = ""
    shares: Mapping[str, int] = field(default_factory=dict)
    """For apportioning pools: each group's share."""


@dataclass(frozen=True, slots=True)
class Allocation:
    """Every decision, in the order they were made, every pool's money, and every round."""

    grants: tuple[Grant, ...]
    pools: Mapping[str, PoolResult]
    rounds: Mapping[str, RoundResult] = field(default_factory=dict)
    _index: dict[str, Grant] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def by_application(self) -> Mapping[str, Grant]:
        """The decisions by application id (built on first use, then kept)."""
        if self._index is None:
            object.__setattr__(self, "_index", {g.application: g for g in self.grants})
        assert self._index is not None
        return self._index
