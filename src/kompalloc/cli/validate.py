"""``kompalloc validate``: check files and report every problem with its position."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kompalloc.cli.common import Paths


class ValidateFormat(StrEnum):
    """How validate prints its diagnostics."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


def command(
    paths: Paths = None,
    format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            help="text for people; json for machines; github for GitHub Actions annotations "
            "(followed by the text list); sarif for code-scanning views.",
        ),
    ] = ValidateFormat.TEXT,
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
) -> None:
    """Check YAML files: structure, types, money, references between files, scheme rules.

    A file can silence or promote warnings for itself with a comment line such as
    '# kompalloc: ignore KA402' or '# kompalloc: error KA406'.

    Exit codes: 0 clean (warnings allowed), 1 errors found, 2 usage error or unreadable path.

    Example: kompalloc validate schemes examples/national-2021 --strict
    """
    from kompalloc import __version__
    from kompalloc.cli.common import EXIT_USAGE, console, exit_code, fail, load_checked
    from kompalloc.policy import Policy, parse_codes
    from kompalloc.reporting.diagnostics_view import as_github, as_json, as_sarif, as_text
    from kompalloc.reporting.render import json_text

    ignored, unknown = parse_codes(ignore or [])
    promoted, unknown_too = parse_codes(error or [])
    if unknown or unknown_too:
        names = ", ".join(unknown + unknown_too)
        fail(f"unknown code {names} (see 'kompalloc explain-code')", EXIT_USAGE)
    bundle, diagnostics = load_checked(paths, Policy(ignored, promoted, strict))
    out = console()
    if format is ValidateFormat.JSON:
        out.file.write(json_text(as_json(diagnostics, bundle.files)))
    elif format is ValidateFormat.SARIF:
        out.file.write(json_text(as_sarif(diagnostics, __version__)))
    else:
        if format is ValidateFormat.GITHUB:
            out.file.write(as_github(diagnostics))
        out.print(as_text(diagnostics, len(bundle.files)), end="", soft_wrap=True)
    raise typer.Exit(exit_code(diagnostics))
