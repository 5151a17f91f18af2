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


def command(
    paths: Paths,
    format: Annotated[
        ValidateFormat,
        typer.Option("--format", "-f", help="text for people, json for machines."),
    ] = ValidateFormat.TEXT,
) -> None:
    """Check YAML files: structure, types, money, references between files, scheme rules.

    Exit codes: 0 clean (warnings allowed), 1 errors found, 2 usage error or unreadable path.

    Example: kompalloc validate schemes examples/national-2021
    """
    from kompalloc.cli.common import console, exit_code, load_checked
    from kompalloc.reporting.diagnostics_view import as_json, as_text
    from kompalloc.reporting.render import json_text

    bundle, diagnostics = load_checked(paths)
    out = console()
    if format is ValidateFormat.JSON:
        out.file.write(json_text(as_json(diagnostics, bundle.files)))
    else:
        out.print(as_text(diagnostics, len(bundle.files)), end="", soft_wrap=True)
    raise typer.Exit(exit_code(diagnostics))
