"""The one way report-like output is made: neutral tables in a chosen Format, as text or bytes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, assert_never

from kompalloc.reporting.formats import ExportFormat, Format

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kompalloc.reporting.tables import Table

FILE_WIDTH = 120
"""Width of Rich tables written to a file or a pipe (the CLI passes its own, the same)."""
EXPORT_WIDTH = 100
"""Exported tables are laid out for 100 columns, like the goldens and the meeting papers."""


@dataclass(frozen=True, slots=True)
class Shown:
    """One thing to print on a Rich console, and how (the arguments of ``Console.print``)."""

    renderable: RenderableType | None
    """None: an empty line."""
    style: str | None = None
    soft_wrap: bool | None = None
    markup: bool | None = None

    def print_on(self, console: Console) -> None:
        """Print it on ``console``, a console the caller owns."""
        objects = () if self.renderable is None else (self.renderable,)
        console.print(*objects, style=self.style, soft_wrap=self.soft_wrap, markup=self.markup)


def people_view(
    tables: Sequence[Table],
    money: str = "kr",
    width: int | None = None,
    *,
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
) -> list[Shown]:
    """What people see (the table format): Rich tables, then any extra renderables, the notes
    and the stamp. With ``width`` (a terminal's), optional columns go until the tables fit."""
    from kompalloc.reporting import render

    out: list[Shown] = []
    for table in tables:
        for item in render.rich_tables(table, money, width):
            out.append(Shown(item))
            out.append(Shown(None))
    out.extend(Shown(item) for item in extra)
    out.extend(Shown(note, soft_wrap=True, markup=False) for note in notes)
    if footer:
        out.append(Shown(footer, style="dim", soft_wrap=True))
    return out


def _plain_text(shown: Sequence[Shown], width: int) -> str:
    """``shown`` as Rich prints it without colour on a console this wide."""
    return plain_text(shown, width)


def plain_text(shown: Sequence[Shown], width: int) -> str:
    """``shown`` as Rich prints it without colour on a console this wide, the fast tables
    rendered straight to text.

    Printing a table makes Rich split its segments into lines, crop each to the width and join
    them again: for a large table, more time than rendering it. A FastTable's lines are already
    the width's (no longer) and end in a newline, and without colour a segment prints as its
    text, so its text is the join of what it renders; anything else is printed by Rich.
    tests/reporting/test_plain_text.py compares the two over the reports.
    """
    import io

    from rich.console import Console

    from kompalloc.reporting.render import FastTable

    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    parts: list[str] = []
    for item in shown:
        if type(item.renderable) is FastTable and item.style is None:
            made = item.renderable.plain_text(console)
            if made is not None:
                parts.append(made)
                continue
        with console.capture() as captured:
            item.print_on(console)
        parts.append(captured.get())
    return "".join(parts)


def _with_notes(text: str, notes: Sequence[str], footer: str) -> str:
    text += "".join(f"\n{note}\n" for note in notes)
    if footer:
        text += f"\n{footer}\n"
    return text


def render_output(
    tables: Sequence[Table],
    fmt: Format,
    *,
    document: Mapping[str, Any],
    money: str = "kr",
    notes: Sequence[str] = (),
    footer: str = "",
    extra: Sequence[RenderableType] = (),
    width: int = FILE_WIDTH,
) -> str | bytes:
    """The tables in ``fmt``: text, or the bytes of a workbook for XLSX.

    ``money`` is 'kr' or 'mnok' (tables for people; machine formats give øre). ``notes`` and
    ``footer`` (the stamp) follow the tables for people and go to the workbook's about sheet;
    ``extra`` renderables (a chart, compare's blocks) only show in the table format, laid out
    ``width`` columns wide without colour. JSON adds the tables to ``document``. For a live
    terminal, print :func:`people_view` instead.
    """
    from kompalloc.reporting import render

    match fmt:
        case Format.TABLE:
            view = people_view(tables, money, None, extra=extra, notes=notes, footer=footer)
            return _plain_text(view, width)
        case (
            Format.PLAIN
            | Format.SIMPLE
            | Format.GITHUB
            | Format.MARKDOWN
            | Format.GRID
            | Format.HTML
            | Format.LATEX
        ):
            return _with_notes(render.tabulate_text(tables, fmt, money), notes, footer)
        case Format.CSV:
            return render.csv_text(tables)
        case Format.JSON:
            return "".join(render.json_chunks(document, tables))
        case Format.XLSX:
            from kompalloc.reporting.xlsx import xlsx_bytes

            return xlsx_bytes(tables, document, notes=notes)
        case _:
            assert_never(fmt)


def stream_output(
    tables: Sequence[Table],
    fmt: Format,
    *,
    document: Mapping[str, Any],
    money: str = "kr",
    notes: Sequence[str] = (),
    footer: str = "",
    extra: Sequence[RenderableType] = (),
    width: int = FILE_WIDTH,
) -> Iterable[str] | bytes:
    """What :func:`render_output` gives, as pieces of text to write as they come (JSON is made
    one row at a time) or the bytes of a workbook."""
    if fmt is Format.JSON:
        from kompalloc.reporting import render

        return render.json_chunks(document, tables)
    rendered = render_output(
        tables,
        fmt,
        document=document,
        money=money,
        notes=notes,
        footer=footer,
        extra=extra,
        width=width,
    )
    return rendered if isinstance(rendered, bytes) else (rendered,)


def export_text(
    kind: ExportFormat,
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

    from kompalloc.reporting import render

    match kind:
        case ExportFormat.MARKDOWN:
            text = render.tabulate_text(tables, Format.MARKDOWN, money) if tables else ""
            if extra:
                body = "\n".join(
                    line.rstrip()
                    for line in _plain_text(
                        [Shown(item) for item in extra], EXPORT_WIDTH
                    ).splitlines()
                )
                text += ("\n" if text else "") + f"```text\n{body.strip(chr(10))}\n```\n"
            return _with_notes(text, notes, footer)
        case ExportFormat.HTML | ExportFormat.SVG:
            console = Console(
                record=True,
                file=io.StringIO(),
                width=EXPORT_WIDTH,
                color_system="truecolor",
                force_terminal=True,
                no_color=False,
                highlight=False,
            )
            view = people_view(tables, money, EXPORT_WIDTH, extra=extra, notes=notes, footer=footer)
            for item in view:
                item.print_on(console)
            if kind is ExportFormat.SVG:
                return console.export_svg(title=title)
            return console.export_html(inline_styles=True)
        case _:
            assert_never(kind)
