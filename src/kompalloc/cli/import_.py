"""``kompalloc import``: an application-portal export (CSV or XLSX) to kompalloc application YAML."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from kompalloc.diagnostics import Diagnostic

Export = Annotated[
    Path,
    typer.Argument(
        help="The portal's export: a CSV file (';' or ',' between cells) or an .xlsx workbook.",
        show_default=False,
    ),
]
MappingOption = Annotated[
    Path,
    typer.Option(
        "--mapping",
        "-m",
        help="YAML file saying which column feeds which application key (see README).",
        show_default=False,
    ),
]


def command(
    export: Export,
    mapping: MappingOption,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the applications here (atomically) instead of to standard output.",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet", help="The worksheet to read (xlsx; default: the mapping's, else the first)."
        ),
    ] = None,
) -> None:
    """Turn a portal's export of applications into an applications file kompalloc reads.

    Every row that cannot be converted is reported with its row (the header is row 1) and its
    column, all at once; then nothing is written. Exit codes: 0 written (warnings allowed),
    1 rows, columns or the mapping have errors, 2 usage error or a file that cannot be read.

    Example: kompalloc import soknader.csv --mapping portal.mapping --output applications.yaml
    """
    from kompalloc.cli.console import console
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.pipeline.files import check_output_path, write_output, write_stdout
    from kompalloc.pipeline.importing import import_applications
    from kompalloc.reporting.diagnostics_view import as_text

    for given in (export, mapping):
        if output is not None:
            try:
                check_output_path(output, [str(given)])
            except UsageError:
                raise UsageError(f"refusing to write over the input file {given}") from None
    result = import_applications(export, mapping, sheet)
    err = console(stderr=True)
    if result.mapping_problems:
        err.print(as_text(result.mapping_problems, 1), end="", soft_wrap=True)
    if result.diagnostics:
        err.print(
            spreadsheet_text(result.diagnostics, str(export)), end="", soft_wrap=True, markup=False
        )
    if result.text is None:
        sys.stderr.write(f"kompalloc: {result.why}\n")
        raise typer.Exit(result.exit_code)
    if output is None:
        write_stdout(result.text)
    else:
        write_output(result.text, output)
    n = result.count
    where = f" to {output}" if output is not None else ""
    err.print(
        f"kompalloc: imported {n} application{'s' * (n != 1)} from {export}{where}; check "
        "them with 'kompalloc validate' together with the schemes and institutions",
        soft_wrap=True,
        markup=False,
    )


def spreadsheet_text(diagnostics: list[Diagnostic], export: str) -> str:
    """Diagnostics about a spreadsheet: 'file:row:column: error CODE row 5, column C ...: ...'.

    No source line is shown (a workbook has none; a CSV row need not be one line); the message
    names the row and the column's letter and header instead.
    """
    from kompalloc.diagnostics import Severity
    from kompalloc.source import Span

    lines = []
    for d in diagnostics:
        span: Span = d.span
        place = str(span) if span.end_line >= 1 else span.path
        lines.append(f"{place}: {d.severity.value} {d.code.value} {d.message}")
        if d.hint:
            lines.append(f"  hint: {d.hint}")
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    lines.append(
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {export}"
    )
    return "\n".join(lines) + "\n"
