"""How ``kompalloc sweep`` shows a sweep: its table, the findings in words, the bar chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kompalloc.money import format_kr
from kompalloc.reporting.tables import Column, Kind, Table
from kompalloc.scenarios.sweep import Step, Sweep

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.table import Table as RichTable

BAR_WIDTH = 44
"""Characters of the longest bar in the chart."""


def findings(result: Sweep, label: str) -> list[str]:
    """Sentences for people, computed from the grants: where more money stops changing any
    grant, and any fall of the round's total (who gains and loses at each step is the changes
    table's)."""
    out = []
    plateau = result.plateau()
    if plateau is not None:
        at = result.steps[plateau]
        why = result.steps[-1].note or "every application that money can fund is funded in full"
        if plateau == 0:
            out.append(
                f"No cap in the range changes any grant in {label}: every application gets the "
                f"same throughout, {format_kr(at.granted)} in all ({why})."
            )
        else:
            before = result.steps[plateau - 1]
            where = (
                f"at a cap of {format_kr(result.exact)}"
                f" (at {format_kr(result.exact - 1)} some grant still differs)"
                if result.exact is not None
                else f"between a cap of {format_kr(before.cap)} and {format_kr(at.cap)}"
            )
            out.append(
                f"More money in {result.pool} stops helping {where}: from "
                f"{format_kr(result.exact if result.exact is not None else at.cap)} on, no grant "
                f"in {label} changes, and it grants {format_kr(at.granted)} ({why})."
            )
    elif len(result.steps) > 1:
        out.append(
            f"Every cap up to {format_kr(result.steps[-1].cap)} still changes a grant in {label}."
        )
    for a, b in result.falls():
        out.append(
            f"The round grants less at a higher cap: {format_kr(a.granted)} at "
            f"{format_kr(a.cap)}, {format_kr(b.granted)} at {format_kr(b.cap)} "
            "(see README, 'Sweeps and monotonicity')."
        )
    return out


def sweep_table(result: Sweep) -> Table:
    """One row per cap: the round's grants, and the money left in the swept pool."""
    columns = (
        Column("cap", "Swept cap", Kind.MONEY),
        Column("granted", "Granted in round", Kind.MONEY),
        Column("change", "+/- step", Kind.MONEY, drop=1, signed=True),
        Column("funded", "Funded", Kind.COUNT),
        Column("full", "In full", Kind.COUNT, drop=2),
        Column("partial", "Partial", Kind.COUNT, drop=2),
        Column("changed", "Changed", Kind.COUNT, drop=3),
        Column("remaining", "Left in swept pool", Kind.MONEY),
        Column("funding_line", "Funding line"),
        Column("funding_shortfall", "Funding shortfall", Kind.MONEY, people=False),
        Column("total_granted", "All rounds", Kind.MONEY, people=False),
    )
    rows = []
    previous: Step | None = None
    for i, s in enumerate(result.steps):
        rows.append(
            (
                s.cap,
                s.granted,
                None if previous is None else s.granted - previous.granted,
                s.funded,
                s.full,
                s.partial,
                None if previous is None else len(result.changes(i)),
                s.remaining,
                s.funding_line or "",
                s.funding_gap,
                s.total,
            )
        )
        previous = s
    title = f"Sweep of {result.pool}: its cap, the round's grants, what is left in {result.pool}"
    return Table("sweep", title, columns, tuple(rows))


def changes_table(result: Sweep) -> Table:
    """Every application whose grant or status changes from one step to the next."""
    columns = (
        Column("cap", "Cap", Kind.MONEY),
        Column("application", "Application"),
        Column("cluster", "Cluster", wrap=True),
        Column("before", "Before", Kind.MONEY),
        Column("after", "After", Kind.MONEY),
        Column("change", "Change"),
        Column("status_before", "Status before", people=False),
        Column("status_after", "Status after"),
    )
    rows = []
    for i in range(1, len(result.steps)):
        for c in result.changes(i):
            rows.append(
                (
                    result.steps[i].cap,
                    c.application,
                    c.cluster or "",
                    c.before,
                    c.after,
                    c.kind,
                    c.status_before.value,
                    c.status_after.value,
                )
            )
    return Table("sweep_changes", "Grants that change between steps", columns, tuple(rows))


