"""The tool's own errors and exit codes: what stops a run that is not a bug.

A problem in the user's files is a Diagnostic (data); a run that cannot go on because of its
arguments, its environment or errors in its input raises one of these, and the command line
turns it into one clear message and its documented exit code. Anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kompalloc.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_INVALID = 1
"""The input has errors (or, for check-like commands, a difference was found)."""
EXIT_USAGE = 2
"""A usage error, or a path that does not exist or cannot be read."""
EXIT_OUTPUT = 3
"""The output file could not be written."""
EXIT_CHANGED = 4
"""compare --exit-code: a scenario changes something (distinct from the error codes 1, 2, 3)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C."""
EXIT_PIPE = 141
"""The reader of standard output went away (e.g. '| head'), as Unix tools exit."""


class CacheWarning(UserWarning):
    """Something about the cache of unchanged inputs that a user may want to know (an entry
    ignored, a folder that cannot be written); the run's result is the same either way. The
    command line shows it as one line on stderr; a library caller gets a Python warning."""


class KompallocError(Exception):
    """A run that cannot go on: a message for people and the exit code it maps to."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(KompallocError):
    """Arguments that cannot be used, or a path or project file that cannot be read (exit 2)."""

    exit_code = EXIT_USAGE


class OutputError(KompallocError):
    """An output file that cannot be written (exit 3)."""

    exit_code = EXIT_OUTPUT


class Refused(KompallocError):
    """Input with errors: every diagnostic of the run, and why nothing was allocated.

    Its exit code is 2 when a path could not be read, else 1 (see ``exit_code_of``).
    ``why`` says more than "input with errors" (which is what no ``why`` means).
    """

    def __init__(self, diagnostics: Sequence[Diagnostic], files: int, why: str = "") -> None:
        super().__init__(f"not allocating: {why}" if why else "not allocating input with errors")
        self.diagnostics = list(diagnostics)
        self.files = files
        self.why = why
        self.exit_code = exit_code_of(self.diagnostics)


class BadDecisions(Refused):
    """A decisions file ``check`` cannot use: its diagnostics, and exit 2 as for unreadable paths."""

    def __init__(self, diagnostics: Sequence[Diagnostic], path: str) -> None:
        super().__init__(diagnostics, 1)
        unreadable = any(d.code.value in ("KA001", "KA002", "KA004", "KA005") for d in diagnostics)
        self.message = (
            f"cannot read {path}" if unreadable else f"{path} is not a decisions file check can use"
        )
        self.exit_code = EXIT_USAGE


def exit_code_of(diagnostics: Sequence[Diagnostic]) -> int:
    """2 when a path could not be read, 1 when the input has other errors, else 0."""
    from kompalloc.diagnostics import Severity

    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if any(d.code.value in ("KA001", "KA002", "KA003") for d in errors):
        return EXIT_USAGE
    return EXIT_INVALID if errors else EXIT_OK
