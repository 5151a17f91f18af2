"""``kompalloc compare``: the baseline and each what-if scenario side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kompalloc.cli.console import Verbosity
from kompalloc.cli.params import (
    AsOfOption,
    CsvDialectOption,
    ExportOption,
    FormatOption,
    LangOption,
    MethodOption,
    MoneyOption,
    NoCacheOption,
    OutputOption,
    Paths,
    SetOption,
    TableOption,
)
from kompalloc.pipeline.errors import EXIT_CHANGED

if TYPE_CHECKING:
    from kompalloc.pipeline.compare import Compared
from kompalloc.reporting.formats import CsvDialect

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
    table: TableOption = None,
    csv_dialect: CsvDialectOption = CsvDialect.PLAIN,
    output: OutputOption = None,
    export: ExportOption = None,
    money: MoneyOption = None,
    lang: LangOption = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    set_: SetOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Compare the baseline with each scenario: grants per application (who gains, who
    loses), money per pool and per cluster, and one summary line per scenario.

    Only what changed is shown (--full shows everything, --short only the summaries) and
    highlighted. --scenario is repeatable; a.scenario+b.scenario is one scenario made of two.
    With --exit-code, exit 4 when anything changed (for CI); errors exit 1, 2 or 3 as always.

    Example: kompalloc compare schemes examples/national-2021 --scenario examples/national-2021/scenarios/ifs-plus-5-mnok.scenario
    """
    from kompalloc.cli.console import progress, show_warnings
    from kompalloc.cli.export import check_export, write_export
    from kompalloc.cli.output import emit, resolve_display
    from kompalloc.pipeline.compare import compare_runs
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.pipeline.project import language
    from kompalloc.pipeline.run import Request
    from kompalloc.reporting.compare import (
        comparison_renderables,
        comparison_tables,
        shown_blocks,
        summary_lines,
    )
    from kompalloc.reporting.formats import ExportFormat, Format

    if not scenario:
        raise UsageError("compare needs at least one --scenario FILE to compare with")
    if short and full:
        raise UsageError("--short and --full do not go together")
    fmt, money = resolve_display(format, money)
    check_export(export)
    outputs = tuple(p for p in (output, export) if p is not None)
    request = Request(paths, method or (), as_of, (), set_ or (), outputs, cache=not no_cache)
    with progress(verbosity) as step:
        compared = compare_runs(request, scenario, baseline, step)
    show_warnings(compared.warnings, compared.files, verbosity)
    result = compared.comparison
    lines = summary_lines(result)
    blocks = shown_blocks(result, short=short)
    tables = comparison_tables(result, blocks, full=full)
    document, footer = _document(compared), _footer(compared)
    people = comparison_renderables(result, blocks, money, full=full, lang=language(lang))
    title = "Scenario comparison"
    if export is not None:
        if ExportFormat.for_suffix(export.suffix) is ExportFormat.SVG:
            write_export(
                export, [], extra=people, footer=footer, money=money, title=title, lang=lang
            )
        else:  # a page or Markdown: the tables and the summary sentences
            write_export(
                export,
                tables,
                notes=lines,
                footer=footer,
                money=money,
                title=title,
                document=document,
                lang=lang,
            )
    if fmt is Format.TABLE:
        emit(
            [],
            fmt,
            output,
            document=document,
            extra=people,
            footer=footer,
            money=money,
            table=table,
            csv_dialect=csv_dialect,
            lang=lang,
        )
    else:
        emit(
            tables,
            fmt,
            output,
            document=document,
            notes=lines,
            footer=footer,
            money=money,
            title=title,
            table=table,
            csv_dialect=csv_dialect,
            lang=lang,
        )
    if exit_code and result.changed:
        raise typer.Exit(EXIT_CHANGED)


def _document(compared: Compared) -> dict[str, object]:
    """What a comparison's machine formats carry besides its tables: the stamp, the baseline,
    the runs with their scenario files, whether anything changed, and the plan of changes."""
    from kompalloc.pipeline.stamp import stamp
    from kompalloc.reporting.compare import plan, plan_records

    result = compared.comparison
    return {
        **stamp(compared.inputs, compared.as_of, compared.left_out, compared.overrides),
        "baseline": result.runs[0].name,
        "runs": [
            {"name": r.name, "description": r.description or None, "scenario_files": list(r.files)}
            for r in result.runs
        ],
        "changed": result.changed,
        "plan": plan_records(plan(result)),
    }


def _footer(compared: Compared) -> str:
    """The stamp line a comparison ends with."""
    from kompalloc.pipeline.stamp import stamp_line

    return stamp_line(compared.inputs, compared.as_of, compared.left_out, compared.overrides)
