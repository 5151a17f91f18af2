"""``kompalloc report``: allocate, then show the money per scheme and pool, per cluster and per application."""

from __future__ import annotations

from typing import Annotated

import typer

from kompalloc.cli.console import Verbosity
from kompalloc.cli.params import (
    AsOfOption,
    CsvDialectOption,
    EffectiveOption,
    ExportOption,
    FormatOption,
    LangOption,
    MethodOption,
    MoneyOption,
    OutputOption,
    Paths,
    ScenarioOption,
    SetOption,
    TableOption,
)
from kompalloc.reporting.formats import CsvDialect


def command(
    verbosity: Verbosity,
    paths: Paths = None,
    format: FormatOption = None,
    table: TableOption = None,
    csv_dialect: CsvDialectOption = CsvDialect.PLAIN,
    output: OutputOption = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    money: MoneyOption = None,
    lang: LangOption = None,
    scenario: ScenarioOption = None,
    set_: SetOption = None,
    effective: EffectiveOption = False,
    export: ExportOption = None,
    all_pools: Annotated[
        bool,
        typer.Option("--all-pools", help="Also show pools that no loaded application draws on."),
    ] = False,
) -> None:
    """Report what was asked, granted and remains, per scheme and pool, per cluster, per application.

    Totals reconcile to the øre: for every pool, cap = committed + granted + remaining.

    Example: kompalloc report schemes examples/national-2021
    """
    from kompalloc.cli.export import check_export
    from kompalloc.cli.output import emit
    from kompalloc.cli.runs import allocation_run, print_effective
    from kompalloc.pipeline.run import Request
    from kompalloc.reporting.tables import funding_notes, report_tables, rounds_table

    outputs = tuple(p for p in (output, export) if p is not None)
    request = Request(paths, method or (), as_of, scenario or (), set_ or (), outputs)
    if effective:
        print_effective(request, verbosity, output)
        return
    check_export(export)
    run = allocation_run(request, verbosity)
    bundle, allocation = run.bundle, run.allocation
    nothing = not bundle.applications
    tables = [
        *report_tables(bundle, allocation, all_pools=all_pools or nothing),
        rounds_table(bundle, allocation),
    ]
    emit(
        tables,
        format,
        output,
        document=run.stamp(),
        notes=(["No applications are loaded: every pool is shown as it stands."] if nothing else [])
        + funding_notes(bundle, allocation),
        footer=run.stamp_line(),
        money=money,
        export=export,
        title="Allocation report",
        table=table,
        csv_dialect=csv_dialect,
        lang=lang,
    )
