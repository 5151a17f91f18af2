"""Fast paths: ``kompalloc --version`` and plain ``kompalloc validate`` runs without Typer.

Importing Typer, and the Pydantic it uses to convert arguments, costs more than validating
a thousand applications. The two commands people and CI scripts run most often are parsed
here instead, but only in forms whose meaning is certain: the global flags -q/--quiet and
-v/--verbose, then ``validate`` with paths, --format/-f VALUE, --strict, --ignore CODE and
--error CODE as separate words. Anything else (--help, '--format=json', combined short flags,
a value starting with '-', shell completion, ...) returns None, and Typer handles the run.

Each fast path has the output and exit code of the Typer path: both run the same code after
parsing (kompalloc.cli.diagnose.run), and tests/cli/test_fast.py compares them.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from kompalloc.reporting.formats import DiagnosticFormat

_GLOBAL_FLAGS = {"-q": "quiet", "--quiet": "quiet", "-v": "verbose", "--verbose": "verbose"}


def run_fast(argv: list[str]) -> int | None:
    """Run the command line without Typer and return its exit code, or None to use Typer."""
    if os.name == "nt" or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return None  # Typer expands wildcards on Windows and answers shell completion
    if argv == ["--version"]:
        from kompalloc import __version__

        sys.stdout.write(f"kompalloc {__version__}\n")
        sys.stdout.flush()
        return 0
    parsed = parse_validate(argv)
    if parsed is None:
        return None
    code = _validate(parsed)
    # The run is over and made no garbage worth collecting: frozen, what is left is skipped
    # by the collection Python makes on exit (a tenth of validating 1,000 applications).
    gc.freeze()
    return code


class ValidateArgs:
    """The arguments of a validate run, as the Typer command receives them."""

    def __init__(self) -> None:
        self.quiet = False
        self.verbose = False
        self.paths: list[Path] = []
        self.format = "text"
        self.strict = False
        self.ignore: list[str] = []
        self.error: list[str] = []


def parse_validate(argv: list[str]) -> ValidateArgs | None:
    """The arguments of a validate command line in a form read the same as Typer reads it."""
    args = ValidateArgs()
    i = 0
    while i < len(argv) and argv[i] in _GLOBAL_FLAGS:
        setattr(args, _GLOBAL_FLAGS[argv[i]], True)
        i += 1
    if i >= len(argv) or argv[i] != "validate":
        return None
    rest = argv[i + 1 :]
    j = 0
    while j < len(rest):
        word = rest[j]
        if word == "--strict":
            args.strict = True
        elif word in ("--format", "-f", "--ignore", "--error"):
            if j + 1 >= len(rest) or rest[j + 1].startswith("-"):
                return None
            value = rest[j + 1]
            if word == "--ignore":
                args.ignore.append(value)
            elif word == "--error":
                args.error.append(value)
            elif value in DiagnosticFormat._value2member_map_:
                args.format = value  # the last one counts, as in Typer
            else:
                return None
            j += 2
            continue
        elif word.startswith("-") or not word:
            return None
        else:
            args.paths.append(Path(word))
        j += 1
    return args


def _validate(args: ValidateArgs) -> int:
    """Run validate as the Typer application would after parsing these arguments."""
    from kompalloc.cli.console import Verbosity, show_error
    from kompalloc.cli.diagnose import run
    from kompalloc.pipeline.errors import EXIT_PIPE, KompallocError

    try:
        code = run(
            args.paths or None,
            DiagnosticFormat(args.format),
            args.strict,
            args.ignore or None,
            args.error or None,
            Verbosity(args.quiet, args.verbose),
        )
        sys.stdout.flush()
        return code
    except KompallocError as exc:  # what the edge of the Typer command does
        show_error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130  # as Typer: a silent exit 130
    except EOFError:
        from typer import rich_utils

        sys.stderr.write("\n")
        rich_utils.rich_abort_error()
        return 1
    except BrokenPipeError:  # what the edge of the Typer command does
        from kompalloc.cli.console import stdout_gone

        stdout_gone()
        return EXIT_PIPE
