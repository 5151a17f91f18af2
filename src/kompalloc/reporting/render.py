"""Renderers: neutral tables to Rich renderables, tabulate text, CSV and JSON. Nothing here prints."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kompalloc.money import format_kr, format_mnok
from kompalloc.reporting.formats import TABULATE_FORMATS, Format
from kompalloc.reporting.tables import Cell, Column, Kind, Table

if TYPE_CHECKING:
    from rich.console import RenderableType


def _share(cell: tuple[int, int]) -> str:
    part, whole = cell
    if whole == 0:
        return "–"
    # Exact integer percentage with one decimal, rounded half up; no floats near money.
    tenths = (part * 1000 * 2 + whole) // (whole * 2)
    return f"{tenths // 10},{tenths % 10} %"


def text_cell(cell: Cell, column: Column, *, unit: bool = True, money: str = "kr") -> str:
    """A cell as people read it: amounts in kroner (or MNOK) with Norwegian separators."""
    if cell is None:
        return ""
    if column.kind is Kind.MONEY and isinstance(cell, int):
        if money == "mnok":
            text = format_mnok(cell)
            return text if unit else text.removesuffix(" MNOK")
        text = format_kr(cell)
        return text if unit else text.removesuffix("\u00a0kr")
    if column.kind is Kind.SHARE and isinstance(cell, tuple):
        return _share(cell)
    return str(cell)


def group_rows(table: Table) -> list[tuple[str | None, list[tuple[Cell, ...]]]]:
    """The rows split into consecutive sections by the table's group column (one section if none)."""
    if table.group is None:
        return [(None, list(table.rows))]
    index = [c.key for c in table.columns].index(table.group)
    sections: list[tuple[str | None, list[tuple[Cell, ...]]]] = []
    for row in table.rows:
        label = str(row[index])
        if not sections or sections[-1][0] != label:
            sections.append((label, []))
        sections[-1][1].append(row)
    return sections


def section_totals(table: Table, rows: Sequence[tuple[Cell, ...]]) -> tuple[Cell, ...]:
    """Totals of one section: money and counts summed, shares recomputed, text left empty."""
    out: list[Cell] = []
    for i, column in enumerate(table.columns):
        values = [row[i] for row in rows]
        if column.kind in (Kind.MONEY, Kind.COUNT):
            out.append(sum(v for v in values if isinstance(v, int)))
        elif column.kind is Kind.SHARE:
            pairs = [v for v in values if isinstance(v, tuple)]
            out.append((sum(p[0] for p in pairs), sum(p[1] for p in pairs)))
        else:
            out.append("Total" if i == 0 else "")
    return tuple(out)


_MIN_WIDTHS = {"reason": 20, "cluster": 8, "region": 8}


WRAPPED_WIDTH = 22
"""How wide a wrapping column is counted when deciding what fits (it can wrap to fewer)."""


def fitting_columns(table: Table, width: int | None, money: str = "kr") -> list[int]:
    """The columns people see: without the table's group column and machine-only columns, and
    on a narrow terminal without the optional ones (highest ``drop`` first) until the rest fit."""
    return _fitting(table, width, lambda i: _column_texts(table, i, money))


def _column_texts(table: Table, i: int, money: str) -> list[str]:
    """Column ``i``'s cells as people read them (without the unit), each distinct value formatted
    once; the totals' cell last when the table has totals."""
    column = table.columns[i]
    memo: dict[Cell, str] = {}
    texts: list[str] = []
    append = texts.append
    cells = [r[i] for r in table.rows]
    if table.totals:
        cells.append(table.totals[i])
    for cell in cells:
        text = memo.get(cell)
        if text is None:
            text = memo[cell] = text_cell(cell, column, unit=False, money=money)
        append(text)
    return texts


def _fitting(table: Table, width: int | None, texts: Callable[[int], list[str]]) -> list[int]:
    keep = [i for i, c in enumerate(table.columns) if c.key != table.group and c.people]
    if width is None:
        return keep

    def natural(i: int) -> int:
        column = table.columns[i]
        longest = max([len(column.title), *map(len, texts(i))])
        return min(longest, WRAPPED_WIDTH) if column.wrap else longest

    widths = {i: natural(i) for i in keep}
    droppable = sorted(
        (i for i in keep if table.columns[i].drop), key=lambda i: -table.columns[i].drop
    )
    while sum(widths[i] + 1 for i in keep) > width and droppable:
        keep.remove(droppable.pop(0))
    return keep


def _sections(table: Table) -> list[tuple[str | None, int, int]]:
    """Like :func:`group_rows`, as each section's label and the slice of rows it spans."""
    if table.group is None:
        return [(None, 0, len(table.rows))]
    index = [c.key for c in table.columns].index(table.group)
    sections: list[tuple[str | None, int, int]] = []
    label: str | None = None
    start = 0
    for n, row in enumerate(table.rows):
        here = str(row[index])
        if n == 0:
            label = here
        elif here != label:
            sections.append((label, start, n))
            label, start = here, n
    if table.rows:
        sections.append((label, start, len(table.rows)))
    return sections


