"""``kompalloc report``: allocate, then show the money per scheme and pool, per cluster and per application."""

from __future__ import annotations

from typing import Annotated

import typer

from kompalloc.cli.common import Paths
from kompalloc.cli.output import AsOfOption, FormatOption, MethodOption, MoneyOption, OutputOption


def command(
    paths: Paths = None,
    format: FormatOption = None,
    output: OutputOption = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    money: MoneyOption = None,
    all_pools: Annotated[
        bool,
        typer.Option("--all-pools", help="Also show pools that no loaded application draws on."),
    ] = False,
) -> None:
    """Report what was asked, granted and remains, per scheme and pool, per cluster, per application.

    Totals reconcile to the øre: for every pool, cap = committed + granted + remaining.

    Example: kompalloc report schemes examples/national-2021
    """
    from kompalloc.allocation import allocate
    from kompalloc.cli.common import check_output_path, load_checked, refuse_if_invalid
    from kompalloc.cli.output import emit, parse_as_of, parse_methods
    from kompalloc.cli.stamp import stamp, stamp_line
    from kompalloc.reporting.tables import funding_notes, report_tables, rounds_table

    bundle, diagnostics = load_checked(paths)
    refuse_if_invalid(bundle, diagnostics)
    bundle, day, left_out = parse_as_of(as_of, bundle)
    check_output_path(output, bundle)
    allocation = allocate(bundle, parse_methods(method, bundle))
    nothing = not bundle.applications
    tables = [
        *report_tables(bundle, allocation, all_pools=all_pools or nothing),
        rounds_table(bundle, allocation),
    ]
    emit(
        tables,
        format,
        output,
        document=stamp(bundle, day, left_out),
        notes=(["No applications are loaded: every pool is shown as it stands."] if nothing else [])
        + funding_notes(bundle, allocation),
        footer=stamp_line(bundle, day, left_out),
        money=money,
    )
