"""How ``kompalloc compare`` shows a comparison: neutral tables, summary sentences, Rich blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kompalloc.money import format_kr
from kompalloc.reporting.tables import Cell, Column, Kind, Table
from kompalloc.scenarios.compare import (
    Block,
    Comparison,
    Metric,
    Row,
    Summary,
    change,
    visible_rows,
)

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table as RichTable
    from rich.text import Text

TABLE_WIDTH = 100
"""People's tables are split by scenario so that each fits this many columns."""
LABEL_WIDTH = 30
"""Pool and cluster names longer than this are cut with an ellipsis in people's tables."""
BASE_NAME = "base"
"""The name of the run of the files as loaded."""
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _kind(metric: Metric) -> Kind:
    return Kind.MONEY if metric.money else Kind.COUNT


def _signed(amount: int) -> str:
    if amount == 0:
        return "±0 kr"
    return ("+" if amount > 0 else "-") + format_kr(abs(amount))


def summary_line(summary: Summary) -> str:
    """What one run changes against the baseline, as one sentence for people."""
    head = f"{summary.name} vs {summary.baseline}: "
    if not summary.changed:
        return head + "nothing changes."
    delta = summary.granted - summary.granted_before
    parts = [
        f"granted {_signed(delta)} ({format_kr(summary.granted_before)} -> "
        f"{format_kr(summary.granted)})"
    ]
    gains = (
        f"{summary.gainers} gain {format_kr(summary.gained)}" if summary.gainers else "none gains"
    )
    losses = f"{summary.losers} lose {format_kr(summary.lost)}" if summary.losers else "none loses"
    parts.append(f"{gains}, {losses}")
    parts.append("newly funded: " + (", ".join(summary.newly_funded) or "none"))
    parts.append("dropped: " + (", ".join(summary.dropped) or "none"))
    if summary.added:
        parts.append("added: " + ", ".join(summary.added))
    if summary.removed:
        parts.append("removed: " + ", ".join(summary.removed))
    parts += [
        f"cap of {name} {format_kr(before)} -> {format_kr(after)}"
        for name, before, after in summary.caps
    ]
    return head + "; ".join(parts) + "."


def summary_lines(result: Comparison) -> list[str]:
    """One sentence per scenario (the notes of the machine and tabulate formats)."""
    return [summary_line(s) for s in result.summaries]


def shown_blocks(result: Comparison, *, short: bool) -> list[Block]:
    """The blocks compare shows: none with ``short``, else applications, pools and clusters."""
    return [] if short else [result.applications, result.pools, result.clusters]


def comparison_tables(result: Comparison, blocks: Sequence[Block], *, full: bool) -> list[Table]:
    """The summary table, then each block's table (only changed rows unless ``full``)."""
    names = [r.name for r in result.runs]
    tables = [summary_table(result.summaries)]
    tables += [block_table(b, names, 0, visible_rows(b, 0, full=full)) for b in blocks]
    return tables


def block_table(block: Block, names: Sequence[str], baseline: int, rows: Sequence[Row]) -> Table:
    """A block as a neutral table: per run its metrics, and the change where the metric has one.

    Column keys are ``<run>_<metric>`` (and ``<run>_change``, ``<run>_status``), e.g.
    ``ifs-plus-5-mnok_granted``; machine formats add ``_ore`` to amounts as everywhere.
    """
    columns: list[Column] = []
    if block.key != "applications":
        columns.append(Column(f"{block.key[:-1]}_id", f"{block.label} id", people=False))
    key = "application" if block.key == "applications" else block.key[:-1]
    columns.append(Column(key, block.label, wrap=block.key != "applications"))
    for c, name in enumerate(names):
        for metric in block.metrics:
            columns.append(
                Column(f"{name}_{metric.key}", f"{name} {metric.title.lower()}", _kind(metric))
            )
            if metric.change and c != baseline:
                columns.append(Column(f"{name}_change", f"{name} change", Kind.MONEY))
        if block.key == "applications":
            columns.append(Column(f"{name}_status", f"{name} status", people=False))
    out: list[tuple[Cell, ...]] = []
    for row in rows:
        cells: list[Cell] = [row.label] if block.key == "applications" else [row.key, row.label]
        for c in range(len(names)):
            values = row.values[c]
            for m, metric in enumerate(block.metrics):
                cells.append(None if values is None else values[m])
                if metric.change and c != baseline:
                    cells.append(change(row, c, baseline, m))
            if block.key == "applications":
                cells.append(row.statuses[c] if row.statuses else None)
        out.append(tuple(cells))
    return Table(block.key, block.title, tuple(columns), tuple(out))


def summary_table(summaries: Sequence[Summary]) -> Table:
    """One row per scenario: the money before and after, what moved, who is newly funded or dropped."""
    columns = (
        Column("scenario", "Scenario"),
        Column("baseline", "Baseline"),
        Column("granted_before", "Granted before", Kind.MONEY),
        Column("granted", "Granted", Kind.MONEY),
        Column("change", "Change", Kind.MONEY),
        Column("gained", "Gained", Kind.MONEY),
        Column("gainers", "Gainers", Kind.COUNT),
        Column("lost", "Lost", Kind.MONEY),
        Column("losers", "Losers", Kind.COUNT),
        Column("newly_funded", "Newly funded", wrap=True),
        Column("dropped", "Dropped", wrap=True),
        Column("changed", "Changed"),
    )
    rows = tuple(
        (
            s.name,
            s.baseline,
            s.granted_before,
            s.granted,
            s.granted - s.granted_before,
            s.gained,
            s.gainers,
            s.lost,
            s.losers,
            " ".join(s.newly_funded),
            " ".join(s.dropped),
            "yes" if s.changed else "no",
        )
        for s in summaries
    )
    return Table("summary", "Summary", columns, rows)


