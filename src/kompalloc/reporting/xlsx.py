"""Neutral tables as an Excel workbook (.xlsx): one worksheet per table, numbers as numbers.

Layout of each worksheet (named by the table's key):
- row 1: the table's title, bold;
- row 2: the column titles, bold on grey, frozen with the title so they stay in view and
  repeated at the top of every printed page;
- a row per table row (every column, ids included: one row per application on the
  applications sheet, with every field, to filter and pivot), as an Excel table named by the
  key (so a pivot table or a formula can name it) with a filter button on each column;
- an empty row, then the totals row, bold under a rule (outside the data, so pivots and sums
  count each row once).

A tree's names (sub-pools) are plain text indented by the cell's alignment, never drawn with
glyphs. Printing is set up for A4 landscape, one page wide, over the columns people read (the
first ones; the id and detail columns after them stay on the sheet), long text wrapping.

Money is a number in kroner with the format ``#,##0``, or ``#,##0.00`` for a column where any
amount has øre. The ',' and '.' of a format code are the grouping and decimal placeholders,
which Excel and LibreOffice show with the reader's own separators: Norwegian settings show
``1 250 000`` and ``1 250 000,50`` (Excel's Norwegian dialog lists the format as ``# ##0,00``).
Counts and ranks are integers; shares are fractions with the format ``0.0 %``. A last
worksheet, ``about``, carries the reproducibility stamp.

Amounts leave the exact integer øre only here, as decimal text in the file: ``Decimal(øre) / 100``,
never float arithmetic. A spreadsheet holds 15 significant digits: an amount with more (above
9 999 999 999 999,99 kr) is written as text, exact, rather than as a number it would round.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from kompalloc.money import ORE_PER_KRONE
from kompalloc.reporting.tables import Cell, Column, Kind, Table

if TYPE_CHECKING:
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.worksheet import Worksheet

KRONER = "#,##0"
KRONER_ORE = "#,##0.00"
PERCENT = "0.0 %"
HEADER_ROW = 2
"""The row of column titles; the title is in row 1 and the data start below."""
_MAX_WIDTH = 60
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


EXACT_DIGITS = 15
"""Significant digits a spreadsheet's number keeps."""


def money_value(ore: int) -> int | Decimal | str:
    """Øre as kroner for a number cell: an int when whole, else an exact Decimal; text (with a
    decimal comma) for an amount a spreadsheet's number could not hold exactly."""
    kroner, rest = divmod(ore, ORE_PER_KRONE)
    if len(str(abs(ore)).rstrip("0")) > EXACT_DIGITS:
        sign = "-" if ore < 0 else ""
        whole, part = divmod(abs(ore), ORE_PER_KRONE)
        return f"{sign}{whole},{part:02d}"
    return kroner if rest == 0 else Decimal(ore) / ORE_PER_KRONE


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
        return money_value(cell), KRONER if cell % ORE_PER_KRONE == 0 else KRONER_ORE
    if column.kind is Kind.SHARE and isinstance(cell, tuple):
        return share_value(cell), PERCENT
    if column.kind in (Kind.COUNT, Kind.NUMBER) and isinstance(cell, int):
        return cell, "0"
    if column.kind is Kind.NUMBER and isinstance(cell, str) and cell:
        try:
            return Decimal(cell), "General"  # a decimal field ('7.5') as a number
        except ArithmeticError:
            return cell, None
    if isinstance(cell, tuple):  # a share in a column not marked as one: keep it readable
        return f"{cell[0]}/{cell[1]}", None
    return cell, None


def _shown_width(value: Any, fmt: str | None) -> int:
    """About how many characters a cell shows, for the column's width."""
    if value is None:
        return 0
    if isinstance(value, str):  # an amount past 15 digits is exact text (money_value)
        return max((len(line) for line in value.splitlines()), default=0)
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


WRAP_WIDTH = 40
"""The widest a column of long text gets; its cells wrap within it."""


def _money_formats(table: Table) -> dict[int, str]:
    """Each money column's format: with øre decimals where any of its amounts has øre."""
    formats: dict[int, str] = {}
    for i, column in enumerate(table.columns):
        if column.kind is Kind.MONEY:
            cells = [r[i] for r in table.rows] + ([table.totals[i]] if table.totals else [])
            fine = any(isinstance(c, int) and c % ORE_PER_KRONE for c in cells)
            formats[i] = KRONER_ORE if fine else KRONER
    return formats


def _write_table(ws: Worksheet, table: Table) -> None:
    """One table on its worksheet: title, header, rows, totals, column widths and page setup."""
    from openpyxl.utils import get_column_letter

    sheet = _TableSheet(ws, table)
    sheet.write_header()
    last = HEADER_ROW
    for last, row in enumerate(table.rows, start=HEADER_ROW + 1):
        sheet.write_row(last, row, total=False)
    sheet.mark_data(last)
    if table.totals is not None:
        sheet.write_row(last + 2, table.totals, total=True)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.set_widths()
    shown = 0
    while shown < len(table.columns) and table.columns[shown].people:
        shown += 1
    _page_setup(ws, get_column_letter(max(shown, 1)), ws.max_row)


