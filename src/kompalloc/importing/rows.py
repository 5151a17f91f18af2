"""Rows of an export to applications.

Each cell becomes a node of kompalloc's YAML node tree, located at its row and column, and the
loader's own field readers (``kompalloc.loading.convert``) read the row as an application. So a
cell is judged exactly as the same value in an application file would be, every problem is a
Diagnostic with the row and column a spreadsheet shows, and whatever is imported loads clean.

What the readers cannot know is decided here first: Norwegian and spreadsheet number cells
(``1 250 000,00``, a float ``1250000.0``), dates in the mapping's ``date_format``, the mapping's
``map`` of cell values, ``split`` lists, partners' roles and empty cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from kompalloc.diagnostics import Code, Diagnostic, did_you_mean, error, has_errors, warning
from kompalloc.importing.mapping import (
    APPLICATION_FIELDS,
    CellType,
    ColumnSpec,
    ImportMapping,
    cell_type_of,
)
from kompalloc.importing.sheets import CellValue, Formula, Sheet, column_letter
from kompalloc.loading.convert import Reader, is_invalid
from kompalloc.loading.nodes import Bad, Map, Node, Scalar, Seq
from kompalloc.money import format_kr
from kompalloc.source import Span

_INVALID = object()
_GROUPED = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+")
"""A whole number with thousands separated by spaces: '1 200' participants."""
_NOT_IN_TEXT = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters no kompalloc file may hold, even escaped (control characters, U+FFFE, U+FFFF)."""


@dataclass(frozen=True, slots=True)
class Imported:
    """One application read from one row."""

    id: str
    row: int
    values: dict[str, Any]
    """Typed values by application key, as the loader reads them (money in øre, dates, ...)."""


def convert_rows(sheet: Sheet, mapping: ImportMapping) -> tuple[list[Imported], list[Diagnostic]]:
    """Every row that is not empty, as an application; every problem, sorted by row and column."""
    return _Converter(sheet, mapping).run()


def _blank(cell: CellValue) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _decimal(value: int | float | Decimal) -> Decimal:
    """A number cell as an exact decimal: a float through its shortest repr, never arithmetic."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _number_text(value: int | float | Decimal) -> str:
    d = _decimal(value)
    if d.is_finite() and d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f") if d.is_finite() else str(value)


def _is_number(value: CellValue) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _native(kind: CellType, value: CellValue) -> bool:
    """Whether a workbook cell already holds a value of the key's kind (TRUE for partial)."""
    if kind is CellType.BOOLEAN:
        return isinstance(value, bool)
    if kind is CellType.DATE:
        return isinstance(value, date)
    return kind in (CellType.MONEY, CellType.INTEGER, CellType.DECIMAL) and _is_number(value)


def _respan(node: Node, span: Span, plain: bool) -> Node:
    """A node of the mapping file placed at a cell, so that problems point at the row."""
    if isinstance(node, Scalar):
        return Scalar(node.value, node.plain and plain, span)
    if isinstance(node, Seq):
        return Seq([_respan(item, span, plain) for item in node.items], span)
    if isinstance(node, Map):
        return Map(
            {
                key: (Scalar(k.value, k.plain, span), _respan(value, span, plain))
                for key, (k, value) in node.items.items()
            },
            span,
        )
    return Bad(span)


def _example_dates(formats: tuple[str, ...]) -> str:
    probe = date(2021, 9, 15)
    return " or ".join(probe.strftime(f) for f in formats)


