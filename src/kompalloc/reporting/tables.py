"""Neutral report tables (per scheme and pool, per cluster, per application), with totals that reconcile."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

from kompalloc.allocation import Allocation, Status
from kompalloc.allocation.gaps import gap_note
from kompalloc.collation import norwegian_key
from kompalloc.model import Bundle
from kompalloc.money import format_kr
from kompalloc.pooltree import PoolTree, build

if TYPE_CHECKING:
    from kompalloc.allocation.binding import Binding
    from kompalloc.allocation.gaps import FundingGap


class Kind(StrEnum):
    """How a column's values are typed, so each renderer can format them."""

    TEXT = "text"
    MONEY = "money"
    """Integer øre."""
    COUNT = "count"
    NUMBER = "number"
    """A number that is not summed (a rank, a year): an int, or a decimal as text ('7.5')."""
    SHARE = "share"
    """A fraction as (numerator, denominator) of øre, shown as a percentage."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column: a stable key for machine formats, a title for people, and a kind."""

    key: str
    title: str
    kind: Kind = Kind.TEXT
    wrap: bool = False
    """Whether people's tables may wrap this column (long free text); others keep their width."""
    people: bool = True
    """Whether tables for people show it; machine formats (CSV, JSON) always do."""
    drop: int = 0
    """Above 0: a narrow terminal may leave it out; the highest goes first."""
    signed: bool = False
    """A change: people's formats write '+' before a gain and '-' before a loss."""
    vocab: str | None = None
    """Which words of :mod:`kompalloc.reporting.labels` its values are (``status``,
    ``reason``, ``institution_type``, ...): people's tables in another language translate them."""


Cell = str | int | tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table of typed rows, with an optional totals row."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    totals: tuple[Cell, ...] | None = None
    group: str | None = None
    """A column whose value splits the table into sections for people (machine formats keep it)."""
    level: str | None = None
    """A count column holding each row's depth in a tree (0 at the root): people's views indent
    the first column by it (the terminal with '└ ', HTML and workbooks by indentation); the
    cells themselves hold plain names, so machine formats never carry tree glyphs."""
    parts: tuple[int, ...] | None = None
    """The rows whose amounts add up to the totals (None: every row); rounding for people keeps
    their sum equal to the total shown."""


TREE_GLYPH = "└ "
"""How the terminal and tabulate formats mark a row one level down."""


def with_tree_glyphs(table: Table) -> Table:
    """``table`` with the first column of each row under a root drawn as a tree (two spaces a
    level below the first, then '└ '), for text views; the table itself if it has no levels."""
    if table.level is None:
        return table
    at = [c.key for c in table.columns].index(table.level)
    rows = []
    for row in table.rows:
        depth = row[at]
        if isinstance(depth, int) and depth > 0 and isinstance(row[0], str):
            row = ("  " * (depth - 1) + TREE_GLYPH + row[0], *row[1:])
        rows.append(row)
    return replace(table, rows=tuple(rows))


def pools_table(bundle: Bundle, allocation: Allocation, *, all_pools: bool = False) -> Table:
    """Per scheme and pool: cap, committed, available before, granted, remaining, share of cap used."""
    tree = build(bundle)
    columns = (
        Column("pool", "Pool", wrap=True),
        Column("cap", "Cap", Kind.MONEY),
        Column("committed", "Committed", Kind.MONEY, drop=1),
        Column("available", "Available", Kind.MONEY, drop=2),
        Column("granted", "Granted", Kind.MONEY),
        Column("remaining", "Remaining", Kind.MONEY),
        Column("used", "Used", Kind.SHARE),
        Column("pool_id", "Pool ID", people=False),
        Column("parent_id", "Parent ID", people=False),
        Column("level", "Level", Kind.NUMBER, people=False),
    )
    rows: list[tuple[Cell, ...]] = []
    parts: list[int] = []
    totals = [0, 0, 0, 0, 0]
    roots = sorted(
        tree.roots.values(),
        key=lambda p: (norwegian_key(scheme_name(bundle, p.scheme)), p.year or 0),
    )
    for root in roots:
        if not all_pools and allocation.pools[root.id].applications == 0:
            continue
        for depth, pid in pool_walk(tree, root.id, 0):
            r = allocation.pools[pid]
            pool = bundle.pools[pid]
            if depth == 0:
                label = pool.name or f"{scheme_name(bundle, root.scheme)} {root.year}"
                parts.append(len(rows))
            else:
                label = pool.label
            rows.append(
                (
                    label,
                    r.cap,
                    r.committed,
                    r.available,
                    r.granted,
                    r.remaining,
                    (r.committed + r.granted, r.cap),
                    pid,
                    pool.parent or "",
                    depth,
                )
            )
        r = allocation.pools[root.id]
        for i, amount in enumerate((r.cap, r.committed, r.available, r.granted, r.remaining)):
            totals[i] += amount
    total_row: tuple[Cell, ...] = (
        "Total",
        *totals,
        (totals[1] + totals[3], totals[0]),
        "",
        "",
        None,
    )
    return Table(
        "pools",
        "Schemes and pools",
        columns,
        tuple(rows),
        total_row,
        level="level",
        parts=tuple(parts),
    )


