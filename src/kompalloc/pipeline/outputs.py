"""Saved outputs: a command run again over unchanged files writes what it wrote before.

Loading from the cache of unchanged inputs still leaves allocating, the exact funding lines
and rendering to do, which at 100,000 applications cost more than the rest. So ``allocate``
also saves its output (see pipeline.cache's Recording), under a key made of the inputs' key
(the paths as given, every file's bytes, kompalloc's sources and the Python version) and
every other thing the output depends on:

- the command and each of its options as given (--method, --as-of, --output, --format,
  --table, --csv-dialect, --money, --lang), and the format, money and language they resolve
  to with the project file;
- the project file's settings (all of them, as read), and the working directory;
- the environment a console or an encoder reads (COLUMNS, TERM, NO_COLOR, LANG, ...) and
  every KOMPALLOC_ variable; the width of the text tables, and whether standard output is a
  terminal (output to a terminal with colour is never saved).

Runs with --scenario, --set or --effective are not saved (their scenario files are read
apart from the others), nor xlsx workbooks. A saved output is used only while the entry of
its inputs is whole (its checksum checked) and the earlier rounds' decisions files that
loading read are unchanged; the warnings of the input are told again from that entry, under
the same severity policy, so stderr is the same too.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kompalloc.diagnostics import Diagnostic
    from kompalloc.pipeline.cache import Cache, Recording
    from kompalloc.pipeline.run import Request

ENVIRONMENT = (
    "COLUMNS",
    "LINES",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "LC_MESSAGES",
    "LC_NUMERIC",
)
"""Variables that could change what a console shows or how text is encoded."""


@dataclass(slots=True)
class Saved:
    """A run whose output can be saved: its key, and the output when the cache holds it."""

    cache: Cache
    key: str
    text: bytes | None = None
    """The saved output (None: a miss, to be recorded)."""
    files: tuple[str, ...] = ()
    warnings: list[Diagnostic] = field(default_factory=list)
    names: tuple[str, ...] = ()
    """The paths as given, and the key of the files they found (checked again at the end)."""
    inputs: str = ""

    def recording(self) -> Recording:
        """Where the run's output is saved as it is written: kept only if the files are still
        as they were hashed before the run read them."""
        from kompalloc.loading.loader import find_files
        from kompalloc.pipeline.cache import Recording, inputs_key

        def unchanged() -> bool:
            files, problems = find_files(list(self.names))
            return not problems and inputs_key(self.names, files) == self.inputs

        return Recording(self.cache, self.key, unchanged)


def environment() -> list[str]:
    """The variables of the environment that are part of a saved output's key."""
    names = [*ENVIRONMENT, *sorted(k for k in os.environ if k.startswith("KOMPALLOC_"))]
    return [f"{name}={os.environ[name]!r}" if name in os.environ else name for name in names]


def saved_output(request: Request, command: str, options: Sequence[str] | None) -> Saved | None:
    """The saved output of an allocation run, or where to save it; None when this run's output
    is not saved (the cache off, options that cannot be saved, files that cannot be read)."""
    if options is None or not request.cache or request.scenarios or request.sets:
        return None
    if request.application is not None:
        return None
    from kompalloc.loading.loader import find_files
    from kompalloc.pipeline.cache import inputs_key, lookup, open_cache, output_key, read_output
    from kompalloc.pipeline.errors import EXIT_OK, exit_code_of
    from kompalloc.pipeline.inputs import file_policies, project_policy
    from kompalloc.pipeline.project import resolve_paths, settings
    from kompalloc.policy import Policy, enforce

    cache = open_cache(True)
    if cache is None:
        return None
    names = [str(p) for p in resolve_paths(request.paths)]
    files, problems = find_files(names)
    inputs = None if problems else inputs_key(names, files)
    if inputs is None:
        return None
    parts = [
        command,
        f"--method={list(request.methods)!r}",
        f"--as-of={request.as_of!r}",
        f"--output={[str(o) for o in request.outputs]!r}",
        *options,
        f"cwd={str(Path.cwd())!r}",
        f"project={settings()!r}",
        *environment(),
    ]
    saved = Saved(cache, output_key(inputs, parts), names=tuple(names), inputs=inputs)
    found = lookup(cache, inputs, bundle=False, whole=True)
    if found is None:
        return saved
    policy = project_policy().merged(Policy())  # as pipeline.inputs applies it
    warnings = enforce(list(found.diagnostics), policy, file_policies(found.files))
    if exit_code_of(warnings) != EXIT_OK:
        return None  # refused: the run says why, and nothing is saved
    saved.text = read_output(cache, saved.key)
    saved.files, saved.warnings = found.files, warnings
    return saved