class _Converter:
    def __init__(self, sheet: Sheet, mapping: ImportMapping) -> None:
        self.sheet = sheet
        self.mapping = mapping
        self.out: list[Diagnostic] = []
        self.reader = Reader(self.out)
        self.positions: dict[str, list[int | None]] = {}
        """Per key, the 0-based column index of each of its specs (None: not in the header)."""

    # columns -----------------------------------------------------------------------------

    def resolve(self) -> None:
        headers = self.sheet.headers
        found: dict[str, list[int]] = {}
        for i, header in enumerate(headers):
            if header:
                found.setdefault(header, []).append(i)
        reported: set[str] = set()
        row = self.sheet.header_row
        named = [h for h in headers if h]
        shown = ", ".join(f"'{h}'" for h in named[:15]) + (", …" if len(named) > 15 else "")
        wanted = {spec.column for specs in self.mapping.columns.values() for spec in specs}
        if not wanted & set(found):
            where = f"worksheet '{self.sheet.sheet}'" if self.sheet.sheet else "file"
            self.out.append(
                error(
                    Code.MISSING_COLUMN,
                    f"row {row}: the header row has none of the columns the mapping names "
                    f"({len(wanted)}, e.g. '{sorted(wanted)[0]}')",
                    Span(self.sheet.path, row, 1, row, 2),
                    "columns",
                    f"is the header in another row ('header_row' in the mapping) or another "
                    f"worksheet (--sheet)? Row {row} of this {where} has: {shown or 'nothing'}",
                )
            )
            self.positions = {
                key: [None] * len(specs) for key, specs in self.mapping.columns.items()
            }
            return
        for key, specs in self.mapping.columns.items():
            self.positions[key] = []
            for spec in specs:
                hits = found.get(spec.column, [])
                self.positions[key].append(hits[0] if len(hits) == 1 else None)
                if len(hits) == 1 or spec.column in reported:
                    continue
                reported.add(spec.column)
                if not hits:
                    hint = did_you_mean(spec.column, named) or f"the header row has: {shown}"
                    self.out.append(
                        error(
                            Code.MISSING_COLUMN,
                            f"row {row}: the header row has no column '{spec.column}' "
                            f"(the mapping takes {key} from it at {spec.span})",
                            Span(self.sheet.path, row, 1, row, 2),
                            f"columns.{key}",
                            hint,
                        )
                    )
                else:
                    letters = ", ".join(column_letter(i) for i in hits)
                    self.out.append(
                        error(
                            Code.AMBIGUOUS_COLUMN,
                            f"row {row}: columns {letters} are all named '{spec.column}'; "
                            f"the mapping takes {key} from it",
                            self.sheet.span(row, hits[1]),
                            f"columns.{key}",
                            "rename all but one of them in the export",
                        )
                    )

    # rows --------------------------------------------------------------------------------

    def run(self) -> tuple[list[Imported], list[Diagnostic]]:
        self.resolve()
        imported: list[Imported] = []
        first_row: dict[str, int] = {}
        width = len(self.sheet.headers)
        rows = 0
        for number, cells in self.sheet.rows:
            if all(_blank(c) for c in cells):
                continue
            rows += 1
            extra = next((i for i in range(width, len(cells)) if not _blank(cells[i])), None)
            if extra is not None and self.sheet.kind == "csv":
                self.too_wide(number, len(cells), extra)
                continue
            start = len(self.out)
            ident, entry = self.row(number, cells)
            if ident is not None and ident in first_row:
                self.out.append(
                    error(
                        Code.DUPLICATE_ID,
                        f"application id '{ident}' is also in row {first_row[ident]}",
                        self.sheet.span(number, self.positions["id"][0] or 0),
                        f"applications.{ident}",
                        "each row needs an id of its own",
                    )
                )
            elif ident is not None:
                first_row[ident] = number
                if entry is not None:
                    imported.append(entry)
            self.locate(start)
        if rows == 0 and not has_errors(self.out):
            self.out.append(
                warning(
                    Code.NO_ROWS,
                    f"the export has a header row (row {self.sheet.header_row}) but no rows below it",
                    Span(self.sheet.path, self.sheet.header_row, 1, self.sheet.header_row, 2),
                    hint="check that you exported the right list",
                )
            )
        self.out.sort(key=lambda d: (d.span.path != self.sheet.path, d.span.line, d.span.column))
        return imported, self.out

    def too_wide(self, number: int, cells: int, extra: int) -> None:
        width = len(self.sheet.headers)
        hint = "the cells do not line up with the columns; check the export"
        if self.sheet.delimiter == ",":
            hint = (
                "in a comma-separated file a decimal comma ('1 250 000,00') splits a cell in two: "
                "quote such cells, or export with ';' between cells"
            )
        self.out.append(
            error(
                Code.ROW_TOO_WIDE,
                f"row {number} has {cells} cells, but the header row has {width} "
                f"(column {column_letter(extra)} has no header)",
                self.sheet.span(number, extra),
                hint=hint,
            )
        )

    def locate(self, start: int) -> None:
        """Put the row and the column's letter and name in front of the row's new messages."""
        for i in range(start, len(self.out)):
            d = self.out[i]
            span = d.span
            if span.path != self.sheet.path or span.end_line < 1:
                continue
            where = f"row {span.line}"
            if span.end_column == span.column + 1:
                index = span.column - 1
                header = self.sheet.headers[index] if index < len(self.sheet.headers) else ""
                name = f"'{header}'" if header else "(no header)"
                where += f", column {column_letter(index)} {name}"
            self.out[i] = replace(d, message=f"{where}: {d.message}")

    def row(self, number: int, cells: tuple[CellValue, ...]) -> tuple[str | None, Imported | None]:
        """The row's id (when it has a valid one) and its application (when it is whole)."""
        row_span = Span(self.sheet.path, number, 1, number, max(len(self.sheet.headers), 1) + 1)
        nodes: dict[str, Node | None] = {}
        cell_spans: dict[str, Span] = {}
        for key, specs in self.mapping.columns.items():
            nodes[key] = self.cell_node(key, specs, self.positions[key], number, cells, row_span)
            first = next((p for p in self.positions[key] if p is not None), None)
            if first is not None:
                cell_spans[key] = self.sheet.span(number, first)

        ident: str | None = None
        id_node = nodes.get("id")
        if id_node is None and "id" in cell_spans:
            self.empty("id", cell_spans["id"])
        elif id_node is not None and not isinstance(id_node, Bad):
            value = self.reader.ident(id_node, f"applications.(row {number})")
            ident = None if is_invalid(value) else value

        items: dict[str, tuple[Scalar, Node]] = {}
        for key, spec in APPLICATION_FIELDS.items():
            node = nodes.get(key)
            if node is None:
                node = self.mapping.defaults.get(key)
            if node is None and spec.required:
                if key in cell_spans:
                    self.empty(key, cell_spans[key])
                node = Bad(row_span)  # reported (empty, or its column missing): keep quiet below
            if node is not None:
                items[key] = (Scalar(key, True, row_span), node)
        where = f"applications.{ident}" if ident else f"applications.(row {number})"
        values = self.reader.record(
            Map(items, row_span), where, APPLICATION_FIELDS, "an application"
        )
        if ident is None or not isinstance(values, dict):
            return ident, None
        return ident, Imported(ident, number, values)

    def empty(self, key: str, span: Span) -> None:
        what = "the id" if key == "id" else f"{key} (required)"
        hint = (
            "every row needs an id"
            if key == "id"
            else f"fill the cell, or give '{key}' a value under defaults: in the mapping"
        )
        if self.sheet.kind == "xlsx":
            hint += (
                "; a formula's value is empty when the workbook was never saved by a spreadsheet "
                "program: open and save it, or export CSV"
            )
        self.out.append(error(Code.EMPTY_CELL, f"the cell for {what} is empty", span, hint=hint))

    # cells -------------------------------------------------------------------------------

    def cell_node(
        self,
        key: str,
        specs: tuple[ColumnSpec, ...],
        positions: list[int | None],
        number: int,
        cells: tuple[CellValue, ...],
        row_span: Span,
    ) -> Node | None:
        """The key's value from its cells: None when empty, Bad when already reported."""
        kind = cell_type_of(key)
        where = f"row {number}.{key}"
        if kind is CellType.LIST:
            return self.list_node(key, specs, positions, number, cells, row_span)
        spec, index = specs[0], positions[0]
        if index is None:
            return Bad(row_span)  # its column is missing: reported once, for the header row
        span = self.sheet.span(number, index)
        value = cells[index] if index < len(cells) else None
        if _blank(value):
            return None
        if isinstance(value, Formula):
            self.formula(value, span, where)
            return Bad(span)
        if spec.map is not None:
            text = self.text(value, span, where)
            if text is _INVALID or not isinstance(text, str):
                return Bad(span)
            mapped = spec.lookup(text)
            if mapped is not None:
                return _respan(mapped, span, plain=kind is CellType.BOOLEAN)
            if not spec.keep_unmapped and not _native(kind, value):
                self.unmapped(spec, text, span, where)
                return Bad(span)
        return self.typed(kind, spec, value, span, where)

    def list_node(
        self,
        key: str,
        specs: tuple[ColumnSpec, ...],
        positions: list[int | None],
        number: int,
        cells: tuple[CellValue, ...],
        row_span: Span,
    ) -> Node | None:
        items: list[Node] = []
        bad = False
        first: Span | None = None
        for spec, index in zip(specs, positions, strict=True):
            if index is None:
                bad = True
                continue
            span = self.sheet.span(number, index)
            first = first or span
            value = cells[index] if index < len(cells) else None
            if isinstance(value, Formula):
                self.formula(value, span, f"row {number}.{key}")
                bad = True
                continue
            text = self.text(value, span, f"row {number}.{key}")
            if text is _INVALID:
                bad = True
                continue
            if not isinstance(text, str):
                continue
            parts = [p.strip() for p in text.split(spec.split)] if spec.split else [text]
            for part in (p for p in parts if p):
                node: Node = Scalar(part, False, span)
                if spec.map is not None:
                    mapped = spec.lookup(part)
                    if mapped is not None:
                        node = _respan(mapped, span, plain=False)
                    elif not spec.keep_unmapped:
                        self.unmapped(spec, part, span, f"row {number}.{key}")
                        bad = True
                        continue
                if spec.role is not None and isinstance(node, Scalar):
                    node = Map(
                        {
                            "name": (Scalar("name", True, span), node),
                            "role": (Scalar("role", True, span), Scalar(spec.role, True, span)),
                        },
                        span,
                    )
                items.append(node)
        if bad:
            return Bad(first or row_span)
        return Seq(items, first or row_span) if items else None

    def formula(self, value: Formula, span: Span, where: str) -> None:
        self.out.append(
            error(
                Code.FORMULA_WITHOUT_VALUE,
                f"the cell holds the formula '{value.text}' but no computed value",
                span,
                where,
                "the workbook was written by a program that does not calculate (openpyxl, "
                "pandas, LibreOffice headless): open and save it in a spreadsheet program, "
                "or paste the values, then import again",
            )
        )

    def unmapped(self, spec: ColumnSpec, text: str, span: Span, where: str) -> None:
        known = list(spec.map or {})
        hint = did_you_mean(text, known)
        shown = ", ".join(f"'{k}'" for k in known[:10]) + (", …" if len(known) > 10 else "")
        self.out.append(
            error(
                Code.UNMAPPED_VALUE,
                f"'{text}' is not in the mapping's map for {spec.key} ({spec.span})",
                span,
                where,
                (f"{hint} " if hint else "")
                + f"add it to the map, or 'unmapped: keep' to keep such values; the map has {shown}",
            )
        )

    def text(self, value: CellValue, span: Span, where: str) -> str | object | None:
        """A cell as text: None when empty, the invalid marker after reporting a bad character."""
        if _blank(value):
            return None
        if isinstance(value, str):
            text = value.strip()
            bad = _NOT_IN_TEXT.search(text)
            if bad is not None:
                self.out.append(
                    error(
                        Code.CONTROL_CHARACTER,
                        f"the cell holds the character U+{ord(bad[0]):04X}, which no kompalloc "
                        "file can hold",
                        span,
                        where,
                        "remove it in the export",
                    )
                )
                return _INVALID
            return text
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | Decimal):
            return _number_text(value)
        if isinstance(value, datetime):
            if value.time() == time(0):
                return value.date().isoformat()
            return value.isoformat(" ", "minutes")
        if isinstance(value, date | time):
            return value.isoformat()
        return str(value)

    def typed(
        self, kind: CellType, spec: ColumnSpec, value: CellValue, span: Span, where: str
    ) -> Node:
        """A non-empty cell as a scalar the field's reader understands, or Bad after reporting."""
        if kind is CellType.MONEY and _is_number(value):
            assert isinstance(value, int | float | Decimal)
            return self.money(value, span, where)
        if kind is CellType.DATE:
            return self.day(spec, value, span, where)
        if kind is CellType.BOOLEAN:
            return self.boolean(value, span, where)
        if isinstance(value, timedelta | time) or (
            isinstance(value, datetime | date) and kind is not CellType.TEXT
        ):
            return self.fail(
                Code.WRONG_TYPE,
                f"the cell holds a date or time ({self.text(value, span, where)}), not {kind.value}",
                span,
                where,
                "format the column as text or numbers in the spreadsheet",
            )
        text = self.text(value, span, where)
        if not isinstance(text, str):
            return Bad(span)
        if kind is CellType.INTEGER and isinstance(value, str) and _GROUPED.fullmatch(text):
            text = re.sub(r"[ \u00a0\u202f]", "", text)  # '1 200' participants
        return Scalar(text, False, span)

    def fail(
        self, code: Code, message: str, span: Span, where: str, hint: str | None = None
    ) -> Node:
        self.out.append(error(code, message, span, where, hint))
        return Bad(span)

    def money(self, value: int | float | Decimal, span: Span, where: str) -> Node:
        """A number cell in kroner, exactly: 1250000.0 is fine, 1250000.125 is not."""
        amount = _decimal(value)
        if not amount.is_finite():
            return self.fail(Code.BAD_MONEY, f"the cell holds {value}, not an amount", span, where)
        if amount < 0:
            return self.fail(
                Code.BAD_MONEY,
                f"the cell holds the number {_number_text(value)}: amounts cannot be negative",
                span,
                where,
            )
        try:
            ore = amount * 100
            exact = ore == ore.to_integral_value()
        except InvalidOperation:  # pragma: no cover - finite decimals always scale
            exact = False
        if not exact:
            return self.fail(
                Code.BAD_MONEY,
                f"the cell holds the number {_number_text(value)}, which is not a whole number of øre",
                span,
                where,
                "round the cell to two decimals in the spreadsheet "
                "(a cell's display format does not change the number it holds)",
            )
        return Scalar(format_kr(int(ore), space=" "), False, span)

    def day(self, spec: ColumnSpec, value: CellValue, span: Span, where: str) -> Node:
        if isinstance(value, datetime):
            return Scalar(value.date().isoformat(), False, span)
        if isinstance(value, date):
            return Scalar(value.isoformat(), False, span)
        like = _example_dates(spec.date_formats)
        if not isinstance(value, str):
            shown = self.text(value, span, where)
            return self.fail(
                Code.BAD_CELL_DATE,
                f"the cell holds {shown}, not a date",
                span,
                where,
                "format the column as dates in the spreadsheet, or write them like " + like,
            )
        text = value.strip()
        problem = None
        for fmt in spec.date_formats:
            try:
                return Scalar(datetime.strptime(text, fmt).date().isoformat(), False, span)
            except ValueError as exc:
                if "unconverted data" not in str(exc) and "does not match" not in str(exc):
                    problem = str(exc)  # the right shape, but no such day: 31.02.2021
        if problem is not None:
            return self.fail(
                Code.BAD_CELL_DATE, f"'{text}' is not a real date: {problem}", span, where
            )
        return self.fail(
            Code.BAD_CELL_DATE,
            f"'{text}' is not a date like {like}",
            span,
            where,
            "fix the cell, or set the column's date_format in the mapping",
        )

    def boolean(self, value: CellValue, span: Span, where: str) -> Node:
        if isinstance(value, bool):
            return Scalar("true" if value else "false", True, span)
        text = self.text(value, span, where)
        if not isinstance(text, str):
            return Bad(span)
        if text.lower() in ("true", "false"):
            return Scalar(text.lower(), True, span)
        return self.fail(
            Code.BAD_BOOLEAN,
            f"'{text}' is not true or false",
            span,
            where,
            "map the column's values in the mapping, e.g. map: {Ja: true, Nei: false}",
        )
