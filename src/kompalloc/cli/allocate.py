"""``kompalloc allocate``: decide every application and print the decisions and the rounds."""

from __future__ import annotations

from kompalloc.cli.console import Verbosity
from kompalloc.cli.params import (
    AsOfOption,
    CsvDialectOption,
    EffectiveOption,
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
    no_cache: NoCacheOption = False,
) -> None:
    """Allocate every round by its pool's method and print the decisions and the rounds.

    The default method is priority: applications in council order (rank, or score), each
    granted what every cap allows. Pools may choose pro_rata, capped_equal or apportion;
    --method overrides them for a what-if. Every decision carries its reason, and each round
    its funding line. Input with errors is refused (exit 1).

    Example: kompalloc allocate schemes examples/kongsberg-2021
    """
    from kompalloc.cli.output import emit, output_options
    from kompalloc.cli.runs import allocation_run, print_effective, replay
    from kompalloc.pipeline.outputs import saved_output
    from kompalloc.pipeline.run import Request
    from kompalloc.reporting.budget import decided_grants
    from kompalloc.reporting.tables import (
        applications_table,
        funding_notes,
        rounds_table,
        shares_table,
    )

    request = Request(
        paths,
        method or (),
        as_of,
        scenario or (),
        set_ or (),
        (output,) if output else (),
        cache=not no_cache,
    )
    if effective:
        print_effective(request, verbosity, output)
        return
    options = output_options(format, output, money, table, csv_dialect, lang)
    saved = saved_output(request, "allocate", options)
    if saved is not None and saved.text is not None:
        replay(saved, output, verbosity)  # the same files and options as a run that saved it
        return
    run = allocation_run(request, verbosity)
    bundle, allocation = run.bundle, run.allocation
    gaps = run.gaps()
    shares = shares_table(bundle, allocation)
    tables = [
        applications_table(bundle, allocation, run.bindings()),
        rounds_table(bundle, allocation, gaps),
        *([shares] if shares is not None else []),
    ]
    emit(
        tables,
        format,
        output,
        document={**run.stamp(), "decided_grants": decided_grants(bundle, allocation)},
        notes=funding_notes(bundle, allocation, gaps),
        footer=run.stamp_line(),
        money=money,
        title="Allocation decisions",
        table=table,
        csv_dialect=csv_dialect,
        lang=lang,
        record=saved.recording() if saved is not None else None,
    )
