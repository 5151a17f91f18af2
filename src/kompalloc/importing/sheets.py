"""Reading an application-portal export, CSV or XLSX, into a header and numbered rows of cells.

Rows are numbered as a spreadsheet program shows them (the first row is 1), so that every
diagnostic points at the row a person sees. The file's content decides how it is read, not its
name: a zip archive is a workbook, an OLE file is an old .xls or an encrypted workbook, anything
else is CSV.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from kompalloc.diagnostics import Code, Diagnostic, did_you_mean, error, warning
from kompalloc.importing.mapping import DELIMITERS, normal
from kompalloc.source import Span, file_span


class Formula(NamedTuple):
    """A workbook cell with a formula but no computed value: the workbook was written by a
    program that does not calculate (openpyxl, pandas, LibreOffice headless) and never
    saved by one that does. Its value is unknown, so a mapping that uses it is refused."""

    text: str
    """The formula, e.g. ``=G2*0.5``."""


CellValue = (
    str | int | float | Decimal | bool | datetime | date | time | timedelta | Formula | None
)
"""What a cell can hold: CSV cells are text; workbook cells also numbers, booleans, dates, and
formulas whose value is unknown."""

MAX_EXPORT_BYTES = 64 * 1024 * 1024
"""The same limit as for YAML files: no export of applications comes near it."""
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "save it as .xlsx, or as CSV UTF-8, and import that"
_SEP_LINE = re.compile(r'"?sep=([;,\t|])"?[;,\t|]*(?:\r\n|\r|\n)')


@dataclass(frozen=True, slots=True)
class Sheet:
    """An export read into cells: the header row and the rows below it."""

    path: str
    kind: str
    """'csv' or 'xlsx'."""
    header_row: int
    headers: tuple[str, ...]
    """The header cells, normalised (NFC, trimmed, white space collapsed)."""
    rows: tuple[tuple[int, tuple[CellValue, ...]], ...]
    """(row number, cells) for every row below the header, empty rows included."""
    sheet: str | None = None
    """The worksheet read (xlsx)."""
    delimiter: str | None = None
    encoding: str | None = None
    sha256: str = ""
    """Of the export's bytes, as read."""

    def span(self, row: int, index: int) -> Span:
        """The span of the cell in a row and a 0-based column index."""
        return Span(self.path, row, index + 1, row, index + 2)