def _letter(column: int) -> str:
    """How people's tables head a run: 'Baseline', then A, B, C, ..."""
    if column == 0:
        return "Baseline"
    n = column - 1
    return LETTERS[n % 26] + (str(n // 26) if n >= 26 else "")


def comparison_renderables(
    result: Comparison, blocks: Sequence[Block], money: str, *, full: bool
) -> list[RenderableType]:
    """The legend, the summary lines, and each block's tables, split to fit 100 columns."""
    import textwrap

    from rich.text import Text

    out: list[RenderableType] = []
    legend = Text()
    for c, run in enumerate(result.runs):
        about = run.description or ("the files as loaded" if run.name == BASE_NAME else "")
        legend.append(f"{_letter(c)} = ", style="bold")
        text = run.name + (f": {about}" if about else "")
        legend.append(
            "\n".join(textwrap.wrap(text, width=TABLE_WIDTH - 10, subsequent_indent="    ")) + "\n"
        )
    unit = "kroner" if money == "kr" else "MNOK"
    legend.append(
        f"Amounts in {unit}; changed values are bold; – marks what a run does not have.\n"
    )
    if blocks:
        out.append(legend)
    for summary in result.summaries:
        # textwrap breaks at spaces only, never at the no-break spaces inside amounts.
        wrapped = textwrap.wrap(summary_line(summary), width=TABLE_WIDTH, subsequent_indent="    ")
        line = Text("\n".join(wrapped))
        line.stylize("bold", 0, len(summary.name))
        if not summary.changed:
            line.stylize("dim")
        out.append(line)
    out.append(Text(""))
    for block in blocks:
        rows = visible_rows(block, 0, full=full)
        if not rows:
            out.append(Text(f"{block.title}: no change.", style="dim"))
            out.append(Text(""))
            continue
        for table in _rich_blocks(result, block, rows, money):
            out.append(table)
            out.append(Text(""))
    return out


def _cell_texts(result: Comparison, block: Block, row: Row, column: int, money: str) -> list[Text]:
    """One run's cells of a row: its metrics, and the change where the metric has one."""
    from rich.text import Text

    from kompalloc.reporting.render import text_cell

    values = row.values[column]
    changed = column != 0 and row.changed(column, 0)
    cells: list[Text] = []
    for m, metric in enumerate(block.metrics):
        if not metric.people:
            continue
        if values is None:
            cells.append(Text("–", style="dim"))
        else:
            shown = text_cell(
                values[m], Column(metric.key, metric.title, _kind(metric)), unit=False, money=money
            )
            before = row.values[0]
            differs = changed and (before is None or before[m] != values[m])
            cells.append(Text(shown, style="bold" if differs else ""))
        if metric.change and column != 0:
            delta = change(row, column, 0, m)
            if not delta:
                cells.append(Text(""))
            else:
                amount = text_cell(
                    abs(delta), Column("change", "", Kind.MONEY), unit=False, money=money
                )
                if not metric.money:
                    amount = str(abs(delta))
                sign = "+" if delta > 0 else "-"
                cells.append(Text(sign + amount, style="bold green" if delta > 0 else "bold red"))
    return cells


def _rich_blocks(
    result: Comparison, block: Block, rows: Sequence[Row], money: str
) -> list[RichTable]:
    """The block as Rich tables, each with the baseline and as many runs as fit 100 columns."""
    from rich.console import Console
    from rich.table import Table as RichTable

    from kompalloc.reporting.render import table_style

    grid = {
        (r, c): _cell_texts(result, block, row, c, money)
        for r, row in enumerate(rows)
        for c in range(len(result.runs))
    }

    def heads(c: int) -> list[str]:
        titles = []
        for metric in block.metrics:
            if not metric.people:
                continue
            titles.append(f"{_letter(c)}\n{metric.title}")
            if metric.change and c != 0:
                titles.append(f"{_letter(c)}\n+/-")
        return titles

    def build(chunk: list[int], part: str) -> RichTable:
        t = RichTable(title=block.title + part, **table_style())
        t.add_column(block.label, no_wrap=True, max_width=LABEL_WIDTH, overflow="ellipsis")
        for c in [0, *chunk]:
            for title in heads(c):
                t.add_column(title, justify="right", no_wrap=True)
        for r, row in enumerate(rows):
            cells: list[Text | str] = [row.label]
            for c in [0, *chunk]:
                cells.extend(grid[(r, c)])
            t.add_row(*cells)
        return t

    measure = Console(width=10_000, color_system=None).measure
    chunks: list[list[int]] = []
    for c in range(1, len(result.runs)):
        if chunks and measure(build([*chunks[-1], c], "")).maximum <= TABLE_WIDTH:
            chunks[-1].append(c)
        else:
            chunks.append([c])
    tables = []
    for n, chunk in enumerate(chunks, start=1):
        part = f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""
        tables.append(build(chunk, part))
    return tables
