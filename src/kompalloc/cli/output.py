"""Shared output handling for report-like commands: format choice, rendering, stdout or an atomic file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kompalloc.reporting.formats import CsvDialect, Format

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kompalloc.reporting.output import Shown
    from kompalloc.reporting.tables import Table


def resolve_display(fmt: Format | None, money: str | None) -> tuple[Format, str]:
    """The output format and money display: command line, else project file, else the defaults."""
    from kompalloc.pipeline.project import display

    return display(fmt, money)


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
) -> None:
    """Render the tables in the chosen format and send them to stdout or the output file.

    With ``export``, also write what a person sees to an HTML, SVG or Markdown file (headed
    ``title``). ``table`` keeps only the table of that key (``--table``); CSV writes one
    table, streamed a batch of rows at a time, in ``csv_dialect``."""
    from kompalloc.cli.console import PIPE_WIDTH, console, plain, stdout_console
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.pipeline.files import write_bytes_output, write_output, write_stdout
    from kompalloc.pipeline.project import language
    from kompalloc.reporting.output import (
        chosen_tables,
        csv_table,
        people_text,
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
        write_stdout(
            people_text(tables, money, width, extra=extra, notes=notes, footer=footer, lang=chosen)
        )
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

        write_text_chunks(csv_chunks(csv_table(tables), csv_dialect), output)
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
    elif output is None:
        write_stdout(rendered)
    else:
        write_output(rendered, output)