def column_letter(index: int) -> str:
    """A 0-based column index as a spreadsheet's letters: 0 -> A, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_export(
    path: str,
    *,
    sheet: str | None = None,
    header_row: int = 1,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet_given: bool = False,
) -> tuple[Sheet | None, list[Diagnostic]]:
    """Read an export; None (with the reasons) when it cannot be read as a spreadsheet.

    ``sheet_given`` says the sheet was named on the command line: a CSV export has no sheets.
    """
    data, out = _read_bytes(path)
    if data is None:
        return None, out
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(_ZIP):
        read, out = _read_xlsx(path, sheet, header_row)
        return (None if read is None else replace(read, sha256=digest)), out
    if data.startswith(_OLE):
        return None, [
            error(
                Code.EXPORT_UNREADABLE,
                f"{path} is an old Excel workbook (.xls) or an encrypted one; it cannot be read",
                file_span(path),
                hint=_SAVE_AS + " (without a password)",
            )
        ]
    if sheet_given:
        return None, [
            error(
                Code.EXPORT_UNREADABLE,
                f"--sheet names a worksheet, but {path} is CSV, which has none",
                file_span(path),
                hint="leave out --sheet for CSV exports",
            )
        ]
    read, out = _read_csv(path, data, header_row, delimiter, encoding)
    return (None if read is None else replace(read, sha256=digest)), out


def _read_bytes(path: str) -> tuple[bytes | None, list[Diagnostic]]:
    span = file_span(path)
    try:
        # Non-blocking, so that a FIFO cannot hang the open; it is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None, [error(Code.PATH_NOT_FOUND, f"no such file: {path}", span)]
    except OSError as exc:
        return None, [error(Code.PATH_UNREADABLE, f"cannot read {path}: {exc.strerror}", span)]
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # a folder, a FIFO, a device: refused before reading
        os.close(fd)
        return None, [error(Code.PATH_UNREADABLE, f"{path} is not a regular file", span)]
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > MAX_EXPORT_BYTES:
            return None, [error(Code.FILE_TOO_LARGE, f"{path} is larger than 64 MiB", span)]
        try:
            data = handle.read(MAX_EXPORT_BYTES + 1)
        except OSError as exc:
            return None, [error(Code.PATH_UNREADABLE, f"cannot read {path}: {exc.strerror}", span)]
    if len(data) > MAX_EXPORT_BYTES:
        return None, [error(Code.FILE_TOO_LARGE, f"{path} is larger than 64 MiB", span)]
    return data, []


def _refuse(path: str, message: str, hint: str | None = None, span: Span | None = None) -> Diagnostic:
    return error(Code.EXPORT_UNREADABLE, message, span or file_span(path), hint=hint)


def _byte_span(path: str, data: bytes, index: int) -> tuple[int, Span]:
    """The line of ``data[index]`` and a span on it (the column counts characters before it,
    as far as they decode), for a byte that cannot be decoded."""
    line = data[:index].count(b"\n") + 1
    start = data.rfind(b"\n", 0, index) + 1
    column = len(data[start:index].decode("utf-8", errors="replace")) + 1
    return line, Span(path, line, column, line, column + 1)


def _unreadable(path: str, message: str, hint: str | None = None) -> tuple[None, list[Diagnostic]]:
    return None, [_refuse(path, message, hint)]


# CSV ----------------------------------------------------------------------------------------


def _decode(
    path: str, data: bytes, encoding: str | None
) -> tuple[str | None, str, list[Diagnostic]]:
    """The text, the encoding used, and a warning when a legacy encoding had to be guessed."""
    if encoding is not None:
        if codecs.lookup(encoding).name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            data = data[3:]
        try:
            return data.decode(encoding), encoding, []
        except UnicodeError as exc:  # UnicodeDecodeError, or a codec's own (idna, undefined)
            start = getattr(exc, "start", None)
            span = None
            if isinstance(start, int) and start < len(data):
                line, span = _byte_span(path, data, start)
                message = (
                    f"{path} is not {encoding}: byte 0x{data[start]:02x} on line {line} "
                    "cannot be decoded"
                )
            else:
                message = f"{path} cannot be decoded as {encoding}"
            hint = "fix 'encoding:' in the mapping, or leave it out to detect it"
            return None, encoding, [_refuse(path, message, hint, span)]
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):  # Excel's "Unicode text": UTF-16, cells separated by tabs
            try:
                return data[len(bom) :].decode(name), "utf-16", []
            except UnicodeDecodeError:
                return None, name, [_refuse(path, f"{path} is damaged UTF-16 text", _SAVE_AS)]
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        bad = exc.start
    sample = data[:1024]
    if sample and sample.count(0) * 4 >= len(sample):
        message = f"{path} looks like UTF-16 text without a byte-order mark"
        return None, "", [_refuse(path, message, _SAVE_AS)]
    line, span = _byte_span(path, data, bad)
    try:
        text, used = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, used = data.decode("latin-1"), "latin-1"
    shown = "Windows-1252" if used == "cp1252" else "Latin-1"
    return (
        text,
        used,
        [
            warning(
                Code.EXPORT_ENCODING,
                f"{path} is not UTF-8 (byte 0x{data[bad]:02x} on line {line}); read it as {shown}",
                span,
                hint="check that æ, ø and å came out right; save the export as CSV UTF-8, "
                f"or write 'encoding: {used}' in the mapping",
            )
        ],
    )


def _first_record(text: str) -> str:
    """The header record: up to the first line break outside quotes."""
    quoted = False
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return text[:i]
    return text


def _count_outside_quotes(record: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def detect_delimiter(text: str) -> str:
    """The cell separator: whichever of ';', ',', tab and '|' the header row uses most.

    A tie is settled by which of them gives the following rows the header's width; a header
    without any (a single column) is read with ';', as Norwegian Excel writes it.
    """
    header = _first_record(text)
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(counts.values())
    tied = [d for d in DELIMITERS if counts[d] == best]
    if best == 0:
        return ";"
    if len(tied) == 1:
        return tied[0]

    def fits(delimiter: str) -> int:
        rows = list(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter))[:50]
        return sum(len(row) == best + 1 for row in rows)

    return max(tied, key=fits)  # max keeps the first of equals: ';' before ','


def _read_csv(
    path: str, data: bytes, header_row: int, delimiter: str | None, encoding: str | None
) -> tuple[Sheet | None, list[Diagnostic]]:
    text, used, out = _decode(path, data, encoding)
    if text is None:
        return None, out
    if not text.strip():
        return None, [*out, _refuse(path, f"{path} is empty")]
    declared = _SEP_LINE.match(text)
    if declared is not None:  # Excel's 'sep=;' line: it names the separator, and is no row
        text = text[declared.end() :]
        delimiter = delimiter or declared[1]
    chosen = delimiter or detect_delimiter(text)
    rows: list[tuple[int, tuple[CellValue, ...]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen, quotechar='"')
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, tuple(cells)))
    except csv.Error as exc:
        message = f"{path} cannot be read as CSV at row {number + 1}: {exc}"
        return None, [*out, _refuse(path, message, _SAVE_AS)]
    sheet = _split_header(path, rows, header_row, out)
    if sheet is None:
        return None, out
    return Sheet(
        path,
        "csv",
        header_row,
        sheet[0],
        sheet[1],
        delimiter=chosen,
        encoding=used,
    ), out


def _split_header(
    path: str,
    rows: Sequence[tuple[int, tuple[CellValue, ...]]],
    header_row: int,
    out: list[Diagnostic],
) -> tuple[tuple[str, ...], tuple[tuple[int, tuple[CellValue, ...]], ...]] | None:
    header = next((cells for number, cells in rows if number == header_row), None)
    if header is None or all(_blank(c) for c in header):
        where = "row 1" if header_row == 1 else f"row {header_row} (header_row)"
        out.append(
            error(
                Code.EXPORT_UNREADABLE,
                f"{path} has no header row: {where} is empty or missing",
                file_span(path) if header is None else Span(path, header_row, 1, header_row, 2),
                hint="the header row names the columns; set 'header_row' in the mapping if it is "
                "not row 1",
            )
        )
        return None
    headers = tuple(normal(_text(c)) for c in header)
    body = tuple((n, cells) for n, cells in rows if n > header_row)
    return headers, body


def _blank(cell: CellValue) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell: CellValue) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Formula):
        return cell.text
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


# XLSX ---------------------------------------------------------------------------------------


def _read_xlsx(
    path: str, sheet: str | None, header_row: int
) -> tuple[Sheet | None, list[Diagnostic]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        return _unreadable(path, f"{path} is a damaged zip archive, not a workbook", _SAVE_AS)
    except Exception as exc:  # openpyxl raises many kinds for files it cannot read
        return _unreadable(
            path,
            f"{path} cannot be read as an .xlsx workbook: {type(exc).__name__}: {exc}".rstrip(": "),
            _SAVE_AS,
        )
    try:
        names = [ws.title for ws in workbook.worksheets]
        if not names:
            return _unreadable(path, f"{path} has no worksheets")
        chosen: str | None = names[0]
        if sheet is not None:
            chosen = next((n for n in names if n == sheet), None) or next(
                (n for n in names if normal(n).casefold() == normal(sheet).casefold()), None
            )
            if chosen is None:
                hint = did_you_mean(sheet, names) or "its worksheets: " + ", ".join(
                    f"'{n}'" for n in names
                )
                return _unreadable(path, f"{path} has no worksheet '{sheet}'", hint)
        assert chosen is not None
        worksheet = workbook[chosen]
        reset = getattr(worksheet, "reset_dimensions", None)
        if reset is not None:
            reset()  # exports often state wrong dimensions; read every row that is there
        rows = [
            (number, tuple(_cell(c) for c in cells))
            for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
        if any(c is None for _, cells in rows for c in cells):
            rows = _formulas(path, chosen, rows)
    except Exception as exc:  # a damaged worksheet
        return _unreadable(
            path,
            f"{path} cannot be read as an .xlsx workbook: {type(exc).__name__}: {exc}",
            _SAVE_AS,
        )
    finally:
        workbook.close()
    out: list[Diagnostic] = []
    split = _split_header(path, rows, header_row, out)
    if split is None:
        return None, out
    return Sheet(path, "xlsx", header_row, split[0], split[1], sheet=chosen), out


def _formulas(
    path: str, sheet: str, rows: list[tuple[int, tuple[CellValue, ...]]]
) -> list[tuple[int, tuple[CellValue, ...]]]:
    """``rows`` with each empty cell that holds a formula (without a stored value) as a Formula.

    A workbook read for values gives no value, not the formula, for such cells: only a second
    read, for formulas, tells them from empty cells.
    """
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        worksheet = workbook[sheet]
        reset = getattr(worksheet, "reset_dimensions", None)
        if reset is not None:
            reset()
        out: list[tuple[int, tuple[CellValue, ...]]] = []
        for (number, cells), written in zip(rows, worksheet.iter_rows(values_only=True), strict=False):
            kept: list[CellValue] = list(cells)
            for i, cell in enumerate(cells):
                formula = written[i] if i < len(written) else None
                if cell is None and isinstance(formula, str) and formula.startswith("="):
                    kept[i] = Formula(formula)
            out.append((number, tuple(kept)))
        return out + rows[len(out) :]
    finally:
        workbook.close()


def _cell(value: object) -> CellValue:
    """A workbook cell's value as one of the kinds rows understand (rich text becomes text)."""
    if value is None or isinstance(
        value, str | int | float | Decimal | bool | datetime | date | time | timedelta
    ):
        return value
    return str(value)


def file_digest(path: str) -> str:
    """SHA-256 of a file's bytes (for the imported file's header comment), or 'unreadable'."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"
