"""Neutral tables as an Excel workbook (.xlsx): one worksheet per table, numbers as numbers.

Layout of each worksheet (named by the table's key):
- row 1: the table's title, bold;
- row 2: the column titles, bold on grey, frozen with the title so they stay in view;
- a row per table row, with an autofilter over them;
- the totals row, bold under a rule.

Money is a number in kroner with the format ``#,##0`` (an amount with øre: ``#,##0.00``, only on
that cell). The ',' in a format code is the grouping placeholder, which Excel, LibreOffice and
Numbers show with the reader's own separator: Norwegian settings show ``1 250 000`` and
``1 250 000,50`` (Excel's Norwegian dialog even lists the format as ``# ##0``). Counts and ranks
are integers; shares are fractions with the format ``0.0 %``. A last worksheet, ``about``,
carries the reproducibility stamp.

Amounts leave the exact integer øre only here, as decimal text in the file: ``Decimal(øre) / 100``,
never float arithmetic. A workbook keeps a number as a double, which holds 15 significant digits
exactly: an amount with more (over about 10 000 000 000 000 kr, a sum of such amounts, or a
mistyped cap) is written as text, ``9 007 199 254 740 993,01 kr``, so that it survives to the
øre instead of becoming a nearby number. Validation does not limit amounts to what a workbook
holds, since JSON and CSV carry any amount exactly and totals can pass the limit when no single
amount does.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from kompalloc.money import ORE_PER_KRONE, format_kr
from kompalloc.reporting.tables import Cell, Column, Kind, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

KRONER = "#,##0"
KRONER_ORE = "#,##0.00"
PERCENT = "0.0 %"
HEADER_ROW = 2
"""The row of column titles; the title is in row 1 and the data start below."""
_MAX_WIDTH = 60
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


EXACT_DIGITS = 15
"""Significant digits a workbook number (a double) holds exactly, as Excel shows them."""


def money_value(ore: int) -> int | Decimal | str:
    """Øre as kroner for a number cell: an int when whole, else an exact Decimal; as text
    (``format_kr``) when the amount has more significant digits than a workbook keeps."""
    kroner, rest = divmod(ore, ORE_PER_KRONE)
    value = kroner if rest == 0 else Decimal(ore) / ORE_PER_KRONE
    if len(Decimal(value).normalize().as_tuple().digits) > EXACT_DIGITS:
        return format_kr(ore, space=" ")
    return value


def share_value(cell: tuple[int, int]) -> Decimal | None:
    """A share as a fraction rounded half up to 6 decimals (0.125 shows as 12.5 %)."""
    part, whole = cell
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def cell_value(cell: Cell, column: Column) -> tuple[Any, str | None]:
    """A table cell as (value, number format) for a worksheet."""
    if cell is None:
        return None, None
    if column.kind is Kind.MONEY and isinstance(cell, int):
        value = money_value(cell)
        if isinstance(value, str):
            return value, None
        return value, KRONER if cell % ORE_PER_KRONE == 0 else KRONER_ORE
    if column.kind is Kind.SHARE and isinstance(cell, tuple):
        return share_value(cell), PERCENT
    if column.kind in (Kind.COUNT, Kind.NUMBER) and isinstance(cell, int):
        return cell, "0"
    if isinstance(cell, tuple):  # a share in a column not marked as one: keep it readable
        return f"{cell[0]}/{cell[1]}", None
    return cell, None


def _shown_width(value: Any, fmt: str | None) -> int:
    """About how many characters a cell shows, for the column's width."""
    if value is None:
        return 0
    if fmt in (KRONER, KRONER_ORE):
        whole = int(value)
        return len(f"{whole:,}") + (3 if fmt == KRONER_ORE else 0)
    if fmt == PERCENT:
        return 7
    return max((len(line) for line in str(value).splitlines()), default=0)


def sheet_name(key: str, taken: set[str]) -> str:
    """A worksheet name from a table key: at most 31 characters, none of []:*?/\\, unique."""
    base = _BAD_SHEET_CHARS.sub("_", key).strip("'")[:31] or "table"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def xlsx_bytes(
    tables: Sequence[Table],
    document: Mapping[str, Any] | None = None,
    *,
    notes: Sequence[str] = (),
) -> bytes:
    """The tables as an .xlsx workbook; the report's stamp and notes fill the 'about' sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    taken: set[str] = set()
    for table in tables:
        _write_table(workbook.create_sheet(sheet_name(table.key, taken)), table)
    if document or notes:
        _write_about(workbook.create_sheet(sheet_name("about", taken)), document or {}, notes)
        version = (document or {}).get("kompalloc_version")
        workbook.properties.creator = f"kompalloc {version}" if version else "kompalloc"
    workbook.properties.title = "kompalloc report"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_table(ws: Worksheet, table: Table) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    columns = table.columns
    widths = [len(c.title) for c in columns]

    ws.cell(row=1, column=1, value=table.title).font = Font(bold=True, size=13)
    header_fill = PatternFill("solid", fgColor="E7E6E6")
    rule = Side(style="thin")
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=column.title)
        cell.font = bold
        cell.fill = header_fill
        cell.border = Border(bottom=rule)
        numeric = column.kind is not Kind.TEXT
        cell.alignment = Alignment(horizontal="right" if numeric else "left")

    def put(row_number: int, row: tuple[Cell, ...], *, total: bool) -> None:
        for i, (raw, column) in enumerate(zip(row, columns, strict=True), start=1):
            value, fmt = cell_value(raw, column)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            cell = ws.cell(row=row_number, column=i, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text from the input files is never a formula
            if fmt is not None:
                cell.number_format = fmt
            if total:
                cell.font = bold
                cell.border = Border(top=rule)
            widths[i - 1] = max(widths[i - 1], _shown_width(value, fmt))

    last = HEADER_ROW
    for last, row in enumerate(table.rows, start=HEADER_ROW + 1):
        put(last, row, total=False)
    if table.rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last}"
    if table.totals is not None:
        put(last + 1, table.totals, total=True)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, 6) + 2, _MAX_WIDTH)


def _write_about(ws: Worksheet, document: Mapping[str, Any], notes: Sequence[str]) -> None:
    """The stamp: what made the report and from which inputs, one fact a row (lists: one a row)."""
    import json

    from openpyxl.styles import Font

    ws.cell(row=1, column=1, value="About this report").font = Font(bold=True, size=13)
    facts: list[tuple[str, Any]] = []
    for key, value in document.items():
        if key == "tables":
            continue
        label = key.replace("_", " ")
        if key == "amounts":
            value = "kroner (the JSON and CSV formats give integer øre)"
        if isinstance(value, list | tuple):
            facts += [(label if i == 0 else "", _fact(v)) for i, v in enumerate(value)]
            if not value:
                facts.append((label, "none"))
        else:
            facts.append(
                (label, _fact(value) if not isinstance(value, dict) else json.dumps(value))
            )
    facts += [("note" if i == 0 else "", note) for i, note in enumerate(notes)]
    for row, (label, value) in enumerate(facts, start=HEADER_ROW):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # a file name is never a formula
    ws.column_dimensions["A"].width = max([len(label) for label, _ in facts] + [20]) + 2
    ws.column_dimensions["B"].width = min(
        max([len(str(v)) for _, v in facts] + [20]) + 2, _MAX_WIDTH + 20
    )


def _fact(value: Any) -> Any:
    """A stamp value for a cell: text, a number, or empty."""
    if value is None or isinstance(value, str | int | float | Decimal):
        return value
    return str(value)
