"""Budget sweeps: how the grants move as one pool's cap varies, allocating only what can change.

The data is loaded and validated once; each step replaces the pool's cap (a frozen record, so
``dataclasses.replace``) and re-runs the pure engine. Without cross-pool ``limits`` the rounds
are independent, so only the swept pool's round is allocated per step; the other rounds are
allocated once. A priority round is even ordered and prepared once, and only its priority pass
runs per step (``round_at_caps``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from kompalloc.allocation import Allocation, Status, allocate
from kompalloc.allocation.resume import round_at_caps
from kompalloc.model import Bundle
from kompalloc.pooltree import build

MAX_STEPS = 1_000


@dataclass(frozen=True, slots=True)
class Step:
    """The outcome at one cap."""

    cap: int
    granted: int
    """Granted in the swept pool's round."""
    total: int
    """Granted in every round."""
    remaining: int
    """Left in the swept pool."""
    funded: int
    """Applications of the round that get money (in full or in part)."""
    full: int
    partial: int
    funding_line: str | None
    funding_gap: int | None
    note: str


@dataclass(frozen=True, slots=True)
class Sweep:
    """Every step, in rising order of the cap, and what they say together."""

    pool: str
    round: str
    steps: tuple[Step, ...]

    def plateau(self) -> int | None:
        """The first step from which more money changes no grant in the round (None if the
        last step still gains, or there is only one step)."""
        if len(self.steps) < 2:
            return None
        last = self.steps[-1].granted
        if self.steps[-2].granted != last:
            return None
        i = len(self.steps) - 1
        while i > 0 and self.steps[i - 1].granted == last:
            i -= 1
        return i

    def falls(self) -> list[tuple[Step, Step]]:
        """Neighbouring steps where the round gets less although the cap rose."""
        return [
            (a, b)
            for a, b in zip(self.steps, self.steps[1:], strict=False)
            if b.granted < a.granted
        ]


def caps_between(low: int, high: int, step: int) -> list[int]:
    """low, low + step, ... up to high, with high itself included; ValueError when unusable."""
    if step <= 0:
        raise ValueError("--step must be more than 0")
    if high < low:
        raise ValueError("--to must not be below --from")
    count = (high - low) // step + 1
    if count > MAX_STEPS:
        raise ValueError(f"that is {count} steps; at most {MAX_STEPS}")
    values = list(range(low, high + 1, step))
    if values[-1] != high:
        values.append(high)
    return values


def _round_of(bundle: Bundle, pool_id: str) -> str:
    tree = build(bundle)
    return tree.root_of.get(pool_id, pool_id)


def _step(allocation: Allocation, pool_id: str, root: str, cap: int, others: int) -> Step:
    grants = [g for g in allocation.grants if g.pools and g.pools[0] == root]
    granted = sum(g.granted for g in grants)
    info = allocation.rounds.get(root)
    return Step(
        cap=cap,
        granted=granted,
        total=granted + others,
        remaining=allocation.pools[pool_id].remaining,
        funded=sum(g.granted > 0 for g in grants),
        full=sum(g.status is Status.FUNDED for g in grants),
        partial=sum(g.status is Status.PARTIAL for g in grants),
        funding_line=info.funding_line if info else None,
        funding_gap=info.funding_gap if info else None,
        note=info.funding_note if info else "",
    )


def sweep(
    bundle: Bundle, pool_id: str, caps: Sequence[int], methods: dict[str, str] | None = None
) -> Sweep:
    """Allocate the bundle once per cap of the pool (a validated bundle; see the CLI for the
    checks on the lowest and highest cap)."""
    root = _round_of(bundle, pool_id)
    tree = build(bundle)
    mine = {
        k: a
        for k, a in bundle.applications.items()
        if (r := tree.roots.get((a.scheme, a.year))) is not None and r.id == root
    }
    independent = not bundle.limits
    others = 0
    work = bundle
    if independent:
        rest = replace(
            bundle, applications={k: a for k, a in bundle.applications.items() if k not in mine}
        )
        others = sum(g.granted for g in allocate(rest, methods).grants)
        work = replace(bundle, applications=mine)
    pool = bundle.pools[pool_id]
    values = sorted(set(caps))
    if independent:
        prepared = round_at_caps(work, pool_id, values, methods)
        if prepared is not None:
            steps = [
                Step(
                    cap=r.cap,
                    granted=r.granted,
                    total=r.granted + others,
                    remaining=r.remaining,
                    funded=r.funded,
                    full=r.full,
                    partial=r.partial,
                    funding_line=r.result.funding_line,
                    funding_gap=r.result.funding_gap,
                    note=r.result.funding_note,
                )
                for r in prepared
            ]
            return Sweep(pool_id, root, tuple(steps))
    steps = []
    for cap in values:
        changed = replace(work, pools={**work.pools, pool_id: replace(pool, cap=cap)})
        allocation = allocate(changed, methods)
        if not independent:
            others = sum(g.granted for g in allocation.grants if not g.pools or g.pools[0] != root)
        steps.append(_step(allocation, pool_id, root, cap, others))
    return Sweep(pool_id, root, tuple(steps))
