"""What-if runs: the checked files, then each run's scenarios and --set overrides, validated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kompalloc.pipeline.errors import EXIT_OK, Refused, UsageError, exit_code_of
from kompalloc.pipeline.inputs import Progress, file_policies, load_checked, project_policy

if TYPE_CHECKING:
    from kompalloc.diagnostics import Diagnostic
    from kompalloc.model import Bundle
    from kompalloc.scenarios import Outcome, Scenario

BASE_NAME = "base"
"""The run of the files as loaded, with no scenario."""
LOADING_CODES = "KA3"
"""Codes below this are found while reading files (the rest by validation, which re-runs on
the effective data of every what-if run)."""


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The base bundle, one valid outcome per run asked for, and the warnings of them all."""

    base: Bundle
    outcomes: list[Outcome]
    warnings: list[Diagnostic]
    files: tuple[str, ...]
    """Every input file: the data files, then the scenario files."""


def what_if_runs(
    paths: Sequence[Path] | None,
    specs: Sequence[str],
    sets: Sequence[str] = (),
    progress: Progress | None = None,
) -> WhatIf:
    """The base bundle and one outcome per spec ('' is the base itself), all valid.

    The files are loaded and validated once. Each spec names scenario files joined by '+';
    --set applies after the scenarios of every spec. Any error in the files, in a scenario or
    in a run's effective data raises Refused with every diagnostic; a --set naming a path
    that cannot be is a UsageError.
    """
    from kompalloc.policy import enforce
    from kompalloc.scenarios import SET_SOURCE, SetPathError, read_plan, read_sets, what_if
    from kompalloc.scenarios.changes import Plan

    base, diagnostics = load_checked(paths, progress=progress)
    if exit_code_of(diagnostics) != EXIT_OK:
        raise Refused(diagnostics, len(base.files))
    loading = [d for d in diagnostics if d.code.value < LOADING_CODES]
    problems: list[Diagnostic] = []
    cache: dict[str, tuple[Scenario | None, list[Diagnostic]]] = {}

    def read(path: str) -> tuple[Scenario | None, list[Diagnostic]]:
        from kompalloc.scenarios import read_scenario

        if path not in cache:
            cache[path] = read_scenario(path)
            problems.extend(cache[path][1])
        return cache[path]

    plans: list[Plan | None] = [Plan((), "") if not s else read_plan(s, read)[0] for s in specs]
    try:
        overrides, set_problems = read_sets(list(sets))
    except SetPathError as exc:
        raise UsageError(str(exc)) from None
    problems.extend(set_problems)
    files = (*base.files, *cache)
    policy, own = project_policy(), file_policies()
    found: list[Diagnostic] = [*loading, *enforce(problems, policy, own)]
    failing: list[str] = []
    outcomes: list[Outcome] = []
    for spec, plan in zip(specs, plans, strict=True):
        if plan is None:  # a scenario file that cannot be read at all: reported above
            failing.append(spec)
            continue
        outcome = what_if(base, plan, overrides)
        for d in outcome.diagnostics:
            if d.code.value == "KA701" and d.span.path.startswith(SET_SOURCE):
                raise UsageError(f"{d.span.path}: {d.message.split(': ', 1)[-1]}: {d.hint}")
        mine = enforce(outcome.diagnostics, policy, own)
        if outcome.bundle is None or exit_code_of(mine) != EXIT_OK:
            failing.append(outcome.name)
        found += mine
        outcomes.append(outcome)
    unique = list(dict.fromkeys(found))
    if exit_code_of(unique) != EXIT_OK and not failing:
        raise Refused(unique, len(files), "a scenario or --set has errors")
    if failing == [BASE_NAME] and sets:
        raise Refused(unique, len(files), "the data after --set has errors")
    if failing:
        raise Refused(unique, len(files), "errors in " + ", ".join(map(repr, failing)))
    return WhatIf(base, outcomes, unique, files)


def load_what_if(
    paths: Sequence[Path] | None,
    scenarios: Sequence[str] = (),
    sets: Sequence[str] = (),
    progress: Progress | None = None,
) -> tuple[Bundle, Outcome | None, list[Diagnostic], int]:
    """The bundle to allocate: the files, then every scenario in order, then --set.

    Also the outcome of the scenarios (None without any), the warnings, and how many input
    files there are. Input with errors raises Refused.
    """
    if not scenarios and not sets:
        bundle, diagnostics = load_checked(paths, progress=progress)
        if exit_code_of(diagnostics) != EXIT_OK:
            raise Refused(diagnostics, len(bundle.files))
        return bundle, None, diagnostics, len(bundle.files)
    runs = what_if_runs(paths, ["+".join(scenarios)], sets, progress)
    outcome = runs.outcomes[0]
    assert outcome.bundle is not None
    return outcome.bundle, outcome, runs.warnings, len(runs.files)


def effective_text(
    paths: Sequence[Path] | None,
    scenarios: Sequence[str] = (),
    sets: Sequence[str] = (),
    progress: Progress | None = None,
) -> tuple[str, Bundle, list[Diagnostic]]:
    """The data the scenarios and --set produce, as kompalloc YAML (``--effective``).

    Also the effective bundle (its files are the inputs an output must not overwrite) and
    the warnings.
    """
    from kompalloc.scenarios.effective import effective_yaml

    runs = what_if_runs(paths, ["+".join(scenarios)], sets, progress)
    outcome = runs.outcomes[0]
    assert outcome.bundle is not None
    text = effective_yaml(
        outcome.bundle,
        sources=outcome.applied.sources,
        removed=outcome.applied.removed,
        base_files=runs.base.files,
        scenarios=[s.source for s in outcome.plan.scenarios],
    )
    return text, replace(outcome.bundle, files=runs.files), runs.warnings
