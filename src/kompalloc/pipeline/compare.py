"""Comparing runs: the baseline and each what-if scenario allocated on the same checked files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kompalloc.pipeline.errors import UsageError
from kompalloc.pipeline.inputs import Progress
from kompalloc.pipeline.run import Request, as_of, parse_as_of, parse_methods
from kompalloc.pipeline.whatif import BASE_NAME, what_if_runs

if TYPE_CHECKING:
    from datetime import date

    from kompalloc.diagnostics import Diagnostic
    from kompalloc.model import Bundle
    from kompalloc.scenarios.compare import Comparison


@dataclass(frozen=True, slots=True)
class Compared:
    """A comparison of runs, and what its stamp must say."""

    comparison: Comparison
    inputs: Bundle
    """The base bundle with every input file of every run (for the stamp)."""
    as_of: date | None
    left_out: list[str]
    overrides: tuple[str, ...]
    warnings: list[Diagnostic]
    files: int


def compare_runs(
    request: Request,
    specs: Sequence[str],
    baseline: str | None = None,
    progress: Progress | None = None,
) -> Compared:
    """The base run and one run per spec (scenario files joined by '+'), compared with the
    baseline ('base', or a scenario's name)."""
    from kompalloc.allocation import allocate
    from kompalloc.diagnostics import did_you_mean
    from kompalloc.pipeline.files import check_output_path
    from kompalloc.scenarios.compare import Variant, compare

    if not specs:
        raise UsageError("compare needs at least one --scenario FILE to compare with")
    day = parse_as_of(request.as_of)
    runs = what_if_runs(request.paths, ["", *specs], request.sets, progress, cache=request.cache)
    names = [o.name for o in runs.outcomes]
    for name in names:
        if names.count(name) > 1:
            raise UsageError(
                f"two runs are named {name!r}: give one of the scenarios another 'name:'"
            )
    chosen = baseline or BASE_NAME
    if chosen not in names:
        hint = did_you_mean(chosen, names) or f"the runs are: {', '.join(names)}"
        raise UsageError(f"--baseline: no run named {chosen!r}: {hint}")
    files = tuple(dict.fromkeys(f for o in runs.outcomes if o.bundle for f in o.bundle.files))
    inputs = replace(runs.base, files=files)
    for output in request.outputs:
        check_output_path(output, files)
    compared = []
    left_out: list[str] = []
    for outcome in runs.outcomes:
        assert outcome.bundle is not None
        bundle, later = as_of(outcome.bundle, day)
        left_out = sorted({*left_out, *later})
        allocation = allocate(bundle, parse_methods(request.methods, bundle))
        descriptions = [s.description for s in outcome.plan.scenarios if s.description]
        scenario_files = tuple(f for s in outcome.plan.scenarios for f in s.files)
        compared.append(
            Variant(outcome.name, bundle, allocation, " ".join(descriptions), scenario_files)
        )
    result = compare(compared, names.index(chosen))
    overrides = tuple(f"--set {v}" for v in request.sets)
    return Compared(result, inputs, day, left_out, overrides, runs.warnings, len(runs.files))
