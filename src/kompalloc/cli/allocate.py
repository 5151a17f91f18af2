"""``kompalloc allocate``: decide every application and print the decisions and the rounds."""

from __future__ import annotations

from kompalloc.cli.common import Paths
from kompalloc.cli.output import AsOfOption, FormatOption, MethodOption, MoneyOption, OutputOption


def command(
    paths: Paths = None,
    format: FormatOption = None,
    output: OutputOption = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    money: MoneyOption = None,
) -> None:
    """Allocate every round by its pool's method and print the decisions and the rounds.

    The default method is priority: applications in council order (rank, or score), each
    granted what every cap allows. Pools may choose pro_rata, capped_equal or apportion;
    --method overrides them for a what-if. Every decision carries its reason, and each round
    its funding line. Input with errors is refused (exit 1).

    Example: kompalloc allocate schemes examples/kongsberg-2021
    """
    from kompalloc.allocation import allocate
    from kompalloc.cli.common import check_output_path, load_checked, refuse_if_invalid
    from kompalloc.cli.output import emit, parse_as_of, parse_methods
    from kompalloc.cli.stamp import stamp, stamp_line
    from kompalloc.reporting.tables import applications_table, funding_notes, rounds_table

    bundle, diagnostics = load_checked(paths)
    refuse_if_invalid(bundle, diagnostics)
    bundle, day, left_out = parse_as_of(as_of, bundle)
    check_output_path(output, bundle)
    allocation = allocate(bundle, parse_methods(method, bundle))
    tables = [applications_table(bundle, allocation), rounds_table(bundle, allocation)]
    emit(
        tables,
        format,
        output,
        document=stamp(bundle, day, left_out),
        notes=funding_notes(bundle, allocation),
        footer=stamp_line(bundle, day, left_out),
        money=money,
    )
