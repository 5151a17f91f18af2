"""``kompalloc check``: does a saved decisions file still match what the files allocate now?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kompalloc.cli.console import Verbosity
from kompalloc.cli.params import (
    AsOfOption,
    MethodOption,
    NoCacheOption,
    Paths,
    ScenarioOption,
    SetOption,
)


def command(
    verbosity: Verbosity,
    decisions: Annotated[
        Path,
        typer.Argument(
            help="A decisions file: the JSON of 'kompalloc allocate --format json'.",
            show_default=False,
        ),
    ],
    paths: Paths = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    scenario: ScenarioOption = None,
    set_: SetOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Re-run the allocation and compare it with a saved decisions file.

    Exit 0 when every grant is the same, 1 when any differs (each difference is listed),
    2 when the decisions file cannot be read. Use it in CI so that a pull request that
    changes a scheme file shows what it does to the money.

    Example: kompalloc check decisions.json schemes examples/national-2021
    """
    from kompalloc.cli.console import stdout_console
    from kompalloc.cli.runs import allocation_run
    from kompalloc.money import format_kr
    from kompalloc.pipeline.decisions import saved_decisions
    from kompalloc.pipeline.errors import EXIT_INVALID
    from kompalloc.pipeline.files import inputs_digest
    from kompalloc.pipeline.run import Request

    saved = saved_decisions(decisions)
    before = saved.grants
    request = Request(paths, method or (), as_of, scenario or (), set_ or (), cache=not no_cache)
    run = allocation_run(request, verbosity)
    bundle, allocation = run.bundle, run.allocation
    after = {g.application: (g.granted, g.status.value) for g in allocation.grants}
    lines = []
    for app_id in sorted(before.keys() | after.keys()):
        old, new = before.get(app_id), after.get(app_id)
        if old == new:
            continue
        if old is None:
            lines.append(f"+ {app_id}: new, {new[1]} {format_kr(new[0])}")  # type: ignore[index]
        elif new is None:
            lines.append(f"- {app_id}: gone (was {old[1]} {format_kr(old[0])})")
        else:
            change = new[0] - old[0]
            sign = "+" if change >= 0 else "-"
            lines.append(
                f"~ {app_id}: {old[1]} {format_kr(old[0])} -> {new[1]} {format_kr(new[0])} "
                f"({sign}{format_kr(abs(change))})"
            )
    digest = inputs_digest(bundle.files)
    same_inputs = saved.inputs_sha256 == digest
    total = len(before.keys() | after.keys())
    with stdout_console() as out:
        if not lines:
            note = "" if same_inputs else " (the input files changed, the grants did not)"
            out.print(
                f"kompalloc check: all {len(after)} grants match {decisions}{note}",
                markup=False,
                soft_wrap=True,
            )
            return
        out.print("\n".join(lines), markup=False, soft_wrap=True)
        out.print(
            f"kompalloc check: {len(lines)} of {total} applications differ from {decisions}",
            markup=False,
            soft_wrap=True,
        )
    raise typer.Exit(EXIT_INVALID)
