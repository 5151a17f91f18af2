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
    """Sentences for people: where more money stops helping, and any fall."""
    out = []
    plateau = result.plateau()
    if plateau is not None:
        at = result.steps[plateau]
        why = result.steps[-1].note or "every application that money can fund is funded in full"
        if plateau == 0:
            out.append(
                f"No cap in the range changes the grants of {label}: it grants "
                f"{format_kr(at.granted)} throughout ({why})."
            )
        else:
            before = result.steps[plateau - 1]
            out.append(
                f"More money in {result.pool} stops helping between a cap of "
                f"{format_kr(before.cap)} and {format_kr(at.cap)}: from {format_kr(at.cap)} "
                f"on, {label} grants {format_kr(at.granted)} ({why})."
            )
    elif len(result.steps) > 1:
        out.append(
            f"Every step up to {format_kr(result.steps[-1].cap)} still adds grants in {label}."
        )
    for a, b in result.falls():
        out.append(
            f"The round grants less at a higher cap: {format_kr(a.granted)} at "
            f"{format_kr(a.cap)}, {format_kr(b.granted)} at {format_kr(b.cap)} "
            "(see README, 'Sweeps and monotonicity')."
        )
    return out


def sweep_table(result: Sweep) -> Table:
    """One row per cap."""
    columns = (
        Column("cap", "Cap", Kind.MONEY),
        Column("granted", "Granted", Kind.MONEY),
        Column("change", "+/- step", Kind.MONEY, signed=True),
        Column("funded", "Funded", Kind.COUNT),
        Column("full", "In full", Kind.COUNT),
        Column("partial", "Partial", Kind.COUNT),
        Column("remaining", "Left in pool", Kind.MONEY),
        Column("funding_line", "Funding line"),
        Column("funding_gap", "Funding gap", Kind.MONEY, people=False),
        Column("total_granted", "All rounds", Kind.MONEY, people=False),
    )
    rows = []
    previous: Step | None = None
    for s in result.steps:
        rows.append(
            (
                s.cap,
                s.granted,
                None if previous is None else s.granted - previous.granted,
                s.funded,
                s.full,
                s.partial,
                s.remaining,
                s.funding_line or "",
                s.funding_gap,
                s.total,
            )
        )
        previous = s
    return Table("sweep", f"Sweep of {result.pool}", columns, tuple(rows))


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
            "Cap, then █ granted in the round and ░ left in the pool, and the amount granted."
        )
        grid.caption_justify = "left"
        grid.caption_style = "dim"
        return grid
