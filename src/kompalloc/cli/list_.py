"""``kompalloc list``: browse what is loaded, one kind of entry at a time."""

from __future__ import annotations

from typing import Annotated

import typer

from kompalloc.cli.console import Verbosity
from kompalloc.cli.params import (
    CsvDialectOption,
    FormatOption,
    LangOption,
    MoneyOption,
    OutputOption,
    Paths,
    TableOption,
)
from kompalloc.reporting.formats import CsvDialect
from kompalloc.sections import Section


def command(
    verbosity: Verbosity,
    kind: Annotated[Section, typer.Argument(help="What to list.", show_default=False)],
    paths: Paths = None,
    format: FormatOption = None,
    table: TableOption = None,
    csv_dialect: CsvDialectOption = CsvDialect.PLAIN,
    output: OutputOption = None,
    money: MoneyOption = None,
    lang: LangOption = None,
) -> None:
    """List the schemes, pools, clusters, institutions, applications or limits the files define.

    Example: kompalloc list pools schemes examples/national-2021
    """
    from kompalloc.cli.console import progress, show_warnings
    from kompalloc.cli.output import emit
    from kompalloc.pipeline.files import check_output_path
    from kompalloc.pipeline.inputs import load_checked, require_valid
    from kompalloc.pipeline.stamp import stamp
    from kompalloc.reporting.listing import listing_table

    with progress(verbosity) as step:
        bundle, diagnostics = load_checked(paths, progress=step)
    show_warnings(require_valid(bundle, diagnostics), len(bundle.files), verbosity)
    check_output_path(output, bundle.files)
    emit(
        [listing_table(bundle, kind.value)],
        format,
        output,
        document=stamp(bundle),
        money=money,
        title=f"kompalloc list {kind.value}",
        table=table,
        csv_dialect=csv_dialect,
        lang=lang,
    )
