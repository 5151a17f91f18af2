"""Shared output handling for report-like commands: format choice, rendering, stdout or an atomic file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kompalloc.reporting.formats import Format

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kompalloc.model import Bundle
    from kompalloc.reporting.tables import Table

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="table (Rich), a tabulate format (plain, simple, github, markdown, grid, html, "
        "latex), csv, json, or xlsx (needs --output). Machine formats give amounts in øre.",
    ),
]
MoneyOption = Annotated[
    str | None,
    typer.Option(
        "--money",
        metavar="kr|mnok",
        help="Show amounts in kroner (20 000 000) or in MNOK with one decimal (20,0) in tables "
        "for people; machine formats always give øre. Default: the project file's, else kr.",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file (atomically) instead of standard output."
    ),
]


MethodOption = Annotated[
    list[str] | None,
    typer.Option(
        "--method",
        "-m",
        metavar="[POOL=]METHOD",
        help="Allocate with another method: priority, pro_rata, capped_equal or apportion; "
        "for every root pool, or for one with POOL=METHOD (repeatable).",
    ),
]


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="Allocate the applications submitted on or before this date only (recorded in the stamp).",
    ),
]

ScenarioOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario",
        metavar="FILE[+FILE...]",
        help="Apply a what-if scenario file (README: 'What-if scenarios'); repeatable, applied "
        "in order; a.scenario+b.scenario composes two into one.",
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="SECTION.ID.KEY=VALUE",
        help="Override one value, read exactly like file content, after any scenario "
        "(repeatable), e.g. --set pools.industrifagskolen-2021.cap='25 MNOK'.",
    ),
]
EffectiveOption = Annotated[
    bool,
    typer.Option(
        "--effective",
        help="Print the data the scenarios and --set produce, as kompalloc YAML, and stop.",
    ),
]
ExportOption = Annotated[
    Path | None,
    typer.Option(
        "--export",
        metavar="FILE.html|FILE.svg|FILE.md",
        help="Also write what is shown to a file to share (HTML, SVG or Markdown, atomically).",
    ),
]


def parse_as_of(value: str | None, bundle: Bundle) -> tuple[Bundle, date | None, list[str]]:
    """The bundle as of a date given on the command line, the date, and the applications left out."""
    from kompalloc.asof import received_by
    from kompalloc.cli.common import EXIT_USAGE, fail

    if value is None:
        return bundle, None, []
    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of: {value!r} is not a date like 2021-09-15", EXIT_USAGE)
        raise  # unreachable: fail exits
    kept, left_out = received_by(bundle, day)
    return kept, day, left_out


def parse_methods(values: list[str] | None, bundle: Bundle) -> dict[str, str]:
    """Method overrides by root pool id ('*' for all), or a usage error naming what is wrong."""
    from kompalloc.cli.common import EXIT_USAGE, fail
    from kompalloc.diagnostics import did_you_mean
    from kompalloc.model import METHODS

    out: dict[str, str] = {}
    roots = [p.id for p in bundle.pools.values() if p.parent is None]
    for value in values or []:
        pool, _, method = value.rpartition("=")
        if method not in METHODS:
            fail(f"unknown method {method!r}: choose one of {', '.join(METHODS)}", EXIT_USAGE)
        if pool and pool not in roots:
            hint = did_you_mean(pool, roots) or "name a root pool"
            fail(f"--method: no root pool {pool!r}: {hint}", EXIT_USAGE)
        targets = [pool] if pool else roots
        if method in ("pro_rata", "capped_equal") and any(
            bundle.pools[t].earmarks for t in targets
        ):
            fail("--method: earmarks work with the priority method only", EXIT_USAGE)
        if method == "apportion" and any(bundle.pools[t].apportion is None for t in targets):
            fail("--method apportion needs the pool's 'apportion:' settings", EXIT_USAGE)
        out[pool or "*"] = method
    return out


def resolve_display(fmt: Format | None, money: str | None) -> tuple[Format, str]:
    """The output format and money display: command line, else project file, else the defaults."""
    from kompalloc.cli.common import EXIT_USAGE, fail, project

    settings = project()
    if fmt is None:
        try:
            fmt = Format(settings.format or "table")
        except ValueError:
            fail(f"{settings.file}: unknown format {settings.format!r}", EXIT_USAGE)
            raise
    money = money or settings.money or "kr"
    if money not in ("kr", "mnok"):
        fail(f"--money: {money!r} is neither kr nor mnok", EXIT_USAGE)
    return fmt, money


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
    from kompalloc.cli.common import PIPE_WIDTH, console, write_output
    from kompalloc.reporting import render

    fmt, money = resolve_display(fmt, money)
    if export is not None:
        from kompalloc.cli.whatif import write_export

        write_export(export, tables, extra=extra, notes=notes, footer=footer, money=money)

    if fmt is Format.XLSX:  # binary: only to a file
        from kompalloc.cli.common import EXIT_USAGE, fail, write_bytes_output
        from kompalloc.reporting.xlsx import xlsx_bytes

        if output is None:
            fail("--format xlsx needs --output FILE.xlsx (a workbook is binary)", EXIT_USAGE)
            return
        write_bytes_output(xlsx_bytes(tables, document, notes=notes), output)
        return
    if fmt is Format.JSON:
        document = {**document, "tables": {t.key: render.table_json(t) for t in tables}}
        text = render.json_text(document)
    elif fmt is Format.CSV:
        text = render.csv_text(tables)
    elif fmt is Format.TABLE:
        if output is None:
            out = console()
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
        console().file.write(text)
    else:
        write_output(text, output)