def clusters_table(result: Sweep) -> Table:
    """Each cluster whose grants change from one step to the next: before, after, change."""
    columns = (
        Column("cap", "Cap", Kind.MONEY),
        Column("cluster", "Cluster", wrap=True),
        Column("before", "Before", Kind.MONEY),
        Column("after", "After", Kind.MONEY),
        Column("change", "+/- step", Kind.MONEY, signed=True),
    )
    rows = []
    for i in range(1, len(result.steps)):
        before, after = result.by_cluster(i - 1), result.by_cluster(i)
        for cluster in sorted(
            {c.cluster for c in result.changes(i)}, key=lambda c: (c is None, c or "")
        ):
            was, now = before.get(cluster, 0), after.get(cluster, 0)
            rows.append((result.steps[i].cap, cluster or "(no cluster)", was, now, now - was))
    return Table("sweep_clusters", "Clusters whose grants change", columns, tuple(rows))


def chart(result: Sweep, money: str = "kr") -> RenderableType:
    """One bar per cap: what the round grants, then what is left in the pool; the bars as long
    as the console leaves room for (at most :data:`BAR_WIDTH`), amounts never cut."""
    return _Chart(result, money)


class _Chart:
    def __init__(self, result: Sweep, money: str) -> None:
        self.result, self.money = result, money

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.grid(options.max_width)

    def grid(self, width: int) -> RichTable:
        """The chart laid out for ``width`` columns."""
        from rich.table import Table as RichTable
        from rich.text import Text

        from kompalloc.reporting.render import text_cell

        result, money = self.result, self.money
        amount = Column("amount", "", Kind.MONEY)
        longest = max((s.granted + max(s.remaining, 0) for s in result.steps), default=0) or 1
        plateau = result.plateau()
        falls = {id(b) for _, b in result.falls()}
        caps = [text_cell(s.cap, amount, unit=False, money=money) for s in result.steps]
        grants = [text_cell(s.granted, amount, unit=False, money=money) for s in result.steps]
        marks = []
        for i, s in enumerate(result.steps):
            mark = ""
            if plateau is not None and i == plateau and plateau > 0:
                mark = "◀ more money stops helping"
            elif id(s) in falls:
                mark = "◀ less than the step before"
            marks.append(mark)
        fixed = max(map(len, caps), default=0) + max(map(len, grants), default=0) + 3
        mark_width = max(map(len, marks), default=0)
        room = width - fixed - (mark_width + 1 if mark_width else 0)
        bar_width = max(min(BAR_WIDTH, room), 10)
        if room < 10 and mark_width:  # the marks wrap under their words instead
            mark_width = max(width - fixed - bar_width - 1, 12)
        grid = RichTable.grid(padding=(0, 1))
        grid.title = f"Granted in the round as the cap of {result.pool} varies"
        grid.title_justify = "left"
        grid.title_style = "bold"
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True, width=bar_width)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(width=mark_width or None)
        for s, cap, granted, mark in zip(result.steps, caps, grants, marks, strict=True):
            used = s.granted * bar_width // longest
            left = max(s.remaining, 0) * bar_width // longest
            bar = Text("█" * used, style="green")
            bar.append("░" * left, style="dim")
            bar.append(" " * (bar_width - used - left))
            grid.add_row(cap, bar, granted, Text(mark, style="bold yellow" if mark else ""))
        grid.caption = (
            f"Cap of {result.pool}, then █ granted in the round and ░ left in {result.pool}, "
            "and the amount granted in the round."
        )
        grid.caption_justify = "left"
        grid.caption_style = "dim"
        return grid
