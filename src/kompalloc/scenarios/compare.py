"""Side-by-side comparison of allocation runs: a baseline and what-if scenarios.

Pure: from allocated runs to blocks of rows (per application, per pool, per cluster) and a
summary per scenario. kompalloc.reporting.compare makes tables, sentences and Rich renderables
of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kompalloc.allocation import Allocation, PoolResult
from kompalloc.collation import norwegian_key
from kompalloc.model import Bundle
from kompalloc.pooltree import build

Values = tuple[int, ...] | None
"""One row's metrics in one run, or None when the row does not exist in that run."""


@dataclass(frozen=True, slots=True)
class Variant:
    """One allocated run: the files as loaded ('base'), or a plan of scenarios applied."""

    name: str
    bundle: Bundle
    allocation: Allocation
    description: str = ""
    files: tuple[str, ...] = ()
    """The scenario files of the run."""


@dataclass(frozen=True, slots=True)
class Metric:
    """A number each run has for a row: its key in machine formats, its title and kind."""

    key: str
    title: str
    money: bool = True
    """An amount in øre; else a count."""
    change: bool = False
    """Whether to show the change against the baseline next to it."""
    people: bool = True
    """Whether people's tables show it (machine formats always do)."""


@dataclass(slots=True)
class Row:
    """One application, pool or cluster across the runs."""

    key: str
    label: str
    values: list[Values]
    statuses: list[str | None] = field(default_factory=list)

    def changed(self, column: int, baseline: int) -> bool:
        """Whether this run differs from the baseline on this row."""
        same_status = not self.statuses or self.statuses[column] == self.statuses[baseline]
        return self.values[column] != self.values[baseline] or not same_status

    def any_change(self, baseline: int) -> bool:
        """Whether any run differs from the baseline on this row."""
        return any(self.changed(c, baseline) for c in range(len(self.values)))


@dataclass(slots=True)
class Block:
    """A table of rows across runs: applications, pools or clusters."""

    key: str
    title: str
    label: str
    metrics: tuple[Metric, ...]
    rows: list[Row]


@dataclass(frozen=True, slots=True)
class Summary:
    """What one run changes against the baseline."""

    name: str
    baseline: str
    granted_before: int
    granted: int
    gained: int
    gainers: int
    lost: int
    losers: int
    newly_funded: tuple[str, ...]
    dropped: tuple[str, ...]
    changed_applications: int
    changed_pools: int
    caps: tuple[tuple[str, int, int], ...] = ()
    """Pools whose cap differs: (name, cap in the baseline, cap here)."""
    added: tuple[str, ...] = ()
    """Applications this run has and the baseline does not."""
    removed: tuple[str, ...] = ()
    """Applications the baseline has and this run does not."""

    @property
    def changed(self) -> bool:
        """Whether anything differs from the baseline (a grant, a status, a pool's money)."""
        return bool(self.changed_applications or self.changed_pools)


@dataclass(slots=True)
class Comparison:
    """Everything compare shows: runs in display order (the baseline first)."""

    runs: list[Variant]
    baseline: int
    applications: Block
    pools: Block
    clusters: Block
    summaries: list[Summary]

    @property
    def changed(self) -> bool:
        """Whether any run differs from the baseline."""
        return any(s.changed for s in self.summaries)


def compare(runs: Sequence[Variant], baseline: int = 0) -> Comparison:
    """Compare every run with the baseline run; the baseline comes first in the result."""
    ordered = [runs[baseline], *(r for i, r in enumerate(runs) if i != baseline)]
    apps = _applications(ordered)
    pools = _pools(ordered)
    clusters = _clusters(ordered)
    summaries = [_summary(ordered, i, apps, pools) for i in range(1, len(ordered))]
    return Comparison(ordered, 0, apps, pools, clusters, summaries)


def _applications(runs: Sequence[Variant]) -> Block:
    order: dict[str, None] = {}
    for run in runs:
        for grant in run.allocation.grants:
            order.setdefault(grant.application, None)
    rows = []
    grants = [run.allocation.by_application for run in runs]
    for app_id in order:
        values: list[Values] = []
        statuses: list[str | None] = []
        for by_id in grants:
            found = by_id.get(app_id)
            values.append(None if found is None else (found.granted,))
            statuses.append(None if found is None else found.status.value)
        rows.append(Row(app_id, app_id, values, statuses))
    metrics = (Metric("granted", "Granted", change=True),)
    return Block("applications", "Applications", "ID", metrics, rows)


