"""``kompalloc list``: browse what is loaded, one kind of entry at a time."""

from __future__ import annotations

from typing import Annotated

import typer

from kompalloc.cli.output import FormatOption, MoneyOption, OutputOption
from kompalloc.cli.params import Paths
from kompalloc.sections import Section


def command(
    kind: Annotated[Section, typer.Argument(help="What to list.", show_default=False)],
    paths: Paths = None,
    format: FormatOption = None,
    output: OutputOption = None,
    money: MoneyOption = None,
) -> None:
    """List the schemes, pools, clusters, institutions, applications or limits the files define.

    Example: kompalloc list pools schemes examples/national-2021
    """
    from kompalloc.cli.common import check_output_path, load_checked, refuse_if_invalid
    from kompalloc.cli.output import emit
    from kompalloc.cli.stamp import stamp
    from kompalloc.reporting.listing import listing_table

    bundle, diagnostics = load_checked(paths)
    refuse_if_invalid(bundle, diagnostics)
    check_output_path(output, bundle)
    emit([listing_table(bundle, kind.value)], format, output, document=stamp(bundle), money=money)
