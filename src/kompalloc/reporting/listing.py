"""Neutral tables of what is loaded, one section at a time, sorted as Norwegian readers expect."""

from __future__ import annotations

from kompalloc.collation import norwegian_key
from kompalloc.model import Bundle
from kompalloc.reporting.tables import Cell, Column, Kind, Table


def listing_table(bundle: Bundle, section: str) -> Table:
    """The entries of one section (schemes, pools, clusters, institutions, applications, limits)."""
    rows: list[tuple[Cell, ...]]
    columns: tuple[Column, ...]
    if section == "schemes":
        columns = (
            Column("id", "ID"),
            Column("name", "Name", wrap=True),
            Column("administrator", "Administrator"),
            Column("deadline", "Deadline"),
            Column("institution_types", "Who may apply", wrap=True, vocab="institution_type"),
        )
        rows = [
            (
                s.id,
                s.name,
                s.administrator,
                s.deadline.isoformat() if s.deadline else "",
                ", ".join(s.institution_types),
            )
            for s in sorted(bundle.schemes.values(), key=lambda s: norwegian_key(s.name))
        ]
    elif section == "pools":
        columns = (
            Column("id", "ID"),
            Column("name", "Name", wrap=True),
            Column("parent", "Parent", drop=1),
            Column("year", "Year", Kind.NUMBER),
            Column("cap", "Cap", Kind.MONEY),
            Column("committed", "Committed", Kind.MONEY),
            Column("method", "Method", vocab="method", drop=2),
        )
        rows = [
            (
                p.id,
                p.label,
                p.parent or "",
                p.year,
                p.cap,
                p.committed,
                p.method or ("priority" if p.parent is None else ""),
            )
            for p in sorted(bundle.pools.values(), key=lambda p: norwegian_key(p.id))
        ]
    elif section == "clusters":
        columns = (
            Column("id", "ID"),
            Column("name", "Name", wrap=True),
            Column("region", "Region", wrap=True),
        )
        rows = [
            (c.id, c.name, c.region or "")
            for c in sorted(bundle.clusters.values(), key=lambda c: norwegian_key(c.name))
        ]
    elif section == "institutions":
        columns = (
            Column("id", "ID"),
            Column("name", "Name", wrap=True),
            Column("type", "Type", vocab="institution_type"),
            Column("org_number", "Org. number", drop=1),
        )
        rows = [
            (i.id, i.name, i.type, i.org_number or "")
            for i in sorted(bundle.institutions.values(), key=lambda i: norwegian_key(i.name))
        ]
    elif section == "applications":
        columns = (
            Column("id", "ID"),
            Column("scheme", "Scheme"),
            Column("year", "Year", Kind.NUMBER),
            Column("institution", "Institution"),
            Column("cluster", "Cluster", drop=1),
            Column("rank", "Rank", Kind.NUMBER),
            Column("requested", "Asked", Kind.MONEY),
            Column("submitted", "Submitted"),
        )
        rows = [
            (
                a.id,
                a.scheme,
                a.year,
                a.institution,
                a.cluster or "",
                a.rank,
                a.requested,
                a.submitted.isoformat(),
            )
            for a in sorted(
                bundle.applications.values(), key=lambda a: (a.scheme, a.year, norwegian_key(a.id))
            )
        ]
    else:
        columns = (
            Column("id", "ID"),
            Column("name", "Name", wrap=True),
            Column("year", "Year", Kind.NUMBER),
            Column("per", "Per"),
            Column("cap", "Cap", Kind.MONEY),
        )
        rows = [
            (lim.id, lim.name or "", lim.year, lim.per or "", lim.cap)
            for lim in sorted(bundle.limits.values(), key=lambda lim: norwegian_key(lim.id))
        ]
    return Table(section, section.capitalize(), columns, tuple(rows))
