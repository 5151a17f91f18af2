"""The console-script entry point: fast paths first, else the Typer application.

Importing this module is cheap: the Typer application (kompalloc.cli.app, with every
command) is imported only when a command needs it. ``--version`` and plain ``validate`` runs
are answered without Typer (kompalloc.cli.fast), with the same output and exit code.
"""

from __future__ import annotations

import sys


def main() -> None:
    """The console-script entry point."""
    try:
        from kompalloc.cli.fast import run_fast

        code = run_fast(sys.argv[1:])
        if code is not None:
            sys.exit(code)
        from kompalloc.cli.app import app

        app()
    except SystemExit as exc:
        if exc.code == 130:  # Typer turns Ctrl-C into a silent exit 130; say what happened
            sys.stderr.write("kompalloc: interrupted\n")
        raise
    except KeyboardInterrupt:  # pressed outside a command, e.g. while starting up
        sys.stderr.write("kompalloc: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (e.g. '| head') outside a command: stop quietly, as Unix tools do.
        from kompalloc.cli.console import stdout_gone

        stdout_gone()
        sys.exit(141)
