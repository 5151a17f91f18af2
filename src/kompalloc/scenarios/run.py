"""One what-if run: the base bundle, a plan of scenarios and the --set overrides, validated."""

from __future__ import annotations

from dataclasses import dataclass

from kompalloc.diagnostics import Diagnostic
from kompalloc.model import Bundle
from kompalloc.scenarios.applying import Applied, apply
from kompalloc.scenarios.changes import Plan, Scenario


@dataclass(slots=True)
class Outcome:
    """A plan applied to the base: the effective bundle (None on errors) and every diagnostic."""

    plan: Plan
    bundle: Bundle | None
    diagnostics: list[Diagnostic]
    """What applying found, then the validation of the effective bundle (severity policy not
    applied: the command line's and the project's policy is the caller's)."""
    applied: Applied

    @property
    def name(self) -> str:
        """The plan's name ('base' for no scenarios)."""
        return self.plan.name


def what_if(base: Bundle, plan: Plan, overrides: Scenario | None = None) -> Outcome:
    """Apply the plan's scenarios, then the overrides, and validate the result like file content.

    Validation runs on the whole effective bundle, so a scenario cannot produce input the
    engine would refuse; a value a scenario set is reported at its place in the scenario.
    """
    from kompalloc.validation import validate

    scenarios = [*plan.scenarios]
    if overrides is not None and overrides.changes:
        scenarios.append(overrides)
    if not scenarios:
        return Outcome(plan, base, [], Applied(base, []))
    applied = apply(base, scenarios)
    diagnostics = list(applied.diagnostics)
    if applied.bundle is not None:
        diagnostics.extend(validate(applied.bundle))
    return Outcome(plan, applied.bundle, diagnostics, applied)