class _TableSheet:
    """Writes one table's cells to a worksheet, keeping the widest each column shows."""

    def __init__(self, ws: Worksheet, table: Table) -> None:
        self.ws = ws
        self.table = table
        self.columns = table.columns
        self.widths = [len(c.title) for c in table.columns]
        self.money = _money_formats(table)
        self.level = [c.key for c in table.columns].index(table.level) if table.level else None

    def write_header(self) -> None:
        """The table's title in A1 and the bold, shaded column titles in the header row."""
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        ws = self.ws
        ws.cell(row=1, column=1, value=self.table.title).font = Font(bold=True, size=13)
        bold = Font(bold=True)
        header_fill = PatternFill("solid", fgColor="E7E6E6")
        rule = Side(style="thin")
        for i, column in enumerate(self.columns, start=1):
            cell = ws.cell(row=HEADER_ROW, column=i, value=column.title)
            cell.font = bold
            cell.fill = header_fill
            cell.border = Border(bottom=rule)
            numeric = column.kind is not Kind.TEXT
            cell.alignment = Alignment(horizontal="right" if numeric else "left", wrap_text=True)

    def write_row(self, row_number: int, row: tuple[Cell, ...], *, total: bool) -> None:
        """One row of cells (bold above a rule when it is the totals), widening its columns."""
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Border, Font, Side

        depth = row[self.level] if self.level is not None else None
        for i, (raw, column) in enumerate(zip(row, self.columns, strict=True), start=1):
            value, fmt = cell_value(raw, column)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            cell = self.ws.cell(row=row_number, column=i, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text from the input files is never a formula
            if fmt is not None:
                cell.number_format = self.money.get(i - 1, fmt)
            alignment = _alignment(value, column, i, depth)
            if alignment is not None:
                cell.alignment = alignment
            if total:
                cell.font = Font(bold=True)
                cell.border = Border(top=Side(style="thin"))
            shown = _shown_width(value, self.money.get(i - 1, fmt)) + (
                2 * depth if i == 1 and isinstance(depth, int) else 0
            )
            self.widths[i - 1] = max(self.widths[i - 1], shown)

    def mark_data(self, last: int) -> None:
        """The rows as an Excel table (a filter only, when column titles repeat)."""
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.table import Table as SheetTable
        from openpyxl.worksheet.table import TableStyleInfo

        if not self.table.rows:
            return
        end_column = get_column_letter(len(self.columns))
        titles = [c.title for c in self.columns]
        if len(set(titles)) == len(titles):
            data = SheetTable(
                displayName=_table_name(self.table.key), ref=f"A{HEADER_ROW}:{end_column}{last}"
            )
            data.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
            self.ws.add_table(data)
        else:
            self.ws.auto_filter.ref = f"A{HEADER_ROW}:{end_column}{last}"

    def set_widths(self) -> None:
        """Each column as wide as its widest cell, within the limit for its kind."""
        from openpyxl.utils import get_column_letter

        for i, width in enumerate(self.widths, start=1):
            limit = WRAP_WIDTH if self.columns[i - 1].wrap else _MAX_WIDTH
            self.ws.column_dimensions[get_column_letter(i)].width = min(max(width, 6) + 2, limit)


def _alignment(value: Any, column: Column, i: int, depth: Cell) -> Alignment | None:
    """How a cell in (1-based) column ``i`` is aligned, or None for the default."""
    from openpyxl.styles import Alignment

    if isinstance(value, str) and column.kind is Kind.MONEY:
        return Alignment(horizontal="right")  # an amount too big for a number
    if i == 1 and isinstance(depth, int) and depth > 0:
        return Alignment(horizontal="left", indent=depth)
    if column.wrap:
        return Alignment(wrap_text=True, vertical="top", indent=int(i > 1))
    if column.kind is Kind.TEXT and i > 1:
        return Alignment(indent=1)  # apart from an amount on its left
    return None


def _table_name(key: str) -> str:
    """An Excel table's name from a table key: letters, digits and '_', not like a cell."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", key) or "table"
    return f"t_{name}" if not name[0].isalpha() or re.fullmatch(r"[A-Za-z]{1,3}\d+", name) else name


def _page_setup(ws: Worksheet, last_column: str, last_row: int) -> None:
    """A4 landscape, one page wide, the title and header rows on every page, the columns
    people read (``A`` to ``last_column``) as the print area."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.print_area = f"A1:{last_column}{max(last_row, HEADER_ROW)}"
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    if ws.oddFooter is not None and ws.oddFooter.center is not None:
        ws.oddFooter.center.text = "&A, page &P of &N"


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
    from openpyxl.styles import Alignment

    for (cell,) in ws.iter_rows(min_row=HEADER_ROW, min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _page_setup(ws, "B", ws.max_row)
    ws.print_title_rows = None


def _fact(value: Any) -> Any:
    """A stamp value for a cell: text, a number, or empty."""
    if value is None or isinstance(value, str | int | float | Decimal):
        return value
    return str(value)