def rich_tables(table: Table, money: str = "kr", width: int | None = None) -> list[RenderableType]:
    """Rich tables, one per section: amounts in kroner right-aligned, totals in the footer.

    With ``width`` (the terminal's), optional columns are left out until the table fits."""
    from rich import box
    from rich.table import Table as RichTable

    # Each cell's text is made once (each distinct amount formatted once) and serves to choose
    # the columns, to measure them and to render them.
    texts: dict[int, list[str]] = {}

    def column_texts(i: int) -> list[str]:
        if i not in texts:
            texts[i] = _column_texts(table, i, money)
        return texts[i]

    keep = _fitting(table, width, column_texts)
    shown = [column_texts(i) for i in keep]
    caption = (
        ("Amounts in MNOK." if money == "mnok" else "Amounts in kroner.")
        if any(c.kind is Kind.MONEY for c in table.columns)
        else None
    )
    out: list[RenderableType] = []
    for label, start, end in _sections(table):
        rows = table.rows[start:end]
        totals = table.totals if label is None else section_totals(table, rows)
        title = table.title if label is None else f"{table.title}: {label}"
        t = RichTable(
            title=title,
            box=box.SIMPLE_HEAD,
            show_footer=totals is not None,
            title_justify="left",
            title_style="bold",
            caption=caption,
            caption_justify="left",
            caption_style="dim",
            pad_edge=False,
            show_edge=False,
            padding=(0, 1, 0, 0),
        )
        for n, i in enumerate(keep):
            column = table.columns[i]
            numeric = column.kind is not Kind.TEXT
            if not totals:
                footer = ""
            elif label is None:
                footer = shown[n][-1]
            else:
                footer = text_cell(totals[i], column, unit=False, money=money)
            t.add_column(
                column.title,
                footer=footer,
                justify="right" if numeric else "left",
                no_wrap=not column.wrap,
                overflow="fold",
                min_width=None,
            )
        for cells in zip(*(texts[start:end] for texts in shown), strict=True):
            t.add_row(*cells)
        out.append(t)
    return out


def tabulate_text(tables: Sequence[Table], fmt: Format, money: str = "kr") -> str:
    """Tables as text in one of tabulate's formats, each under its title."""
    from tabulate import tabulate

    parts = []
    for table in tables:
        shown = [i for i, c in enumerate(table.columns) if c.people]
        columns = [table.columns[i] for i in shown]
        rows = [[text_cell(r[i], table.columns[i], money=money) for i in shown] for r in table.rows]
        if table.totals:
            rows.append([text_cell(table.totals[i], table.columns[i], money=money) for i in shown])
        align = ["right" if c.kind is not Kind.TEXT else "left" for c in columns]
        body = tabulate(
            rows,
            headers=[c.title for c in columns],
            tablefmt=TABULATE_FORMATS[fmt],
            colalign=align,
            disable_numparse=True,
        )
        title = f"## {table.title}" if fmt in (Format.GITHUB, Format.MARKDOWN) else table.title
        parts.append(
            f"{title}\n\n{body}\n" if fmt not in (Format.HTML, Format.LATEX) else body + "\n"
        )
    return "\n".join(parts)


def _machine(cell: Cell, column: Column) -> Any:
    if column.kind is Kind.SHARE and isinstance(cell, tuple):
        part, whole = cell
        return None if whole == 0 else round(part / whole, 6)  # a ratio, not money
    return cell


def csv_text(tables: Sequence[Table]) -> str:
    """Tables as CSV, one block per table with a 'table' column; amounts in øre."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for table in tables:
        writer.writerow(["table", *(_csv_header(c) for c in table.columns)])
        for row in table.rows:
            writer.writerow(
                [table.key, *(_machine(c, col) for c, col in zip(row, table.columns, strict=True))]
            )
        if table.totals:
            writer.writerow(
                [
                    f"{table.key}_total",
                    *(_machine(c, col) for c, col in zip(table.totals, table.columns, strict=True)),
                ]
            )
        writer.writerow([])
    return buffer.getvalue()


def _csv_header(column: Column) -> str:
    return f"{column.key}_ore" if column.kind is Kind.MONEY else column.key


def table_json(table: Table) -> dict[str, Any]:
    """One table as JSON-ready data; amounts in øre (integers), shares as ratios."""

    def record(row: tuple[Cell, ...]) -> dict[str, Any]:
        return {_csv_header(c): _machine(v, c) for v, c in zip(row, table.columns, strict=True)}

    return {
        "title": table.title,
        "rows": [record(r) for r in table.rows],
        "totals": record(table.totals) if table.totals else None,
    }


def json_text(document: dict[str, Any]) -> str:
    """Stable, readable JSON."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
