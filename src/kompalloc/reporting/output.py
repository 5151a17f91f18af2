"""The one way report-like output is made: neutral tables in a chosen Format, as text or bytes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, assert_never

from kompalloc.reporting.formats import CsvDialect, ExportFormat, Format
from kompalloc.reporting.labels import Lang

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kompalloc.reporting.tables import Cell, Table

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
    lang: Lang = Lang.EN,
) -> list[Shown]:
    """What people see (the table format): Rich tables, then any extra renderables, the notes
    and the stamp. With ``width`` (a terminal's), optional columns go until the tables fit."""
    from kompalloc.reporting import render

    out: list[Shown] = []
    for table in tables:
        for item in render.rich_tables(table, money, width, lang):
            out.append(Shown(item))
            out.append(Shown(None))
    out.extend(Shown(item) for item in extra)
    # Notes wrap at spaces to the width they are printed at, never inside an amount.
    out.extend(Shown(render.Wrapped([(note, "")], indent="")) for note in notes)
    if footer:
        # The stamp stays one line (tools read it); the terminal folds it if it must.
        out.append(Shown(footer, style="dim", soft_wrap=True))
    return out


DEFAULT_CSV_TABLE = "applications"
"""The table CSV gives without --table, where there is one: one row per application, with
every field, is what a secretariat filters and pivots."""


def chosen_tables(tables: Sequence[Table], key: str | None) -> list[Table]:
    """The table ``key`` names (``--table``), or all of them without a key; a ValueError saying
    which tables there are for a key that is not among them."""
    if key is None:
        return list(tables)
    picked = [t for t in tables if t.key == key]
    if not picked:
        keys = ", ".join(t.key for t in tables) or "none"
        raise ValueError(f"--table {key}: this command's tables are {keys}")
    return picked


def csv_table(tables: Sequence[Table]) -> Table:
    """The one table CSV writes: the only one, else the applications, else the first."""
    if not tables:
        from kompalloc.reporting.tables import Table as Neutral

        return Neutral("empty", "", (), ())
    return next((t for t in tables if t.key == DEFAULT_CSV_TABLE), tables[0])


def plain_text(shown: Sequence[Shown], width: int) -> str:
    """``shown`` as Rich prints it without colour on a console this wide: see
    :func:`plain_pieces`."""
    return "".join(plain_pieces(shown, width))


def plain_pieces(shown: Sequence[Shown], width: int) -> list[str]:
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
            made = item.renderable.plain_pieces(console)
            if made is not None:
                parts += made
                continue
        with console.capture() as captured:
            item.print_on(console)
        parts.append(captured.get())
    return parts


def people_text(
    tables: Sequence[Table],
    money: str = "kr",
    width: int = FILE_WIDTH,
    *,
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
    lang: Lang = Lang.EN,
) -> str:
    """What people see (:func:`people_view`) laid out ``width`` columns wide, as the text Rich
    prints without colour: :func:`people_pieces`, joined."""
    pieces = people_pieces(tables, money, width, extra=extra, notes=notes, footer=footer, lang=lang)
    return "".join(pieces)


def people_pieces(
    tables: Sequence[Table],
    money: str = "kr",
    width: int = FILE_WIDTH,
    *,
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
    lang: Lang = Lang.EN,
) -> list[str]:
    """What people see (:func:`people_view`) laid out ``width`` columns wide, as the text Rich
    prints without colour (:func:`plain_pieces`), in pieces to be written one after another
    (a large table's body is one of them): the table format to a file or a pipe.

    The cyclic garbage collector is paused meanwhile, as while loading: what is made here
    (texts, rows of texts, the lines) holds no reference cycles, so the collector would only
    walk the loaded data again (at 20,000 rows, collections costing about two thirds of the
    time the text takes to make)."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        shown = people_view(
            tables, money, width, extra=extra, notes=notes, footer=footer, lang=lang
        )
        return plain_pieces(shown, width)
    finally:
        if collecting:
            gc.enable()


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
    title: str = "kompalloc report",
    csv_dialect: CsvDialect = CsvDialect.PLAIN,
    lang: Lang = Lang.EN,
) -> str | bytes:
    """The tables in ``fmt``: text, or the bytes of a workbook for XLSX.

    ``money`` is 'kr' or 'mnok' (tables for people; machine formats give øre). ``notes`` and
    ``footer`` (the stamp) follow the tables for people and go to the workbook's about sheet;
    ``extra`` renderables (a chart, compare's blocks) only show in the table format, laid out
    ``width`` columns wide without colour (and, as text figures, on the HTML page). JSON adds
    the tables to ``document``; HTML is the page of :func:`kompalloc.reporting.html.html_page`,
    headed ``title``. For a live terminal, print :func:`people_view` instead.
    """
    from kompalloc.reporting import render

    match fmt:
        case Format.TABLE:
            return people_text(
                tables, money, width, extra=extra, notes=notes, footer=footer, lang=lang
            )
        case (
            Format.PLAIN
            | Format.SIMPLE
            | Format.GITHUB
            | Format.MARKDOWN
            | Format.GRID
            | Format.LATEX
        ):
            return _with_notes(render.tabulate_text(tables, fmt, money, lang), notes, footer)
        case Format.HTML:
            return _page(tables, document, title, money, notes, footer, extra, lang)
        case Format.CSV:
            return render.csv_text(csv_table(tables), csv_dialect)
        case Format.JSON:
            return "".join(render.json_chunks(document, tables))
        case Format.XLSX:
            from kompalloc.reporting.xlsx import xlsx_bytes

            return xlsx_bytes([_in_words_of(t, lang) for t in tables], document, notes=notes)
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
    title: str = "kompalloc report",
    csv_dialect: CsvDialect = CsvDialect.PLAIN,
    lang: Lang = Lang.EN,
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
        title=title,
        csv_dialect=csv_dialect,
        lang=lang,
    )
    return rendered if isinstance(rendered, bytes) else (rendered,)


def _page(
    tables: Sequence[Table],
    document: Mapping[str, Any],
    title: str,
    money: str,
    notes: Sequence[str],
    footer: str,
    extra: Sequence[RenderableType],
    lang: Lang = Lang.EN,
) -> str:
    from kompalloc.reporting.html import html_page

    figures = [plain_text([Shown(item)], EXPORT_WIDTH) for item in extra]
    return html_page(
        tables,
        document=document,
        title=title,
        money=money,
        notes=notes,
        footer=footer,
        figures=figures,
        lang=lang,
    )


SVG_FORMAT = """\
<svg class="rich-terminal" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">
    <!-- kompalloc, laid out by Rich; light, with the reader's own monospace fonts -->
    <style>
    .{unique_id}-matrix {{
        font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
        font-size: {char_height}px;
        line-height: {line_height}px;
        font-variant-east-asian: full-width;
    }}
    {styles}
    </style>
    <defs>
    <clipPath id="{unique_id}-clip-terminal">
      <rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" />
    </clipPath>
    {lines}
    </defs>
    <rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff" />
    <g transform="translate({terminal_x}, {terminal_y})" clip-path="url(#{unique_id}-clip-terminal)">
    {backgrounds}
    <g class="{unique_id}-matrix">
    {matrix}
    </g>
    </g>
</svg>
"""
"""Rich's SVG page without its window (buttons, dark frame, title bar) and without the web
font it loads from a CDN: a white sheet and the local monospace fonts, for meeting papers."""


def export_text(
    kind: ExportFormat,
    tables: Sequence[Table],
    *,
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
    money: str = "kr",
    title: str = "kompalloc report",
    document: Mapping[str, Any] | None = None,
    lang: Lang = Lang.EN,
) -> str:
    """What a command shows, as an HTML page (the same as ``--format html``), an SVG picture
    (100 columns, light) or Markdown."""
    import io

    from rich.console import Console

    from kompalloc.reporting import render

    match kind:
        case ExportFormat.MARKDOWN:
            text = render.tabulate_text(tables, Format.MARKDOWN, money, lang) if tables else ""
            if extra:
                body = "\n".join(
                    line.rstrip()
                    for line in plain_text(
                        [Shown(item) for item in extra], EXPORT_WIDTH
                    ).splitlines()
                )
                text += ("\n" if text else "") + f"```text\n{body.strip(chr(10))}\n```\n"
            return _with_notes(text, notes, footer)
        case ExportFormat.HTML:
            return _page(tables, document or {}, title, money, notes, footer, extra, lang)
        case ExportFormat.SVG:
            from rich.terminal_theme import DEFAULT_TERMINAL_THEME

            console = Console(
                record=True,
                file=io.StringIO(),
                width=EXPORT_WIDTH,
                color_system="truecolor",
                force_terminal=True,
                no_color=False,
                highlight=False,
            )
            view = people_view(
                tables, money, EXPORT_WIDTH, extra=extra, notes=notes, footer=footer, lang=lang
            )
            for item in view:  # notes and the stamp wrap within the picture, not past its edge
                Shown(item.renderable, item.style, None, item.markup).print_on(console)
            return console.export_svg(
                title=title, theme=DEFAULT_TERMINAL_THEME, code_format=SVG_FORMAT
            )
        case _:
            assert_never(kind)


def _in_words_of(table: Table, lang: Lang) -> Table:
    """The table with its title, column titles and worded cells (statuses, reasons, types,
    roles) in ``lang``, for a workbook people read; keys and numbers stay as they are."""
    from dataclasses import replace

    from kompalloc.reporting import labels

    if lang is Lang.EN:
        return table
    columns = tuple(replace(c, title=labels.word(c.title, lang)) for c in table.columns)
    worded = [i for i, c in enumerate(table.columns) if c.vocab is not None]

    def row_in_words(row: tuple[Cell, ...]) -> tuple[Cell, ...]:
        cells = list(row)
        for i in worded:
            cell = cells[i]
            if isinstance(cell, str):
                cells[i] = labels.value(table.columns[i].vocab, cell, lang)
        return tuple(cells)

    return replace(
        table,
        title=labels.title(table.title, lang),
        columns=columns,
        rows=tuple(map(row_in_words, table.rows)),
    )
