"""The kompalloc Typer application: registers the commands and handles interrupts and closed pipes."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from kompalloc import __version__
from kompalloc.cli import (
    allocate,
    check,
    compare,
    explain,
    explain_code,
    import_,
    init,
    list_,
    report,
    schema,
    sweep,
    validate,
)

app = typer.Typer(
    name="kompalloc",
    help="Allocate Norwegian competence-funding money: validate scheme files, allocate pools "
    "against their caps, and report what is granted and what remains.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kompalloc {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Say nothing on stderr but errors: no warnings, no progress."
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Print every warning in full, not just their count."),
    ] = False,
) -> None:
    """Allocate Norwegian competence-funding money from YAML files."""
    from kompalloc.cli import common

    common.VERBOSITY = -1 if quiet else 1 if verbose else 0


app.command("validate")(validate.command)
app.command("allocate")(allocate.command)
app.command("report")(report.command)
app.command("explain")(explain.command)
app.command("check")(check.command)
app.command("compare")(compare.command)
app.command("sweep")(sweep.command)
app.command("explain-code")(explain_code.command)
app.command("schema")(schema.command)
app.command("list")(list_.command)
app.command("init")(init.command)
app.command("import")(import_.command)


def main() -> None:
    """The console-script entry point."""
    try:
        app()
    except SystemExit as exc:
        if exc.code == 130:  # Typer turns Ctrl-C into a silent exit 130; say what happened
            sys.stderr.write("kompalloc: interrupted\n")
        raise
    except KeyboardInterrupt:  # pressed outside a command, e.g. while starting up
        sys.stderr.write("kompalloc: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (e.g. '| head'): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
