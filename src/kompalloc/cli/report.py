"""``kompalloc report``: allocate, then show the money per scheme and pool, per cluster and per application."""

from __future__ import annotations

from typing import Annotated

import typer

from kompalloc.cli.output import (
    AsOfOption,
    EffectiveOption,
    ExportOption,
    FormatOption,
    MethodOption,
    MoneyOption,
    OutputOption,
    ScenarioOption,
    SetOption,
)
from kompalloc.cli.params import Paths


def command(
    paths: Paths = None,
    format: FormatOption = None,
    output: OutputOption = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    money: MoneyOption = None,
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
    from kompalloc.cli.output import emit
    from kompalloc.cli.pipeline import allocated
    from kompalloc.reporting.tables import funding_notes, report_tables, rounds_table

    run = allocated(
        paths,
        methods=method,
        as_of=as_of,
        output=output,
        scenarios=scenario,
        sets=set_,
        effective=effective,
        export=export,
    )
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
    )
