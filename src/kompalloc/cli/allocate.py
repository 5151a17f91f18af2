"""``kompalloc allocate``: decide every application by priority and print the decisions."""

from __future__ import annotations

from kompalloc.cli.common import Paths
from kompalloc.cli.output import FormatOption, OutputOption
from kompalloc.reporting.formats import Format


def command(paths: Paths, format: FormatOption = Format.TABLE, output: OutputOption = None) -> None:
    """Allocate by priority: each application in council rank order gets what every cap allows.

    Ties in rank go to the earlier submission, then to the smaller id. A grant below the
    request is made only where the application accepts a partial grant at or above its
    minimum. Input with errors is refused (exit 1).

    Example: kompalloc allocate schemes examples/kongsberg-2021
    """
    from kompalloc.allocation import allocate
    from kompalloc.cli.common import check_output_path, load_checked, refuse_if_invalid
    from kompalloc.cli.output import emit
    from kompalloc.cli.stamp import stamp, stamp_line
    from kompalloc.reporting.tables import applications_table, rounds_table

    bundle, diagnostics = load_checked(paths)
    refuse_if_invalid(bundle, diagnostics)
    check_output_path(output, bundle)
    allocation = allocate(bundle)
    tables = [applications_table(bundle, allocation), rounds_table(bundle, allocation)]
    emit(tables, format, output, document=stamp(bundle), footer=stamp_line(bundle))