def _pools(runs: Sequence[Variant]) -> Block:
    labels: dict[str, str] = {}
    for run in runs:  # the baseline's names and order first, then pools only others have
        tree = build(run.bundle)
        roots = sorted(
            tree.roots.values(),
            key=lambda p: (norwegian_key(_scheme_name(run.bundle, p.scheme)), p.year or 0),
        )
        for root in roots:
            if not any((r.allocation.pools.get(root.id) or _EMPTY).applications for r in runs):
                continue
            stack = [(root.id, 0)]
            while stack:
                pid, depth = stack.pop()
                pool = run.bundle.pools[pid]
                if depth == 0:
                    label = pool.name or f"{_scheme_name(run.bundle, pool.scheme)} {pool.year}"
                else:
                    label = "  " * (depth - 1) + "└ " + pool.label
                labels.setdefault(pid, label)
                stack.extend((c.id, depth + 1) for c in reversed(tree.children.get(pid, ())))
    rows = []
    for pid, label in labels.items():
        values: list[Values] = []
        for run in runs:
            r = run.allocation.pools.get(pid)
            values.append(None if r is None else (r.cap, r.granted, r.remaining))
        rows.append(Row(pid, label, values))
    metrics = (
        Metric("cap", "Cap", people=False),
        Metric("granted", "Granted"),
        Metric("remaining", "Remaining"),
    )
    return Block("pools", "Schemes and pools", "Pool", metrics, rows)


_EMPTY = PoolResult("", 0, 0, 0, 0, 0)


def _scheme_name(bundle: Bundle, scheme_id: str | None) -> str:
    scheme = bundle.schemes.get(scheme_id or "")
    return scheme.name if scheme else str(scheme_id)


def _clusters(runs: Sequence[Variant]) -> Block:
    stats: list[dict[str | None, list[int]]] = []
    names: dict[str | None, str] = {}
    for run in runs:
        per: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
        for grant in run.allocation.grants:
            cid = run.bundle.applications[grant.application].cluster
            per[cid][0] += grant.granted
            per[cid][1] += grant.granted > 0
            cluster = run.bundle.clusters.get(cid) if cid else None
            names.setdefault(cid, cluster.name if cluster else (cid or "(no cluster)"))
        stats.append(per)
    ordered: list[str | None] = sorted(
        (c for c in names if c is not None), key=lambda c: norwegian_key(names[c])
    )
    if None in names:
        ordered.append(None)
    rows = [
        Row(
            cid or "",
            names[cid],
            [tuple(per[cid]) if cid in per else (0, 0) for per in stats],
        )
        for cid in ordered
    ]
    metrics = (
        Metric("granted", "Granted", change=True),
        Metric("funded", "Funded", money=False, people=False),
    )
    return Block("clusters", "Clusters", "Cluster", metrics, rows)


def _summary(runs: Sequence[Variant], column: int, apps: Block, pools: Block) -> Summary:
    gained = lost = gainers = losers = changed = 0
    newly: list[str] = []
    dropped: list[str] = []
    for row in apps.rows:
        first, then = row.values[0], row.values[column]
        before = first[0] if first else 0
        after = then[0] if then else 0
        if row.changed(column, 0):
            changed += 1
        if after > before:
            gained += after - before
            gainers += 1
        elif after < before:
            lost += before - after
            losers += 1
        if before == 0 and after > 0:
            newly.append(row.key)
        elif before > 0 and after == 0:
            dropped.append(row.key)
    changed_pools = sum(row.changed(column, 0) for row in pools.rows)
    caps = []
    for row in pools.rows:
        first, then = row.values[0], row.values[column]
        if first is not None and then is not None and first[0] != then[0]:
            caps.append((row.label.lstrip(" └"), first[0], then[0]))
    return Summary(
        runs[column].name,
        runs[0].name,
        sum(g.granted for g in runs[0].allocation.grants),
        sum(g.granted for g in runs[column].allocation.grants),
        gained,
        gainers,
        lost,
        losers,
        tuple(newly),
        tuple(dropped),
        changed,
        changed_pools,
        tuple(caps),
        tuple(r.key for r in apps.rows if r.values[0] is None and r.values[column] is not None),
        tuple(r.key for r in apps.rows if r.values[0] is not None and r.values[column] is None),
    )


def visible_rows(block: Block, baseline: int, *, full: bool) -> list[Row]:
    """The rows to show: all with ``full``, else those that differ in some run."""
    return list(block.rows) if full else [r for r in block.rows if r.any_change(baseline)]


def change(row: Row, column: int, baseline: int, metric: int = 0) -> int | None:
    """This run's change of one metric against the baseline (a row missing in one counts as 0)."""
    after = row.values[column]
    before = row.values[baseline]
    if after is None and before is None:
        return None
    return (after[metric] if after else 0) - (before[metric] if before else 0)
