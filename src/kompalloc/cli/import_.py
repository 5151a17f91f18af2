"""``kompalloc import``: an application-portal export (CSV or XLSX) to kompalloc application YAML."""

from __future__ import annotations

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
    import os

    from kompalloc import __version__
    from kompalloc.cli.common import EXIT_USAGE, console, fail, write_output
    from kompalloc.diagnostics import has_errors
    from kompalloc.importing import Imported, convert_rows, read_export, read_mapping
    from kompalloc.importing.emit import applications_yaml
    from kompalloc.importing.sheets import file_digest
    from kompalloc.reporting.diagnostics_view import as_text

    if output is not None:
        target = os.path.realpath(output)
        for given in (export, mapping):
            if os.path.realpath(given) == target:
                fail(f"refusing to write over the input file {given}", EXIT_USAGE)

    err = console(stderr=True)
    rules, problems = read_mapping(str(mapping))
    if problems:
        err.print(as_text(problems, 1), end="", soft_wrap=True)
    if rules is None:
        _stop(problems, "the mapping has errors")
        return
    sheet_name = sheet if sheet is not None else rules.sheet
    table, found = read_export(
        str(export),
        sheet=sheet_name,
        header_row=rules.header_row,
        delimiter=rules.delimiter,
        encoding=rules.encoding,
        sheet_given=sheet is not None,
    )
    diagnostics = list(found)
    imported: list[Imported] = []
    if table is not None:
        imported, found = convert_rows(table, rules)
        diagnostics += found
    if diagnostics:
        err.print(spreadsheet_text(diagnostics, str(export)), end="", soft_wrap=True, markup=False)
    if table is None or has_errors(diagnostics):
        _stop(diagnostics, "nothing written")
        return
    text = applications_yaml(
        imported,
        version=__version__,
        export=str(export),
        export_sha256=table.sha256,
        mapping=str(mapping),
        mapping_sha256=file_digest(str(mapping)),
        sheet=table.sheet,
    )
    if output is None:
        console().file.write(text)
    else:
        write_output(text, output)
    n = len(imported)
    where = f" to {output}" if output is not None else ""
    err.print(
        f"kompalloc: imported {n} application{'s' * (n != 1)} from {export}{where}; check "
        "them with 'kompalloc validate' together with the schemes and institutions",
        soft_wrap=True,
        markup=False,
    )


def _stop(diagnostics: list[Diagnostic], why: str) -> None:
    """Exit 2 when a file could not be read at all, else 1."""
    import sys

    from kompalloc.cli.common import EXIT_INVALID, EXIT_USAGE

    unreadable = {"KA001", "KA002", "KA004", "KA005", "KA601"}
    code = EXIT_USAGE if any(d.code.value in unreadable for d in diagnostics) else EXIT_INVALID
    sys.stderr.write(f"kompalloc: {why}\n")
    raise typer.Exit(code)


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
