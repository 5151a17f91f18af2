"""Renderers: neutral tables to Rich renderables, tabulate text, CSV and JSON. Nothing here prints."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import compress
from typing import TYPE_CHECKING, Any

from kompalloc.money import format_kr, format_mnok
from kompalloc.reporting import labels
from kompalloc.reporting.formats import TABULATE_FORMATS, CsvDialect, Format
from kompalloc.reporting.labels import Lang
from kompalloc.reporting.tables import Cell, Column, Kind, Table, with_tree_glyphs

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.measure import Measurement
    from rich.segment import Segment
    from rich.style import Style
    from rich.table import Table as RichTable


def _share(cell: tuple[int, int]) -> str:
    part, whole = cell
    if whole == 0:
        return "–"
    # Exact integer percentage with one decimal, rounded half up; no floats near money.
    tenths = (part * 1000 * 2 + whole) // (whole * 2)
    return f"{tenths // 10},{tenths % 10} %"


def text_cell(
    cell: Cell, column: Column, *, unit: bool = True, money: str = "kr", lang: Lang = Lang.EN
) -> str:
    """A cell as people read it: amounts in kroner (or MNOK) with Norwegian separators, a
    change with its sign ('+1 900 000 kr', '-50 000 kr'), words in ``lang``."""
    if cell is None:
        return ""
    if column.signed and isinstance(cell, int) and column.kind in (Kind.MONEY, Kind.COUNT):
        if cell == 0:
            return "±0"
        plain = replace(column, signed=False)
        return ("+" if cell > 0 else "-") + text_cell(abs(cell), plain, unit=unit, money=money)
    if column.kind is Kind.MONEY and isinstance(cell, int):
        if money == "mnok":
            text = format_mnok(cell)
            return text if unit else text.removesuffix(" MNOK")
        text = format_kr(cell)
        return text if unit else text.removesuffix("\u00a0kr")
    if column.kind is Kind.SHARE and isinstance(cell, tuple):
        return _share(cell)
    if column.vocab is not None and isinstance(cell, str):
        return labels.value(column.vocab, cell, lang)
    return str(cell)


def section_totals(
    table: Table, rows: Sequence[tuple[Cell, ...]], only: Sequence[int] | None = None
) -> tuple[Cell, ...]:
    """Totals of one section: money and counts summed, shares recomputed, text left empty;
    with ``only``, just those columns' (the others None)."""
    wanted = range(len(table.columns)) if only is None else set(only)
    return tuple(
        _column_total(column, [row[i] for row in rows], i) if i in wanted else None
        for i, column in enumerate(table.columns)
    )


def _column_total(column: Column, values: Sequence[Cell], i: int) -> Cell:
    if column.kind in (Kind.MONEY, Kind.COUNT):
        return sum(v for v in values if isinstance(v, int))
    if column.kind is Kind.SHARE:
        pairs = [v for v in values if isinstance(v, tuple)]
        return (sum(p[0] for p in pairs), sum(p[1] for p in pairs))
    return "Total" if i == 0 else ""  # translated where it is shown


def _sections(table: Table) -> list[tuple[str | None, int, int]]:
    """The rows split into consecutive sections by the table's group column (one section if
    none), as each section's label and the slice of rows it spans."""
    if table.group is None:
        return [(None, 0, len(table.rows))]
    index = [c.key for c in table.columns].index(table.group)
    sections: list[tuple[str | None, int, int]] = []
    label: str | None = None
    start = 0
    for n, row in enumerate(table.rows):
        here = str(row[index])
        if n == 0:
            label = here
        elif here != label:
            sections.append((label, start, n))
            label, start = here, n
    if table.rows:
        sections.append((label, start, len(table.rows)))
    return sections


class Wrapped:
    """Text wrapped to the console's width at spaces only (amounts keep their no-break
    spaces), later lines indented; parts may carry a style."""

    def __init__(self, parts: Sequence[tuple[str, str]], indent: str = "    ") -> None:
        self.parts = list(parts)
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        import textwrap

        from rich.text import Text

        plain = "".join(p for p, _ in self.parts)
        lines = textwrap.wrap(
            plain,
            width=max(options.max_width, 20),
            subsequent_indent=self.indent,
            break_on_hyphens=False,
            break_long_words=False,
        ) or [""]
        text = Text("\n".join(lines))
        # Styles by position in the plain text, followed through the wrapping.
        starts, at = [], 0
        for part, style in self.parts:
            starts.append((at, at + len(part), style))
            at += len(part)
        mapping, pos = [], 0
        joined = text.plain
        for char in plain:  # the same characters in order, only whitespace moved
            found = joined.find(char, pos)
            if found < 0:
                break
            mapping.append(found)
            pos = found + 1
        for start, end, style in starts:
            if style and end > start and end - 1 < len(mapping):
                text.stylize(style, mapping[start], mapping[end - 1] + 1)
        yield text


