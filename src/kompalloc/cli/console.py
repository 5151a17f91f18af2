"""The terminal: consoles, how much to say on stderr, warnings, refusals and progress.

It imports neither Typer nor Rich at module level: ``kompalloc validate`` runs without them
(see kompalloc.cli.fast).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from kompalloc.diagnostics import Diagnostic
    from kompalloc.pipeline.errors import Refused
    from kompalloc.pipeline.inputs import Progress

PROGRESS_FROM = 20
"""Show a progress bar when loading at least this many files (on a terminal, not with --quiet)."""
PIPE_WIDTH = 120
"""Table width when output goes to a pipe or file and COLUMNS is not set."""


@dataclass(frozen=True, slots=True)
class Verbosity:
    """How much a run says on stderr besides errors: --quiet, the default, or --verbose."""

    quiet: bool = False
    verbose: bool = False


@contextmanager
def tool_warnings(verbosity: Verbosity) -> Iterator[None]:
    """The library's CacheWarnings as one line each on stderr (none with --quiet); other
    Python warnings as Python shows them."""
    import warnings

    from kompalloc.pipeline.errors import CacheWarning

    with warnings.catch_warnings():
        original = warnings.showwarning

        def show(
            message: Warning | str, category: type[Warning], *args: object, **kw: object
        ) -> None:
            if not issubclass(category, CacheWarning):
                original(message, category, *args, **kw)  # type: ignore[arg-type]
            elif not verbosity.quiet:
                sys.stderr.write(f"kompalloc: warning: {message}\n")

        warnings.showwarning = show
        warnings.simplefilter("always", CacheWarning)
        yield


def plain(stream: TextIO) -> bool:
    """Whether Rich would certainly print to this stream without colour or other escape codes.

    The same test as Rich's Console.is_terminal, answered without importing Rich; False (ask
    Rich) whenever the environment could make Rich decide otherwise.
    """
    import builtins

    if "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
        return False
    if hasattr(builtins, "get_ipython"):  # Jupyter, which Rich treats apart
        return False
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return False
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return False


def console(stderr: bool = False) -> Console:
    """A Rich console; colour only on a terminal and never with NO_COLOR (Rich checks both)."""
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False, soft_wrap=False)
    out.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
    if not out.is_terminal and "COLUMNS" not in os.environ:
        # Piped or redirected: no terminal to fit, so use the width the files are made for.
        out.width = PIPE_WIDTH
    return out


@contextmanager
def stdout_console() -> Iterator[Console]:
    """A console for standard output whose printing is written out whole at the end, by
    write_stdout, so that a closed pipe is always told (exit 141), never half-written."""
    from kompalloc.pipeline.files import write_stdout

    out = console()
    try:
        with out.capture() as captured:
            yield out
    finally:  # also when the command exits early (typer.Exit): what it printed goes out
        write_stdout(captured.get())


def _broken_pipe() -> None:
    """Rich's answer to a closed pipe is exit 1, which CI reads as "input has errors"; raise
    instead, so that the edge exits 141 as documented."""
    raise BrokenPipeError


def show_warnings(warnings: Sequence[Diagnostic], files: int, verbosity: Verbosity) -> None:
    """The warnings of a run that goes on: one line counting them, all of them with
    --verbose, nothing with --quiet."""
    if not warnings or verbosity.quiet:
        return
    from kompalloc.reporting.diagnostics_view import as_text

    err = console(stderr=True)
    if verbosity.verbose:
        err.print(as_text(list(warnings), files), end="", soft_wrap=True)
        return
    n = len(warnings)
    err.print(
        f"kompalloc: {n} warning{'s' * (n != 1)}; 'kompalloc validate' with the same paths "
        "shows them",
        style="yellow",
        soft_wrap=True,
    )


def show_refusal(refused: Refused) -> None:
    """Every diagnostic on stderr, then one line saying why nothing runs."""
    from kompalloc.reporting.diagnostics_view import as_text

    err = console(stderr=True)
    err.print(as_text(refused.diagnostics, refused.files), end="", soft_wrap=True)
    err.print(f"kompalloc: {refused.message}", style="bold red", soft_wrap=True)


def show_error(message: str) -> None:
    """One clear line on stderr."""
    sys.stderr.write(f"kompalloc: {message}\n")


@contextmanager
def progress(verbosity: Verbosity) -> Iterator[Progress | None]:
    """A progress callback drawing a bar on stderr while loading many files, when stderr is
    a terminal and the run is not quiet; None otherwise."""
    if verbosity.quiet or plain(sys.stderr):
        yield None
        return
    err = console(stderr=True)
    if not err.is_terminal:
        yield None
        return
    from rich.progress import Progress as Bar

    with Bar(console=err, transient=True) as bar:
        task = bar.add_task("Loading", total=None, visible=False)

        def step(done: int, total: int) -> None:
            if total >= PROGRESS_FROM:
                bar.update(task, completed=done, total=total, visible=True)

        yield step


def stdout_gone() -> None:
    """The reader of standard output went away (``| head``): point stdout at /dev/null so
    that nothing more fails on the way out; the caller exits 141, as Unix tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # no real descriptor (a test's captured stdout): nothing to point elsewhere
    finally:
        os.close(devnull)
