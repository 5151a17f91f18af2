"""The pipeline the allocating commands share: load and validate, refuse errors, apply the
as-of date, allocate with any method overrides, and stamp the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kompalloc.allocation import Allocation
    from kompalloc.model import Bundle


@dataclass(frozen=True, slots=True)
class Run:
    """An allocation run: the data as allocated, the result, and what the stamp must say."""

    bundle: Bundle
    allocation: Allocation
    as_of: date | None
    left_out: list[str]
    overrides: tuple[str, ...] = ()
    """The --set overrides applied (scenario files are among the bundle's files)."""
    methods: tuple[str, ...] = ()
    """The --method overrides applied."""

    def stamp(self) -> dict[str, Any]:
        """The reproducibility stamp as data."""
        from kompalloc.cli.stamp import stamp

        return stamp(self.bundle, self.as_of, self.left_out, self.overrides + self.methods)

    def stamp_line(self) -> str:
        """The reproducibility stamp as one line."""
        from kompalloc.cli.stamp import stamp_line

        return stamp_line(self.bundle, self.as_of, self.left_out, self.overrides + self.methods)


def allocated(
    paths: list[Path] | None,
    *,
    methods: list[str] | None = None,
    as_of: str | None = None,
    output: Path | None = None,
    application: str | None = None,
    scenarios: list[str] | None = None,
    sets: list[str] | None = None,
    effective: bool = False,
    export: Path | None = None,
) -> Run:
    """Run the pipeline; every failure along the way is a clear message and an exit code.

    ``application``: an id the run must contain (for explain), with a hint when it does not.
    ``scenarios`` and ``sets``: what-if changes applied in order after loading, validated
    like file content; ``effective`` prints the data they produce and stops. ``export``: a
    file to share the output in, checked before anything is allocated.
    """
    from kompalloc.allocation import allocate
    from kompalloc.cli.common import EXIT_USAGE, check_output_path, fail
    from kompalloc.cli.output import parse_as_of, parse_methods
    from kompalloc.cli.whatif import check_export, load_what_if
    from kompalloc.diagnostics import did_you_mean

    bundle = load_what_if(paths, scenarios, sets, effective=effective, output=output)
    if application is not None and application not in bundle.applications:
        hint = (
            did_you_mean(application, bundle.applications) or "see 'kompalloc allocate' for the ids"
        )
        fail(f"no application {application!r}: {hint}", EXIT_USAGE)
    submitted = bundle.applications[application].submitted if application else None
    bundle, day, left_out = parse_as_of(as_of, bundle)
    if application is not None and application not in bundle.applications:
        fail(f"{application} was submitted {submitted}, after --as-of {day}", EXIT_USAGE)
    check_output_path(output, bundle)
    check_export(export, bundle)
    result = allocate(bundle, parse_methods(methods, bundle), stories=application is not None)
    overrides = tuple(f"--set {s}" for s in sets or ())
    return Run(
        bundle, result, day, left_out, overrides, tuple(f"--method {m}" for m in methods or ())
    )