def table_style() -> dict[str, Any]:
    """The look of every kompalloc table in Rich: a rule under the head, no outer edge, one
    space between columns, the title bold on the left."""
    from rich import box

    return {
        "box": box.SIMPLE_HEAD,
        "title_justify": "left",
        "title_style": "bold",
        "pad_edge": False,
        "show_edge": False,
        "padding": (0, 1, 0, 0),
    }


@dataclass(frozen=True, slots=True)
class FastColumn:
    """A column of a :class:`FastTable`: its title, footer, alignment and whether it wraps."""

    header: str
    footer: str
    right: bool
    """Right-aligned (numbers and amounts); else left-aligned."""
    wrap: bool
    width: int | None = None
    """A fixed width (the layout of :func:`fit` chose it), as Rich's ``Column.width``."""


class FastTable:
    """A table of plain text cells that prints exactly like :meth:`rich_table`, only faster.

    Rich lays out and renders every cell through its general machinery (markup, measuring,
    wrapping, padding), which takes seconds for thousands of rows. This one chooses the column
    widths like Rich's table does (measuring, with Rich, only the cells that decide a width),
    lets Rich render the title, caption, header, footer and every cell that is not plain
    single-line text or does not fit its column, and writes the other cells itself: each as the
    segments Rich makes of it. tests/reporting/test_render_fast.py checks, over random tables, consoles and
    widths, that the segments are the same as Rich's. Only Rich's public API is used.
    """

    __slots__ = ("caption", "columns", "rows", "show_footer", "title")

    def __init__(
        self,
        title: str,
        caption: str | None,
        columns: Sequence[FastColumn],
        rows: Sequence[Sequence[str]],
        *,
        show_footer: bool,
    ) -> None:
        self.title = title
        self.caption = caption
        self.columns = list(columns)
        self.rows = rows
        self.show_footer = show_footer

    def rich_table(self) -> RichTable:
        """The Rich table this one prints like."""
        from rich.table import Table as RichTable

        t = RichTable(
            title=self.title,
            show_footer=self.show_footer,
            caption=self.caption,
            caption_justify="left",
            caption_style="dim",
            **table_style(),
        )
        for column in self.columns:
            t.add_column(
                column.header,
                footer=column.footer,
                justify="right" if column.right else "left",
                no_wrap=not column.wrap,
                overflow="fold",
                width=column.width,
                min_width=None,
            )
        for row in self.rows:
            t.add_row(*row)
        return t

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options, self.rich_table())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self._fast(options):
            yield self.rich_table()  # nothing to gain, and Rich's corner cases stay Rich's
            return
        yield from _render_fast(self, console, options)

    def _fast(self, options: ConsoleOptions) -> bool:
        count = len(self.columns)
        return bool(count) and options.max_width - (count - 1) >= 2 * count

    def plain_pieces(self, console: Console) -> list[str] | None:
        """What printing it on ``console`` (no colour, no record) writes, made without Rich's
        printing, in the pieces it is made of (the body's lines are one piece, for a writer
        that need not join them first); None where Rich renders the table itself."""
        if not self._fast(console.options):
            return None
        width: list[int] = []
        lines = list(_render_fast(self, console, console.options, as_text=True, told_width=width))
        # Columns that cannot be narrower than their longest number make the table wider than
        # a very narrow console (below the 60 columns the layout is made for); Rich crops its
        # lines. Every line of the table is the table's width (the title's, no wider), so the
        # table's width says whether any line is too wide, without splitting the text.
        # (Console.width asks the terminal each time: asked once.)
        if width[0] > console.width:
            return None
        return [s if type(s) is str else s.text for s in lines]  # type: ignore[union-attr]


_PLAIN_CHARS: dict[str, bool] = {}
_EMOJI_LIKE = re.compile(r":\S*:")
_COMMON: list[re.Pattern[str]] = []


def _plain_char(char: str) -> bool:
    from rich.cells import cell_len

    ok = _PLAIN_CHARS.get(char)
    if ok is None:
        ok = _PLAIN_CHARS[char] = (
            char != "[" and (char.isprintable() or char == "\u00a0") and cell_len(char) == 1
        )
    return ok


def _common_plain() -> re.Pattern[str]:
    """Texts of plain characters from the Latin alphabets, checked at once."""
    if not _COMMON:
        chars = (chr(code) for code in range(0x20, 0x250))
        _COMMON.append(re.compile(f"[{''.join(re.escape(c) for c in chars if _plain_char(c))}]+"))
    return _COMMON[0]


