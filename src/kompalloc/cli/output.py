"""Shared output handling for report-like commands: format choice, rendering, stdout or an atomic file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kompalloc.reporting.formats import CsvDialect, Format

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kompalloc.pipeline.cache import Recording
    from kompalloc.reporting.output import Shown
    from kompalloc.reporting.tables import Table


def resolve_display(fmt: Format | None, money: str | None) -> tuple[Format, str]:
    """The output format and money display: command line, else project file, else the defaults."""
    from kompalloc.pipeline.project import display

    return display(fmt, money)


def output_options(
    fmt: Format | None,
    output: Path | None,
    money: str | None,
    table: str | None,
    csv_dialect: CsvDialect,
    lang: str | None,
) -> list[str] | None:
    """What the output of :func:`emit` depends on besides the data, as the key of a saved
    output takes it: the options as given and as resolved, and for text tables on standard
    output their width. None: an output that is not saved (a terminal's Rich tables, a
    workbook, or options that are a usage error, which emit tells)."""
    from kompalloc.cli.console import console, plain
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.pipeline.project import language

    try:
        shown, shown_money = resolve_display(fmt, money)
        chosen = language(lang)
    except UsageError:
        return None
    if shown is Format.XLSX:
        return None
    width = None
    if shown is Format.TABLE and output is None:
        if not plain(sys.stdout):
            return None
        width = console().width
    given = (fmt, money, table, csv_dialect.value, lang)
    return [f"options={given!r}", f"shown={(shown.value, shown_money, chosen.value, width)!r}"]


def print_tables(out: Console, shown: Sequence[Shown]) -> None:
    """Print what reporting.output.people_view gives on the console."""
    for item in shown:
        item.print_on(out)


def emit(
    tables: Sequence[Table],
    fmt: Format | None,
    output: Path | None,
    *,
    document: dict[str, Any],
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
    money: str | None = None,
    export: Path | None = None,
    title: str = "kompalloc report",
    table: str | None = None,
    csv_dialect: CsvDialect = CsvDialect.PLAIN,
    lang: str | None = None,
    record: Recording | None = None,
) -> None:
    """Render the tables in the chosen format and send them to stdout or the output file.

    With ``export``, also write what a person sees to an HTML, SVG or Markdown file (headed
    ``title``). ``table`` keeps only the table of that key (``--table``); CSV writes one
    table, streamed a batch of rows at a time, in ``csv_dialect``. With ``record``, the text
    written is saved as it goes (see pipeline.outputs), kept only once all of it is out."""
    try:
        _emit(
            tables,
            fmt,
            output,
            document=document,
            extra=extra,
            notes=notes,
            footer=footer,
            money=money,
            export=export,
            title=title,
            table=table,
            csv_dialect=csv_dialect,
            lang=lang,
            record=record,
        )
    finally:
        if record is not None:
            record.abandon()  # nothing, once committed


def _emit(
    tables: Sequence[Table],
    fmt: Format | None,
    output: Path | None,
    *,
    document: dict[str, Any],
    extra: Sequence[RenderableType],
    notes: Sequence[str],
    footer: str,
    money: str | None,
    export: Path | None,
    title: str,
    table: str | None,
    csv_dialect: CsvDialect,
    lang: str | None,
    record: Recording | None,
) -> None:
    from kompalloc.cli.console import PIPE_WIDTH, console, plain, stdout_console
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.pipeline.files import write_bytes_output, write_output, write_stdout
    from kompalloc.pipeline.project import language
    from kompalloc.reporting.output import (
        chosen_tables,
        csv_table,
        people_pieces,
        people_view,
        stream_output,
    )

    fmt, money = resolve_display(fmt, money)
    chosen = language(lang)
    if tables:
        try:
            tables = chosen_tables(tables, table)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if fmt is Format.XLSX and output is None:  # binary: only to a file
        raise UsageError("--format xlsx needs --output FILE.xlsx (a workbook is binary)")
    if export is not None:
        from kompalloc.cli.export import write_export

        if record is not None:  # a second file: not what a saved output holds
            record.abandon()
            record = None

        write_export(
            export,
            tables,
            extra=extra,
            notes=notes,
            footer=footer,
            money=money,
            title=title,
            document=document,
            lang=chosen,
        )
    if fmt is Format.TABLE and output is None and plain(sys.stdout):
        # A pipe or a file: no colour, so the text is made without Rich's printing.
        width = console().width
        pieces = people_pieces(
            tables, money, width, extra=extra, notes=notes, footer=footer, lang=chosen
        )
        write_stdout(pieces if record is None else record.tee(pieces))
        if record is not None:
            record.commit()
        return
    if fmt is Format.TABLE and output is None:
        with stdout_console() as out:
            shown = people_view(
                tables, money, out.width, extra=extra, notes=notes, footer=footer, lang=chosen
            )
            print_tables(out, shown)
        return
    if fmt is Format.CSV:
        from kompalloc.pipeline.files import write_text_chunks
        from kompalloc.reporting.render import csv_chunks

        chunks = csv_chunks(csv_table(tables), csv_dialect)
        write_text_chunks(chunks if record is None else record.tee(chunks), output)
        if record is not None:
            record.commit()
        return
    rendered = stream_output(  # JSON in pieces as it is made; the rest whole
        tables,
        fmt,
        document=document,
        money=money,
        notes=notes,
        footer=footer,
        extra=extra,
        width=PIPE_WIDTH,
        title=title,
        lang=chosen,
    )
    if isinstance(rendered, bytes):
        assert output is not None
        write_bytes_output(rendered, output)
        return
    if record is not None:
        rendered = record.tee(rendered)
    if output is None:
        write_stdout(rendered)
    else:
        write_output(rendered, output)
    if record is not None:
        record.commit()
