"""Budget sweeps: how the grants move as one pool's cap varies, allocating only what can change.

The data is loaded and validated once; each step replaces the pool's cap (a frozen record, so
``dataclasses.replace``) and re-runs the pure engine. Without cross-pool ``limits`` the rounds
are independent, so only the swept pool's round is allocated per step; the other rounds are
allocated once. A priority round is even ordered and prepared once, and only its priority pass
runs per step (``round_at_caps``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from kompalloc.allocation import Allocation, Status, allocate
from kompalloc.allocation.resume import round_at_caps
from kompalloc.allocation.wording import Decision
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
    """What the funding-line application lacked at its turn (not the money that would fund it:
    see :mod:`kompalloc.allocation.gaps`)."""
    note: str
    order: tuple[str, ...] = ()
    """The round's applications, in its order."""
    decided: tuple[Decision | None, ...] = ()
    """Each one's decision, in that order (None: not funded, after the pass stopped). Kept as
    the engine made them (shared tuples), so that comparing two steps costs next to nothing
    where they agree."""

    @property
    def grants(self) -> dict[str, tuple[int, Status]]:
        """Each application of the round: what it is granted, and its status."""
        return dict(zip(self.order, map(_pair, self.decided), strict=True))


_NOTHING = (0, Status.NOT_FUNDED)


def _pair(decision: Decision | None) -> tuple[int, Status]:
    return _NOTHING if decision is None else (decision[0], decision[1])


def same_grants(a: Step, b: Step) -> bool:
    """Whether every application gets the same amount with the same status at both steps."""
    if a.order != b.order:
        return a.grants == b.grants
    if a.decided == b.decided:
        return True
    return all(
        x is y or _pair(x) == _pair(y) for x, y in zip(a.decided, b.decided, strict=True)
    )


@dataclass(frozen=True, slots=True)
class Change:
    """One application's grant moving from one step to the next."""

    application: str
    cluster: str | None
    before: int
    after: int
    status_before: Status
    status_after: Status

    @property
    def kind(self) -> str:
        """gained, lost, or status (the same amount, another status)."""
        if self.after > self.before:
            return "gained"
        if self.after < self.before:
            return "lost"
        return "status"


@dataclass(frozen=True, slots=True)
class Sweep:
    """Every step, in rising order of the cap, and what they say together."""

    pool: str
    round: str
    steps: tuple[Step, ...]
    clusters: Mapping[str, str | None] = field(default_factory=dict)
    """Each application of the round's cluster."""
    exact: int | None = None
    """The least cap (øre) from which every grant is what it is at the last step, where a
    search between the plateau's steps found it (:func:`exact_plateau`)."""

    def plateau(self) -> int | None:
        """The first step from which more money changes no grant in the round: every
        application gets the same amount with the same status as at the last step (None if the
        last step still changes a grant, or there is only one step)."""
        if len(self.steps) < 2:
            return None
        last = self.steps[-1]
        if not same_grants(self.steps[-2], last):
            return None
        i = len(self.steps) - 1
        while i > 0 and same_grants(self.steps[i - 1], last):
            i -= 1
        return i

    def changes(self, i: int) -> list[Change]:
        """The applications whose grant or status differs between step ``i - 1`` and step ``i``."""
        if i <= 0:
            return []
        first, second = self.steps[i - 1], self.steps[i]
        if first.order != second.order:
            before, after = first.grants, second.grants
            pairs = [(k, before.get(k, _NOTHING), after[k]) for k in after]
        else:
            pairs = [
                (k, _pair(x), _pair(y))
                for k, x, y in zip(second.order, first.decided, second.decided, strict=True)
                if x is not y
            ]
        return [
            Change(k, self.clusters.get(k), a[0], b[0], a[1], b[1]) for k, a, b in pairs if a != b
        ]

    def by_cluster(self, i: int) -> dict[str | None, int]:
        """What each cluster of the round is granted at step ``i``."""
        out: dict[str | None, int] = {}
        for app_id, (amount, _) in self.steps[i].grants.items():
            cluster = self.clusters.get(app_id)
            out[cluster] = out.get(cluster, 0) + amount
        return out

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
        order=tuple(g.application for g in grants),
        decided=tuple((g.granted, g.status, g.reason, g.detail, g.limit or "") for g in grants),
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
    clusters = {k: a.cluster for k, a in mine.items()}
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
                    order=r.result.order,
                    decided=r.decided,
                )
                for r in prepared
            ]
            return Sweep(pool_id, root, tuple(steps), clusters)
    steps = []
    for cap in values:
        changed = replace(work, pools={**work.pools, pool_id: replace(pool, cap=cap)})
        allocation = allocate(changed, methods)
        if not independent:
            others = sum(g.granted for g in allocation.grants if not g.pools or g.pools[0] != root)
        steps.append(_step(allocation, pool_id, root, cap, others))
    return Sweep(pool_id, root, tuple(steps), clusters)


def exact_plateau(
    bundle: Bundle, result: Sweep, methods: dict[str, str] | None = None
) -> Sweep:
    """The sweep with :attr:`Sweep.exact` found: the least cap between the step before the
    plateau and its first step from which every grant is as at the last step, by bisection in
    the round's grant unit (each probe allocates the round again). Unchanged where there is
    no plateau inside the range."""
    plateau = result.plateau()
    if plateau is None or plateau == 0:
        return result
    tree = build(bundle)
    root = bundle.pools[result.round]
    unit = root.unit or 100
    mine = {
        k: a
        for k, a in bundle.applications.items()
        if (r := tree.roots.get((a.scheme, a.year))) is not None and r.id == result.round
    }
    work = bundle if bundle.limits else replace(bundle, applications=mine)
    pool = bundle.pools[result.pool]
    target = result.steps[-1].grants

    def settled(cap: int) -> bool:
        changed = replace(work, pools={**work.pools, result.pool: replace(pool, cap=cap)})
        allocation = allocate(changed, methods)
        return {
            g.application: (g.granted, g.status)
            for g in allocation.grants
            if g.pools and g.pools[0] == result.round
        } == target

    lo, hi = result.steps[plateau - 1].cap, result.steps[plateau].cap
    # settled at hi, not at lo; probe whole units above lo, then the last øre
    while hi - lo > unit:
        mid = lo + max((hi - lo) // 2 // unit * unit, unit)
        if settled(mid):
            hi = mid
        else:
            lo = mid
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if settled(mid):
            hi = mid
        else:
            lo = mid
    return replace(result, exact=hi)