def _plain(text: str) -> bool:
    """Whether Rich shows ``text`` as it is, one cell per character, when it fits: no markup,
    no emoji codes, no control or wide or zero-width characters, no whitespace at either end."""
    return (
        bool(text)
        and not text[0].isspace()
        and not text[-1].isspace()
        and not (":" in text and _EMOJI_LIKE.search(text))
        and (_common_plain().fullmatch(text) is not None or all(map(_plain_char, set(text))))
    )


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """Rich's way of taking ``total`` off ``values`` in proportion to ``ratios`` (rich._ratio)."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result: list[int] = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapse_widths(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """Rich's table narrowing: the widest wrapping columns give up width first."""
    total_width = sum(widths)
    excess_width = total_width - max_width
    if any(wrapable):
        while total_width and excess_width > 0:
            max_column = max(w for w, wrap in zip(widths, wrapable, strict=True) if wrap)
            second_max_column = max(
                w if wrap and w != max_column else 0
                for w, wrap in zip(widths, wrapable, strict=True)
            )
            column_difference = max_column - second_max_column
            ratios = [
                1 if (w == max_column and wrap) else 0
                for w, wrap in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or not column_difference:
                break
            max_reduce = [min(excess_width, column_difference)] * len(widths)
            widths = _ratio_reduce(excess_width, ratios, max_reduce, widths)
            total_width = sum(widths)
            excess_width = total_width - max_width
    return widths


# Kept whole on purpose: it follows Rich's Table.__rich_console__ and _render step by step, so
# that a new Rich release can be read against it (.ci/newest-rich runs the comparison tests).
def _render_fast(  # noqa: C901, PLR0915
    table: FastTable,
    console: Console,
    options: ConsoleOptions,
    *,
    as_text: bool = False,
    told_width: list[int] | None = None,
) -> RenderResult:
    """What Rich's ``Table.__rich_console__`` yields for ``table.rich_table()``, step by step;
    with ``as_text`` (a console without colour), the body's lines as plain strings. ``told_width``,
    where given, is told the table's width (in cells) before anything is yielded."""
    from rich.measure import Measurement
    from rich.padding import Padding
    from rich.segment import Segment
    from rich.style import Style

    columns = table.columns
    count = len(columns)
    last = count - 1
    # Without colours, a record or Windows' console API, styles do not show and the segments of
    # a line can be one.
    merge = console.color_system is None and not console.record and not console.legacy_windows
    pads = [(0, 0 if i == last else 1, 0, 0) for i in range(count)]
    rows = table.rows
    # Each column's cells, and its distinct texts in the order they first come.
    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    distinct = [list(dict.fromkeys(cells)) for cells in by_column]
    plain = {text: _plain(text) for text in set().union(*distinct)}

    # What decides each column's width: its header and footer, its longest plain cell (all
    # plain cells measure like it, only narrower) and every other cell, each measured by Rich.
    deciders: list[list[str]] = []
    for i, column in enumerate(columns):
        if column.width is not None:
            deciders.append([])
            continue
        cells = [column.header, *([column.footer] if table.show_footer else [])]
        flags = list(map(plain.__getitem__, distinct[i]))
        cells += compress(distinct[i], [not flag for flag in flags])
        longest = max(compress(distinct[i], flags), key=len, default="")  # the first if tied
        if longest:
            cells.append(longest)
        deciders.append(cells)

    def measure(i: int, opts: ConsoleOptions) -> int:
        if opts.max_width < 1:
            return 0
        fixed = columns[i].width
        if fixed is not None:  # Rich's fixed-width column: its width and padding, at most all
            return min(fixed + pads[i][1], opts.max_width)
        widest = max(
            Measurement.get(console, opts, Padding(text, pads[i])).maximum for text in deciders[i]
        )
        return min(widest, opts.max_width)

    extra_width = count - 1
    opts = options.update_width(options.max_width - extra_width)
    max_width = opts.max_width
    widths = [measure(i, opts) or 1 for i in range(count)]
    if sum(widths) > max_width:
        widths = _collapse_widths(widths, [c.wrap and c.width is None for c in columns], max_width)
        if sum(widths) > max_width:
            excess = sum(widths) - max_width
            widths = _ratio_reduce(excess, [1] * count, widths, widths)
        widths = [measure(i, opts.update_width(w)) or 0 for i, w in enumerate(widths)]
    table_width = sum(widths) + extra_width
    if told_width is not None:
        told_width.append(table_width)
    render_options = options.update(width=table_width, highlight=False, height=None)

    if table.title:
        title = console.render_str(table.title, style="bold", highlight=False)
        yield from console.render(title, render_options.update(justify="left"))

    border = console.get_style("") + console.get_style("")
    the_box = table_style()["box"].substitute(render_options, safe=console.safe_box)
    new_line = Segment.line()
    null = Style.null()
    cell_options = [
        render_options.update(
            width=width,
            justify="right" if column.right else "left",
            no_wrap=not column.wrap,
            overflow="fold",
            height=None,
            highlight=False,
        )
        for width, column in zip(widths, columns, strict=True)
    ]

    def divider(vertical: str) -> Segment:
        # A whitespace divider takes the row's background (rows here have no style).
        return Segment(vertical, border if vertical.strip() else null.background_style + border)

    def rich_row(texts: Sequence[str], style: Style, align: Any, vertical: str) -> RenderResult:
        """The header or the footer, rendered as Rich's table renders them."""
        lines_of = [
            console.render_lines(Padding(text, pads[i]), cell_options[i], style=style)
            for i, text in enumerate(texts)
        ]
        height = max(1, *(len(lines) for lines in lines_of))
        shaped = [
            Segment.set_shape(align(lines, width, height, style), width, height)
            for width, lines in zip(widths, lines_of, strict=True)
        ]
        between = divider(vertical)
        for line_no in range(height):
            for i, lines in enumerate(shaped):
                yield from lines[line_no]
                if i != last:
                    yield between
            yield new_line

    header_style = console.get_style("table.header") + console.get_style("")
    yield from rich_row(
        [c.header for c in columns], header_style, Segment.align_bottom, the_box.head_vertical
    )
    yield Segment(the_box.get_row(widths, "head", edge=False), border)
    yield new_line
    # Every body row has the box's middle divider but the last without a footer, the foot's.
    dividers = (
        divider(the_box.mid_vertical),
        divider(the_box.mid_vertical if table.show_footer else the_box.foot_vertical),
    )
    yield from _body(
        table,
        console,
        widths,
        pads,
        cell_options,
        by_column,
        distinct,
        plain,
        dividers,
        merge,
        as_text,
    )

    if table.show_footer:
        yield Segment(the_box.get_row(widths, "foot", edge=False), border)
        yield new_line
        footer_style = console.get_style("table.footer") + console.get_style("")
        yield from rich_row(
            [c.footer for c in columns], footer_style, Segment.align_top, the_box.foot_vertical
        )

    if table.caption:
        caption = console.render_str(table.caption, style="dim", highlight=False)
        yield from console.render(caption, render_options.update(justify="left"))


def _body(  # Rich's _render body loop, step by step, as _render_fast
    table: FastTable,
    console: Console,
    widths: list[int],
    pads: list[tuple[int, int, int, int]],
    cell_options: list[ConsoleOptions],
    by_column: Sequence[Sequence[str]],
    distinct: list[list[str]],
    plain: dict[str, bool],
    dividers: tuple[Segment, Segment],
    merge: bool,
    as_text: bool = False,
) -> RenderResult:
    """The body rows as Rich's table renders them, with ``dividers`` between the cells of every
    row but the last and of the last: each distinct cell of a column made once, by hand when its
    text is plain and fits, else by Rich; each line one segment when ``merge`` (no styles show)."""
    from rich.padding import Padding
    from rich.segment import Segment
    from rich.style import Style

    null = Style.null()
    style = console.get_style("") + null  # the cells' style and the rows' (none of either)
    new_line = Segment.line()
    rows = table.rows
    if not rows:
        return

    def lines_of(i: int, text: str) -> list[list[Segment]]:
        width = widths[i]
        right = pads[i][1]
        content = width - right
        if plain[text] and len(text) <= content:
            padded = text.rjust(content) if table.columns[i].right else text.ljust(content)
            return [[Segment(padded), Segment(" " * right, null)] if right else [Segment(padded)]]
        rendered = console.render_lines(Padding(text, pads[i]), cell_options[i], style=style)
        # Rich's set_shape: each line to the column's width, padded without a style.
        lines = [Segment.adjust_line_length(line, width) for line in rendered]
        return lines or [[Segment(" " * width, style)]]

    def line_texts(lines: list[list[Segment]]) -> list[str]:
        return ["".join(segment.text for segment in line) for line in lines]

    if merge:
        # No styles show: each cell's lines as strings, a plain cell that fits padded by hand.
        def texts_of(i: int, text: str) -> list[str]:
            content = widths[i] - pads[i][1]
            if plain[text] and len(text) <= content:
                padded = text.rjust(content) if table.columns[i].right else text.ljust(content)
                return [padded + " " * pads[i][1]]
            return line_texts(lines_of(i, text))

        texts = [{text: texts_of(i, text) for text in cells} for i, cells in enumerate(distinct)]
        body = _merged_lines(
            by_column, texts, [" " * width for width in widths], dividers[0].text, dividers[1].text
        )
        if as_text:  # plain text: the body as one string, each line ending in a newline
            body.append("")
            yield "\n".join(body)
            return
        for line in body:
            yield Segment(line)
            yield new_line
        return

    made = [{text: lines_of(i, text) for text in cells} for i, cells in enumerate(distinct)]
    # Rich's align_top: a cell with fewer lines than its row gets blank lines under it.
    blanks = [[Segment(" " * width, style)] for width in widths]
    tall = any(len(lines) > 1 for cells in made for lines in cells.values())

    last = len(widths) - 1
    for n, row in enumerate(rows):
        between = dividers[n == len(rows) - 1]
        cells = [column[text] for column, text in zip(made, row, strict=True)]
        for line_no in range(max(map(len, cells)) if tall else 1):
            for i, lines in enumerate(cells):
                yield from lines[line_no] if line_no < len(lines) else blanks[i]
                if i != last:
                    yield between
            yield new_line


def _merged_lines(
    by_column: Sequence[Sequence[str]],
    texts: list[dict[str, list[str]]],
    blanks: list[str],
    between: str,
    last_between: str,
) -> list[str]:
    """The body's lines, without their newlines, from each column's cells (``by_column``) and
    its lines of each of its texts: the cells of a line joined by ``between``
    (``last_between`` in the last row's), a cell with fewer lines than its row blank under
    them (Rich's align_top). Made a column at a time: every row's first line, then the second
    lines of the rows that have one, and so on, put in order at the end."""
    if not by_column or not by_column[0]:
        return []
    count = len(by_column[0])

    def line(k: int, rows: Sequence[int] | None) -> list[str]:
        """Line ``k`` of the rows numbered ``rows`` (None: of every row)."""
        cells: list[Iterable[str]] = []
        ats: list[dict[str, str]] = []
        for i, (column, column_cells) in enumerate(zip(texts, by_column, strict=True)):
            picked = column_cells if rows is None else [column_cells[n] for n in rows]
            at = {
                text: lines[k] if len(lines := column[text]) > k else blanks[i]
                for text in (column if rows is None else dict.fromkeys(picked))
            }
            cells.append(map(at.__getitem__, picked))
            ats.append(at)
        made = list(map(between.join, zip(*cells, strict=True)))
        if rows is None or rows[-1] == count - 1:  # the last row has this line
            made[-1] = last_between.join([at[c[-1]] for at, c in zip(ats, by_column, strict=True)])
        return made

    out = line(0, None)
    tall = [
        list(map({text: len(lines) for text, lines in column.items()}.__getitem__, cells))
        for column, cells in zip(texts, by_column, strict=True)
        if any(len(lines) > 1 for lines in column.values())
    ]
    if not tall:
        return out
    heights = list(map(max, zip(*tall, strict=True)))
    rest = [  # per line after the first, that line of each row that has it
        iter(line(k, [n for n, height in enumerate(heights) if height > k]))
        for k in range(1, max(heights))
    ]
    merged: list[str] = []
    add = merged.append
    for first, height in zip(out, heights, strict=True):
        add(first)
        for k in range(height - 1):
            add(next(rest[k]))
    return merged


MNOK_STEP = 10_000_000
"""Øre in a tenth of a million kroner: the unit of amounts shown in MNOK."""


def _half_up(ore: int) -> int:
    return (2 * ore + MNOK_STEP) // (2 * MNOK_STEP)


def largest_remainder(parts: Sequence[int], total: int) -> list[int] | None:
    """Tenths of MNOK to show for each part so that they add up to the rounded total (largest
    remainder: each part rounded down, the rest handed one tenth each to the largest
    remainders, the first on a tie); None if the parts are not a sum of the total or any is
    negative."""
    if sum(parts) != total or any(p < 0 for p in parts):
        return None
    shown = [p // MNOK_STEP for p in parts]
    left = _half_up(total) - sum(shown)
    order = sorted(range(len(parts)), key=lambda j: (-(parts[j] % MNOK_STEP), j))
    for j in order[:left]:
        shown[j] += 1
    return shown


def _tenths(units: int) -> str:
    whole, tenth = divmod(abs(units), 10)
    return f"{'-' if units < 0 else ''}{whole:,}".replace(",", " ") + f",{tenth}"


@dataclass(frozen=True, slots=True)
class _Section:
    label: str | None
    rows: list[tuple[str, ...]]
    """Only the shown columns' texts."""
    footers: tuple[str, ...] | None


def _people_sections(
    table: Table, keep: Sequence[int], money: str, lang: Lang, *, sectioned: bool = True
) -> list[_Section]:
    """The table's rows as people read them, per section: each distinct cell formatted once;
    amounts in MNOK rounded so that the parts add up to the total shown."""
    out = []
    spans = _sections(table) if sectioned else [(None, 0, len(table.rows))]
    for label, start, end in spans:
        rows = table.rows[start:end]
        totals = table.totals if label is None else section_totals(table, rows, keep)
        parts = table.parts if label is None else None
        columns: list[list[str]] = []
        footers: list[str] = []
        for i in keep:
            column = table.columns[i]
            cells = [row[i] for row in rows]
            memo = {
                cell: text_cell(cell, column, unit=False, money=money, lang=lang)
                for cell in dict.fromkeys(cells)
            }
            texts = list(map(memo.__getitem__, cells))
            total_cell = totals[i] if totals else None
            if money == "mnok" and column.kind is Kind.MONEY and isinstance(total_cell, int):
                which = range(len(rows)) if parts is None else parts
                values = [rows[j][i] for j in which]
                if all(isinstance(v, int) for v in values):
                    shown = largest_remainder([v for v in values if isinstance(v, int)], total_cell)
                    if shown is not None:
                        for j, units in zip(which, shown, strict=True):
                            texts[j] = _tenths(units)
            columns.append(texts)
            if totals:
                footer = text_cell(total_cell, column, unit=False, money=money, lang=lang)
                footers.append(labels.word(footer, lang) if footer == "Total" else footer)
        out.append(
            _Section(
                label,
                list(zip(*columns, strict=True)) if columns else [() for _ in rows],
                tuple(footers) if totals else None,
            )
        )
    return out


def _caption(table: Table, money: str, lang: Lang) -> list[str]:
    if not any(c.kind is Kind.MONEY for c in table.columns):
        return []
    if money != "mnok":
        return [labels.word("Amounts in kroner.", lang)]
    out = [labels.word("Amounts in MNOK.", lang)]
    if table.totals is not None:
        out.append(
            labels.word(
                "Rounded so that the parts add up to the totals shown (largest remainder).", lang
            )
        )
    return out


def rich_tables(
    table: Table, money: str = "kr", width: int | None = None, lang: Lang = Lang.EN
) -> list[RenderableType]:
    """Rich tables, one per section (and part): amounts right-aligned, totals in the footer.

    With ``width`` (the terminal's), nothing is cropped: text columns wrap, then optional
    columns are left out, then the table is split in parts that repeat its first column, and
    the caption says so (:mod:`kompalloc.reporting.layout`). Each is a :class:`FastTable`: it
    prints exactly what the Rich table of :meth:`FastTable.rich_table` prints, many times
    faster."""
    from kompalloc.reporting import layout

    table = with_tree_glyphs(table)
    keep = [i for i, c in enumerate(table.columns) if c.key != table.group and c.people]
    sections = _people_sections(table, keep, money, lang)
    headers = [labels.word(table.columns[i].title, lang) for i in keep]
    specs = []
    for n, i in enumerate(keep):
        column = table.columns[i]
        texts = [row[n] for section in sections for row in section.rows]
        texts += [s.footers[n] for s in sections if s.footers]
        specs.append(layout.Spec(headers[n], texts, column.wrap, column.drop))
    fit = layout.fit(specs, width)
    caption = _caption(table, money, lang)
    if fit.left_out:
        names = [headers[n] for n in fit.left_out]
        caption.append(labels.left_out_note(names, fit.whole, lang))
    if len(fit.parts) > 1:
        caption.append(labels.split_note(len(fit.parts), fit.whole, lang))
    if fit.stacked and width is not None:
        return _stacked(table, sections, headers, caption, width, fit.whole, lang)
    out: list[RenderableType] = []
    fixed = width is not None
    for section in sections:
        heading = labels.title(table.title, lang)
        if section.label is not None:
            heading = f"{heading}: {section.label}"
        for k, (part, widths) in enumerate(zip(fit.parts, fit.widths, strict=True), start=1):
            columns = []
            for n, w in zip(part, widths, strict=True):
                column = table.columns[keep[n]]
                footer = section.footers[n] if section.footers else ""
                columns.append(
                    FastColumn(
                        layout.wrap(headers[n], w) if fixed else headers[n],
                        layout.wrap(footer, w) if fixed and column.wrap else footer,
                        column.kind is not Kind.TEXT,
                        column.wrap,
                        w if fixed else None,
                    )
                )
            rows = _part_rows(
                section.rows,
                part,
                [
                    w if table.columns[keep[n]].wrap and fixed else None
                    for n, w in zip(part, widths, strict=True)
                ],
            )
            out.append(
                FastTable(
                    labels.part_title(heading, k, len(fit.parts), lang)
                    if len(fit.parts) > 1
                    else heading,
                    " ".join(caption if k == len(fit.parts) else caption[:1]) or None,
                    columns,
                    rows,
                    show_footer=section.footers is not None,
                )
            )
    return out


def _part_rows(
    rows: Sequence[tuple[str, ...]], part: Sequence[int], wraps: Sequence[int | None]
) -> list[tuple[str, ...]]:
    """The texts of the columns ``part`` of each row, those with a width in ``wraps`` wrapped to
    it (each distinct text once)."""
    from kompalloc.reporting import layout

    columns: list[Sequence[str]] = []
    for n, width in zip(part, wraps, strict=True):
        texts = [row[n] for row in rows]
        if width is not None:
            wrapped = {text: layout.wrap(text, width) for text in set(texts)}
            texts = list(map(wrapped.__getitem__, texts))
        columns.append(texts)
    return list(zip(*columns, strict=True)) if columns else [() for _ in rows]


def _stacked(
    table: Table,
    sections: Sequence[_Section],
    headers: Sequence[str],
    caption: list[str],
    width: int,
    whole: int,
    lang: Lang,
) -> list[RenderableType]:
    """Each row as a list of its fields, one under the other: for screens too narrow for even
    two columns of the table side by side."""
    from rich.table import Table as RichTable
    from rich.text import Text

    from kompalloc.reporting import layout

    field = max(map(len, headers), default=0)
    room = max(width - field - layout.GAP, 1)
    longest = max((len(t) for s in sections for row in s.rows for t in row), default=0)
    under = longest > room  # values under their field's name, indented, when beside is short
    if under:
        room = max(width - layout.GAP, 1)
    out: list[RenderableType] = []
    for section in sections:
        heading = labels.title(table.title, lang)
        if section.label is not None:
            heading = f"{heading}: {section.label}"
        grid = RichTable.grid(padding=(0, layout.GAP, 0, 0))
        grid.title, grid.title_justify, grid.title_style = heading, "left", "bold"
        if under:
            grid.add_column(no_wrap=True, width=width)
        else:
            grid.add_column(no_wrap=True, width=field, style="bold")
            grid.add_column(no_wrap=True, width=room)
        records = [*section.rows, *([section.footers] if section.footers else [])]
        for n, row in enumerate(records):
            if n:
                grid.add_row(*[""] * (1 if under else 2))
            for header, text in zip(headers, row, strict=True):
                if not text:
                    continue
                if under:
                    grid.add_row(Text(header, style="bold"))
                    pad = " " * layout.GAP
                    grid.add_row(Text(pad + layout.wrap(text, room).replace("\n", "\n" + pad)))
                else:
                    grid.add_row(header, layout.wrap(text, room))
        note = [*caption, labels.stacked_note(whole, lang)]
        grid.caption, grid.caption_justify, grid.caption_style = " ".join(note), "left", "dim"
        out.append(grid)
    return out


def tabulate_text(
    tables: Sequence[Table], fmt: Format, money: str = "kr", lang: Lang = Lang.EN
) -> str:
    """Tables as text in one of tabulate's formats, each under its title."""
    from tabulate import tabulate

    parts = []
    for table in map(with_tree_glyphs, tables):
        shown = [i for i, c in enumerate(table.columns) if c.people]
        columns = [table.columns[i] for i in shown]
        (section,) = _people_sections(table, shown, money, lang, sectioned=False)
        rows = [list(r) for r in section.rows]
        if section.footers is not None:
            rows.append(list(section.footers))
        if money == "kr":  # the unit in every cell, as people's text has always shown it
            rows = [
                [
                    text + "\u00a0kr" if c.kind is Kind.MONEY and text else text
                    for text, c in zip(row, columns, strict=True)
                ]
                for row in rows
            ]
        else:
            rows = [
                [
                    text + " MNOK" if c.kind is Kind.MONEY and text else text
                    for text, c in zip(row, columns, strict=True)
                ]
                for row in rows
            ]
        align = ["right" if c.kind is not Kind.TEXT else "left" for c in columns]
        body = tabulate(
            rows,
            headers=[labels.word(c.title, lang) for c in columns],
            tablefmt=TABULATE_FORMATS[fmt],
            colalign=align,
            disable_numparse=True,
        )
        heading = labels.title(table.title, lang)
        title = f"## {heading}" if fmt in (Format.GITHUB, Format.MARKDOWN) else heading
        notes = _caption(table, money, lang)[1:]
        note = "".join(f"\n{n}\n" for n in notes) if fmt not in (Format.HTML, Format.LATEX) else ""
        parts.append(
            f"{title}\n\n{body}\n{note}" if fmt not in (Format.HTML, Format.LATEX) else body + "\n"
        )
    return "\n".join(parts)


def _machine(cell: Cell, column: Column) -> Any:
    if column.kind is Kind.SHARE and isinstance(cell, tuple):
        part, whole = cell
        return None if whole == 0 else round(part / whole, 6)  # a ratio, not money
    return cell


CSV_BATCH = 512
"""Rows written to CSV text at a time: output goes out in pieces of this many rows."""


def csv_chunks(table: Table, dialect: CsvDialect = CsvDialect.PLAIN) -> Iterator[str]:
    """One table as CSV, a header row and a row per table row (no totals row: every row is a
    record, so sums and pivots count each once), made and handed on a batch of rows at a time.

    Plain: amounts in øre in ``*_ore`` columns, shares as ratios. Excel-nb: a byte-order mark,
    ';', CRLF, amounts in kroner with two decimals after a comma in ``*_kr`` columns."""
    nb = dialect is CsvDialect.EXCEL_NB
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if nb else ",", lineterminator="\r\n" if nb else "\n")
    columns = table.columns
    if nb:
        buffer.write("\ufeff")
    writer.writerow([_csv_header(c, nb) for c in columns])
    convert = _excel_nb if nb else _plain_csv
    for start in range(0, len(table.rows), CSV_BATCH):
        writer.writerows(
            [convert(cell, col) for cell, col in zip(row, columns, strict=True)]
            for row in table.rows[start : start + CSV_BATCH]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell() or not table.rows:
        yield buffer.getvalue()


def csv_text(table: Table, dialect: CsvDialect = CsvDialect.PLAIN) -> str:
    """One table as CSV text: see :func:`csv_chunks`."""
    return "".join(csv_chunks(table, dialect))


def _plain_csv(cell: Cell, column: Column) -> Any:
    """A cell for plain CSV: as JSON has it, with a carriage return inside text made a line
    feed (csv quotes a cell only for the line ending it writes, here '\\n')."""
    if isinstance(cell, str) and "\r" in cell:
        return cell.replace("\r\n", "\n").replace("\r", "\n")
    return _machine(cell, column)


def _excel_nb(cell: Cell, column: Column) -> Any:
    """A cell for Norwegian Excel: kroner with øre after a decimal comma, ratios with a comma."""
    if column.kind is Kind.MONEY and isinstance(cell, int):
        sign = "-" if cell < 0 else ""
        kroner, ore = divmod(abs(cell), 100)
        return f"{sign}{kroner},{ore:02d}"
    if column.kind is Kind.SHARE and isinstance(cell, tuple):
        from decimal import ROUND_HALF_UP, Decimal

        part, whole = cell
        if whole == 0:
            return None
        return str(
            (Decimal(part) / Decimal(whole)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        ).replace(".", ",")
    if column.kind is Kind.NUMBER and isinstance(cell, str):
        return cell.replace(".", ",")  # a decimal field kept as text ('7.5')
    return cell


def _csv_header(column: Column, kroner: bool = False) -> str:
    if column.kind is Kind.MONEY:
        return f"{column.key}_kr" if kroner else f"{column.key}_ore"
    return column.key


def table_json(table: Table) -> dict[str, Any]:
    """One table as JSON-ready data; amounts in øre (integers), shares as ratios."""

    def record(row: tuple[Cell, ...]) -> dict[str, Any]:
        return {_csv_header(c): _machine(v, c) for v, c in zip(row, table.columns, strict=True)}

    return {
        "title": table.title,
        "rows": [record(r) for r in table.rows],
        "totals": record(table.totals) if table.totals else None,
    }


def json_text(document: dict[str, Any]) -> str:
    """Stable, readable JSON."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _dumps(value: Any, level: int) -> str:
    """``value`` as json_text lays it out ``level`` containers deep (strings hold no newline)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * level) if level and "\n" in text else text


def json_chunks(document: Mapping[str, Any], tables: Sequence[Table]) -> Iterator[str]:
    """``json_text({**document, "tables": {t.key: table_json(t) for t in tables}})``, byte for
    byte, in pieces made as they are written: one row's record at a time, so the whole text and
    the records of every row never exist at once."""
    keys = list(document)
    if "tables" not in document:
        keys.append("tables")
    yield "{"
    for i, key in enumerate(keys):
        yield ("," if i else "") + "\n  " + json.dumps(key, ensure_ascii=False) + ": "
        if key == "tables":
            yield from _tables_chunks(tables)
        else:
            yield _dumps(document[key], 1)
    yield "\n}\n"


def _tables_chunks(tables: Sequence[Table]) -> Iterator[str]:
    # As a dict keeps them: the last table of a key, in the first one's place.
    by_key = {t.key: t for t in tables}
    if not by_key:
        yield "{}"
        return
    yield "{"
    for i, (key, table) in enumerate(by_key.items()):
        yield ("," if i else "") + "\n    " + json.dumps(key, ensure_ascii=False) + ": {"
        yield '\n      "title": ' + _dumps(table.title, 3) + ","
        yield '\n      "rows": '
        columns = [(_csv_header(c), c) for c in table.columns]
        if not table.rows:
            yield "[]"
        else:
            yield "["
            first = True
            for row in table.rows:
                record = {key: _machine(v, c) for v, (key, c) in zip(row, columns, strict=True)}
                yield ("\n        " if first else ",\n        ") + _dumps(record, 4)
                first = False
            yield "\n      ]"
        totals = None
        if table.totals:
            totals = {
                key: _machine(v, c) for v, (key, c) in zip(table.totals, columns, strict=True)
            }
        yield ',\n      "totals": ' + _dumps(totals, 3) + "\n    }"
    yield "\n  }"
