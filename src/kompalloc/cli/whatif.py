"""--export: what a report-like command shows, as HTML, SVG or Markdown to share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kompalloc.reporting.tables import Table

EXPORT_SUFFIXES = (".html", ".htm", ".svg", ".md", ".markdown")
EXPORT_WIDTH = 100
"""Exported tables are laid out for 100 columns, like the goldens and the meeting papers."""


def check_export(export: Path | None) -> None:
    """A usage error for an export file of a kind kompalloc cannot write."""
    from kompalloc.pipeline.errors import UsageError

    if export is not None and export.suffix.lower() not in EXPORT_SUFFIXES:
        raise UsageError(
            f"--export {export}: the name must end in .html, .svg or .md (the kind of file)"
        )


def export_text(
    export: Path,
    tables: Sequence[Table],
    *,
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
    money: str = "kr",
    title: str = "kompalloc",
) -> str:
    """What a command shows, as an HTML page, an SVG picture or Markdown, 100 columns wide."""
    import io

    from rich.console import Console

    from kompalloc.cli.output import print_tables
    from kompalloc.reporting import render
    from kompalloc.reporting.formats import Format

    if export.suffix.lower() in (".md", ".markdown"):
        text = render.tabulate_text(tables, Format.MARKDOWN, money) if tables else ""
        if extra:
            plain = Console(
                file=io.StringIO(), width=EXPORT_WIDTH, color_system=None, highlight=False
            )
            for item in extra:
                plain.print(item)
            assert isinstance(plain.file, io.StringIO)
            body = "\n".join(line.rstrip() for line in plain.file.getvalue().splitlines())
            text += ("\n" if text else "") + f"```text\n{body.strip(chr(10))}\n```\n"
        text += "".join(f"\n{note}\n" for note in notes)
        if footer:
            text += f"\n{footer}\n"
        return text
    console = Console(
        record=True,
        file=io.StringIO(),
        width=EXPORT_WIDTH,
        color_system="truecolor",
        force_terminal=True,
        no_color=False,
        highlight=False,
    )
    print_tables(console, tables, money, EXPORT_WIDTH, extra, notes, footer)
    if export.suffix.lower() == ".svg":
        return console.export_svg(title=title)
    return console.export_html(inline_styles=True)


def write_export(
    export: Path | None,
    tables: Sequence[Table],
    *,
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
    money: str = "kr",
    title: str = "kompalloc",
) -> None:
    """Write the export file atomically, if one was asked for."""
    from kompalloc.pipeline.files import write_output

    if export is None:
        return
    text = export_text(
        export, tables, extra=extra, notes=notes, footer=footer, money=money, title=title
    )
    write_output(text, export)
