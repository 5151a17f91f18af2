"""``kompalloc sweep``: how a round's grants move as one pool's cap varies."""

from __future__ import annotations

from typing import Annotated

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
    ScenarioOption,
    SetOption,
    TableOption,
)
from kompalloc.reporting.formats import CsvDialect


def command(
    verbosity: Verbosity,
    paths: Paths = None,
    pool: Annotated[
        str,
        typer.Option("--pool", help="The pool whose cap varies (a root pool or a sub-pool)."),
    ] = "",
    low: Annotated[
        str | None,
        typer.Option("--from", metavar="AMOUNT", help="The lowest cap, e.g. '18 MNOK'."),
    ] = None,
    high: Annotated[
        str | None,
        typer.Option("--to", metavar="AMOUNT", help="The highest cap (always included)."),
    ] = None,
    step: Annotated[
        str | None,
        typer.Option("--step", metavar="AMOUNT", help="The step between caps, e.g. '1 MNOK'."),
    ] = None,
    values: Annotated[
        str | None,
        typer.Option(
            "--values",
            metavar="AMOUNTS",
            help="Instead of --from/--to/--step: the caps, e.g. '18 MNOK,20 MNOK,22 MNOK' "
            "(or separated by ';').",
        ),
    ] = None,
    format: FormatOption = None,
    table: TableOption = None,
    csv_dialect: CsvDialectOption = CsvDialect.PLAIN,
    output: OutputOption = None,
    export: ExportOption = None,
    money: MoneyOption = None,
    lang: LangOption = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    scenario: ScenarioOption = None,
    set_: SetOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Vary one pool's cap and see where more money stops helping.

    How the round's total granted, the applications funded and the funding line move: a table
    and a chart.

    The files are loaded and validated once (and at the lowest and highest cap); each step
    re-runs only the allocation of the pool's round.

    Example: kompalloc sweep schemes examples/kongsberg-2021 --pool kompetanseloft-kongsberg-2021 --from 8MNOK --to 15MNOK --step 1MNOK
    """
    from kompalloc.cli.console import progress, show_warnings
    from kompalloc.cli.export import check_export
    from kompalloc.cli.output import emit, resolve_display
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.pipeline.run import Request
    from kompalloc.pipeline.stamp import stamp, stamp_line
    from kompalloc.pipeline.sweep import caps_from, sweep_run
    from kompalloc.reporting.formats import Format
    from kompalloc.reporting.sweep import (
        changes_table,
        chart,
        clusters_table,
        findings,
        sweep_table,
    )
    from kompalloc.reporting.tables import round_label

    if not pool:
        raise UsageError("sweep needs --pool POOL: the pool whose cap varies")
    caps = caps_from(low, high, step, values)
    fmt, money = resolve_display(format, money)
    check_export(export)
    outputs = tuple(p for p in (output, export) if p is not None)
    request = Request(
        paths, method or (), as_of, scenario or (), set_ or (), outputs, cache=not no_cache
    )
    with progress(verbosity) as bar:
        swept = sweep_run(request, pool, caps, bar)
    show_warnings(swept.warnings, swept.files, verbosity)
    result, bundle, day, left_out = swept.sweep, swept.bundle, swept.as_of, swept.left_out
    label = round_label(bundle, result.round)
    notes = findings(result, label)
    document = {
        **stamp(bundle, day, left_out, swept.overrides),
        "sweep": {"pool": pool, "round": result.round, "caps_ore": [s.cap for s in result.steps]},
    }
    extra = [chart(result, money)] if fmt in (Format.TABLE, Format.HTML) or export else []
    emit(
        [sweep_table(result), changes_table(result), clusters_table(result)],
        fmt,
        output,
        document=document,
        extra=extra,
        notes=notes,
        footer=stamp_line(bundle, day, left_out, swept.overrides),
        money=money,
        export=export,
        title=f"Cap sweep of {pool}",
        table=table,
        csv_dialect=csv_dialect,
        lang=lang,
    )