def scheme_name(bundle: Bundle, scheme_id: str | None) -> str:
    """A scheme's name, or its id when the files do not define it."""
    scheme = bundle.schemes.get(scheme_id or "")
    return scheme.name if scheme else str(scheme_id)


def pool_walk(tree: PoolTree, pid: str, depth: int) -> list[tuple[int, str]]:
    """The pool and its sub-pools, depth first, each with its depth below ``pid``'s."""
    out = [(depth, pid)]
    for child in tree.children.get(pid, ()):
        out.extend(pool_walk(tree, child.id, depth + 1))
    return out


def clusters_table(bundle: Bundle, allocation: Allocation) -> Table:
    """Per cluster: applications, funded, asked, granted, share of the asked money granted."""
    columns = (
        Column("cluster", "Cluster", wrap=True),
        Column("region", "Region", wrap=True, drop=2),
        Column("applications", "Apps", Kind.COUNT),
        Column("funded", "Funded", Kind.COUNT),
        Column("requested", "Asked", Kind.MONEY),
        Column("granted", "Granted", Kind.MONEY),
        Column("share", "Share", Kind.SHARE),
        Column("cluster_id", "Cluster ID", people=False),
    )
    stats: dict[str | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for grant in allocation.grants:
        s = stats[bundle.applications[grant.application].cluster]
        s[0] += 1
        s[1] += grant.granted > 0
        s[2] += grant.requested
        s[3] += grant.granted
    rows: list[tuple[Cell, ...]] = []
    named = sorted(
        (c for c in stats if c is not None),
        key=lambda c: norwegian_key(bundle.clusters[c].name if c in bundle.clusters else c),
    )
    for cid in [*named, *([None] if None in stats else [])]:
        s = stats[cid]
        cluster = bundle.clusters.get(cid) if cid else None
        name = cluster.name if cluster else ("(no cluster)" if cid is None else cid)
        region = (cluster.region or "") if cluster else ""
        rows.append((name, region, s[0], s[1], s[2], s[3], (s[3], s[2]), cid or ""))
    t = [sum(s[i] for s in stats.values()) for i in range(4)]
    totals: tuple[Cell, ...] = ("Total", "", t[0], t[1], t[2], t[3], (t[3], t[2]), "")
    return Table("clusters", "Clusters", columns, tuple(rows), totals)


APPLICATION_FIELDS = (
    Column("scheme", "Scheme ID", people=False),
    Column("year", "Year", Kind.NUMBER, people=False),
    Column("round_id", "Round ID", people=False),
    Column("institution_id", "Institution ID", people=False),
    Column("institution_name", "Institution name", people=False),
    Column("institution_type", "Institution type", people=False),
    Column("cluster_id", "Cluster ID", people=False),
    Column("region", "Region", people=False),
    Column("title", "Title", people=False),
    Column("submitted", "Submitted", people=False),
    Column("participants", "Participants", Kind.COUNT, people=False),
    Column("study_points", "Study points", Kind.NUMBER, people=False),
    Column("education_level", "Level", people=False),
    Column("score", "Score", Kind.NUMBER, people=False),
    Column("tie_break", "Tie break", Kind.NUMBER, people=False),
    Column("partial", "Accepts partial", people=False),
    Column("min_grant", "Minimum grant", Kind.MONEY, people=False),
    Column("fixed_grant", "Fixed grant", Kind.MONEY, people=False),
    Column("budget", "Budget", Kind.MONEY, people=False),
    Column("exclusive_group", "Exclusive group", people=False),
    Column("target_groups", "Target groups", people=False),
    Column("companies", "Companies", people=False),
    Column("partners", "Partners", people=False),
)
"""Every field of an application beside its decision: machine formats and workbooks carry them,
one row per application, so a secretariat can filter and pivot without a second file."""


def applications_table(
    bundle: Bundle, allocation: Allocation, bound: Mapping[str, Binding] | None = None
) -> Table:
    """Per application, in decision order within each scheme: asked, granted, status and why,
    (with ``bound``) the cap that gave less than asked and the room it had at its turn, and (for
    machine formats and workbooks) every field of the application."""
    columns = (
        Column("application", "ID"),
        Column("round", "Round"),
        Column("institution", "Institution", wrap=True),
        Column("cluster", "Cluster", wrap=True, drop=2),
        Column("rank", "Rank", Kind.NUMBER),
        Column("requested", "Asked", Kind.MONEY),
        Column("granted", "Granted", Kind.MONEY),
        Column("status", "Status", vocab="status"),
        Column("reason", "Reason", wrap=True, vocab="reason"),
        Column("limit", "Limit", people=False),
        Column("position", "Position", Kind.NUMBER, people=False),
        Column("detail", "Detail", people=False),
        Column("binding_cap", "Binding cap", people=False),
        Column("binding_room", "Room at its turn", Kind.MONEY, people=False),
        *APPLICATION_FIELDS,
    )
    rows: list[tuple[Cell, ...]] = []
    for grant in allocation.grants:
        binding = (bound or {}).get(grant.application)
        app = bundle.applications[grant.application]
        root = bundle.pools.get(grant.pools[0]) if grant.pools else None
        round_name = f"{scheme_name(bundle, app.scheme)} {app.year}"
        institution = bundle.institutions.get(app.institution)
        cluster = bundle.clusters.get(app.cluster) if app.cluster else None
        rows.append(
            (
                app.id,
                root.name if root and root.name else round_name,
                institution.label if institution else app.institution,
                cluster.name if cluster else (app.cluster or ""),
                app.rank,
                grant.requested,
                grant.granted,
                grant.status.value,
                grant.reason,
                grant.limit,
                grant.position,
                grant.detail,
                binding.cap if binding else None,
                binding.room if binding else None,
                app.scheme,
                app.year,
                root.id if root else "",
                app.institution,
                institution.name if institution else "",
                institution.type if institution else "",
                app.cluster or "",
                (cluster.region or "") if cluster else "",
                app.title,
                app.submitted.isoformat() if app.submitted != date.min else "",
                app.participants,
                _decimal_text(app.study_points),
                app.level or "",
                _decimal_text(app.score),
                app.tie_break,
                "true" if app.partial else "false",
                app.min_grant,
                app.fixed_grant,
                app.budget,
                app.exclusive_group or "",
                "; ".join(app.target_groups),
                "; ".join(c.name for c in app.companies),
                "; ".join(f"{p.role}: {p.name}" for p in app.partners),
            )
        )
    asked = sum(g.requested for g in allocation.grants)
    given = sum(g.granted for g in allocation.grants)
    head: tuple[Cell, ...] = ("Total", "", "", "", None, asked, given, "", "", "", None, "", None, None)
    rest: tuple[Cell, ...] = tuple(
        None if c.kind is not Kind.TEXT else "" for c in APPLICATION_FIELDS
    )
    return Table("applications", "Applications", columns, tuple(rows), head + rest, group="round")


def _decimal_text(value: Decimal | None) -> str:
    """A decimal field as plain text with a point ('7.5'), or empty."""
    return "" if value is None else format(value, "f")


def report_tables(
    bundle: Bundle,
    allocation: Allocation,
    *,
    all_pools: bool = False,
    bound: Mapping[str, Binding] | None = None,
) -> list[Table]:
    """The full report: pools, clusters, applications."""
    return [
        pools_table(bundle, allocation, all_pools=all_pools),
        clusters_table(bundle, allocation),
        applications_table(bundle, allocation, bound),
    ]


def shares_table(bundle: Bundle, allocation: Allocation) -> Table | None:
    """Per apportioned group of every apportioning round: its weight, its exact quota of the
    pot (rounded down to øre), its floor and cap, the share it got, what its applications were
    granted from it and what is left. None when no round apportions."""
    columns = (
        Column("round", "Round", wrap=True),
        Column("group", "Group", wrap=True),
        Column("group_id", "Group id", people=False),
        Column("weight", "Weight", Kind.NUMBER),
        Column("quota", "Quota", Kind.MONEY, drop=2),
        Column("floor", "Floor", Kind.MONEY, drop=1),
        Column("cap", "Cap", Kind.MONEY, drop=1),
        Column("share", "Share", Kind.MONEY),
        Column("granted", "Granted", Kind.MONEY),
        Column("left", "Left", Kind.MONEY),
    )
    rows: list[tuple[Cell, ...]] = []
    for root_id in sorted(allocation.rounds, key=lambda r: norwegian_key(round_label(bundle, r))):
        info = allocation.rounds[root_id]
        spec = bundle.pools[root_id].apportion
        if not info.shares or spec is None:
            continue
        fixed = sum(
            g.granted for g in allocation.grants if g.limit == "fixed" and root_id in g.pools[:1]
        )
        committed = allocation.pools[root_id].committed
        pot = bundle.pools[root_id].cap - committed - fixed
        total = sum(Fraction(w) for w in spec.weights.values())
        granted: dict[str, int] = defaultdict(int)
        for g in allocation.grants:
            if g.pools[:1] == (root_id,) and g.limit != "fixed":
                app = bundle.applications[g.application]
                institution = bundle.institutions.get(app.institution)
                key = {
                    "cluster": app.cluster,
                    "institution": app.institution,
                    "institution_type": institution.type if institution else None,
                }[spec.by]
                if key is not None:
                    granted[key] += g.granted
        for group in sorted(info.shares, key=lambda g: norwegian_key(group_name(bundle, g))):
            weight = Fraction(spec.weights.get(group, 0))
            quota = int(pot * weight / total) if total else 0
            share = info.shares[group]
            rows.append(
                (
                    round_label(bundle, root_id),
                    group_name(bundle, group),
                    group,
                    _weight_cell(spec.weights.get(group)),
                    quota,
                    spec.floors.get(group),
                    spec.caps.get(group),
                    share,
                    granted[group],
                    share - granted[group],
                )
            )
    if not rows:
        return None
    sums = [sum(v for r in rows if isinstance(v := r[i], int)) for i in (7, 8, 9)]
    totals: tuple[Cell, ...] = ("Total", "", "", None, None, None, None, *sums)
    return Table("shares", "Apportioned shares", columns, tuple(rows), totals)


def _weight_cell(weight: object) -> Cell:
    """A weight as an integer where it is one, else as written."""
    if weight is None:
        return None
    value = Fraction(str(weight))
    return int(value) if value.denominator == 1 else str(weight)


def rounds_table(
    bundle: Bundle, allocation: Allocation, gaps: Mapping[str, FundingGap] | None = None
) -> Table:
    """Per root pool (a scheme's year): method, counts by status, money, and the funding line
    (with ``gaps``: the least extra money that funds it, in which cap, and the cap's room at its
    turn; caps that must move together as 'key=øre' pairs)."""
    tree = build(bundle)
    columns = (
        Column("round", "Round", wrap=True),
        Column("method", "Method", drop=2, vocab="method"),
        Column("funded", "Funded", Kind.COUNT),
        Column("partial", "Partial", Kind.COUNT),
        Column("not_funded", "Not funded", Kind.COUNT),
        Column("rejected", "Rejected", Kind.COUNT, drop=1),
        Column("granted", "Granted", Kind.MONEY),
        Column("remaining", "Remaining", Kind.MONEY),
        Column("funding_line", "Funding line", people=False),
        Column("funding_gap", "Funding gap", Kind.MONEY, people=False),
        Column("funding_cap", "Funding cap", people=False),
        Column("funding_room", "Room at its turn", Kind.MONEY, people=False),
        Column("funding_together", "Caps together", people=False),
        Column("seed", "Seed", Kind.NUMBER, people=False),
        Column("round_id", "Round ID", people=False),
    )
    rows: list[tuple[Cell, ...]] = []
    roots = sorted(
        tree.roots.values(),
        key=lambda p: (norwegian_key(scheme_name(bundle, p.scheme)), p.year or 0),
    )
    # One pass over the grants counts every round's statuses (not one pass per round).
    counts: dict[str, dict[Status, int]] = {}
    for grant in allocation.grants:
        if grant.pools:
            own = counts.get(grant.pools[0])
            if own is None:
                own = counts[grant.pools[0]] = dict.fromkeys(Status, 0)
            own[grant.status] += 1
    for root in roots:
        count = counts.get(root.id)
        if count is None:
            continue
        r = allocation.pools[root.id]
        info = allocation.rounds.get(root.id)
        rows.append(
            (
                round_label(bundle, root.id),
                (info.method if info else "priority").replace("_", "-"),
                count[Status.FUNDED],
                count[Status.PARTIAL],
                count[Status.NOT_FUNDED],
                count[Status.REJECTED],
                r.granted,
                r.remaining,
                info.funding_line if info else None,
                *_gap_cells((gaps or {}).get(root.id)),
                info.seed if info else None,
                root.id,
            )
        )
    sums: list[Cell] = [sum(v for r in rows if isinstance(v := r[i], int)) for i in range(2, 8)]
    totals: tuple[Cell, ...] = ("Total", "", *sums, None, None, None, None, None, None, "")
    return Table("rounds", "Rounds", columns, tuple(rows), totals)


def funding_note(
    allocation: Allocation, root_id: str, gaps: Mapping[str, FundingGap] | None
) -> str:
    """What would move a round's funding line: the exact gap where one was found, otherwise
    the engine's note (a cap that money does not lift, or no gaps asked for)."""
    gap = (gaps or {}).get(root_id)
    if gap is not None:
        return gap_note(gap)
    return allocation.rounds[root_id].funding_note


def _gap_cells(gap: FundingGap | None) -> tuple[Cell, Cell, Cell, Cell]:
    """funding_gap, funding_cap, funding_room, funding_together of a round."""
    if gap is None:
        return None, None, None, None
    target = gap.full
    if target.single:
        best = min(target.single, key=lambda m: m.extra)
        return best.extra, best.key.partition(":")[2], best.room, None
    together = " ".join(f"{m.key.partition(':')[2]}={m.extra}" for m in target.together)
    return None, None, None, together or None


def round_label(bundle: Bundle, root_id: str) -> str:
    """A root pool's name, or its scheme's name and year."""
    root = bundle.pools[root_id]
    return root.name or f"{scheme_name(bundle, root.scheme)} {root.year}"


def group_name(bundle: Bundle, group: str) -> str:
    """A cluster's or institution's name for a group id (institution types stay as they are)."""
    if group in bundle.clusters:
        return bundle.clusters[group].name
    if group in bundle.institutions:
        return bundle.institutions[group].label
    return group


def funding_notes(
    bundle: Bundle, allocation: Allocation, gaps: Mapping[str, FundingGap] | None = None
) -> list[str]:
    """Sentences about each round: where the money ran out and what would help (exactly, from
    ``gaps``, where given), lottery seeds, apportioned shares."""
    notes = []
    for root_id in sorted(allocation.rounds, key=lambda r: norwegian_key(round_label(bundle, r))):
        info = allocation.rounds[root_id]
        if info.funding_line:
            notes.append(
                f"{round_label(bundle, root_id)}: funding line at {info.funding_line}; "
                f"{funding_note(allocation, root_id, gaps)}."
            )
        if info.seed is not None:
            notes.append(
                f"{round_label(bundle, root_id)}: ties drawn by lot with seed {info.seed}."
            )
        if info.shares:
            named = {group_name(bundle, g): n for g, n in info.shares.items()}
            parts = ", ".join(
                f"{name} {format_kr(n)}"
                for name, n in sorted(named.items(), key=lambda kv: norwegian_key(kv[0]))
            )
            notes.append(f"{round_label(bundle, root_id)}: apportioned shares: {parts}.")
    return notes
