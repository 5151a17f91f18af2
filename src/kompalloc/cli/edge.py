"""The edge of every command: the tool's errors become one message and an exit code.

Commands call the library (kompalloc.pipeline), which raises UsageError, OutputError or
Refused; ``edge`` prints them and exits with their code, and hands the command the run's
Verbosity (from the global --quiet/--verbose) when it asks for one. A closed standard output
exits 141. Anything else is a bug and shows as a traceback.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any

import typer

from kompalloc.cli.console import Verbosity, show_error, show_refusal, stdout_gone, tool_warnings
from kompalloc.pipeline.errors import EXIT_PIPE, KompallocError, Refused

VERBOSITY = "verbosity"
"""The parameter through which a command receives the run's Verbosity."""


def edge(command: Callable[..., None]) -> Callable[..., None]:
    """The command as Typer registers it: errors mapped to exit codes, Verbosity passed in."""
    # Annotations evaluated here, in the command's module: Typer reads the wrapper's as given.
    signature = inspect.signature(command, eval_str=True)
    wants_verbosity = VERBOSITY in signature.parameters

    @functools.wraps(command)
    def wrapper(ctx: typer.Context, *args: Any, **kwargs: Any) -> None:
        if wants_verbosity:
            obj = ctx.obj
            kwargs[VERBOSITY] = obj if isinstance(obj, Verbosity) else Verbosity()
        try:
            with tool_warnings(ctx.obj if isinstance(ctx.obj, Verbosity) else Verbosity()):
                command(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, while it can still be told
        except BrokenPipeError:
            stdout_gone()
            raise typer.Exit(EXIT_PIPE) from None
        except Refused as exc:
            show_refusal(exc)
            raise typer.Exit(exc.exit_code) from None
        except KompallocError as exc:
            show_error(exc.message)
            raise typer.Exit(exc.exit_code) from None

    context = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    shown = [p for p in signature.parameters.values() if p.name != VERBOSITY]
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[context.replace(annotation=typer.Context), *shown]
    )
    wrapper.__annotations__ = {
        "ctx": typer.Context,
        **{p.name: p.annotation for p in shown},
        "return": signature.return_annotation,
    }
    return wrapper
