"""What the commands share: loading with validation, exit codes, consoles and atomic output files.

It imports neither Typer nor Rich at module level: ``kompalloc validate`` runs without them
(see kompalloc.cli.fast).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from kompalloc.cli.project import Project
    from kompalloc.diagnostics import Diagnostic
    from kompalloc.model import Bundle
    from kompalloc.policy import Policy

VERBOSITY = 0
"""-1 with --quiet, 1 with --verbose, else 0 (set by the app's callback for the whole run)."""
PROGRESS_FROM = 20
"""Show a progress bar when loading at least this many files (on a terminal, not with --quiet)."""

PIPE_WIDTH = 120
"""Table width when output goes to a pipe or file and COLUMNS is not set."""

EXIT_OK = 0
EXIT_INVALID = 1
"""The input has errors (or, for check-like commands, a difference was found)."""
EXIT_USAGE = 2
"""A usage error, or a path that does not exist or cannot be read."""
EXIT_OUTPUT = 3
"""The output file could not be written."""


def project() -> Project:
    """The project file's settings; a broken project file stops the run with exit 2."""
    from kompalloc.cli.project import current

    settings = current()
    if settings.problems:
        fail("; ".join(settings.problems), EXIT_USAGE)
    return settings


def resolve_paths(paths: list[Path] | None) -> list[Path]:
    """The paths given, else the project file's, else a usage error."""
    if paths:
        return paths
    settings = project()
    if settings.paths:
        return list(settings.paths)
    fail(
        "no paths given, and no kompalloc.toml with 'paths' here or above (see 'kompalloc init')",
        EXIT_USAGE,
    )
    return []


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

    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped or redirected: no terminal to fit, so use the width the files are made for.
        console.width = PIPE_WIDTH
    return console


def load_checked(
    paths: list[Path] | None, policy: Policy | None = None
) -> tuple[Bundle, list[Diagnostic]]:
    """Load and validate, then apply the run's, the project's and each file's severity policy.

    Without paths, the project file's are used. The bundle is safe to allocate only when no
    diagnostic left is an error.
    """
    from kompalloc.loading.loader import read_text
    from kompalloc.policy import Policy, apply, file_policy, parse_codes
    from kompalloc.validation import validate

    settings = project()
    ignored, unknown = parse_codes(settings.ignore)
    promoted, unknown_too = parse_codes(settings.error)
    if unknown or unknown_too:
        fail(f"{settings.file}: unknown code {', '.join(unknown + unknown_too)}", EXIT_USAGE)
    policy = Policy(ignored, promoted, settings.strict).merged(policy or Policy())
    bundle, diagnostics = _load_with_progress([str(p) for p in resolve_paths(paths)])
    diagnostics.extend(validate(bundle))
    cache: dict[str, Policy] = {}

    def own(path: str) -> Policy:
        if path not in cache:
            text, _ = read_text(path) if path in bundle.files else (None, [])
            cache[path] = file_policy(text) if text else Policy()
        return cache[path]

    return bundle, apply(diagnostics, policy, own)


def _load_with_progress(paths: list[str]) -> tuple[Bundle, list[Diagnostic]]:
    """Load, with a progress bar on stderr when there are many files and stderr is a terminal."""
    from kompalloc.loading import load

    if VERBOSITY < 0 or plain(sys.stderr):
        return load(paths)
    err = console(stderr=True)
    if not err.is_terminal:
        return load(paths)
    from rich.progress import Progress

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Loading", total=None, visible=False)

        def step(done: int, total: int) -> None:
            if total >= PROGRESS_FROM:
                progress.update(task, completed=done, total=total, visible=True)

        return load(paths, step)


def exit_code(diagnostics: list[Diagnostic]) -> int:
    """2 when a path could not be read, 1 when the input has other errors, else 0."""
    from kompalloc.diagnostics import Severity

    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if any(d.code.value in ("KA001", "KA002", "KA003") for d in errors):
        return EXIT_USAGE
    return EXIT_INVALID if errors else EXIT_OK


def refuse_if_invalid(bundle: Bundle, diagnostics: list[Diagnostic]) -> None:
    """Stop with the diagnostics on stderr when there are errors; count warnings in one line."""
    import typer

    from kompalloc.reporting.diagnostics_view import as_text

    if not diagnostics:
        return
    err = console(stderr=True)
    code = exit_code(diagnostics)
    if code == EXIT_OK:
        if VERBOSITY < 0:
            return
        if VERBOSITY > 0:
            err.print(as_text(diagnostics, len(bundle.files)), end="", soft_wrap=True)
            return
        n = len(diagnostics)
        err.print(
            f"kompalloc: {n} warning{'s' * (n != 1)}; 'kompalloc validate' with the same paths "
            "shows them",
            style="yellow",
            soft_wrap=True,
        )
        return
    err.print(as_text(diagnostics, len(bundle.files)), end="", soft_wrap=True)
    err.print("kompalloc: not allocating input with errors", style="bold red")
    raise typer.Exit(code)


def check_output_path(output: Path | None, bundle: Bundle) -> None:
    """Refuse to write over an input file."""
    if output is None:
        return
    target = os.path.realpath(output)
    if any(os.path.realpath(f) == target for f in bundle.files):
        fail(f"refusing to write over the input file {output}", EXIT_USAGE)


def fail(message: str, code: int) -> None:
    """One clear line on stderr, then exit."""
    import typer

    sys.stderr.write(f"kompalloc: {message}\n")
    raise typer.Exit(code)


def write_output(text: str, output: Path) -> None:
    """Write a whole text file atomically (UTF-8): see write_bytes_output."""
    write_bytes_output(text.encode("utf-8"), output)


def write_bytes_output(data: bytes, output: Path) -> None:
    """Write a whole file atomically: a temporary file beside it, then a rename.

    A reader never sees half a file, and a failed write leaves the old file as it was. The
    new file gets the old file's permissions, or the umask's for a new one (not mkstemp's 0600).
    """
    import tempfile

    folder = output.parent if str(output.parent) else Path()
    try:
        mode = stat.S_IMODE(output.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}", EXIT_OUTPUT)
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).chmod(mode)
        Path(tmp).replace(output)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        fail(f"cannot write {output}: {exc.strerror}", EXIT_OUTPUT)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def inputs_digest(files: tuple[str, ...]) -> str:
    """SHA-256 over the sorted digests of the input files' bytes: independent of paths and order."""
    import hashlib

    parts = []
    for name in files:
        try:
            parts.append(hashlib.sha256(Path(name).read_bytes()).hexdigest())
        except OSError:
            parts.append("unreadable")
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()
