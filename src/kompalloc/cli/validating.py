"""What ``kompalloc validate`` does once its arguments are parsed, without Typer or Rich.

Both the Typer command (kompalloc.cli.validate) and the fast path that skips Typer
(kompalloc.cli.fast) call run(), so they behave the same by construction.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

from kompalloc.cli.console import Verbosity


class ValidateFormat(StrEnum):
    """How validate prints its diagnostics."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


def run(
    paths: list[Path] | None,
    format: ValidateFormat,
    strict: bool,
    ignore: list[str] | None,
    error: list[str] | None,
    verbosity: Verbosity,
) -> int:
    """Check the files, print the diagnostics in the format asked for, and return the exit code.

    Usage errors raise the pipeline's UsageError, as in every command.
    """
    from kompalloc.cli.console import plain, progress
    from kompalloc.pipeline.errors import exit_code_of as exit_code
    from kompalloc.pipeline.files import write_stdout
    from kompalloc.pipeline.inputs import command_policy, load_checked
    from kompalloc.reporting.diagnostics_view import as_github, as_plain_text

    policy = command_policy(strict, ignore or [], error or [])
    with progress(verbosity) as step:
        bundle, diagnostics = load_checked(paths, policy, step)
    if format is ValidateFormat.JSON or format is ValidateFormat.SARIF:
        from kompalloc import __version__
        from kompalloc.reporting.diagnostics_view import as_json, as_sarif
        from kompalloc.reporting.render import json_text

        document = (
            as_json(diagnostics, bundle.files)
            if format is ValidateFormat.JSON
            else as_sarif(diagnostics, __version__)
        )
        write_stdout(json_text(document))
        return exit_code(diagnostics)
    if format is ValidateFormat.GITHUB:
        write_stdout(as_github(diagnostics))
    text = as_plain_text(diagnostics, len(bundle.files)) if plain(sys.stdout) else None
    if text is not None:
        write_stdout(text)
    else:
        from kompalloc.cli.console import stdout_console
        from kompalloc.reporting.diagnostics_view import as_text

        with stdout_console() as out:
            out.print(as_text(diagnostics, len(bundle.files)), end="", soft_wrap=True)
    return exit_code(diagnostics)
