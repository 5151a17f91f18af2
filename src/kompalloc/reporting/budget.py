"""The budget over time: per scheme, budget year, pool and cluster, what earlier rounds took.

Neutral tables like those of :mod:`kompalloc.reporting.tables`, so every format shows them:

    remaining = cap - committed - earlier grants + returned - granted now

for every pool in every budget year, to the øre, with one column per earlier round (and one
for the hand-written ``grants``), so a reader sees what "remaining" is made of. Also the
``decided_grants`` that ``kompalloc allocate --format json`` writes, which a later round
reads back through ``earlier_rounds``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kompalloc import ledger
from kompalloc.allocation import Allocation
from kompalloc.collation import norwegian_key
from kompalloc.model import Bundle
from kompalloc.money import format_kr
from kompalloc.pooltree import PoolTree, build, descendants
from kompalloc.reporting.tables import Cell, Column, Kind, Table, pool_walk, scheme_name


def decided_grants(bundle: Bundle, allocation: Allocation) -> list[dict[str, Any]]:
    """Every application that got money, with the pools it drew on: what a later round reads."""
    out = []
    for grant in allocation.grants:
        if grant.granted <= 0:
            continue
        app = bundle.applications[grant.application]
        out.append(
            {
                "application": app.id,
                "scheme": app.scheme,
                "year": app.year,
                "pools": list(grant.pools),
                "granted_ore": grant.granted,
                "status": grant.status.value,
                "institution": app.institution,
                "cluster": app.cluster,
            }
        )
    return out


def has_ledger(bundle: Bundle) -> bool:
    """Whether the bundle records earlier grants or rounds (the budget tables say something)."""
    return bool(bundle.grants or bundle.earlier_rounds)


def _sources(bundle: Bundle) -> list[tuple[str, str]]:
    """(source key, column title) of every earlier source, rounds in id order, then the grants."""
    out = [(key, bundle.earlier_rounds[key].label) for key in sorted(bundle.earlier_rounds)]
    if bundle.grants:
        out.append((ledger.GRANTS_SOURCE, "Grants"))
    return out


def _roots(bundle: Bundle, tree: PoolTree) -> list[str]:
    return [
        p.id
        for p in sorted(
            tree.roots.values(),
            key=lambda p: (norwegian_key(scheme_name(bundle, p.scheme)), p.year or 0),
        )
    ]


def budget_table(bundle: Bundle, allocation: Allocation) -> Table:
    """Per scheme, budget year and pool: cap, committed, each earlier round, returned, granted
    now and remaining; remaining = cap - committed - earlier + returned - granted."""
    tree = build(bundle)
    sources = _sources(bundle)
    earlier = ledger.by_pool(ledger.lines(bundle, tree))
    columns = (
        Column("pool", "Pool", wrap=True),
        Column("year", "Year", Kind.NUMBER, drop=2),
        Column("scheme", "Scheme", people=False),
        Column("cap", "Cap", Kind.MONEY),
        Column("committed", "Committed", Kind.MONEY, drop=1),
        *(Column(f"earlier_{key}", title, Kind.MONEY) for key, title in sources),
        Column("returned", "Returned", Kind.MONEY),
        Column("granted", "Granted", Kind.MONEY),
        Column("remaining", "Remaining", Kind.MONEY),
        Column("pool_id", "Pool ID", people=False),
        Column("parent_id", "Parent ID", people=False),
        Column("level", "Level", Kind.NUMBER, people=False),
    )
    rows: list[tuple[Cell, ...]] = []
    width = len(sources) + 5
    totals = [0] * width
    for root_id in _roots(bundle, tree):
        root = bundle.pools[root_id]
        scheme = scheme_name(bundle, root.scheme)
        for depth, pid in pool_walk(tree, root_id, 0):
            pool = bundle.pools[pid]
            mine = earlier.get(pid)
            lump = sum(bundle.pools[d].committed for d in descendants(tree, pid))
            by_source = [mine.granted.get(key, 0) if mine else 0 for key, _ in sources]
            returned = mine.returned if mine else 0
            granted = allocation.pools[pid].granted
            remaining = pool.cap - lump - sum(by_source) + returned - granted
            amounts = [pool.cap, lump, *by_source, returned, granted, remaining]
            rows.append((pool.label, root.year, scheme, *amounts, pid, pool.parent or "", depth))
            if depth == 0:
                totals = [t + a for t, a in zip(totals, amounts, strict=True)]
    total_row: tuple[Cell, ...] = ("Total", None, "", *totals, "", "", None)
    return Table("budget", "Budget over time", columns, tuple(rows), total_row, level="level")


def budget_clusters_table(bundle: Bundle, allocation: Allocation) -> Table:
    """Per scheme, budget year and cluster: earlier grants, returned, granted now, in all."""
    tree = build(bundle)
    sums: dict[tuple[str, int, str | None], list[int]] = defaultdict(lambda: [0, 0, 0])
    root_year = {
        pid: (p.scheme or "", p.year or 0) for pid, p in bundle.pools.items() if p.parent is None
    }
    for line in ledger.lines(bundle, tree):
        cluster = None
        if line.source == ledger.GRANTS_SOURCE:
            cluster = bundle.grants[line.grant].cluster
        else:
            found = [
                g for g in bundle.earlier_rounds[line.source].grants if g.application == line.grant
            ]
            cluster = found[0].cluster if found else None
        s = sums[(line.scheme, line.year, cluster)]
        s[0] += line.granted
        s[1] += line.returned
    for grant in allocation.grants:
        if grant.granted and grant.pools and grant.pools[0] in root_year:
            scheme, year = root_year[grant.pools[0]]
            cluster = bundle.applications[grant.application].cluster
            sums[(scheme, year, cluster)][2] += grant.granted
    columns = (
        Column("year", "Year", Kind.NUMBER),
        Column("cluster", "Cluster"),
        Column("scheme", "Scheme", people=False),
        Column("earlier", "Earlier grants", Kind.MONEY),
        Column("returned", "Returned", Kind.MONEY),
        Column("granted", "Granted", Kind.MONEY),
        Column("total", "In all", Kind.MONEY),
    )

    def name(cid: str | None) -> str:
        if cid is None:
            return "(no cluster)"
        return bundle.clusters[cid].name if cid in bundle.clusters else cid

    rows: list[tuple[Cell, ...]] = []
    totals = [0, 0, 0, 0]
    for scheme, year, cid in sorted(
        sums,
        key=lambda k: (norwegian_key(scheme_name(bundle, k[0])), k[1], k[2] is None, name(k[2])),
    ):
        earlier, returned, granted = sums[(scheme, year, cid)]
        amounts = [earlier, returned, granted, earlier - returned + granted]
        rows.append((year, name(cid), scheme_name(bundle, scheme), *amounts))
        totals = [t + a for t, a in zip(totals, amounts, strict=True)]
    total_row: tuple[Cell, ...] = (None, "Total", "", *totals)
    return Table("budget_clusters", "Budget by cluster", columns, tuple(rows), total_row)


def budget_notes(bundle: Bundle) -> list[str]:
    """One sentence per pool that money came back to, e.g.
    'Industrifagskolen 2021: returned 400 000 kr, KB-04 withdrawn 2021-10-01.'"""
    tree = build(bundle)
    earlier = ledger.by_pool(ledger.lines(bundle, tree))
    notes = []
    for root_id in _roots(bundle, tree):
        for _, pid in pool_walk(tree, root_id, 0):
            mine = earlier.get(pid)
            if mine and mine.returned:
                pool = bundle.pools[pid]
                notes.append(
                    f"{pool.label}: returned {format_kr(mine.returned)}, {'; '.join(mine.notes)}."
                )
    return notes


def ledger_table(bundle: Bundle) -> Table:
    """Every earlier grant in every budget year, as ``kompalloc list grants`` shows it."""
    tree = build(bundle)
    columns = (
        Column("source", "Source"),
        Column("grant", "Grant"),
        Column("title", "Title", people=False),
        Column("scheme", "Scheme", people=False),
        Column("year", "Year", Kind.NUMBER, drop=3),
        Column("pool", "Pool", wrap=True),
        Column("decided", "Decided", drop=1),
        Column("granted", "Granted", Kind.MONEY),
        Column("returned", "Returned", Kind.MONEY),
        Column("status", "Status"),
        Column("returned_on", "Returned on", drop=2),
    )
    rows: list[tuple[Cell, ...]] = []
    for line in ledger.lines(bundle, tree):
        source = (
            bundle.earlier_rounds[line.source].label
            if line.source in bundle.earlier_rounds
            else "grants"
        )
        rows.append(
            (
                source,
                line.grant,
                line.label,
                scheme_name(bundle, line.scheme),
                line.year,
                bundle.pools[line.pools[-1]].label if line.pools else "",
                line.decided.isoformat(),
                line.granted,
                line.returned,
                line.status,
                line.returned_on.isoformat() if line.returned_on else "",
            )
        )
    granted = sum(r[7] for r in rows if isinstance(r[7], int))
    returned = sum(r[8] for r in rows if isinstance(r[8], int))
    totals: tuple[Cell, ...] = ("Total", "", "", "", None, "", "", granted, returned, "", "")
    return Table("grants", "Earlier grants", columns, tuple(rows), totals)


def rounds_listing(bundle: Bundle) -> Table:
    """The earlier rounds, as ``kompalloc list earlier_rounds`` shows them."""
    columns = (
        Column("id", "ID"),
        Column("name", "Name", wrap=True),
        Column("decided", "Decided"),
        Column("decisions", "Decisions file", wrap=True),
        Column("grants", "Grants", Kind.COUNT),
        Column("granted", "Granted", Kind.MONEY),
        Column("returns", "Returns", Kind.COUNT),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            r.id,
            r.label,
            r.decided.isoformat(),
            r.decisions,
            sum(g.granted > 0 for g in r.grants),
            sum(g.granted for g in r.grants),
            len(r.returns),
        )
        for r in sorted(bundle.earlier_rounds.values(), key=lambda r: norwegian_key(r.id))
    ]
    return Table("earlier_rounds", "Earlier rounds", columns, tuple(rows))
