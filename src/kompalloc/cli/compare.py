"""``kompalloc compare``: the baseline and each what-if scenario side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from kompalloc.cli.console import Verbosity
from kompalloc.cli.params import (
    AsOfOption,
    ExportOption,
    FormatOption,
    MethodOption,
    MoneyOption,
    OutputOption,
    Paths,
    SetOption,
)
from kompalloc.pipeline.errors import EXIT_CHANGED
from kompalloc.pipeline.whatif import BASE_NAME

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table as RichTable
    from rich.text import Text

    from kompalloc.scenarios.compare import Block, Comparison, Row

TABLE_WIDTH = 100
"""People's tables are split by scenario so that each fits this many columns."""
LABEL_WIDTH = 30
"""Pool and cluster names longer than this are cut with an ellipsis in people's tables."""


RunOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario",
        metavar="FILE[+FILE...]",
        help="A run to compare with the baseline: a scenario file, or several joined by '+' "
        "and applied in order (repeatable: one run each).",
    ),
]


def command(
    verbosity: Verbosity,
    paths: Paths = None,
    scenario: RunOption = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="NAME",
            help="Compare against this run: 'base' (the files as loaded, the default) or a "
            "scenario's name.",
        ),
    ] = None,
    short: Annotated[
        bool, typer.Option("--short", help="Only the summary line of each scenario.")
    ] = False,
    full: Annotated[
        bool,
        typer.Option("--full", help="Every application, pool and cluster, changed or not."),
    ] = False,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help=f"Exit {EXIT_CHANGED} when any scenario changes anything, 0 when none does.",
        ),
    ] = False,
    format: FormatOption = None,
    output: OutputOption = None,
    export: ExportOption = None,
    money: MoneyOption = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    set_: SetOption = None,
) -> None:
    """Compare the baseline with each scenario: grants per application (who gains, who
    loses), money per pool and per cluster, and one summary line per scenario.

    Only what changed is shown (--full shows everything, --short only the summaries) and
    highlighted. --scenario is repeatable; a.scenario+b.scenario is one scenario made of two.
    With --exit-code, exit 4 when anything changed (for CI); errors exit 1, 2 or 3 as always.

    Example: kompalloc compare schemes examples/national-2021 --scenario examples/national-2021/scenarios/ifs-plus-5-mnok.scenario
    """
    from kompalloc.cli.console import progress, show_warnings
    from kompalloc.cli.output import emit, resolve_display
    from kompalloc.cli.whatif import check_export, write_export
    from kompalloc.pipeline.compare import compare_runs
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.pipeline.run import Request
    from kompalloc.pipeline.stamp import stamp, stamp_line
    from kompalloc.reporting.formats import Format
    from kompalloc.scenarios.compare import block_table, summary_table, visible_rows

    if not scenario:
        raise UsageError("compare needs at least one --scenario FILE to compare with")
    if short and full:
        raise UsageError("--short and --full do not go together")
    fmt, money = resolve_display(format, money)
    check_export(export)
    outputs = tuple(p for p in (output, export) if p is not None)
    request = Request(paths, method or (), as_of, (), set_ or (), outputs)
    with progress(verbosity) as step:
        compared = compare_runs(request, scenario, baseline, step)
    show_warnings(compared.warnings, compared.files, verbosity)
    result = compared.comparison
    everything, day, left_out = compared.inputs, compared.as_of, compared.left_out
    run_names = [r.name for r in result.runs]
    lines = [s.line() for s in result.summaries]
    blocks = [] if short else [result.applications, result.pools, result.clusters]
    tables = [summary_table(result.summaries)]
    tables += [block_table(b, run_names, 0, visible_rows(b, 0, full=full)) for b in blocks]
    document = {
        **stamp(everything, day, left_out, compared.overrides),
        "baseline": result.runs[0].name,
        "runs": [
            {"name": r.name, "description": r.description or None, "scenario_files": list(r.files)}
            for r in result.runs
        ],
        "changed": result.changed,
    }
    footer = stamp_line(everything, day, left_out, compared.overrides)
    people = _people(result, blocks, money, full=full)
    if export is not None:
        if export.suffix.lower() in (".md", ".markdown"):
            write_export(export, tables, notes=lines, footer=footer, money=money)
        else:
            write_export(
                export, [], extra=people, footer=footer, money=money, title="kompalloc compare"
            )
    if fmt is Format.TABLE:
        emit([], fmt, output, document=document, extra=people, footer=footer, money=money)
    else:
        emit(tables, fmt, output, document=document, notes=lines, footer=footer, money=money)
    if exit_code and result.changed:
        raise typer.Exit(EXIT_CHANGED)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letter(column: int) -> str:
    """How people's tables head a run: 'Baseline', then A, B, C, ..."""
    if column == 0:
        return "Baseline"
    n = column - 1
    return LETTERS[n % 26] + (str(n // 26) if n >= 26 else "")


def _people(
    result: Comparison, blocks: Sequence[Block], money: str, *, full: bool
) -> list[RenderableType]:
    """The legend, the summary lines, and each block's tables, split to fit 100 columns."""
    import textwrap

    from rich.text import Text

    from kompalloc.scenarios.compare import visible_rows

    out: list[RenderableType] = []
    legend = Text()
    for c, run in enumerate(result.runs):
        about = run.description or ("the files as loaded" if run.name == BASE_NAME else "")
        legend.append(f"{_letter(c)} = ", style="bold")
        text = run.name + (f": {about}" if about else "")
        legend.append(
            "\n".join(textwrap.wrap(text, width=TABLE_WIDTH - 10, subsequent_indent="    ")) + "\n"
        )
    unit = "kroner" if money == "kr" else "MNOK"
    legend.append(
        f"Amounts in {unit}; changed values are bold; – marks what a run does not have.\n"
    )
    if blocks:
        out.append(legend)
    for summary in result.summaries:
        # textwrap breaks at spaces only, never at the no-break spaces inside amounts.
        wrapped = textwrap.wrap(summary.line(), width=TABLE_WIDTH, subsequent_indent="    ")
        line = Text("\n".join(wrapped))
        line.stylize("bold", 0, len(summary.name))
        if not summary.changed:
            line.stylize("dim")
        out.append(line)
    out.append(Text(""))
    for block in blocks:
        rows = visible_rows(block, 0, full=full)
        if not rows:
            out.append(Text(f"{block.title}: no change.", style="dim"))
            out.append(Text(""))
            continue
        for table in _rich_blocks(result, block, rows, money):
            out.append(table)
            out.append(Text(""))
    return out


def _cell_texts(result: Comparison, block: Block, row: Row, column: int, money: str) -> list[Text]:
    """One run's cells of a row: its metrics, and the change where the metric has one."""
    from rich.text import Text

    from kompalloc.reporting.render import text_cell
    from kompalloc.reporting.tables import Column, Kind
    from kompalloc.scenarios.compare import change

    values = row.values[column]
    changed = column != 0 and row.changed(column, 0)
    cells: list[Text] = []
    for m, metric in enumerate(block.metrics):
        if not metric.people:
            continue
        if values is None:
            cells.append(Text("–", style="dim"))
        else:
            shown = text_cell(
                values[m], Column(metric.key, metric.title, metric.kind), unit=False, money=money
            )
            before = row.values[0]
            differs = changed and (before is None or before[m] != values[m])
            cells.append(Text(shown, style="bold" if differs else ""))
        if metric.change and column != 0:
            delta = change(row, column, 0, m)
            if not delta:
                cells.append(Text(""))
            else:
                amount = text_cell(
                    abs(delta), Column("change", "", Kind.MONEY), unit=False, money=money
                )
                if metric.kind is not Kind.MONEY:
                    amount = str(abs(delta))
                sign = "+" if delta > 0 else "-"
                cells.append(Text(sign + amount, style="bold green" if delta > 0 else "bold red"))
    return cells


def _rich_blocks(
    result: Comparison, block: Block, rows: Sequence[Row], money: str
) -> list[RichTable]:
    """The block as Rich tables, each with the baseline and as many runs as fit 100 columns."""
    from rich.console import Console
    from rich.table import Table as RichTable

    from kompalloc.reporting.render import table_style

    grid = {
        (r, c): _cell_texts(result, block, row, c, money)
        for r, row in enumerate(rows)
        for c in range(len(result.runs))
    }

    def heads(c: int) -> list[str]:
        titles = []
        for metric in block.metrics:
            if not metric.people:
                continue
            titles.append(f"{_letter(c)}\n{metric.title}")
            if metric.change and c != 0:
                titles.append(f"{_letter(c)}\n+/-")
        return titles

    def build(chunk: list[int], part: str) -> RichTable:
        t = RichTable(title=block.title + part, **table_style())
        t.add_column(block.label, no_wrap=True, max_width=LABEL_WIDTH, overflow="ellipsis")
        for c in [0, *chunk]:
            for title in heads(c):
                t.add_column(title, justify="right", no_wrap=True)
        for r, row in enumerate(rows):
            cells: list[Text | str] = [row.label]
            for c in [0, *chunk]:
                cells.extend(grid[(r, c)])
            t.add_row(*cells)
        return t

    measure = Console(width=10_000, color_system=None).measure
    chunks: list[list[int]] = []
    for c in range(1, len(result.runs)):
        if chunks and measure(build([*chunks[-1], c], "")).maximum <= TABLE_WIDTH:
            chunks[-1].append(c)
        else:
            chunks.append([c])
    tables = []
    for n, chunk in enumerate(chunks, start=1):
        part = f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""
        tables.append(build(chunk, part))
    return tables
