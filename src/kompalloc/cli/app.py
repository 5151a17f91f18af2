"""The kompalloc Typer application: the global options and every command.

Imported only when a command needs Typer: kompalloc.cli.main.main tries the fast paths first.
"""

from __future__ import annotations

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
from kompalloc.cli.edge import edge

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
    ctx: typer.Context,
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
    from kompalloc.cli.console import Verbosity

    ctx.obj = Verbosity(quiet, verbose)  # handed to each command by kompalloc.cli.edge


app.command("validate")(edge(validate.command))
app.command("allocate")(edge(allocate.command))
app.command("report")(edge(report.command))
app.command("explain")(edge(explain.command))
app.command("check")(edge(check.command))
app.command("compare")(edge(compare.command))
app.command("sweep")(edge(sweep.command))
app.command("explain-code")(edge(explain_code.command))
app.command("schema")(edge(schema.command))
app.command("list")(edge(list_.command))
app.command("init")(edge(init.command))
app.command("import")(edge(import_.command))
