"""What ``kompalloc validate`` does once its arguments are parsed, without Typer or Rich:
check the files and print every diagnostic in the format asked for.

Both the Typer command (kompalloc.cli.validate) and the fast path that skips Typer
(kompalloc.cli.fast) call run(), so they behave the same by construction.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kompalloc.cli.console import Verbosity
from kompalloc.reporting.formats import DiagnosticFormat


def run(
    paths: list[Path] | None,
    format: DiagnosticFormat,
    strict: bool,
    ignore: list[str] | None,
    error: list[str] | None,
    verbosity: Verbosity,
    *,
    cache: bool = True,
) -> int:
    """Check the files, print the diagnostics in the format asked for, and return the exit code.

    Usage errors raise the pipeline's UsageError, as in every command.
    """
    from kompalloc import __version__
    from kompalloc.cli.console import plain, progress
    from kompalloc.pipeline.errors import exit_code_of
    from kompalloc.pipeline.files import write_stdout
    from kompalloc.pipeline.inputs import check_files, command_policy
    from kompalloc.reporting.diagnostics_view import render_diagnostics

    policy = command_policy(strict, ignore or [], error or [])
    with progress(verbosity) as step:
        files, diagnostics = check_files(paths, policy, step, cache=cache)
    text, rich = render_diagnostics(
        format, diagnostics, files, version=__version__, plain=plain(sys.stdout)
    )
    if text:
        write_stdout(text)
    if rich is not None:
        from kompalloc.cli.console import stdout_console

        with stdout_console() as out:
            out.print(rich, end="", soft_wrap=True)
    return exit_code_of(diagnostics)
