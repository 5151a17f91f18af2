"""What the allocating commands share: a pipeline run with its progress and warnings on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kompalloc.cli.console import Verbosity, progress, show_warnings

if TYPE_CHECKING:
    from kompalloc.pipeline.outputs import Saved
    from kompalloc.pipeline.run import Request, Run


def allocation_run(request: Request, verbosity: Verbosity) -> Run:
    """Allocate as the request says, with a progress bar while loading and the warnings told."""
    from kompalloc.pipeline.run import allocate_run

    with progress(verbosity) as step:
        run = allocate_run(request, step)
    show_warnings(run.warnings, run.files, verbosity)
    return run


def replay(saved: Saved, output: Path | None, verbosity: Verbosity) -> None:
    """Write a saved output as the run that saved it did: the input's warnings told, then
    the same bytes to stdout or to ``output`` (atomically, never over an input)."""
    from kompalloc.pipeline.files import check_output_path, write_bytes_output, write_stdout

    assert saved.text is not None
    check_output_path(output, saved.files)
    show_warnings(saved.warnings, len(saved.files), verbosity)
    if output is None:
        write_stdout(saved.text)
    else:
        write_bytes_output(saved.text, output)


def print_effective(request: Request, verbosity: Verbosity, output: Path | None) -> None:
    """--effective: the data the scenarios and --set produce, as kompalloc YAML, to stdout or
    to ``output`` (atomically, never over an input)."""
    from kompalloc.pipeline.files import check_output_path, write_output, write_stdout
    from kompalloc.pipeline.whatif import effective_text

    with progress(verbosity) as step:
        text, bundle, warnings = effective_text(
            request.paths, request.scenarios, request.sets, step, cache=request.cache
        )
    show_warnings(warnings, len(bundle.files), verbosity)
    if output is None:
        write_stdout(text)
        return
    check_output_path(output, bundle.files)
    write_output(text, output)
