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
    NoCacheOption,
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
    no_cache: NoCacheOption = False,
) -> None:
    """Report what was asked, granted and remains, per scheme and pool, per cluster, per application.

    Totals reconcile to the øre: for every pool, cap = committed + granted + remaining.
    With earlier rounds or grants loaded, a budget table per scheme, year and pool shows
    what committed is made of: remaining = cap - committed - earlier + returned - granted.

    Example: kompalloc report schemes examples/national-2021
    """
    from kompalloc.cli.export import check_export
    from kompalloc.cli.output import emit
    from kompalloc.cli.runs import allocation_run, print_effective
    from kompalloc.pipeline.run import Request
    from kompalloc.reporting import budget
    from kompalloc.reporting.tables import (
        funding_notes,
        report_tables,
        rounds_table,
        shares_table,
    )

    outputs = tuple(p for p in (output, export) if p is not None)
    request = Request(
        paths, method or (), as_of, scenario or (), set_ or (), outputs, cache=not no_cache
    )
    if effective:
        print_effective(request, verbosity, output)
        return
    check_export(export)
    run = allocation_run(request, verbosity)
    bundle, allocation = run.bundle, run.allocation
    nothing = not bundle.applications
    gaps = run.gaps()
    tables = [
        *report_tables(bundle, allocation, all_pools=all_pools or nothing, bound=run.bindings()),
        rounds_table(bundle, allocation, gaps),
    ]
    shares = shares_table(bundle, allocation)
    if shares is not None:
        tables.append(shares)
    notes = []
    if budget.has_ledger(bundle):  # earlier rounds and grants: what 'remaining' is made of
        tables += [
            budget.budget_table(bundle, allocation),
            budget.budget_clusters_table(bundle, allocation),
        ]
        notes = budget.budget_notes(bundle)
    emit(
        tables,
        format,
        output,
        document=run.stamp(),
        notes=(["No applications are loaded: every pool is shown as it stands."] if nothing else [])
        + funding_notes(bundle, allocation, gaps)
        + notes,
        footer=run.stamp_line(),
        money=money,
        export=export,
        title="Allocation report",
        table=table,
        csv_dialect=csv_dialect,
        lang=lang,
    )
