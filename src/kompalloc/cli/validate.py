"""``kompalloc validate``: check files and report every problem with its position."""

from __future__ import annotations

from typing import Annotated

import typer

from kompalloc.cli.console import Verbosity
from kompalloc.cli.diagnose import run
from kompalloc.cli.params import NoCacheOption, Paths
from kompalloc.reporting.formats import DiagnosticFormat

__all__ = ["command"]


def command(
    verbosity: Verbosity,
    paths: Paths = None,
    format: Annotated[
        DiagnosticFormat,
        typer.Option(
            "--format",
            "-f",
            help="text for people; json for machines; github for GitHub Actions annotations "
            "(followed by the text list); sarif for code-scanning views.",
        ),
    ] = DiagnosticFormat.TEXT,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat every warning as an error (exit 1).")
    ] = False,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="CODE",
            help="Silence a warning code (repeatable, or comma-separated).",
        ),
    ] = None,
    error: Annotated[
        list[str] | None,
        typer.Option(
            "--error", metavar="CODE", help="Treat a warning code as an error (repeatable)."
        ),
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Check YAML files: structure, types, money, references between files, scheme rules.

    A file can silence or promote warnings for itself with a comment line such as
    '# kompalloc: ignore KA402' or '# kompalloc: error KA406'.

    Exit codes: 0 clean (warnings allowed), 1 errors found, 2 usage error or unreadable path.

    Example: kompalloc validate schemes examples/national-2021 --strict
    """
    raise typer.Exit(run(paths, format, strict, ignore, error, verbosity, cache=not no_cache))
