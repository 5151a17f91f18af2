"""Shared output handling for report-like commands: format choice, rendering, stdout or an atomic file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kompalloc.reporting.formats import Format

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kompalloc.reporting.tables import Table


def resolve_display(fmt: Format | None, money: str | None) -> tuple[Format, str]:
    """The output format and money display: command line, else project file, else the defaults."""
    from kompalloc.pipeline.project import display

    return display(fmt, money)


def print_tables(
    out: Console,
    tables: Sequence[Table],
    money: str,
    width: int | None,
    extra: Sequence[RenderableType],
    notes: Sequence[str],
    footer: str,
) -> None:
    """Print Rich tables, then any extra renderables, the notes and the stamp."""
    from kompalloc.reporting import render

    for table in tables:
        for item in render.rich_tables(table, money, width):
            out.print(item)
            out.print()
    for item in extra:
        out.print(item)
    for note in notes:
        out.print(note, soft_wrap=True, markup=False)
    if footer:
        out.print(footer, style="dim", soft_wrap=True)


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
) -> None:
    """Render the tables in the chosen format and send them to stdout or the output file.

    With ``export``, also write what a person sees to an HTML, SVG or Markdown file."""
    from kompalloc.cli.console import PIPE_WIDTH, stdout_console
    from kompalloc.pipeline.files import write_bytes_output, write_output, write_stdout
    from kompalloc.reporting import render

    fmt, money = resolve_display(fmt, money)
    if export is not None:
        from kompalloc.cli.whatif import write_export

        write_export(export, tables, extra=extra, notes=notes, footer=footer, money=money)

    if fmt is Format.XLSX:  # binary: only to a file
        from kompalloc.pipeline.errors import UsageError
        from kompalloc.reporting.xlsx import xlsx_bytes

        if output is None:
            raise UsageError("--format xlsx needs --output FILE.xlsx (a workbook is binary)")
        write_bytes_output(xlsx_bytes(tables, document, notes=notes), output)
        return
    if fmt is Format.JSON:
        document = {**document, "tables": {t.key: render.table_json(t) for t in tables}}
        text = render.json_text(document)
    elif fmt is Format.CSV:
        text = render.csv_text(tables)
    elif fmt is Format.TABLE:
        if output is None:
            with stdout_console() as out:
                print_tables(out, tables, money, out.width, extra, notes, footer)
            return
        import io

        from rich.console import Console

        buffer = io.StringIO()
        to_file = Console(file=buffer, width=PIPE_WIDTH, color_system=None, highlight=False)
        print_tables(to_file, tables, money, None, extra, notes, footer)
        text = buffer.getvalue()
    else:
        text = render.tabulate_text(tables, fmt, money)
        text += "".join(f"\n{note}\n" for note in notes)
        if footer:
            text += f"\n{footer}\n"
    if output is None:
        write_stdout(text)
    else:
        write_output(text, output)
